#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Finds which sensitive data each field of a JSON document holds.
///
/// For each leaf, rules propose candidate types: validators that prove a value's form (Luhn and
/// IIN ranges, mod-97, SSA rules, JWT structure, …) and key words that name a type in any case
/// style (`dob`, `DateOfBirth`, `BIRTH-DATE`, `msisdn`, `pan`). The classifier (`Classifier`)
/// then keeps the candidates the field's whole context supports, key, parent and neighbouring
/// keys and the value's shape: precision first. Free text is scanned word by word, form bodies
/// and query strings are read as flat objects, and array elements share one `[*]` path.
///
/// Stateless and `Sendable`: one detector serves every thread.
public struct Detector: Sendable {
  /// The year birth dates are judged against (a birth date lies 0–120 years before it).
  public var referenceYear: Int
  public var classifier: Classifier
  let keyCache: KeyContextCache

  public init(referenceYear: Int = Detector.currentYear, classifier: Classifier = .bundled) {
    self.referenceYear = referenceYear
    self.classifier = classifier
    self.keyCache = KeyContextCache()
  }

  /// The findings for one JSON document; throws when it is not JSON.
  public func detect(json document: some Collection<UInt8>) throws(JSONLeafError) -> DocumentFindings {
    detect(leaves: try JSONLeaves.of(document))
  }

  /// The findings for a document already read into its leaves.
  public func detect(leaves: [JSONLeaf]) -> DocumentFindings {
    // Leaves of one array share a path: their findings merge. Other paths are unique.
    var found: [(path: FieldPath, types: Set<DataType>, proven: Bool, named: Bool, score: Float)] = []
    var arrayPaths: [FieldPath: Int] = [:]
    examine(leaves) { leaf, field, judged in
      var types = field.proseTypes
      var proven = !field.proseTypes.isEmpty
      var named = false
      var score: Float = field.proseTypes.isEmpty ? 0 : 0.9
      for (candidate, probability) in judged {
        types.insert(candidate.type)
        proven = proven || candidate.valueProven
        named = named || candidate.keyNamed
        score = Swift.max(score, probability)
      }
      guard !types.isEmpty else { return }
      if leaf.path.components.contains(.anyElement) {
        if let known = arrayPaths[leaf.path] {
          found[known].types.formUnion(types)
          found[known].proven = found[known].proven || proven
          found[known].named = found[known].named || named
          found[known].score = Swift.max(found[known].score, score)
          return
        }
        arrayPaths[leaf.path] = found.count
      }
      found.append((leaf.path, types, proven, named, score))
    }
    let fields = found.map { found in
      let source: DetectionSource = found.proven ? (found.named ? .both : .value) : .key
      return FieldFinding(path: found.path, types: Array(found.types), source: source, score: Double(found.score))
    }
    return DocumentFindings(fields: fields, sensitivity: DocumentSensitivity.level(of: fields))
  }

  /// How many weights the classifier has.
  @_spi(Training) public static var featureDimension: Int { FeatureHasher.dimension }

  /// Every candidate of every leaf with its features, for training: what `examine` judges.
  @_spi(Training)
  public func candidates(of leaves: [JSONLeaf]) -> [(path: FieldPath, type: DataType, features: [Int32])] {
    var result: [(path: FieldPath, type: DataType, features: [Int32])] = []
    walk(leaves) { leaf, field, surroundings, words in
      for candidate in field.candidates {
        result.append(
          (
            leaf.path, candidate.type,
            Features.of(candidate, field: field, surroundings: surroundings, valueWords: words)
          ))
      }
    }
    return result
  }

  /// Every candidate of every leaf with the classifier's probability, kept or not: why the
  /// detector said what it said.
  @_spi(Training)
  public func explain(
    _ leaves: [JSONLeaf]
  ) -> [(path: FieldPath, type: DataType, probability: Float, proven: Bool, named: Bool)] {
    var result: [(path: FieldPath, type: DataType, probability: Float, proven: Bool, named: Bool)] = []
    walk(leaves) { leaf, field, surroundings, words in
      for candidate in field.candidates {
        let features = Features.of(candidate, field: field, surroundings: surroundings, valueWords: words)
        result.append(
          (leaf.path, candidate.type, classifier.probability(features), candidate.valueProven, candidate.keyNamed))
      }
    }
    return result
  }

  /// Judges each leaf's candidates, calling `body` with those kept and their probabilities.
  func examine(_ leaves: [JSONLeaf], _ body: (JSONLeaf, FieldEvidence, [(Candidate, Float)]) -> Void) {
    walk(leaves) { leaf, field, surroundings, words in
      var judged: [(Candidate, Float)] = []
      for candidate in field.candidates {
        if classifier.isTrained {
          let probability = classifier.probability(
            Features.of(candidate, field: field, surroundings: surroundings, valueWords: words))
          if probability >= classifier.threshold { judged.append((candidate, probability)) }
        } else if let probability = RuleFallback.probability(candidate) {
          judged.append((candidate, probability))
        }
      }
      body(leaf, field, judged)
    }
  }

  /// Reads each leaf with its key context and surroundings and proposes its candidates.
  func walk(_ input: [JSONLeaf], _ body: (JSONLeaf, FieldEvidence, FieldSurroundings, [Substring]) -> Void) {
    let leaves = Self.expandingForm(input)
    var contexts: [KeyContext] = []
    var lastKeys: [String?] = []
    contexts.reserveCapacity(leaves.count)
    lastKeys.reserveCapacity(leaves.count)
    var siblings: [Int32: [Int]] = [:]
    for (index, leaf) in leaves.enumerated() {
      let (lastKey, parentKey) = Self.keys(of: leaf.path)
      contexts.append(keyCache.context(lastKey: lastKey, parentKey: parentKey))
      lastKeys.append(lastKey)
      if siblings[leaf.container, default: []].count < 24 { siblings[leaf.container, default: []].append(index) }
    }
    for (index, leaf) in leaves.enumerated() {
      guard let text = leaf.value.text, !text.isEmpty else { continue }
      let isNumber = if case .number = leaf.value { true } else { false }
      var field = FieldEvidence(
        text: text, isNumber: isNumber, profile: ValueProfile(text, isNumber: isNumber), keys: contexts[index])
      CandidateRules.propose(into: &field, referenceYear: referenceYear)
      guard !field.candidates.isEmpty || !field.proseTypes.isEmpty else { continue }
      var surroundings = FieldSurroundings(
        depth: leaf.path.components.count, inArray: leaf.path.components.last == .anyElement)
      for sibling in siblings[leaf.container] ?? [] where lastKeys[sibling] != lastKeys[index] {
        surroundings.siblingTokens.append(contentsOf: contexts[sibling].last.tokens)
        surroundings.siblingTypes.append(contentsOf: contexts[sibling].effective.strong)
        if surroundings.siblingTokens.count >= 32 { break }
      }
      let words = field.profile.words <= 6 ? text.split(separator: " ", maxSplits: 8) : []
      body(leaf, field, surroundings, words)
    }
  }

  /// A document that is one string holding a form body (`a=1&b=2`) read as the flat object it is.
  static func expandingForm(_ leaves: [JSONLeaf]) -> [JSONLeaf] {
    guard leaves.count == 1, leaves[0].path.components.isEmpty, case .string(let text) = leaves[0].value,
      let pairs = FormFields.pairs(of: text)
    else { return leaves }
    return pairs.map { JSONLeaf(path: FieldPath([.key($0.key)]), value: .string($0.value)) }
  }

  /// The last key of a path and the key before it.
  static func keys(of path: FieldPath) -> (last: String?, parent: String?) {
    var last: String?
    var parent: String?
    for component in path.components {
      if case .key(let key) = component {
        parent = last
        last = key
      }
    }
    return (last, parent)
  }

  /// This year by the system clock (UTC).
  public static var currentYear: Int {
    let seconds = Int(time(nil))
    return 1970 + Int(Double(seconds) / 31_556_952)
  }
}

/// Without a trained model: keep what a validator proved or a key named, except types the rules
/// say need both (a date is a birth date only under a birth key).
enum RuleFallback {
  static func probability(_ candidate: Candidate) -> Float? {
    switch candidate.type {
    case .dateOfBirth, .imei:
      candidate.keyNamed ? 0.8 : nil
    default:
      candidate.valueProven ? (candidate.keyNamed ? 0.95 : 0.85) : (candidate.keyNamed ? 0.7 : nil)
    }
  }
}
