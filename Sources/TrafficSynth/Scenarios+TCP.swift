import SovrenModel

// TCP as a passive capture sees it: reordering, retransmissions, loss, wraparound, connections
// that start before the capture or end badly.
extension Scenarios {
  static func outOfOrder() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "tcp-out-of-order", summary: "Segments of a request and of a response captured out of order.")
    b.timesAreExact = false
    b.isCleanCapture = false
    let server = Endpoint.server(40)
    var s = b.session(client: .client(40), server: server)
    s.tcp.maximumSegmentSize = 400
    let first = s.exchange(
      Message.post("/v1/ooo", server: server, body: Message.document(200, size: 2_000)),
      Message.ok(Message.document(201, size: 3_000)))
    s.tcp.swapCaptureOrder(first.requestSegments.lowerBound + 1, first.requestSegments.lowerBound + 2)
    s.tcp.swapCaptureOrder(first.responseSegments.lowerBound, first.responseSegments.lowerBound + 1)
    s.tcp.swapCaptureOrder(first.responseSegments.upperBound - 1, first.responseSegments.upperBound)
    b.expect(first)
    b.expect(s.exchange(Message.get("/v1/ooo/2", server: server), Message.ok(Message.document(202))))
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }

  static func retransmissions() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "tcp-retransmissions",
      summary:
        "Retransmitted copies of a whole request, a body segment and a response segment must not duplicate pairs.")
    b.isCleanCapture = false
    let server = Endpoint.server(41)
    var s = b.session(client: .client(41), server: server)
    let small = s.exchange(Message.get("/v1/retx/1", server: server), Message.ok(Message.document(210)))
    s.tcp.duplicate(small.requestSegments.lowerBound)
    b.expect(small)
    s.tcp.maximumSegmentSize = 500
    let big = s.exchange(
      Message.post("/v1/retx/2", server: server, body: Message.document(211, size: 2_000)),
      Message.ok(Message.document(212, size: 2_000)))
    s.tcp.duplicate(big.requestSegments.lowerBound + 1)
    s.tcp.duplicate(big.responseSegments.lowerBound + 2, delay: .microseconds(7))
    b.expect(big)
    let last = s.exchange(Message.get("/v1/retx/3", server: server), Message.ok(Message.document(213)))
    s.tcp.duplicate(last.responseSegments.upperBound)
    b.expect(last)
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }

  static func overlappingSegments() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "tcp-overlapping-segments",
      summary: "Retransmissions with different segmentation overlap earlier segments, arriving before and after them.")
    b.isCleanCapture = false
    b.timesAreExact = false
    let server = Endpoint.server(42)
    var s = b.session(client: .client(42), server: server)
    s.tcp.maximumSegmentSize = 300
    let exchange = s.exchange(
      Message.post("/v1/overlap", server: server, body: Message.document(220, size: 1_500)),
      Message.ok(Message.document(221, size: 1_800)))
    let request = exchange.requestSegments
    let response = exchange.responseSegments
    s.tcp.retransmitOverlapping(request.lowerBound + 1, request.lowerBound + 2)
    s.tcp.retransmitOverlapping(response.lowerBound + 2, response.lowerBound + 3, delay: .microseconds(-10))
    b.expect(exchange)
    b.expect(s.exchange(Message.get("/v1/overlap/2", server: server), Message.ok(Message.document(222))))
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }

  static func sequenceWraparound() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "tcp-sequence-wraparound",
      summary: "Initial sequence numbers just below 2^32 so both directions wrap in the middle of a body.")
    let server = Endpoint.server(43)
    var s = b.session(client: .client(43), server: server, clientISN: 0xFFFF_FC00, serverISN: 0xFFFF_F000)
    b.expect(
      s.exchange(
        Message.post("/v1/wrap", server: server, body: Message.document(230, size: 3_000)),
        Message.ok(Message.document(231, size: 8_000))))
    b.expect(s.exchange(Message.get("/v1/wrap/2", server: server), Message.ok(Message.document(232, size: 2_000))))
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }

  static func lostSegmentRequest() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "lost-segment-request",
      summary:
        "A body segment of the middle request is missing from the capture (the server ACKs past it): that pair only is lost."
    )
    b.isCleanCapture = false
    let server = Endpoint.server(44)
    var s = b.session(client: .client(44), server: server)
    s.tcp.maximumSegmentSize = 500
    s.sendHeadSeparately = true
    b.expect(
      s.exchange(
        Message.post("/v1/before", server: server, body: Message.document(240)), Message.ok(Message.document(241))))
    let lost = s.exchange(
      Message.post("/v1/lost", server: server, body: Message.document(242, size: 2_000)),
      Message.ok(Message.document(243)))
    s.tcp.dropFromCapture(lost.requestSegments.lowerBound + 2)
    b.expectLost(lost, reason: .streamGap)
    b.expect(
      s.exchange(
        Message.post("/v1/after", server: server, body: Message.document(244)), Message.ok(Message.document(245))))
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }

  static func lostSegmentResponse() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "lost-segment-response",
      summary:
        "A body segment of the middle response is missing from the capture (the client ACKs past it): that pair only is lost."
    )
    b.isCleanCapture = false
    let server = Endpoint.server(45)
    var s = b.session(client: .client(45), server: server)
    b.expect(s.exchange(Message.get("/v1/before", server: server), Message.ok(Message.document(250))))
    let lost = s.exchange(Message.get("/v1/lost", server: server), Message.ok(Message.document(251, size: 6_000)))
    s.tcp.dropFromCapture(lost.responseSegments.lowerBound + 2)
    b.expectLost(lost, reason: .streamGap)
    b.expect(
      s.exchange(
        Message.get("/v1/after", server: server), Message.ok(Message.document(252, size: 3_000), coding: .gzip)))
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }

  static func midStreamStart() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "mid-stream-start",
      summary:
        "Connections open before the capture: one starts mid-request-body (its response is unmatched), one mid-response-body (skipped silently)."
    )
    b.isCleanCapture = false
    let server = Endpoint.server(46)
    // The capture starts inside a request body: the rest of it, then the response to it.
    var a = b.session(client: .client(46), server: server, clientISN: 77_777, serverISN: 88_888, handshake: false)
    let tail = Array(Message.document(260, size: 1_200).dropFirst(700))
    a.sendRaw(tail, from: .clientToServer)
    a.tcp.acknowledge(from: .serverToClient)
    a.tcp.wait(.microseconds(300))
    a.sendRaw(Message.ok(Message.document(261)).encoded().wire, from: .serverToClient)
    a.tcp.acknowledge(from: .clientToServer)
    a.tcp.wait(.microseconds(300))
    b.expectDrop(.unmatchedResponse)
    b.expect(a.exchange(Message.get("/v1/next", server: server), Message.ok(Message.document(262))))
    a.tcp.close(initiator: .clientToServer)
    b.add(a)
    // The capture starts inside a response body: nothing to count, the next exchange pairs.
    var c = b.session(
      client: .client(47), server: server, offset: .microseconds(10), clientISN: 5_555, serverISN: 999_999,
      handshake: false)
    let responseTail = Array(Message.document(263, size: 3_000).dropFirst(1_000))
    c.sendRaw(responseTail, from: .serverToClient)
    c.tcp.acknowledge(from: .clientToServer)
    c.tcp.wait(.microseconds(300))
    b.expect(
      c.exchange(
        Message.post("/v1/next", server: server, body: Message.document(264)), Message.ok(Message.document(265))))
    c.tcp.close(initiator: .clientToServer)
    b.add(c)
    return b
  }

  static func resetMidRequest() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "reset-mid-message",
      summary: "The client resets the connection halfway through a request body: one incomplete message.")
    b.isCleanCapture = false
    let server = Endpoint.server(47)
    var s = b.session(client: .client(48), server: server)
    b.expect(s.exchange(Message.get("/v1/first", server: server), Message.ok(Message.document(270))))
    let cut = Message.post("/v1/cut", server: server, body: Message.document(271, size: 3_000)).encoded()
    s.sendRaw(Array(cut.wire.prefix(cut.head.count + 1_200)), from: .clientToServer)
    s.tcp.acknowledge(from: .serverToClient)
    s.tcp.reset(from: .clientToServer)
    b.expectDrop(.incompleteMessage)
    b.add(s)
    return b
  }

  static func pendingAtEnd() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "pending-at-close-and-end",
      summary:
        "A request unanswered at capture end, one unanswered when both sides FIN, and a request cut by the capture's end."
    )
    b.isCleanCapture = false
    let server = Endpoint.server(48)
    var a = b.session(client: .client(49), server: server)
    b.expect(a.exchange(Message.get("/v1/answered", server: server), Message.ok(Message.document(280))))
    a.sendRequest(Message.post("/v1/never-answered", server: server, body: Message.document(281)))
    a.tcp.acknowledge(from: .serverToClient)
    b.expectDrop(.unansweredRequest)
    b.add(a)

    var closed = b.session(client: .client(50), server: server, offset: .microseconds(15))
    closed.sendRequest(Message.get("/v1/closed-unanswered", server: server))
    closed.tcp.acknowledge(from: .serverToClient)
    closed.tcp.wait(.milliseconds(2))
    closed.tcp.close(initiator: .serverToClient)
    b.expectDrop(.unansweredRequest)
    b.add(closed)

    var cut = b.session(client: .client(51), server: server, offset: .microseconds(30))
    let partial = Message.post("/v1/cut-by-end", server: server, body: Message.document(282, size: 2_000)).encoded()
    cut.sendRaw(Array(partial.wire.prefix(partial.head.count + 500)), from: .clientToServer)
    b.expectDrop(.incompleteMessage)
    b.add(cut)
    return b
  }

  static func snapLengthTruncation() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "snaplen-truncated",
      summary:
        "Snap length 128: small segments pass whole; a response with long segments loses bytes (stream gap); IPv6 packets with long extension headers are cut inside the TCP header."
    )
    b.snapLength = 128
    b.isCleanCapture = false
    let server = Endpoint.server(49)
    var small = b.session(client: .client(52), server: server, format: b.format(tcpTimestamps: false))
    small.tcp.maximumSegmentSize = 60
    b.expect(
      small.exchange(
        Message.post("/v1/small", server: server, body: Message.document(290)), Message.ok(Message.document(291))))
    small.tcp.close(initiator: .clientToServer)
    b.add(small)

    var long = b.session(
      client: .client(53), server: server, offset: .microseconds(7), format: b.format(tcpTimestamps: false))
    long.tcp.maximumSegmentSize = 60
    long.tcp.serverMaximumSegmentSize = 1_448
    let cut = long.exchange(Message.get("/v1/long", server: server), Message.ok(Message.document(292, size: 3_000)))
    b.expectLost(cut, reason: .streamGap)
    long.tcp.close(initiator: .clientToServer)
    b.add(long)

    let server6 = Endpoint.server6(49)
    var deep = b.session(
      client: .client6(53), server: server6, offset: .microseconds(13),
      format: b.format(ipv6ExtensionHeaders: [.hopByHop, .destinationOptions(padding: 40)]))
    let hidden = deep.exchange(Message.get("/v1/hidden", server: server6), Message.ok(Message.document(293)))
    b.noteSent(hidden)
    deep.tcp.close(initiator: .clientToServer)
    let deepPackets = deep.tcp.segments.count
    if deep.tcp.segments.contains(where: { deep.tcp.headerLength(of: $0) <= 128 }) {
      b.noteProblem("snaplen-truncated: an IPv6 packet's headers fit in the snap length")
    }
    b.expectDrop(.truncatedPacket, count: UInt64(deepPackets))
    b.add(deep)
    return b
  }

  static func ipFragments() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "ip-fragments",
      summary: "Retransmissions sent as IPv4 and IPv6 fragments: each fragment is counted and the stream stays whole.")
    b.isCleanCapture = false
    let server = Endpoint.server(50)
    var v4 = b.session(client: .client(54), server: server)
    let first = v4.exchange(
      Message.post("/v1/frag", server: server, body: Message.document(300)), Message.ok(Message.document(301)))
    v4.tcp.duplicateAsIPFragments(first.requestSegments.lowerBound, split: 64)
    b.expect(first)
    v4.tcp.close(initiator: .clientToServer)
    b.add(v4)
    let server6 = Endpoint.server6(50)
    var v6 = b.session(client: .client6(54), server: server6, offset: .microseconds(9))
    let second = v6.exchange(Message.get("/v1/frag6", server: server6), Message.ok(Message.document(302, size: 900)))
    v6.tcp.duplicateAsIPFragments(second.responseSegments.lowerBound, split: 256)
    b.expect(second)
    v6.tcp.close(initiator: .clientToServer)
    b.add(v6)
    b.expectDrop(.ipFragment, count: 4)
    return b
  }

  static func offloadedChecksums() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "checksums-offloaded",
      summary:
        "TCP checksums as a sending host's capture shows them (pseudo-header only) or zero: pairs are kept anyway.")
    let server = Endpoint.server(51)
    for (n, mode) in [ChecksumMode.offloaded, .zero].enumerated() {
      var s = b.session(
        client: .client(55 + n), server: server, offset: .microseconds(Int64(n * 11)), format: b.format(checksum: mode))
      b.expect(
        s.exchange(
          Message.post("/v1/offload/\(n)", server: server, body: Message.document(310 + UInt64(n), size: 2_500)),
          Message.ok(Message.document(320 + UInt64(n), size: 4_000))))
      s.tcp.close(initiator: .clientToServer)
      b.add(s)
    }
    return b
  }
}
