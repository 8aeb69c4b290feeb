/// One pass over a value's bytes: the counts and the shape that candidate rules and the
/// classifier's features read, so no rule re-scans the value for them.
struct ValueProfile: Sendable {
  var length = 0
  var digits = 0
  var upper = 0
  var lower = 0
  var spaces = 0
  var nonASCII = 0
  var punctuation = 0
  var words = 0
  var hasAt = false
  var hasColon = false
  var hasDot = false
  var hasDash = false
  var hasSlash = false
  var hasComma = false
  var hasNewline = false
  var hasMaskCharacter = false
  var hasQuestionMark = false
  /// A hash of the value's shape: runs of the same character class written once (`John Smith` →
  /// `Aa Aa`, `4111-1111` → `9-9`, `1990-04-23` → `9-9-9`), at most 16 classes.
  var shape = FNV1a.offsetBasis
  var isNumber = false

  var letters: Int { upper + lower + nonASCII }

  /// Reads the text's bytes where they are (borrowed: no retain of the text).
  init(_ text: borrowing String, isNumber: Bool) {
    self.isNumber = isNumber
    let isRead = text.utf8.withContiguousStorageIfAvailable { bytes in read(bytes) } != nil
    if !isRead {
      var contiguous = copy text
      contiguous.withUTF8 { bytes in read(bytes) }
    }
  }

  /// What one byte adds to a profile, so that reading a byte is one table lookup and no branch on
  /// its class.
  private struct ByteEffect {
    /// One 8-bit lane per counter (`Counter`), holding 1 in the lane of the counter the byte adds
    /// to: adding effects counts up to 255 bytes in every lane at once.
    var lanes: UInt64
    /// The flags the byte sets.
    var flags: Flags
    /// `9`, `A`, `a`, a space, or the byte itself.
    var shapeClass: UInt8
    /// 1 for a byte of a word, else 0.
    var inWord: UInt8
  }

  private static let byteEffects: [ByteEffect] = (0...255).map { value in
    let byte = UInt8(value)
    let counter: Counter?
    var flags: Flags = []
    let shapeClass: UInt8
    if byte.isASCIIDigit {
      (counter, shapeClass) = (.digits, UInt8(ascii: "9"))
    } else if byte.isASCIIUpper {
      (counter, shapeClass) = (.upper, UInt8(ascii: "A"))
    } else if byte.isASCIILower {
      (counter, shapeClass) = (.lower, UInt8(ascii: "a"))
    } else if byte >= 0x80 {
      // A lead byte counts one character; continuation bytes only extend it.
      (counter, shapeClass) = (byte >= 0xC0 ? .nonASCII : nil, UInt8(ascii: "a"))
    } else if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
      (counter, shapeClass) = (.spaces, UInt8(ascii: " "))
      if byte == 0x0A { flags.insert(.newline) }
    } else {
      (counter, shapeClass) = (.punctuation, byte)
      switch byte {
      case UInt8(ascii: "@"): flags.insert(.at)
      case UInt8(ascii: ":"): flags.insert(.colon)
      case UInt8(ascii: "."): flags.insert(.dot)
      case UInt8(ascii: "-"): flags.insert(.dash)
      case UInt8(ascii: "/"): flags.insert(.slash)
      case UInt8(ascii: ","): flags.insert(.comma)
      case UInt8(ascii: "*"), UInt8(ascii: "#"): flags.insert(.mask)
      case UInt8(ascii: "?"): flags.insert(.question)
      default: break
      }
    }
    let isWord = shapeClass == UInt8(ascii: "9") || shapeClass == UInt8(ascii: "A") || shapeClass == UInt8(ascii: "a")
    return ByteEffect(
      lanes: counter.map { 1 << ($0.rawValue * 8) } ?? 0, flags: flags, shapeClass: shapeClass, inWord: isWord ? 1 : 0)
  }

  /// The counters, each the index of its lane in `ByteEffect.lanes`.
  private enum Counter: UInt64, CaseIterable {
    case digits, upper, lower, nonASCII, spaces, punctuation
  }

  private struct Flags: OptionSet {
    let rawValue: UInt16
    static let at = Flags(rawValue: 1 << 0)
    static let colon = Flags(rawValue: 1 << 1)
    static let dot = Flags(rawValue: 1 << 2)
    static let dash = Flags(rawValue: 1 << 3)
    static let slash = Flags(rawValue: 1 << 4)
    static let comma = Flags(rawValue: 1 << 5)
    static let mask = Flags(rawValue: 1 << 6)
    static let question = Flags(rawValue: 1 << 7)
    static let newline = Flags(rawValue: 1 << 8)
  }

  /// The state of one pass over a value's bytes.
  private struct Reading {
    /// The counts of the bytes read since the last `flushLanes()`: at most 255.
    var lanes: UInt64 = 0
    var counts = (digits: 0, upper: 0, lower: 0, nonASCII: 0, spaces: 0, punctuation: 0)
    var flags: UInt16 = 0
    /// 1 when the last byte read was part of a word.
    var inWord: UInt8 = 0
    /// How often a byte was in a word and the one before not, or the other way round, the bytes
    /// before the first and after the last counting as outside: each word starts and ends once.
    var wordEdges = 0
    /// The classes of the shape's runs, `shapeLength` of them.
    var runs: UnsafeMutableBufferPointer<UInt8>
    var shapeLength = 0
    /// The shape class of the last byte read; 0 (the class of a NUL byte) before the first.
    var lastClass: UInt8 = 0

    /// Reads one byte's counts, flags and word edge: no branch.
    @inline(__always)
    mutating func count(_ effect: ByteEffect) {
      lanes &+= effect.lanes
      flags |= effect.flags.rawValue
      wordEdges &+= Int(effect.inWord ^ inWord)
      inWord = effect.inWord
    }

    /// `count`, and the byte's shape class noted when it starts a new run. The class is written
    /// to the next free slot whether it starts a run or not, the slot taken only when it does: no
    /// branch the processor cannot predict. Only while the shape has a free slot.
    @inline(__always)
    mutating func countAndShape(_ effect: ByteEffect) {
      count(effect)
      runs[shapeLength] = effect.shapeClass
      shapeLength &+= effect.shapeClass != lastClass ? 1 : 0
      lastClass = effect.shapeClass
    }

    /// Adds the lanes to the counts and empties them.
    mutating func flushLanes() {
      func lane(_ counter: Counter) -> Int { Int(truncatingIfNeeded: lanes >> (counter.rawValue * 8) & 0xFF) }
      counts.digits += lane(.digits)
      counts.upper += lane(.upper)
      counts.lower += lane(.lower)
      counts.nonASCII += lane(.nonASCII)
      counts.spaces += lane(.spaces)
      counts.punctuation += lane(.punctuation)
      lanes = 0
    }

    /// The number of words: half the edges, counting the end of the value.
    var words: Int { (wordEdges + Int(inWord)) / 2 }

    /// The hash of the runs' classes.
    var shape: UInt64 { FNV1a.hash(UnsafeBufferPointer(rebasing: runs[..<shapeLength])) }
  }

  /// The number of bytes read between two flushes of the 8-bit lanes.
  private static let laneCapacity = 255

  /// The shape holds at most this many runs of classes.
  private static let shapeRuns = 16

  private mutating func read(_ bytes: UnsafeBufferPointer<UInt8>) {
    length = bytes.count
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.shapeRuns) { runs in
      var reading = Reading(runs: runs)
      Self.byteEffects.withUnsafeBufferPointer { effects in
        var index = 0
        while index < bytes.count {
          let end = Swift.min(index + Self.laneCapacity, bytes.count)
          // The shape's runs first; once it holds all it can, only the counts.
          while index < end, reading.shapeLength < Self.shapeRuns {
            reading.countAndShape(effects[Int(bytes[index])])
            index += 1
          }
          while index < end {
            reading.count(effects[Int(bytes[index])])
            index += 1
          }
          reading.flushLanes()
        }
      }
      digits = reading.counts.digits
      upper = reading.counts.upper
      lower = reading.counts.lower
      nonASCII = reading.counts.nonASCII
      spaces = reading.counts.spaces
      punctuation = reading.counts.punctuation
      words = reading.words
      shape = reading.shape
      let flags = Flags(rawValue: reading.flags)
      hasAt = flags.contains(.at)
      hasColon = flags.contains(.colon)
      hasDot = flags.contains(.dot)
      hasDash = flags.contains(.dash)
      hasSlash = flags.contains(.slash)
      hasComma = flags.contains(.comma)
      hasMaskCharacter = flags.contains(.mask)
      hasQuestionMark = flags.contains(.question)
      hasNewline = flags.contains(.newline)
    }
  }

  /// Whether the value has a person's name's shape: 1–5 words, each capitalised, of letters (and
  /// inner `-`, `'`, `’`, `.`). ASCII text is read as bytes (no reference counted), other text as
  /// Unicode scalars.
  static func isNameShaped(_ text: borrowing String) -> Bool {
    let ascii = text.utf8.withContiguousStorageIfAvailable { bytes in isASCIINameShaped(bytes) }
    if case .some(.some(let answer)) = ascii { return answer }
    return isNameShaped(scalarsOf: copy text)
  }

  /// `isNameShaped` read byte by byte while the bytes are ASCII: nil at the first that is not (the
  /// text is then read again as Unicode scalars). It stops where the scalar reading stops.
  private static func isASCIINameShaped(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
    var wordCount = 0
    var atWordStart = true
    var lettersInWord = 0
    for byte in bytes {
      switch byte {
      case UInt8(ascii: " "):
        if atWordStart { return false }
        atWordStart = true
        lettersInWord = 0
      case UInt8(ascii: "-"), UInt8(ascii: "'"):
        if lettersInWord == 0 { return false }
        atWordStart = true
      case UInt8(ascii: "."):
        if lettersInWord == 0 { return false }
      case 0x80...:
        return nil
      default:
        guard byte.isASCIILetter else { return false }
        if atWordStart {
          guard byte.isASCIIUpper else { return false }
          if lettersInWord == 0 { wordCount += 1 }
          atWordStart = false
        }
        lettersInWord += 1
      }
    }
    return (1...5).contains(wordCount) && !atWordStart
  }

  /// `isNameShaped` read as Unicode scalars, for text that is not all ASCII.
  private static func isNameShaped(scalarsOf text: String) -> Bool {
    var wordCount = 0
    var atWordStart = true
    var lettersInWord = 0
    for scalar in text.unicodeScalars {
      if scalar == " " {
        if atWordStart { return false }
        atWordStart = true
        lettersInWord = 0
        continue
      }
      if scalar == "-" || scalar == "'" || scalar == "’" || scalar == "." {
        if lettersInWord == 0 { return false }
        if scalar == "-" || scalar == "'" || scalar == "’" { atWordStart = true }
        continue
      }
      guard isAlphabetic(scalar) else { return false }
      if atWordStart {
        guard isUppercase(scalar) else { return false }
        if lettersInWord == 0 { wordCount += 1 }
        atWordStart = false
      }
      lettersInWord += 1
    }
    return (1...5).contains(wordCount) && !atWordStart
  }

  /// Unicode's Alphabetic property, answered without a table lookup for ASCII.
  static func isAlphabetic(_ scalar: Unicode.Scalar) -> Bool {
    guard scalar.isASCII else { return scalar.properties.isAlphabetic }
    return UInt8(scalar.value).isASCIILetter
  }

  /// Unicode's Uppercase property, answered without a table lookup for ASCII.
  static func isUppercase(_ scalar: Unicode.Scalar) -> Bool {
    guard scalar.isASCII else { return scalar.properties.isUppercase }
    return UInt8(scalar.value).isASCIIUpper
  }
}
