import ArgumentParser
import Capture
import Foundation
import Interception
import SovrenModel
import SovrenProto

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
    let interceptor = try Interceptor(configuration: configuration, linkType: linkType) { pair in
      sink.write(pair)
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
    let elapsed = ContinuousClock.now - started
    let summary = CaptureSummary(statistics: interceptor.statistics, elapsed: elapsed, warning: warning)
    FileHandle.standardError.write(Data(summary.text.utf8))
    if let metrics {
      let text = interceptor.statistics.prometheusText(labels: ["source": configuration.interface])
      do {
        try text.write(toFile: metrics, atomically: true, encoding: .utf8)
      } catch {
        throw ValidationError("cannot write metrics to '\(metrics)': \(error.localizedDescription)")
      }
    }
  }
}
