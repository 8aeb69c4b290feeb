import Foundation
import Testing

@testable import TrafficSynth

@Suite("Traffic mix")
struct TrafficMixTests {
  @Test("a small mix is deterministic, adds up, and tshark sees every exchange")
  func smallMix() throws {
    let dir = try ExternalTool.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let mix = TrafficMix(seed: 7, targetBytes: 3_000_000, concurrentConnections: 40, serverCount: 12)
    let first = dir.appendingPathComponent("a.pcap").path
    let second = dir.appendingPathComponent("b.pcap").path
    let summary = try mix.write(to: first)
    #expect(try mix.write(to: second) == summary)
    #expect(try Data(contentsOf: URL(fileURLWithPath: first)) == Data(contentsOf: URL(fileURLWithPath: second)))

    #expect(summary.bytes >= 3_000_000)
    #expect(summary.ambiguousPairs == 0)
    #expect(summary.keptPairs + summary.droppedPairs.values.reduce(0, +) == summary.exchanges)
    for reason in ["content_type", "excluded_path", "kube_probe", "status"] {
      #expect((summary.droppedPairs[reason] ?? 0) > 0, "no \(reason) in the mix")
    }
    #expect(summary.keptPairs > summary.exchanges / 2)

    let output = try ExternalTool.run(
      "tshark",
      [
        "-r", first, "-Y", "http.request", "-T", "fields", "-e", "http.request.method", "-E", "occurrence=a", "-E",
        "aggregator=|",
      ])
    let requests = output.stdout.split(separator: "\n").flatMap { $0.split(separator: "|") }
    #expect(UInt64(requests.count) == summary.exchanges)
    let count = try ExternalTool.run("tcpdump", ["-nn", "-r", first])
    #expect(UInt64(count.stdout.split(separator: "\n").count) == summary.packets)
  }
}
