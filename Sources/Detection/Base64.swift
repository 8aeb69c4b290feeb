/// Base64 (RFC 4648) without Foundation: standard with padding, or base64url without it. The
/// committed weights are stored in it, and the corpus writes JWTs, basic credentials and digests
/// with it.
@_spi(Training) public enum Base64 {
  static let standard = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
  static let url = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

  public static func encode(_ bytes: [UInt8], url: Bool = false) -> String {
    let table = url ? Self.url : Self.standard
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var index = 0
    while index + 2 < bytes.count {
      let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
      out += [table[Int(n >> 18 & 63)], table[Int(n >> 12 & 63)], table[Int(n >> 6 & 63)], table[Int(n & 63)]]
      index += 3
    }
    let rest = bytes.count - index
    if rest == 1 {
      let n = UInt32(bytes[index]) << 16
      out += [table[Int(n >> 18 & 63)], table[Int(n >> 12 & 63)]]
      if !url { out += [UInt8(ascii: "="), UInt8(ascii: "=")] }
    } else if rest == 2 {
      let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
      out += [table[Int(n >> 18 & 63)], table[Int(n >> 12 & 63)], table[Int(n >> 6 & 63)]]
      if !url { out.append(UInt8(ascii: "=")) }
    }
    return String(decoding: out, as: UTF8.self)
  }

  public static func encode(_ text: String, url: Bool = false) -> String { encode(Array(text.utf8), url: url) }

  /// Standard base64, line breaks and spaces ignored; nil when it is not base64.
  static func decode(_ text: String) -> [UInt8]? {
    let filtered = text.utf8.filter { $0 != 0x0A && $0 != 0x20 }
    guard filtered.count % 4 == 0 else { return nil }
    return decode(digits: filtered)
  }

  /// Each byte's value as a standard base64 digit, 255 for a byte that is not one.
  static let digitValues: [UInt8] = {
    var values = [UInt8](repeating: 255, count: 256)
    for (value, character) in standard.enumerated() { values[Int(character)] = UInt8(value) }
    return values
  }()

  /// The bytes standard base64 digits spell, `=` skipped wherever it stands; nil for any other
  /// byte. The count is not checked: callers that need whole groups check it first.
  static func decode(digits: some Collection<UInt8>) -> [UInt8]? {
    var out: [UInt8] = []
    out.reserveCapacity(digits.count / 4 * 3)
    var buffer: UInt32 = 0
    var bits = 0
    for byte in digits where byte != UInt8(ascii: "=") {
      let value = digitValues[Int(byte)]
      guard value < 64 else { return nil }
      buffer = buffer << 6 | UInt32(value)
      bits += 6
      if bits >= 8 {
        bits -= 8
        out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
      }
    }
    return out
  }
}
