/// One scalar of a JSON document and where it sits. Numbers keep the text they were written as,
/// so a 19-digit card number or `0012` survives (a parse into `Double` or `Int64` would not).
public struct JSONLeaf: Sendable, Hashable {
  public enum Value: Sendable, Hashable {
    case string(String)
    /// As written in the document, such as `4111111111111111` or `1.50e3`.
    case number(String)
    case bool(Bool)
    case null

    /// The text a detector reads: a string's contents or a number as written; nil for the rest.
    public var text: String? {
      switch self {
      case .string(let text), .number(let text): text
      case .bool, .null: nil
      }
    }
  }

  public var path: FieldPath
  public var value: Value
  /// Which object (or array of scalars) of the document holds the leaf, numbered in document
  /// order; leaves with the same number are siblings, the neighbouring fields a detector reads.
  public var container: Int32

  public init(path: FieldPath, value: Value, container: Int32 = 0) {
    self.path = path
    self.value = value
    self.container = container
  }
}

/// Why a document is not JSON the detector can read.
public struct JSONLeafError: Error, Sendable, Hashable, CustomStringConvertible {
  /// Byte offset of the problem in the document.
  public var offset: Int
  public var reason: String

  public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

/// Reads a JSON document (RFC 8259) straight into its scalar leaves, in document order, without
/// building the tree: what detection needs, at the speed it needs.
///
/// Bounded: nesting deeper than `maximumDepth` is refused (a hostile `[[[[…` cannot exhaust the
/// stack), and nothing is kept but the leaves. Empty objects and arrays have no leaves.
public enum JSONLeaves {
  public static let maximumDepth = 128

  public static func of(_ document: some Collection<UInt8>) throws(JSONLeafError) -> [JSONLeaf] {
    try table(of: document).jsonLeaves
  }

  /// The document's leaves as a flat table: what the detector reads.
  public static func table(of document: some Collection<UInt8>) throws(JSONLeafError) -> JSONLeafTable {
    // Read where the bytes lie when they are contiguous; copy them only when they are not.
    let read = document.withContiguousStorageIfAvailable(table(in:))
    return try (read ?? Array(document).withUnsafeBufferPointer(table(in:))).get()
  }

  static func table(in bytes: UnsafeBufferPointer<UInt8>) -> Result<JSONLeafTable, JSONLeafError> {
    Result { () throws(JSONLeafError) in
      var reader = try Reader(bytes: bytes)
      reader.skipWhitespace()
      try reader.value(depth: 0, node: 0)
      reader.skipWhitespace()
      guard reader.index == bytes.count else { throw reader.failure("unexpected data after the document") }
      return reader.table
    }
  }

  /// Reads borrowed bytes into `table`; lives only while they do.
  struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    /// The object being read, and how many were opened so far.
    var container: Int32 = 0
    var containers: Int32 = 0
    var table = JSONLeafTable()

    init(bytes: UnsafeBufferPointer<UInt8>) throws(JSONLeafError) {
      self.bytes = bytes
      guard bytes.count <= JSONLeafTable.maximumBytes else {
        throw JSONLeafError(offset: 0, reason: "larger than \(JSONLeafTable.maximumBytes) bytes")
      }
      table.text.reserveCapacity(bytes.count)
      table.leaves.reserveCapacity(Swift.min(bytes.count / 32, 512))
    }

    func failure(_ reason: String) -> JSONLeafError { JSONLeafError(offset: index, reason: reason) }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipWhitespace() {
      while index < bytes.count {
        let byte = bytes[index]
        guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
        index += 1
      }
    }

    mutating func expect(_ literal: StaticString) throws(JSONLeafError) {
      let count = literal.utf8CodeUnitCount
      guard index + count <= bytes.count else { throw failure("truncated literal") }
      let matches = literal.withUTF8Buffer { literalBytes in
        (0..<count).allSatisfy { bytes[index + $0] == literalBytes[$0] }
      }
      guard matches else { throw failure("unexpected character") }
      index += count
    }

    /// Reads the value at `index`, whose path is `node`.
    mutating func value(depth: Int, node: Int32) throws(JSONLeafError) {
      guard let byte = current else { throw failure("unexpected end of the document") }
      let start = table.text.count
      switch byte {
      case UInt8(ascii: "{"):
        guard depth < JSONLeaves.maximumDepth else { throw failure("nested deeper than \(JSONLeaves.maximumDepth)") }
        try object(depth: depth + 1, node: node)
      case UInt8(ascii: "["):
        guard depth < JSONLeaves.maximumDepth else { throw failure("nested deeper than \(JSONLeaves.maximumDepth)") }
        try array(depth: depth + 1, node: node)
      case UInt8(ascii: "\""):
        try string()
        table.append(.string, node: node, container: container, from: start)
      case UInt8(ascii: "t"):
        try expect("true")
        table.append(.true, node: node, container: container, from: start)
      case UInt8(ascii: "f"):
        try expect("false")
        table.append(.false, node: node, container: container, from: start)
      case UInt8(ascii: "n"):
        try expect("null")
        table.append(.null, node: node, container: container, from: start)
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        try number()
        table.append(.number, node: node, container: container, from: start)
      default:
        throw failure("unexpected character")
      }
    }

    mutating func object(depth: Int, node: Int32) throws(JSONLeafError) {
      index += 1
      let enclosing = container
      containers += 1
      container = containers
      defer { container = enclosing }
      skipWhitespace()
      if current == UInt8(ascii: "}") {
        index += 1
        return
      }
      while true {
        guard current == UInt8(ascii: "\"") else { throw failure("expected a key in quotes") }
        let keyStart = table.text.count
        try string()
        let child = table.child(of: node, keyFrom: keyStart)
        skipWhitespace()
        guard current == UInt8(ascii: ":") else { throw failure("expected ':' after a key") }
        index += 1
        skipWhitespace()
        try value(depth: depth, node: child)
        skipWhitespace()
        switch current {
        case UInt8(ascii: ",")?:
          index += 1
          skipWhitespace()
        case UInt8(ascii: "}")?:
          index += 1
          return
        default:
          throw failure("expected ',' or '}' in an object")
        }
      }
    }

    mutating func array(depth: Int, node: Int32) throws(JSONLeafError) {
      index += 1
      skipWhitespace()
      if current == UInt8(ascii: "]") {
        index += 1
        return
      }
      // Every element has the same path.
      let element = table.element(of: node)
      while true {
        try value(depth: depth, node: element)
        skipWhitespace()
        switch current {
        case UInt8(ascii: ",")?:
          index += 1
          skipWhitespace()
        case UInt8(ascii: "]")?:
          index += 1
          return
        default:
          throw failure("expected ',' or ']' in an array")
        }
      }
    }

    /// Appends a number's text to `table.text`, checked against the JSON grammar.
    mutating func number() throws(JSONLeafError) {
      let start = index
      func digits() -> Int {
        let first = index
        while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
        return index - first
      }
      if current == UInt8(ascii: "-") { index += 1 }
      if current == UInt8(ascii: "0") {
        index += 1
      } else if digits() == 0 {
        throw failure("a number needs digits")
      }
      if current == UInt8(ascii: ".") {
        index += 1
        guard digits() > 0 else { throw failure("a number needs digits after '.'") }
      }
      if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
        index += 1
        if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
        guard digits() > 0 else { throw failure("a number needs digits in its exponent") }
      }
      table.text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
    }

    /// Appends a string's contents to `table.text`, escapes resolved; invalid UTF-8 is replaced,
    /// not refused, since a detector still learns from the rest.
    mutating func string() throws(JSONLeafError) {
      index += 1
      let start = table.text.count
      var nonASCII = false
      while index < bytes.count {
        // Copy the run up to the next quote, backslash or control character at once.
        let run = index
        index = stringStop(from: index, nonASCII: &nonASCII)
        table.text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<index]))
        guard let byte = current else { break }
        switch byte {
        case UInt8(ascii: "\""):
          index += 1
          if nonASCII { repairUTF8(from: start) }
          return
        case UInt8(ascii: "\\"):
          index += 1
          try escape()
        default:
          throw failure("a control character inside a string")
        }
      }
      throw failure("a string without its closing quote")
    }

    /// A string's contents as a `String` (a key the caller compares), without keeping its bytes.
    mutating func stringValue() throws(JSONLeafError) -> String {
      let start = table.text.count
      try string()
      defer { table.text.removeSubrange(start...) }
      return table.string(Int32(start), Int32(table.text.count))
    }

    /// Replaces `table.text[start...]` by its repaired form when it is not valid UTF-8: what
    /// `String(decoding:as:)` makes of it, U+FFFD for each invalid sequence.
    mutating func repairUTF8(from start: Int) {
      let valid = table.text.withUnsafeBufferPointer { text in
        String(validating: UnsafeBufferPointer(rebasing: text[start...]), as: UTF8.self) != nil
      }
      guard !valid else { return }
      let repaired = table.string(Int32(start), Int32(table.text.count))
      table.text.removeSubrange(start...)
      table.text.append(contentsOf: repaired.utf8)
    }

    /// Where the string text from `start` stops: the first `"`, `\\` or control character, or the
    /// end; sets `nonASCII` when a byte on the way has its top bit set. Eight bytes at a time: in
    /// each word, a byte's top bit is set where it is one of those (the lowest flagged byte always
    /// is one; a borrow only flags bytes above a true hit).
    func stringStop(from start: Int, nonASCII: inout Bool) -> Int {
      var position = start
      var high: UInt64 = 0
      defer { nonASCII = nonASCII || high != 0 }
      if let base = bytes.baseAddress {
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while position + 8 <= bytes.count {
          let word = raw.loadUnaligned(fromByteOffset: position, as: UInt64.self).littleEndian
          let quotes = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
          let backslashes = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
          let flagged =
            ((quotes &- ones) & ~quotes | (backslashes &- ones) & ~backslashes | (word &- ones &* 0x20) & ~word)
            & highs
          if flagged != 0 {
            let stop = position + flagged.trailingZeroBitCount / 8
            while position < stop {
              high |= UInt64(bytes[position] & 0x80)
              position += 1
            }
            return stop
          }
          high |= word & highs
          position += 8
        }
      }
      while position < bytes.count {
        let byte = bytes[position]
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return position }
        high |= UInt64(byte & 0x80)
        position += 1
      }
      return position
    }

    /// Resolves the escape after a backslash into `table.text`.
    mutating func escape() throws(JSONLeafError) {
      guard let byte = current else { throw failure("a string without its closing quote") }
      index += 1
      switch byte {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): table.text.append(byte)
      case UInt8(ascii: "b"): table.text.append(0x08)
      case UInt8(ascii: "f"): table.text.append(0x0C)
      case UInt8(ascii: "n"): table.text.append(0x0A)
      case UInt8(ascii: "r"): table.text.append(0x0D)
      case UInt8(ascii: "t"): table.text.append(0x09)
      case UInt8(ascii: "u"):
        var scalar = try hex4()
        if (0xD800..<0xDC00).contains(scalar), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
          bytes[index + 1] == UInt8(ascii: "u")
        {
          let resume = index
          index += 2
          let low = try hex4()
          if (0xDC00..<0xE000).contains(low) {
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          } else {
            index = resume
          }
        }
        // A lone surrogate is not a character: U+FFFD stands in for it.
        let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
        UTF8.encode(character) { table.text.append($0) }
      default:
        throw failure("an unknown escape '\\\(Character(Unicode.Scalar(byte)))'")
      }
    }

    mutating func hex4() throws(JSONLeafError) -> UInt32 {
      guard index + 4 <= bytes.count else { throw failure("a \\u escape needs four hex digits") }
      var value: UInt32 = 0
      for _ in 0..<4 {
        let byte = bytes[index]
        let digit: UInt8
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
        default: throw failure("a \\u escape needs four hex digits")
        }
        value = value << 4 | UInt32(digit)
        index += 1
      }
      return value
    }
  }
}
