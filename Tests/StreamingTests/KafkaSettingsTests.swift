import Streaming
import Testing

/// Users' own librdkafka settings (TLS, SASL): applied, named in errors, secrets never shown.
@Suite("Kafka settings") struct KafkaSettingsTests {
  /// A bad setting of the user's is refused with its name and value; a secret's value is not shown.
  @Test func badSettingsAreNamedAndSecretsHidden() {
    var producer = KafkaProducerConfiguration(bootstrapServers: "127.0.0.1:1", topic: "pairs")
    producer.clientProperties = ["linger.ms": "soon"]
    let lingerError = #expect(throws: KafkaError.self) { _ = try KafkaProducer(producer) }
    #expect(lingerError?.description.contains("linger.ms=soon") == true, "\(String(describing: lingerError))")

    var consumer = KafkaConsumerConfiguration(bootstrapServers: "127.0.0.1:1", topic: "pairs", group: "g")
    consumer.clientProperties = ["sasl.password.typo": "hunter2"]
    let secretError = #expect(throws: KafkaError.self) { _ = try KafkaConsumer(consumer) }
    let text = secretError?.description ?? ""
    #expect(text.contains("sasl.password.typo") && !text.contains("hunter2"), "\(text)")
  }

  /// The user's settings come last, so they win over Sovren's: a producer told to accept only
  /// 1,000-byte messages fails a larger one with librdkafka's own error, counted.
  @Test func theUsersSettingsWin() async throws {
    let cluster = try KafkaMockCluster(brokers: 1)
    try cluster.createTopic("pairs", partitions: 1)
    var configuration = KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers, topic: "pairs")
    configuration.clientProperties = ["message.max.bytes": "1000"]
    let producer = try KafkaProducer(configuration)
    let reports = producer.deliveryReports(bufferingNewest: 10)
    try producer.send(key: nil, value: [UInt8](repeating: 1, count: 5000))
    try producer.send(key: nil, value: [UInt8](repeating: 1, count: 10))
    #expect(await producer.close(within: .seconds(20)) == 1)
    let counts = producer.counts
    #expect(counts.failed == 1 && counts.delivered == 1)
    var failures: [String] = []
    for await report in reports {
      if case .failed(let reason) = report.outcome { failures.append(reason) }
    }
    #expect(failures.count == 1)
    #expect(failures.first?.lowercased().contains("too large") == true, "\(failures)")
  }
}
