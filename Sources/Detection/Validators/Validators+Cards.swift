/// Payment cards and things that travel with them: numbers (Luhn, IIN range, length), expiry dates,
/// security codes, masked numbers, and IMEIs, which share the Luhn check.

/// A card scheme, identified by its issuer identification number (IIN) range and length.
public enum CardNetwork: String, Sendable, Hashable, CaseIterable {
  case visa, mastercard, amex, discover, diners, jcb, unionPay, maestro
}

extension Validators {
  /// Whether ASCII digits pass the Luhn (mod 10) check. False for fewer than two digits or any
  /// byte that is not an ASCII digit.
  public static func isLuhnValid(digits: some Collection<UInt8>) -> Bool {
    let count = digits.count
    guard count >= 2 else { return false }
    var sum = 0
    var position = 0
    for byte in digits {
      guard byte.isASCIIDigit else { return false }
      var value = byte.digitValue
      // Counting from the right, every second digit is doubled; the rightmost is not.
      if (count - position) % 2 == 0 {
        value *= 2
        if value > 9 { value -= 9 }
      }
      sum += value
      position += 1
    }
    return sum % 10 == 0
  }

  /// The scheme whose IIN range and lengths fit these ASCII digits, or nil. Luhn is not checked.
  public static func cardNetwork(of digits: some Collection<UInt8>) -> CardNetwork? {
    let length = digits.count
    guard (12...19).contains(length), digits.allSatisfy(\.isASCIIDigit) else { return nil }
    // The numbers spelled by the first 1, 2, 3, 4 and 6 digits, without allocating.
    var (p1, p2, p3, p4, p6) = (0, 0, 0, 0, 0)
    var value = 0
    for (index, byte) in digits.prefix(6).enumerated() {
      value = value * 10 + byte.digitValue
      switch index {
      case 0: p1 = value
      case 1: p2 = value
      case 2: p3 = value
      case 3: p4 = value
      case 5: p6 = value
      default: break
      }
    }
    if p1 == 4 { return [13, 16, 19].contains(length) ? .visa : nil }
    if (34 == p2 || 37 == p2) { return length == 15 ? .amex : nil }
    if (51...55).contains(p2) || (2221...2720).contains(p4) { return length == 16 ? .mastercard : nil }
    if (16...19).contains(length) {
      if p4 == 6011 || (644...649).contains(p3) || p2 == 65 || (622126...622925).contains(p6) { return .discover }
      if (3528...3589).contains(p4) { return .jcb }
      if p2 == 62 { return .unionPay }
    }
    if (14...19).contains(length), (300...305).contains(p3) || p2 == 36 || p2 == 38 || p2 == 39 { return .diners }
    if [5018, 5020, 5038, 5893, 6304, 6759, 6761, 6762, 6763].contains(p4) { return .maestro }
    return nil
  }

  /// Whether the value is a payment card number: bare digits, or digit groups separated by single
  /// spaces or single dashes (one kind throughout), passing Luhn with a known IIN range and length.
  public static func isCardNumber(_ text: some StringProtocol) -> Bool {
    withUTF8(of: text, atMost: Int.max, orElse: false) { isCardNumber(utf8: $0) }
  }

  /// ``isCardNumber(_:)`` of a whole value's UTF-8 bytes, for a caller that holds them already.
  static func isCardNumber(utf8: UnsafeBufferPointer<UInt8>) -> Bool {
    withUTF8(bytes: utf8, atMost: 40, orElse: false) { isCardNumber(bytes: $0) }
  }

  /// ``isCardNumber(_:)`` of UTF-8 bytes.
  static func isCardNumber(bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBufferPointer { isCardNumber(bytes: $0) }
  }

  /// ``isCardNumber(_:)`` of UTF-8 bytes read in place; the digits are gathered on the stack.
  static func isCardNumber(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard bytes.count <= 40 else { return false }
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { buffer in
      guard let count = digitsWithConsistentSeparators(bytes, into: buffer) else { return false }
      let digits = UnsafeBufferPointer(rebasing: buffer[..<count])
      return cardNetwork(of: digits) != nil && isLuhnValid(digits: digits)
    }
  }

  /// Writes the digits of digit groups separated by one kind of single separator (space or dash)
  /// to the front of `digits`, which has room for all the bytes, and returns how many; nil when
  /// the bytes are not such groups.
  static func digitsWithConsistentSeparators(
    _ bytes: UnsafeBufferPointer<UInt8>, into digits: UnsafeMutableBufferPointer<UInt8>
  ) -> Int? {
    var count = 0
    var separator: UInt8?
    var previousWasSeparator = true  // a leading separator is refused
    for byte in bytes {
      if byte.isASCIIDigit {
        digits.initializeElement(at: count, to: byte)
        count += 1
        previousWasSeparator = false
      } else if byte == 0x20 || byte == 0x2D {
        guard !previousWasSeparator, separator == nil || separator == byte else { return nil }
        separator = byte
        previousWasSeparator = true
      } else {
        return nil
      }
    }
    guard !previousWasSeparator else { return nil }
    return count
  }

  /// Whether the value is a card expiry: `MM/YY`, `MM/YYYY`, `MM-YY` or `MM-YYYY`, month 01–12,
  /// a four-digit year in 2000–2099.
  public static func isCardExpiration(_ text: some StringProtocol) -> Bool {
    withUTF8(of: text, atMost: 7, orElse: false) { bytes in
      guard bytes.count == 5 || bytes.count == 7 else { return false }
      guard bytes[2] == 0x2F || bytes[2] == 0x2D, let month = number(bytes[0..<2]), (1...12).contains(month),
        let year = number(bytes[3...])
      else { return false }
      return bytes.count == 5 || (2000...2099).contains(year)
    }
  }

  /// Whether the value is three or four ASCII digits (a card security code; only a key says it is one).
  public static func isCVV(_ text: some StringProtocol) -> Bool {
    withUTF8(of: text, atMost: 4, orElse: false) { bytes in
      bytes.count >= 3 && allDigits(bytes)
    }
  }

  /// Whether the value is a masked card number: 13–19 positions (spaces and dashes ignored) made of
  /// masking characters (`*`, `x`, `X`, `•`) and visible digits, the visible digits being either the
  /// last four only, with at least 8 masks before them, or the first six (the IIN) and the last
  /// four, with everything between them masked (3–9 masks, `411111******1111`).
  public static func isMaskedCardNumber(_ text: some StringProtocol) -> Bool {
    withUTF8(of: text, atMost: Int.max, orElse: false) { isMaskedCardNumber(utf8: $0) }
  }

  /// ``isMaskedCardNumber(_:)`` of a whole value's UTF-8 bytes, for a caller that holds them already.
  static func isMaskedCardNumber(utf8: UnsafeBufferPointer<UInt8>) -> Bool {
    withUTF8(bytes: utf8, atMost: 80, orElse: false) { isMaskedCardNumber(bytes: $0) }
  }

  /// ``isMaskedCardNumber(_:)`` of UTF-8 bytes (valid UTF-8, as a string's are).
  static func isMaskedCardNumber(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var leadingDigits = 0
    var masks = 0
    var trailingDigits = 0
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      index += 1
      switch byte {
      case 0x20, 0x2D: continue
      case 0x2A, 0x78, 0x58, 0xE2:
        // `•` is U+2022, E2 80 A2; any other scalar starting with E2 is refused.
        if byte == 0xE2 {
          guard index + 1 < bytes.count, bytes[index] == 0x80, bytes[index + 1] == 0xA2 else { return false }
          index += 2
        }
        guard trailingDigits == 0 else { return false }
        masks += 1
      case 0x30...0x39:
        if masks == 0 { leadingDigits += 1 } else { trailingDigits += 1 }
      default: return false
      }
    }
    let positions = leadingDigits + masks + trailingDigits
    guard (13...19).contains(positions), trailingDigits == 4 else { return false }
    return (leadingDigits == 0 && masks >= 8) || leadingDigits == 6
  }

  /// Whether the value is an IMEI: 15 bare ASCII digits passing Luhn.
  public static func isIMEI(_ text: some StringProtocol) -> Bool {
    withUTF8(of: text, atMost: 15, orElse: false) { bytes in
      bytes.count == 15 && isLuhnValid(digits: bytes)
    }
  }
}
