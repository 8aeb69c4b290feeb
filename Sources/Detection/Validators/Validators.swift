/// Pure value validators: each answers "is this whole value an X?" for one data type, from the value
/// alone. They read UTF-8 bytes, never use regular expressions or Foundation, reject oversized input
/// before looking at it closely, and never trap on hostile input (empty, huge, NULs, non-ASCII digits:
/// only ASCII `0`–`9` count as digits). Key hints and context are the detector's business, not theirs.
public enum Validators {}

/// Bytes of a value read in place (indices are those of the whole value's buffer). The validators
/// work on these rather than on copies, so that a check costs no allocation.
typealias ByteSlice = Slice<UnsafeBufferPointer<UInt8>>

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
  /// `body` of the value's UTF-8 bytes read in place, when there are at most `limit` of them;
  /// `rejected` otherwise, so a huge value is turned away before any work proportional to its size.
  /// Every validator enters through here: native strings and substrings are contiguous UTF-8, so
  /// nothing is copied; other string kinds are copied once.
  @inline(__always)
  static func withUTF8<Result>(
    of text: some StringProtocol, atMost limit: Int, orElse rejected: Result,
    _ body: (UnsafeBufferPointer<UInt8>) -> Result
  ) -> Result {
    // The view is read in one expression, not kept: keeping it would copy (and retain) the text.
    let direct = text.utf8.withContiguousStorageIfAvailable { bytes in bytes.count <= limit ? body(bytes) : rejected }
    if let direct { return direct }
    guard text.utf8.count <= limit else { return rejected }
    return Array(text.utf8).withUnsafeBufferPointer(body)
  }

  /// `body` of a value's UTF-8 bytes already in hand, when there are at most `limit` of them;
  /// `rejected` otherwise: ``withUTF8(of:atMost:orElse:_:)`` for a caller that holds the bytes.
  @inline(__always)
  static func withUTF8<Result>(
    bytes: UnsafeBufferPointer<UInt8>, atMost limit: Int, orElse rejected: Result,
    _ body: (UnsafeBufferPointer<UInt8>) -> Result
  ) -> Result {
    bytes.count <= limit ? body(bytes) : rejected
  }

  /// `read` of how many of `bytes` each class has, where `classes` (256 entries) gives each byte's
  /// class below `classCount`: one table lookup and one increment a byte, no branch on its class.
  @inline(__always)
  static func countingClasses<Result>(
    of bytes: UnsafeBufferPointer<UInt8>, by classes: [UInt8], classCount: Int,
    _ read: (UnsafeMutableBufferPointer<Int>) -> Result
  ) -> Result {
    withUnsafeTemporaryAllocation(of: Int.self, capacity: classCount) { counts in
      counts.initialize(repeating: 0)
      classes.withUnsafeBufferPointer { classes in
        for byte in bytes { counts[Int(classes[Int(byte)])] += 1 }
      }
      return read(counts)
    }
  }

  /// The integer spelled by ASCII digits, or nil when one is not a digit (or there are none, or
  /// more than 18).
  static func number(_ bytes: some Collection<UInt8>) -> Int? {
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

  /// Whether the bytes start with `prefix`.
  static func hasPrefix(_ bytes: ByteSlice, _ prefix: StaticString) -> Bool {
    let count = prefix.utf8CodeUnitCount
    guard bytes.count >= count else { return false }
    let pattern = prefix.utf8Start
    let start = bytes.startIndex
    for offset in 0..<count where bytes[start + offset] != pattern[offset] { return false }
    return true
  }

  /// Whether the bytes end with `suffix`.
  static func hasSuffix(_ bytes: ByteSlice, _ suffix: StaticString) -> Bool {
    let count = suffix.utf8CodeUnitCount
    guard bytes.count >= count else { return false }
    return hasPrefix(bytes[(bytes.endIndex - count)...], suffix)
  }
}
