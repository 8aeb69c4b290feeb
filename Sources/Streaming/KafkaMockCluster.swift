import CRdKafka

/// librdkafka's in-process mock Kafka cluster (`rdkafka_mock.h`): real brokers speaking the Kafka
/// protocol on loopback TCP ports, for tests and as a development broker. Failures are injected
/// through it: partitions without a leader, request errors, topics answered with an error. (Not
/// brokers down and up: bringing one up binds its old port again, and librdkafka 2.0 aborts the
/// process when another socket took that port meanwhile.)
public final class KafkaMockCluster: @unchecked Sendable {
  /// The client handle the cluster lives in; librdkafka's mock API is thread-safe.
  private let handle: OpaquePointer
  private let cluster: OpaquePointer
  /// `host:port` of each broker, comma-separated: what clients are given.
  public let bootstrapServers: String
  public let brokers: Int

  public init(brokers: Int = 3) throws(KafkaError) {
    precondition(brokers >= 1, "a cluster needs a broker")
    let configuration = try KafkaConfigurationBuilder.make([("log_level", "3")])
    handle = try KafkaConfigurationBuilder.client(RD_KAFKA_PRODUCER, configuration)
    guard let cluster = rd_kafka_mock_cluster_new(handle, Int32(brokers)) else {
      rd_kafka_destroy(handle)
      throw KafkaError("librdkafka could not start a mock cluster of \(brokers) brokers")
    }
    self.cluster = cluster
    self.brokers = brokers
    bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
  }

  deinit {
    rd_kafka_mock_cluster_destroy(cluster)
    rd_kafka_destroy(handle)
  }

  /// Creates `topic` with `partitions` partitions (topics are otherwise made on first use with
  /// the cluster's defaults).
  public func createTopic(_ topic: String, partitions: Int, replicationFactor: Int = 1) throws(KafkaError) {
    let code = rd_kafka_mock_topic_create(cluster, topic, Int32(partitions), Int32(replicationFactor))
    guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
      throw KafkaError("mock cluster: cannot create topic \(topic): \(KafkaError.text(of: code))")
    }
  }

  /// Gives `partition` of `topic` to broker `id`, or (nil) to none: with no leader, nothing can be
  /// produced to the partition or fetched from it, as when its broker is down.
  public func setLeader(of topic: String, partition: Int, to id: Int?) throws(KafkaError) {
    let code = rd_kafka_mock_partition_set_leader(cluster, topic, Int32(partition), Int32(id ?? -1))
    guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
      throw KafkaError("mock cluster: cannot set the leader of \(topic)[\(partition)]: \(KafkaError.text(of: code))")
    }
  }

  /// A fixed bootstrap address, 127.0.0.1:`port`, forwarding to the first broker (the brokers
  /// themselves take free ports); it stops when the relay is released or stopped.
  public func bootstrapRelay(port: Int) throws(KafkaError) -> TCPRelay {
    let first = bootstrapServers.split(separator: ",")[0]
    guard let colon = first.lastIndex(of: ":"), let brokerPort = Int(first[first.index(after: colon)...]) else {
      throw KafkaError("mock cluster: unexpected broker address \(first)")
    }
    return try TCPRelay(port: port, targetHost: String(first[..<colon]), targetPort: brokerPort)
  }

  /// Makes the brokers answer every metadata request for `topic` with the Kafka error `code`
  /// (3: unknown topic or partition, as for a topic that does not exist and will not be created);
  /// 0 clears it.
  public func setTopicError(_ topic: String, code: Int32) {
    rd_kafka_mock_topic_set_error(cluster, topic, rd_kafka_resp_err_t(rawValue: code))
  }

  /// Makes the next requests of Kafka API `apiKey` (0 Produce, 1 Fetch, 8 OffsetCommit, …) fail
  /// with the Kafka error `codes` (6 not leader, 7 request timed out, 19 not enough replicas, …),
  /// one request each, in order.
  public func pushRequestErrors(apiKey: Int16, codes: [Int32]) {
    var errors = codes.map { rd_kafka_resp_err_t(rawValue: $0) }
    rd_kafka_mock_push_request_errors_array(cluster, apiKey, errors.count, &errors)
  }
}
