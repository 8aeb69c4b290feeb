/// The classifier's features for one candidate: hashed (the hashing trick), each a pair of what
/// is observed and the candidate's type, so one weight vector holds a linear model per type.
///
/// Observed: whether a validator proved the value and whether the key names the type; the words
/// of the key, of its parent and of its sibling keys (neighbouring fields: `sku` and `price`
/// beside `name` say "product"); the value's shape, length, words, digit ratio and entropy;
/// dictionary hits (given names, surnames, street words); short values' words and character
/// trigrams; the other candidates of the field.
struct FeatureHasher {
  static let dimensionBits = 18
  static let dimension = 1 << dimensionBits

  var indices: [Int32] = []
  let type: UInt64

  init(type: DataType) {
    self.type = FeatureHasher.hash(type.rawValue)
    indices.reserveCapacity(96)
  }

  mutating func add(_ kind: UInt64, _ value: UInt64 = 0) {
    var h = type &* 0x9E37_79B9_7F4A_7C15
    h ^= kind &+ 0x632B_E59B_D9B4_E019 &+ (h << 6) &+ (h >> 2)
    h ^= value &+ 0x8504_1A6F_3C2E_5B11 &+ (h << 6) &+ (h >> 2)
    h ^= h >> 33
    h = h &* 0xFF51_AFD7_ED55_8CCD
    h ^= h >> 33
    indices.append(Int32(truncatingIfNeeded: h & UInt64(FeatureHasher.dimension - 1)))
  }

  /// FNV-1a over the bytes of a string.
  static func hash(_ text: some StringProtocol) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 {
      h ^= UInt64(byte)
      h = h &* 0x100_0000_01B3
    }
    return h
  }
}

/// What the features read of a field's surroundings, computed once per field.
struct FieldSurroundings {
  var siblingTokens: [String] = []
  var siblingTypes: [DataType] = []
  var depth = 0
  var inArray = false
}

enum Features {
  static func of(
    _ candidate: Candidate, field: FieldEvidence, surroundings: FieldSurroundings, valueWords: [Substring]
  ) -> [Int32] {
    var features = FeatureHasher(type: candidate.type)
    let profile = field.profile
    let keys = field.keys
    let effective = keys.effective
    features.add(1)
    features.add(2, candidate.valueProven ? 1 : 0)
    features.add(3, candidate.keyNamed ? 1 : 0)
    features.add(4, effective.weak.contains(candidate.type) ? 1 : 0)
    features.add(5, keys.last.claimedByNonSensitive ? 1 : 0)
    features.add(28, (candidate.valueProven ? 2 : 0) + (candidate.keyNamed ? 1 : 0))
    for token in keys.last.tokens.prefix(8) { features.add(6, FeatureHasher.hash(token)) }
    for token in keys.last.rest.prefix(8) { features.add(7, FeatureHasher.hash(token)) }
    for token in keys.parentTokens.prefix(8) { features.add(8, FeatureHasher.hash(token)) }
    for token in surroundings.siblingTokens.prefix(32) { features.add(9, FeatureHasher.hash(token)) }
    for type in surroundings.siblingTypes.prefix(16) { features.add(10, FeatureHasher.hash(type.rawValue)) }
    features.add(11, profile.shape)
    features.add(12, UInt64(lengthBucket(profile.length)))
    features.add(13, UInt64(Swift.min(profile.words, 8)))
    features.add(14, field.isNumber ? 1 : 0)
    features.add(15, profile.length > 0 ? UInt64(profile.digits * 4 / profile.length) : 0)
    features.add(23, profile.upper > 0 && profile.lower == 0 ? 1 : 0)
    features.add(25, UInt64(Swift.min(surroundings.depth, 5)))
    features.add(26, surroundings.inArray ? 1 : 0)
    features.add(27, field.proseTypes.isEmpty ? 0 : 1)
    for other in field.candidates where other.type != candidate.type {
      features.add(22, FeatureHasher.hash(other.type.rawValue) &+ (other.valueProven ? 1 : 0))
    }
    if profile.length >= 8, profile.length <= 256, profile.spaces == 0 {
      features.add(24, UInt64(Validators.shannonEntropy(field.text) * 2))
    }
    if !valueWords.isEmpty, valueWords.count <= 6 {
      features.add(16, ValueProfile.isNameShaped(field.text) ? 1 : 0)
      if let first = valueWords.first {
        features.add(17, NameDictionary.firstNames.contains(first.lowercased()) ? 1 : 0)
      }
      if let last = valueWords.last {
        features.add(18, NameDictionary.surnames.contains(last.lowercased()) ? 1 : 0)
      }
      features.add(19, valueWords.contains(where: StreetVocabulary.isStreetWord) ? 1 : 0)
      if valueWords.count <= 4 {
        for word in valueWords { features.add(20, FeatureHasher.hash(word.lowercased())) }
      }
    }
    if profile.length <= 32, profile.letters >= 3, profile.digits == 0 {
      addTrigrams(of: field.text, to: &features)
    }
    return features.indices
  }

  static func lengthBucket(_ length: Int) -> Int {
    switch length {
    case ..<3: 0
    case ..<5: 1
    case ..<9: 2
    case ..<13: 3
    case ..<17: 4
    case ..<25: 5
    case ..<33: 6
    case ..<65: 7
    case ..<129: 8
    default: 9
    }
  }

  /// Lower-cased letter trigrams with word boundaries (`^jo`, `joh`, `ohn`, `hn$`); a space reads
  /// as a boundary.
  static func addTrigrams(of text: String, to features: inout FeatureHasher) {
    var first: UInt64 = 0
    var second: UInt64 = 0x5E
    for scalar in text.lowercased().unicodeScalars {
      let code = scalar == " " ? UInt64(0x24) : UInt64(scalar.value)
      if first != 0 { features.add(21, first << 42 | second << 21 | code) }
      first = second
      second = code
    }
    if first != 0 { features.add(21, first << 42 | second << 21 | 0x24) }
  }
}
