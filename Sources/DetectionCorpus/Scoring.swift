import Detection

// Scoring a detector against the labelled corpus: over (document, path, type) triples, per type
// and micro-averaged, for several systems side by side (Sovren's detector and its baselines).

/// Why a labels or predictions line cannot be scored.
public enum ScoringError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The line is not JSON.
  case invalidJSON(JSONLeafError)
  /// A labels line whose `labels` is not an object of paths to arrays of type ids.
  case malformedLabels(reason: String)
  /// A predictions line whose `fields` are not `[{"path": …, "types": […]}, …]`.
  case malformedPredictions(reason: String)
  /// A type id the contract does not define.
  case unknownType(String)

  public var description: String {
    switch self {
    case .invalidJSON(let error): "The line is not JSON: \(error)."
    case .malformedLabels(let reason): "The labels line is malformed: \(reason)."
    case .malformedPredictions(let reason): "The predictions line is malformed: \(reason)."
    case .unknownType(let id): "The type id '\(id)' is not one of the contract's ids."
    }
  }
}

/// What one system said of one document: its types per path, or that it failed on it.
public struct Prediction: Sendable, Hashable {
  /// Paths (contract notation) to the types predicted there.
  public var types: [String: Set<DataType>]
  /// The line was `{"error": …}`: the system gave no answer, scored as no predictions.
  public var isError: Bool

  public init(types: [String: Set<DataType>], isError: Bool = false) {
    self.types = types
    self.isError = isError
  }
}

/// Reading the two kinds of line the evaluation compares.
public enum ScoringLine {
  /// The labels of a corpus line `{"document": …, "labels": {"$.path": ["type", …], …}}`.
  public static func labels(_ line: some Collection<UInt8>) throws(ScoringError) -> [String: Set<DataType>] {
    let leaves: [JSONLeaf]
    do { leaves = try JSONLeaves.of(line) } catch { throw .invalidJSON(error) }
    var labels: [String: Set<DataType>] = [:]
    for leaf in leaves {
      let components = leaf.path.components
      guard components.first == .key("labels") else { continue }
      guard components.count == 3, case .key(let path) = components[1], components[2] == .anyElement,
        case .string(let id) = leaf.value
      else {
        throw .malformedLabels(reason: "\(leaf.path) should be a type id in an array under a path")
      }
      labels[path, default: []].insert(try type(id))
    }
    return labels
  }

  /// The prediction of a result line in the contract's format
  /// (`{"fields": [{"path": "$.a", "types": ["email"], …}], …}`), or of an `{"error": …}` line.
  /// Each field's `path` must come before its `types`, as the contract writes them. A line with
  /// no field, no `sensitivity` and no `error` is refused: it is not a result (a documents file
  /// given in place of results, say).
  public static func prediction(_ line: some Collection<UInt8>) throws(ScoringError) -> Prediction {
    let leaves: [JSONLeaf]
    do { leaves = try JSONLeaves.of(line) } catch { throw .invalidJSON(error) }
    var types: [String: Set<DataType>] = [:]
    var currentPath: String?
    var isError = false
    var isResult = false
    for leaf in leaves {
      let components = leaf.path.components
      if components.first == .key("error") {
        isError = true
        continue
      }
      if components == [.key("sensitivity")] { isResult = true }
      guard components.count >= 3, components[0] == .key("fields"), components[1] == .anyElement else { continue }
      switch (components[2], components.count, leaf.value) {
      case (.key("path"), 3, .string(let path)):
        currentPath = path
        isResult = true
      case (.key("types"), 4, .string(let id)) where components[3] == .anyElement:
        guard let path = currentPath else {
          throw .malformedPredictions(reason: "a field's types come before its path")
        }
        types[path, default: []].insert(try type(id))
      case (.key("path"), _, _), (.key("types"), _, _):
        throw .malformedPredictions(reason: "\(leaf.path) should be a path string or a type id in an array")
      default:
        continue
      }
    }
    guard isResult || isError else {
      throw .malformedPredictions(reason: "it has no fields, no sensitivity and no error, so it is not a result")
    }
    return Prediction(types: types.filter { !$0.value.isEmpty }, isError: isError)
  }

  static func type(_ id: String) throws(ScoringError) -> DataType {
    guard let type = DataType(rawValue: id) else { throw .unknownType(id) }
    return type
  }
}

/// True positives, false positives and false negatives over (document, path, type) triples, and
/// the measures they give. A measure whose denominator is zero is 0 (nothing predicted has no
/// precision to speak of); tables print it as `-`.
public struct TripleCounts: Sendable, Hashable {
  public var truePositives = 0
  public var falsePositives = 0
  public var falseNegatives = 0

  public init(truePositives: Int = 0, falsePositives: Int = 0, falseNegatives: Int = 0) {
    self.truePositives = truePositives
    self.falsePositives = falsePositives
    self.falseNegatives = falseNegatives
  }

  /// Labelled triples: what recall is measured against.
  public var support: Int { truePositives + falseNegatives }
  /// Predicted triples.
  public var predicted: Int { truePositives + falsePositives }

  public var precision: Double { predicted == 0 ? 0 : Double(truePositives) / Double(predicted) }
  public var recall: Double { support == 0 ? 0 : Double(truePositives) / Double(support) }
  public var f1: Double { fScore(beta: 1) }
  /// Precision weighted twice as much as recall: a detector that cries wolf is costlier.
  public var f05: Double { fScore(beta: 0.5) }

  /// (1 + β²)·TP / ((1 + β²)·TP + β²·FN + FP).
  public func fScore(beta: Double) -> Double {
    let squared = beta * beta
    let denominator = (1 + squared) * Double(truePositives) + squared * Double(falseNegatives) + Double(falsePositives)
    return denominator == 0 ? 0 : (1 + squared) * Double(truePositives) / denominator
  }

  public static func + (lhs: TripleCounts, rhs: TripleCounts) -> TripleCounts {
    TripleCounts(
      truePositives: lhs.truePositives + rhs.truePositives, falsePositives: lhs.falsePositives + rhs.falsePositives,
      falseNegatives: lhs.falseNegatives + rhs.falseNegatives)
  }
}

/// One system's score over a corpus, document by document.
public struct Scoreboard: Sendable, Hashable {
  /// Per type; a type neither labelled nor predicted has no entry.
  public private(set) var counts: [DataType: TripleCounts] = [:]
  public private(set) var documents = 0
  /// Documents the system answered with an error (scored as no predictions).
  public private(set) var errors = 0

  public init() {}

  /// Scores one document: every (path, type) in both is a true positive, in `predicted` only a
  /// false positive, in `labels` only a false negative.
  public mutating func add(labels: [String: Set<DataType>], predicted: [String: Set<DataType>]) {
    documents += 1
    for (path, labelled) in labels {
      let guessed = predicted[path] ?? []
      for type in labelled {
        if guessed.contains(type) {
          counts[type, default: TripleCounts()].truePositives += 1
        } else {
          counts[type, default: TripleCounts()].falseNegatives += 1
        }
      }
    }
    for (path, guessed) in predicted {
      let labelled = labels[path] ?? []
      for type in guessed where !labelled.contains(type) {
        counts[type, default: TripleCounts()].falsePositives += 1
      }
    }
  }

  public mutating func add(labels: [String: Set<DataType>], prediction: Prediction) {
    if prediction.isError { errors += 1 }
    add(labels: labels, predicted: prediction.isError ? [:] : prediction.types)
  }

  /// The counts of one type (zero when it was neither labelled nor predicted).
  public subscript(type: DataType) -> TripleCounts { counts[type] ?? TripleCounts() }

  /// Micro average: the counts summed over the given types.
  public func micro(over types: some Sequence<DataType>) -> TripleCounts {
    types.reduce(TripleCounts()) { $0 + self[$1] }
  }

  /// Micro average over the types the detector is judged on.
  public var microRequired: TripleCounts { micro(over: DataType.allCases.filter(\.isRequired)) }
  /// Micro average over every type.
  public var microAll: TripleCounts { micro(over: DataType.allCases) }

  /// One line: micro P/R/F1/F0.5 over the required types, then over all, with the counts.
  public func summary(name: String) -> String {
    func part(_ counts: TripleCounts) -> String {
      "P \(Self.fixed(counts.precision)) R \(Self.fixed(counts.recall)) F1 \(Self.fixed(counts.f1))"
        + " F0.5 \(Self.fixed(counts.f05)) (TP \(counts.truePositives), FP \(counts.falsePositives),"
        + " FN \(counts.falseNegatives))"
    }
    return "\(name): required \(part(microRequired)); all types \(part(microAll)); \(documents) documents, "
      + "\(errors) errors"
  }

  /// Rows are types (required first, in the contract's order, then the others; types no system
  /// labelled or predicted are left out) and the two micro averages; for each system its
  /// precision, recall and F1; `support` is the number of labelled triples, read from the first
  /// system (every system is scored on the same corpus). Markdown, or text aligned in columns.
  public static func table(_ systems: [(name: String, board: Scoreboard)], markdown: Bool) -> String {
    let types = DataType.allCases.filter { type in systems.contains { $0.board.counts[type] != nil } }
    let required = types.filter(\.isRequired)
    let others = types.filter { !$0.isRequired }

    var header = ["type", "support"]
    for system in systems { header += ["\(system.name) P", "\(system.name) R", "\(system.name) F1"] }
    var rows: [[String]] = []
    func row(_ label: String, _ counts: (Scoreboard) -> TripleCounts) -> [String] {
      var cells = [label, String(systems.first.map { counts($0.board).support } ?? 0)]
      for system in systems {
        let c = counts(system.board)
        cells += [
          c.predicted == 0 ? "-" : fixed(c.precision), c.support == 0 ? "-" : fixed(c.recall),
          c.predicted + c.support == 0 ? "-" : fixed(c.f1),
        ]
      }
      return cells
    }
    for type in required { rows.append(row(type.id, { $0[type] })) }
    for type in others { rows.append(row(type.id + " (not judged)", { $0[type] })) }
    rows.append(row("micro, required", { $0.microRequired }))
    rows.append(row("micro, all types", { $0.microAll }))

    if markdown {
      var text = "| " + header.joined(separator: " | ") + " |\n"
      text += "|" + header.indices.map { $0 == 0 ? "---|" : "---:|" }.joined() + "\n"
      for cells in rows {
        let shown = cells.first?.hasPrefix("micro") == true ? ["**\(cells[0])**"] + cells.dropFirst() : cells
        text += "| " + shown.joined(separator: " | ") + " |\n"
      }
      return text
    }
    let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
    func line(_ cells: [String]) -> String {
      var text = ""
      for (column, cell) in cells.enumerated() {
        let padding = String(repeating: " ", count: widths[column] - cell.count)
        if column == 0 {
          text += cell + padding
        } else {
          text += "  " + padding + cell
        }
      }
      return text + "\n"
    }
    return ([header] + rows).map(line).joined()
  }

  /// A measure in 0...1 with three decimals, without Foundation: `0.857`, `1.000`.
  static func fixed(_ value: Double) -> String {
    let thousandths = Int((min(max(value, 0), 1) * 1000).rounded())
    let fraction = String(thousandths % 1000)
    return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
  }
}
