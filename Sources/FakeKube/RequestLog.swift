// What a FakeKube server was asked: the measure of how much a client (the operator) talks to the
// API, and whether it writes when nothing changed.
import KubeModel
import Synchronization

/// Every request a FakeKube server answered, newest last: a ring of the last `capacity` entries,
/// and totals that count every request ever recorded, so that a test can ask "how many writes
/// did the operator send" even after the ring wrapped.
///
/// An entry is recorded once the response's status is known: for a watch, when it starts
/// streaming. Requests turned away by the bearer token (401) or by an injected fault (500, 429,
/// 410) are recorded with that status. Sequence numbers start at 1 and have no gaps, so
/// `entries(since:)` pages through the log.
public final class RequestLog: Sendable {
  /// One answered request.
  public struct Entry: Sendable, Hashable {
    /// 1 for the first request recorded, then one more for each.
    public var sequence: UInt64
    /// When the request arrived.
    public var time: MicroTimestamp
    public var method: String
    public var path: String
    /// The raw query string, without `?`; empty when there is none.
    public var query: String
    /// The `User-Agent` header; empty when there is none. kubectl's starts with `kubectl/`.
    public var userAgent: String
    /// The HTTP status of the response.
    public var status: Int
    /// POST, PUT, PATCH or DELETE: a request meant to change something (see `isDryRun`).
    public var isMutating: Bool
    /// A GET with `watch=true` (or `1`).
    public var isWatch: Bool
    /// A mutating request with `dryRun=All`: the server changed nothing.
    public var isDryRun: Bool

    public init(
      sequence: UInt64, time: MicroTimestamp, method: String, path: String, query: String, userAgent: String,
      status: Int
    ) {
      self.sequence = sequence
      self.time = time
      self.method = method
      self.path = path
      self.query = query
      self.userAgent = userAgent
      self.status = status
      isMutating = ["POST", "PUT", "PATCH", "DELETE"].contains(method)
      let parameters = Query(query)
      isWatch = method == "GET" && parameters.flag("watch")
      isDryRun = isMutating && parameters["dryRun"] == "All"
    }

    /// The entry as served by `GET /fakekube/requests` and written to a request log file.
    public var json: JSONValue {
      [
        "sequence": .int(Int64(clamping: sequence)), "time": .string(time.description), "method": .string(method),
        "path": .string(path), "query": .string(query), "userAgent": .string(userAgent),
        "status": .int(Int64(status)), "mutating": .bool(isMutating), "watch": .bool(isWatch),
        "dryRun": .bool(isDryRun),
      ]
    }

    /// Reads back an entry from `json`; nil when a field is missing or of the wrong type.
    public init?(json: JSONValue) {
      guard let sequence = json["sequence"]?.intValue, sequence > 0,
        let time = json["time"]?.stringValue.flatMap(MicroTimestamp.init(rfc3339:)),
        let method = json["method"]?.stringValue, let path = json["path"]?.stringValue,
        let query = json["query"]?.stringValue, let userAgent = json["userAgent"]?.stringValue,
        let status = json["status"]?.intValue
      else { return nil }
      self.init(
        sequence: UInt64(sequence), time: time, method: method, path: path, query: query, userAgent: userAgent,
        status: Int(status))
    }
  }

  /// Counts of every request recorded, kept when the ring drops old entries.
  public struct Totals: Sendable, Hashable {
    public var requests = 0
    public var mutating = 0
    /// Mutating requests that were not dry runs and got a 2xx answer: the writes that happened.
    public var successfulWrites = 0
    public var watches = 0
    /// Responses with a status of 400 or more.
    public var errors = 0

    public init() {}
  }

  private struct State {
    var ring: [Entry] = []
    /// Where the oldest entry sits once the ring is full.
    var oldest = 0
    var lastSequence: UInt64 = 0
    var totals = Totals()
  }

  /// How many entries the ring keeps.
  public let capacity: Int
  private let onRecord: (@Sendable (Entry) -> Void)?
  private let state = Mutex(State())

  /// - Parameters:
  ///   - capacity: the entries kept (at least 1); older ones drop out, the totals keep counting.
  ///   - onRecord: called with each entry as it is recorded, in sequence order (under the log's
  ///     lock: keep it short), such as `RequestLogFile.append`.
  public init(capacity: Int = 100_000, onRecord: (@Sendable (Entry) -> Void)? = nil) {
    self.capacity = max(capacity, 1)
    self.onRecord = onRecord
  }

  /// Records an answered request and returns its entry.
  @discardableResult
  public func record(
    method: String, path: String, query: String, userAgent: String, status: Int, time: MicroTimestamp = .now()
  ) -> Entry {
    state.withLock { state in
      state.lastSequence += 1
      let entry = Entry(
        sequence: state.lastSequence, time: time, method: method, path: path, query: query, userAgent: userAgent,
        status: status)
      if state.ring.count < capacity {
        state.ring.append(entry)
      } else {
        state.ring[state.oldest] = entry
        state.oldest = (state.oldest + 1) % capacity
      }
      state.totals.requests += 1
      if entry.isMutating { state.totals.mutating += 1 }
      if entry.isMutating, !entry.isDryRun, (200..<300).contains(status) { state.totals.successfulWrites += 1 }
      if entry.isWatch { state.totals.watches += 1 }
      if status >= 400 { state.totals.errors += 1 }
      onRecord?(entry)
      return entry
    }
  }

  /// The entries the ring holds, oldest first.
  public var entries: [Entry] { entries(since: 0) }

  /// The entries after `sequence` that the ring still holds, oldest first: pass the last
  /// sequence seen to get what came since.
  public func entries(since sequence: UInt64) -> [Entry] {
    state.withLock { state in
      let count = state.ring.count
      let first = state.lastSequence - UInt64(count) + 1
      let skip = sequence < first ? 0 : Int(min(sequence - first + 1, UInt64(count)))
      return (skip..<count).map { state.ring[(state.oldest + $0) % count] }
    }
  }

  /// The entries the ring holds whose user agent starts with `prefix`.
  public func entries(userAgentPrefix prefix: String) -> [Entry] {
    entries.filter { $0.userAgent.hasPrefix(prefix) }
  }

  /// The mutating entries the ring holds, from clients whose user agent starts with `prefix`
  /// (every client when nil).
  public func mutating(userAgentPrefix prefix: String? = nil) -> [Entry] {
    entries.filter { entry in entry.isMutating && (prefix.map { entry.userAgent.hasPrefix($0) } ?? true) }
  }

  /// Counts of every request since the server started, including those the ring dropped.
  public var totals: Totals { state.withLock { $0.totals } }

  /// The sequence number of the newest entry; 0 before the first request.
  public var lastSequence: UInt64 { state.withLock { $0.lastSequence } }
}
