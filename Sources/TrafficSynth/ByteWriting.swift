// Big-endian field writers for building headers byte by byte. Network formats are big-endian;
// the pcap file headers are the one place we write in host order (see PcapWriter).

extension Array where Element == UInt8 {
  @inline(__always)
  mutating func appendBigEndian(_ value: UInt16) {
    append(UInt8(truncatingIfNeeded: value >> 8))
    append(UInt8(truncatingIfNeeded: value))
  }

  @inline(__always)
  mutating func appendBigEndian(_ value: UInt32) {
    append(UInt8(truncatingIfNeeded: value >> 24))
    append(UInt8(truncatingIfNeeded: value >> 16))
    append(UInt8(truncatingIfNeeded: value >> 8))
    append(UInt8(truncatingIfNeeded: value))
  }

  @inline(__always)
  mutating func appendBigEndian(_ value: UInt64) {
    appendBigEndian(UInt32(truncatingIfNeeded: value >> 32))
    appendBigEndian(UInt32(truncatingIfNeeded: value))
  }

  @inline(__always)
  mutating func appendHostOrder(_ value: UInt32) {
    Swift.withUnsafeBytes(of: value) { append(contentsOf: $0) }
  }

  @inline(__always)
  mutating func setBigEndian(_ value: UInt16, at index: Int) {
    self[index] = UInt8(truncatingIfNeeded: value >> 8)
    self[index + 1] = UInt8(truncatingIfNeeded: value)
  }

  mutating func append(ascii text: String) {
    append(contentsOf: text.utf8)
  }
}

extension String {
  /// The UTF-8 bytes of the string, as HTTP puts header text on the wire.
  var bytes: [UInt8] { Array(utf8) }
}
