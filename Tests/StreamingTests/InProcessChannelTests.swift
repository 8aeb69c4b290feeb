import Streaming
import TestSupport
import Testing

/// The in-process channel that stands in for Kafka in embedded mode: the same promise behind the
/// same interfaces.
@Suite("In-process channel", .timeLimit(.minutes(1))) struct InProcessChannelTests {
  /// Messages sent come out in order, each reported delivered; closing ends the stream after the
  /// last one.
  @Test func messagesArriveInOrderAndCloseEndsTheStream() async throws {
    let channel = InProcessChannel(maxMessages: 1_000)
    let producer: any MessageProducer = channel.producer
    let consumer: any MessageConsumer = channel.consumer
    let reports = producer.deliveryReports(bufferingNewest: 1_000)
    let reader = Task {
      var values: [String] = []
      for await message in consumer.messages {
        values.append(String(decoding: message.value, as: UTF8.self))
        consumer.done(message)
      }
      return values
    }
    for index in 0..<500 { try producer.send(key: Array("k".utf8), value: Array("m\(index)".utf8)) }
    #expect(await producer.close(within: .seconds(10)) == 0)
    #expect(await reader.value == (0..<500).map { "m\($0)" })
    #expect(throws: SendError.closed) { try producer.send(key: nil, value: [1]) }
    let counts = producer.counts
    #expect(counts.produced == 500 && counts.delivered == 500 && counts.purged == 0 && counts.buffered == 0)
    #expect(consumer.counts.received == 500 && consumer.counts.done == 500)
    var delivered: [UInt64] = []
    for await report in reports {
      if case .delivered(_, let offset) = report.outcome, Int64(report.id) - 1 == offset { delivered.append(report.id) }
    }
    #expect(delivered == Array(1...500))
  }

  /// Nobody reads: the channel keeps the newest within its bounds, drops the oldest and counts
  /// them; the reader then gets the newest, in order.
  @Test func aFullChannelDropsTheOldest() async throws {
    let channel = InProcessChannel(maxMessages: 100, maxBytes: 1 << 20)
    for index in 0..<250 { try channel.producer.send(key: nil, value: Array("m\(index)".utf8)) }
    let counts = channel.producer.counts
    #expect(counts.produced == 250 && counts.buffered == 100 && counts.purged == 150)
    #expect(channel.consumer.counts.lag == 100)
    var values: [String] = []
    for await message in channel.consumer.messages {
      values.append(String(decoding: message.value, as: UTF8.self))
      if values.count == 100 { break }
    }
    #expect(values == (150..<250).map { "m\($0)" })
    // Bytes bound: 10 KB messages in a 64 KB channel.
    let small = InProcessChannel(maxMessages: 1_000, maxBytes: 64 << 10)
    for _ in 0..<50 { try small.producer.send(key: nil, value: [UInt8](repeating: 1, count: 10_000)) }
    #expect(small.producer.counts.bufferedBytes <= 64 << 10 && small.producer.counts.buffered == 6)
    #expect(throws: SendError.tooLarge(bytes: 70_000, limit: 64 << 10)) {
      try small.producer.send(key: nil, value: [UInt8](repeating: 1, count: 70_000))
    }
  }

  /// With a grace period, what waited past it is dropped and counted before the reader sees it.
  @Test func messagesOlderThanTheGracePeriodArePurged() async throws {
    let channel = InProcessChannel(gracePeriod: .milliseconds(200))
    for index in 0..<10 { try channel.producer.send(key: nil, value: Array("old\(index)".utf8)) }
    try await Task.sleep(for: .milliseconds(400))
    try channel.producer.send(key: nil, value: Array("new".utf8))
    var iterator = channel.consumer.messages.makeAsyncIterator()
    let first = try #require(await iterator.next())
    #expect(String(decoding: first.value, as: UTF8.self) == "new")
    #expect(channel.producer.counts.purged == 10 && channel.producer.counts.delivered == 1)
  }

  /// Paused, the reader gets nothing (the messages wait); resumed, it gets them. A reading task
  /// cancelled while it waits ends its stream.
  @Test func pauseResumeAndCancellation() async throws {
    let channel = InProcessChannel()
    channel.consumer.pause()
    try channel.producer.send(key: nil, value: Array("m".utf8))
    let reader = Task { () -> String? in
      var iterator = channel.consumer.messages.makeAsyncIterator()
      return await iterator.next().map { String(decoding: $0.value, as: UTF8.self) }
    }
    try await Task.sleep(for: .milliseconds(300))
    #expect(channel.consumer.counts.received == 0 && channel.consumer.counts.paused)
    channel.consumer.resume()
    #expect(await reader.value == "m")

    let waiting = Task { () -> Bool in
      var iterator = channel.consumer.messages.makeAsyncIterator()
      return await iterator.next() == nil
    }
    try await Task.sleep(for: .milliseconds(200))
    waiting.cancel()
    #expect(await waiting.value)
  }
}
