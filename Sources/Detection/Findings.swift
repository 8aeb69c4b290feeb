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
    self.types = types.count > 1 ? types.sorted() : types
    self.sensitivity = Sensitivity.highest(of: types) ?? .low
    self.source = source
    self.score = score
  }
}

extension Sensitivity {
  /// The position in `allCases`, without `<`'s search of `allCases`.
  var rank: Int {
    switch self {
    case .low: 0
    case .medium: 1
    case .high: 2
    case .critical: 3
    }
  }

  /// The highest level of `types`; nil when there are none.
  static func highest(of types: [DataType]) -> Sensitivity? {
    var highest: Sensitivity?
    for type in types {
      let level = type.sensitivity
      if let known = highest, known.rank >= level.rank { continue }
      highest = level
    }
    return highest
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
    var bytes: [UInt8] = []
    appendJSON(to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends `json`'s UTF-8 bytes to `bytes`, with no `String` in between.
  public func appendJSON(to bytes: inout [UInt8]) {
    bytes.reserveCapacity(bytes.count + 40 + fields.count * 112)
    JSONText.append("{\"fields\":[", to: &bytes)
    for (index, field) in fields.enumerated() {
      JSONText.append(index > 0 ? ",{\"path\":\"" : "{\"path\":\"", to: &bytes)
      field.path.appendDescription(to: &bytes, escapingForJSON: true)
      JSONText.append("\",\"types\":[", to: &bytes)
      for (typeIndex, type) in field.types.enumerated() {
        if typeIndex > 0 { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        JSONText.appendUnescaped(type.id, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
      }
      JSONText.append("],\"sensitivity\":\"", to: &bytes)
      JSONText.appendUnescaped(field.sensitivity.rawValue, to: &bytes)
      JSONText.append("\",\"source\":\"", to: &bytes)
      JSONText.appendUnescaped(field.source.rawValue, to: &bytes)
      JSONText.append("\",\"score\":", to: &bytes)
      JSONText.appendScore(field.score, to: &bytes)
      bytes.append(UInt8(ascii: "}"))
    }
    JSONText.append("],\"sensitivity\":\"", to: &bytes)
    JSONText.appendUnescaped(sensitivity?.rawValue ?? "none", to: &bytes)
    JSONText.append("\"}", to: &bytes)
  }

  /// The service's answer to a request: `{"results":[…]}`.
  public static func response(_ results: [DocumentFindings]) -> String {
    var bytes: [UInt8] = []
    appendResponse(results, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends `response(results)`'s UTF-8 bytes to `bytes`.
  public static func appendResponse(_ results: [DocumentFindings], to bytes: inout [UInt8]) {
    JSONText.append("{\"results\":[", to: &bytes)
    for (index, result) in results.enumerated() {
      if index > 0 { bytes.append(UInt8(ascii: ",")) }
      result.appendJSON(to: &bytes)
    }
    JSONText.append("]}", to: &bytes)
  }
}

/// Writing JSON without Foundation: strings escaped per RFC 8259, scores with two decimals.
///
/// Escaping works on UTF-8 bytes: a `String` is always valid UTF-8, and only `"`, `\` and the
/// control characters below U+0020 need an escape, each one ASCII byte that never occurs inside
/// a multi-byte sequence; every other byte is copied as it is.
public enum JSONText {
  /// Appends `string` as a JSON string literal.
  public static func appendString(_ string: String, to text: inout String) {
    var bytes: [UInt8] = []
    appendString(string, to: &bytes)
    text += String(decoding: bytes, as: UTF8.self)
  }

  /// Appends `string` as a JSON string literal, in UTF-8.
  public static func appendString(_ string: String, to bytes: inout [UInt8]) {
    var string = string
    bytes.append(UInt8(ascii: "\""))
    string.withUTF8 { appendEscaped($0, to: &bytes) }
    bytes.append(UInt8(ascii: "\""))
  }

  /// Appends the UTF-8 text `text` escaped as a JSON string's contents (no quotes).
  static func appendEscaped(_ text: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
    var start = 0
    for index in text.indices {
      let byte = text[index]
      guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
      if start < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[start..<index])) }
      appendEscaped(byte, to: &bytes)
      start = index + 1
    }
    if start < text.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[start...])) }
  }

  /// Appends one byte of UTF-8 text as it stands in a JSON string.
  static func appendEscaped(_ byte: UInt8, to bytes: inout [UInt8]) {
    switch byte {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"):
      bytes.append(UInt8(ascii: "\\"))
      bytes.append(byte)
    case UInt8(ascii: "\n"):
      append("\\n", to: &bytes)
    case UInt8(ascii: "\r"):
      append("\\r", to: &bytes)
    case UInt8(ascii: "\t"):
      append("\\t", to: &bytes)
    case ..<0x20:
      // Lowercase hex, as `String(_:radix:)` writes it.
      let hex: StaticString = "0123456789abcdef"
      append("\\u00", to: &bytes)
      hex.withUTF8Buffer { hex in
        bytes.append(hex[Int(byte >> 4)])
        bytes.append(hex[Int(byte & 0x0F)])
      }
    default:
      bytes.append(byte)
    }
  }

  /// Appends text known to need no escape, such as an id.
  static func appendUnescaped(_ text: String, to bytes: inout [UInt8]) {
    var text = text
    text.withUTF8 { bytes.append(contentsOf: $0) }
  }

  static func append(_ literal: StaticString, to bytes: inout [UInt8]) {
    literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  /// `0.97`, `1`, `0`: two decimals at most, no exponent.
  static func score(_ value: Double) -> String {
    var bytes: [UInt8] = []
    appendScore(value, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  static func appendScore(_ value: Double, to bytes: inout [UInt8]) {
    let hundredths = Int((Swift.min(Swift.max(value, 0), 1) * 100).rounded())
    if hundredths == 100 { return bytes.append(UInt8(ascii: "1")) }
    if hundredths == 0 { return bytes.append(UInt8(ascii: "0")) }
    // 1...99: two digits with a leading zero, a trailing zero dropped.
    bytes.append(UInt8(ascii: "0"))
    bytes.append(UInt8(ascii: "."))
    bytes.append(UInt8(ascii: "0") + UInt8(hundredths / 10))
    if hundredths % 10 != 0 { bytes.append(UInt8(ascii: "0") + UInt8(hundredths % 10)) }
  }
}
