import Streaming

/// A consumer for tests: the mock cluster's group waits out the session of a member that left
/// before it rebalances, so the session is short.
func testConsumer(_ bootstrapServers: String, topic: String = "pairs", group: String) throws -> KafkaConsumer {
  var configuration = KafkaConsumerConfiguration(bootstrapServers: bootstrapServers, topic: topic, group: group)
  configuration.sessionTimeout = .seconds(3)
  return try KafkaConsumer(configuration)
}

/// The values of `consumer`'s next messages as text, each marked done, up to and including the
/// one `isLast` accepts (given the values so far).
func readValues(from consumer: any MessageConsumer, until isLast: ([String]) -> Bool) async -> [String] {
  var values: [String] = []
  for await message in consumer.messages {
    values.append(String(decoding: message.value, as: UTF8.self))
    consumer.done(message)
    if isLast(values) { break }
  }
  return values
}
