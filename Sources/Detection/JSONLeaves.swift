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
      return reader.finishTable()
    }
  }

  /// Reads borrowed bytes into `table`; lives only while they do.
  ///
  /// The text never needs more room than the reader has left to read (quotes and escapes only
  /// shrink what they stand for) but for repairs of invalid UTF-8: `table.text` keeps room for
  /// `bytes.count - index` more bytes and the `slack` past them, from the start and after every
  /// repair, so copying a string, a key or a number checks for none.
  struct Reader: ~Copyable {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    /// The object being read, and how many were opened so far.
    var container: Int32 = 0
    var containers: Int32 = 0
    var table: JSONLeafTable.Builder

    init(bytes: UnsafeBufferPointer<UInt8>) throws(JSONLeafError) {
      guard bytes.count <= JSONLeafTable.maximumBytes else {
        throw JSONLeafError(offset: 0, reason: "larger than \(JSONLeafTable.maximumBytes) bytes")
      }
      self.bytes = bytes
      // Without repairs, a document's text (its keys and values, quotes and escapes gone) is no
      // longer than the document: one buffer usually holds every document of a body.
      table = JSONLeafTable.Builder(reservingFor: bytes.count)
    }

    static let slack = JSONLeafTable.Buffer<UInt8>.slack

    /// Starts a new table (the next document of a batch) in the same buffers.
    mutating func startTable() { table.reset() }

    /// The table read since the start or `startTable()`.
    func finishTable() -> JSONLeafTable { table.finish() }

    func failure(_ reason: String) -> JSONLeafError { JSONLeafError(offset: index, reason: reason) }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    /// Moves past spaces, tabs and line breaks; most documents have none between their tokens,
    /// so a byte above the space ends the search at once.
    @inline(__always)
    mutating func skipWhitespace() {
      while index < bytes.count {
        let byte = bytes[index]
        guard byte <= 0x20, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
        index &+= 1
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

    /// Reads the value at `index`, whose path is `node`. Inlined where objects and arrays read
    /// their members: most are scalars, read without a call of their own.
    @inline(__always)
    mutating func value(depth: Int, node: Int32) throws(JSONLeafError) {
      guard index < bytes.count else { throw failure("unexpected end of the document") }
      let start = table.text.count
      let kind: JSONLeafTable.Kind
      switch bytes[index] {
      case UInt8(ascii: "\""):
        try inlinedString()
        kind = .string
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        try number()
        kind = .number
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        try nested(depth: depth, node: node)
        return
      case UInt8(ascii: "t"):
        try expect("true")
        kind = .true
      case UInt8(ascii: "f"):
        try expect("false")
        kind = .false
      case UInt8(ascii: "n"):
        try expect("null")
        kind = .null
      default:
        throw failure("unexpected character")
      }
      table.appendRead(kind, node: node, container: container, textFrom: start)
    }

    /// Reads the object or array at `index`, one level deeper than `depth`.
    mutating func nested(depth: Int, node: Int32) throws(JSONLeafError) {
      guard depth < JSONLeaves.maximumDepth else { throw failure("nested deeper than \(JSONLeaves.maximumDepth)") }
      if bytes[index] == UInt8(ascii: "{") {
        try object(depth: depth + 1, node: node)
      } else {
        try array(depth: depth + 1, node: node)
      }
    }

    mutating func object(depth: Int, node: Int32) throws(JSONLeafError) {
      index &+= 1
      let enclosing = container
      containers += 1
      container = containers
      defer { container = enclosing }
      skipWhitespace()
      if current == UInt8(ascii: "}") {
        index &+= 1
        return
      }
      while true {
        guard current == UInt8(ascii: "\"") else { throw failure("expected a key in quotes") }
        let child = try key(of: node)
        skipWhitespace()
        guard current == UInt8(ascii: ":") else { throw failure("expected ':' after a key") }
        index &+= 1
        skipWhitespace()
        try value(depth: depth, node: child)
        skipWhitespace()
        switch current {
        case UInt8(ascii: ",")?:
          index &+= 1
          skipWhitespace()
        case UInt8(ascii: "}")?:
          index &+= 1
          return
        default:
          throw failure("expected ',' or '}' in an object")
        }
      }
    }

    /// Reads the key at `index` and returns the node of its path under `parent`; the key's bytes
    /// stay in the text only when the node is new.
    @inline(__always)
    mutating func key(of parent: Int32) throws(JSONLeafError) -> Int32 {
      let start = table.text.count
      let hash: UInt64
      if let plain = plainKey() {
        hash = plain
      } else {
        try string()
        hash = FNV1a.hash(table.text.elements(from: start))
      }
      return table.childReading(of: parent, keyFrom: start, keyHash: hash)
    }

    /// Copies the key at `index` to `table.text` and returns its FNV-1a hash when the key is
    /// ASCII without escapes or control characters (as most are) and ends at least eight bytes
    /// before the document does; else reads nothing and returns nil, leaving the key to
    /// `string()`. Eight bytes at a time, as `copyRun` does; the hash is taken after the copy,
    /// from the document's bytes, one byte loaded at a time. Inlined where objects read keys.
    @inline(__always)
    mutating func plainKey() -> UInt64? {
      guard let base = bytes.baseAddress else { return nil }
      let source = UnsafeRawPointer(base)
      let target = UnsafeMutableRawPointer(table.text.base)
      let first = index &+ 1
      var from = first
      var to = table.text.count
      while from &+ 8 <= bytes.count {
        let word = source.loadUnaligned(fromByteOffset: from, as: UInt64.self)
        target.storeBytes(of: word, toByteOffset: to, as: UInt64.self)
        let bits = word.littleEndian
        // The lowest flagged byte is the first stop or non-ASCII byte.
        let flagged = Self.stops(in: bits) | bits & Self.highs
        guard flagged != 0 else {
          from &+= 8
          to &+= 8
          continue
        }
        let count = flagged.trailingZeroBitCount &>> 3
        let end = from &+ count
        guard base[end] == UInt8(ascii: "\"") else { return nil }
        index = end &+ 1
        table.text.count = to &+ count
        return Self.hash(base + first, count: end &- first)
      }
      return nil
    }

    /// FNV-1a of `count` bytes at `start`: eight at a time unrolled, then the rest as four, two
    /// and one (no loop for a short key's last bytes).
    @inline(__always)
    static func hash(_ start: UnsafePointer<UInt8>, count: Int) -> UInt64 {
      var hash = FNV1a.offsetBasis
      var offset = 0
      while offset &+ 8 <= count {
        for byte in 0..<8 { hash = FNV1a.mix(start[offset &+ byte], into: hash) }
        offset &+= 8
      }
      for width in [4, 2, 1] where count & width != 0 {
        for byte in 0..<width { hash = FNV1a.mix(start[offset &+ byte], into: hash) }
        offset &+= width
      }
      return hash
    }

    mutating func array(depth: Int, node: Int32) throws(JSONLeafError) {
      index &+= 1
      skipWhitespace()
      if current == UInt8(ascii: "]") {
        index &+= 1
        return
      }
      // Every element has the same path.
      let element = table.element(of: node)
      while true {
        try value(depth: depth, node: element)
        skipWhitespace()
        switch current {
        case UInt8(ascii: ",")?:
          index &+= 1
          skipWhitespace()
        case UInt8(ascii: "]")?:
          index &+= 1
          return
        default:
          throw failure("expected ',' or ']' in an array")
        }
      }
    }

    /// Appends a number's text to `table.text`, checked against the JSON grammar.
    mutating func number() throws(JSONLeafError) {
      let start = index
      if current == UInt8(ascii: "-") { index &+= 1 }
      if current == UInt8(ascii: "0") {
        index &+= 1
      } else if skipDigits() == 0 {
        throw failure("a number needs digits")
      }
      if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: ".") {
        try fractionAndExponent()
      }
      copyToOutput(start..<index)
    }

    /// Moves past a number's fraction and exponent, either of which may be missing.
    mutating func fractionAndExponent() throws(JSONLeafError) {
      if current == UInt8(ascii: ".") {
        index += 1
        guard skipDigits() > 0 else { throw failure("a number needs digits after '.'") }
      }
      if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
        index += 1
        if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
        guard skipDigits() > 0 else { throw failure("a number needs digits in its exponent") }
      }
    }

    /// Moves past the digits at `index`; returns how many there were. Eight bytes at a time
    /// while the document has eight more.
    @inline(__always)
    mutating func skipDigits() -> Int {
      let first = index
      var end = index
      if let base = bytes.baseAddress {
        while end &+ 8 <= bytes.count {
          let word = UnsafeRawPointer(base).loadUnaligned(fromByteOffset: end, as: UInt64.self).littleEndian
          let others = Self.nonDigits(in: word)
          guard others == 0 else {
            end &+= others.trailingZeroBitCount &>> 3
            index = end
            return end &- first
          }
          end &+= 8
        }
      }
      while end < bytes.count, bytes[end] &- UInt8(ascii: "0") < 10 { end &+= 1 }
      index = end
      return end &- first
    }

    /// Bits set in each byte of `word` (little-endian) that is not an ASCII digit, exactly so in
    /// the lowest such byte: a digit's high half is 3, and stays 3 when 6 is added to its low
    /// half. (A byte that carries into the next one by the addition is not a digit itself.)
    @inline(__always)
    static func nonDigits(in word: UInt64) -> UInt64 {
      let highHalves: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
      let threes: UInt64 = 0x3030_3030_3030_3030
      return ((word & highHalves) ^ threes) | (((word &+ 0x0606_0606_0606_0606) & highHalves) ^ threes)
    }

    /// Appends `bytes[range]` to `table.text`, eight bytes at a time while the document has eight
    /// more to load (the last word may write past the range, into the room `table.text` keeps).
    @inline(__always)
    mutating func copyToOutput(_ range: Range<Int>) {
      var from = range.lowerBound
      var to = table.text.count
      if let base = bytes.baseAddress {
        let source = UnsafeRawPointer(base)
        let target = UnsafeMutableRawPointer(table.text.base)
        while from < range.upperBound, from &+ 8 <= bytes.count {
          target.storeBytes(
            of: source.loadUnaligned(fromByteOffset: from, as: UInt64.self), toByteOffset: to, as: UInt64.self)
          from &+= 8
          to &+= 8
        }
      }
      while from < range.upperBound {
        table.text.base[to] = bytes[from]
        from &+= 1
        to &+= 1
      }
      table.text.count &+= range.count
    }

    /// Appends a string's contents to `table.text`, escapes resolved; invalid UTF-8 is replaced,
    /// not refused, since a detector still learns from the rest.
    mutating func string() throws(JSONLeafError) { try inlinedString() }

    /// `string()`, inlined where values are read: most values are strings.
    @inline(__always)
    mutating func inlinedString() throws(JSONLeafError) {
      index &+= 1
      let start = table.text.count
      // The top bits of the bytes copied: any set means a byte that is not ASCII.
      var high: UInt64 = 0
      while true {
        copyRun(high: &high)
        guard index < bytes.count else { break }
        switch bytes[index] {
        case UInt8(ascii: "\""):
          index &+= 1
          if high != 0 { repairUTF8(from: start) }
          return
        case UInt8(ascii: "\\"):
          index &+= 1
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
      defer { table.text.count = start }
      return String(decoding: table.text.elements(from: start), as: UTF8.self)
    }

    /// Replaces `table.text[start...]` by its repaired form when it is not valid UTF-8: what
    /// `String(decoding:as:)` makes of it, U+FFFD for each invalid sequence.
    mutating func repairUTF8(from start: Int) {
      let written = table.text.elements(from: start)
      guard !Self.isValidUTF8(written) else { return }
      var repaired = String(decoding: written, as: UTF8.self)
      table.text.count = start
      repaired.withUTF8 { table.text.append($0) }
      // The repair may have used the room kept for the rest of the document: make it again.
      table.text.reserve(bytes.count - index + Self.slack)
    }

    /// Whether `bytes` is well-formed UTF-8 as Unicode's table 3-7 defines it (no overlong forms,
    /// surrogates or scalars past U+10FFFF), as `String(validating:as:)` checks, without making a
    /// string.
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
      var index = 0
      while index < bytes.count {
        let lead = bytes[index]
        guard lead >= 0x80 else {
          index += 1
          continue
        }
        // The sequence's length, and the range of its second byte (the others are 80...BF).
        let length: Int
        var second: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: (length, second) = (3, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: (length, second) = (3, 0x80...0x9F)
        case 0xF0: (length, second) = (4, 0x90...0xBF)
        case 0xF1...0xF3: length = 4
        case 0xF4: (length, second) = (4, 0x80...0x8F)
        default: return false
        }
        guard index + length <= bytes.count, second.contains(bytes[index + 1]) else { return false }
        for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 { return false }
        index += length
      }
      return true
    }

    /// Copies the string text at `index` to `table.text` up to the first `"`, `\\` or control
    /// character, or the end; ORs the top bit of each byte on the way into `high`. Eight bytes
    /// at a time: each word is stored whole (`table.text` has the room) and counted up to its
    /// first stop. In a word, a byte's top bit is set where it is one of those (the lowest
    /// flagged byte always is one; a borrow only flags bytes above a true hit).
    @inline(__always)
    mutating func copyRun(high: inout UInt64) {
      var from = index
      var to = table.text.count
      defer {
        table.text.count = to
        index = from
      }
      if let base = bytes.baseAddress {
        let source = UnsafeRawPointer(base)
        let target = UnsafeMutableRawPointer(table.text.base)
        while from &+ 8 <= bytes.count {
          let word = source.loadUnaligned(fromByteOffset: from, as: UInt64.self)
          target.storeBytes(of: word, toByteOffset: to, as: UInt64.self)
          let bytes = word.littleEndian
          let stops = Self.stops(in: bytes)
          if stops != 0 {
            // Every bit below the first stop's: the bytes before it.
            let before = (stops &- 1) & ~stops
            high |= bytes & Self.highs & before
            let count = stops.trailingZeroBitCount &>> 3
            from &+= count
            to &+= count
            return
          }
          high |= bytes & Self.highs
          from &+= 8
          to &+= 8
        }
      }
      while from < bytes.count {
        let byte = bytes[from]
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return }
        table.text.base[to] = byte
        high |= UInt64(byte & 0x80)
        from &+= 1
        to &+= 1
      }
    }

    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The top bit of each byte of `word` (little-endian) that may stop a string run: its lowest
    /// one marks the first `"`, `\\` or control character.
    @inline(__always)
    static func stops(in word: UInt64) -> UInt64 {
      let quotes = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
      let backslashes = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
      return ((quotes &- ones) & ~quotes | (backslashes &- ones) & ~backslashes | (word &- ones &* 0x20) & ~word)
        & highs
    }

    /// Resolves the escape after a backslash into `table.text` (an escape is
    /// never longer written than read).
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
