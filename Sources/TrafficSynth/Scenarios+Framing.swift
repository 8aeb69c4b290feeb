import SovrenModel

// Message framing and connection reuse: how bodies end, and how messages share connections.
extension Scenarios {
  static func keepAliveInterleaved() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "keepalive-interleaved",
      summary: "12 keep-alive connections to 4 servers, 3 exchanges each, with their packets interleaved in time.")
    for n in 0..<12 {
      let server = Endpoint.server(n % 4)
      var s = b.session(
        client: .client(n), server: server, offset: .microseconds(Int64(n * 53)),
        clientISN: UInt32(n) &* 0x1357_9bdf, serverISN: UInt32(n) &* 0x2468_ace0 &+ 7,
        format: b.format(checksum: n % 2 == 0 ? .correct : .offloaded))
      s.sendHeadSeparately = n % 3 == 0
      s.serverLatency = .microseconds(Int64(150 + 40 * n))
      for k in 0..<3 {
        let seed = UInt64(n * 10 + k)
        switch k {
        case 0:
          b.expect(s.exchange(Message.get("/v1/users/\(n)", server: server), Message.ok(Message.document(seed))))
        case 1:
          b.expect(
            s.exchange(
              Message.post("/v1/orders", server: server, body: Message.document(seed, size: 180 + 90 * n)),
              Message.ok(Message.document(seed + 500, size: 120), status: 201, reason: "Created")))
        default:
          b.expect(
            s.exchange(
              Message.post("/v1/users/\(n)", server: server, body: Message.document(seed), method: "PATCH"),
              Message.ok(Message.document(seed + 900, size: 2_000 + 300 * n))))
        }
      }
      s.tcp.close(initiator: n % 2 == 0 ? .clientToServer : .serverToClient)
      b.add(s)
    }
    return b
  }

  static func contentLength() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "content-length",
      summary: "Content-Length bodies: tiny, multi-segment, header block split over small segments, zero-length.")
    let server = Endpoint.server(1)
    var s = b.session(client: .client(1), server: server)
    b.expect(s.exchange(Message.post("/v1/a", server: server, body: Array("{}".utf8)), Message.ok(Array("[]".utf8))))
    s.sendHeadSeparately = true
    b.expect(
      s.exchange(
        Message.post("/v1/b", server: server, body: Message.document(2, size: 5_000)),
        Message.ok(Message.document(3, size: 9_000))))
    s.sendHeadSeparately = false
    s.tcp.maximumSegmentSize = 17
    b.expect(
      s.exchange(
        Message.post("/v1/c", server: server, body: Message.document(4, size: 90)),
        Message.ok(Message.document(5, size: 60))))
    s.tcp.maximumSegmentSize = 1448
    b.expect(
      s.exchange(
        Message.post("/v1/d", server: server, body: [], framing: .contentLength),
        Message.ok([], headers: [HeaderLine("X-Empty", "yes")])))
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }

  static func chunked() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "chunked",
      summary: "Chunked request and responses: small chunks, chunk extensions, trailers (not pair headers).")
    let server = Endpoint.server(2)
    var s = b.session(client: .client(2), server: server)
    b.expect(
      s.exchange(
        Message.post(
          "/v1/upload", server: server, body: Message.document(10, size: 700), framing: .chunked(chunkSize: 64)),
        Message.ok(Message.document(11, size: 1_500), framing: .chunked(chunkSize: 100, extensions: true))))
    b.expect(
      s.exchange(
        Message.get("/v1/report", server: server),
        Message.ok(
          Message.document(12, size: 3_000),
          framing: .chunked(
            chunkSize: 1_000, extensions: true,
            trailers: [HeaderLine("X-Checksum", "abc123"), HeaderLine("Server-Timing", "db;dur=53")]))))
    b.expect(
      s.exchange(
        Message.post(
          "/v1/one-chunk", server: server, body: Message.document(13, size: 200),
          framing: .chunked(chunkSize: 10_000, extensions: true, trailers: [HeaderLine("X-Trailer", "1")])),
        Message.ok([], framing: .chunked(chunkSize: 10))))
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }

  static func gzip() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "gzip", summary: "gzip and x-gzip bodies: Content-Length and chunked responses, a gzip request.")
    let server = Endpoint.server(3)
    var s = b.session(client: .client(3), server: server)
    b.expect(
      s.exchange(
        Message.get("/v1/people", server: server), Message.ok(Message.document(20, size: 6_000), coding: .gzip)))
    b.expect(
      s.exchange(
        Message.get("/v1/orders", server: server),
        Message.ok(Message.document(21, size: 4_000), coding: .gzip, framing: .chunked(chunkSize: 300))))
    b.expect(s.exchange(Message.get("/v1/legacy", server: server), Message.ok(Message.document(22), coding: .xGzip)))
    b.expect(
      s.exchange(
        Message.post("/v1/bulk", server: server, body: Message.document(23, size: 3_000), coding: .gzip),
        Message.ok(Array("{\"ok\":true}".utf8))))
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }

  static func deflate() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "deflate", summary: "deflate bodies both ways they occur: zlib-wrapped and raw, plain and chunked.")
    let server = Endpoint.server(4)
    var s = b.session(client: .client(4), server: server)
    b.expect(
      s.exchange(
        Message.get("/v1/zlib", server: server), Message.ok(Message.document(30, size: 2_500), coding: .deflate)))
    b.expect(
      s.exchange(
        Message.get("/v1/raw", server: server), Message.ok(Message.document(31, size: 2_500), coding: .rawDeflate)))
    b.expect(
      s.exchange(
        Message.get("/v1/raw-chunked", server: server),
        Message.ok(Message.document(32, size: 5_000), coding: .rawDeflate, framing: .chunked(chunkSize: 512))))
    b.expect(
      s.exchange(
        Message.post("/v1/zlib-upload", server: server, body: Message.document(33, size: 1_000), coding: .deflate),
        Message.ok(Array("{\"stored\":1}".utf8))))
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }

  static func closeDelimited() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "close-delimited",
      summary: "HTTP/1.1 responses without a length that end when the server closes (FIN on the last data segment).")
    for n in 0..<2 {
      let server = Endpoint.server(5)
      var s = b.session(client: .client(5 + n), server: server, offset: .milliseconds(Int64(n * 5)))
      b.expect(
        s.exchange(
          Message.get("/v1/stream/\(n)", server: server),
          Message.ok(
            Message.document(40 + UInt64(n), size: 800 + 3_000 * n), headers: [HeaderLine("Connection", "close")],
            framing: .closeDelimited)))
      b.add(s)
    }
    return b
  }

  static func http10() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "http10",
      summary: "HTTP/1.0: one exchange then close, keep-alive with two exchanges, and a close-delimited response.")
    let server = Endpoint.server(6)
    var plain = b.session(client: .client(6), server: server)
    b.expect(
      plain.exchange(
        Message.get("/v1/ten", server: server, version: "HTTP/1.0"),
        Message.ok(Message.document(50), version: "HTTP/1.0")))
    plain.tcp.close(initiator: .serverToClient)
    b.add(plain)

    var keepAlive = b.session(client: .client(7), server: server, offset: .milliseconds(3))
    for k in 0..<2 {
      b.expect(
        keepAlive.exchange(
          Message.post(
            "/v1/ten/\(k)", server: server, body: Message.document(51 + UInt64(k)),
            headers: [HeaderLine("Connection", "keep-alive")], version: "HTTP/1.0"),
          Message.ok(
            Message.document(53 + UInt64(k)), headers: [HeaderLine("Connection", "keep-alive")], version: "HTTP/1.0")))
    }
    keepAlive.tcp.close(initiator: .clientToServer)
    b.add(keepAlive)

    var closing = b.session(client: .client(8), server: server, offset: .milliseconds(6))
    b.expect(
      closing.exchange(
        Message.get("/v1/ten/eof", server: server, version: "HTTP/1.0"),
        Message.ok(Message.document(55, size: 2_000), version: "HTTP/1.0").withFraming(.closeDelimited)))
    b.add(closing)
    return b
  }

  static func expectContinue() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "expect-continue",
      summary: "Expect: 100-continue: headers, 100 Continue, body, final response; the 100 is not a pair.")
    let server = Endpoint.server(7)
    var s = b.session(client: .client(9), server: server)
    b.expect(
      s.exchangeWithContinue(
        Message.post(
          "/v1/big-upload", server: server, body: Message.document(60, size: 4_000),
          headers: [HeaderLine("Expect", "100-continue")]),
        Message.ok(Array("{\"accepted\":true}".utf8), status: 201, reason: "Created")))
    b.expect(s.exchange(Message.get("/v1/after", server: server), Message.ok(Message.document(61))))
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }

  static func interimResponses() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "interim-responses", summary: "102 Processing and 103 Early Hints before the final response are skipped.")
    let server = Endpoint.server(8)
    var s = b.session(client: .client(10), server: server)
    b.expect(
      s.exchange(
        Message.get("/v1/page", server: server),
        Message.ok(
          Message.document(70), headers: [HeaderLine("Link", "</app.css>; rel=preload")],
          interim: [
            InterimResponse(status: 102, reason: "Processing"),
            InterimResponse(
              status: 103, reason: "Early Hints",
              headers: [
                HeaderLine("Link", "</app.css>; rel=preload; as=style"),
                HeaderLine("Link", "</app.js>; rel=preload; as=script"),
              ]),
          ])))
    b.expect(
      s.exchange(Message.post("/v1/next", server: server, body: Message.document(71)), Message.ok(Message.document(72)))
    )
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }

  static func bodilessResponses() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "bodiless-responses",
      summary: "HEAD with Content-Length and no body, 204 and 304 without body, each followed by a normal exchange.")
    let server = Endpoint.server(9)
    var s = b.session(client: .client(11), server: server)
    var head = Message.get("/v1/items/1", server: server)
    head.method = "HEAD"
    b.expect(s.exchange(head, Message.ok(Message.document(80, size: 2_000), framing: .headResponse)))
    b.expect(
      s.exchange(
        Message.post("/v1/items/1", server: server, body: Message.document(81), method: "PUT"),
        Message.ok([], status: 204, reason: "No Content", contentType: nil, framing: .none)))
    b.expect(
      s.exchange(
        Message.get("/v1/items/2", server: server, headers: [HeaderLine("If-None-Match", "\"v7\"")]),
        Message.ok([], status: 304, reason: "Not Modified", headers: [HeaderLine("ETag", "\"v7\"")], framing: .none)))
    b.expect(s.exchange(Message.get("/v1/items/3", server: server), Message.ok(Message.document(82))))
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }

  static func pipelining() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "pipelining",
      summary: "Three requests written back to back (sharing segments) before any response; responses pair in order.")
    let server = Endpoint.server(10)
    var s = b.session(client: .client(12), server: server)
    b.expect(
      s.pipeline([
        (Message.get("/v1/p/1", server: server), Message.ok(Message.document(90))),
        (
          Message.post("/v1/p/2", server: server, body: Message.document(91, size: 2_000)),
          Message.ok(Message.document(92), framing: .chunked(chunkSize: 50))
        ),
        (Message.get("/v1/p/3", server: server), Message.ok(Message.document(93, size: 3_000), coding: .gzip)),
      ]))
    b.expect(s.exchange(Message.get("/v1/p/4", server: server), Message.ok(Message.document(94))))
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }
}

extension SynthResponse {
  func withFraming(_ framing: BodyFraming) -> SynthResponse {
    var copy = self
    copy.framing = framing
    return copy
  }
}
