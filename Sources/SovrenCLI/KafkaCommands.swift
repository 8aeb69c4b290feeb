import ArgumentParser
import Dispatch
import Foundation
import SovrenModel
import SovrenProto
import Streaming

/// The topic pairs go to unless told otherwise (the design's, and the SovrenSensor's default).
let defaultPairTopic = "sovren.pairs"

/// `sovren kafka-mock`: librdkafka's mock cluster as a development broker.
struct KafkaMockCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kafka-mock",
    abstract: "Run librdkafka's in-process mock Kafka cluster as a development broker.",
    discussion: """
      Prints "bootstrap: HOST:PORT[,…]" on standard output once the brokers listen, then runs \
      until SIGINT or SIGTERM. Each broker listens on a loopback port of its own, chosen by the \
      system; with --port, 127.0.0.1:PORT forwards to the first broker and is the one bootstrap \
      address printed (clients learn the brokers' own addresses from it). For tests and laptops: \
      loopback only, and topics and offsets live in memory only.
      """)

  @Option(name: .long, help: "How many brokers.")
  var brokers = 1

  @Option(name: .long, help: "A fixed loopback port for clients to bootstrap from (0: any free port).")
  var port: Int?

  @Option(name: .long, help: "Create this topic at start (others are created on first use).")
  var topic = defaultPairTopic

  @Option(name: .long, help: "Partitions of --topic.")
  var partitions = 4

  func validate() throws {
    guard (1...16).contains(brokers) else { throw ValidationError("--brokers must be from 1 to 16, not \(brokers)") }
    guard (1...1024).contains(partitions) else {
      throw ValidationError("--partitions must be from 1 to 1024, not \(partitions)")
    }
    if let port, !(0...65535).contains(port) { throw ValidationError("--port must be from 0 to 65535, not \(port)") }
  }

  func run() throws {
    bootstrapLogging(level: .warning)
    // Taken before the brokers start, so a signal sent as soon as the address is out is not lost.
    var signals = sigset_t()
    sigemptyset(&signals)
    sigaddset(&signals, SIGINT)
    sigaddset(&signals, SIGTERM)
    pthread_sigmask(SIG_BLOCK, &signals, nil)
    let cluster: KafkaMockCluster
    var relay: TCPRelay?
    do {
      cluster = try KafkaMockCluster(brokers: brokers)
      try cluster.createTopic(topic, partitions: partitions)
      if let port { relay = try cluster.bootstrapRelay(port: port) }
    } catch {
      throw ValidationError(error.description)
    }
    let bootstrap = relay.map { "127.0.0.1:\($0.port)" } ?? cluster.bootstrapServers
    FileHandle.standardOutput.write(Data("bootstrap: \(bootstrap)\n".utf8))
    var received: Int32 = 0
    sigwait(&signals, &received)
    relay?.stop()
    withExtendedLifetime(cluster) {}
  }
}

/// `sovren consume`: pairs from Kafka as JSON Lines.
struct ConsumeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "consume",
    abstract: "Print the pairs a Kafka topic holds, one a line, as a member of a consumer group.",
    discussion: """
      Each message is a protobuf sovren.v1.HttpPair (as `sovren capture --kafka` sends them) and \
      is written as one line of its canonical JSON, the same as `sovren capture` prints. A message \
      that is not a pair is skipped and counted. A message's offset is committed once its line is \
      written, so a consumer that stops early leaves the rest to the next member of the group. \
      Stops after --max-messages, or on SIGINT or SIGTERM; then a summary goes to standard error.
      """)

  @Option(name: .long, help: "Kafka brokers, HOST:PORT[,HOST:PORT…].")
  var kafka: String

  @Option(name: .long, help: "The topic.")
  var topic = defaultPairTopic

  @Option(name: .long, help: "The consumer group.")
  var group = "sovren-consume"

  @Option(name: .long, help: "Stop after this many messages.")
  var maxMessages: Int?

  @Option(name: .long, help: "Seconds the group waits for a consumer that stopped without leaving.")
  var sessionTimeout = 45

  func validate() throws {
    if let maxMessages, maxMessages < 1 { throw ValidationError("--max-messages must be at least 1") }
    guard (1...3600).contains(sessionTimeout) else {
      throw ValidationError("--session-timeout must be from 1 to 3600 seconds, not \(sessionTimeout)")
    }
    guard !kafka.isEmpty else { throw ValidationError("--kafka needs HOST:PORT") }
  }

  func run() async throws {
    bootstrapLogging(level: .warning)
    let consumer: KafkaConsumer
    do {
      var configuration = KafkaConsumerConfiguration(bootstrapServers: kafka, topic: topic, group: group)
      configuration.sessionTimeout = .seconds(sessionTimeout)
      consumer = try KafkaConsumer(configuration)
    } catch {
      throw ValidationError(error.description)
    }
    let stop = SignalStop()
    stop.onSignal { Task { await consumer.close() } }
    // Line-buffered: each line is out before its message is marked done.
    let output = try PairWriter(path: nil, discard: false, lineBuffered: true)
    var skipped = 0
    for await message in consumer.messages {
      do {
        output.write(try HTTPPair(Sovren_V1_HttpPair(serializedBytes: message.value)))
      } catch {
        skipped += 1
        if skipped <= 10 {
          FileHandle.standardError.write(
            Data(
              "consume: \(message.topic)[\(message.partition)] offset \(message.offset) is not a pair: \(error)\n".utf8)
          )
        }
      }
      // A line not written is not done: the group reads it again.
      guard !output.hasFailed else { break }
      consumer.done(message)
      if let maxMessages, Int(output.written) + skipped >= maxMessages { break }
    }
    let counts = consumer.counts
    await consumer.close()
    let errors = counts.errors == 0 ? "" : ", \(counts.errors) errors (last: \(counts.lastError ?? ""))"
    FileHandle.standardError.write(
      Data(
        "consume: \(output.written) pairs written, \(skipped) messages that are not pairs skipped\(errors)\n".utf8))
    withExtendedLifetime(stop) {}
    try output.close()
  }
}

/// Runs a handler on the first SIGINT or SIGTERM, instead of the default exit.
final class SignalStop: @unchecked Sendable {
  private var sources: [DispatchSourceSignal] = []

  func onSignal(_ handler: @escaping @Sendable () -> Void) {
    for number in [SIGINT, SIGTERM] {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler(handler: handler)
      source.resume()
      sources.append(source)
    }
  }
}
