import CRdKafka
import Dispatch
import Synchronization

/// How a producer reaches Kafka and how much it may hold while Kafka does not answer.
public struct KafkaProducerConfiguration: Sendable {
  /// `host:port[,host:port…]` of one or more brokers.
  public var bootstrapServers: String
  public var topic: String
  /// At most this many messages, and this many bytes of them, wait in the producer for delivery;
  /// past either, `send` answers `bufferFull`.
  public var bufferMessages = 100_000
  public var bufferBytes = 64 << 20
  /// How long a message may wait for a broker that does not answer before it is given up and
  /// counted as failed.
  public var gracePeriod: Duration = .seconds(60)
  /// `lz4`, `zstd`, `gzip`, `snappy` or `none`.
  public var compression = "lz4"
  /// The idempotent producer: no duplicates from the producer's own retries.
  public var idempotent = true
  /// How long messages gather into a batch.
  public var linger: Duration = .milliseconds(5)

  public init(bootstrapServers: String, topic: String) {
    self.bootstrapServers = bootstrapServers
    self.topic = topic
  }

  var properties: [(String, String)] {
    [
      ("bootstrap.servers", bootstrapServers),
      ("client.id", "sovren"),
      ("queue.buffering.max.messages", String(bufferMessages)),
      ("queue.buffering.max.kbytes", String(max(1, bufferBytes / 1024))),
      ("message.timeout.ms", String(gracePeriod.milliseconds)),
      ("compression.codec", compression),
      ("enable.idempotence", idempotent ? "true" : "false"),
      ("linger.ms", String(linger.milliseconds)),
      ("log_level", "3"),
    ]
  }
}

extension Duration {
  var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}

/// What a producer has done so far.
public struct KafkaProducerCounts: Sendable, Hashable {
  /// Accepted by `send`.
  public var produced = 0
  /// Acknowledged by the broker.
  public var delivered = 0
  /// Given up: past the grace period, or refused by the broker for good.
  public var failed = 0
  /// Waiting for delivery now.
  public var buffered = 0
}

/// Sends messages to one topic through librdkafka: asynchronous sends into a bounded buffer,
/// delivery counted as the broker acknowledges. A message's key picks its partition, so one
/// key's messages stay in order on one partition.
///
/// librdkafka's blocking calls (poll, flush, destroy) run on the producer's own dispatch queue,
/// never on Swift's cooperative threads.
public final class KafkaProducer: @unchecked Sendable {
  public let configuration: KafkaProducerConfiguration
  private let client: Client
  private let deliveries: Deliveries
  private let produced = Atomic<Int>(0)
  private let queue = DispatchQueue(label: "sovren.kafka.producer")

  /// Why a message was not taken.
  public enum SendError: Error, Sendable, Hashable {
    /// The buffer holds `bufferMessages` messages or `bufferBytes` bytes already.
    case bufferFull
    /// The message is larger than the producer allows.
    case tooLarge(bytes: Int)
    case other(String)
  }

  public init(_ configuration: KafkaProducerConfiguration) throws(KafkaError) {
    self.configuration = configuration
    let deliveries = Deliveries()
    let settings = try KafkaConfigurationBuilder.make(configuration.properties)
    rd_kafka_conf_set_dr_msg_cb(settings, deliveryReport)
    rd_kafka_conf_set_opaque(settings, Unmanaged.passUnretained(deliveries).toOpaque())
    let handle = try KafkaConfigurationBuilder.client(RD_KAFKA_PRODUCER, settings)
    guard let topicHandle = rd_kafka_topic_new(handle, configuration.topic, nil) else {
      rd_kafka_destroy(handle)
      throw KafkaError("Kafka topic \(configuration.topic): \(KafkaError.text(of: rd_kafka_last_error()))")
    }
    client = Client(handle: handle, topic: topicHandle)
    self.deliveries = deliveries
    // Delivery reports are served by polling; the poller stops when the client closes.
    let client = self.client
    queue.async {
      while !client.isClosing { rd_kafka_poll(client.handle, 100) }
      client.pollerStopped.signal()
    }
  }

  deinit {
    // Without `close`, what is still buffered is dropped; the blocking teardown leaves this thread.
    let client = self.client
    let deliveries = self.deliveries
    DispatchQueue.global().async {
      client.stop()
      withExtendedLifetime(deliveries) { client.destroy() }
    }
  }

  /// Hands one message to the producer; it is sent in the background. Throws at once when the
  /// buffer is full (the caller decides what to drop), the message is refused, or the producer
  /// is closed.
  public func send(key: [UInt8]?, value: [UInt8]) throws(SendError) {
    guard !client.isClosing else { throw .other("the producer is closed") }
    let result = value.withUnsafeBytes { value in
      withOptionalBytes(key) { key in
        // RD_KAFKA_MSG_F_COPY (2): librdkafka copies the bytes; RD_KAFKA_PARTITION_UA (-1): the
        // partitioner picks the partition from the key.
        rd_kafka_produce(
          client.topic, -1, 2, UnsafeMutableRawPointer(mutating: value.baseAddress), value.count, key?.baseAddress,
          key?.count ?? 0, nil)
      }
    }
    guard result == -1 else {
      produced.add(1, ordering: .relaxed)
      return
    }
    let code = rd_kafka_last_error()
    switch code {
    case RD_KAFKA_RESP_ERR__QUEUE_FULL: throw .bufferFull
    case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE: throw .tooLarge(bytes: value.count)
    default: throw .other(KafkaError.text(of: code))
    }
  }

  /// What the producer has done so far.
  public var counts: KafkaProducerCounts {
    KafkaProducerCounts(
      produced: produced.load(ordering: .relaxed), delivered: deliveries.delivered.load(ordering: .relaxed),
      failed: deliveries.failed.load(ordering: .relaxed), buffered: Int(rd_kafka_outq_len(client.handle)))
  }

  /// Waits up to `deadline` for every buffered message to be delivered or given up; answers how
  /// many are still buffered.
  public func flush(within deadline: Duration) async -> Int {
    let client = self.client
    return await withCheckedContinuation { continuation in
      DispatchQueue.global().async {
        _ = rd_kafka_flush(client.handle, Int32(clamping: deadline.milliseconds))
        continuation.resume(returning: Int(rd_kafka_outq_len(client.handle)))
      }
    }
  }

  /// Flushes within `deadline`, then stops: answers how many messages could not be delivered
  /// (still buffered at the deadline, or failed before).
  public func close(within deadline: Duration) async -> Int {
    let left = await flush(within: deadline)
    let client = self.client
    await withCheckedContinuation { continuation in
      DispatchQueue.global().async {
        client.stop()
        continuation.resume()
      }
    }
    return left + deliveries.failed.load(ordering: .relaxed)
  }

  /// The librdkafka handles, shared with the poller.
  final class Client: @unchecked Sendable {
    let handle: OpaquePointer
    let topic: OpaquePointer
    private let closing = Atomic<Bool>(false)
    let pollerStopped = DispatchSemaphore(value: 0)
    private let destroyed = Atomic<Bool>(false)

    init(handle: OpaquePointer, topic: OpaquePointer) {
      self.handle = handle
      self.topic = topic
    }

    var isClosing: Bool { closing.load(ordering: .acquiring) }

    /// Stops the poller and waits for it (blocks: not on Swift's cooperative threads); a second
    /// call returns at once.
    func stop() {
      guard !closing.exchange(true, ordering: .acquiringAndReleasing) else { return }
      pollerStopped.wait()
    }

    /// Frees the handles (once); blocks while librdkafka winds down.
    func destroy() {
      guard !destroyed.exchange(true, ordering: .acquiringAndReleasing) else { return }
      rd_kafka_topic_destroy(topic)
      rd_kafka_destroy(handle)
    }
  }

  /// Delivery counts, updated by librdkafka's delivery callback on the poller's thread.
  final class Deliveries: Sendable {
    let delivered = Atomic<Int>(0)
    let failed = Atomic<Int>(0)
  }
}

/// librdkafka's delivery callback: one call per message, delivered or given up.
private func deliveryReport(
  _ handle: OpaquePointer?, _ message: UnsafePointer<rd_kafka_message_t>?, _ opaque: UnsafeMutableRawPointer?
) {
  guard let message, let opaque else { return }
  let deliveries = Unmanaged<KafkaProducer.Deliveries>.fromOpaque(opaque).takeUnretainedValue()
  if message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
    deliveries.delivered.add(1, ordering: .relaxed)
  } else {
    deliveries.failed.add(1, ordering: .relaxed)
  }
}

/// `body` with the bytes of `bytes`, or nil.
private func withOptionalBytes<Result>(
  _ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> Result
) -> Result {
  guard let bytes else { return body(nil) }
  return bytes.withUnsafeBytes { body($0) }
}
