import Foundation
import Streaming
import Synchronization
import TestSupport
import Testing

/// The producer and the consumer against librdkafka's mock cluster, over real loopback TCP.
@Suite("Kafka round trips", .timeLimit(.minutes(2))) struct KafkaRoundTripTests {
  /// Many messages through four partitions and a consumer group of two: every message arrives
  /// once, each consumer takes part, and the producer counts every one delivered.
  @Test func everyMessageArrivesOnceThroughAGroupOfTwo() async throws {
    let cluster = try KafkaMockCluster(brokers: 3)
    try cluster.createTopic("pairs", partitions: 4)
    let count = 3_000
    let group = "digger"
    let first = try testConsumer(cluster.bootstrapServers, group: group)
    let second = try testConsumer(cluster.bootstrapServers, group: group)
    // Nothing is produced before the group has settled: a rebalance after a message was taken
    // and before it was committed would hand it to the other member again.
    try await waitUntil(timeout: .seconds(60), "both consumers to have partitions") {
      first.assignedPartitions > 0 && second.assignedPartitions > 0
        && first.assignedPartitions + second.assignedPartitions == 4
    }

    let producer = try KafkaProducer(.init(bootstrapServers: cluster.bootstrapServers, topic: "pairs"))
    for index in 0..<count {
      try producer.send(key: Array("endpoint-\(index % 40)".utf8), value: Array("pair \(index)".utf8))
    }
    #expect(await producer.flush(within: .seconds(30)) == 0)
    let counts = producer.counts
    #expect(counts.produced == count && counts.delivered == count && counts.failed == 0 && counts.buffered == 0)

    let tally = Tally()
    try await withThrowingTaskGroup(of: Void.self) { tasks in
      for (index, consumer) in [first, second].enumerated() {
        tasks.addTask {
          for await message in consumer.messages {
            tally.received.withLock { $0[String(decoding: message.value, as: UTF8.self), default: 0] += 1 }
            tally.perConsumer.withLock { $0[index] += 1 }
            consumer.done(message)
            if tally.received.withLock({ $0.count }) == count { break }
          }
        }
      }
      tasks.addTask {
        try await waitUntil(timeout: .seconds(60), "all messages") { tally.received.withLock { $0.count } == count }
      }
      try await tasks.next()
      tasks.cancelAll()
    }
    // Nothing more arrives after everything did: no duplicates from the group.
    try await Task.sleep(for: .milliseconds(500))
    let seen = tally.received.withLock { $0 }
    #expect(seen.count == count)
    #expect(seen.values.allSatisfy { $0 == 1 })
    #expect(Set(seen.keys) == Set((0..<count).map { "pair \($0)" }))
    #expect(tally.perConsumer.withLock { $0.allSatisfy { $0 > 0 } })
    await first.close()
    await second.close()
    #expect(await producer.close(within: .seconds(5)) == 0)
  }

  /// `kcat`, an outside client, reads what the producer wrote: the same messages, keys and all.
  @Test func kcatReadsWhatWasProduced() async throws {
    let cluster = try KafkaMockCluster(brokers: 1)
    try cluster.createTopic("pairs", partitions: 2)
    let producer = try KafkaProducer(.init(bootstrapServers: cluster.bootstrapServers, topic: "pairs"))
    let count = 200
    for index in 0..<count { try producer.send(key: Array("k\(index)".utf8), value: Array("v\(index)".utf8)) }
    #expect(await producer.close(within: .seconds(30)) == 0)

    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kcat-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let kcat = try ChildProcess.launch(
      "/usr/bin/kcat",
      ["-C", "-b", cluster.bootstrapServers, "-t", "pairs", "-o", "beginning", "-e", "-q", "-f", "%k=%s\n"],
      stdout: directory + "/out", stderr: directory + "/err")
    #expect(try await kcat.waitForExit(timeout: .seconds(60)) == 0, "\(kcat.stderr)")
    let lines = kcat.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == count)
    #expect(Set(lines) == Set((0..<count).map { "k\($0)=v\($0)" }))
  }

  /// Messages near the producer's 4 MiB limit (a pair with two large bodies) go through whole,
  /// past Kafka's 1 MiB defaults for a fetch.
  @Test func largeMessagesGoThroughWhole() async throws {
    let cluster = try KafkaMockCluster(brokers: 1)
    try cluster.createTopic("pairs", partitions: 1)
    let producer = try KafkaProducer(.init(bootstrapServers: cluster.bootstrapServers, topic: "pairs"))
    let sizes = [3 << 20, 1 << 20, (4 << 20) - 16]
    let values = sizes.enumerated().map { index, size in
      (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }
    }
    for value in values { try producer.send(key: Array("big".utf8), value: value) }
    #expect(await producer.close(within: .seconds(30)) == 0)
    #expect(producer.counts.delivered == 3)

    let consumer = try testConsumer(cluster.bootstrapServers, group: "g")
    var received: [[UInt8]] = []
    for await message in consumer.messages {
      received.append(message.value)
      consumer.done(message)
      if received.count == 3 { break }
    }
    await consumer.close()
    #expect(received == values)
  }

  /// A message the caller took and did not mark done is read again by the group once its
  /// consumer leaves: at least once.
  @Test func whatWasNotDoneIsReadAgainByTheGroup() async throws {
    let cluster = try KafkaMockCluster(brokers: 1)
    try cluster.createTopic("pairs", partitions: 1)
    let producer = try KafkaProducer(.init(bootstrapServers: cluster.bootstrapServers, topic: "pairs"))
    for index in 0..<10 { try producer.send(key: nil, value: Array("m\(index)".utf8)) }
    #expect(await producer.close(within: .seconds(30)) == 0)

    let first = try testConsumer(cluster.bootstrapServers, group: "g")
    var taken: [String] = []
    for await message in first.messages {
      taken.append(String(decoding: message.value, as: UTF8.self))
      // The first four are done; the fifth is taken and dropped, as by a digger that died.
      if taken.count <= 4 { first.done(message) }
      if taken.count == 5 { break }
    }
    await first.close()
    #expect(taken == (0..<5).map { "m\($0)" })

    let second = try testConsumer(cluster.bootstrapServers, group: "g")
    let again = await readValues(from: second) { $0.count == 6 }
    await second.close()
    #expect(again == (4..<10).map { "m\($0)" })
  }
}

/// What the consumers of a test saw, shared between their tasks.
private final class Tally: Sendable {
  let received = Mutex([String: Int]())
  let perConsumer = Mutex([0, 0])
}
