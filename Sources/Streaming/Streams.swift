import SovrenModel

/// What the interceptor produces into and the digger consumes from, whether Kafka or, in
/// embedded mode, the in-process channel: the roles hold a `MessageProducer` or a
/// `MessageConsumer` and do not care which.
///
/// The promise is the same for both: a message is delivered at least once while the other side
/// is there; memory is bounded (messages and bytes); when the bound is reached, or a message
/// waited past the grace period, the oldest waiting messages are dropped and counted as purged.
public protocol MessageProducer: AnyObject, Sendable {
  /// Hands one message over; it is delivered in the background. Never waits: a full buffer drops
  /// its oldest message to make room. Answers the message's id (1, 2, … in the order sent), which
  /// its delivery report carries.
  @discardableResult func send(key: [UInt8]?, value: [UInt8]) throws(SendError) -> UInt64
  /// What the producer has done so far.
  var counts: ProducerCounts { get }
  /// From now on, one report per message as it is delivered, purged or failed, to one reader (a
  /// new call ends the previous stream). The stream keeps the newest `limit` reports its reader
  /// has not taken, so a slow reader costs bounded memory. Ends at `close`.
  func deliveryReports(bufferingNewest limit: Int) -> AsyncStream<DeliveryReport>
  /// Waits up to `deadline` for every buffered message to be delivered or given up; answers how
  /// many are still buffered.
  func flush(within deadline: Duration) async -> Int
  /// Flushes within `deadline`, then stops: answers how many messages were not delivered (still
  /// buffered at the deadline, purged or failed before).
  func close(within deadline: Duration) async -> Int
}

/// The reading side: see `MessageProducer`.
public protocol MessageConsumer: AnyObject, Sendable {
  /// The messages, in each partition's order.
  var messages: AsyncStream<StreamMessage> { get }
  /// Marks `message` done: only then is it counted as consumed (for Kafka: its offset committed).
  func done(_ message: StreamMessage)
  /// Stops taking new messages until `resume()` (backpressure).
  func pause()
  func resume()
  var counts: ConsumerCounts { get }
  /// Stops; `messages` ends.
  func close() async
}

/// Why a message was not taken.
public enum SendError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The message alone is larger than the buffer or than the largest message allowed.
  case tooLarge(bytes: Int, limit: Int)
  /// `close` was called.
  case closed

  public var description: String {
    switch self {
    case .tooLarge(let bytes, let limit): "message of \(bytes) bytes is over the limit of \(limit)"
    case .closed: "the producer is closed"
    }
  }
}

/// What became of one message.
public struct DeliveryReport: Sendable, Hashable {
  public enum Outcome: Sendable, Hashable {
    /// Acknowledged: by the broker (for Kafka), or taken by the consumer (in process).
    case delivered(partition: Int32, offset: Int64)
    /// Dropped unsent, oldest first: pushed out of a full buffer, or older than the grace period.
    case purged
    /// Refused for good; why.
    case failed(String)
  }

  /// The id `send` answered.
  public var id: UInt64
  public var outcome: Outcome

  public init(id: UInt64, outcome: Outcome) {
    self.id = id
    self.outcome = outcome
  }
}

/// What a producer has done so far. At any instant produced = buffered + delivered + purged +
/// failed.
public struct ProducerCounts: Sendable, Hashable {
  /// Accepted by `send`.
  public var produced = 0
  /// Acknowledged: by the broker, or taken by the consumer.
  public var delivered = 0
  /// Dropped unsent, oldest first: pushed out of a full buffer, or older than the grace period.
  public var purged = 0
  /// Refused for good.
  public var failed = 0
  /// Why the last refused message was refused.
  public var lastFailure: String?
  /// Waiting for delivery now, and their bytes (keys and values).
  public var buffered = 0
  public var bufferedBytes = 0

  public init() {}
}

/// One message as a consumer hands it out: from Kafka, or from the in-process channel.
public struct StreamMessage: Sendable, Hashable {
  public var topic: String
  public var partition: Int32
  public var offset: Int64
  public var key: [UInt8]?
  public var value: [UInt8]

  public init(topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8]) {
    self.topic = topic
    self.partition = partition
    self.offset = offset
    self.key = key
    self.value = value
  }
}

/// What a consumer has done so far, and where it is.
public struct ConsumerCounts: Sendable, Hashable {
  /// Handed to the caller.
  public var received = 0
  /// Marked done by the caller.
  public var done = 0
  /// Handed out and not done yet.
  public var pending: Int { received - done }
  /// Errors the brokers or librdkafka reported (unreachable broker, unknown topic, …); the
  /// consumer goes on and retries by itself.
  public var errors = 0
  /// The last of them.
  public var lastError: String?
  /// Messages in the consumer's partitions not done yet: the newest offset the brokers reported
  /// minus the next offset to do, summed over partitions. Nil when unknown (no partitions yet).
  public var lag: Int64?
  /// Partitions the group gives this consumer now.
  public var assignedPartitions = 0
  /// Times the group changed this consumer's partitions.
  public var rebalances = 0
  /// Whether fetching is paused now, by `pause()` or because `maxPending` messages are out.
  public var paused = false

  public init() {}
}

extension ProducerCounts {
  /// The counts in the Prometheus text format, metrics `sovren_stream_…`.
  public func prometheusText(labels: [String: String] = [:]) -> String {
    var text = PrometheusText(labels: labels)
    text.metric("sovren_stream_produced_total", "counter", "Messages accepted for sending.", produced)
    text.metric("sovren_stream_delivered_total", "counter", "Messages acknowledged.", delivered)
    text.metric(
      "sovren_stream_purged_total", "counter",
      "Messages dropped unsent, oldest first: buffer full or older than the grace period.", purged)
    text.metric("sovren_stream_failed_total", "counter", "Messages refused for good.", failed)
    text.metric("sovren_stream_buffered_messages", "gauge", "Messages waiting for delivery now.", buffered)
    text.metric("sovren_stream_buffered_bytes", "gauge", "Bytes of the messages waiting now.", bufferedBytes)
    return text.text
  }
}

extension ConsumerCounts {
  /// The counts in the Prometheus text format, metrics `sovren_stream_consumer_…`. The lag is
  /// left out while unknown.
  public func prometheusText(labels: [String: String] = [:]) -> String {
    var text = PrometheusText(labels: labels)
    text.metric("sovren_stream_consumer_received_total", "counter", "Messages handed out.", received)
    text.metric("sovren_stream_consumer_done_total", "counter", "Messages marked done.", done)
    text.metric(
      "sovren_stream_consumer_errors_total", "counter", "Errors reported by the brokers or the client.", errors)
    if let lag {
      text.metric(
        "sovren_stream_consumer_lag_messages", "gauge", "Messages in the consumer's partitions not done.", lag)
    }
    text.metric(
      "sovren_stream_consumer_assigned_partitions", "gauge", "Partitions assigned to the consumer.", assignedPartitions)
    text.metric(
      "sovren_stream_consumer_rebalances_total", "counter", "Assignments received from the group.", rebalances)
    text.metric("sovren_stream_consumer_paused", "gauge", "1 while fetching is paused.", paused ? 1 : 0)
    return text.text
  }
}
