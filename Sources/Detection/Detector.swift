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
    detect(table: try JSONLeaves.table(of: document))
  }

  /// The findings for a document already read into its leaves.
  public func detect(leaves: [JSONLeaf]) -> DocumentFindings {
    detect(table: JSONLeafTable(leaves))
  }

  /// The findings for a document read into a leaf table (`JSONLeaves.table(of:)`).
  public func detect(table: JSONLeafTable) -> DocumentFindings {
    let (table, found) = foundFields(in: table)
    let fields = found.map { found in
      FieldFinding(
        path: table.path(of: found.node), types: Array(found.types), source: found.source, score: found.score)
    }
    return DocumentFindings(fields: fields, sensitivity: DocumentSensitivity.level(of: fields))
  }

  /// Appends what `detect(table:).appendJSON(to:)` appends, written straight from the leaf table:
  /// no `FieldPath` or `FieldFinding` is made only to be written out and dropped.
  public func appendFindingsJSON(of table: JSONLeafTable, to bytes: inout [UInt8]) {
    let (table, found) = foundFields(in: table)
    // Each field's types in id order and its level, read from its bit set: no array a field.
    let kept = found.map { (types: $0.types.sortedByID, sensitivity: Sensitivity.highest(of: $0.types) ?? .low) }
    let sensitivity = DocumentSensitivity.level(ofFields: kept)
    var bound = DocumentFindings.frameByteBound
    for index in found.indices {
      bound +=
        table.pathByteBound(of: found[index].node)
        + DocumentFindings.jsonByteBound(ofFieldWithTypes: kept[index].types.count)
    }
    JSONByteWriter.append(to: &bytes, bound: bound) { writer in
      DocumentFindings.write(fieldCount: found.count, sensitivity: sensitivity, to: &writer) { index, writer in
        DocumentFindings.writeField(
          first: index == 0, types: kept[index].types, sensitivity: kept[index].sensitivity,
          source: found[index].source, score: found[index].score, to: &writer
        ) { table.writePath(of: found[index].node, to: &$0) }
      }
    }
  }

  /// A sensitive field found: its path's node, its types, what found them and the confidence.
  struct FoundField {
    var node: Int32
    var types: FoundTypes
    var source: DetectionSource
    var score: Double
  }

  /// The fields of a document that hold something sensitive, in document order, with the table
  /// they were read from (a form body is read as the object it is).
  func foundFields(in table: JSONLeafTable) -> (JSONLeafTable, [FoundField]) {
    // Leaves of one array share a path: their findings merge. Other paths are unique.
    // A field's types are a bit set until the end.
    var found: [(node: Int32, types: FoundTypes, proven: Bool, named: Bool, score: Float)] = []
    found.reserveCapacity(16)
    let table = Self.expandingForm(table)
    // Where an array path's finding is in `found`, by node (-1 for none yet); made at the first.
    var arrayPaths: [Int32] = []
    examine(table) { node, field, judged in
      var types = field.proseTypes
      var proven = !field.proseTypes.isEmpty
      var named = false
      var score: Float = field.proseTypes.isEmpty ? 0 : 0.9
      for (candidate, probability) in judged {
        types.add(candidate.type)
        proven = proven || candidate.valueProven
        named = named || candidate.keyNamed
        score = Swift.max(score, probability)
      }
      guard !types.isEmpty else { return }
      if table.nodes[Int(node)].underArray {
        if arrayPaths.isEmpty { arrayPaths = Array(repeating: -1, count: table.nodes.count) }
        let known = Int(arrayPaths[Int(node)])
        if known >= 0 {
          found[known].types.formUnion(types)
          found[known].proven = found[known].proven || proven
          found[known].named = found[known].named || named
          found[known].score = Swift.max(found[known].score, score)
          return
        }
        arrayPaths[Int(node)] = Int32(found.count)
      }
      found.append((node, types, proven, named, score))
    }
    return (
      table,
      found.map { found in
        FoundField(
          node: found.node, types: found.types, source: found.proven ? (found.named ? .both : .value) : .key,
          score: Double(found.score))
      }
    )
  }

  /// How many weights the classifier has.
  @_spi(Training) public static var featureDimension: Int { FeatureHasher.dimension }

  /// Every candidate of every leaf with its features, for training: what `examine` judges.
  @_spi(Training)
  public func candidates(of leaves: [JSONLeaf]) -> [(path: FieldPath, type: DataType, features: [Int32])] {
    var result: [(path: FieldPath, type: DataType, features: [Int32])] = []
    let table = Self.expandingForm(JSONLeafTable(leaves))
    walk(table) { node, field, observations in
      for candidate in field.candidates {
        result.append(
          (table.path(of: node), candidate.type, Features.of(candidate, field: field, observations: observations)))
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
    let table = Self.expandingForm(JSONLeafTable(leaves))
    walk(table) { node, field, observations in
      for candidate in field.candidates {
        let features = Features.of(candidate, field: field, observations: observations)
        result.append(
          (
            table.path(of: node), candidate.type, classifier.probability(features), candidate.valueProven,
            candidate.keyNamed
          ))
      }
    }
    return result
  }

  /// Judges each leaf's candidates, calling `body` with the leaf's path node and the candidates
  /// kept with their probabilities.
  func examine(_ table: JSONLeafTable, _ body: (Int32, FieldEvidence, ReusableList<(Candidate, Float)>) -> Void) {
    var judged = ReusableList<(Candidate, Float)>(capacity: 4)
    walk(table) { node, field, observations in
      judged.removeAll()
      for candidate in field.candidates {
        if classifier.isTrained {
          let probability = classifier.probability(of: candidate, field: field, observations: observations)
          if probability >= classifier.threshold { judged.append((candidate, probability)) }
        } else if let probability = RuleFallback.probability(candidate) {
          judged.append((candidate, probability))
        }
      }
      body(node, field, judged)
    }
  }

  /// Reads each leaf with its key context and surroundings, proposes its candidates and, for a
  /// leaf with any, observes what the features read of it; `body` gets the leaf's path node.
  func walk(_ table: JSONLeafTable, _ body: (Int32, FieldEvidence, FieldObservations) -> Void) {
    let contexts = keyCache.contexts(of: table)
    let siblings = Siblings(containers: table.leaves.map(\.container))
    // Reused from one field to the next.
    var surroundings = FieldSurroundings()
    var words = ReusableList<Range<Int>>(capacity: 9)
    var observations = FieldObservations()
    // The text is borrowed once for the whole document (values are made from its bytes); the
    // contexts outlive every field's evidence, which does not retain its context.
    defer { contexts.keepAlive() }
    table.text.withUnsafeBufferPointer { documentText in
      for index in table.leaves.indices {
        let leaf = table.leaves[index]
        // Only strings and numbers say anything; an empty one says nothing either.
        guard leaf.kind == .string || leaf.kind == .number, leaf.end > leaf.start else { continue }
        let bytes = UnsafeBufferPointer(rebasing: documentText[Int(leaf.start)..<Int(leaf.end)])
        let text = String(decoding: bytes, as: UTF8.self)
        let isNumber = leaf.kind == .number
        var field = FieldEvidence(
          text: text, isNumber: isNumber, profile: ValueProfile(text, isNumber: isNumber),
          keys: contexts.summary(index))
        CandidateRules.propose(into: &field, referenceYear: referenceYear, keyCache: keyCache)
        guard !field.candidates.isEmpty || !field.proseTypes.isEmpty else { continue }
        let node = table.nodes[Int(leaf.node)]
        surroundings.reset(depth: Int(node.depth), inArray: node.isElement)
        for position in siblings.positions(in: index) {
          let sibling = Int(siblings.member(at: position))
          guard !contexts.haveSameLastKey(sibling, index) else { continue }
          surroundings.addSibling(keys: contexts.summary(sibling))
          if surroundings.siblingTokens.count >= 32 { break }
        }
        words.removeAll()
        if field.profile.words <= 6 { Self.wordRanges(of: bytes, into: &words) }
        observations.observe(field: field, surroundings: surroundings, valueWords: words)
        body(leaf.node, field, observations)
      }
    }
  }

  /// The byte ranges of a short value's space-separated words (at most 9, the last holding the
  /// rest): a space is never part of a multi-byte character, so each range holds whole ones.
  static func wordRanges(of bytes: UnsafeBufferPointer<UInt8>, into words: inout ReusableList<Range<Int>>) {
    var start = 0
    for index in bytes.indices where bytes[index] == 0x20 {
      if index > start { words.append(start..<index) }
      start = index + 1
      if words.count == 8 { break }
    }
    if start < bytes.count { words.append(start..<bytes.count) }
  }

  /// A document that is one string holding a form body (`a=1&b=2`) read as the flat object it is.
  static func expandingForm(_ table: JSONLeafTable) -> JSONLeafTable {
    guard table.leaves.count == 1, table.leaves[0].node == 0, let text = table.text(of: table.leaves[0]),
      table.leaves[0].kind == .string, let pairs = FormFields.pairs(of: text)
    else { return table }
    return JSONLeafTable(pairs.map { JSONLeaf(path: FieldPath([.key($0.key)]), value: .string($0.value)) })
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
  private let objects: [Int32]
  /// Where each object's leaves start in `members`; one more entry than objects.
  private let starts: [Int32]
  private let members: [Int32]

  /// From each leaf's container id, in document order.
  init(containers: [Int32]) {
    // The parser numbers objects from 0 upwards; other ids (leaves built by hand) are renumbered.
    let leaves = containers.count
    if containers.allSatisfy({ $0 >= 0 && Int($0) <= leaves * 2 }) {
      objects = containers
    } else {
      var renumbered: [Int32: Int32] = [:]
      objects = containers.map { container in
        if let known = renumbered[container] { return known }
        let object = Int32(renumbered.count)
        renumbered[container] = object
        return object
      }
    }
    let count = Int(objects.max().map { $0 + 1 } ?? 0)
    // Counting sort of the leaves by object, keeping at most `limit` per object.
    var starts = [Int32](repeating: 0, count: count + 1)
    var members: [Int32] = []
    objects.withUnsafeBufferPointer { objects in
      starts.withUnsafeMutableBufferPointer { starts in
        for object in objects where starts[Int(object) + 1] < Self.limit { starts[Int(object) + 1] += 1 }
        for object in 0..<count { starts[object + 1] += starts[object] }
        members = [Int32](unsafeUninitializedCapacity: Int(starts[count])) { members, initialized in
          var filled = Array(starts.dropLast())
          for (index, object) in objects.enumerated() where filled[Int(object)] < starts[Int(object) + 1] {
            members[Int(filled[Int(object)])] = Int32(index)
            filled[Int(object)] += 1
          }
          initialized = Int(starts[count])
        }
      }
    }
    self.starts = starts
    self.members = members
  }

  /// Where the first leaves (at most `limit`) of the object holding leaf `index` are listed, in
  /// document order: `member(at:)` of each position is a leaf. Positions, not a slice of the
  /// list, so that reading them counts no reference.
  func positions(in index: Int) -> Range<Int> {
    let object = Int(objects[index])
    return Int(starts[object])..<Int(starts[object + 1])
  }

  func member(at position: Int) -> Int32 { members[position] }
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
