import Synchronization

/// Kafka's stand-in in embedded mode: a bounded queue in memory between one process's producer
/// and its consumer, behind the same interfaces (`producer` is a `MessageProducer`, `consumer` a
/// `MessageConsumer`), with the same promise: the producer never waits, memory is bounded in
/// messages and bytes, and when the consumer does not keep up the oldest waiting messages are
/// dropped (and those older than the grace period, if one is set), counted as purged.
///
/// A message counts as delivered when the consumer takes it. Everything is one partition (0),
/// offsets count from 0 in the order sent.
public final class InProcessChannel: Sendable {
  public let producer: Producer
  public let consumer: Consumer

  /// At most `maxMessages` messages and `maxBytes` bytes wait; `gracePeriod`, when set, is how
  /// long one may wait before it is dropped.
  public init(
    topic: String = "pairs", maxMessages: Int = 100_000, maxBytes: Int = 64 << 20, gracePeriod: Duration? = nil
  ) {
    let core = Core(topic: topic, buffer: SendBuffer(maxMessages: maxMessages, maxBytes: maxBytes), grace: gracePeriod)
    producer = Producer(core)
    consumer = Consumer(core)
  }

  /// What both sides share: the buffer (messages and the producer's counts), the consumer's
  /// counts, and the consumer waiting for a message.
  final class Core: Sendable {
    let topic: String
    let buffer: SendBuffer
    let grace: Duration?
    let state = Mutex(State())

    struct State {
      var closed = false
      var paused = false
      var counts = ConsumerCounts()
      /// The consumer's `next()` waiting for a message, a resume or the close.
      var waiter: CheckedContinuation<Void, Never>?
    }

    init(topic: String, buffer: SendBuffer, grace: Duration?) {
      self.topic = topic
      self.buffer = buffer
      self.grace = grace
      state.withLock { $0.counts.assignedPartitions = 1 }
    }

    /// Resumes the waiting consumer, if any.
    func wakeConsumer() { state.withLock { $0.waiter.take() }?.resume() }

    /// The next message, nil once the channel is closed and empty (or the reading task is
    /// cancelled).
    func next() async -> StreamMessage? {
      while !Task.isCancelled {
        if let grace { buffer.dropOlder(than: .now - grace) }
        let (closed, paused) = state.withLock { ($0.closed, $0.paused) }
        if !paused, let entry = buffer.takeFirst() {
          let offset = Int64(entry.id - 1)
          buffer.finished(id: entry.id, bytes: entry.bytes, .delivered(partition: 0, offset: offset))
          state.withLock { $0.counts.received += 1 }
          return StreamMessage(topic: topic, partition: 0, offset: offset, key: entry.key, value: entry.value)
        }
        if closed { return nil }
        await withTaskCancellationHandler {
          await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            // Checked under the lock that `wakeConsumer` takes, so a message sent in between is
            // not missed.
            let ready = state.withLock { state in
              guard !state.closed, !Task.isCancelled, state.paused || buffer.isEmpty else { return true }
              state.waiter = continuation
              return false
            }
            if ready { continuation.resume() }
          }
        } onCancel: {
          wakeConsumer()
        }
      }
      return nil
    }
  }

  /// The channel's sending side.
  public final class Producer: MessageProducer {
    private let core: Core

    init(_ core: Core) { self.core = core }

    @discardableResult public func send(key: [UInt8]?, value: [UInt8]) throws(SendError) -> UInt64 {
      guard !core.state.withLock({ $0.closed }) else { throw .closed }
      let id = try core.buffer.append(key: key, value: value)
      core.wakeConsumer()
      return id
    }

    public var counts: ProducerCounts { core.buffer.counts }

    public func deliveryReports(bufferingNewest limit: Int = 10_000) -> AsyncStream<DeliveryReport> {
      core.buffer.deliveryReports(bufferingNewest: limit)
    }

    /// Waits up to `deadline` for the consumer to take every message; answers how many it did
    /// not.
    public func flush(within deadline: Duration) async -> Int {
      let end = ContinuousClock.now + deadline
      while !core.buffer.isEmpty, ContinuousClock.now < end {
        try? await Task.sleep(for: .milliseconds(2))
      }
      return core.buffer.counts.buffered
    }

    /// Flushes within `deadline`, then closes the channel: the consumer's `messages` ends after
    /// what is left; answers how many were not delivered.
    public func close(within deadline: Duration) async -> Int {
      let left = await flush(within: deadline)
      core.state.withLock { $0.closed = true }
      core.wakeConsumer()
      let counts = core.buffer.counts
      core.buffer.finishReports()
      return left + counts.purged + counts.failed
    }
  }

  /// The channel's reading side. `messages` has one reader.
  public final class Consumer: MessageConsumer {
    private let core: Core
    public let messages: AsyncStream<StreamMessage>

    init(_ core: Core) {
      self.core = core
      messages = AsyncStream(unfolding: { await core.next() })
    }

    public func done(_ message: StreamMessage) { core.state.withLock { $0.counts.done += 1 } }

    public func pause() {
      core.state.withLock {
        $0.paused = true
        $0.counts.paused = true
      }
    }

    public func resume() {
      core.state.withLock {
        $0.paused = false
        $0.counts.paused = false
      }
      core.wakeConsumer()
    }

    /// The counts; the lag is what waits in the channel.
    public var counts: ConsumerCounts {
      var counts = core.state.withLock { $0.counts }
      counts.lag = Int64(core.buffer.counts.buffered)
      return counts
    }

    /// Closes the channel from this side: the producer's next sends are refused, and `messages`
    /// ends after what is already waiting.
    public func close() async {
      core.state.withLock { $0.closed = true }
      core.wakeConsumer()
    }
  }
}
