/// TCP sequence-number arithmetic modulo 2^32 (RFC 1982 serial numbers).
extension UInt32 {
  /// Signed distance from `self` to `other`: positive when `other` is ahead.
  @inline(__always)
  func distance(toSequence other: UInt32) -> Int {
    Int(Int32(bitPattern: other &- self))
  }

  @inline(__always)
  func isBefore(_ other: UInt32) -> Bool {
    Int32(bitPattern: self &- other) < 0
  }
}
