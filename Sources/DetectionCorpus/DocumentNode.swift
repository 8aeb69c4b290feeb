import Detection

/// A generated JSON value whose leaves carry their true types, written out once as JSON text and
/// a label map. Object keys keep their insertion order, as API payloads do.
indirect enum DocumentNode: Sendable {
  case object([(String, DocumentNode)])
  case array([DocumentNode])
  case string(String, Set<DataType>)
  /// A JSON number, as written.
  case number(String, Set<DataType>)
  case bool(Bool)
  case null

  static func s(_ text: String, _ types: DataType...) -> DocumentNode { .string(text, Set(types)) }
  static func n(_ value: Int, _ types: DataType...) -> DocumentNode { .number(String(value), Set(types)) }
  /// A JSON number as written; digits with a leading zero (`07561`) are not a JSON number and
  /// become a string.
  static func n(_ text: String, _ types: DataType...) -> DocumentNode {
    let bytes = Array(text.utf8.prefix(2))
    if bytes.count == 2, bytes[0] == UInt8(ascii: "0"), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[1]) {
      return .string(text, Set(types))
    }
    return .number(text, Set(types))
  }
}

/// Builds an object field by field; a key already present is not added twice.
struct ObjectBuilder {
  private(set) var fields: [(String, DocumentNode)] = []

  init() {}

  subscript(key: String) -> DocumentNode? {
    get { fields.first(where: { $0.0 == key })?.1 }
    set {
      guard let newValue else { return }
      guard !fields.contains(where: { $0.0 == key }) else { return }
      fields.append((key, newValue))
    }
  }

  var node: DocumentNode { .object(fields) }
  var isEmpty: Bool { fields.isEmpty }
}

/// Writes a node as JSON and collects its labels.
struct DocumentWriter {
  var text = ""
  var labels: [String: Set<DataType>] = [:]
  /// `", "` and `": "` instead of `","` and `":"`: some APIs pretty-print on one line.
  var spaced = false
  private var path: [FieldPath.Component] = []

  init(spaced: Bool) {
    self.spaced = spaced
    text.reserveCapacity(2048)
  }

  mutating func write(_ node: DocumentNode) {
    switch node {
    case .object(let fields):
      text += "{"
      for (index, (key, value)) in fields.enumerated() {
        if index > 0 { text += spaced ? ", " : "," }
        JSONText.appendString(key, to: &text)
        text += spaced ? ": " : ":"
        path.append(.key(key))
        write(value)
        path.removeLast()
      }
      text += "}"
    case .array(let elements):
      text += "["
      path.append(.anyElement)
      for (index, element) in elements.enumerated() {
        if index > 0 { text += spaced ? ", " : "," }
        write(element)
      }
      path.removeLast()
      text += "]"
    case .string(let value, let types):
      let safe = types.isEmpty ? Self.defused(value) : value
      JSONText.appendString(safe, to: &text)
      label(types)
    case .number(let value, let types):
      text += types.isEmpty ? Self.defused(value) : value
      label(types)
    case .bool(let value):
      text += value ? "true" : "false"
    case .null:
      text += "null"
    }
  }

  private mutating func label(_ types: Set<DataType>) {
    guard !types.isEmpty else { return }
    labels[FieldPath(path).description, default: []].formUnion(types)
  }

  /// A negative must not look like a card number or an IBAN by accident (a random EAN-13 or order
  /// number can pass Luhn): nudge the last digit until it no longer does.
  static func defused(_ value: String) -> String {
    guard value.utf8.count >= 12, value.utf8.count <= 42 else { return value }
    var current = value
    var attempts = 0
    while attempts < 10, Validators.isCardNumber(current) || Validators.isIBAN(current) {
      var scalars = Array(current.unicodeScalars)
      guard let last = scalars.lastIndex(where: { ("0"..."9").contains($0) }) else { return current }
      let digit = (scalars[last].value - 48 + 1) % 10
      scalars[last] = Unicode.Scalar(UInt8(48 + digit))
      current = String(String.UnicodeScalarView(scalars))
      attempts += 1
    }
    return current
  }
}
