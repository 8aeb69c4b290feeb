import Streaming
import Testing

/// Creating the pair topic before producing.
@Suite("Kafka admin", .timeLimit(.minutes(1))) struct KafkaAdminTests {
  // Creating a topic is not tested here: librdkafka 2.0's mock cluster names no controller, so
  // it answers CreateTopics with "Failed while waiting for controller" after the timeout.

  /// No broker at the address: the error names the brokers and the topic.
  @Test func unreachableBrokersAreNamedInTheError() async throws {
    let error = await Task.detached { () -> KafkaError? in
      do throws(KafkaError) {
        try KafkaAdmin.ensureTopic(
          bootstrapServers: "127.0.0.1:1", topic: "pairs", partitions: 1, timeout: .seconds(2))
        return nil
      } catch {
        return error
      }
    }.value
    let message = try #require(error).description
    #expect(message.contains("127.0.0.1:1") && message.contains("pairs"))
  }
}
