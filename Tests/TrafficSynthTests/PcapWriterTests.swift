import Foundation
import SovrenModel
import Testing

@testable import TrafficSynth

@Suite("PcapWriter")
struct PcapWriterTests {
  @Test("writes the classic header in host order with the link type and snap length")
  func header() throws {
    let dir = try ExternalTool.temporaryDirectory()
    let path = dir.appendingPathComponent("h.pcap").path
    let writer = try PcapWriter(path: path, linkType: .linuxSLL2, snapLength: 1_234)
    try writer.close()
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    #expect(bytes.count == 24)
    func word(_ at: Int) -> UInt32 { bytes[at..<at + 4].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) } }
    #expect(word(0) == 0xa1b2_c3d4)
    #expect(word(16) == 1_234)
    #expect(word(20) == 276)
  }

  @Test("cuts packets to the snap length and records the original length")
  func truncation() throws {
    let dir = try ExternalTool.temporaryDirectory()
    let path = dir.appendingPathComponent("t.pcap").path
    let writer = try PcapWriter(path: path, linkType: .raw, snapLength: 40)
    let packet = PacketBuilder.ipv4(
      source: .v4(10, 0, 0, 1), destination: .v4(10, 0, 0, 2), protocolNumber: 17, identification: 1,
      payload: [UInt8](repeating: 0xab, count: 60)[...])
    try writer.write(time: PacketTime(nanoseconds: 1_700_000_000_123_456_000), bytes: packet)
    try writer.close()
    let lines = try ExternalTool.tshark(
      path, filter: "frame", fields: ["frame.cap_len", "frame.len", "frame.time_epoch"])
    #expect(lines.count == 1)
    let fields = lines.first?.split(separator: "\t").map(String.init) ?? []
    #expect(fields.first == "40")
    #expect(fields.dropFirst().first == "80")
    #expect(fields.last?.hasPrefix("1700000000.123456") == true)
  }

  @Test("nanosecond files keep sub-microsecond times")
  func nanoseconds() throws {
    let dir = try ExternalTool.temporaryDirectory()
    let path = dir.appendingPathComponent("n.pcap").path
    let writer = try PcapWriter(path: path, linkType: .raw, precision: .nanoseconds)
    let packet = PacketBuilder.ipv4(
      source: .v4(10, 0, 0, 1), destination: .v4(10, 0, 0, 2), protocolNumber: 17, identification: 1,
      payload: [1, 2, 3][...])
    try writer.write(time: PacketTime(nanoseconds: 1_700_000_000_000_000_789), bytes: packet)
    try writer.close()
    let lines = try ExternalTool.tshark(path, filter: "frame", fields: ["frame.time_epoch"])
    #expect(lines.first?.hasPrefix("1700000000.000000789") == true)
  }

  @Test("refuses a time before the epoch and writes after close")
  func errors() throws {
    let dir = try ExternalTool.temporaryDirectory()
    let writer = try PcapWriter(path: dir.appendingPathComponent("e.pcap").path, linkType: .raw)
    #expect(throws: SynthError.timeBeforeEpoch(nanoseconds: -1)) {
      try writer.write(time: PacketTime(nanoseconds: -1), bytes: [0x45])
    }
    try writer.close()
    #expect(throws: SynthError.self) { try writer.write(time: PacketTime(nanoseconds: 0), bytes: [0x45]) }
    #expect(throws: SynthError.self) { try PcapWriter(path: "/nonexistent-dir/x.pcap", linkType: .raw) }
  }
}
