import Streaming
import Testing

/// Creating the pair topic before producing.
@Suite("Kafka admin", .timeLimit(.minutes(1))) struct KafkaAdminTests {
  // Creating a topic is not tested here: librdkafka 2.0's mock cluster names no controller, so
  // it answers CreateTopics with "Failed while waiting for controller" after the timeout. What is
  // tested: an existing topic is found without asking for its creation, and a topic the brokers
  // neither have nor create is an error naming the brokers and the topic.

  /// A topic that exists is left alone, and quickly: no CreateTopics request is made (the mock
  /// would answer it only at the timeout, with an error).
  @Test func anExistingTopicIsFound() async throws {
    let cluster = try KafkaMockCluster(brokers: 1)
    try cluster.createTopic("pairs", partitions: 3)
    let error = await ensure(cluster.bootstrapServers, "pairs", timeout: .seconds(20))
    #expect(error == nil)
  }

  /// The brokers do not know the topic and cannot create it: the error says so and names both.
  @Test func aTopicThatCannotBeCreatedIsNamedInTheError() async throws {
    let cluster = try KafkaMockCluster(brokers: 1)
    try cluster.createTopic("absent", partitions: 1)
    cluster.setTopicError("absent", code: 3)
    let message = try #require(await ensure(cluster.bootstrapServers, "absent", timeout: .seconds(2))).description
    #expect(message.contains(cluster.bootstrapServers) && message.contains("topic absent"), "\(message)")
    #expect(message.contains("cannot create the topic") || message.contains("no answer"), "\(message)")
  }

  /// No broker at the address: the error names the brokers and the topic.
  @Test func unreachableBrokersAreNamedInTheError() async throws {
    let message = try #require(await ensure("127.0.0.1:1", "pairs", timeout: .seconds(2))).description
    #expect(message.contains("127.0.0.1:1") && message.contains("pairs"))
  }

  /// `ensureTopic`'s error, nil when it succeeded; off the cooperative threads, as it blocks.
  private func ensure(_ brokers: String, _ topic: String, timeout: Duration) async -> KafkaError? {
    await Task.detached { () -> KafkaError? in
      do throws(KafkaError) {
        try KafkaAdmin.ensureTopic(bootstrapServers: brokers, topic: topic, partitions: 1, timeout: timeout)
        return nil
      } catch {
        return error
      }
    }.value
  }
}
