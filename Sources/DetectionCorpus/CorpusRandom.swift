/// The corpus's own pseudo-random numbers: xoshiro256** seeded through SplitMix64, so that one
/// seed gives byte-identical documents on every machine and Swift version (the standard library's
/// generators promise neither).
struct CorpusRandom: Sendable {
  private var state: (UInt64, UInt64, UInt64, UInt64)

  init(seed: UInt64) {
    var mixer = seed
    state = (Self.splitMix(&mixer), Self.splitMix(&mixer), Self.splitMix(&mixer), Self.splitMix(&mixer))
  }

  /// SplitMix64's next value for the state `value` (which it advances).
  static func splitMix(_ value: inout UInt64) -> UInt64 {
    value &+= 0x9E37_79B9_7F4A_7C15
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func next() -> UInt64 {
    let result = rotate(state.1 &* 5, 7) &* 9
    let t = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= t
    state.3 = rotate(state.3, 45)
    return result
  }

  private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// A uniform integer in `0..<bound` (bound > 0), by multiply-high (Lemire), without modulo bias
  /// worth caring about at corpus sizes.
  mutating func below(_ bound: Int) -> Int {
    guard bound > 1 else { return 0 }
    return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
  }

  mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }

  /// True with the given probability (0...1).
  mutating func chance(_ probability: Double) -> Bool { unit() < probability }

  /// A uniform double in [0, 1).
  mutating func unit() -> Double { Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0) }

  mutating func pick<T>(_ items: [T]) -> T {
    items[below(items.count)]
  }

  /// A decimal digit string of the given length (leading zeros allowed).
  mutating func digits(_ count: Int) -> String {
    var text = ""
    text.reserveCapacity(count)
    for _ in 0..<count { text.unicodeScalars.append(Unicode.Scalar(UInt8(48 + below(10)))) }
    return text
  }

  /// Characters drawn from an ASCII alphabet.
  mutating func string(_ count: Int, from alphabet: String) -> String {
    let scalars = Array(alphabet.unicodeScalars)
    var text = ""
    text.reserveCapacity(count)
    for _ in 0..<count { text.unicodeScalars.append(scalars[below(scalars.count)]) }
    return text
  }
}

enum Alphabet {
  static let digits = "0123456789"
  static let lowerHex = "0123456789abcdef"
  static let upperHex = "0123456789ABCDEF"
  static let upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
  static let lower = "abcdefghijklmnopqrstuvwxyz"
  static let alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
  static let upperAlphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
  static let lowerAlphanumeric = "abcdefghijklmnopqrstuvwxyz0123456789"
  static let base64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
  static let base64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
  static let base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
  static let base58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
  static let bech32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
}
