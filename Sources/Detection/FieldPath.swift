/// Where a value sits in a JSON document, in the detector contract's notation: `$` for the root,
/// `.key` (or `['key']` when the key is not made of `[A-Za-z0-9_-]`), and `[*]` for any element
/// of an array, so every element of a list shares one path: `$.items[*].customer.email`.
public struct FieldPath: Sendable, Hashable, Comparable, CustomStringConvertible {
  public enum Component: Sendable, Hashable {
    case key(String)
    case anyElement
  }

  public var components: [Component]

  public init(_ components: [Component] = []) { self.components = components }

  public static let root = FieldPath()

  public func appending(_ component: Component) -> FieldPath {
    FieldPath(components + [component])
  }

  /// The object keys along the path, outermost first: what key hints read.
  public var keys: [String] {
    components.compactMap { if case .key(let key) = $0 { key } else { nil } }
  }

  /// The innermost key, if any.
  public var lastKey: String? {
    for component in components.reversed() {
      if case .key(let key) = component { return key }
    }
    return nil
  }

  public var description: String {
    String(unsafeUninitializedCapacity: jsonByteBound) { buffer in
      var writer = JSONByteWriter(buffer)
      writeDescription(to: &writer, escapingForJSON: false)
      return writer.count
    }
  }

  /// At least as many bytes as `description` has, escaped for JSON or not: a quoted key's byte
  /// takes at most six (`\u001f`), or four for a `\` (`\\\\`).
  var jsonByteBound: Int {
    var bound = 1
    for component in components {
      switch component {
      case .anyElement: bound += 3
      case .key(let key): bound += Self.jsonByteBound(ofKeyBytes: key.utf8.count)
      }
    }
    return bound
  }

  /// Writes `description`'s UTF-8 bytes, or with `escapingForJSON` the bytes of
  /// `JSONText.appendString(description)` without its quotes: one pass, no `String` between.
  func writeDescription(to writer: inout JSONByteWriter, escapingForJSON: Bool) {
    writer.append(UInt8(ascii: "$"))
    for component in components {
      switch component {
      case .anyElement:
        writer.append("[*]")
      case .key(let key):
        Validators.withUTF8(of: key, atMost: Int.max, orElse: ()) { key in
          Self.writeKey(key, to: &writer, escapingForJSON: escapingForJSON)
        }
      }
    }
  }

  /// Writes one key of a description: `.key`, or `['key']` when it is not made of plain bytes.
  static func writeKey(_ key: UnsafeBufferPointer<UInt8>, to writer: inout JSONByteWriter, escapingForJSON: Bool) {
    if !key.isEmpty, key.allSatisfy(isPlainKeyByte) {
      // Plain bytes never need a JSON escape.
      writer.append(UInt8(ascii: "."))
      writer.append(key)
    } else {
      writer.append("['")
      writeQuoted(key, to: &writer, escapingForJSON: escapingForJSON)
      writer.append("']")
    }
  }

  /// At least as many bytes as a key takes in a description, escaped for JSON or not.
  static func jsonByteBound(ofKeyBytes count: Int) -> Int { 4 + 6 * count }

  /// A quoted key's text: each `\` or `'` character gets a `\` before it.
  ///
  /// The rule is per `Character`: a `\` or `'` byte that a following combining mark (or a
  /// preceding prepended mark) joins into a larger character is not escaped. Only text with
  /// non-ASCII bytes can hold such characters (in ASCII, only CR LF forms one), so that text
  /// takes the `Character` walk, and everything else one pass over its bytes.
  static func writeQuoted(_ key: UnsafeBufferPointer<UInt8>, to writer: inout JSONByteWriter, escapingForJSON: Bool) {
    var hasQuoteOrBackslash = false
    var isASCII = true
    for byte in key {
      if byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "'") { hasQuoteOrBackslash = true }
      if byte >= 0x80 { isASCII = false }
    }
    guard hasQuoteOrBackslash, !isASCII else {
      for byte in key {
        if byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "'") {
          writer.append(escapingForJSON ? "\\\\" : "\\")
        }
        if escapingForJSON { JSONText.writeEscaped(byte, to: &writer) } else { writer.append(byte) }
      }
      return
    }
    var text = ""
    for character in String(decoding: key, as: UTF8.self) {
      if character == "\\" || character == "'" { text.append("\\") }
      text.append(character)
    }
    text.withUTF8 { text in
      if escapingForJSON { JSONText.writeEscaped(text, to: &writer) } else { writer.append(text) }
    }
  }

  static func isPlainKeyByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
      true
    default: false
    }
  }

  public static func < (lhs: FieldPath, rhs: FieldPath) -> Bool { lhs.description < rhs.description }
}
