// Faults a client of the Kubernetes API meets in production, on demand: slow answers, 500s,
// throttling, watches that end under it and resourceVersions that expired.
import Synchronization

/// The faults a FakeKube server injects, changeable while it runs: a test turns them on and off
/// between requests. Health probes (`/healthz`, `/livez`, `/readyz`) are never faulted.
///
/// Random choices come from a generator seeded at `init(seed:)`, so a test that sends the same
/// requests in the same order sees the same faults.
public final class FaultInjection: Sendable {
  /// Which requests the error and throttle rates apply to.
  public enum Scope: Sendable, Equatable {
    /// Every request but watches: a watch that starts stays up.
    case nonWatch
    case all
  }

  /// How a watch whose resourceVersion is made to expire is answered.
  public enum ExpiredAnswer: Sendable, Equatable {
    /// 200 and one `ERROR` event carrying a 410 `Expired` Status, as an API server answers a
    /// watch from a resourceVersion its watch cache no longer holds.
    case errorEvent
    /// An HTTP 410 response with the same Status.
    case httpGone
  }

  /// How many faults were injected so far.
  public struct Counts: Sendable, Equatable {
    public var internalErrors = 0
    public var throttled = 0
    public var expiredWatches = 0
    public var expiredLists = 0
    /// Watches ended early: by `cutWatches()`, or after their event or duration limit.
    public var cutWatches = 0
    public var delayed = 0

    public init() {}
  }

  struct State {
    var latency: ClosedRange<Duration>?
    var errorRate = 0.0
    var throttleRate = 0.0
    var scope = Scope.all
    var retryAfterSeconds = 1
    var watchEventLimit: Int?
    var watchDurationLimit: Duration?
    var expiringWatches = 0
    var expiredAnswer = ExpiredAnswer.errorEvent
    var expiringLists = 0
    var random: SplitMix64
    var counts = Counts()
    /// The watch responses under way, each by the stream that relays its body.
    var openWatches: [UInt64: AsyncStream<Relayed>.Continuation] = [:]
    var nextWatchID: UInt64 = 1
  }

  let state: Mutex<State>

  /// - Parameter seed: seeds the random choices; nil for a random seed. Nothing is injected
  ///   until a fault is configured.
  public init(seed: UInt64? = nil) {
    state = Mutex(State(random: SplitMix64(seed: seed ?? UInt64.random(in: .min ... .max))))
  }

  // MARK: Configuration

  /// Added to every request before it is answered: a duration picked uniformly in the range
  /// (`.milliseconds(200) ... .milliseconds(200)` for a fixed one); nil for none.
  public var latency: ClosedRange<Duration>? {
    get { state.withLock { $0.latency } }
    set {
      let clamped = newValue.map { max($0.lowerBound, .zero)...max($0.upperBound, .zero) }
      state.withLock { $0.latency = clamped }
    }
  }

  /// The fraction of requests (in `scope`) answered 500 `InternalError`, from 0 to 1; values
  /// outside are clamped.
  public var errorRate: Double {
    get { state.withLock { $0.errorRate } }
    set { state.withLock { $0.errorRate = Self.clampedRate(newValue) } }
  }

  /// The fraction of requests (in `scope`) answered 429 `TooManyRequests` with `Retry-After`,
  /// from 0 to 1. One draw decides both: a request is an error with probability `errorRate`, else
  /// throttled with probability `throttleRate`, so the two rates add up (at most to 1).
  public var throttleRate: Double {
    get { state.withLock { $0.throttleRate } }
    set { state.withLock { $0.throttleRate = Self.clampedRate(newValue) } }
  }

  /// Which requests `errorRate` and `throttleRate` apply to; every one by default.
  public var scope: Scope {
    get { state.withLock { $0.scope } }
    set { state.withLock { $0.scope = newValue } }
  }

  /// The `Retry-After` a throttled request is told, in seconds (at least 0).
  public var retryAfterSeconds: Int {
    get { state.withLock { $0.retryAfterSeconds } }
    set { state.withLock { $0.retryAfterSeconds = max(0, newValue) } }
  }

  /// Ends each watch that starts from now on after this many events (bookmarks included, and the
  /// initial ADDED events of a watch without a resourceVersion); nil for no limit.
  public var watchEventLimit: Int? {
    get { state.withLock { $0.watchEventLimit } }
    set { state.withLock { $0.watchEventLimit = newValue.map { max(1, $0) } } }
  }

  /// Ends each watch that starts from now on after this long; nil for no limit.
  public var watchDurationLimit: Duration? {
    get { state.withLock { $0.watchDurationLimit } }
    set { state.withLock { $0.watchDurationLimit = newValue.map { max(.zero, $0) } } }
  }

  /// Makes the next `count` watch requests fail as if their resourceVersion were too old.
  public func expireNextWatches(_ count: Int, answer: ExpiredAnswer = .errorEvent) {
    state.withLock {
      $0.expiringWatches = max(0, count)
      $0.expiredAnswer = answer
    }
  }

  /// Makes the next `count` list requests that name a resourceVersion (other than 0, which a real
  /// server answers from its cache and never expires) fail with 410 `Expired`.
  public func expireNextLists(_ count: Int) {
    state.withLock { $0.expiringLists = max(0, count) }
  }

  /// Restarts the random choices from `seed`.
  public func reseed(_ seed: UInt64) {
    state.withLock { $0.random = SplitMix64(seed: seed) }
  }

  /// Turns every fault off; open watches stay open and the counts stay.
  public func reset() {
    state.withLock { state in
      state.latency = nil
      state.errorRate = 0
      state.throttleRate = 0
      state.scope = .all
      state.retryAfterSeconds = 1
      state.watchEventLimit = nil
      state.watchDurationLimit = nil
      state.expiringWatches = 0
      state.expiringLists = 0
    }
  }

  /// How many faults were injected so far.
  public var injected: Counts { state.withLock { $0.counts } }

  // MARK: Watches

  /// Ends every watch response open now: its body ends, as when an API server restarts. Watches
  /// started afterwards run as usual. Returns how many were ended.
  @discardableResult
  public func cutWatches() -> Int {
    let relays = state.withLock { state in
      defer { state.openWatches = [:] }
      state.counts.cutWatches += state.openWatches.count
      return Array(state.openWatches.values)
    }
    for relay in relays { relay.finish() }
    return relays.count
  }

  /// How many watch responses are open now.
  public var openWatchCount: Int { state.withLock { $0.openWatches.count } }

  // MARK: Decisions

  /// What to do with one request.
  struct Plan {
    enum Outcome: Equatable {
      case proceed
      case internalError
      case throttled(retryAfterSeconds: Int)
      case expired(ExpiredAnswer)
    }

    var latency: Duration?
    var outcome: Outcome
    /// For a watch that proceeds: when to end it early.
    var watchEventLimit: Int?
    var watchDurationLimit: Duration?
  }

  func plan(isWatch: Bool, isListAtResourceVersion: Bool) -> Plan {
    state.withLock { state in
      var plan = Plan(outcome: .proceed)
      if let range = state.latency {
        let fraction = state.random.nextFraction()
        plan.latency = range.lowerBound + (range.upperBound - range.lowerBound) * fraction
        state.counts.delayed += 1
      }
      if isWatch, state.expiringWatches > 0 {
        state.expiringWatches -= 1
        state.counts.expiredWatches += 1
        plan.outcome = .expired(state.expiredAnswer)
        return plan
      }
      if isListAtResourceVersion, state.expiringLists > 0 {
        state.expiringLists -= 1
        state.counts.expiredLists += 1
        plan.outcome = .expired(.httpGone)
        return plan
      }
      if state.errorRate > 0 || state.throttleRate > 0, !isWatch || state.scope == .all {
        let draw = state.random.nextFraction()
        if draw < state.errorRate {
          state.counts.internalErrors += 1
          plan.outcome = .internalError
          return plan
        }
        if draw < state.errorRate + state.throttleRate {
          state.counts.throttled += 1
          plan.outcome = .throttled(retryAfterSeconds: state.retryAfterSeconds)
          return plan
        }
      }
      if isWatch {
        plan.watchEventLimit = state.watchEventLimit
        plan.watchDurationLimit = state.watchDurationLimit
      }
      return plan
    }
  }

  /// Registers a watch response's relay so that `cutWatches()` can end it.
  func openWatch(_ relay: AsyncStream<Relayed>.Continuation) -> UInt64 {
    state.withLock { state in
      let id = state.nextWatchID
      state.nextWatchID += 1
      state.openWatches[id] = relay
      return id
    }
  }

  /// Forgets a watch response; `cut` counts it as ended by a limit. Forgetting it again does nothing.
  func closeWatch(_ id: UInt64, cut: Bool) {
    state.withLock { state in
      if state.openWatches.removeValue(forKey: id) != nil, cut { state.counts.cutWatches += 1 }
    }
  }

  private static func clampedRate(_ rate: Double) -> Double {
    rate.isNaN ? 0 : min(1, max(0, rate))
  }
}

/// A small, fast generator with a 64-bit seed (Steele, Lea and Flood's SplitMix64): the same seed
/// gives the same sequence on every platform.
struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var mixed = state
    mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
    mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
    return mixed ^ (mixed >> 31)
  }

  /// A number in [0, 1) with 53 random bits.
  mutating func nextFraction() -> Double {
    Double(next() >> 11) * 0x1p-53
  }
}
