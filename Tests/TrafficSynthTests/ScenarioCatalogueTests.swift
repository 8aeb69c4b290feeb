import Foundation
import SovrenModel
import Testing

@testable import TrafficSynth

/// The catalogue checked against itself and against tcpdump and tshark, which know nothing of
/// how the files were made.
@Suite("Scenario catalogue")
struct ScenarioCatalogueTests {
  static let scenarios = Scenarios.all
  static let names = scenarios.map(\.name)
  static let cleanNames = scenarios.filter(\.isCleanCapture).map(\.name)
  static let directory: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("traffic-synth-catalogue-\(getpid())")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }()

  /// Writes the scenario once per test process and returns its path.
  static func file(_ name: String) throws -> (Scenario, String) {
    let scenario = try #require(scenarios.first { $0.name == name })
    let path = directory.appendingPathComponent("\(name).pcap").path
    if !FileManager.default.fileExists(atPath: path) { try scenario.write(to: path) }
    return (scenario, path)
  }

  /// Ports the scenarios use that Wireshark does not dissect as HTTP by default.
  static let decodeAs = ["-d", "tcp.port==8081,http", "-d", "tcp.port==9000,http"]

  @Test("names are unique and no builder found an ambiguous or broken expectation")
  func catalogueIsConsistent() {
    #expect(Set(Self.names).count == Self.names.count)
    let problems = Scenarios.builders.flatMap(\.problems)
    #expect(problems.isEmpty, "\(problems)")
    #expect(Self.scenarios.count >= 50)
  }

  @Test("every drop reason a capture can produce is exercised somewhere")
  func coverage() {
    let reasons = Set(Self.scenarios.flatMap { $0.expectedDrops.keys })
    let required: [DropReason] = [
      .truncatedPacket, .ipFragment, .streamGap, .notHTTP, .malformedHTTP, .bodyTooLarge, .decodedBodyTooLarge,
      .pairTooLarge, .incompleteMessage, .responseTimeout, .unansweredRequest, .unmatchedResponse, .contentType,
      .kubeProbe, .sovrenRequest, .status, .excludedPath,
    ]
    for reason in required { #expect(reasons.contains(reason), "no scenario expects \(reason.label)") }
    let links = Set(Self.scenarios.map(\.linkType))
    #expect(links == Set(LinkType.allCases))
  }

  @Test("expected pairs carry no node or interface and are ordered by response time")
  func pairsAreWellFormed() {
    for scenario in Self.scenarios {
      for pair in scenario.expectedPairs {
        #expect(pair.node.isEmpty && pair.interface.isEmpty)
        #expect(pair.requestTime <= pair.responseTime, "\(scenario.name)")
      }
      let times = scenario.expectedPairs.map(\.responseTime)
      #expect(times == times.sorted(), "\(scenario.name)")
      #expect(
        scenario.packets.map(\.time) == scenario.packets.map(\.time).sorted(),
        "\(scenario.name) packets out of time order")
    }
  }

  @Test("generating is deterministic")
  func deterministic() {
    let again = Scenarios.all
    for (a, b) in zip(Self.scenarios, again) {
      #expect(a.packets == b.packets, "\(a.name)")
      #expect(a.expectedPairs == b.expectedPairs, "\(a.name)")
    }
  }

  @Test("tcpdump reads every packet without complaint", arguments: names)
  func tcpdumpReads(name: String) throws {
    let (scenario, path) = try Self.file(name)
    let output = try ExternalTool.run("tcpdump", ["-nn", "-r", path])
    #expect(output.status == 0)
    let complaints = output.stderr.split(separator: "\n").filter {
      !$0.hasPrefix("reading from file") && !$0.contains("interface names might be incorrect")
    }
    #expect(complaints.isEmpty, "\(complaints)")
    let lines = output.stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") && !$0.hasPrefix("\t") }
    #expect(lines.count == scenario.packets.count)
    if scenario.packets.allSatisfy({ !$0.isTruncated }) {
      #expect(
        !output.stdout.contains("[|tcp]") && !output.stdout.contains("[|ip"),
        "tcpdump found a truncated header in \(name)")
    }
  }

  @Test("tshark lists the same requests and responses as the ground truth", arguments: cleanNames)
  func tsharkAgrees(name: String) throws {
    let (scenario, path) = try Self.file(name)
    let requestLines = try tshark(path, filter: "http.request", fields: ["http.request.method", "http.request.uri"])
    var requests: [String] = []
    for line in requestLines {
      let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
      guard columns.count == 2 else { continue }
      for (method, uri) in zip(columns[0].split(separator: "|"), columns[1].split(separator: "|")) {
        requests.append("\(method) \(uri)")
      }
    }
    let expectedRequests = scenario.sentExchanges.map { "\($0.method) \($0.target)" }
    #expect(requests.sorted() == expectedRequests.sorted())

    let statusLines = try tshark(path, filter: "http.response", fields: ["http.response.code"])
    let statuses = statusLines.flatMap { $0.split(separator: "|").compactMap { Int($0) } }
    let expectedStatuses = scenario.sentExchanges.flatMap { $0.interimStatuses + [$0.status] }
    #expect(statuses.sorted() == expectedStatuses.sorted())
  }

  /// Wireshark 4.0 does not unfold obs-fold header lines, so it misplaces the body there.
  static let bodyCheckNames = cleanNames.filter { $0 != "header-forms" }

  @Test("tshark decodes the same bodies (de-chunked, decompressed)", arguments: bodyCheckNames)
  func tsharkBodies(name: String) throws {
    let (scenario, path) = try Self.file(name)
    let lines = try tshark(path, filter: "http", fields: ["http.file_data"])
    let seen = Set(lines.flatMap { $0.split(separator: "|").map(String.init) })
    func printable(_ body: [UInt8]) -> String? {
      guard !body.isEmpty,
        body.allSatisfy({ $0 >= 0x20 && $0 < 0x7f && $0 != UInt8(ascii: "|") && $0 != UInt8(ascii: "\\") })
      else { return nil }
      return String(decoding: body, as: UTF8.self)
    }
    let expected = scenario.sentExchanges.flatMap { [printable($0.requestBody), printable($0.responseBody)] }.compactMap
    { $0 }
    #expect(!expected.isEmpty || scenario.sentExchanges.isEmpty)
    for body in expected { #expect(seen.contains(body), "tshark did not decode \(body.prefix(60))… in \(name)") }
  }

  @Test("checksums marked correct verify in tshark, offloaded ones do not", arguments: names)
  func checksums(name: String) throws {
    let (scenario, path) = try Self.file(name)
    let bad = try tshark(
      path, filter: "tcp.checksum.status == \"Bad\" || ip.checksum.status == \"Bad\"", fields: ["frame.number"],
      options: ["tcp.check_checksum:TRUE", "ip.check_checksum:TRUE"])
    if scenario.checksumsAreCorrect {
      #expect(bad.isEmpty, "bad checksums in frames \(bad.prefix(5))")
    } else {
      #expect(!bad.isEmpty)
    }
  }

  @Test("tshark counts the fragments and truncated packets the drops expect")
  func fragmentsAndTruncation() throws {
    let (fragments, fragmentPath) = try Self.file("ip-fragments")
    let fragmentFrames = try tshark(
      fragmentPath, filter: "ip.flags.mf == 1 || ip.frag_offset > 0 || ipv6.fragment || ipv6.nxt == 44",
      fields: ["frame.number"],
      options: ["ip.defragment:FALSE", "ipv6.defragment:FALSE"])
    #expect(fragments.expectedCount(for: .ipFragment) == .exactly(UInt64(fragmentFrames.count)))

    let (truncated, truncatedPath) = try Self.file("snaplen-truncated")
    // The TCP header ends where the payload starts: frame length minus TCP payload length
    // (tshark takes both from the IP header, not from the bytes captured).
    let rows = try tshark(
      truncatedPath, filter: "frame.cap_len < frame.len", fields: ["frame.cap_len", "frame.len", "tcp.len"])
    var cutInHeader = 0
    var cutInPayload = 0
    for row in rows {
      let values = row.split(separator: "\t").compactMap { Int($0) }
      guard values.count == 3 else { continue }
      if values[0] < values[1] - values[2] { cutInHeader += 1 } else { cutInPayload += 1 }
    }
    #expect(truncated.expectedCount(for: .truncatedPacket) == .exactly(UInt64(cutInHeader)))
    #expect(cutInPayload > 0)
  }

  @Test("sequence numbers really wrap in the wraparound scenario")
  func wraparound() throws {
    let (_, path) = try Self.file("tcp-sequence-wraparound")
    let sequences = try tshark(path, filter: "tcp.len > 0", fields: ["tcp.seq_raw"]).compactMap { UInt32($0) }
    #expect(sequences.contains { $0 > 0xF000_0000 })
    #expect(sequences.contains { $0 < 0x1000_0000 })
  }

  @Test("link headers decode as the scenario says: VLAN ids, cooked headers, loopback families")
  func linkHeaders() throws {
    let (_, qinq) = try Self.file("vlan-qinq")
    let tags = try tshark(qinq, filter: "http.request", fields: ["ieee8021ad.id", "vlan.id"])
    #expect(!tags.isEmpty && tags.allSatisfy { $0 == "200\t100" })
    let (_, sll2) = try Self.file("linux-cooked-v2")
    let interfaces = try tshark(sll2, filter: "http.request", fields: ["sll.ifindex"])
    #expect(!interfaces.isEmpty && interfaces.allSatisfy { $0 == "7" })
    let (_, null) = try Self.file("null-loopback")
    let families = Set(try tshark(null, filter: "http.request", fields: ["null.family"]))
    #expect(families == ["2", "24", "28", "30"])
  }

  private func tshark(_ path: String, filter: String, fields: [String], options: [String] = []) throws -> [String] {
    var arguments =
      ["-r", path, "-Y", filter, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|"] + Self.decodeAs
    for option in options { arguments += ["-o", option] }
    for field in fields { arguments += ["-e", field] }
    let output = try ExternalTool.run("tshark", arguments)
    #expect(output.status == 0, "\(output.stderr)")
    return output.stdout.split(separator: "\n").map(String.init)
  }
}
