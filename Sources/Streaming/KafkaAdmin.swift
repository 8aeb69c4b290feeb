import CRdKafka

/// Topic administration: what a sensor needs before it produces.
public enum KafkaAdmin {
  /// Creates `topic` with `partitions` partitions, `retention` and room for messages of
  /// `maxMessageBytes`, unless it exists (an existing topic is left as it is). Throws an error
  /// naming the brokers and the topic when the brokers cannot be reached within `timeout`, or
  /// refuse. `clientProperties`: librdkafka settings of your own (TLS, SASL), as the producer's.
  /// Blocks the calling thread: call it off Swift's cooperative threads.
  public static func ensureTopic(
    bootstrapServers: String, topic: String, partitions: Int, replicationFactor: Int = 1,
    retention: Duration = .seconds(24 * 3600), maxMessageBytes: Int = 4 << 20, timeout: Duration = .seconds(30),
    clientProperties: [String: String] = [:]
  ) throws(KafkaError) {
    let context = "Kafka at \(bootstrapServers), topic \(topic)"
    let settings = try KafkaConfigurationBuilder.make(
      commonProperties(bootstrapServers: bootstrapServers) + [("allow.auto.create.topics", "false")]
        + userProperties(clientProperties))
    let handle = try KafkaConfigurationBuilder.client(RD_KAFKA_PRODUCER, settings)
    defer { rd_kafka_destroy(handle) }
    if try exists(topic, handle, timeout: timeout, context: context) { return }
    var reason = [CChar](repeating: 0, count: 512)
    guard
      let newTopic = rd_kafka_NewTopic_new(topic, Int32(partitions), Int32(replicationFactor), &reason, reason.count)
    else {
      throw KafkaError(
        "\(context): \(KafkaError.text(of: reason))")
    }
    defer { rd_kafka_NewTopic_destroy(newTopic) }
    _ = rd_kafka_NewTopic_set_config(newTopic, "retention.ms", String(retention.milliseconds))
    _ = rd_kafka_NewTopic_set_config(newTopic, "max.message.bytes", String(maxMessageBytes + 64 * 1024))
    let options = rd_kafka_AdminOptions_new(handle, RD_KAFKA_ADMIN_OP_CREATETOPICS)
    defer { rd_kafka_AdminOptions_destroy(options) }
    _ = rd_kafka_AdminOptions_set_request_timeout(options, Int32(clamping: timeout.milliseconds), &reason, reason.count)
    _ = rd_kafka_AdminOptions_set_operation_timeout(
      options, Int32(clamping: timeout.milliseconds), &reason, reason.count)
    let queue = rd_kafka_queue_new(handle)
    defer { rd_kafka_queue_destroy(queue) }
    var topics: [OpaquePointer?] = [newTopic]
    rd_kafka_CreateTopics(handle, &topics, 1, options, queue)
    // The answer, or nothing by the deadline (and a little more, for librdkafka's own timeout).
    guard let event = rd_kafka_queue_poll(queue, Int32(clamping: timeout.milliseconds + 1000)) else {
      throw KafkaError("\(context): no answer within \(timeout)")
    }
    defer { rd_kafka_event_destroy(event) }
    let code = rd_kafka_event_error(event)
    guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
      throw KafkaError("\(context): cannot create the topic: \(String(cString: rd_kafka_event_error_string(event)))")
    }
    guard let result = rd_kafka_event_CreateTopics_result(event) else {
      throw KafkaError("\(context): unexpected answer to CreateTopics")
    }
    var count = 0
    guard let answers = rd_kafka_CreateTopics_result_topics(result, &count), count > 0, let answer = answers[0] else {
      throw KafkaError("\(context): empty answer to CreateTopics")
    }
    let topicCode = rd_kafka_topic_result_error(answer)
    guard topicCode == RD_KAFKA_RESP_ERR_NO_ERROR || topicCode == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS else {
      let text =
        rd_kafka_topic_result_error_string(answer).map { String(cString: $0) } ?? KafkaError.text(of: topicCode)
      throw KafkaError("\(context): cannot create the topic: \(text)")
    }
  }

  /// Whether the brokers know `topic`, by a metadata request for it alone.
  private static func exists(
    _ topic: String, _ handle: OpaquePointer, timeout: Duration, context: String
  ) throws(KafkaError) -> Bool {
    guard let topicHandle = rd_kafka_topic_new(handle, topic, nil) else {
      throw KafkaError("\(context): \(KafkaError.text(of: rd_kafka_last_error()))")
    }
    defer { rd_kafka_topic_destroy(topicHandle) }
    var metadata: UnsafePointer<rd_kafka_metadata>?
    let code = rd_kafka_metadata(handle, 0, topicHandle, &metadata, Int32(clamping: timeout.milliseconds))
    guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
      throw KafkaError("\(context): cannot reach the brokers: \(KafkaError.text(of: code))")
    }
    defer { rd_kafka_metadata_destroy(metadata) }
    let topics = UnsafeBufferPointer(start: metadata.pointee.topics, count: Int(metadata.pointee.topic_cnt))
    guard let answer = topics.first(where: { String(cString: $0.topic) == topic }) else { return false }
    switch answer.err {
    case RD_KAFKA_RESP_ERR_NO_ERROR: return answer.partition_cnt > 0
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART: return false
    default: throw KafkaError("\(context): \(KafkaError.text(of: answer.err))")
    }
  }
}
