import Capture
import Foundation
import Testing
import TrafficSynth

@Suite("libpcap handle")
struct PcapHandleTests {
  @Test(
    "reads every packet of a file with its time, lengths and link type",
    arguments: ["linux-cooked-v2", "nanosecond-timestamps", "snaplen-truncated", "raw-ip"])
  func readsScenario(name: String) throws {
    let scenario = try #require(Scenarios.named(name))
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("capture-\(UUID()).pcap").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try scenario.write(to: path)

    let handle = try PcapHandle(offlineFile: path)
    #expect(handle.linkType == Int32(scenario.linkType == .raw ? 12 : scenario.linkType.rawValue))
    var index = 0
    let count = try handle.readPackets { header, bytes in
      let expected = scenario.packets[index]
      #expect(Array(bytes) == expected.bytes)
      #expect(header.originalLength == expected.originalLength)
      // Microsecond files keep microseconds; the handle reports nanoseconds either way.
      let wanted = expected.time.nanoseconds
      #expect(abs(header.timestampNanoseconds - wanted) < (scenario.precision == .nanoseconds ? 1 : 1_000))
      index += 1
      return true
    }
    #expect(count.packets == UInt64(scenario.packets.count))
    #expect(index == scenario.packets.count)
  }

  @Test("the reader stops when asked")
  func stopsEarly() throws {
    let scenario = try #require(Scenarios.named("keepalive-interleaved"))
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("capture-\(UUID()).pcap").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try scenario.write(to: path)
    let handle = try PcapHandle(offlineFile: path)
    var seen = 0
    let count = try handle.readPackets { _, _ in
      seen += 1
      return seen < 5
    }
    #expect(seen == 5)
    #expect(count.packets == 5)
  }
}
