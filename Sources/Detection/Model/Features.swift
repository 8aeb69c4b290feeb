/// The classifier's features for one candidate: hashed (the hashing trick), each a pair of what
/// is observed and the candidate's type, so one weight vector holds a linear model per type.
///
/// Observed: whether a validator proved the value and whether the key names the type; the words
/// of the key, of its parent and of its sibling keys (neighbouring fields: `sku` and `price`
/// beside `name` say "product"); the value's shape, length, words, digit ratio and entropy;
/// dictionary hits (given names, surnames, street words); short values' words and character
/// trigrams; the other candidates of the field.
///
/// What depends only on the field is observed once per field (`FieldObservations`) and paired
/// with each candidate's type; key words are hashed once per key (`KeyHints.tokenHashes`).
struct FeatureHasher {
  static let dimensionBits = 18
  static let dimension = 1 << dimensionBits

  /// The candidate type's seed, mixed into every feature.
  let type: UInt64

  init(type: DataType) {
    self.init(typeHash: FeatureHasher.hash(type))
  }

  /// The hasher of the type whose `FeatureHasher.hash(_:)` is `typeHash`.
  init(typeHash: UInt64) {
    self.type = typeHash &* 0x9E37_79B9_7F4A_7C15
  }

  /// The weight index of one observation paired with the type.
  func index(_ kind: UInt64, _ value: UInt64 = 0) -> Int32 {
    var h = type
    h ^= kind &+ 0x632B_E59B_D9B4_E019 &+ (h << 6) &+ (h >> 2)
    h ^= value &+ 0x8504_1A6F_3C2E_5B11 &+ (h << 6) &+ (h >> 2)
    h ^= h >> 33
    h = h &* 0xFF51_AFD7_ED55_8CCD
    h ^= h >> 33
    return Int32(truncatingIfNeeded: h & UInt64(FeatureHasher.dimension - 1))
  }

  /// FNV-1a over the bytes of a string.
  static func hash(_ text: String) -> UInt64 { FNV1a.hash(text) }

  /// FNV-1a of a type's id.
  static func hash(_ type: DataType) -> UInt64 { hash(type.rawValue) }

  /// FNV-1a over a word's UTF-8 bytes (whole characters) lower-cased: what
  /// `hash(word.lowercased())` gives, without a copy for an ASCII word (hashed in the same pass
  /// that finds it is ASCII).
  static func hashLowercased(utf8 bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h = FNV1a.offsetBasis
    var allBits: UInt8 = 0
    for byte in bytes {
      allBits |= byte
      h = FNV1a.mix(byte.isASCIIUpper ? byte | 0x20 : byte, into: h)
    }
    if allBits < 0x80 { return h }
    return hash(String(decoding: bytes, as: UTF8.self).lowercased())
  }
}

/// What the features read of a field's surroundings, computed once per field.
struct FieldSurroundings {
  /// Hashes of the sibling keys' words.
  var siblingTokens = ReusableList<UInt64>(capacity: 64)
  var siblingTypes = ReusableList<DataType>(capacity: Int(Siblings.limit))
  var depth = 0
  var inArray = false

  /// Adds a sibling's key words and the type its key names. The words are read where the key's
  /// context keeps them: no copy, no reference counted.
  mutating func addSibling(keys: KeyContext.Summary) {
    siblingTokens.append(contentsOf: keys.lastWordHashes)
    if let named = keys.named { siblingTypes.append(named) }
  }

  /// Empties the sibling lists, keeping their storage, for the next field.
  mutating func reset(depth: Int, inArray: Bool) {
    siblingTokens.removeAll()
    siblingTypes.removeAll()
    self.depth = depth
    self.inArray = inArray
  }
}

/// One thing observed of a field: a feature kind and its value.
struct Observation {
  var kind: UInt64
  var value: UInt64 = 0
}

/// Everything observed of a field that does not depend on the candidate: observed once, paired
/// with each candidate's type. `leading` comes before the field's other candidates in a
/// candidate's features, `trailing` after them.
struct FieldObservations {
  var leading = ReusableList<Observation>(capacity: 96)
  var trailing = ReusableList<Observation>(capacity: 48)
  /// The `FeatureHasher.hash(_:)` of every type met so far (siblings', candidates'), kept from one
  /// field to the next: a document names few types, and finding one here costs less than hashing
  /// its id again.
  private var typeHashes: [(type: DataType, hash: UInt64)] = []

  init() {
    typeHashes.reserveCapacity(DataType.allCases.count)
  }

  init(field: FieldEvidence, surroundings: FieldSurroundings, valueWords: ReusableList<Range<Int>>) {
    self.init()
    observe(field: field, surroundings: surroundings, valueWords: valueWords)
  }

  /// Observes one field, reusing the storage of the previous one's observations.
  /// `valueWords` are the byte ranges of the value's words (`Detector.wordRanges(of:into:)`).
  mutating func observe(
    field: FieldEvidence, surroundings: FieldSurroundings, valueWords: ReusableList<Range<Int>>
  ) {
    leading.removeAll()
    trailing.removeAll()
    for candidate in field.candidates { _ = learnHash(of: candidate.type) }
    let profile = field.profile
    appendTokens(field.keys.lastWordHashes.prefix(8), kind: 6)
    appendTokens(field.keys.restWordHashes, kind: 7)
    appendTokens(field.keys.parentWordHashes, kind: 8)
    appendTokens(surroundings.siblingTokens.prefix(32), kind: 9)
    for type in surroundings.siblingTypes.prefix(16) {
      leading.append(Observation(kind: 10, value: learnHash(of: type)))
    }
    leading.append(Observation(kind: 11, value: profile.shape))
    leading.append(Observation(kind: 12, value: UInt64(Features.lengthBucket(profile.length))))
    leading.append(Observation(kind: 13, value: UInt64(Swift.min(profile.words, 8))))
    leading.append(Observation(kind: 14, value: field.isNumber ? 1 : 0))
    leading.append(
      Observation(kind: 15, value: profile.length > 0 ? UInt64(profile.digits * 4 / profile.length) : 0))
    leading.append(Observation(kind: 23, value: profile.upper > 0 && profile.lower == 0 ? 1 : 0))
    leading.append(Observation(kind: 25, value: UInt64(Swift.min(surroundings.depth, 5))))
    leading.append(Observation(kind: 26, value: surroundings.inArray ? 1 : 0))
    leading.append(Observation(kind: 27, value: field.proseTypes.isEmpty ? 0 : 1))

    if profile.length >= 8, profile.length <= 256, profile.spaces == 0 {
      trailing.append(Observation(kind: 24, value: UInt64(Validators.shannonEntropy(field.text) * 2)))
    }
    // Words are read in place, as byte ranges of the value.
    if !valueWords.isEmpty, valueWords.count <= 6 {
      trailing.append(Observation(kind: 16, value: ValueProfile.isNameShaped(field.text) ? 1 : 0))
      var text = field.text
      text.withUTF8 { bytes in
        func word(_ index: Int) -> UnsafeBufferPointer<UInt8> {
          UnsafeBufferPointer(rebasing: bytes[valueWords[index]])
        }
        let lastIndex = valueWords.count - 1
        // One word is both the first and the last: looked up once.
        let vocabulary = ProseVocabulary.shared
        let firstRoles = vocabulary.roles(ofUTF8: word(0))
        let lastRoles = lastIndex == 0 ? firstRoles : vocabulary.roles(ofUTF8: word(lastIndex))
        trailing.append(Observation(kind: 17, value: firstRoles.contains(.firstName) ? 1 : 0))
        trailing.append(Observation(kind: 18, value: lastRoles.contains(.surname) ? 1 : 0))
        let hasStreetWord = valueWords.indices.contains { StreetVocabulary.isStreetWord(utf8: word($0)) }
        trailing.append(Observation(kind: 19, value: hasStreetWord ? 1 : 0))
        if valueWords.count <= 4 {
          for index in valueWords.indices {
            trailing.append(Observation(kind: 20, value: FeatureHasher.hashLowercased(utf8: word(index))))
          }
        }
      }
    }
    if profile.length <= 32, profile.letters >= 3, profile.digits == 0 {
      Features.addTrigrams(of: field.text, to: &trailing)
    }
  }

  /// Appends one observation of `kind` per token.
  private mutating func appendTokens(_ tokens: some RandomAccessCollection<UInt64>, kind: UInt64) {
    leading.append(tokens.count) {
      Observation(kind: kind, value: tokens[tokens.index(tokens.startIndex, offsetBy: $0)])
    }
  }

  /// `FeatureHasher.hash(type)`, remembered.
  private mutating func learnHash(of type: DataType) -> UInt64 {
    if let known = typeHashes.first(where: { $0.type == type }) { return known.hash }
    let hash = FeatureHasher.hash(type)
    typeHashes.append((type, hash))
    return hash
  }

  /// `FeatureHasher.hash(type)`: remembered for the types of the field observed last.
  func hash(of type: DataType) -> UInt64 {
    typeHashes.first { $0.type == type }?.hash ?? FeatureHasher.hash(type)
  }
}

enum Features {
  /// The weight indices of one candidate's features, appended to `indices`.
  static func append(
    _ candidate: Candidate, field: FieldEvidence, observations: FieldObservations, to indices: inout [Int32]
  ) {
    forEachIndex(of: candidate, field: field, observations: observations) { indices.append($0) }
  }

  /// Calls `body` with the weight index of each of one candidate's features, always in the same
  /// order: the order `append` lists them in, which a sum of `Float` weights depends on. The
  /// classifier sums weights through it without collecting the indices in an array.
  @inline(__always)
  static func forEachIndex(
    of candidate: Candidate, field: FieldEvidence, observations: FieldObservations, _ body: (Int32) -> Void
  ) {
    let hasher = FeatureHasher(typeHash: observations.hash(of: candidate.type))
    body(hasher.index(1))
    body(hasher.index(2, candidate.valueProven ? 1 : 0))
    body(hasher.index(3, candidate.keyNamed ? 1 : 0))
    body(hasher.index(4, field.keys.namesWeakly(candidate.type) ? 1 : 0))
    body(hasher.index(5, field.keys.lastClaimedByNonSensitive ? 1 : 0))
    body(hasher.index(28, (candidate.valueProven ? 2 : 0) + (candidate.keyNamed ? 1 : 0)))
    for observation in observations.leading { body(hasher.index(observation.kind, observation.value)) }
    for other in field.candidates where other.type != candidate.type {
      body(hasher.index(22, observations.hash(of: other.type) &+ (other.valueProven ? 1 : 0)))
    }
    for observation in observations.trailing { body(hasher.index(observation.kind, observation.value)) }
  }

  /// One candidate's features on their own (training, explanations).
  static func of(_ candidate: Candidate, field: FieldEvidence, observations: FieldObservations) -> [Int32] {
    var indices: [Int32] = []
    indices.reserveCapacity(96)
    append(candidate, field: field, observations: observations, to: &indices)
    return indices
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
  static func addTrigrams(of text: String, to observations: inout ReusableList<Observation>) {
    // An ASCII text's lower case is its bytes with `A`–`Z` lowered: read in place, no copy.
    let ascii = text.utf8.withContiguousStorageIfAvailable { bytes in
      guard bytes.allSatisfy({ $0 < 0x80 }) else { return false }
      addTrigrams(ofScalars: bytes.lazy.map { UInt64($0.isASCIIUpper ? $0 | 0x20 : $0) }, to: &observations)
      return true
    }
    if ascii != true {
      addTrigrams(ofScalars: text.lowercased().unicodeScalars.lazy.map { UInt64($0.value) }, to: &observations)
    }
  }

  /// `addTrigrams(of:to:)` of a lower-cased text's Unicode scalar values.
  private static func addTrigrams(
    ofScalars scalars: some Sequence<UInt64>, to observations: inout ReusableList<Observation>
  ) {
    var first: UInt64 = 0
    var second: UInt64 = 0x5E
    for scalar in scalars {
      let code = scalar == 0x20 ? 0x24 : scalar
      if first != 0 { observations.append(Observation(kind: 21, value: first << 42 | second << 21 | code)) }
      first = second
      second = code
    }
    if first != 0 { observations.append(Observation(kind: 21, value: first << 42 | second << 21 | 0x24)) }
  }
}
