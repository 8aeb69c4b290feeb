/// Where a field's types were recognised from: its value, its key path, or both agreeing.
public enum DetectionSource: String, Sendable, Hashable, CaseIterable, Codable {
  case value
  case key
  case both
}

/// What the detector says of one field (one path of a document).
public struct FieldFinding: Sendable, Hashable {
  public var path: FieldPath
  /// Sorted by id, never empty.
  public var types: [DataType]
  /// The highest level of the field's types.
  public var sensitivity: Sensitivity
  public var source: DetectionSource
  /// Confidence in 0...1.
  public var score: Double

  public init(path: FieldPath, types: [DataType], source: DetectionSource, score: Double) {
    self.path = path
    self.types = types.sorted()
    self.sensitivity = types.map(\.sensitivity).max() ?? .low
    self.source = source
    self.score = score
  }
}

/// What the detector says of one document: its sensitive fields in document order, and the
/// document's own level, raised by combinations of fields (see `DocumentSensitivity`).
public struct DocumentFindings: Sendable, Hashable {
  public var fields: [FieldFinding]
  /// Nil when the document holds nothing sensitive.
  public var sensitivity: Sensitivity?

  public init(fields: [FieldFinding], sensitivity: Sensitivity?) {
    self.fields = fields
    self.sensitivity = sensitivity
  }

  /// The contract's result object: `{"fields":[…],"sensitivity":"high"}`; `"none"` when
  /// nothing was found.
  public var json: String {
    var text = "{\"fields\":["
    for (index, field) in fields.enumerated() {
      if index > 0 { text += "," }
      text += "{\"path\":"
      JSONText.appendString(field.path.description, to: &text)
      text += ",\"types\":["
      for (typeIndex, type) in field.types.enumerated() {
        if typeIndex > 0 { text += "," }
        text += "\"" + type.id + "\""
      }
      text += "],\"sensitivity\":\"" + field.sensitivity.rawValue + "\",\"source\":\"" + field.source.rawValue
      text += "\",\"score\":" + JSONText.score(field.score) + "}"
    }
    text += "],\"sensitivity\":\"" + (sensitivity?.rawValue ?? "none") + "\"}"
    return text
  }

  /// The service's answer to a request: `{"results":[…]}`.
  public static func response(_ results: [DocumentFindings]) -> String {
    var text = "{\"results\":["
    for (index, result) in results.enumerated() {
      if index > 0 { text += "," }
      text += result.json
    }
    return text + "]}"
  }
}

/// Writing JSON without Foundation: strings escaped per RFC 8259, scores with two decimals.
public enum JSONText {
  /// Appends `string` as a JSON string literal.
  public static func appendString(_ string: String, to text: inout String) {
    text += "\""
    for scalar in string.unicodeScalars {
      switch scalar {
      case "\"": text += "\\\""
      case "\\": text += "\\\\"
      case "\n": text += "\\n"
      case "\r": text += "\\r"
      case "\t": text += "\\t"
      case "\u{00}"..<"\u{20}":
        let hex = String(scalar.value, radix: 16)
        text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: text.unicodeScalars.append(scalar)
      }
    }
    text += "\""
  }

  /// `0.97`, `1`, `0`: two decimals at most, no exponent.
  static func score(_ value: Double) -> String {
    let hundredths = Int((Swift.min(Swift.max(value, 0), 1) * 100).rounded())
    if hundredths == 100 { return "1" }
    if hundredths == 0 { return "0" }
    let digits = hundredths < 10 ? "0\(hundredths)" : "\(hundredths)"
    let trimmed = digits.hasSuffix("0") ? String(digits.dropLast()) : digits
    return "0." + trimmed
  }
}
