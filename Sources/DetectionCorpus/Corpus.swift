import Detection

/// One generated document and the types each of its paths truly holds.
public struct LabelledDocument: Sendable, Hashable {
  /// The document as JSON text (UTF-8).
  public var json: String
  /// Paths (contract notation, as `FieldPath.description` writes them) to their true types.
  /// Paths not listed hold nothing sensitive.
  public var labels: [String: Set<DataType>]

  public init(json: String, labels: [String: Set<DataType>]) {
    self.json = json
    self.labels = labels
  }
}

/// Which part of the corpus: the classifier is trained on `train` only; `heldOut` uses schemas,
/// key spellings and values that `train` never shows.
public enum CorpusSplit: String, Sendable, Hashable, CaseIterable {
  case train
  case heldOut = "held-out"
}
