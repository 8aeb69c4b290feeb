import Interception
import SovrenModel
import TrafficSynth

/// Builds raw-IP packets for tests that feed the interceptor directly, without a file.
struct RawPackets {
  var client = Endpoint(ip: IPAddress(ipv4: 0x0A00_0001), port: 40_000)
  var server = Endpoint(ip: IPAddress(ipv4: 0x0A00_0002), port: 80)

  func segment(
    from source: Endpoint, to destination: Endpoint, sequence: UInt32, acknowledgment: UInt32 = 0,
    flags: TrafficSynth.TCPFlags, payload: [UInt8] = []
  ) -> [UInt8] {
    let tcp = PacketBuilder.tcpSegment(
      source: source, destination: destination, sequence: sequence, acknowledgment: acknowledgment, flags: flags,
      window: 502, options: [], payload: payload[...], checksum: .zero)
    return PacketBuilder.ipv4(
      source: source.ip, destination: destination.ip, protocolNumber: PacketBuilder.tcpProtocol, identification: 1,
      payload: tcp[...])
  }
}

/// An interceptor on raw IP that collects what it emits.
final class RawInterceptor {
  private final class Collected {
    var pairs: [HTTPPair] = []
  }

  private let collected = Collected()
  let interceptor: Interceptor
  private var clock: Int64 = 1_700_000_000_000_000_000

  init(configuration: InterceptorConfiguration = InterceptorConfiguration()) throws {
    let collected = collected
    interceptor = try Interceptor(configuration: configuration, linkType: .rawIP) { collected.pairs.append($0) }
  }

  var pairs: [HTTPPair] { collected.pairs }

  /// Feeds one packet, `advance` nanoseconds of packet time after the previous one.
  func feed(_ packet: [UInt8], originalLength: Int? = nil, advance: Int64 = 1_000) {
    clock += advance
    packet.withUnsafeBytes {
      interceptor.process(
        packet: $0, originalLength: originalLength ?? packet.count, time: PacketTime(nanoseconds: clock))
    }
  }

  var statistics: InterceptorStatistics { interceptor.statistics }

  func finish() { interceptor.finish() }
}

/// A client/server TCP conversation fed straight into an interceptor, for tests that need
/// exact control over what each side sends.
struct Conversation {
  let packets: RawPackets
  var clientSequence: UInt32 = 1_000
  var serverSequence: UInt32 = 5_000
  let target: RawInterceptor

  init(_ target: RawInterceptor, clientPort: UInt16 = 40_000) {
    self.target = target
    var packets = RawPackets()
    packets.client.port = clientPort
    self.packets = packets
  }

  private var client: Endpoint { packets.client }
  private var server: Endpoint { packets.server }

  mutating func open() {
    target.feed(packets.segment(from: client, to: server, sequence: clientSequence, flags: .syn))
    target.feed(
      packets.segment(
        from: server, to: client, sequence: serverSequence, acknowledgment: clientSequence &+ 1, flags: [.syn, .ack]))
    clientSequence &+= 1
    serverSequence &+= 1
    target.feed(
      packets.segment(
        from: client, to: server, sequence: clientSequence, acknowledgment: serverSequence, flags: .ack))
  }

  /// Sends bytes from the client in segments of `size`.
  mutating func clientSends(_ bytes: [UInt8], segmentSize size: Int = 1_400) {
    send(bytes, fromClient: true, segmentSize: size)
  }

  mutating func serverSends(_ bytes: [UInt8], segmentSize size: Int = 1_400) {
    send(bytes, fromClient: false, segmentSize: size)
  }

  private mutating func send(_ bytes: [UInt8], fromClient: Bool, segmentSize size: Int) {
    var offset = 0
    while offset < bytes.count {
      let end = min(bytes.count, offset + size)
      let payload = Array(bytes[offset..<end])
      let count = UInt32(end - offset)
      if fromClient {
        target.feed(
          packets.segment(
            from: client, to: server, sequence: clientSequence, acknowledgment: serverSequence, flags: [.ack, .psh],
            payload: payload))
        clientSequence &+= count
      } else {
        target.feed(
          packets.segment(
            from: server, to: client, sequence: serverSequence, acknowledgment: clientSequence, flags: [.ack, .psh],
            payload: payload))
        serverSequence &+= count
      }
      offset = end
    }
  }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

func jsonResponse(_ body: String) -> [UInt8] {
  bytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
}
