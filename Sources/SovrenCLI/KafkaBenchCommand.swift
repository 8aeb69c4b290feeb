import ArgumentParser
import Foundation
import SovrenModel
import Streaming

/// `sovren kafka-bench`: the Kafka transport's speed and memory (`hack/bench-kafka`).
struct KafkaBenchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kafka-bench",
    abstract: "Measure producing and consuming pairs through Kafka, or the producer's memory with its buffer full.",
    shouldDisplay: false)

  @Option(name: .long, help: "Kafka brokers; without it, the producer's memory is measured against no broker.")
  var kafka: String?

  @Option(name: .long, help: "The topic.")
  var topic = "sovren-bench"

  @Option(name: .long, help: "Messages to produce and consume.")
  var messages = 200_000

  @Option(name: .long, help: "Bytes a message.")
  var size = 2048

  @Option(name: .long, help: "The producer's buffer bound in bytes (memory mode).")
  var bufferBytes = 64 << 20

  func run() async throws {
    bootstrapLogging(level: .error)
    let value = [UInt8](repeating: UInt8(ascii: "p"), count: size)
    let keys = (0..<64).map { Array("10.0.0.\($0):8080".utf8) }
    guard let kafka else {
      // Memory: no broker answers; twice the bound is sent, so the buffer is full and purging.
      var configuration = KafkaProducerConfiguration(bootstrapServers: "127.0.0.1:1", topic: topic)
      configuration.bufferBytes = bufferBytes
      configuration.bufferMessages = 10_000_000
      let producer = try KafkaProducer(configuration)
      let before = Self.residentMiB()
      for index in 0..<(2 * bufferBytes / size) {
        // A pair of its own bytes each, as captured pairs are (a shared array would be counted once).
        var own = value
        own[0] = UInt8(truncatingIfNeeded: index)
        try producer.send(key: keys[index % keys.count], value: own)
      }
      let counts = producer.counts
      print(
        "memory: bound \(bufferBytes >> 20) MiB; buffered \(counts.buffered) pairs, \(counts.bufferedBytes >> 20) MiB; purged \(counts.purged); RSS before \(before) MiB, now \(Self.residentMiB()) MiB, peak \(Self.peakMiB()) MiB"
      )
      _ = await producer.close(within: .milliseconds(100))
      return
    }
    let producer = try KafkaProducer(.init(bootstrapServers: kafka, topic: topic))
    var clock = Usage()
    for index in 0..<messages {
      // Paced as captured traffic would be when it is faster than the brokers: the producer never
      // waits, so a sender that outruns them would only measure purging.
      if index % 1_000 == 0 {
        while producer.counts.buffered > 20_000 { try await Task.sleep(for: .milliseconds(1)) }
      }
      var own = value
      own[0] = UInt8(truncatingIfNeeded: index)
      try producer.send(key: keys[index % keys.count], value: own)
    }
    let left = await producer.flush(within: .seconds(120))
    let produced = clock.lap()
    let counts = producer.counts
    print(
      Self.line("produce", messages: counts.delivered, size: size, produced)
        + " (left \(left), purged \(counts.purged))")
    _ = await producer.close(within: .seconds(5))

    var consumerConfiguration = KafkaConsumerConfiguration(bootstrapServers: kafka, topic: topic, group: "bench")
    consumerConfiguration.sessionTimeout = .seconds(6)
    let consumer = try KafkaConsumer(consumerConfiguration)
    _ = clock.lap()
    var consumed = 0
    var bytes = 0
    for await message in consumer.messages {
      bytes += message.value.count
      consumer.done(message)
      consumed += 1
      if consumed == counts.delivered { break }
    }
    let reading = clock.lap()
    print(Self.line("consume", messages: consumed, size: bytes / max(1, consumed), reading) + " (group join included)")
    await consumer.close()
    print("peak RSS \(Self.peakMiB()) MiB")
  }

  static func line(_ what: String, messages: Int, size: Int, _ lap: (wall: Double, cpu: Double)) -> String {
    let megabytes = Double(messages * size) / 1e6
    return String(
      format:
        "%@: %d pairs of %d bytes in %.2f s wall, %.2f s CPU: %.0f pairs/s and %.1f MB/s per core of CPU (%.0f pairs/s wall)",
      what, messages, size, lap.wall, lap.cpu, Double(messages) / lap.cpu, megabytes / lap.cpu,
      Double(messages) / lap.wall)
  }

  /// A line of /proc/self/status, in MiB.
  static func status(_ field: String) -> Int {
    let text = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = text.split(separator: "\n").first { $0.hasPrefix(field + ":") } ?? ""
    return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
  }

  static func residentMiB() -> Int { status("VmRSS") }
  static func peakMiB() -> Int { status("VmHWM") }

  /// Wall and CPU time (this process, every thread) between laps.
  struct Usage {
    var wall = ContinuousClock.now
    var cpu = Usage.cpuSeconds()

    static func cpuSeconds() -> Double {
      var usage = rusage()
      getrusage(RUSAGE_SELF.rawValue, &usage)
      let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
      return user + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    mutating func lap() -> (wall: Double, cpu: Double) {
      let now = ContinuousClock.now
      let cpuNow = Usage.cpuSeconds()
      let elapsed = now - wall
      defer {
        wall = now
        cpu = cpuNow
      }
      return (Double(elapsed.nanosecondCount) / 1e9, cpuNow - cpu)
    }
  }
}
