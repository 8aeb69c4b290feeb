import Synchronization

/// A producer's messages not yet delivered, and its counts, under one lock so that a snapshot
/// of the counts always adds up (every message produced is buffered, delivered, purged or
/// failed).
///
/// Messages wait here, oldest first, bounded in messages and bytes, until the producer's thread
/// hands them to librdkafka ("queued"): a message that does not fit pushes out the oldest
/// waiting one, and waiting messages older than the grace period are dropped, both counted as
/// purged. Thread-safe.
final class SendBuffer: Sendable {
  struct Entry: Sendable {
    /// The producer's number for it, from 1, in the order sent.
    var id: UInt64
    var key: [UInt8]?
    var value: [UInt8]
    var enqueued: ContinuousClock.Instant
    var bytes: Int { value.count + (key?.count ?? 0) }
  }

  private struct State {
    /// The waiting messages, oldest first, in a ring: `waiting` of them from `head`, wrapping.
    /// A slot is emptied as its message leaves, so that no message outlives its place here.
    var slots: [Entry?] = Array(repeating: nil, count: 16)
    var head = 0
    var waiting = 0
    var waitingBytes = 0
    var counts = ProducerCounts()
    var lastID: UInt64 = 0
    /// Where delivery reports go, when someone listens.
    var reports: AsyncStream<DeliveryReport>.Continuation?

    mutating func purgeFirst() {
      guard let entry = removeFirst() else { return }
      counts.purged += 1
      reports?.yield(DeliveryReport(id: entry.id, outcome: .purged))
    }

    var oldest: Entry? { waiting > 0 ? slots[head] : nil }

    mutating func append(_ entry: Entry) {
      if waiting == slots.count { grow() }
      slots[(head + waiting) % slots.count] = entry
      waiting += 1
      waitingBytes += entry.bytes
    }

    mutating func prepend(_ entry: Entry) {
      if waiting == slots.count { grow() }
      head = (head + slots.count - 1) % slots.count
      slots[head] = entry
      waiting += 1
      waitingBytes += entry.bytes
    }

    mutating func removeFirst() -> Entry? {
      guard waiting > 0, let entry = slots[head] else { return nil }
      slots[head] = nil
      head = (head + 1) % slots.count
      waiting -= 1
      waitingBytes -= entry.bytes
      return entry
    }

    /// Twice the room, the oldest first again.
    private mutating func grow() {
      slots = (0..<waiting).map { slots[(head + $0) % slots.count] } + Array(repeating: nil, count: slots.count)
      head = 0
    }
  }

  /// Bounds of every message buffered: waiting here and queued in librdkafka together. Handing a
  /// message to librdkafka or taking it back does not change the total, so only a new message can
  /// push it past the bounds, and it pushes out the oldest waiting ones instead.
  let maxMessages: Int
  let maxBytes: Int
  private let state = Mutex(State())

  init(maxMessages: Int, maxBytes: Int) {
    self.maxMessages = max(1, maxMessages)
    self.maxBytes = max(1, maxBytes)
  }

  /// Adds a message produced, first dropping the oldest waiting ones until it fits; answers the
  /// message's id. A message over `limit` bytes (or alone over the buffer's bound) is refused.
  func append(key: [UInt8]?, value: [UInt8], limit: Int = .max) throws(SendError) -> UInt64 {
    let bytes = value.count + (key?.count ?? 0)
    let limit = min(limit, maxBytes)
    guard bytes <= limit else { throw .tooLarge(bytes: bytes, limit: limit) }
    let enqueued = ContinuousClock.now
    return state.withLock { state in
      state.lastID += 1
      let entry = Entry(id: state.lastID, key: key, value: value, enqueued: enqueued)
      while state.waiting > 0,
        state.counts.buffered + state.waiting + 1 > maxMessages
          || state.counts.bufferedBytes + state.waitingBytes + entry.bytes > maxBytes
      {
        state.purgeFirst()
      }
      state.append(entry)
      state.counts.produced += 1
      return entry.id
    }
  }

  /// The oldest waiting message, now counted as queued (handed to librdkafka).
  func takeFirst() -> Entry? {
    state.withLock { state in
      guard let entry = state.removeFirst() else { return nil }
      state.counts.queued(entry.bytes, +1)
      return entry
    }
  }

  /// Puts back, as the oldest waiting again, a message librdkafka had no room for.
  func putBack(_ entry: Entry) {
    state.withLock { state in
      state.prepend(entry)
      state.counts.queued(entry.bytes, -1)
    }
  }

  /// Message `id`, queued with `bytes` bytes, delivered, given up or refused.
  func finished(id: UInt64, bytes: Int, _ outcome: DeliveryReport.Outcome) {
    state.withLock { state in
      state.counts.queued(bytes, -1)
      switch outcome {
      case .delivered: state.counts.delivered += 1
      case .purged: state.counts.purged += 1
      case .failed(let reason):
        state.counts.failed += 1
        state.counts.lastFailure = reason
      }
      state.reports?.yield(DeliveryReport(id: id, outcome: outcome))
    }
  }

  /// From now on, delivery reports go to a new stream, which keeps the newest `limit` reports
  /// its reader has not taken yet; the previous stream, if any, ends.
  func deliveryReports(bufferingNewest limit: Int) -> AsyncStream<DeliveryReport> {
    let (stream, continuation) = AsyncStream.makeStream(
      of: DeliveryReport.self, bufferingPolicy: .bufferingNewest(max(1, limit)))
    let previous = state.withLock { state in
      defer { state.reports = continuation }
      return state.reports
    }
    previous?.finish()
    return stream
  }

  /// Ends the delivery reports' stream.
  func finishReports() { state.withLock { $0.reports }?.finish() }

  /// Drops the waiting messages enqueued before `deadline` (counted as purged).
  func dropOlder(than deadline: ContinuousClock.Instant) {
    state.withLock { state in
      while let oldest = state.oldest, oldest.enqueued < deadline { state.purgeFirst() }
    }
  }

  var isEmpty: Bool { state.withLock { $0.waiting == 0 } }

  /// The counts now, waiting and queued messages both counted as buffered.
  var counts: ProducerCounts {
    state.withLock { state in
      var counts = state.counts
      counts.buffered += state.waiting
      counts.bufferedBytes += state.waitingBytes
      return counts
    }
  }
}

extension ProducerCounts {
  /// Moves `count` messages of `bytes` bytes into (or, negative, out of) librdkafka's queue.
  fileprivate mutating func queued(_ bytes: Int, _ count: Int) {
    buffered += count
    bufferedBytes += count * bytes
  }
}
