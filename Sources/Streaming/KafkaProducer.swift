import CRdKafka
import Dispatch
import SovrenModel
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// How a producer reaches Kafka and how much it may hold while Kafka does not answer.
public struct KafkaProducerConfiguration: Sendable {
  /// `host:port[,host:port…]` of one or more brokers.
  public var bootstrapServers: String
  public var topic: String
  /// At most this many messages, and this many bytes of them, wait in the producer for delivery;
  /// past either, the oldest is dropped for each new one.
  public var bufferMessages = 100_000
  public var bufferBytes = 64 << 20
  /// How long a message may wait for a broker that does not answer before it is dropped and
  /// counted as purged.
  public var gracePeriod: Duration = .seconds(60)
  /// `lz4`, `zstd`, `gzip`, `snappy` or `none`.
  public var compression = "lz4"
  /// The idempotent producer: no duplicates from the producer's own retries.
  public var idempotent = true
  /// How long messages gather into a batch.
  public var linger: Duration = .milliseconds(5)
  /// The largest message (key and value) sent; a larger one is refused by `send`. The topic
  /// (`max.message.bytes`) and the brokers (`message.max.bytes`) must accept this size too, or
  /// such messages fail and are counted as failed. Kafka's own default is 1 MiB; a pair may be
  /// over 2 MiB with the interceptor's default body limits.
  public var maxMessageBytes = 4 << 20
  /// How long messages for a topic the brokers do not know wait for it to appear before they
  /// fail.
  public var unknownTopicWait: Duration = .seconds(30)
  /// librdkafka settings of your own, applied last: TLS and SASL (`security.protocol`,
  /// `ssl.ca.location`, `sasl.mechanisms`, `sasl.username`, `sasl.password`, …) or tuning. Values
  /// of secret settings are never shown in errors.
  public var clientProperties: [String: String] = [:]

  public init(bootstrapServers: String, topic: String) {
    self.bootstrapServers = bootstrapServers
    self.topic = topic
  }

  /// librdkafka's settings, its own queue bounded by `queueMessages` and `queueBytes`.
  func properties(queueMessages: Int, queueBytes: Int) -> [(String, String)] {
    commonProperties(bootstrapServers: bootstrapServers) + [
      ("queue.buffering.max.messages", String(queueMessages)),
      ("queue.buffering.max.kbytes", String(max(1, queueBytes / 1024))),
      ("message.timeout.ms", String(gracePeriod.milliseconds)),
      ("compression.codec", compression),
      ("enable.idempotence", idempotent ? "true" : "false"),
      ("linger.ms", String(linger.milliseconds)),
      // librdkafka counts the protocol's framing in; the limit itself is checked by `send`.
      ("message.max.bytes", String(maxMessageBytes + 64 * 1024)),
      ("topic.metadata.propagation.max.ms", String(unknownTopicWait.milliseconds)),
    ] + userProperties(clientProperties)
  }
}

extension Duration {
  /// Whole milliseconds, as librdkafka's settings and calls take them.
  var milliseconds: Int64 { nanosecondCount / 1_000_000 }
}

/// Sends messages to one topic through librdkafka, at least once while Kafka is reachable: a
/// message is sent until the broker acknowledges it, and counted. A message's key picks its
/// partition, so one key's messages stay in order on one partition.
///
/// Memory is bounded: messages wait in a buffer of at most `bufferMessages` messages and
/// `bufferBytes` bytes (librdkafka's own queue included). When Kafka does not take them (broker
/// down, or slower than the senders) a full buffer drops its oldest message for each new one, and
/// messages waiting longer than the grace period are dropped; both are counted as purged. Sending
/// resumes by itself when the broker is back.
///
/// librdkafka's blocking calls (poll, flush, destroy) run on the producer's own dispatch queue or
/// on dispatch's global threads, never on Swift's cooperative threads.
public final class KafkaProducer: MessageProducer, @unchecked Sendable {
  public let configuration: KafkaProducerConfiguration
  private let client: Client
  private let buffer: SendBuffer
  private let queue = DispatchQueue(label: "sovren.kafka.producer")

  public init(_ configuration: KafkaProducerConfiguration) throws(KafkaError) {
    self.configuration = configuration
    // librdkafka's queue takes an eighth of the bound (at most 10,000 messages); the rest waits
    // in `buffer`, where the oldest can be dropped first. What librdkafka holds is dropped at the
    // grace period only.
    let queueBytes = max(1024, configuration.bufferBytes / 8)
    let queueMessages = min(10_000, max(1, configuration.bufferMessages / 8))
    let settings = try KafkaConfigurationBuilder.make(
      configuration.properties(queueMessages: queueMessages, queueBytes: queueBytes))
    let buffer = SendBuffer(maxMessages: configuration.bufferMessages, maxBytes: configuration.bufferBytes)
    rd_kafka_conf_set_dr_msg_cb(settings, deliveryReport)
    rd_kafka_conf_set_opaque(settings, Unmanaged.passUnretained(buffer).toOpaque())
    let handle = try KafkaConfigurationBuilder.client(RD_KAFKA_PRODUCER, settings)
    guard let topicHandle = rd_kafka_topic_new(handle, configuration.topic, nil) else {
      rd_kafka_destroy(handle)
      throw KafkaError("Kafka topic \(configuration.topic): \(KafkaError.text(of: rd_kafka_last_error()))")
    }
    do {
      client = try Client(handle: handle, topic: topicHandle)
    } catch {
      rd_kafka_topic_destroy(topicHandle)
      rd_kafka_destroy(handle)
      throw error
    }
    self.buffer = buffer
    let client = self.client
    let grace = configuration.gracePeriod
    queue.async { Self.pump(client, buffer, grace: grace) }
  }

  deinit {
    // Without `close`, what is still buffered is dropped; the blocking teardown leaves this thread.
    let client = self.client
    let buffer = self.buffer
    DispatchQueue.global().async {
      client.stop()
      withExtendedLifetime(buffer) { client.destroy() }
    }
  }

  /// Hands one message to the producer; it is sent in the background. Never waits: when the
  /// buffer is full its oldest message makes room (counted in `purged`).
  @discardableResult public func send(key: [UInt8]?, value: [UInt8]) throws(SendError) -> UInt64 {
    guard !client.isClosing else { throw .closed }
    let id = try buffer.append(key: key, value: value, limit: configuration.maxMessageBytes)
    client.wake()
    return id
  }

  /// What the producer has done so far.
  public var counts: ProducerCounts { buffer.counts }

  public func deliveryReports(bufferingNewest limit: Int = 10_000) -> AsyncStream<DeliveryReport> {
    buffer.deliveryReports(bufferingNewest: limit)
  }

  /// Waits up to `deadline` for every buffered message to be delivered or given up; answers how
  /// many are still buffered.
  public func flush(within deadline: Duration) async -> Int {
    await onDispatchThread { self.flushWaiting(within: deadline) }
  }

  /// Flushes within `deadline`, then stops: answers how many messages were not delivered (still
  /// buffered at the deadline, purged or failed before).
  public func close(within deadline: Duration) async -> Int {
    await onDispatchThread { self.closeWaiting(within: deadline) }
  }

  /// `flush(within:)` for synchronous callers: blocks the calling thread, so never from async
  /// code.
  public func flushWaiting(within deadline: Duration) -> Int {
    let end = ContinuousClock.now + deadline
    // The pump hands the buffer to librdkafka; then librdkafka's flush waits for the rest.
    while !buffer.isEmpty, ContinuousClock.now < end, !client.isClosing { usleep(2_000) }
    let left = end - ContinuousClock.now
    if left > .zero { _ = rd_kafka_flush(client.handle, Int32(clamping: left.milliseconds)) }
    return buffer.counts.buffered
  }

  /// `close(within:)` for synchronous callers: blocks the calling thread, so never from async
  /// code.
  public func closeWaiting(within deadline: Duration) -> Int {
    let left = flushWaiting(within: deadline)
    client.stop()
    buffer.finishReports()
    let counts = buffer.counts
    return left + counts.purged + counts.failed
  }

  /// The producer's thread: hands buffered messages to librdkafka while it takes them, drops
  /// those past the grace period, and serves delivery reports.
  private static func pump(_ client: Client, _ buffer: SendBuffer, grace: Duration) {
    while !client.isClosing {
      client.clearWake()
      var blocked = false
      while let entry = buffer.takeFirst() {
        let result = entry.value.withUnsafeBytes { value in
          withOptionalBytes(entry.key) { key in
            // RD_KAFKA_MSG_F_COPY (2): librdkafka copies the bytes; RD_KAFKA_PARTITION_UA (-1):
            // the partitioner picks the partition from the key. The opaque carries the id.
            rd_kafka_produce(
              client.topic, -1, 2, UnsafeMutableRawPointer(mutating: value.baseAddress), value.count,
              key?.baseAddress, key?.count ?? 0, UnsafeMutableRawPointer(bitPattern: UInt(entry.id)))
          }
        }
        guard result != 0 else { continue }
        if rd_kafka_last_error() == RD_KAFKA_RESP_ERR__QUEUE_FULL {
          buffer.putBack(entry)
          blocked = true
          break
        }
        buffer.finished(id: entry.id, bytes: entry.bytes, .failed(KafkaError.text(of: rd_kafka_last_error())))
      }
      buffer.dropOlder(than: .now - grace)
      // Delivery reports; then, with nothing to do, sleep until librdkafka has an event, a send
      // comes, or (messages waiting) it is time to try librdkafka's queue and the grace again.
      if rd_kafka_poll(client.handle, 0) == 0 { client.waitForWork(milliseconds: blocked ? 100 : 1000) }
    }
    client.pollerStopped.signal()
  }

  /// The librdkafka handles, shared with the pump.
  final class Client: @unchecked Sendable {
    let handle: OpaquePointer
    let topic: OpaquePointer
    private let closing = Atomic<Bool>(false)
    let pollerStopped = DispatchSemaphore(value: 0)
    /// Set by `send`, cleared by the pump before it drains: one wake-up per batch of sends.
    private let pending = Atomic<Bool>(false)
    /// The pump sleeps on this pipe's read end; sends, `stop` and librdkafka (an event on its
    /// main queue: a delivery report, an error) write a byte to wake it.
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let mainQueue: OpaquePointer

    init(handle: OpaquePointer, topic: OpaquePointer) throws(KafkaError) {
      var ends: [Int32] = [-1, -1]
      guard pipe(&ends) == 0 else { throw KafkaError("cannot make a pipe: \(String(cString: strerror(errno)))") }
      for end in ends {
        _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
        _ = fcntl(end, F_SETFD, FD_CLOEXEC)
      }
      self.handle = handle
      self.topic = topic
      wakeRead = ends[0]
      wakeWrite = ends[1]
      mainQueue = rd_kafka_queue_get_main(handle)
      var byte: UInt8 = 1
      rd_kafka_queue_io_event_enable(mainQueue, wakeWrite, &byte, 1)
    }

    var isClosing: Bool { closing.load(ordering: .acquiring) }

    func wake() {
      if !pending.exchange(true, ordering: .acquiringAndReleasing) { signal() }
    }

    func clearWake() { pending.store(false, ordering: .releasing) }

    private func signal() {
      var byte: UInt8 = 1
      _ = write(wakeWrite, &byte, 1)
    }

    /// Sleeps until woken or `milliseconds` passed, then empties the pipe.
    func waitForWork(milliseconds: Int32) {
      var watch = pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)
      _ = poll(&watch, 1, milliseconds)
      var bytes = [UInt8](repeating: 0, count: 64)
      while read(wakeRead, &bytes, bytes.count) > 0 {}
    }

    /// Stops the pump and waits for it (blocks: not on Swift's cooperative threads); a second
    /// call returns at once.
    func stop() {
      guard !closing.exchange(true, ordering: .acquiringAndReleasing) else { return }
      signal()
      pollerStopped.wait()
    }

    /// Frees the handles (the producer's `deinit` does, once); blocks while librdkafka winds down.
    func destroy() {
      rd_kafka_queue_io_event_enable(mainQueue, -1, nil, 0)
      rd_kafka_queue_destroy(mainQueue)
      rd_kafka_topic_destroy(topic)
      rd_kafka_destroy(handle)
      Glibc.close(wakeRead)
      Glibc.close(wakeWrite)
    }
  }
}

/// librdkafka's delivery callback: one call per message, delivered or given up. A message that
/// waited past the grace period (librdkafka's message timeout) counts as purged.
private func deliveryReport(
  _ handle: OpaquePointer?, _ message: UnsafePointer<rd_kafka_message_t>?, _ opaque: UnsafeMutableRawPointer?
) {
  guard let message, let opaque else { return }
  let buffer = Unmanaged<SendBuffer>.fromOpaque(opaque).takeUnretainedValue()
  let record = message.pointee
  let id = UInt64(UInt(bitPattern: record._private))
  let bytes = record.len + record.key_len
  switch record.err {
  case RD_KAFKA_RESP_ERR_NO_ERROR:
    buffer.finished(id: id, bytes: bytes, .delivered(partition: record.partition, offset: record.offset))
  case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR__PURGE_QUEUE, RD_KAFKA_RESP_ERR__PURGE_INFLIGHT:
    buffer.finished(id: id, bytes: bytes, .purged)
  default: buffer.finished(id: id, bytes: bytes, .failed(KafkaError.text(of: record.err)))
  }
}

/// `body` with the bytes of `bytes`, or nil.
private func withOptionalBytes<Result>(
  _ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> Result
) -> Result {
  guard let bytes else { return body(nil) }
  return bytes.withUnsafeBytes { body($0) }
}
