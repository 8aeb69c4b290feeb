import CRdKafka
import Dispatch
import Synchronization

/// How a consumer reaches Kafka and how much it takes ahead of its caller.
public struct KafkaConsumerConfiguration: Sendable {
  public var bootstrapServers: String
  public var topic: String
  /// Consumers of one group share the topic's partitions.
  public var group: String
  /// At most this many messages are handed out and not yet `done`; past it the consumer stops
  /// fetching (backpressure) until the caller catches up.
  public var maxPending = 10_000
  /// Where a group with no committed offset starts: `earliest` or `latest`.
  public var startAt = "earliest"
  /// At most this many bytes are fetched ahead of the caller (librdkafka's prefetch queue, per
  /// consumer).
  public var fetchBufferBytes = 16 << 20
  /// How long the group waits for a member that stopped without leaving (killed) before its
  /// partitions, and what it had not marked done, go to the others.
  public var sessionTimeout: Duration = .seconds(45)

  public init(bootstrapServers: String, topic: String, group: String) {
    self.bootstrapServers = bootstrapServers
    self.topic = topic
    self.group = group
  }

  var properties: [(String, String)] {
    [
      ("bootstrap.servers", bootstrapServers),
      ("client.id", "sovren"),
      ("group.id", group),
      // An offset is stored only when the caller says its message is done; stored offsets are
      // committed in the background and on close.
      ("enable.auto.offset.store", "false"),
      ("enable.auto.commit", "true"),
      ("auto.commit.interval.ms", "500"),
      ("auto.offset.reset", startAt),
      ("session.timeout.ms", String(sessionTimeout.milliseconds)),
      ("queued.max.messages.kbytes", String(max(1, fetchBufferBytes / 1024))),
      ("heartbeat.interval.ms", String(max(100, sessionTimeout.milliseconds / 3))),
      ("log_level", "3"),
    ]
  }
}

/// One message consumed.
public struct KafkaMessage: Sendable, Hashable {
  public var topic: String
  public var partition: Int32
  public var offset: Int64
  public var key: [UInt8]?
  public var value: [UInt8]
}

/// Reads one topic as a member of a consumer group. Messages come as an async sequence; a
/// message's offset is committed only after the caller marks it `done`, so what a consumer took
/// but did not finish is read again by the group after it stops (at least once).
///
/// librdkafka's blocking calls (poll, close) run on the consumer's own dispatch queue, never on
/// Swift's cooperative threads.
public final class KafkaConsumer: @unchecked Sendable {
  public let configuration: KafkaConsumerConfiguration
  /// The messages, in each partition's order.
  public let messages: AsyncStream<KafkaMessage>
  private let client: Client
  private let queue = DispatchQueue(label: "sovren.kafka.consumer")

  public init(_ configuration: KafkaConsumerConfiguration) throws(KafkaError) {
    precondition(configuration.maxPending >= 1, "maxPending must be at least 1")
    self.configuration = configuration
    let settings = try KafkaConfigurationBuilder.make(configuration.properties)
    let handle = try KafkaConfigurationBuilder.client(RD_KAFKA_CONSUMER, settings)
    rd_kafka_poll_set_consumer(handle)
    let topics = rd_kafka_topic_partition_list_new(1)
    rd_kafka_topic_partition_list_add(topics, configuration.topic, -1)
    let code = rd_kafka_subscribe(handle, topics)
    rd_kafka_topic_partition_list_destroy(topics)
    guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
      rd_kafka_destroy(handle)
      throw KafkaError("Kafka topic \(configuration.topic): cannot subscribe: \(KafkaError.text(of: code))")
    }
    let client = Client(handle: handle, topic: configuration.topic, maxPending: configuration.maxPending)
    self.client = client
    let (messages, continuation) = AsyncStream.makeStream(of: KafkaMessage.self, bufferingPolicy: .unbounded)
    self.messages = messages
    // The stream holds at most `maxPending` messages: the poller waits for a free slot first.
    queue.async {
      while !client.isClosing {
        guard client.slots.wait(timeout: .now() + .milliseconds(100)) == .success else { continue }
        guard let message = client.poll() else {
          client.slots.signal()
          continue
        }
        continuation.yield(message)
      }
      continuation.finish()
      client.pollerStopped.signal()
    }
  }

  deinit {
    let client = self.client
    DispatchQueue.global().async { client.stop() }
  }

  /// Marks `message` done: its offset is committed (in the background, and at `close`), and its
  /// slot freed for the next message.
  /// Does nothing after `close`: what was not done then is read again by the group.
  public func done(_ message: KafkaMessage) {
    client.withOpenHandle { handle in
      let list = rd_kafka_topic_partition_list_new(1)
      let entry = rd_kafka_topic_partition_list_add(list, message.topic, message.partition)
      entry?.pointee.offset = message.offset + 1
      _ = rd_kafka_offsets_store(handle, list)
      rd_kafka_topic_partition_list_destroy(list)
    }
    client.slots.signal()
  }

  /// How many partitions the group gave this consumer now (0 after `close`).
  public var assignedPartitions: Int {
    client.withOpenHandle { handle in
      var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
      guard rd_kafka_assignment(handle, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return 0 }
      defer { rd_kafka_topic_partition_list_destroy(list) }
      return Int(list.pointee.cnt)
    } ?? 0
  }

  /// Leaves the group: commits the offsets of the messages marked done and hands the partitions
  /// back. Messages taken and not done are read again by the group.
  public func close() async {
    let client = self.client
    await onDispatchThread { client.stop() }
  }

  /// The librdkafka handle, shared with the poller.
  final class Client: @unchecked Sendable {
    let handle: OpaquePointer
    /// The one topic subscribed to: every message's.
    let topic: String
    /// Free places for messages handed out and not done.
    let slots: DispatchSemaphore
    let pollerStopped = DispatchSemaphore(value: 0)
    private let closing = Atomic<Bool>(false)
    /// Whether the handle was freed; the callers' uses of the handle take this lock.
    private let freed = Mutex(false)

    init(handle: OpaquePointer, topic: String, maxPending: Int) {
      self.handle = handle
      self.topic = topic
      // Made empty and filled: libdispatch traps when a semaphore is freed below its initial
      // value, as this one is while messages are out.
      slots = DispatchSemaphore(value: 0)
      for _ in 0..<maxPending { slots.signal() }
    }

    var isClosing: Bool { closing.load(ordering: .acquiring) }

    /// The next message, nil when none came within 100 ms or an error came instead.
    func poll() -> KafkaMessage? {
      guard let message = rd_kafka_consumer_poll(handle, 100) else { return nil }
      defer { rd_kafka_message_destroy(message) }
      let record = message.pointee
      guard record.err == RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
      let value = record.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: record.len)) } ?? []
      let key = record.key.map { Array(UnsafeRawBufferPointer(start: $0, count: record.key_len)) }
      return KafkaMessage(topic: topic, partition: record.partition, offset: record.offset, key: key, value: value)
    }

    /// Stops the poller, closes the consumer (commits, leaves the group) and frees the handle;
    /// blocks, so never on Swift's cooperative threads. A second call returns at once.
    func stop() {
      guard !closing.exchange(true, ordering: .acquiringAndReleasing) else { return }
      pollerStopped.wait()
      _ = rd_kafka_consumer_close(handle)
      freed.withLock { freed in
        rd_kafka_destroy(handle)
        freed = true
      }
    }

    /// `body` with the handle, nil once it is freed.
    func withOpenHandle<Result>(_ body: (OpaquePointer) -> Result) -> Result? {
      freed.withLock { freed in freed ? nil : body(handle) }
    }
  }
}
