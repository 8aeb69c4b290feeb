import SovrenModel

// Addresses, endpoints and message shorthands shared by the scenario catalogue.

extension IPAddress {
  /// An IPv4 address from its four octets.
  public static func v4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> IPAddress {
    IPAddress(ipv4: UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d))
  }

  /// An address in the documentation prefix 2001:db8::/32 with `host` in the last 16 bits.
  public static func v6(subnet: UInt16, host: UInt16) -> IPAddress {
    IPAddress(ipv6High: 0x2001_0db8_0000_0000 | UInt64(subnet), low: UInt64(host))
  }
}

extension Endpoint {
  /// Client `n` of a scenario: 10.1.x.y on an ephemeral port.
  static func client(_ n: Int, port: UInt16? = nil) -> Endpoint {
    Endpoint(
      ip: .v4(10, 1, UInt8(truncatingIfNeeded: n / 250), UInt8(truncatingIfNeeded: n % 250 + 2)),
      port: port ?? UInt16(truncatingIfNeeded: 40_000 + n * 7))
  }

  /// Server `n` of a scenario: 10.2.x.y on port 8080 by default.
  static func server(_ n: Int, port: UInt16 = 8080) -> Endpoint {
    Endpoint(ip: .v4(10, 2, UInt8(truncatingIfNeeded: n / 250), UInt8(truncatingIfNeeded: n % 250 + 2)), port: port)
  }

  static func client6(_ n: Int) -> Endpoint {
    Endpoint(
      ip: .v6(subnet: 1, host: UInt16(truncatingIfNeeded: n + 2)), port: UInt16(truncatingIfNeeded: 50_000 + n * 3))
  }

  static func server6(_ n: Int, port: UInt16 = 8080) -> Endpoint {
    Endpoint(ip: .v6(subnet: 2, host: UInt16(truncatingIfNeeded: n + 2)), port: port)
  }
}

extension PacketTime {
  static let epoch2023 = PacketTime(nanoseconds: 1_700_000_000_000_000_000)
}

/// Message shorthands: JSON in, JSON out, the common case that the exceptions vary from.
enum Message {
  static let json = HeaderLine("Content-Type", "application/json")

  static func host(_ endpoint: Endpoint) -> HeaderLine {
    HeaderLine("Host", "\(endpoint.ip.isIPv6 ? "[\(endpoint.ip)]" : "\(endpoint.ip)"):\(endpoint.port)")
  }

  static func get(
    _ target: String, server: Endpoint, headers: [HeaderLine] = [], version: String = "HTTP/1.1",
    userAgent: HeaderLine? = HeaderLine("User-Agent", "synth-client/1.0")
  ) -> SynthRequest {
    SynthRequest(
      method: "GET", target: target, version: version,
      headers: [host(server)] + (userAgent.map { [$0] } ?? []) + [HeaderLine("Accept", "application/json")] + headers)
  }

  static func post(
    _ target: String, server: Endpoint, body: [UInt8], method: String = "POST", headers: [HeaderLine] = [],
    contentType: String = "application/json", coding: ContentCoding = .identity, framing: BodyFraming? = nil,
    version: String = "HTTP/1.1"
  ) -> SynthRequest {
    SynthRequest(
      method: method, target: target, version: version,
      headers: [host(server), HeaderLine("User-Agent", "synth-client/1.0"), HeaderLine("Content-Type", contentType)]
        + headers,
      body: body, coding: coding, framing: framing)
  }

  static func ok(
    _ body: [UInt8], status: Int = 200, reason: String = "OK", contentType: String? = "application/json",
    headers: [HeaderLine] = [], coding: ContentCoding = .identity, framing: BodyFraming = .contentLength,
    version: String = "HTTP/1.1", interim: [InterimResponse] = []
  ) -> SynthResponse {
    var all = [HeaderLine("Date", "Tue, 14 Nov 2023 22:13:20 GMT")]
    if let contentType { all.append(HeaderLine("Content-Type", contentType)) }
    return SynthResponse(
      status: status, reason: reason, version: version, headers: all + headers, body: body, coding: coding,
      framing: framing, interim: interim)
  }

  /// A small JSON document, different for every `seed`.
  static func document(_ seed: UInt64, size: Int = 300) -> [UInt8] {
    SyntheticJSON.document(size: size, seed: seed)
  }
}
