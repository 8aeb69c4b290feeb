// Real traffic, end to end: a Python HTTP server on the loopback interface, real `curl`
// clients, a real `tcpdump` writing the capture, and the real `sovren capture` executable
// reading it. The pairs out must be exactly the exchanges the test made, bodies byte for byte,
// and every filtered exchange must be counted under its reason.
//
// Needs root (live capture), `tcpdump`, `curl` and `python3`; the suite is skipped otherwise.
// The `sovren` executable is found next to the test bundle in the build products directory
// (see `LoopbackTools.sovrenExecutable`); the `InterceptionTests` target depends on
// `SovrenCLI` so that `swift build --build-tests` and `swift test` build it first. Set
// `SOVREN_EXECUTABLE` to test another build.

import Foundation
import Interception
import SovrenModel
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite(
  "Loopback capture of real curl traffic", .serialized,
  .enabled(if: LoopbackTools.missing.isEmpty, "needs root, tcpdump, curl and python3 to capture live traffic on lo"))
struct LoopbackCaptureTests {
  @Test("IPv4: every exchange curl made is one pair, every filtered one is counted")
  func ipv4Exchanges() async throws {
    let run = try await LoopbackRun.perform(family: .ipv4, calls: Self.ipv4Calls)
    try run.check(expected: Self.ipv4Expected, drops: Self.ipv4Drops, keepAliveTargets: Self.ipv4KeepAlive)
  }

  @Test(
    "IPv6: exchanges with [::1] are paired like IPv4 ones",
    .enabled(if: LoopbackTools.supportsIPv6Loopback, "IPv6 loopback (::1) is not available on this machine"))
  func ipv6Exchanges() async throws {
    let run = try await LoopbackRun.perform(family: .ipv6, calls: Self.ipv6Calls)
    try run.check(expected: Self.ipv6Expected, drops: Self.ipv6Drops, keepAliveTargets: Self.ipv6KeepAlive)
  }

  // MARK: IPv4 traffic

  static let checkoutJSON = Array(
    #"{"customer":{"email":"ada@example.com","card":"4111 1111 1111 1111"},"note":"d\u00e9j\u00e0 vu ✓"}"#.utf8)
  static let formBody = Array("name=Ada+Lovelace&email=ada%40example.com&tags=a&tags=b".utf8)
  static let updateJSON = Array(#"{"id":7,"active":false}"#.utf8)

  /// Requests on one keep-alive connection (one curl invocation, several URLs), in order.
  static let ipv4KeepAlive = [
    "/json/alpha?page=2&sort=asc", "/chunked/beta", "/large/gamma", "/missing/delta",
    "/metrics?format=prometheus", "/nocontent/epsilon", "/text/zeta", "/healthz", "/json/eta",
  ]

  static let ipv4Calls: [CurlCall] = [
    CurlCall(targets: ipv4KeepAlive),
    CurlCall(
      options: ["-X", "POST", "-H", "Content-Type: application/json", "--data-binary", string(checkoutJSON)],
      targets: ["/echo/theta"]),
    CurlCall(options: ["--compressed"], targets: ["/gzip/iota"]),
    CurlCall(options: ["--head"], targets: ["/json/kappa"]),
    CurlCall(options: ["--data-binary", string(formBody)], targets: ["/form/lambda"]),
    CurlCall(
      options: ["-X", "PUT", "-H", "Content-Type: application/json", "--data-binary", string(updateJSON)],
      targets: ["/nocontent/mu"]),
    CurlCall(options: ["--user-agent", "kube-probe/1.30"], targets: ["/json/nu"]),
    CurlCall(options: ["-H", "X-Sovren-Request: true"], targets: ["/json/xi"]),
    CurlCall(options: ["--http1.0"], targets: ["/close/omicron"]),
  ]

  static let ipv4Expected: [ExpectedPair] = [
    .json("/json/alpha?page=2&sort=asc"),
    .chunked("/chunked/beta"),
    .json("/large/gamma", items: ServerBodies.largeItems),
    .json("/json/eta"),
    .echo("/echo/theta", body: checkoutJSON),
    .gzip("/gzip/iota"),
    .head("/json/kappa"),
    .form("/form/lambda", body: formBody),
    .noContent("/nocontent/mu", method: "PUT", requestBody: updateJSON),
    .closeDelimited("/close/omicron"),
  ]

  static let ipv4Drops: [DropReason: UInt64] = [
    .status: 1,  // /missing/delta: 404
    .excludedPath: 2,  // /metrics?format=prometheus, /healthz
    .contentType: 2,  // /nocontent/epsilon (204, no type on either half), /text/zeta (text/plain)
    .kubeProbe: 1,  // /json/nu
    .sovrenRequest: 1,  // /json/xi
  ]

  // MARK: IPv6 traffic

  static let ipv6KeepAlive = ["/json/v6-alpha", "/chunked/v6-beta", "/missing/v6-gamma", "/large/v6-delta"]

  static let ipv6Calls: [CurlCall] = [
    CurlCall(targets: ipv6KeepAlive),
    CurlCall(
      options: ["-H", "Content-Type: application/json", "--data-binary", string(checkoutJSON)],
      targets: ["/echo/v6-epsilon"]),
    CurlCall(options: ["--compressed"], targets: ["/gzip/v6-zeta"]),
    CurlCall(options: ["--http1.0"], targets: ["/close/v6-eta"]),
  ]

  static let ipv6Expected: [ExpectedPair] = [
    .json("/json/v6-alpha"),
    .chunked("/chunked/v6-beta"),
    .json("/large/v6-delta", items: ServerBodies.largeItems),
    .echo("/echo/v6-epsilon", body: checkoutJSON),
    .gzip("/gzip/v6-zeta"),
    .closeDelimited("/close/v6-eta"),
  ]

  static let ipv6Drops: [DropReason: UInt64] = [.status: 1]  // /missing/v6-gamma: 404

  static func string(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}

// MARK: - What the test sends and expects

/// One curl invocation: its options, then one URL per target (curl reuses one connection for
/// all of them).
struct CurlCall: Sendable {
  var options: [String] = []
  var targets: [String]
}

enum AddressFamily: Sendable {
  case ipv4, ipv6

  var serverAddress: String { self == .ipv4 ? "127.0.0.1" : "::1" }
  var hostHeader: String { self == .ipv4 ? "127.0.0.1" : "[::1]" }
}

/// The bodies `Tests/Fixtures/servers/json_server.py` answers with; the two must agree.
enum ServerBodies {
  static let smallItems = 3
  static let largeItems = 7000

  /// `document(target, count)` in the server script.
  static func document(_ target: String, items: Int = smallItems) -> [UInt8] {
    let list = (0..<items).map { #"{"i":\#($0),"email":"user\#($0)@example.com"}"# }.joined(separator: ",")
    return Array(#"{"target":"\#(target)","items":[\#(list)]}"#.utf8)
  }

  static func echo(_ target: String, received: [UInt8]) -> [UInt8] {
    Array(#"{"target":"\#(target)","received":"#.utf8) + received + Array("}".utf8)
  }
}

/// A pair the interceptor must produce, with what the server is known to have sent.
struct ExpectedPair: Sendable {
  var method = "GET"
  var target: String
  var version = "HTTP/1.1"
  var requestBody: [UInt8] = []
  /// The request's `Content-Type`, when curl sent one.
  var requestContentType: String?
  var status = 200
  var reason = "OK"
  var responseVersion = "HTTP/1.1"
  var responseBody: [UInt8]
  /// The response head exactly as the server wrote it; nil when it holds a value the test
  /// cannot know (a compressed length): then only `responseHeaderNames` is checked.
  var responseHeaders: [HTTPHeader]?
  var responseHeaderNames: [String] = []

  static func json(_ target: String, items: Int = ServerBodies.smallItems) -> ExpectedPair {
    let body = ServerBodies.document(target, items: items)
    return ExpectedPair(target: target, responseBody: body, responseHeaders: contentHeaders("application/json", body))
  }

  static func chunked(_ target: String) -> ExpectedPair {
    ExpectedPair(
      target: target, responseBody: ServerBodies.document(target),
      responseHeaders: [
        HTTPHeader(name: "Content-Type", value: "application/json; charset=utf-8"),
        HTTPHeader(name: "Transfer-Encoding", value: "chunked"),
        HTTPHeader(name: "Trailer", value: "X-Checksum"),
      ])
  }

  static func gzip(_ target: String) -> ExpectedPair {
    ExpectedPair(
      target: target, responseBody: ServerBodies.document(target),
      responseHeaderNames: ["Content-Type", "Content-Encoding", "Content-Length"])
  }

  static func head(_ target: String) -> ExpectedPair {
    // The head announces the GET body's length, but a HEAD response carries no body.
    ExpectedPair(
      method: "HEAD", target: target, responseBody: [],
      responseHeaders: contentHeaders("application/json", ServerBodies.document(target)))
  }

  static func echo(_ target: String, body: [UInt8]) -> ExpectedPair {
    let answer = ServerBodies.echo(target, received: body)
    return ExpectedPair(
      method: "POST", target: target, requestBody: body, requestContentType: "application/json",
      responseBody: answer, responseHeaders: contentHeaders("application/json", answer))
  }

  static func form(_ target: String, body: [UInt8]) -> ExpectedPair {
    ExpectedPair(
      method: "POST", target: target, requestBody: body,
      requestContentType: "application/x-www-form-urlencoded", responseBody: body,
      responseHeaders: contentHeaders("application/x-www-form-urlencoded", body))
  }

  static func noContent(_ target: String, method: String, requestBody: [UInt8]) -> ExpectedPair {
    ExpectedPair(
      method: method, target: target, requestBody: requestBody, requestContentType: "application/json",
      status: 204, reason: "No Content", responseBody: [], responseHeaders: [])
  }

  static func closeDelimited(_ target: String) -> ExpectedPair {
    ExpectedPair(
      target: target, version: "HTTP/1.0", responseVersion: "HTTP/1.0", responseBody: ServerBodies.document(target),
      responseHeaders: [
        HTTPHeader(name: "Content-Type", value: "application/json"),
        HTTPHeader(name: "Connection", value: "close"),
      ])
  }

  private static func contentHeaders(_ type: String, _ body: [UInt8]) -> [HTTPHeader] {
    [HTTPHeader(name: "Content-Type", value: type), HTTPHeader(name: "Content-Length", value: "\(body.count)")]
  }
}

// MARK: - One capture, checked

/// The artefacts of one live capture: what `sovren capture` wrote and printed, and what the
/// in-process interceptor made of the same file.
struct LoopbackRun {
  var family: AddressFamily
  var port: Int
  var pcapName: String
  var cliPairs: [WirePair]
  var cliSummary: SummaryText
  var inProcess: CaptureResult

  /// Starts the server and tcpdump, runs the curl calls, stops the capture, and reads it
  /// with both the `sovren` executable and the in-process interceptor.
  static func perform(family: AddressFamily, calls: [CurlCall]) async throws -> LoopbackRun {
    let workspace = try Workspace()
    defer { workspace.remove() }
    let server = try await LoopbackServer.start(in: workspace)
    defer { server.stop() }
    if family == .ipv6 {
      try #require(server.servesIPv6, "the test server could not listen on [::1]")
    }
    let pcap = workspace.path("loopback.pcap")
    // A capture the kernel dropped packets from (a starved machine) says nothing about the
    // interceptor: take it again, a bounded number of times, and fail only if it never works.
    var kernelDrops = 0
    for _ in 0..<3 {
      kernelDrops = try await capture(calls, family: family, server: server, into: pcap, workspace: workspace)
      if kernelDrops == 0 { break }
    }
    try #require(kernelDrops == 0, "tcpdump lost \(kernelDrops) packets in the kernel three times: no complete capture")

    let output = workspace.path("pairs.jsonl")
    let sovren = try ChildProcess.launch(
      try LoopbackTools.sovrenExecutable(), ["capture", "--pcap", pcap, "--output", output],
      stdout: workspace.path("sovren.out"), stderr: workspace.path("sovren.err"))
    defer { sovren.stop() }
    let sovrenStatus = try await sovren.waitForExit(timeout: .seconds(120))
    let summaryText = workspace.text("sovren.err")
    try #require(sovrenStatus == 0, "sovren capture exited \(sovrenStatus): \(summaryText)")

    let lines = workspace.text("pairs.jsonl").split(separator: "\n", omittingEmptySubsequences: true)
    let cliPairs = try lines.map { try WirePair(jsonLine: $0) }
    return LoopbackRun(
      family: family, port: server.port, pcapName: URL(fileURLWithPath: pcap).lastPathComponent,
      cliPairs: cliPairs, cliSummary: SummaryText(summaryText), inProcess: try intercept(file: pcap))
  }

  /// Runs the curl calls while tcpdump captures them; returns the packets tcpdump said the
  /// kernel dropped.
  private static func capture(
    _ calls: [CurlCall], family: AddressFamily, server: LoopbackServer, into pcap: String, workspace: Workspace
  ) async throws -> Int {
    let tcpdump = try await Tcpdump.start(port: server.port, writingTo: pcap, in: workspace)
    defer { tcpdump.process.stop() }
    let base = "http://\(family.hostHeader):\(server.port)"
    for (index, call) in calls.enumerated() {
      let arguments =
        ["--silent", "--show-error", "--globoff", "--max-time", "20"] + call.options + call.targets.map { base + $0 }
      let curl = try ChildProcess.launch(
        LoopbackTools.curl ?? "curl", arguments, stdout: "/dev/null", stderr: workspace.path("curl-\(index).err"))
      defer { curl.stop() }
      let status = try await curl.waitForExit(timeout: .seconds(30))
      try #require(
        status == 0, "curl \(call.options) \(call.targets) exited \(status): \(workspace.text("curl-\(index).err"))")
    }
    return try await tcpdump.finish()
  }

  /// Exact comparison with what the test sent and the server answered.
  func check(expected: [ExpectedPair], drops: [DropReason: UInt64], keepAliveTargets: [String]) throws {
    // The executable and the library agree on every field of every pair, and on the counts.
    let library = inProcess.pairs.map { WirePair($0, interface: pcapName) }
    #expect(cliPairs == library, "sovren capture and the in-process interceptor disagree")
    #expect(cliSummary.pairsKept == inProcess.statistics.pairs)
    #expect(cliSummary.pairsKept.map { Int($0) } == cliPairs.count, "summary's pairs kept vs lines written")

    // The same set of exchanges, no more, no fewer.
    let key = { (method: String, target: String) in "\(method) \(target)" }
    let actualKeys = cliPairs.map { key($0.method, $0.target) }.sorted()
    let expectedKeys = expected.map { key($0.method, $0.target) }.sorted()
    #expect(actualKeys == expectedKeys, "pairs written vs exchanges expected")
    #expect(cliPairs.count == expected.count)

    for want in expected {
      let matches = cliPairs.filter { $0.method == want.method && $0.target == want.target }
      guard let got = matches.first else { continue }
      #expect(matches.count == 1, "\(want.method) \(want.target) written \(matches.count) times")
      check(got, against: want)
    }

    // Filtered exchanges: absent, and counted under exactly their reason, nothing else lost.
    for reason in DropReason.allCases {
      let want = drops[reason] ?? 0
      #expect(inProcess.statistics.drops[reason] == want, "in-process drops \(reason.label)")
      #expect(cliSummary.drops[reason.label] ?? 0 == want, "sovren capture summary drops \(reason.label)")
    }
    #expect(Set(cliSummary.drops.keys).isSubset(of: Set(DropReason.allCases.map(\.label))))
    #expect(cliSummary.totalDrops == drops.values.reduce(0, +))
    #expect(inProcess.statistics.bufferedBytes == 0, "bytes still buffered after the capture ended")

    // One curl invocation, one connection: its kept pairs share a client endpoint and come out
    // in the order they were sent.
    let expectedTargets = Set(expected.map(\.target))
    let keptOnConnection = keepAliveTargets.filter { expectedTargets.contains($0) }
    let written = cliPairs.filter { keepAliveTargets.contains($0.target) }
    #expect(written.map(\.target) == keptOnConnection, "keep-alive pairs out of order or missing")
    #expect(Set(written.map(\.clientEndpoint)).count == 1, "keep-alive pairs on more than one client endpoint")
  }

  private func check(_ got: WirePair, against want: ExpectedPair) {
    let name = "\(want.method) \(want.target)"
    #expect(got.version == want.version, "\(name): request version")
    #expect(got.status == want.status, "\(name): status")
    #expect(got.reason == want.reason, "\(name): reason")
    #expect(got.responseVersion == want.responseVersion, "\(name): response version")
    #expect(
      got.requestBody.count == want.requestBody.count && got.requestBody == want.requestBody,
      "\(name): request body (\(got.requestBody.count) bytes, expected \(want.requestBody.count))")
    #expect(
      got.responseBody.count == want.responseBody.count && got.responseBody == want.responseBody,
      "\(name): decoded response body (\(got.responseBody.count) bytes, expected \(want.responseBody.count))")
    #expect(got.serverIP == family.serverAddress && got.serverPort == port, "\(name): server endpoint")
    #expect(got.clientIP == family.serverAddress && got.clientPort != port, "\(name): client endpoint")
    #expect(got.interface == pcapName, "\(name): interface")
    #expect(got.node == "", "\(name): node")

    // Request headers as curl sent them.
    #expect(got.requestHeaders.first(named: "Host") == "\(family.hostHeader):\(port)", "\(name): Host header")
    #expect(got.requestHeaders.first(named: "User-Agent")?.hasPrefix("curl/") == true, "\(name): User-Agent")
    #expect(got.requestHeaders.first(named: "Content-Type") == want.requestContentType, "\(name): Content-Type")
    if !want.requestBody.isEmpty {
      #expect(got.requestHeaders.first(named: "Content-Length") == "\(want.requestBody.count)", "\(name): length")
    }
    // Response headers as the server wrote them, in order, spelled as sent.
    if let headers = want.responseHeaders {
      #expect(got.responseHeaders == headers, "\(name): response headers")
    } else {
      #expect(got.responseHeaders.map(\.name) == want.responseHeaderNames, "\(name): response header names")
    }
  }
}

// MARK: - The output file, read as plain JSON

/// One line of `sovren capture` output, read with JSONSerialization (not the generated
/// protobuf code) so that the canonical JSON contract itself is checked: camelCase names,
/// proto3 defaults omitted, bodies base64, timestamps RFC 3339.
struct WirePair: Equatable, CustomStringConvertible {
  var requestTime: Int64
  var responseTime: Int64
  var clientIP: String
  var clientPort: Int
  var serverIP: String
  var serverPort: Int
  var method: String
  var target: String
  var version: String
  var requestHeaders: [HTTPHeader]
  var requestBody: [UInt8]
  var status: Int
  var reason: String
  var responseVersion: String
  var responseHeaders: [HTTPHeader]
  var responseBody: [UInt8]
  var node: String
  var interface: String

  var clientEndpoint: String { "\(clientIP) \(clientPort)" }

  var description: String {
    "\(clientIP):\(clientPort)→\(serverIP):\(serverPort) \(method) \(target) → \(status) "
      + "(\(requestBody.count)/\(responseBody.count) body bytes)"
  }

  /// The pair as the JSON line for it must read; `interface` is what the executable stamps
  /// (the pcap's file name) where the library leaves it empty.
  init(_ pair: HTTPPair, interface: String) {
    requestTime = pair.requestTime.nanoseconds
    responseTime = pair.responseTime.nanoseconds
    clientIP = pair.client.ip.description
    clientPort = Int(pair.client.port)
    serverIP = pair.server.ip.description
    serverPort = Int(pair.server.port)
    method = pair.request.method
    target = pair.request.target
    version = pair.request.version
    requestHeaders = pair.request.headers
    requestBody = pair.request.body
    status = pair.response.status
    reason = pair.response.reason
    responseVersion = pair.response.version
    responseHeaders = pair.response.headers
    responseBody = pair.response.body
    node = pair.node
    self.interface = pair.interface.isEmpty ? interface : pair.interface
  }

  init(jsonLine: Substring) throws {
    let value = try JSONSerialization.jsonObject(with: Data(jsonLine.utf8))
    guard let object = value as? [String: Any] else { throw TestFailure("not a JSON object: \(jsonLine)") }
    let allowed: Set = [
      "requestTime", "responseTime", "client", "server", "request", "response", "node", "interface",
    ]
    let unknown = Set(object.keys).subtracting(allowed)
    guard unknown.isEmpty else { throw TestFailure("unexpected fields \(unknown.sorted()) in \(jsonLine)") }
    let client = try JSONFields(object, "client")
    let server = try JSONFields(object, "server")
    let request = try JSONFields(object, "request")
    let response = try JSONFields(object, "response")
    let top = JSONFields(object: object, path: "pair")
    requestTime = try top.timestamp("requestTime")
    responseTime = try top.timestamp("responseTime")
    clientIP = try client.string("ip")
    clientPort = try client.integer("port")
    serverIP = try server.string("ip")
    serverPort = try server.integer("port")
    method = try request.string("method")
    target = try request.string("target")
    version = try request.string("version")
    requestHeaders = try request.headers()
    requestBody = try request.bytes("body")
    status = try response.integer("status")
    reason = try response.string("reason")
    responseVersion = try response.string("version")
    responseHeaders = try response.headers()
    responseBody = try response.bytes("body")
    node = try top.string("node")
    interface = try top.string("interface")
  }
}

/// Typed access to one JSON object of a pair, with proto3 JSON defaults for absent fields.
struct JSONFields {
  var object: [String: Any]
  var path: String

  init(object: [String: Any], path: String) {
    self.object = object
    self.path = path
  }

  init(_ parent: [String: Any], _ key: String) throws {
    guard let child = parent[key] as? [String: Any] else { throw TestFailure("missing object '\(key)'") }
    self.init(object: child, path: key)
  }

  func string(_ key: String) throws -> String {
    guard let value = object[key] else { return "" }
    guard let text = value as? String else { throw TestFailure("\(path).\(key) is not a string: \(value)") }
    return text
  }

  func integer(_ key: String) throws -> Int {
    guard let value = object[key] else { return 0 }
    if !(value is Bool), let number = value as? Int { return number }
    throw TestFailure("\(path).\(key) is not a number: \(value)")
  }

  func bytes(_ key: String) throws -> [UInt8] {
    let text = try string(key)
    guard let data = Data(base64Encoded: text) else { throw TestFailure("\(path).\(key) is not base64: \(text)") }
    return [UInt8](data)
  }

  func headers() throws -> [HTTPHeader] {
    guard let value = object["headers"] else { return [] }
    guard let list = value as? [[String: Any]] else { throw TestFailure("\(path).headers is not a list") }
    return try list.map {
      let header = JSONFields(object: $0, path: "\(path).headers[]")
      return HTTPHeader(name: try header.string("name"), value: try header.string("value"))
    }
  }

  /// An RFC 3339 UTC timestamp (`2024-05-01T12:00:00.123456Z`) as nanoseconds since the epoch.
  func timestamp(_ key: String) throws -> Int64 {
    let text = try string(key)
    guard let nanoseconds = RFC3339.nanoseconds(text) else {
      throw TestFailure("\(path).\(key) is not an RFC 3339 UTC timestamp: '\(text)'")
    }
    return nanoseconds
  }
}

enum RFC3339 {
  static func nanoseconds(_ text: String) -> Int64? {
    let bytes = Array(text.utf8)
    // yyyy-mm-ddThh:mm:ss[.fraction]Z
    guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z"), bytes[10] == UInt8(ascii: "T") else { return nil }
    func number(_ range: Range<Int>) -> Int64? {
      guard range.upperBound <= bytes.count else { return nil }
      var value: Int64 = 0
      for byte in bytes[range] {
        guard byte >= 0x30, byte <= 0x39 else { return nil }
        value = value * 10 + Int64(byte - 0x30)
      }
      return value
    }
    guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
      let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
    else { return nil }
    var fraction: Int64 = 0
    let fractionDigits = bytes.count - 1 - 20
    if bytes[19] == UInt8(ascii: ".") {
      guard (1...9).contains(fractionDigits), let digits = number(20..<(bytes.count - 1)) else { return nil }
      fraction = digits
      for _ in fractionDigits..<9 { fraction *= 10 }
    } else {
      guard bytes.count == 20 else { return nil }
    }
    // Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    let days = era * 146_097 + dayOfEra - 719_468
    return ((days * 24 + hour) * 60 + minute) * 60 * 1_000_000_000 + second * 1_000_000_000 + fraction
  }
}

/// `sovren capture`'s standard error: "pairs kept: N", then "drops: none" or "drops: T" and
/// one "  reason: count" line per reason.
struct SummaryText {
  var pairsKept: UInt64?
  var totalDrops: UInt64?
  var drops: [String: UInt64] = [:]

  init(_ text: String) {
    var inDrops = false
    for line in text.split(separator: "\n") {
      if line.hasPrefix("pairs kept: ") {
        pairsKept = UInt64(line.dropFirst("pairs kept: ".count))
        inDrops = false
      } else if line.hasPrefix("drops: ") {
        let value = line.dropFirst("drops: ".count)
        totalDrops = value == "none" ? 0 : UInt64(value)
        inDrops = true
      } else if inDrops, line.hasPrefix("  "), let colon = line.firstIndex(of: ":") {
        let label = line[..<colon].trimmingCharacters(in: .whitespaces)
        drops[label] = UInt64(line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
      } else {
        inDrops = false
      }
    }
  }
}

// MARK: - Tools and processes

/// The programs the suite drives, and whether this machine can run it.
enum LoopbackTools {
  static let tcpdump = find("tcpdump")
  static let curl = find("curl")
  static let python = find("python3")

  /// What is missing for a live capture; empty when the suite can run.
  static let missing: [String] = {
    var missing: [String] = []
    if geteuid() != 0 { missing.append("root") }
    if tcpdump == nil { missing.append("tcpdump") }
    if curl == nil { missing.append("curl") }
    if python == nil { missing.append("python3") }
    return missing
  }()

  /// Whether a socket can listen on [::1].
  static let supportsIPv6Loopback: Bool = {
    #if canImport(Glibc)
      let descriptor = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
    #else
      let descriptor = socket(AF_INET6, SOCK_STREAM, 0)
    #endif
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var address = sockaddr_in6()
    address.sin6_family = sa_family_t(AF_INET6)
    address.sin6_addr = in6addr_loopback
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
      }
    }
    return bound == 0
  }()

  /// The `sovren` executable of this build (see `builtExecutable(named:)`).
  static func sovrenExecutable() throws -> String {
    try builtExecutable(named: "sovren")
  }

  private static func find(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]
    return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
  }
}

/// A private temporary directory, removed when the test is done with it.
struct Workspace {
  let directory: String

  init() throws {
    directory = temporaryPath("loopback")
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  }

  func path(_ name: String) -> String { "\(directory)/\(name)" }

  /// A file's text, or "" when it does not exist yet.
  func text(_ name: String) -> String {
    (try? String(contentsOfFile: path(name), encoding: .utf8)) ?? ""
  }

  func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

/// `Tests/Fixtures/servers/json_server.py`, listening on a free port of 127.0.0.1 (and [::1]).
struct LoopbackServer {
  let process: ChildProcess
  let port: Int
  let servesIPv6: Bool

  static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/servers/json_server.py").path

  static func start(in workspace: Workspace) async throws -> LoopbackServer {
    let process = try ChildProcess.launch(
      LoopbackTools.python ?? "python3", ["-u", script], stdout: workspace.path("server.out"),
      stderr: workspace.path("server.err"))
    do {
      try await waitUntil(timeout: .seconds(15), "the test server to listen") {
        workspace.text("server.out").contains("\n") || !process.isRunning
      }
      // "READY <port> ipv6=<yes|no>"
      let words = workspace.text("server.out").split(whereSeparator: \.isWhitespace)
      guard words.count == 3, words[0] == "READY", let port = Int(words[1]) else {
        throw TestFailure(
          "the test server did not start: \(workspace.text("server.out")) \(workspace.text("server.err"))")
      }
      return LoopbackServer(process: process, port: port, servesIPv6: words[2] == "ipv6=yes")
    } catch {
      process.stop()
      throw error
    }
  }

  func stop() { process.stop() }
}

/// `tcpdump` writing every packet of one port on `lo` to a pcap file.
struct Tcpdump {
  let process: ChildProcess
  let workspace: Workspace
  let file: String

  static func start(port: Int, writingTo file: String, in workspace: Workspace) async throws -> Tcpdump {
    // -U with --immediate-mode: each packet reaches the file as it is seen, so nothing waits in
    // a buffer when we stop. -Z root: stay root so the file in our private directory is
    // writable (tcpdump drops to its own user by default).
    let process = try ChildProcess.launch(
      LoopbackTools.tcpdump ?? "tcpdump",
      ["-i", "lo", "-w", file, "-U", "--immediate-mode", "-B", "32768", "-s", "0", "-Z", "root", "tcp port \(port)"],
      stdout: workspace.path("tcpdump.out"), stderr: workspace.path("tcpdump.err"))
    do {
      try await waitUntil(timeout: .seconds(15), "tcpdump to start capturing") {
        workspace.text("tcpdump.err").contains("listening on") || !process.isRunning
      }
      guard process.isRunning else {
        throw TestFailure("tcpdump did not start: \(workspace.text("tcpdump.err"))")
      }
      // The socket is open and filtered once tcpdump says it listens; let it settle anyway.
      try await Task.sleep(for: .milliseconds(300))
    } catch {
      process.stop()
      throw error
    }
    return Tcpdump(process: process, workspace: workspace, file: file)
  }

  /// Stops the capture cleanly once the file stops growing; returns the packets the kernel
  /// dropped, as tcpdump reports them.
  func finish() async throws -> Int {
    var lastSize = -1
    var stableSince = ContinuousClock.now
    try await waitUntil(timeout: .seconds(10), "the capture file to stop growing") {
      let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
      if size != lastSize {
        lastSize = size
        stableSince = ContinuousClock.now
      }
      return ContinuousClock.now - stableSince >= .milliseconds(500)
    }
    process.signal(SIGINT)
    let status = try await process.waitForExit(timeout: .seconds(15))
    let report = workspace.text("tcpdump.err")
    guard status == 0 else { throw TestFailure("tcpdump exited \(status): \(report)") }
    guard let line = report.split(separator: "\n").first(where: { $0.hasSuffix("packets dropped by kernel") }),
      let dropped = Int(line.split(separator: " ")[0])
    else { throw TestFailure("tcpdump did not report its drops: \(report)") }
    return dropped
  }
}
