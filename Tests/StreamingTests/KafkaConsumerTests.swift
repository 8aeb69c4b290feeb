import Streaming
import Synchronization
import TestSupport
import Testing

/// The consumer's backpressure, errors, lag and rebalances against the mock cluster.
@Suite("Kafka consumer", .timeLimit(.minutes(2))) struct KafkaConsumerTests {
  /// A topic that does not exist: the consumer counts the brokers' error, names it, and goes on;
  /// once the topic exists and holds messages, they arrive.
  @Test func aMissingTopicIsReportedAndWaitedFor() async throws {
    let cluster = try KafkaMockCluster(brokers: 1)
    // The mock makes any topic asked for; it answers "unknown topic or partition" (3) for this
    // one until told otherwise, as a broker that does not create topics does.
    try cluster.createTopic("later", partitions: 1)
    cluster.setTopicError("later", code: 3)
    let consumer = try testConsumer(cluster.bootstrapServers, topic: "later", group: "g")
    try await waitUntil(timeout: .seconds(30), "the unknown topic to be reported") { consumer.counts.errors > 0 }
    let counts = consumer.counts
    let error = try #require(counts.lastError)
    #expect(error.contains("later") && error.lowercased().contains("unknown topic"), "\(error)")
    #expect(counts.received == 0 && counts.assignedPartitions == 0)

    cluster.setTopicError("later", code: 0)
    try await produce((0..<3).map { "m\($0)" }, to: "later", cluster)
    let values = await readValues(from: consumer) { $0.count == 3 }
    await consumer.close()
    #expect(values == ["m0", "m1", "m2"])
  }

  /// At most `maxPending` messages are out until some are done; the consumer pauses meanwhile and
  /// resumes when half are done. The lag counts what is not done.
  @Test func pendingMessagesAreBoundedAndTheLagCounted() async throws {
    let cluster = try KafkaMockCluster(brokers: 1)
    try cluster.createTopic("pairs", partitions: 1)
    try await produce((0..<100).map { "m\($0)" }, to: "pairs", cluster)
    var configuration = KafkaConsumerConfiguration(
      bootstrapServers: cluster.bootstrapServers, topic: "pairs", group: "g")
    configuration.sessionTimeout = .seconds(3)
    configuration.maxPending = 10
    let consumer = try KafkaConsumer(configuration)
    var iterator = consumer.messages.makeAsyncIterator()
    var taken: [StreamMessage] = []
    for _ in 0..<10 { taken.append(try #require(await iterator.next())) }
    try await waitUntil(timeout: .seconds(10), "the consumer to pause") { consumer.counts.paused }
    try await Task.sleep(for: .milliseconds(500))
    #expect(consumer.counts.received == 10)
    #expect(consumer.counts.lag == 100)

    // Four done: still six out, over half the bound, so still paused.
    for message in taken.prefix(4) { consumer.done(message) }
    try await Task.sleep(for: .milliseconds(500))
    #expect(consumer.counts.received == 10 && consumer.counts.paused)
    #expect(consumer.counts.lag == 96)
    // One more: five out, half the bound: fetching resumes.
    consumer.done(taken[4])
    for _ in 0..<5 { taken.append(try #require(await iterator.next())) }
    #expect(taken.map(\.offset) == Array(0..<15))
    for message in taken.dropFirst(5) { consumer.done(message) }
    try await waitUntil(timeout: .seconds(10), "the lag to follow") { consumer.counts.lag == 85 }
    let counts = consumer.counts
    #expect(counts.received == 15 && counts.done == 15 && counts.pending == 0 && counts.errors == 0)
    await consumer.close()
  }

  /// `pause` stops new messages, the group keeping the consumer's partitions; `resume` brings the
  /// rest.
  @Test func pauseAndResume() async throws {
    let cluster = try KafkaMockCluster(brokers: 1)
    try cluster.createTopic("pairs", partitions: 2)
    let consumer = try testConsumer(cluster.bootstrapServers, group: "g")
    try await waitUntil(timeout: .seconds(30), "partitions") { consumer.assignedPartitions == 2 }
    consumer.pause()
    try await waitUntil(timeout: .seconds(10), "the pause") { consumer.counts.paused }
    try await produce((0..<20).map { "m\($0)" }, to: "pairs", cluster)
    try await Task.sleep(for: .seconds(1))
    #expect(consumer.counts.received == 0)
    #expect(consumer.assignedPartitions == 2)
    consumer.resume()
    let values = await readValues(from: consumer) { $0.count == 20 }
    await consumer.close()
    #expect(Set(values) == Set((0..<20).map { "m\($0)" }))
  }

  /// Messages done out of order: the commit never passes one not done, so the next member
  /// starts at the first message not done (reading again the ones done after it), never after.
  @Test func theCommitStopsAtTheFirstMessageNotDone() async throws {
    let cluster = try KafkaMockCluster(brokers: 1)
    try cluster.createTopic("pairs", partitions: 1)
    try await produce((0..<5).map { "m\($0)" }, to: "pairs", cluster)
    let first = try testConsumer(cluster.bootstrapServers, group: "g")
    var taken: [StreamMessage] = []
    for await message in first.messages {
      taken.append(message)
      if taken.count == 3 { break }
    }
    first.done(taken[0])
    first.done(taken[2])
    #expect(first.counts.lag == 4)
    await first.close()

    let second = try testConsumer(cluster.bootstrapServers, group: "g")
    let values = await readValues(from: second) { $0.count == 4 }
    await second.close()
    #expect(values == ["m1", "m2", "m3", "m4"])
  }

  /// A rebalance as a second member joins: what was done before is not read again; what was handed
  /// out and not done when the partitions moved is read again by their next owner (at least
  /// once), as is everything produced after. (Exactly how often is up to the group: on a loaded
  /// machine the mock's 3 s sessions can run out and add rebalances.)
  @Test func rebalancesReadAgainOnlyWhatWasNotDone() async throws {
    let cluster = try KafkaMockCluster(brokers: 1)
    try cluster.createTopic("pairs", partitions: 2)
    var configuration = KafkaConsumerConfiguration(
      bootstrapServers: cluster.bootstrapServers, topic: "pairs", group: "g")
    // Longer than the suite's 3 s: a member of this test never dies, and a loaded machine must
    // not make the group think so.
    configuration.sessionTimeout = .seconds(10)
    configuration.revokeGrace = .milliseconds(500)
    let first = try KafkaConsumer(configuration)
    try await waitUntil(timeout: .seconds(30), "the first member's partitions") { first.assignedPartitions == 2 }
    try await produce((0..<10).map { "a\($0)" }, to: "pairs", cluster, keys: 2)
    try await produce((0..<10).map { "b\($0)" }, to: "pairs", cluster, keys: 2)
    // The a's done (and committed in the background), the b's taken and not done.
    var taken: [StreamMessage] = []
    for await message in first.messages {
      if String(decoding: message.value, as: UTF8.self).hasPrefix("a") { first.done(message) }
      taken.append(message)
      if taken.count == 20 { break }
    }
    try await Task.sleep(for: .seconds(1))

    let second = try KafkaConsumer(configuration)
    try await waitUntil(timeout: .seconds(60), "both members to have partitions") {
      first.assignedPartitions == 1 && second.assignedPartitions == 1
    }
    #expect(first.counts.rebalances >= 2 && second.counts.rebalances >= 1)
    try await produce((0..<10).map { "c\($0)" }, to: "pairs", cluster, keys: 2)
    let seen = Values()
    try await withThrowingTaskGroup(of: Void.self) { tasks in
      for consumer in [first, second] {
        tasks.addTask {
          for await message in consumer.messages {
            seen.values.withLock { $0.append(String(decoding: message.value, as: UTF8.self)) }
            consumer.done(message)
          }
        }
      }
      let expected = Set((0..<10).map { "b\($0)" } + (0..<10).map { "c\($0)" })
      try await waitUntil(timeout: .seconds(30), "the b's and c's") {
        seen.values.withLock { Set($0) }.isSuperset(of: expected)
      }
      try await Task.sleep(for: .milliseconds(500))
      await first.close()
      await second.close()
      try await tasks.waitForAll()
    }
    // None of the a's, done before the rebalance, came again.
    #expect(seen.values.withLock { $0.allSatisfy { !$0.hasPrefix("a") } })
  }
}

/// Values seen by several tasks.
private final class Values: Sendable {
  let values = Mutex([String]())
}

/// Sends `values` to `topic` (keys spread over `keys` endpoints) and waits for every delivery.
func produce(_ values: [String], to topic: String, _ cluster: KafkaMockCluster, keys: Int = 1) async throws {
  let producer = try KafkaProducer(.init(bootstrapServers: cluster.bootstrapServers, topic: topic))
  for (index, value) in values.enumerated() {
    try producer.send(key: Array("endpoint-\(index % keys)".utf8), value: Array(value.utf8))
  }
  #expect(await producer.close(within: .seconds(30)) == 0)
}
