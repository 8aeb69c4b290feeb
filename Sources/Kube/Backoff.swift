/// Jittered exponential backoff that starts over after a healthy spell.
///
/// Each failure waits longer than the one before, up to `maximum`, with a random part so that
/// many clients cut off by the same API server restart do not all come back at the same instant.
/// Once `resetAfter` has passed since the last wait ended with no failure in between, the next
/// failure waits `initial` again: a watch that ran for an hour and then broke should retry at
/// once, not after the delay it reached on the bad day it started.
public struct Backoff: Sendable, Hashable {
  /// The first delay.
  public var initial: Duration
  /// The longest delay.
  public var maximum: Duration
  /// How much each delay grows over the one before.
  public var multiplier: Double
  /// The share of each delay that is random: 0.5 waits between 50 % and 100 % of it.
  public var jitter: Double
  /// A spell this long without a failure, counted from the end of the last wait, starts the
  /// sequence over.
  public var resetAfter: Duration

  /// Out-of-range values are brought into range: negative durations become zero, a multiplier
  /// under 1 becomes 1, a jitter outside 0...1 the nearest bound.
  public init(
    initial: Duration = .milliseconds(800), maximum: Duration = .seconds(30), multiplier: Double = 2,
    jitter: Double = 0.5, resetAfter: Duration = .seconds(120)
  ) {
    self.initial = max(initial, .zero)
    self.maximum = max(maximum, .zero)
    self.multiplier = multiplier.isNaN ? 1 : max(1, multiplier)
    self.jitter = jitter.isNaN ? 0 : min(max(jitter, 0), 1)
    self.resetAfter = max(resetAfter, .zero)
  }

  /// The delay before the `attempt`-th retry (0 for the first) without its random part:
  /// `initial × multiplier^attempt`, at most `maximum`.
  public func ceiling(attempt: Int) -> Duration {
    let limit = maximum.seconds
    var delay = initial.seconds
    var remaining = max(0, attempt)
    while remaining > 0, delay < limit {
      delay *= multiplier
      remaining -= 1
    }
    return .roundedSeconds(min(delay, limit))
  }

  /// Where a sequence of failures stands.
  public struct State: Sendable {
    /// Failures since the sequence last started over.
    public private(set) var attempts = 0
    /// When the last wait ends: health is counted from then, not from the failure, so a long
    /// wait does not pass for a healthy spell.
    private var waitEnds: ContinuousClock.Instant?

    public init() {}

    /// The delay before retrying after a failure at `now`, counting that failure.
    ///
    /// - Parameter random: picks the delay's share in a range within `0...1`; replaceable in tests.
    public mutating func nextDelay(
      _ backoff: Backoff, now: ContinuousClock.Instant = .now,
      random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }
    ) -> Duration {
      if let waitEnds, now - waitEnds >= backoff.resetAfter { attempts = 0 }
      let ceiling = backoff.ceiling(attempt: attempts)
      attempts += 1
      let share = min(max(random((1 - backoff.jitter)...1), 1 - backoff.jitter), 1)
      let delay = Duration.roundedSeconds(ceiling.seconds * share)
      waitEnds = now + delay
      return delay
    }

    /// Starts the sequence over, as after a healthy spell.
    public mutating func reset() {
      attempts = 0
      waitEnds = nil
    }
  }
}

extension Duration {
  /// The duration in seconds, as a floating-point number.
  var seconds: Double {
    let (seconds, attoseconds) = components
    return Double(seconds) + Double(attoseconds) / 1e18
  }

  /// `seconds` to the nearest nanosecond (so that 0.1 s doubled twice is exactly 400 ms), within
  /// 0 … about 285 years.
  static func roundedSeconds(_ seconds: Double) -> Duration {
    guard seconds > 0 else { return .zero }
    return .nanoseconds(Int64((min(seconds, 9e9) * 1e9).rounded()))
  }
}
