import SovrenModel

// Input that is not HTTP, or breaks HTTP's grammar. Exact counts depend on how a parser
// resynchronises, so these expect "at least one".
extension Scenarios {
  static func notHTTP() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "not-http",
      summary: "Binary bytes (a TLS ClientHello look-alike) on port 80 both ways, next to a normal connection.")
    b.isCleanCapture = false
    let server = Endpoint.server(70, port: 80)
    var garbage = b.session(client: .client(70), server: server)
    var random = SeededGenerator(seed: 700)
    let hello: [UInt8] =
      [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]
      + (0..<500).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    garbage.sendRaw(hello, from: .clientToServer)
    garbage.tcp.acknowledge(from: .serverToClient)
    garbage.sendRaw(
      [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28] + (0..<200).map { _ in UInt8(truncatingIfNeeded: random.next()) },
      from: .serverToClient)
    garbage.tcp.close(initiator: .serverToClient)
    b.expectDrop(.notHTTP, atLeast: 1)
    b.add(garbage)
    addSimpleTraffic(to: &b, client: .client(71), server: .server(71), offset: .microseconds(11), seed: 710)
    return b
  }

  static func malformedHTTP() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "malformed-http",
      summary:
        "Requests that start as HTTP but break it (Content-Length: abc, chunk size zz), each followed by a reset.")
    b.isCleanCapture = false
    let server = Endpoint.server(72)
    var badLength = b.session(client: .client(72), server: server)
    badLength.sendRaw(
      Array("POST /v1/bad HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n".utf8),
      from: .clientToServer)
    badLength.tcp.acknowledge(from: .serverToClient)
    badLength.tcp.reset(from: .serverToClient)
    b.add(badLength)
    var badChunk = b.session(client: .client(73), server: server, offset: .microseconds(9))
    badChunk.sendRaw(
      Array(
        "POST /v1/bad-chunk HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n"
          .utf8),
      from: .clientToServer)
    badChunk.tcp.acknowledge(from: .serverToClient)
    badChunk.tcp.reset(from: .serverToClient)
    b.add(badChunk)
    b.expectDrop(.malformedHTTP, atLeast: 1)
    addSimpleTraffic(to: &b, client: .client(74), server: .server(74), offset: .microseconds(17), seed: 720)
    return b
  }
}
