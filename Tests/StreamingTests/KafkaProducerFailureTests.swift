import Streaming
import TestSupport
import Testing

/// The producer when Kafka does not answer: bounded, counted, and resuming by itself.
@Suite("Kafka producer failures", .timeLimit(.minutes(2))) struct KafkaProducerFailureTests {
  /// No broker listens: past the grace period every message is given up and counted, and the
  /// buffer refuses what does not fit meanwhile.
  @Test func noBrokerMeansCountedFailuresAndABoundedBuffer() async throws {
    var configuration = KafkaProducerConfiguration(bootstrapServers: "127.0.0.1:1", topic: "pairs")
    configuration.bufferMessages = 5
    configuration.gracePeriod = .seconds(1)
    let producer = try KafkaProducer(configuration)
    for index in 0..<5 { try producer.send(key: nil, value: Array("m\(index)".utf8)) }
    #expect(throws: KafkaProducer.SendError.bufferFull) { try producer.send(key: nil, value: Array("m5".utf8)) }
    #expect(producer.counts.buffered == 5)
    try await waitUntil(timeout: .seconds(30), "the five to be given up") { producer.counts.failed == 5 }
    let counts = producer.counts
    #expect(counts.produced == 5 && counts.delivered == 0 && counts.buffered == 0)
    // Room again once they are given up.
    try producer.send(key: nil, value: Array("m6".utf8))
    #expect(await producer.close(within: .seconds(5)) == 6)
  }

  /// The broker is down for less than the grace period: nothing is lost, delivery resumes by
  /// itself when it is back.
  @Test func aShortOutageLosesNothing() async throws {
    let cluster = try KafkaMockCluster(brokers: 1)
    try cluster.createTopic("pairs", partitions: 2)
    var configuration = KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers, topic: "pairs")
    configuration.gracePeriod = .seconds(30)
    let producer = try KafkaProducer(configuration)
    try producer.send(key: nil, value: Array("before".utf8))
    try await waitUntil(timeout: .seconds(30), "the first delivery") { producer.counts.delivered == 1 }

    cluster.setBroker(1, up: false)
    for index in 0..<100 { try producer.send(key: Array("k\(index % 7)".utf8), value: Array("m\(index)".utf8)) }
    try await Task.sleep(for: .seconds(1))
    #expect(producer.counts.delivered == 1)
    #expect(producer.counts.buffered == 100)
    cluster.setBroker(1, up: true)
    #expect(await producer.flush(within: .seconds(25)) == 0)
    let counts = producer.counts
    #expect(counts.produced == 101 && counts.delivered == 101 && counts.failed == 0)
    #expect(await producer.close(within: .seconds(5)) == 0)
  }
}
