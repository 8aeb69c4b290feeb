import Foundation
import SovrenModel
import SwiftProtobuf
import Testing
import TrafficSynth

@testable import SovrenProto

/// The fast encoder must write exactly what swift-protobuf writes for the same pair: `sovren
/// capture`'s output is specified as the canonical protobuf JSON of `sovren.v1.HttpPair`.
@Suite("Canonical pair JSON")
struct PairJSONTests {
  @Test("every expected pair of every scenario encodes as swift-protobuf encodes it")
  func scenarioPairs() throws {
    var count = 0
    for scenario in Scenarios.all {
      for pair in scenario.expectedPairs {
        try expectSameJSON(pair, "\(scenario.name)")
        count += 1
      }
    }
    #expect(count > 50)
  }

  @Test("edge cases encode as swift-protobuf encodes them", arguments: EdgeCase.all)
  func edgeCase(_ edge: EdgeCase) throws {
    try expectSameJSON(edge.pair, edge.name)
  }

  @Test("edge cases with valid text read back as the same pair", arguments: EdgeCase.all.filter(\.roundTrips))
  func edgeCaseRoundTrip(_ edge: EdgeCase) throws {
    try expectRoundTrip(edge.pair, edge.name)
  }

  @Test("a pair with every field at its default prints only the always-set messages")
  func defaults() throws {
    let json = String(decoding: EdgeCase.empty.canonicalJSON, as: UTF8.self)
    #expect(
      json == #"{"requestTime":"1970-01-01T00:00:00Z","responseTime":"1970-01-01T00:00:00Z","#
        + #""client":{"ip":"0.0.0.0"},"server":{"ip":"0.0.0.0"},"request":{},"response":{}}"#)
  }

  @Test("random pairs encode as swift-protobuf encodes them and read back unchanged")
  func randomPairs() throws {
    var random = SeededGenerator(seed: 0x5EED_1503)
    for index in 0..<3000 {
      let pair = RandomPair.make(&random)
      try expectSameJSON(pair, "random pair \(index)")
      try expectRoundTrip(pair, "random pair \(index)")
    }
  }

  @Test("appending keeps what the buffer held and reusing it gives the same bytes")
  func appendReusesBuffer() throws {
    var random = SeededGenerator(seed: 7)
    var buffer: [UInt8] = Array("prefix".utf8)
    let first = RandomPair.make(&random)
    first.appendCanonicalJSON(to: &buffer)
    #expect(buffer == Array("prefix".utf8) + first.canonicalJSON)
    for _ in 0..<200 {
      let pair = RandomPair.make(&random)
      buffer.removeAll(keepingCapacity: true)
      pair.appendCanonicalJSON(to: &buffer)
      expectSameBytes(buffer, try Sovren_V1_HttpPair(pair).jsonUTF8Bytes(), "reused buffer")
    }
  }

  /// `PacketTime` spans only 1677–2262; the formatter itself must match over all the years a
  /// Timestamp may print.
  @Test("timestamps format as swift-protobuf formats them from year 1 to 9999")
  func timestampRange() throws {
    let first: Int64 = -62_135_596_800  // 0001-01-01T00:00:00Z
    let last: Int64 = 253_402_300_799  // 9999-12-31T23:59:59Z
    var cases: [(Int64, Int32)] = [
      (first, 0), (first, 999_999_999), (last, 0), (last, 999_999_999), (0, 0), (-1, 999_999_999),
      (951_782_400, 0),  // 2000-02-29
      (-2_203_891_200, 0),  // 1900-03-01
      (-62_072_524_800, 0),  // 0003-01-01
      (-62_067_254_400, 1),  // 0004-03-02 … after the year-4 leap day
    ]
    var random = SeededGenerator(seed: 1970)
    for _ in 0..<5000 {
      let seconds = first + Int64(random.next() % UInt64(last - first + 1))
      cases.append((seconds, RandomPair.nanos(&random)))
    }
    for (seconds, nanos) in cases {
      let expected: [UInt8] = try Google_Protobuf_Timestamp(seconds: seconds, nanos: nanos).jsonUTF8Bytes()
      expectSameBytes(canonicalTimestampJSON(seconds: seconds, nanos: nanos), expected, "\(seconds) s \(nanos) ns")
    }
  }

  private func expectSameJSON(
    _ pair: HTTPPair, _ label: String, sourceLocation: SourceLocation = #_sourceLocation
  )
    throws
  {
    let expected: [UInt8] = try Sovren_V1_HttpPair(pair).jsonUTF8Bytes()
    expectSameBytes(pair.canonicalJSON, expected, label, sourceLocation: sourceLocation)
  }

  /// Byte equality, reported as the first difference with some text around it.
  private func expectSameBytes(
    _ actual: [UInt8], _ expected: [UInt8], _ label: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    guard actual != expected else { return }
    let offset = zip(actual, expected).prefix { $0 == $1 }.count
    func around(_ bytes: [UInt8]) -> String {
      String(decoding: bytes[max(0, offset - 40)..<min(bytes.count, offset + 40)], as: UTF8.self).debugDescription
    }
    Issue.record(
      "\(label): first difference at byte \(offset) of \(expected.count)\n  fast:  \(around(actual))\n  proto: \(around(expected))",
      sourceLocation: sourceLocation)
  }

  private func expectRoundTrip(
    _ pair: HTTPPair, _ label: String, sourceLocation: SourceLocation = #_sourceLocation
  )
    throws
  {
    let message = try Sovren_V1_HttpPair(jsonUTF8Bytes: pair.canonicalJSON)
    #expect(try HTTPPair(message) == pair, "\(label)", sourceLocation: sourceLocation)
  }
}

/// A hand-built pair that pins down one rule of the encoding.
struct EdgeCase: Sendable, CustomTestStringConvertible {
  var name: String
  var pair: HTTPPair
  /// Whether the JSON reads back as the same pair: not when text was repaired on the way in or
  /// a value was clamped.
  var roundTrips = true

  var testDescription: String { name }

  static let empty = HTTPPair(
    requestTime: PacketTime(nanoseconds: 0), responseTime: PacketTime(nanoseconds: 0),
    client: Endpoint(ip: IPAddress(ipv4: 0), port: 0), server: Endpoint(ip: IPAddress(ipv4: 0), port: 0),
    request: HTTPRequest(method: "", target: "", version: "", headers: [], body: []),
    response: HTTPResponse(status: 0, reason: "", version: "", headers: [], body: []))

  static let typical = HTTPPair(
    requestTime: PacketTime(nanoseconds: 1_700_000_000_123_456_789),
    responseTime: PacketTime(nanoseconds: 1_700_000_000_200_000_000),
    client: Endpoint(ip: IPAddress(ipv4: 0x0A00_0001), port: 51_234),
    server: Endpoint(ip: IPAddress(ipv4: 0xC0A8_0102), port: 8080),
    request: HTTPRequest(
      method: "POST", target: "/api/v1/items?x=1&y=<2>", version: "HTTP/1.1",
      headers: [
        HTTPHeader(name: "Host", value: "example.com"), HTTPHeader(name: "Content-Type", value: "application/json"),
      ],
      body: Array(#"{"a":1}"#.utf8)),
    response: HTTPResponse(
      status: 201, reason: "Created", version: "HTTP/1.1",
      headers: [HTTPHeader(name: "Content-Length", value: "2")], body: Array("{}".utf8)),
    node: "node-1", interface: "eth0")

  static func with(_ name: String, roundTrips: Bool = true, _ change: (inout HTTPPair) -> Void) -> EdgeCase {
    var pair = typical
    change(&pair)
    return EdgeCase(name: name, pair: pair, roundTrips: roundTrips)
  }

  /// Every header string field, the method, target, reason, node and interface set to `text`.
  static func everywhere(_ name: String, _ text: String, roundTrips: Bool = true) -> EdgeCase {
    with(name, roundTrips: roundTrips) {
      $0.request.method = text
      $0.request.target = text
      $0.request.version = text
      $0.request.headers = [HTTPHeader(name: text, value: text)]
      $0.response.reason = text
      $0.response.version = text
      $0.response.headers = [HTTPHeader(name: "x", value: text), HTTPHeader(name: text, value: "")]
      $0.node = text
      $0.interface = text
    }
  }

  static func time(_ name: String, _ nanoseconds: Int64) -> EdgeCase {
    with("time: \(name)") {
      $0.requestTime = PacketTime(nanoseconds: nanoseconds)
      $0.responseTime = PacketTime(nanoseconds: nanoseconds)
    }
  }

  static var all: [EdgeCase] {
    var cases = [
      EdgeCase(name: "every field at its default", pair: empty),
      EdgeCase(name: "typical", pair: typical),
      with("empty bodies") {
        $0.request.body = []
        $0.response.body = []
      },
      with("no headers") {
        $0.request.headers = []
        $0.response.headers = []
      },
      with("headers with empty names and values") {
        $0.request.headers = [HTTPHeader(name: "", value: ""), HTTPHeader(name: "", value: "v")]
        $0.response.headers = [HTTPHeader(name: "n", value: ""), HTTPHeader(name: "", value: "")]
      },
      with("only a reason in the response") {
        $0.response = HTTPResponse(status: 0, reason: "X", version: "", headers: [], body: [])
      },
      with("only a body in the request") {
        $0.request = HTTPRequest(method: "", target: "", version: "", headers: [], body: [0])
      },
      with("empty node, set interface") { $0.node = "" },
      with("set node, empty interface") { $0.interface = "" },
      with("all 256 byte values in both bodies") {
        $0.request.body = Array(0...255)
        $0.response.body = Array((0...255).reversed())
      },
      with("a 100 kB body") { $0.response.body = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) } },
      everywhere("every C0 control, DEL", String(decoding: Array(0...0x1F) + [0x7F], as: UTF8.self)),
      everywhere("C1 controls and their neighbours", "\u{7E}\u{7F}\u{80}\u{85}\u{9F}\u{A0}\u{A9}\u{FF}\u{100}"),
      everywhere("quotes and backslashes", #"a"b\c\\"d\"e"'f"#),
      everywhere("characters other encoders escape", "/</script>&amp;=+'`\u{2028}\u{2029}\u{FEFF}\u{FFFD}"),
      everywhere("non-BMP", "😀👩‍👩‍👧‍👦𝄞\u{10FFFF}"),
      everywhere("mixed scripts", "naïve café Ω ж 中文 עברית"),
      everywhere(
        "invalid UTF-8 repaired by String(decoding:as:)",
        String(decoding: [0x61, 0xFF, 0xC0, 0x80, 0xED, 0xA0, 0x80, 0xF0, 0x9F, 0x98, 0x62, 0xC2], as: UTF8.self)),
      everywhere("a lone 0xC2 C1-lookalike repaired", String(decoding: [0xC2, 0xC2, 0x85, 0xC2], as: UTF8.self)),
      with("IPv6 endpoints") {
        $0.client = Endpoint(ip: IPAddress(ipv6High: 0x2001_0db8_0000_0000, low: 0x0000_0000_0000_0001), port: 443)
        $0.server = Endpoint(ip: IPAddress(ipv6High: 0xfe80_0000_0000_0000, low: 0x0001_0002_0003_0004), port: 1)
      },
      with("IPv6 :: and all ones") {
        $0.client = Endpoint(ip: IPAddress(ipv6High: 0, low: 0), port: 0)
        $0.server = Endpoint(ip: IPAddress(ipv6High: .max, low: .max), port: 65_535)
      },
      with("IPv4 extremes") {
        $0.client = Endpoint(ip: IPAddress(ipv4: 0), port: 0)
        $0.server = Endpoint(ip: IPAddress(ipv4: .max), port: 65_535)
      },
      with("status 0") { $0.response.status = 0 },
      with("status 1") { $0.response.status = 1 },
      with("status 999") { $0.response.status = 999 },
      with("status UInt32.max") { $0.response.status = Int(UInt32.max) },
      with("negative status clamps to the default", roundTrips: false) { $0.response.status = -5 },
      with("status beyond UInt32 clamps", roundTrips: false) { $0.response.status = Int(UInt32.max) + 7 },
      time("0 ns", 0),
      time("1 ns", 1),
      time("1 µs", 1_000),
      time("1 ms", 1_000_000),
      time("999 999 999 ns", 999_999_999),
      time("10 µs + 1 ms", 1_010_000),
      time("1 s", 1_000_000_000),
      time("-1 ns", -1),
      time("-1 ms", -1_000_000),
      time("-1 s", -1_000_000_000),
      time("1969-07-20", -14_182_940_000_000_000),
      time("leap day 2024", 1_709_164_800_000_000_000),
      time("Int64.min (1677)", .min),
      time("Int64.max (2262)", .max),
    ]
    for length in 0...7 {
      cases.append(
        with("body of \(length) bytes") {
          $0.request.body = Array(repeating: 0xFF, count: length)
          $0.response.body = (0..<length).map { UInt8($0 + 1) }
        })
    }
    return cases
  }
}

/// Random pairs for the property test: strings from every class the escaping distinguishes.
enum RandomPair {
  static func make(_ random: inout SeededGenerator) -> HTTPPair {
    HTTPPair(
      requestTime: PacketTime(nanoseconds: time(&random)), responseTime: PacketTime(nanoseconds: time(&random)),
      client: endpoint(&random), server: endpoint(&random),
      request: HTTPRequest(
        method: text(&random), target: text(&random), version: text(&random), headers: headers(&random),
        body: bytes(&random)),
      response: HTTPResponse(
        status: random.chance(0.1) ? 0 : random.below(1000), reason: text(&random), version: text(&random),
        headers: headers(&random), body: bytes(&random)),
      node: text(&random), interface: text(&random))
  }

  /// Nanoseconds that print with each of 0, 3, 6 and 9 fractional digits.
  static func nanos(_ random: inout SeededGenerator) -> Int32 {
    let value = Int32(random.below(1_000_000_000))
    switch random.below(4) {
    case 0: return 0
    case 1: return value / 1_000_000 * 1_000_000
    case 2: return value / 1000 * 1000
    default: return value
    }
  }

  static func time(_ random: inout SeededGenerator) -> Int64 {
    let seconds = Int64(random.below(8_000_000_000)) - 4_000_000_000
    return seconds * 1_000_000_000 + Int64(nanos(&random))
  }

  static func endpoint(_ random: inout SeededGenerator) -> Endpoint {
    let ip =
      random.chance(0.3)
      ? IPAddress(ipv6High: random.chance(0.5) ? 0 : random.next(), low: random.chance(0.3) ? 1 : random.next())
      : IPAddress(ipv4: UInt32(truncatingIfNeeded: random.next()))
    return Endpoint(ip: ip, port: random.chance(0.1) ? 0 : UInt16(truncatingIfNeeded: random.next()))
  }

  static func headers(_ random: inout SeededGenerator) -> [HTTPHeader] {
    (0..<random.below(5)).map { _ in HTTPHeader(name: text(&random), value: text(&random)) }
  }

  static func bytes(_ random: inout SeededGenerator) -> [UInt8] {
    let count = random.chance(0.2) ? 0 : random.below(random.chance(0.1) ? 5000 : 40)
    return (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
  }

  static func text(_ random: inout SeededGenerator) -> String {
    if random.chance(0.2) { return "" }
    // Random bytes, repaired the way the interceptor repairs undecodable header text.
    if random.chance(0.15) { return String(decoding: bytes(&random), as: UTF8.self) }
    var scalars = String.UnicodeScalarView()
    for _ in 0..<random.below(24) {
      let value: UInt32 =
        switch random.below(8) {
        case 0: UInt32(random.below(0x20))
        case 1: 0x7F + UInt32(random.below(0x30))  // DEL, C1 controls, Latin-1
        case 2: random.pick([0x22, 0x5C, 0x2F, 0x3C, 0x3E, 0x26, 0x3D, 0x2028, 0x2029, 0xFFFD])
        case 3: 0x100 + UInt32(random.below(0xD700))
        case 4: 0xE000 + UInt32(random.below(0x2000))
        case 5: 0x10000 + UInt32(random.below(0x100000))
        default: 0x20 + UInt32(random.below(0x5F))
        }
      if let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
    }
    return String(scalars)
  }
}
