/// Pure value validators: each answers "is this whole value an X?" for one data type, from the value
/// alone. They read UTF-8 bytes, never use regular expressions or Foundation, reject oversized input
/// before looking at it closely, and never trap on hostile input (empty, huge, NULs, non-ASCII digits:
/// only ASCII `0`–`9` count as digits). Key hints and context are the detector's business, not theirs.
public enum Validators {}

extension UInt8 {
  var isASCIIDigit: Bool { self >= 0x30 && self <= 0x39 }
  var isASCIIUpper: Bool { self >= 0x41 && self <= 0x5A }
  var isASCIILower: Bool { self >= 0x61 && self <= 0x7A }
  var isASCIILetter: Bool { isASCIIUpper || isASCIILower }
  var isASCIIAlphanumeric: Bool { isASCIIDigit || isASCIILetter }
  var isASCIIHexDigit: Bool { isASCIIDigit || (self >= 0x41 && self <= 0x46) || (self >= 0x61 && self <= 0x66) }
  var isASCIIWhitespace: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D }
  var digitValue: Int { Int(self) - 0x30 }
  var hexValue: Int {
    if isASCIIDigit { return digitValue }
    if self >= 0x61 { return Int(self) - 0x61 + 10 }
    return Int(self) - 0x41 + 10
  }
}

extension Validators {
  /// The value's UTF-8 bytes when there are at most `limit` of them; nil otherwise, so a huge
  /// value is turned away before any work proportional to its size.
  static func bytes(of text: some StringProtocol, atMost limit: Int) -> [UInt8]? {
    let utf8 = text.utf8
    guard utf8.count <= limit else { return nil }
    // One copy of the storage when it is contiguous UTF-8 (native strings and substrings are).
    return utf8.withContiguousStorageIfAvailable { Array($0) } ?? Array(utf8)
  }

  /// The integer spelled by ASCII digits `bytes[range]`, or nil when one is not a digit.
  static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
    guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
    var value = 0
    for byte in bytes {
      guard byte.isASCIIDigit else { return nil }
      value = value * 10 + byte.digitValue
    }
    return value
  }

  static func allDigits(_ bytes: some Collection<UInt8>) -> Bool {
    !bytes.isEmpty && bytes.allSatisfy(\.isASCIIDigit)
  }

  static func hasPrefix(_ bytes: ArraySlice<UInt8>, _ prefix: String) -> Bool {
    bytes.starts(with: prefix.utf8)
  }

  /// Whether the bytes hold `needle`'s UTF-8 somewhere.
  static func contains(_ bytes: [UInt8], _ needle: String) -> Bool {
    let pattern = Array(needle.utf8)
    guard !pattern.isEmpty else { return true }
    guard bytes.count >= pattern.count else { return false }
    return (0...(bytes.count - pattern.count)).contains { bytes[$0..<$0 + pattern.count].elementsEqual(pattern) }
  }

  /// Splits on one separator byte, keeping empty pieces.
  static func split(_ bytes: ArraySlice<UInt8>, on separator: UInt8) -> [ArraySlice<UInt8>] {
    bytes.split(separator: separator, omittingEmptySubsequences: false)
  }
}
