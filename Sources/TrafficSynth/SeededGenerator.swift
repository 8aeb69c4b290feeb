/// SplitMix64: a tiny, fast generator so that the same seed always yields the same traffic,
/// on every platform and Swift version (the standard library's generator is not seedable).
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var state: UInt64

  public init(seed: UInt64) {
    state = seed
  }

  public mutating func next() -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }

  /// A uniform value in `0..<bound` (bound > 0).
  public mutating func below(_ bound: Int) -> Int {
    Int(next() % UInt64(max(1, bound)))
  }

  /// True with probability `p`.
  public mutating func chance(_ p: Double) -> Bool {
    Double(next() >> 11) / Double(1 << 53) < p
  }

  /// A uniform double in [0, 1).
  public mutating func unit() -> Double {
    Double(next() >> 11) / Double(1 << 53)
  }

  public mutating func pick<T>(_ items: [T]) -> T {
    items[below(items.count)]
  }
}
