/// An IPv4 or IPv6 address, stored inline so that connection keys hash without allocation.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
  /// For IPv4 only `low`'s lower 32 bits are used and `high` is zero.
  public let high: UInt64
  public let low: UInt64
  public let isIPv6: Bool

  public init(ipv4 value: UInt32) {
    high = 0
    low = UInt64(value)
    isIPv6 = false
  }

  public init(ipv6High high: UInt64, low: UInt64) {
    self.high = high
    self.low = low
    isIPv6 = true
  }

  /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text (with `::` compression, optional
  /// embedded IPv4 tail). Returns nil for anything else.
  public init?(_ text: String) {
    if !text.contains(":") {
      let parts = text.split(separator: ".", omittingEmptySubsequences: false)
      guard parts.count == 4 else { return nil }
      var value: UInt32 = 0
      for part in parts {
        guard !part.isEmpty, part.count <= 3, let octet = UInt8(part) else { return nil }
        value = value << 8 | UInt32(octet)
      }
      self.init(ipv4: value)
      return
    }
    var groups: [UInt16] = []
    var tail: [UInt16] = []
    var seenCompression = false
    let halves = text.splitOnDoubleColon()
    guard halves.count <= 2 else { return nil }
    func parseGroups(_ part: String, into out: inout [UInt16]) -> Bool {
      if part.isEmpty { return true }
      let fields = part.split(separator: ":", omittingEmptySubsequences: false)
      for (index, field) in fields.enumerated() {
        if index == fields.count - 1, field.contains("."), let v4 = IPAddress(String(field)), !v4.isIPv6 {
          out.append(UInt16(truncatingIfNeeded: v4.low >> 16))
          out.append(UInt16(truncatingIfNeeded: v4.low))
          continue
        }
        guard !field.isEmpty, field.count <= 4, let value = UInt16(field, radix: 16) else { return false }
        out.append(value)
      }
      return true
    }
    guard parseGroups(halves[0], into: &groups) else { return nil }
    if halves.count == 2 {
      seenCompression = true
      guard parseGroups(halves[1], into: &tail) else { return nil }
    }
    let missing = 8 - groups.count - tail.count
    if seenCompression {
      guard missing >= 1 else { return nil }
      groups += Array(repeating: 0, count: missing) + tail
    } else {
      guard missing == 0 else { return nil }
    }
    var high: UInt64 = 0
    var low: UInt64 = 0
    for i in 0..<4 { high = high << 16 | UInt64(groups[i]) }
    for i in 4..<8 { low = low << 16 | UInt64(groups[i]) }
    self.init(ipv6High: high, low: low)
  }

  public var description: String {
    if !isIPv6 {
      let v = UInt32(truncatingIfNeeded: low)
      return "\(v >> 24).\(v >> 16 & 0xff).\(v >> 8 & 0xff).\(v & 0xff)"
    }
    var groups: [UInt16] = []
    for shift in stride(from: 48, through: 0, by: -16) {
      groups.append(UInt16(truncatingIfNeeded: high >> UInt64(shift)))
    }
    for shift in stride(from: 48, through: 0, by: -16) {
      groups.append(UInt16(truncatingIfNeeded: low >> UInt64(shift)))
    }
    // RFC 5952: compress the longest run (length ≥ 2) of zero groups, the first one on a tie.
    var bestStart = -1
    var bestLength = 0
    var index = 0
    while index < 8 {
      if groups[index] == 0 {
        var end = index
        while end < 8 && groups[end] == 0 { end += 1 }
        if end - index > bestLength {
          bestStart = index
          bestLength = end - index
        }
        index = end
      } else {
        index += 1
      }
    }
    func hex(_ range: Range<Int>) -> String {
      groups[range].map { String($0, radix: 16) }.joined(separator: ":")
    }
    if bestLength < 2 { return hex(0..<8) }
    return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
  }
}

/// One side of a TCP connection.
public struct Endpoint: Hashable, Sendable, CustomStringConvertible {
  public var ip: IPAddress
  public var port: UInt16

  public init(ip: IPAddress, port: UInt16) {
    self.ip = ip
    self.port = port
  }

  public var description: String {
    ip.isIPv6 ? "[\(ip)]:\(port)" : "\(ip):\(port)"
  }
}

/// A capture timestamp: nanoseconds since the Unix epoch, as libpcap reported it.
public struct PacketTime: Hashable, Comparable, Sendable {
  public var nanoseconds: Int64

  public init(nanoseconds: Int64) {
    self.nanoseconds = nanoseconds
  }

  public init(seconds: Int64, microseconds: Int64) {
    nanoseconds = seconds &* 1_000_000_000 &+ microseconds &* 1_000
  }

  public static func < (a: PacketTime, b: PacketTime) -> Bool { a.nanoseconds < b.nanoseconds }

  public func adding(_ duration: Duration) -> PacketTime {
    PacketTime(nanoseconds: nanoseconds &+ duration.nanosecondCount)
  }
}

extension Duration {
  /// The whole duration in nanoseconds (wrapping past ±292 years).
  public var nanosecondCount: Int64 {
    let (seconds, attoseconds) = components
    return seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
  }
}

extension String {
  /// Splits at each `::` (IPv6 zero compression).
  fileprivate func splitOnDoubleColon() -> [String] {
    var parts: [String] = []
    var current = ""
    var previousWasColon = false
    for character in self {
      if character == ":" && previousWasColon {
        current.removeLast()
        parts.append(current)
        current = ""
        previousWasColon = false
        continue
      }
      previousWasColon = character == ":"
      current.append(character)
    }
    parts.append(current)
    return parts
  }
}
