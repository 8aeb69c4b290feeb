import SovrenModel

// Size limits on both sides of each boundary, and the response timeout.
extension Scenarios {
  static let smallLimit = 1_000

  /// A JSON response with no body, so that only the request's size matters.
  static func emptyJSONResponse() -> SynthResponse {
    Message.ok([])
  }

  static func sizeLimitRequest() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "size-limit-request",
      summary: "Request bodies at the 1000-byte limit are kept and one byte over are dropped (plain and chunked).",
      limits: ScenarioLimits(bodyLimit: smallLimit))
    let server = Endpoint.server(30)
    var s = b.session(client: .client(30), server: server)
    for (size, framing) in [
      (1_000, BodyFraming.contentLength), (1_001, .contentLength), (1_000, .chunked(chunkSize: 300)),
      (1_001, .chunked(chunkSize: 300)),
    ] {
      b.expect(
        s.exchange(
          Message.post(
            "/v1/req/\(size)", server: server, body: SyntheticJSON.exact(size: size, seed: UInt64(size)),
            framing: framing),
          emptyJSONResponse()))
    }
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }

  static func sizeLimitResponse() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "size-limit-response",
      summary: "Response bodies at the 1000-byte limit are kept and one byte over are dropped (plain and chunked).",
      limits: ScenarioLimits(bodyLimit: smallLimit))
    let server = Endpoint.server(31)
    var s = b.session(client: .client(31), server: server)
    for (size, framing) in [
      (1_000, BodyFraming.contentLength), (1_001, .contentLength), (1_000, .chunked(chunkSize: 128)),
      (1_001, .chunked(chunkSize: 128)),
    ] {
      b.expect(
        s.exchange(
          Message.get("/v1/resp/\(size)", server: server),
          Message.ok(SyntheticJSON.exact(size: size, seed: UInt64(size) + 7), framing: framing)))
    }
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }

  static func sizeLimitDecoded() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "size-limit-decoded",
      summary: "Compressed bodies under the limit that decode to exactly 1000 bytes are kept, to 1001 dropped.",
      limits: ScenarioLimits(bodyLimit: smallLimit))
    let server = Endpoint.server(32)
    var s = b.session(client: .client(32), server: server)
    for (size, coding) in [(1_000, ContentCoding.gzip), (1_001, .gzip), (1_001, .rawDeflate)] {
      b.expect(
        s.exchange(
          Message.get("/v1/decoded/\(size)", server: server),
          Message.ok(SyntheticJSON.exact(size: size, seed: 3), coding: coding)))
    }
    b.expect(
      s.exchange(
        Message.post(
          "/v1/decoded-upload", server: server, body: SyntheticJSON.exact(size: 1_001, seed: 4), coding: .gzip),
        emptyJSONResponse()))
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }

  static func sizeLimitPair() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "size-limit-pair",
      summary: "Request and response bodies each under the limit: 600+400 bytes kept, 600+401 dropped as a pair.",
      limits: ScenarioLimits(bodyLimit: smallLimit))
    let server = Endpoint.server(33)
    var s = b.session(client: .client(33), server: server)
    for responseSize in [400, 401] {
      b.expect(
        s.exchange(
          Message.post("/v1/pair/\(responseSize)", server: server, body: SyntheticJSON.exact(size: 600, seed: 5)),
          Message.ok(SyntheticJSON.exact(size: responseSize, seed: 6))))
    }
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }

  static func sizeLimitDefault() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "size-limit-default",
      summary: "The default 1 MiB limit: a 1,048,576-byte response is kept, a 1,048,577-byte one dropped.")
    let server = Endpoint.server(34)
    var s = b.session(client: .client(34), server: server)
    s.tcp.packetSpacing = .microseconds(2)
    let limit = ScenarioLimits.defaultBodyLimit
    let big = SyntheticJSON.exact(size: limit + 1, seed: 9)
    b.expect(
      s.exchange(
        Message.get("/v1/export/at-limit", server: server), Message.ok(Array(big[..<(limit - 2)]) + Array("\"}".utf8))))
    b.expect(s.exchange(Message.get("/v1/export/over-limit", server: server), Message.ok(big)))
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }

  static func responseTimeout() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "response-timeout",
      summary:
        "Default 30 s timeout: a response 31 s late is dropped (and the connection's next exchange kept); 29 s is kept."
    )
    let server = Endpoint.server(35)
    var slow = b.session(client: .client(35), server: server)
    let late = slow.exchange(
      Message.post("/v1/slow", server: server, body: Message.document(160)), Message.ok(Message.document(161)),
      latency: .seconds(31))
    b.noteSent(late)
    b.expectDrop(.responseTimeout)
    b.expect(slow.exchange(Message.get("/v1/after-slow", server: server), Message.ok(Message.document(162))))
    slow.tcp.close(initiator: .clientToServer)
    b.add(slow)
    var patient = b.session(client: .client(36), server: server, offset: .milliseconds(1))
    b.expect(
      patient.exchange(
        Message.get("/v1/patient", server: server), Message.ok(Message.document(163)), latency: .seconds(29)))
    patient.tcp.close(initiator: .clientToServer)
    b.add(patient)
    return b
  }

  static func responseTimeoutCustom() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "response-timeout-custom",
      summary: "A 2 s response timeout: a response after 2.5 s is dropped, one after 1.5 s kept.",
      limits: ScenarioLimits(responseTimeout: .seconds(2)))
    let server = Endpoint.server(36)
    var s = b.session(client: .client(37), server: server)
    b.expect(
      s.exchange(
        Message.get("/v1/quick", server: server), Message.ok(Message.document(170)), latency: .milliseconds(1_500)))
    let late = s.exchange(
      Message.get("/v1/late", server: server), Message.ok(Message.document(171)), latency: .milliseconds(2_500))
    b.noteSent(late)
    b.expectDrop(.responseTimeout)
    b.expect(s.exchange(Message.get("/v1/after-late", server: server), Message.ok(Message.document(172))))
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }
}
