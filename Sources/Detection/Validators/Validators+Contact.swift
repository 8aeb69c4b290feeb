/// Contact details and places: e-mail addresses, phone numbers, latitude/longitude pairs.

extension Validators {
  /// Whether the value is an e-mail address, pragmatic RFC 5322: a dot-atom local part of at most
  /// 64 characters (no quoted strings), `@`, a domain of at least two labels (letters, digits,
  /// inner hyphens, at most 63 each) whose last label is 2–63 letters; at most 254 in all.
  public static func isEmail(_ text: some StringProtocol) -> Bool {
    withUTF8(of: text, atMost: Int.max, orElse: false) { isEmail(utf8: $0) }
  }

  /// ``isEmail(_:)`` of a whole value's UTF-8 bytes, for a caller that holds them already.
  static func isEmail(utf8: UnsafeBufferPointer<UInt8>) -> Bool {
    withUTF8(bytes: utf8, atMost: 254, orElse: false) { bytes in
      guard let at = bytes.firstIndex(of: 0x40) else { return false }
      let local = bytes[..<at]
      guard (1...64).contains(local.count), local.first != 0x2E, local.last != 0x2E else { return false }
      var previous: UInt8 = 0
      for byte in local {
        guard byte == 0x2E ? previous != 0x2E : isAtext(byte) else { return false }
        previous = byte
      }
      return isDomain(bytes[(at + 1)...])
    }
  }

  /// At least two dot-separated labels (letters, digits, inner hyphens, 1–63 each), the last 2–63
  /// letters.
  static func isDomain(_ domain: ByteSlice) -> Bool {
    var labels = 0
    var start = domain.startIndex
    while true {
      let end = domain[start...].firstIndex(of: 0x2E) ?? domain.endIndex
      let label = domain[start..<end]
      guard (1...63).contains(label.count), label.first != 0x2D, label.last != 0x2D,
        label.allSatisfy({ $0.isASCIIAlphanumeric || $0 == 0x2D })
      else { return false }
      labels += 1
      if end == domain.endIndex {
        return labels >= 2 && label.count >= 2 && label.allSatisfy(\.isASCIILetter)
      }
      start = end + 1
    }
  }

  /// RFC 5322 `atext`: letters, digits and ``!#$%&'*+-/=?^_`{|}~``.
  static func isAtext(_ byte: UInt8) -> Bool {
    if byte.isASCIIAlphanumeric { return true }
    switch byte {
    case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2F, 0x3D, 0x3F, 0x5E, 0x5F, 0x60, 0x7B, 0x7C, 0x7D,
      0x7E:
      return true
    default:
      return false
    }
  }

  /// Whether the value is an E.164 number: `+`, then 7–15 digits, the first (country code) not 0.
  public static func isE164(_ text: some StringProtocol) -> Bool {
    withUTF8(of: text, atMost: Int.max, orElse: false) { isE164(utf8: $0) }
  }

  /// ``isE164(_:)`` of a whole value's UTF-8 bytes, for a caller that holds them already.
  static func isE164(utf8: UnsafeBufferPointer<UInt8>) -> Bool {
    withUTF8(bytes: utf8, atMost: 16, orElse: false) { isE164(bytes: $0) }
  }

  /// ``isE164(_:)`` of UTF-8 bytes.
  static func isE164(bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBufferPointer { isE164(bytes: $0) }
  }

  /// ``isE164(_:)`` of UTF-8 bytes read in place.
  static func isE164(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard bytes.count >= 8, bytes.count <= 16, bytes[0] == 0x2B else { return false }
    return allDigits(bytes[1...]) && bytes[1] != 0x30
  }

  /// Whether the value is a formatted phone number: E.164, or an international (`+CC …`) or
  /// national number written with spaces, dashes, dots or one pair of parentheses, such as
  /// `(555) 123-4567`, `555-123-4567`, `+44 20 7946 0958`, `020 7946 0958`, `+49 (0)30 1234567`.
  ///
  /// International numbers have 8–15 digits (a `(0)` trunk prefix not counted); national ones
  /// 10–11. Dots are accepted only as `NNN.NNN.NNNN`, which keeps IP addresses, versions and
  /// prices out. A bare run of digits is refused: without a key hint it is any number.
  public static func isPhoneNumber(_ text: some StringProtocol) -> Bool {
    withUTF8(of: text, atMost: Int.max, orElse: false) { isPhoneNumber(utf8: $0) }
  }

  /// ``isPhoneNumber(_:)`` of a whole value's UTF-8 bytes, for a caller that holds them already.
  static func isPhoneNumber(utf8: UnsafeBufferPointer<UInt8>) -> Bool {
    withUTF8(bytes: utf8, atMost: 32, orElse: false) { isPhoneNumber(bytes: $0) }
  }

  /// ``isPhoneNumber(_:)`` of UTF-8 bytes.
  static func isPhoneNumber(bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBufferPointer { isPhoneNumber(bytes: $0) }
  }

  /// ``isPhoneNumber(_:)`` of UTF-8 bytes read in place.
  static func isPhoneNumber(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard !bytes.isEmpty, bytes.count <= 32 else { return false }
    if isE164(bytes: bytes) { return true }
    let international = bytes[0] == 0x2B
    var digits = 0
    // Runs of digits ("groups"): how many, and the lengths of the first three.
    var groups = 0
    var firstGroups = (0, 0, 0)
    var run = 0
    var separators = 0
    var dots = 0
    var openParenthesis = false
    var parentheses = 0
    var trunkPrefix = false
    var previous: UInt8 = 0
    for (index, byte) in bytes.enumerated() {
      if byte.isASCIIDigit {
        run += 1
        digits += 1
      } else {
        if run > 0 { endGroup(run, count: &groups, first: &firstGroups) }
        switch byte {
        case 0x2B:
          guard index == 0 else { return false }
        case 0x28:
          guard !openParenthesis, parentheses == 0, !previous.isASCIIDigit || index == 0 else { return false }
          openParenthesis = true
        case 0x29:
          guard openParenthesis, previous.isASCIIDigit, run <= 4 else { return false }
          if international, run == 1, previous == 0x30 {
            trunkPrefix = true
          }
          openParenthesis = false
          parentheses += 1
        case 0x20, 0x2D, 0x2E:
          guard previous.isASCIIDigit || (previous == 0x29 && byte == 0x20) else { return false }
          if byte == 0x2E { dots += 1 }
        default:
          return false
        }
        separators += 1
        run = 0
      }
      previous = byte
    }
    guard !openParenthesis, previous.isASCIIDigit else { return false }
    endGroup(run, count: &groups, first: &firstGroups)
    guard separators > (international ? 1 : 0) || parentheses > 0 else { return false }
    if dots > 0 {
      guard dots == separators, groups == 3, firstGroups == (3, 3, 4) else { return false }
    }
    if international {
      guard bytes.count > 1, bytes[1].isASCIIDigit, bytes[1] != 0x30, firstGroups.0 <= 3 else { return false }
      return (8...15).contains(digits - (trunkPrefix ? 1 : 0))
    }
    guard firstGroups.0 >= 2 else { return false }
    return (10...11).contains(digits)
  }

  /// Counts a run of digits of a phone number, keeping the lengths of the first three.
  private static func endGroup(_ run: Int, count: inout Int, first: inout (Int, Int, Int)) {
    switch count {
    case 0: first.0 = run
    case 1: first.1 = run
    case 2: first.2 = run
    default: break
    }
    count += 1
  }

  /// Whether the value is a latitude/longitude pair, `lat, lon` (comma, optional spaces), each a
  /// signed decimal with at least two decimals, latitude within ±90 and longitude within ±180.
  /// Two decimals at least, so that plain pairs of numbers (`12, 34`) are not taken for places.
  public static func isGeoCoordinatePair(_ text: some StringProtocol) -> Bool {
    withUTF8(of: text, atMost: 64, orElse: false) { bytes in
      guard let comma = bytes.firstIndex(of: 0x2C) else { return false }
      return isDegrees(trimmingSpaces(bytes[..<comma]), limit: 90)
        && isDegrees(trimmingSpaces(bytes[(comma + 1)...]), limit: 180)
    }
  }

  /// The bytes without the spaces at either end.
  static func trimmingSpaces(_ bytes: ByteSlice) -> ByteSlice {
    var trimmed = bytes.drop(while: { $0 == 0x20 })
    while trimmed.last == 0x20 { trimmed = trimmed.dropLast() }
    return trimmed
  }

  /// A signed decimal with 1–3 integer digits, 2–15 decimals, and an absolute value at most `limit`.
  static func isDegrees(_ bytes: ByteSlice, limit: Int) -> Bool {
    var rest = bytes
    if rest.first == 0x2D || rest.first == 0x2B { rest = rest.dropFirst() }
    guard let dot = rest.firstIndex(of: 0x2E), let whole = number(rest[..<dot]), rest[..<dot].count <= 3 else {
      return false
    }
    let fraction = rest[(dot + 1)...]
    guard (2...15).contains(fraction.count), allDigits(fraction) else { return false }
    return whole < limit || (whole == limit && fraction.allSatisfy { $0 == 0x30 })
  }
}
