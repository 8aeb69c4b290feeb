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
    (self.types, self.sensitivity) = Self.kept(types)
    self.source = source
    self.score = score
  }

  /// A field's types as a finding keeps them (sorted by id) and the field's level, the highest of
  /// theirs.
  static func kept(_ types: [DataType]) -> (types: [DataType], sensitivity: Sensitivity) {
    (types.count > 1 ? types.sorted() : types, Sensitivity.highest(of: types) ?? .low)
  }
}

extension Sensitivity {
  /// The highest level of `types`; nil when there are none.
  static func highest(of types: some Sequence<DataType>) -> Sensitivity? {
    var highest: Sensitivity?
    for type in types {
      let level = type.sensitivity
      if let known = highest, known.severityRank >= level.severityRank { continue }
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
    String(unsafeUninitializedCapacity: jsonByteBound) { buffer in
      var writer = JSONByteWriter(buffer)
      write(to: &writer)
      return writer.count
    }
  }

  /// Appends `json`'s UTF-8 bytes to `bytes`, with no `String` in between.
  public func appendJSON(to bytes: inout [UInt8]) {
    JSONByteWriter.append(to: &bytes, bound: jsonByteBound) { write(to: &$0) }
  }

  /// At least as many bytes as `json` has: a field's own text with its sensitivity, source and
  /// score takes at most 79 bytes besides its path and types, the frame around the fields 38.
  var jsonByteBound: Int {
    var bound = Self.frameByteBound
    for index in fields.indices {
      bound += fields[index].path.jsonByteBound + Self.jsonByteBound(ofFieldWithTypes: fields[index].types.count)
    }
    return bound
  }

  func write(to writer: inout JSONByteWriter) {
    Self.write(fieldCount: fields.count, sensitivity: sensitivity, to: &writer) { index, writer in
      let field = fields[index]
      Self.writeField(
        first: index == 0, types: field.types, sensitivity: field.sensitivity, source: field.source,
        score: field.score, to: &writer
      ) { field.path.writeDescription(to: &$0, escapingForJSON: true) }
    }
  }

  /// Writes a document's result: `writeField` writes field `index` (`writeField(first:…)`), and
  /// the document's level closes it.
  static func write(
    fieldCount: Int, sensitivity: Sensitivity?, to writer: inout JSONByteWriter,
    field writeField: (Int, inout JSONByteWriter) -> Void
  ) {
    writer.append("{\"fields\":[")
    for index in 0..<fieldCount { writeField(index, &writer) }
    writer.append("],\"sensitivity\":\"")
    writer.append(text: sensitivity?.rawValue ?? "none")
    writer.append("\"}")
  }

  /// Writes one field's object, after a comma unless it is the first; `writePath` writes the
  /// path's description escaped for JSON. `types` are sorted, as `FieldFinding` keeps them.
  static func writeField(
    first: Bool, types: some Sequence<DataType>, sensitivity: Sensitivity, source: DetectionSource, score: Double,
    to writer: inout JSONByteWriter, path writePath: (inout JSONByteWriter) -> Void
  ) {
    writer.append(first ? "{\"path\":\"" : ",{\"path\":\"")
    writePath(&writer)
    writer.append("\",\"types\":[")
    var firstType = true
    for type in types {
      writer.append(firstType ? "\"" : ",\"")
      writer.append(text: type.id)
      writer.append(UInt8(ascii: "\""))
      firstType = false
    }
    writer.append("],\"sensitivity\":\"")
    writer.append(text: sensitivity.rawValue)
    writer.append("\",\"source\":\"")
    writer.append(text: source.rawValue)
    writer.append("\",\"score\":")
    JSONText.writeScore(score, to: &writer)
    writer.append(UInt8(ascii: "}"))
  }

  /// At least as many bytes as the frame around the fields takes (38).
  static let frameByteBound = 48

  /// At least as many bytes as one field's object takes besides its path: its own text with its
  /// sensitivity, source and score takes at most 79 bytes, each type its id and 3.
  static func jsonByteBound(ofFieldWithTypes count: Int) -> Int { 96 + count * (DataType.longestIDByteCount + 3) }

  /// The service's answer to a request: `{"results":[…]}`.
  public static func response(_ results: [DocumentFindings]) -> String {
    String(unsafeUninitializedCapacity: responseByteBound(results)) { buffer in
      var writer = JSONByteWriter(buffer)
      writeResponse(results, to: &writer)
      return writer.count
    }
  }

  /// Appends `response(results)`'s UTF-8 bytes to `bytes`.
  public static func appendResponse(_ results: [DocumentFindings], to bytes: inout [UInt8]) {
    JSONByteWriter.append(to: &bytes, bound: responseByteBound(results)) { writeResponse(results, to: &$0) }
  }

  static func responseByteBound(_ results: [DocumentFindings]) -> Int {
    results.reduce(16) { $0 + 1 + $1.jsonByteBound }
  }

  static func writeResponse(_ results: [DocumentFindings], to writer: inout JSONByteWriter) {
    writer.append("{\"results\":[")
    for index in results.indices {
      if index > 0 { writer.append(UInt8(ascii: ",")) }
      results[index].write(to: &writer)
    }
    writer.append("]}")
  }
}

extension DataType {
  /// The number of bytes of the longest id.
  static let longestIDByteCount = allCases.reduce(0) { Swift.max($0, $1.id.utf8.count) }
}

/// Writes UTF-8 into memory reserved for an upper bound of the bytes to come, which the caller
/// works out first: no capacity check and growth per byte, as appending to an array has.
struct JSONByteWriter {
  let buffer: UnsafeMutableBufferPointer<UInt8>
  private(set) var count = 0

  init(_ buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

  /// Runs `write` on a writer over `bound` bytes of scratch memory, then appends what it wrote to
  /// `bytes`: no room filled in `bytes` ahead and trimmed after (trimming an array costs more
  /// than copying the few hundred bytes a document's findings take).
  static func append(to bytes: inout [UInt8], bound: Int, _ write: (inout JSONByteWriter) -> Void) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bound) { scratch in
      var writer = JSONByteWriter(scratch)
      write(&writer)
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[..<writer.count]))
    }
  }

  mutating func append(_ byte: UInt8) {
    // A bound worked out wrong must stop the program, never write past the memory.
    precondition(count < buffer.count, "JSONByteWriter: the bound is too small")
    buffer[count] = byte
    count += 1
  }

  mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    precondition(bytes.count <= buffer.count - count, "JSONByteWriter: the bound is too small")
    guard let source = bytes.baseAddress, let target = buffer.baseAddress else { return }
    (target + count).update(from: source, count: bytes.count)
    count += bytes.count
  }

  mutating func append(_ literal: StaticString) {
    literal.withUTF8Buffer { append($0) }
  }

  /// Appends text as it is: for ids and names that need no escape. Read in place (no copy of the
  /// string, so no reference counted), but for a string not stored as UTF-8. Labelled, so that a
  /// literal goes to `append(_: StaticString)`, which reads the program's bytes with no copy.
  mutating func append(text: String) {
    if text.utf8.withContiguousStorageIfAvailable({ append($0) }) == nil {
      var copy = text
      copy.withUTF8 { append($0) }
    }
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
    var string = string
    text += string.withUTF8 { utf8 in
      String(unsafeUninitializedCapacity: escapedByteBound(utf8.count) + 2) { buffer in
        var writer = JSONByteWriter(buffer)
        writeString(utf8, to: &writer)
        return writer.count
      }
    }
  }

  /// Appends `string` as a JSON string literal, in UTF-8.
  public static func appendString(_ string: String, to bytes: inout [UInt8]) {
    var string = string
    string.withUTF8 { utf8 in
      JSONByteWriter.append(to: &bytes, bound: escapedByteBound(utf8.count) + 2) { writeString(utf8, to: &$0) }
    }
  }

  /// At most six bytes (`\u001f`) for each byte of text.
  static func escapedByteBound(_ count: Int) -> Int { 6 * count }

  static func writeString(_ utf8: UnsafeBufferPointer<UInt8>, to writer: inout JSONByteWriter) {
    writer.append(UInt8(ascii: "\""))
    writeEscaped(utf8, to: &writer)
    writer.append(UInt8(ascii: "\""))
  }

  /// Writes the UTF-8 text `text` escaped as a JSON string's contents (no quotes).
  static func writeEscaped(_ text: UnsafeBufferPointer<UInt8>, to writer: inout JSONByteWriter) {
    var start = 0
    for index in text.indices {
      let byte = text[index]
      guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
      if start < index { writer.append(UnsafeBufferPointer(rebasing: text[start..<index])) }
      writeEscaped(byte, to: &writer)
      start = index + 1
    }
    if start < text.count { writer.append(UnsafeBufferPointer(rebasing: text[start...])) }
  }

  /// Writes one byte of UTF-8 text as it stands in a JSON string.
  static func writeEscaped(_ byte: UInt8, to writer: inout JSONByteWriter) {
    switch byte {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"):
      writer.append(UInt8(ascii: "\\"))
      writer.append(byte)
    case UInt8(ascii: "\n"):
      writer.append("\\n")
    case UInt8(ascii: "\r"):
      writer.append("\\r")
    case UInt8(ascii: "\t"):
      writer.append("\\t")
    case ..<0x20:
      // Lowercase hex, as `String(_:radix:)` writes it.
      let hex: StaticString = "0123456789abcdef"
      writer.append("\\u00")
      hex.withUTF8Buffer { hex in
        writer.append(hex[Int(byte >> 4)])
        writer.append(hex[Int(byte & 0x0F)])
      }
    default:
      writer.append(byte)
    }
  }

  /// `0.97`, `1`, `0`: two decimals at most, no exponent.
  static func score(_ value: Double) -> String {
    String(unsafeUninitializedCapacity: 4) { buffer in
      var writer = JSONByteWriter(buffer)
      writeScore(value, to: &writer)
      return writer.count
    }
  }

  static func writeScore(_ value: Double, to writer: inout JSONByteWriter) {
    let hundredths = Int((Swift.min(Swift.max(value, 0), 1) * 100).rounded())
    if hundredths == 100 { return writer.append(UInt8(ascii: "1")) }
    if hundredths == 0 { return writer.append(UInt8(ascii: "0")) }
    // 1...99: two digits with a leading zero, a trailing zero dropped.
    writer.append(UInt8(ascii: "0"))
    writer.append(UInt8(ascii: "."))
    writer.append(UInt8(ascii: "0") + UInt8(hundredths / 10))
    if hundredths % 10 != 0 { writer.append(UInt8(ascii: "0") + UInt8(hundredths % 10)) }
  }
}
