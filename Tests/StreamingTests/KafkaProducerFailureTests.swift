import Streaming
import TestSupport
import Testing

/// The producer when Kafka does not answer: bounded, counted, oldest first, and resuming by
/// itself.
@Suite("Kafka producer failures", .timeLimit(.minutes(2))) struct KafkaProducerFailureTests {
  /// No broker listens: a full buffer drops its oldest for each new message, and past the grace
  /// period every message left is dropped too; each one counted, none delivered.
  @Test func noBrokerMeansEveryMessageIsPurgedAndCounted() async throws {
    var configuration = KafkaProducerConfiguration(bootstrapServers: "127.0.0.1:1", topic: "pairs")
    configuration.bufferMessages = 80
    configuration.gracePeriod = .seconds(1)
    let producer = try KafkaProducer(configuration)
    for index in 0..<200 { try producer.send(key: nil, value: Array("m\(index)".utf8)) }
    let early = producer.counts
    #expect(early.produced == 200)
    #expect(early.buffered <= 80 && early.purged >= 120)
    #expect(early.buffered + early.purged == 200)
    try await waitUntil(timeout: .seconds(30), "every message to be purged") { producer.counts.purged == 200 }
    let counts = producer.counts
    #expect(counts.delivered == 0 && counts.failed == 0 && counts.buffered == 0 && counts.bufferedBytes == 0)
    #expect(await producer.close(within: .seconds(5)) == 200)
    #expect(throws: SendError.closed) { try producer.send(key: nil, value: [1]) }
  }

  /// The partition has no broker for less than the grace period while more is sent than the
  /// buffer holds: the oldest waiting messages are dropped and counted, the newest survive, and delivery
  /// resumes by itself when the broker is back. What reached the topic is read back: every
  /// message is either there or counted as purged.
  @Test func aFullBufferDropsTheOldestAndDeliveryResumes() async throws {
    let cluster = try KafkaMockCluster(brokers: 1)
    try cluster.createTopic("pairs", partitions: 1)
    var configuration = KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers, topic: "pairs")
    configuration.bufferMessages = 80
    configuration.gracePeriod = .seconds(30)
    let producer = try KafkaProducer(configuration)
    try producer.send(key: nil, value: Array("before".utf8))
    try await waitUntil(timeout: .seconds(30), "the first delivery") { producer.counts.delivered == 1 }

    // No leader for the partition: nothing can be produced to it, as with its broker down.
    try cluster.setLeader(of: "pairs", partition: 0, to: nil)
    for index in 0..<200 { try producer.send(key: nil, value: Array("m\(index)".utf8)) }
    try await Task.sleep(for: .seconds(1))
    let during = producer.counts
    #expect(during.delivered == 1 && during.buffered <= 80 && during.purged >= 120)
    #expect(during.buffered + during.purged == 200)
    try cluster.setLeader(of: "pairs", partition: 0, to: 1)
    #expect(await producer.flush(within: .seconds(25)) == 0)
    let after = producer.counts
    #expect(after.produced == 201 && after.failed == 0 && after.delivered + after.purged == 201)
    #expect(after.purged == during.purged)
    #expect(await producer.close(within: .seconds(5)) == after.purged)

    let consumer = try testConsumer(cluster.bootstrapServers, group: "check")
    let values = await readValues(from: consumer) { $0.count == after.delivered }
    await consumer.close()
    // In order, and the newest survived: the buffer's part (seven eighths of the bound) is an
    // unbroken run up to the last message sent; before it, what librdkafka's queue took first.
    let numbers = values.dropFirst().compactMap { Int($0.dropFirst()) }
    #expect(values.first == "before" && numbers.count == after.delivered - 1)
    #expect(numbers == numbers.sorted())
    #expect(Array(numbers.suffix(60)) == Array(140..<200))
  }

  /// The partitions have no broker for less than the grace period and the buffer holds
  /// everything: nothing is lost.
  @Test func aShortOutageLosesNothing() async throws {
    let cluster = try KafkaMockCluster(brokers: 1)
    try cluster.createTopic("pairs", partitions: 2)
    var configuration = KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers, topic: "pairs")
    configuration.gracePeriod = .seconds(30)
    let producer = try KafkaProducer(configuration)
    try producer.send(key: nil, value: Array("before".utf8))
    try await waitUntil(timeout: .seconds(30), "the first delivery") { producer.counts.delivered == 1 }

    for partition in 0..<2 { try cluster.setLeader(of: "pairs", partition: partition, to: nil) }
    for index in 0..<100 { try producer.send(key: Array("k\(index % 7)".utf8), value: Array("m\(index)".utf8)) }
    try await Task.sleep(for: .seconds(1))
    #expect(producer.counts.delivered == 1)
    #expect(producer.counts.buffered == 100)
    for partition in 0..<2 { try cluster.setLeader(of: "pairs", partition: partition, to: 1) }
    #expect(await producer.flush(within: .seconds(25)) == 0)
    let counts = producer.counts
    #expect(counts.produced == 101 && counts.delivered == 101 && counts.failed == 0 && counts.purged == 0)
    #expect(await producer.close(within: .seconds(5)) == 0)
  }

  /// The broker answers produce requests with retriable errors first: every message is still
  /// delivered, once each (the idempotent producer's retries add no duplicates), in order.
  @Test func retriableRequestErrorsLoseAndRepeatNothing() async throws {
    let cluster = try KafkaMockCluster(brokers: 1)
    try cluster.createTopic("pairs", partitions: 1)
    // Request timed out, not enough replicas, not leader: then the broker accepts.
    cluster.pushRequestErrors(apiKey: 0, codes: [7, 19, 6, 7])
    let producer = try KafkaProducer(.init(bootstrapServers: cluster.bootstrapServers, topic: "pairs"))
    for index in 0..<50 { try producer.send(key: nil, value: Array("m\(index)".utf8)) }
    #expect(await producer.flush(within: .seconds(30)) == 0)
    let counts = producer.counts
    #expect(counts.produced == 50 && counts.delivered == 50 && counts.failed == 0 && counts.purged == 0)
    #expect(await producer.close(within: .seconds(5)) == 0)

    let consumer = try testConsumer(cluster.bootstrapServers, group: "g")
    let values = await readValues(from: consumer) { $0.count == 50 }
    // Anything after the fifty would be a duplicate.
    let extra = try await first(of: consumer.messages, timeout: .seconds(2))
    await consumer.close()
    #expect(values == (0..<50).map { "m\($0)" })
    #expect(extra == nil)
  }

  /// A long outage with 2 KB messages: the buffered bytes never pass the bound, whatever is sent.
  @Test func bufferedBytesStayWithinTheBound() async throws {
    var configuration = KafkaProducerConfiguration(bootstrapServers: "127.0.0.1:1", topic: "pairs")
    configuration.bufferBytes = 1 << 20
    configuration.gracePeriod = .seconds(60)
    let producer = try KafkaProducer(configuration)
    let value = [UInt8](repeating: 0x61, count: 2048)
    var largest = 0
    for round in 0..<10 {
      for _ in 0..<1_000 { try producer.send(key: Array("k\(round)".utf8), value: value) }
      largest = max(largest, producer.counts.bufferedBytes)
    }
    let counts = producer.counts
    #expect(largest <= 1 << 20)
    #expect(counts.produced == 10_000 && counts.delivered == 0)
    #expect(counts.buffered + counts.purged == 10_000)
    #expect(counts.purged >= 10_000 - (1 << 20) / 2048)
    _ = await producer.close(within: .milliseconds(100))
  }

  /// The partition has no broker for longer than the grace period: what waited past it is
  /// purged, counted, and reported purged; the buffer stays within its bound; when the broker is
  /// back, what is sent next is delivered.
  @Test func aLongOutagePurgesAndDeliveryResumes() async throws {
    let cluster = try KafkaMockCluster(brokers: 1)
    try cluster.createTopic("pairs", partitions: 1)
    var configuration = KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers, topic: "pairs")
    configuration.gracePeriod = .seconds(2)
    configuration.bufferBytes = 256 << 10
    let producer = try KafkaProducer(configuration)
    let reports = producer.deliveryReports(bufferingNewest: 10_000)
    try producer.send(key: nil, value: Array("before".utf8))
    try await waitUntil(timeout: .seconds(30), "the first delivery") { producer.counts.delivered == 1 }

    try cluster.setLeader(of: "pairs", partition: 0, to: nil)
    let value = [UInt8](repeating: 0x62, count: 1024)
    var largest = 0
    for _ in 0..<1_000 {
      try producer.send(key: nil, value: value)
      largest = max(largest, producer.counts.bufferedBytes)
    }
    try await waitUntil(timeout: .seconds(30), "the outage's messages to be purged") {
      producer.counts.purged == 1_000
    }
    #expect(largest <= 256 << 10)
    #expect(producer.counts.buffered == 0 && producer.counts.bufferedBytes == 0)

    try cluster.setLeader(of: "pairs", partition: 0, to: 1)
    let after = try producer.send(key: nil, value: Array("after".utf8))
    #expect(await producer.flush(within: .seconds(25)) == 0)
    let counts = producer.counts
    #expect(counts.produced == 1_002 && counts.delivered == 2 && counts.purged == 1_000 && counts.failed == 0)
    #expect(await producer.close(within: .seconds(5)) == 1_000)

    // One report per message, ids in the order sent; purged oldest first.
    var outcomes: [UInt64: DeliveryReport.Outcome] = [:]
    var purgedOrder: [UInt64] = []
    for await report in reports {
      outcomes[report.id] = report.outcome
      if report.outcome == .purged { purgedOrder.append(report.id) }
    }
    #expect(outcomes.count == 1_002)
    #expect(outcomes[1] == .delivered(partition: 0, offset: 0))
    #expect(outcomes[after] == .delivered(partition: 0, offset: 1))
    #expect(Set(purgedOrder) == Set(2...1_001))
    // Those pushed out of the full buffer as more came are the oldest waiting, in order (give or
    // take the one the producer's thread was handing to librdkafka at that moment); librdkafka's
    // own share goes at the grace period.
    let early = Array(purgedOrder.prefix(500))
    #expect(zip(early, early.dropFirst()).allSatisfy { $1 + 2 > $0 }, "\(early)")
    #expect(early.max() ?? 0 < 600)
  }

  /// A topic the brokers say does not exist: after the configured wait every message fails, is
  /// counted and reported failed, none is purged or delivered.
  @Test func aMissingTopicFailsEveryMessage() async throws {
    let cluster = try KafkaMockCluster(brokers: 1)
    try cluster.createTopic("missing", partitions: 1)
    cluster.setTopicError("missing", code: 3)
    var configuration = KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers, topic: "missing")
    configuration.unknownTopicWait = .seconds(1)
    let producer = try KafkaProducer(configuration)
    let reports = producer.deliveryReports(bufferingNewest: 100)
    for index in 0..<20 { try producer.send(key: nil, value: Array("m\(index)".utf8)) }
    try await waitUntil(timeout: .seconds(30), "every message to fail") { producer.counts.failed == 20 }
    let counts = producer.counts
    #expect(counts.delivered == 0 && counts.purged == 0 && counts.buffered == 0)
    #expect(counts.lastFailure?.lowercased().contains("unknown topic") == true)
    #expect(await producer.close(within: .seconds(5)) == 20)
    var failures: [String] = []
    for await report in reports {
      if case .failed(let reason) = report.outcome { failures.append(reason) }
    }
    #expect(failures.count == 20)
    #expect(failures.allSatisfy { $0.lowercased().contains("unknown topic") }, "\(failures.first ?? "")")
  }

  /// A message over the producer's message limit is refused at once, and nothing is counted.
  @Test func anOversizedMessageIsRefused() async throws {
    var configuration = KafkaProducerConfiguration(bootstrapServers: "127.0.0.1:1", topic: "pairs")
    configuration.maxMessageBytes = 1000
    let producer = try KafkaProducer(configuration)
    #expect(throws: SendError.tooLarge(bytes: 1001, limit: 1000)) {
      try producer.send(key: [1], value: [UInt8](repeating: 0, count: 1000))
    }
    try producer.send(key: nil, value: [UInt8](repeating: 0, count: 1000))
    #expect(producer.counts.produced == 1)
    _ = await producer.close(within: .milliseconds(10))
  }
}
