import SovrenModel

// The interceptor's filters and the request-line and header forms it must report verbatim.
extension Scenarios {
  static func filterContentType() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "filter-content-type",
      summary:
        "Content types: JSON, +json, form (any case, with parameters) on either half are kept; others are dropped.")
    let server = Endpoint.server(20)
    var s = b.session(client: .client(20), server: server)
    let text = Array("plain text".utf8)
    var random = SeededGenerator(seed: 99)
    // Kept: one half is enough.
    b.expect(
      s.exchange(
        Message.post(
          "/v1/ct/1", server: server, body: Message.document(100), contentType: "Application/JSON; charset=UTF-8"),
        Message.ok(text, contentType: "text/plain")))
    b.expect(
      s.exchange(
        Message.get("/v1/ct/2", server: server),
        Message.ok(Message.document(101), contentType: "application/vnd.api+json")))
    b.expect(
      s.exchange(
        Message.get("/v1/ct/3", server: server), Message.ok(Message.document(102), contentType: "APPLICATION/JSON")))
    b.expect(
      s.exchange(
        Message.post(
          "/v1/ct/4", server: server, body: Array("a=1&b=two".utf8),
          contentType: "application/x-www-form-urlencoded; charset=utf-8"),
        Message.ok(Array("<p>ok</p>".utf8), contentType: "text/html; charset=utf-8")))
    b.expect(
      s.exchange(
        Message.post(
          "/v1/ct/5", server: server, body: Message.document(103), method: "PATCH",
          contentType: "application/merge-patch+json"),
        Message.ok([], status: 204, reason: "No Content", contentType: nil, framing: .none)))
    // Dropped: no half carries an accepted type.
    b.expect(
      s.exchange(
        Message.get("/v1/ct/6", server: server),
        Message.ok(Array("<html><body>hi</body></html>".utf8), contentType: "text/html")))
    b.expect(
      s.exchange(
        Message.get("/v1/ct/7", server: server),
        Message.ok(SyntheticImage.png(size: 400, random: &random), contentType: "image/png")))
    b.expect(
      s.exchange(
        Message.post(
          "/v1/ct/8", server: server,
          body: Array("--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--xyz--\r\n".utf8),
          contentType: "multipart/form-data; boundary=xyz"),
        Message.ok(text, contentType: "text/plain")))
    b.expect(s.exchange(Message.get("/v1/ct/9", server: server), Message.ok(Message.document(104), contentType: nil)))
    b.expect(
      s.exchange(Message.get("/v1/ct/10", server: server), Message.ok(Message.document(105), contentType: "text/json")))
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }

  static func formURLEncoded() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "form-urlencoded",
      summary: "Form-encoded request bodies answered with HTML: kept because the request is a form.")
    let server = Endpoint.server(21)
    var s = b.session(client: .client(21), server: server)
    b.expect(
      s.exchange(
        Message.post(
          "/login", server: server, body: Array("username=alice%40example.com&password=hunter2&remember=on".utf8),
          contentType: "application/x-www-form-urlencoded"),
        Message.ok(Array("<html>welcome</html>".utf8), contentType: "text/html")))
    b.expect(
      s.exchange(
        Message.post(
          "/profile", server: server, body: Array("name=Bruno+Bianchi&phone=%2B1-555-0100&city=Lyon".utf8),
          method: "PUT",
          contentType: "application/x-www-form-urlencoded;charset=UTF-8", framing: .chunked(chunkSize: 16)),
        Message.ok(Array("saved".utf8), contentType: "text/plain")))
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }

  static func problemJSON() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "problem-json",
      summary: "application/problem+json is JSON: kept on a 2xx, dropped only for its status on a 422.")
    let server = Endpoint.server(22)
    var s = b.session(client: .client(22), server: server)
    let problem = Array("{\"type\":\"about:blank\",\"title\":\"Partial\",\"detail\":\"user bruno@example.com\"}".utf8)
    b.expect(
      s.exchange(
        Message.get("/v1/partial", server: server), Message.ok(problem, contentType: "application/problem+json")))
    b.expect(
      s.exchange(
        Message.post("/v1/invalid", server: server, body: Message.document(110)),
        Message.ok(problem, status: 422, reason: "Unprocessable Content", contentType: "application/problem+json")))
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }

  static func filterKubeProbe() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "filter-kube-probe",
      summary: "Kubelet probes (User-Agent kube-probe/…) are dropped; a look-alike agent is kept.")
    let server = Endpoint.server(23)
    var s = b.session(client: .client(23), server: server)
    b.expect(
      s.exchange(
        Message.get("/ready", server: server, userAgent: HeaderLine("User-Agent", "kube-probe/1.29")),
        Message.ok(Array("ok".utf8), contentType: "text/plain")))
    b.expect(
      s.exchange(
        Message.get("/live", server: server, userAgent: HeaderLine("user-agent", "kube-probe/1.30")),
        Message.ok(Array("{\"status\":\"up\"}".utf8))))
    b.expect(
      s.exchange(
        Message.get("/v1/status", server: server, userAgent: HeaderLine("User-Agent", "not-kube-probe/1.0")),
        Message.ok(Array("{\"status\":\"up\"}".utf8))))
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }

  static func filterSovrenRequest() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "filter-sovren-request",
      summary: "X-Sovren-Request / X-Soveren-Request on either half (any case) marks our own traffic: dropped.")
    let server = Endpoint.server(24)
    var s = b.session(client: .client(24), server: server)
    b.expect(
      s.exchange(
        Message.post(
          "/v1/s/1", server: server, body: Message.document(120), headers: [HeaderLine("X-Sovren-Request", "1")]),
        Message.ok(Message.document(121))))
    b.expect(
      s.exchange(
        Message.get("/v1/s/2", server: server),
        Message.ok(Message.document(122), headers: [HeaderLine("x-soveren-request", "true")])))
    b.expect(
      s.exchange(
        Message.get("/v1/s/3", server: server, headers: [HeaderLine("X-SOVEREN-REQUEST", "")]),
        Message.ok(Message.document(123))))
    b.expect(
      s.exchange(
        Message.get("/v1/s/4", server: server, headers: [HeaderLine("X-Sovren-Trace", "1")]),
        Message.ok(Message.document(124))))
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }

  static func filterStatus() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "filter-status", summary: "Status 301, 308, 4xx, 5xx are dropped; 2xx, 302 and 307 are kept.")
    let server = Endpoint.server(25)
    var s = b.session(client: .client(25), server: server)
    let statuses: [(Int, String)] = [
      (200, "OK"), (201, "Created"), (202, "Accepted"), (301, "Moved Permanently"), (302, "Found"),
      (307, "Temporary Redirect"), (308, "Permanent Redirect"), (400, "Bad Request"), (404, "Not Found"),
      (429, "Too Many Requests"), (499, "Client Closed Request"), (500, "Internal Server Error"),
      (503, "Service Unavailable"), (599, "Network Connect Timeout"),
    ]
    for (index, (status, reason)) in statuses.enumerated() {
      let location = (300..<400).contains(status) ? [HeaderLine("Location", "/v1/elsewhere")] : []
      b.expect(
        s.exchange(
          Message.post("/v1/status/\(status)", server: server, body: Message.document(130 + UInt64(index), size: 100)),
          Message.ok(Array("{\"code\":\(status)}".utf8), status: status, reason: reason, headers: location)))
    }
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }

  static func filterExcludedPaths() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "filter-excluded-paths",
      summary:
        "/metrics, /healthz, /api/health, /api/v2/alive, /api/v2/detect (query ignored) are dropped; lookalikes kept.")
    let server = Endpoint.server(26)
    var s = b.session(client: .client(26), server: server)
    let dropped = ["/metrics", "/healthz", "/api/health", "/api/v2/alive", "/metrics?name[]=up", "/healthz?verbose=1"]
    for path in dropped {
      b.expect(s.exchange(Message.get(path, server: server), Message.ok(Array("{\"up\":1}".utf8))))
    }
    b.expect(
      s.exchange(
        Message.post("/api/v2/detect", server: server, body: Array("{\"documents\":[{\"a\":1}]}".utf8)),
        Message.ok(Array("{\"results\":[]}".utf8))))
    for path in ["/v1/metrics", "/api/v2/users?from=/metrics"] {
      b.expect(s.exchange(Message.get(path, server: server), Message.ok(Array("{\"up\":1}".utf8))))
    }
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }

  static func targetForms() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "target-forms",
      summary:
        "Request targets reported verbatim: absolute form through a proxy, query strings, percent-encoding, OPTIONS *.")
    let server = Endpoint.server(27, port: 3128)
    var s = b.session(client: .client(27), server: server)
    let targets = [
      "http://orders.shop.svc.cluster.local:8080/v1/orders?customer=alice%40example.com&limit=10",
      "/v1/search?q=a+b&tags=x&tags=y&empty=",
      "/v1/items?",
      "/v1/caf%C3%A9/%7Euser;v=2",
    ]
    for (index, target) in targets.enumerated() {
      b.expect(s.exchange(Message.get(target, server: server), Message.ok(Message.document(140 + UInt64(index)))))
    }
    var options = Message.get("*", server: server)
    options.method = "OPTIONS"
    b.expect(
      s.exchange(
        options,
        Message.ok(Array("{\"methods\":[\"GET\",\"POST\"]}".utf8), headers: [HeaderLine("Allow", "GET, POST, OPTIONS")])
      ))
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }

  static func foldedAndDuplicateHeaders() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "header-forms",
      summary:
        "Headers in wire order and spelling: obs-fold continuations joined by one space, duplicates, odd case, padding."
    )
    let server = Endpoint.server(28)
    var s = b.session(client: .client(28), server: server)
    let request = SynthRequest(
      method: "POST", target: "/v1/headers",
      headers: [
        Message.host(server),
        HeaderLine("content-type", "application/json"),
        HeaderLine("X-Folded", "first part", continuations: ["  second part", "\tthird"]),
        HeaderLine("Accept", "application/json"),
        HeaderLine("Accept", "text/plain;q=0.5"),
        HeaderLine("X-CASE-Mixed", "A"),
        HeaderLine("X-Spaces", "    padded value   "),
        HeaderLine("X-Tab", "\tvalue\t"),
        HeaderLine("X-Empty", ""),
      ],
      body: Message.document(150))
    let response = SynthResponse(
      headers: [
        HeaderLine("CONTENT-TYPE", "application/json; charset=utf-8"),
        HeaderLine("Set-Cookie", "a=1; Path=/; HttpOnly"),
        HeaderLine("Set-Cookie", "b=2; Path=/"),
        HeaderLine("cache-control", "no-store"),
        HeaderLine("X-Long", "part one,", continuations: [" part two"]),
      ],
      body: Message.document(151))
    b.expect(s.exchange(request, response))
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }
}
