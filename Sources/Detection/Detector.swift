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
    // Types are few per field: arrays without duplicates (FieldFinding sorts them).
    var found: [(path: FieldPath, types: [DataType], proven: Bool, named: Bool, score: Float)] = []
    var arrayPaths: [FieldPath: Int] = [:]
    examine(leaves) { leaf, field, judged in
      var types = Array(field.proseTypes)
      var proven = !field.proseTypes.isEmpty
      var named = false
      var score: Float = field.proseTypes.isEmpty ? 0 : 0.9
      for (candidate, probability) in judged {
        if !types.contains(candidate.type) { types.append(candidate.type) }
        proven = proven || candidate.valueProven
        named = named || candidate.keyNamed
        score = Swift.max(score, probability)
      }
      guard !types.isEmpty else { return }
      if leaf.path.components.contains(.anyElement) {
        if let known = arrayPaths[leaf.path] {
          for type in types where !found[known].types.contains(type) { found[known].types.append(type) }
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
      return FieldFinding(path: found.path, types: found.types, source: source, score: Double(found.score))
    }
    return DocumentFindings(fields: fields, sensitivity: DocumentSensitivity.level(of: fields))
  }

  /// How many weights the classifier has.
  @_spi(Training) public static var featureDimension: Int { FeatureHasher.dimension }

  /// Every candidate of every leaf with its features, for training: what `examine` judges.
  @_spi(Training)
  public func candidates(of leaves: [JSONLeaf]) -> [(path: FieldPath, type: DataType, features: [Int32])] {
    var result: [(path: FieldPath, type: DataType, features: [Int32])] = []
    walk(leaves) { leaf, field, observations in
      for candidate in field.candidates {
        result.append((leaf.path, candidate.type, Features.of(candidate, field: field, observations: observations)))
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
    walk(leaves) { leaf, field, observations in
      for candidate in field.candidates {
        let features = Features.of(candidate, field: field, observations: observations)
        result.append(
          (leaf.path, candidate.type, classifier.probability(features), candidate.valueProven, candidate.keyNamed))
      }
    }
    return result
  }

  /// Judges each leaf's candidates, calling `body` with those kept and their probabilities.
  func examine(_ leaves: [JSONLeaf], _ body: (JSONLeaf, FieldEvidence, [(Candidate, Float)]) -> Void) {
    var judged: [(Candidate, Float)] = []
    walk(leaves) { leaf, field, observations in
      judged.removeAll(keepingCapacity: true)
      for candidate in field.candidates {
        if classifier.isTrained {
          let probability = classifier.probability(of: candidate, field: field, observations: observations)
          if probability >= classifier.threshold { judged.append((candidate, probability)) }
        } else if let probability = RuleFallback.probability(candidate) {
          judged.append((candidate, probability))
        }
      }
      body(leaf, field, judged)
    }
  }

  /// Reads each leaf with its key context and surroundings, proposes its candidates and, for a
  /// leaf with any, observes what the features read of it.
  func walk(_ input: [JSONLeaf], _ body: (JSONLeaf, FieldEvidence, FieldObservations) -> Void) {
    let leaves = Self.expandingForm(input)
    let contexts = keyCache.contexts(of: leaves.map { Self.keys(of: $0.path) })
    let siblings = Siblings(leaves)
    // Reused from one field to the next.
    var surroundings = FieldSurroundings()
    var words: [Substring] = []
    var observations = FieldObservations()
    for index in leaves.indices {
      // Read in place: no copy of the leaf (and no retain of its path) for a value without news.
      let text: String
      let isNumber: Bool
      switch leaves[index].value {
      case .string(let string):
        text = string
        isNumber = false
      case .number(let number):
        text = number
        isNumber = true
      case .bool, .null:
        continue
      }
      guard !text.isEmpty else { continue }
      var field = FieldEvidence(
        text: text, isNumber: isNumber, profile: ValueProfile(text, isNumber: isNumber), keys: contexts[index])
      CandidateRules.propose(into: &field, referenceYear: referenceYear, keyCache: keyCache)
      guard !field.candidates.isEmpty || !field.proseTypes.isEmpty else { continue }
      let leaf = leaves[index]
      surroundings.reset(depth: leaf.path.components.count, inArray: leaf.path.components.last == .anyElement)
      for sibling in siblings.first(in: index) where !contexts[Int(sibling)].hasSameLastKey(as: contexts[index]) {
        let sibling = Int(sibling)
        surroundings.siblingTokens.append(contentsOf: contexts[sibling].last.tokenHashes)
        if let named = contexts[sibling].named { surroundings.siblingTypes.append(named) }
        if surroundings.siblingTokens.count >= 32 { break }
      }
      words.removeAll(keepingCapacity: true)
      if field.profile.words <= 6 { Self.words(of: text, into: &words) }
      observations.observe(field: field, surroundings: surroundings, valueWords: words)
      body(leaf, field, observations)
    }
  }

  /// The space-separated words of a short value (at most 9, the last holding the rest), split on
  /// bytes: a space is never part of a multi-byte character.
  static func words(of text: String, into words: inout [Substring]) {
    let utf8 = text.utf8
    var start = utf8.startIndex
    var index = start
    while index < utf8.endIndex {
      if utf8[index] == 0x20 {
        if index > start { words.append(text[start..<index]) }
        if words.count == 8 {
          start = utf8.index(after: index)
          break
        }
        start = utf8.index(after: index)
      }
      index = utf8.index(after: index)
    }
    if start < utf8.endIndex { words.append(text[start..<utf8.endIndex]) }
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

/// The first leaves of each object, the siblings whose keys the features read: a leaf's
/// container id picks its object's list. Built in two passes over the leaves, no per-object
/// allocation.
struct Siblings {
  static let limit: Int32 = 24
  /// Each leaf's object (dense, from 0).
  private var objects: [Int32] = []
  /// Where each object's leaves start in `members`; one more entry than objects.
  private var starts: [Int32] = []
  private var members: [Int32] = []

  init(_ leaves: [JSONLeaf]) {
    objects.reserveCapacity(leaves.count)
    // The parser numbers objects from 0 upwards; other ids (leaves built by hand) are renumbered.
    let dense = leaves.allSatisfy { $0.container >= 0 && Int($0.container) <= leaves.count * 2 }
    var renumbered: [Int32: Int32] = [:]
    var count: Int32 = 0
    for leaf in leaves {
      let object: Int32
      if dense {
        object = leaf.container
      } else if let known = renumbered[leaf.container] {
        object = known
      } else {
        object = Int32(renumbered.count)
        renumbered[leaf.container] = object
      }
      objects.append(object)
      count = Swift.max(count, object + 1)
    }
    starts = [Int32](repeating: 0, count: Int(count) + 1)
    for object in objects where starts[Int(object) + 1] < Self.limit { starts[Int(object) + 1] += 1 }
    for object in 0..<Int(count) { starts[object + 1] += starts[object] }
    members = [Int32](repeating: 0, count: Int(starts[Int(count)]))
    var filled = starts
    for (index, object) in objects.enumerated() where filled[Int(object)] < starts[Int(object) + 1] {
      members[Int(filled[Int(object)])] = Int32(index)
      filled[Int(object)] += 1
    }
  }

  /// The first leaves (at most `limit`) of the object holding leaf `index`, in document order.
  func first(in index: Int) -> ArraySlice<Int32> {
    let object = Int(objects[index])
    return members[Int(starts[object])..<Int(starts[object + 1])]
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
