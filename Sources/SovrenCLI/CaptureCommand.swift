import ArgumentParser
import Capture
import Foundation
import Interception
import SovrenModel
import SovrenProto
import Streaming

/// `sovren capture`: HTTP pairs out of a pcap file, one canonical-JSON HttpPair per line.
struct CaptureCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "capture",
    abstract: "Extract HTTP request/response pairs from a pcap file.",
    discussion: """
      Writes one pair per line as the canonical protobuf JSON of sovren.v1.HttpPair (bodies \
      decoded, base64) and a summary to standard error: packets, bytes, pairs kept, drops by \
      reason, elapsed time and throughput.
      """)

  @Option(name: .long, help: "The pcap or pcapng file to read; - for standard input.")
  var pcap: String

  @Option(name: .long, help: "Where to write the pairs (default: standard output).")
  var output: String?

  @OptionGroup var limits: InterceptorOptions

  @Flag(name: .long, help: "Print only the summary, not the pairs.")
  var summaryOnly = false

  @Option(
    name: .long, help: "Pair format: json (canonical protobuf JSON, one a line) or text (one readable line each).")
  var format: PairFormat = .json

  @Option(name: .long, help: "Also write the counters in Prometheus text format to this file.")
  var metrics: String?

  @Option(
    name: .long,
    help:
      "Send the pairs to these Kafka brokers (HOST:PORT[,…]) instead of printing them: protobuf HttpPair, keyed by server endpoint."
  )
  var kafka: String?

  @Option(name: .long, help: "The Kafka topic for --kafka.")
  var topic = defaultPairTopic

  @Option(name: .long, help: "With --kafka: how long to wait for the brokers to take the last pairs, in seconds.")
  var kafkaDeadline = 30

  func run() throws {
    var configuration = try limits.configuration()
    if configuration.interface.isEmpty {
      configuration.interface = pcap == "-" ? "stdin" : URL(fileURLWithPath: pcap).lastPathComponent
    }
    let handle: PcapHandle
    do {
      handle = try PcapHandle(offlineFile: pcap)
    } catch {
      throw ValidationError(error.description)
    }
    guard let linkType = LinkType(dlt: handle.linkType) else {
      throw ValidationError(
        "capture '\(pcap)' has link type \(handle.linkType), which Sovren does not decode (supported: Ethernet with VLAN tags, Linux cooked v1/v2, raw IP, BSD/OpenBSD loopback)"
      )
    }
    let sink: PairWriter
    do {
      sink = try PairWriter(path: output, format: format, discard: summaryOnly, lineBuffered: pcap == "-")
    } catch {
      throw ValidationError("cannot write '\(output ?? "-")': \(error)")
    }
    var producer: KafkaPairSink?
    if let kafka {
      bootstrapLogging(level: .warning)
      do {
        producer = try KafkaPairSink(bootstrapServers: kafka, topic: topic)
      } catch {
        throw ValidationError(error.description)
      }
    }
    let interceptor = try Interceptor(configuration: configuration, linkType: linkType) { pair in
      if let producer { producer.send(pair) } else { sink.write(pair) }
    }
    let started = ContinuousClock.now
    var warning: String?
    do {
      _ = try handle.readPackets { header, bytes in
        interceptor.process(
          packet: bytes, originalLength: header.originalLength,
          time: PacketTime(nanoseconds: header.timestampNanoseconds))
        return true
      }
    } catch let error as CaptureError {
      if case .truncatedFile = error { warning = error.description } else { throw ValidationError(error.description) }
    }
    interceptor.finish()
    try sink.close()
    let undelivered = producer?.close(within: .seconds(kafkaDeadline))
    let elapsed = ContinuousClock.now - started
    let summary = CaptureSummary(statistics: interceptor.statistics, elapsed: elapsed, warning: warning)
    FileHandle.standardError.write(Data(summary.text.utf8))
    if let producer {
      let counts = producer.counts
      let refused = producer.refused > 0 ? ", \(producer.refused) too large to send" : ""
      let reason = counts.lastFailure.map { " (last failure: \($0))" } ?? ""
      FileHandle.standardError.write(
        Data(
          "kafka: \(counts.produced) pairs produced to \(topic), \(counts.delivered) delivered, \(counts.purged) purged, \(counts.failed) failed\(reason)\(refused)\n"
            .utf8))
    }
    if let metrics {
      var text = interceptor.statistics.prometheusText(labels: ["source": configuration.interface])
      if let producer { text += producer.counts.prometheusText(labels: ["topic": topic]) }
      do {
        try text.write(toFile: metrics, atomically: true, encoding: .utf8)
      } catch {
        throw ValidationError("cannot write metrics to '\(metrics)': \(error.localizedDescription)")
      }
    }
    if let undelivered, undelivered > 0 { throw ExitCode(1) }
  }
}

/// Pairs to Kafka as the design's contract has them: the protobuf `sovren.v1.HttpPair` of each,
/// keyed by its server endpoint (one endpoint's pairs on one partition, in order).
final class KafkaPairSink {
  private let producer: KafkaProducer
  /// Pairs larger than the producer's message limit: not sent, counted here.
  private(set) var refused = 0

  init(bootstrapServers: String, topic: String) throws(KafkaError) {
    producer = try KafkaProducer(.init(bootstrapServers: bootstrapServers, topic: topic))
  }

  func send(_ pair: HTTPPair) {
    do {
      let value: [UInt8] = try Sovren_V1_HttpPair(pair).serializedBytes()
      try producer.send(key: Array(pair.server.description.utf8), value: value)
    } catch {
      refused += 1
      if refused == 1 { FileHandle.standardError.write(Data("kafka: pair not sent: \(error)\n".utf8)) }
    }
  }

  var counts: ProducerCounts { producer.counts }

  /// Waits for the brokers to take what is buffered; answers how many pairs were not delivered
  /// (refused ones included).
  func close(within deadline: Duration) -> Int { producer.closeWaiting(within: deadline) + refused }
}
