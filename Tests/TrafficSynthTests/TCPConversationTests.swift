import SovrenModel
import Testing

@testable import TrafficSynth

@Suite("TCP conversations")
struct TCPConversationTests {
  static func conversation(clientISN: UInt32 = 1_000) -> TCPConversation {
    TCPConversation(client: .client(1), server: .server(1), start: .epoch2023, clientISN: clientISN, serverISN: 5_000)
  }

  @Test("sequence numbers wrap past 2^32 and ACKs follow them")
  func wrap() {
    var tcp = Self.conversation(clientISN: 0xFFFF_FFF0)
    tcp.openHandshake()
    tcp.send([UInt8](repeating: 1, count: 100), from: .clientToServer, segmentSize: 40)
    let ack = tcp.acknowledge(from: .serverToClient)
    #expect(tcp.segments[ack].acknowledgment == 0xFFFF_FFF1 &+ 100)
    #expect(tcp.nextSequenceNumber(of: .clientToServer) == 0x0000_0055)
  }

  @Test("a segment dropped from the capture is still acknowledged")
  func captureLoss() {
    var tcp = Self.conversation()
    tcp.openHandshake()
    let range = tcp.send([UInt8](repeating: 2, count: 300), from: .clientToServer, segmentSize: 100)
    tcp.dropFromCapture(range.lowerBound + 1)
    let ack = tcp.acknowledge(from: .serverToClient)
    #expect(tcp.segments[ack].acknowledgment == 1_001 + 300)
    #expect(tcp.renderAll().count == tcp.segments.count - 1)
  }

  @Test("an overlapping retransmission carries the second half of one segment and the first half of the next")
  func overlap() {
    var tcp = Self.conversation()
    let payload = (0..<200).map { UInt8($0) }
    let range = tcp.send(payload, from: .clientToServer, segmentSize: 100)
    tcp.retransmitOverlapping(range.lowerBound, range.lowerBound + 1)
    let overlap = tcp.segments[tcp.segments.count - 1]
    #expect(overlap.sequence == 1_000 + 50)
    #expect(overlap.payload == Array(payload[50..<150]))
  }

  @Test("FIN and SYN each consume one sequence number")
  func finConsumes() {
    var tcp = Self.conversation()
    tcp.openHandshake()
    tcp.send([1, 2, 3], from: .serverToClient, fin: true)
    tcp.close(initiator: .serverToClient)
    #expect(tcp.nextSequenceNumber(of: .serverToClient) == 5_000 + 1 + 3 + 1)
    #expect(tcp.segments.filter { $0.flags.contains(.fin) }.count == 2)
  }

  @Test("IPv4 fragments split the IP payload on an 8-byte boundary")
  func fragments() {
    var tcp = Self.conversation()
    let range = tcp.send([UInt8](repeating: 7, count: 200), from: .clientToServer)
    tcp.duplicateAsIPFragments(range.lowerBound, split: 61)
    let packets = tcp.render(tcp.segments[tcp.segments.count - 1])
    #expect(packets.count == 2)
    // Ethernet (14) + IPv4 (20) + the first 56 bytes of the TCP segment.
    #expect(packets.first?.bytes.count == 14 + 20 + 56)
  }
}
