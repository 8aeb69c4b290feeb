/// FNV-1a, 64 bits: the hash of feature words, key pairs and value shapes, and of the corpus's
/// word-list halves. Cheap on the few bytes of a key or a word, and the same on every run.
@_spi(Training) public enum FNV1a {
  public static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
  public static let prime: UInt64 = 0x100_0000_01B3

  /// `hash` continued by one byte.
  @inline(__always)
  public static func mix(_ byte: UInt8, into hash: UInt64) -> UInt64 { (hash ^ UInt64(byte)) &* prime }

  /// The hash of `bytes`, continuing `seed` (the offset basis for a fresh hash).
  public static func hash(_ bytes: UnsafeBufferPointer<UInt8>, from seed: UInt64 = offsetBasis) -> UInt64 {
    var hash = seed
    for byte in bytes { hash = mix(byte, into: hash) }
    return hash
  }

  /// The hash of a string's UTF-8 bytes.
  public static func hash(_ text: String) -> UInt64 {
    var text = text
    return text.withUTF8 { hash($0) }
  }
}
