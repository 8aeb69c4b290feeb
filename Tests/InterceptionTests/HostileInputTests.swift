import Capture
import Foundation
import Interception
import SovrenModel
import Testing
import TrafficSynth

/// Input built to hurt: every case ends in a clear error or a counted drop, never a crash, a
/// hang, or memory beyond the configured caps.
@Suite("Hostile input")
struct HostileInputTests {
  @Test("a pcap file cut mid-record yields its complete packets, then a clear error")
  func truncatedFile() throws {
    let scenario = try #require(Scenarios.named("keepalive-interleaved"))
    let path = temporaryPath("truncated.pcap")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try scenario.write(to: path)
    let whole = try Data(contentsOf: URL(fileURLWithPath: path))
    try whole.prefix(whole.count - 37).write(to: URL(fileURLWithPath: path))

    let handle = try PcapHandle(offlineFile: path)
    var delivered = 0
    #expect {
      _ = try handle.readPackets { _, _ in
        delivered += 1
        return true
      }
    } throws: { error in
      guard case CaptureError.truncatedFile(_, let packets, _) = error else { return false }
      return packets == UInt64(scenario.packets.count - 1)
    }
    #expect(delivered == scenario.packets.count - 1)
  }

  @Test("files that are not captures are refused at open with the reason")
  func notACapture() throws {
    let path = temporaryPath("garbage.pcap")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Data("this is not a capture file at all".utf8).write(to: URL(fileURLWithPath: path))
    #expect {
      _ = try PcapHandle(offlineFile: path)
    } throws: { error in
      guard case CaptureError.openFailed(let source, let message) = error else { return false }
      return source == path && !message.isEmpty
    }
    // A header alone, cut short.
    try Data([0xD4, 0xC3, 0xB2, 0xA1, 0x02, 0x00]).write(to: URL(fileURLWithPath: path))
    #expect(throws: CaptureError.self) { _ = try PcapHandle(offlineFile: path) }
    #expect(throws: CaptureError.self) { _ = try PcapHandle(offlineFile: temporaryPath("missing.pcap")) }
  }

  @Test("bogus header lengths are counted, never trusted")
  func bogusLengths() throws {
    let target = try RawInterceptor()
    let packets = RawPackets()
    let good = packets.segment(
      from: packets.client, to: packets.server, sequence: 1, flags: [.ack], payload: bytes("GET / HTTP/1.1\r\n\r\n"))

    var longerThanCaptured = good
    longerThanCaptured[2] = 0xFF  // IPv4 total length far beyond the packet
    longerThanCaptured[3] = 0xFF
    target.feed(longerThanCaptured)

    var shortHeader = good
    shortHeader[0] = 0x43  // IHL 3: shorter than the fixed header
    target.feed(shortHeader)

    var dataOffsetTooBig = good
    dataOffsetTooBig[20 + 12] = 0xF0  // TCP header of 60 bytes claimed
    dataOffsetTooBig[3] = 40  // …in an IP packet of 40 bytes
    dataOffsetTooBig[2] = 0
    target.feed(Array(dataOffsetTooBig.prefix(40)))

    target.feed(Array(good.prefix(30)))  // cut inside the TCP header
    target.feed([0x45])  // one byte
    target.feed([])
    var badVersion = good
    badVersion[0] = 0x75
    target.feed(badVersion)

    target.finish()
    let drops = target.statistics.drops
    #expect(drops[.malformedPacket] == 4)
    #expect(drops[.truncatedPacket] == 3)
    #expect(target.pairs.isEmpty)
  }

  @Test("random bytes on every link type are decoded or counted without crashing")
  func randomPackets() throws {
    var generator = SeededRandom(seed: 42)
    for dlt: Int32 in [1, 113, 276, 101, 0, 108] {
      let decodable = Interception.LinkType(dlt: dlt)
      let linkType = try #require(decodable)
      var pairs = 0
      let interceptor = try Interceptor(configuration: InterceptorConfiguration(), linkType: linkType) { _ in
        pairs += 1
      }
      for index in 0..<20_000 {
        let length = Int(generator.next() % 200)
        var packet = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        // Make many of them look like IPv4/TCP so the deeper layers get exercised too.
        if index % 2 == 0, packet.count > 40 {
          let ipStart = [1: 14, 113: 16, 276: 20, 101: 0, 0: 4, 108: 4][Int(dlt)] ?? 0
          if packet.count > ipStart + 20 {
            packet[ipStart] = 0x45
            packet[ipStart + 9] = 6
            packet[ipStart + 6] = 0
            packet[ipStart + 7] = 0
          }
          if dlt == 1 { packet[12] = 0x08; packet[13] = 0x00 }
        }
        packet.withUnsafeBytes {
          interceptor.process(
            packet: $0, originalLength: packet.count, time: PacketTime(nanoseconds: Int64(index) * 1_000))
        }
      }
      interceptor.finish()
      #expect(interceptor.statistics.packets == 20_000)
      #expect(interceptor.statistics.bufferedBytes == 0)
    }
  }

  @Test("a million half-open connections fill the table to its cap and no further")
  func halfOpenFlood() throws {
    var configuration = InterceptorConfiguration()
    configuration.maxConnections = 50_000
    let target = try RawInterceptor(configuration: configuration)
    let packets = RawPackets()
    // One SYN template; only the source address and port change.
    var syn = packets.segment(from: packets.client, to: packets.server, sequence: 7, flags: .syn)
    for index in 0..<1_000_000 {
      let address = UInt32(0x0B00_0000) + UInt32(index >> 16)
      let port = UInt16(truncatingIfNeeded: index)
      syn[12] = UInt8(truncatingIfNeeded: address >> 24)
      syn[13] = UInt8(truncatingIfNeeded: address >> 16)
      syn[14] = UInt8(truncatingIfNeeded: address >> 8)
      syn[15] = UInt8(truncatingIfNeeded: address)
      syn[20] = UInt8(port >> 8)
      syn[21] = UInt8(truncatingIfNeeded: port)
      target.feed(syn, advance: 100)
      if index % 100_000 == 0 {
        #expect(target.statistics.openConnections <= 50_000)
      }
    }
    #expect(target.statistics.openConnections == 50_000)
    #expect(target.statistics.drops[.connectionLimit] == 950_000)

    // Handshakes that lead nowhere are forgotten after ten seconds of packet time.
    var conversation = Conversation(target, clientPort: 9)
    target.feed(
      RawPackets().segment(from: RawPackets().server, to: RawPackets().client, sequence: 1, flags: .ack),
      advance: 11_000_000_000)
    conversation.open()
    conversation.clientSends(bytes("POST /a HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"))
    conversation.serverSends(jsonResponse("{\"ok\":true}"))
    #expect(target.statistics.openConnections == 1)
    #expect(target.pairs.count == 1)
  }

  @Test("an endless chunked body is counted and never buffered past the limit")
  func endlessChunkedBody() throws {
    var configuration = InterceptorConfiguration()
    configuration.bodyLimit = 64 * 1024
    let target = try RawInterceptor(configuration: configuration)
    var conversation = Conversation(target)
    conversation.open()
    conversation.clientSends(
      bytes("POST /upload HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"))
    let chunk = bytes("1000\r\n") + Array(repeating: 0x61, count: 0x1000) + bytes("\r\n")
    for _ in 0..<5_000 {  // 20 MB and never a last chunk
      conversation.clientSends(chunk)
    }
    #expect(target.statistics.peakBufferedBytes <= 64 * 1024)
    target.finish()
    #expect(target.pairs.isEmpty)
    #expect(target.statistics.drops.total == 1)
    #expect(target.statistics.drops[.bodyTooLarge] == 1)
    #expect(target.statistics.bufferedBytes == 0)
  }

  @Test("megabytes of headers are dropped and the next request on the connection still pairs")
  func hugeHeaders() throws {
    let target = try RawInterceptor()
    var conversation = Conversation(target)
    conversation.open()
    var huge = "POST /big HTTP/1.1\r\nContent-Type: application/json\r\n"
    let line = "X-Filler: " + String(repeating: "z", count: 1_000) + "\r\n"
    for _ in 0..<3_000 { huge += line }  // 3 MB of headers
    huge += "Content-Length: 2\r\n\r\n{}"
    conversation.clientSends(bytes(huge))
    conversation.serverSends(bytes("HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\n\r\n"))
    conversation.clientSends(
      bytes("POST /small HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"))
    conversation.serverSends(jsonResponse("{\"id\":1}"))
    target.finish()
    #expect(target.statistics.drops[.headerTooLarge] == 1)
    #expect(target.statistics.drops.total == 1)
    #expect(target.pairs.map(\.request.target) == ["/small"])
    #expect(target.pairs.first?.response.body == bytes("{\"id\":1}"))
  }

  @Test("garbage from the first byte is not HTTP; garbage between messages is malformed")
  func garbageOnPort80() throws {
    var generator = SeededRandom(seed: 7)
    let target = try RawInterceptor()
    var first = Conversation(target, clientPort: 41_000)
    first.open()
    // Random bytes, but never starting with a token character.
    var noise = (0..<100_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    noise[0] = 0x16
    first.clientSends(noise)
    first.serverSends(noise)

    var second = Conversation(target, clientPort: 41_001)
    second.open()
    second.clientSends(bytes("POST /a HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"))
    second.serverSends(jsonResponse("{}"))
    second.clientSends(bytes("\u{1}\u{2}garbage that is no request line\r\n\r\n"))
    second.clientSends(bytes("POST /b HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"))
    second.serverSends(bytes("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"))
    second.serverSends(jsonResponse("{\"b\":2}"))
    target.finish()

    #expect(target.statistics.drops[.notHTTP] == 1)
    #expect(target.statistics.drops[.malformedHTTP] == 1)
    #expect(target.pairs.map(\.request.target) == ["/a", "/b"])
    #expect(target.statistics.bufferedBytes == 0)
  }

  @Test("segments far ahead of a hole that never fills stay within the connection's cap")
  func holeNeverFilled() throws {
    var configuration = InterceptorConfiguration()
    configuration.maxBufferedBytesPerConnection = 256 * 1024
    let target = try RawInterceptor(configuration: configuration)
    var conversation = Conversation(target)
    conversation.open()
    conversation.clientSends(
      bytes("POST /stream HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n"))
    // Skip 10 bytes that will never arrive, then send 5 MB after them.
    conversation.clientSequence &+= 10
    for _ in 0..<3_600 {
      conversation.clientSends(Array(repeating: 0x20, count: 1_400))
      #expect(target.statistics.bufferedBytes <= 256 * 1024)
    }
    target.finish()
    #expect(target.statistics.drops.total == 1)
    #expect(target.statistics.drops[.connectionBufferLimit] == 1)
    #expect(target.statistics.peakBufferedBytes <= 256 * 1024)
    #expect(target.statistics.bufferedBytes == 0)
  }
}

extension HostileInputTests {
  @Test("a client pipelining without answers is cut off, and its buffers are all given back")
  func endlessPipelining() throws {
    var configuration = InterceptorConfiguration()
    configuration.maxPendingRequests = 2
    let target = try RawInterceptor(configuration: configuration)
    var conversation = Conversation(target)
    conversation.open()
    var stream: [UInt8] = []
    for index in 0..<12 {
      stream += bytes(
        "POST /p/\(index) HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n0123456789")
    }
    // All in one segment: the connection is given up on in the middle of it.
    conversation.clientSends(stream, segmentSize: stream.count)
    #expect(target.statistics.bufferedBytes == 0)
    #expect(target.statistics.openConnections == 0)
    target.finish()
    #expect(target.statistics.bufferedBytes == 0)
    #expect(target.statistics.drops[.tooManyPending] >= 1)
    #expect(target.pairs.isEmpty)
  }
}

extension HostileInputTests {
  @Test("a segment waiting just past a FIN does not stall the connection's end")
  func segmentAfterFIN() throws {
    let target = try RawInterceptor()
    let packets = RawPackets()
    target.feed(packets.segment(from: packets.client, to: packets.server, sequence: 100, flags: .syn))
    // Waits behind a one-byte hole…
    target.feed(
      packets.segment(from: packets.client, to: packets.server, sequence: 103, flags: .ack, payload: bytes("ET")))
    // …which a FIN closes one byte early, so the stream ends right where the waiting segment starts.
    target.feed(
      packets.segment(
        from: packets.client, to: packets.server, sequence: 101, flags: [.fin, .ack], payload: bytes("G")))
    target.finish()
    #expect(target.statistics.openConnections == 0)
    #expect(target.statistics.bufferedBytes == 0)
  }
}

/// A small deterministic generator (xorshift) so hostile inputs are the same on every run.
struct SeededRandom {
  private var state: UInt64
  init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
  mutating func next() -> UInt64 {
    state ^= state << 13
    state ^= state >> 7
    state ^= state << 17
    return state
  }
}

extension HostileInputTests {
  @Test("a start line trickled one byte a segment is still parsed, and garbage lines are refused early")
  func trickledStartLine() throws {
    let target = try RawInterceptor()
    var conversation = Conversation(target)
    conversation.open()
    let target32k = "/" + String(repeating: "a", count: 32_000)
    conversation.clientSends(
      bytes("GET \(target32k) HTTP/1.1\r\nAccept: application/json\r\n\r\n"), segmentSize: 1)
    conversation.serverSends(jsonResponse("{\"ok\":1}"))
    conversation.clientSends(bytes("GET not-http-at-all\r\n" + String(repeating: "x", count: 10_000)), segmentSize: 7)
    target.finish()
    #expect(target.pairs.map(\.request.target) == [target32k])
    #expect(target.statistics.drops[.malformedHTTP] == 1)
  }
}

extension HostileInputTests {
  @Test("one-byte segments piling up behind a hole cost one count when the cap gives up on it")
  func tinySegmentsBehindHole() throws {
    var configuration = InterceptorConfiguration()
    configuration.maxBufferedBytesPerConnection = 16 * 1024
    let target = try RawInterceptor(configuration: configuration)
    var conversation = Conversation(target)
    conversation.open()
    conversation.clientSends(
      bytes("POST /a HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n"))
    conversation.clientSequence &+= 1  // one body byte the capture never saw
    conversation.clientSends(Array(repeating: 0x20, count: 59_999), segmentSize: 1)
    #expect(target.statistics.peakBufferedBytes <= 16 * 1024)
    conversation.serverSends(jsonResponse("{}"))
    // The connection stays in step: the next exchange pairs.
    conversation.clientSends(bytes("POST /b HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"))
    conversation.serverSends(jsonResponse("{\"b\":1}"))
    target.finish()
    #expect(target.statistics.drops.nonZero.map(\.reason) == [.connectionBufferLimit])
    #expect(target.statistics.drops[.connectionBufferLimit] == 1)
    #expect(target.pairs.map(\.request.target) == ["/b"])
    #expect(target.statistics.bufferedBytes == 0)
  }
}
