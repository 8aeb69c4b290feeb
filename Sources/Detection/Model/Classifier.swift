#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The learned part of the detector: a logistic regression over hashed features
/// (`Features`) that says, for each candidate type of a field, how likely the field holds it.
///
/// Trained by `sovren-detection-lab train` on the generated corpus's train split; the weights are
/// committed in `ModelWeights.swift`, stored sparse (only weights that training moved) as
/// little-endian records of a 32-bit index and a 16-bit fixed-point value.
public struct Classifier: Sendable {
  /// Dense weights, `FeatureHasher.dimension` of them (empty when `storedWeights` holds them).
  let weights: [Float]
  /// The bundled model's weights as stored, multiples of `1/scale` in an `Int16`: half the memory
  /// of `Float`s, so more of them stay in the processor's cache.
  let storedWeights: [Int16]
  /// A candidate is kept when its probability reaches this.
  public let threshold: Float

  public init(weights: [Float], threshold: Float = 0.5) {
    self.weights = weights.count == FeatureHasher.dimension ? weights : []
    self.storedWeights = []
    self.threshold = threshold
  }

  init(storedWeights: [Int16], threshold: Float) {
    self.weights = []
    self.storedWeights = storedWeights.count == FeatureHasher.dimension ? storedWeights : []
    self.threshold = threshold
  }

  /// Whether there are weights at all; without them the detector falls back on its rules.
  public var isTrained: Bool { !weights.isEmpty || !storedWeights.isEmpty }

  /// The model in `ModelWeights.swift`, decoded once.
  public static let bundled: Classifier = {
    guard let stored = decodeStored(ModelWeights.encoded) else { return Classifier(weights: []) }
    return Classifier(storedWeights: stored, threshold: ModelWeights.threshold)
  }()

  func probability(_ features: [Int32]) -> Float {
    probability { add in
      for index in features { add(index) }
    }
  }

  /// The probability of one candidate of a field: `probability(Features.of(…))` without the array
  /// of feature indices.
  func probability(of candidate: Candidate, field: FieldEvidence, observations: FieldObservations) -> Float {
    probability { add in
      Features.forEachIndex(of: candidate, field: field, observations: observations, add)
    }
  }

  /// The logistic of the sum of the weights whose indices `features` passes to its argument, in
  /// the order it passes them.
  @inline(__always)
  private func probability(_ features: ((Int32) -> Void) -> Void) -> Float {
    var sum: Float = 0
    if !storedWeights.isEmpty {
      // Exact: every partial sum is a multiple of 1/scale far below 2^13, which a Float holds
      // exactly, so the integer total divided once equals the sum of the divided weights.
      var total: Int32 = 0
      storedWeights.withUnsafeBufferPointer { weights in
        features { index in total &+= Int32(weights[Int(index)]) }
      }
      sum = Float(total) / Self.scale
    } else {
      weights.withUnsafeBufferPointer { weights in
        features { index in sum += weights[Int(index)] }
      }
    }
    return 1 / (1 + exp(-sum))
  }

  @_spi(Training) public func probabilityForTraining(_ features: [Int32]) -> Float { probability(features) }

  /// The fixed-point scale of stored weights: a stored value `v` is the weight `v / scale`.
  static let scale: Float = 2_048

  /// Weights as text: base64 of the sparse records.
  public static func encode(_ weights: [Float]) -> String {
    var bytes: [UInt8] = []
    for (index, weight) in weights.enumerated() {
      let stored = Int((weight * scale).rounded())
      guard stored != 0 else { continue }
      let clamped = Int16(Swift.max(Int(Int16.min), Swift.min(Int(Int16.max), stored)))
      let index32 = UInt32(index)
      for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: index32 >> UInt32(shift))) }
      let bits = UInt16(bitPattern: clamped)
      bytes.append(UInt8(truncatingIfNeeded: bits))
      bytes.append(UInt8(truncatingIfNeeded: bits >> 8))
    }
    return Base64.encode(bytes)
  }

  public static func decode(_ text: String) -> [Float]? {
    decodeStored(text).map { $0.map { Float($0) / scale } }
  }

  /// The weights as stored: `Int16` multiples of `1/scale`.
  static func decodeStored(_ text: String) -> [Int16]? {
    let direct = text.utf8.withContiguousStorageIfAvailable { decodeRecords(ofBase64: $0) }
    switch direct {
    case .decoded(let weights): return weights
    case .invalid: return nil
    case .unusual, nil: return decodeStored(bytes: Base64.decode(text))
    }
  }

  /// The weights of base64 decoded to bytes, nil when they are not whole records.
  private static func decodeStored(bytes: [UInt8]?) -> [Int16]? {
    guard let bytes, !bytes.isEmpty, bytes.count % 6 == 0 else { return nil }
    var weights = [Int16](repeating: 0, count: FeatureHasher.dimension)
    var offset = 0
    while offset < bytes.count {
      var index: UInt32 = 0
      for shift in 0..<4 { index |= UInt32(bytes[offset + shift]) << UInt32(shift * 8) }
      let bits = UInt16(bytes[offset + 4]) | UInt16(bytes[offset + 5]) << 8
      guard Int(index) < weights.count else { return nil }
      weights[Int(index)] = Int16(bitPattern: bits)
      offset += 6
    }
    return weights
  }

  /// What reading the records straight from base64 text gave.
  private enum DirectDecoding {
    case decoded([Int16])
    /// Not weights, as `Base64.decode` would also find.
    case invalid
    /// Text this reader leaves to `Base64.decode` (padding, other characters).
    case unusual
  }

  /// The records read straight from base64 text, line breaks and spaces skipped: a 6-byte record
  /// is 8 characters, so each is read from one 48-bit number, with no decoded copy of the text
  /// (the bundled model's is 384 KB). Text with anything but base64 digits is left `unusual`.
  private static func decodeRecords(ofBase64 text: UnsafeBufferPointer<UInt8>) -> DirectDecoding {
    var weights = [Int16](repeating: 0, count: FeatureHasher.dimension)
    var record: UInt64 = 0
    var characters = 0
    let digits = Base64.digitValues
    let isWhole = weights.withUnsafeMutableBufferPointer { weights -> Bool? in
      for byte in text where byte != 0x0A && byte != 0x20 {
        let digit = digits[Int(byte)]
        guard digit < 64 else { return nil }
        record = record << 6 | UInt64(digit)
        characters += 1
        guard characters % 8 == 0 else { continue }
        // Little-endian: the index in the first four bytes, the weight in the last two.
        let index = Int(UInt32(truncatingIfNeeded: record >> 16).byteSwapped)
        guard index < weights.count else { return false }
        weights[index] = Int16(bitPattern: UInt16(truncatingIfNeeded: record).byteSwapped)
      }
      return characters > 0 && characters % 8 == 0
    }
    switch isWhole {
    case true: return .decoded(weights)
    case false: return .invalid
    case nil: return .unusual
    }
  }
}
