import SovrenModel

// A small, realistic capture for the README demo: a few services talking JSON, with some
// traffic the filters drop.
extension Scenarios {
  /// About 50 exchanges between five services: mostly JSON with names, emails and card-like
  /// numbers, plus a metrics scrape, kubelet probes, a 404 and an HTML page that are dropped.
  public static var sample: Scenario { sampleBuilder().build() }

  static func sampleBuilder() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "sample", summary: "Five services exchanging JSON, with a few exchanges the filters drop.")
    let services = [
      ("frontend", Endpoint.server(100)), ("users", Endpoint.server(101, port: 8081)), ("orders", Endpoint.server(102)),
      ("payments", Endpoint.server(103, port: 9000)), ("notifications", Endpoint.server(104)),
    ]
    var random = SeededGenerator(seed: 2024)
    for connection in 0..<8 {
      let (name, server) = services[1 + connection % 4]
      var s = b.session(
        client: .client(100 + connection), server: server, offset: .milliseconds(Int64(connection * 3)),
        clientISN: UInt32(truncatingIfNeeded: random.next()), serverISN: UInt32(truncatingIfNeeded: random.next()))
      s.serverLatency = .milliseconds(Int64(1 + random.below(20)))
      s.clientThinkTime = .milliseconds(Int64(5 + random.below(40)))
      for k in 0..<6 {
        let id = 1_000 + connection * 10 + k
        switch (name, k % 3) {
        case ("users", 0):
          b.expect(
            s.exchange(
              Message.get("/api/v1/users/\(id)", server: server),
              Message.ok(Array(SyntheticJSON.person(&random, id: id).utf8))))
        case ("users", _):
          b.expect(
            s.exchange(
              Message.post("/api/v1/users", server: server, body: Array(SyntheticJSON.person(&random, id: id).utf8)),
              Message.ok(Array("{\"id\":\(id),\"created\":true}".utf8), status: 201, reason: "Created")))
        case ("orders", 0):
          b.expect(
            s.exchange(
              Message.get("/api/v1/orders?customer=\(id)&limit=5", server: server),
              Message.ok(Message.document(UInt64(id), size: 1_500), coding: k == 3 ? .gzip : .identity)))
        case ("orders", _):
          b.expect(
            s.exchange(
              Message.post("/api/v1/orders", server: server, body: Array(SyntheticJSON.order(&random, id: id).utf8)),
              Message.ok(Array("{\"orderId\":\"ord_\(id)\",\"status\":\"accepted\"}".utf8))))
        case ("payments", _):
          let card = "4111 1111 1111 \(1_000 + random.below(9_000))"
          b.expect(
            s.exchange(
              Message.post(
                "/v2/charges", server: server,
                body: Array(
                  "{\"amount\":\(random.below(50_000)),\"currency\":\"EUR\",\"card\":{\"number\":\"\(card)\",\"holder\":\"\(random.pick(SyntheticJSON.firstNames)) \(random.pick(SyntheticJSON.lastNames))\",\"cvc\":\"\(100 + random.below(900))\"}}"
                    .utf8)),
              Message.ok(
                Array("{\"chargeId\":\"ch_\(id)\",\"status\":\"succeeded\"}".utf8), framing: .chunked(chunkSize: 32))))
        default:
          b.expect(
            s.exchange(
              Message.post(
                "/notify", server: server,
                body: Array(
                  "to=\(random.pick(SyntheticJSON.firstNames).lowercased())%40example.com&template=welcome".utf8),
                contentType: "application/x-www-form-urlencoded"),
              Message.ok([], status: 202, reason: "Accepted", contentType: nil)))
        }
      }
      s.tcp.close(initiator: .clientToServer)
      b.add(s)
    }
    // Traffic the filters drop.
    let frontend = services[0].1
    var noise = b.session(client: .client(120), server: frontend, offset: .milliseconds(2))
    b.expect(
      noise.exchange(
        Message.get("/metrics", server: frontend, userAgent: HeaderLine("User-Agent", "Prometheus/2.48.0")),
        Message.ok(Array("# TYPE up gauge\nup 1\n".utf8), contentType: "text/plain; version=0.0.4")))
    for _ in 0..<2 {
      b.expect(
        noise.exchange(
          Message.get("/ready", server: frontend, userAgent: HeaderLine("User-Agent", "kube-probe/1.29")),
          Message.ok(Array("ok".utf8), contentType: "text/plain")))
    }
    b.expect(
      noise.exchange(
        Message.get("/api/v1/users/404", server: frontend),
        Message.ok(Array("{\"error\":\"not found\"}".utf8), status: 404, reason: "Not Found")))
    b.expect(
      noise.exchange(
        Message.get("/", server: frontend),
        Message.ok(Array("<html><body>Shop</body></html>".utf8), contentType: "text/html")))
    noise.tcp.close(initiator: .clientToServer)
    b.add(noise)
    return b
  }
}
