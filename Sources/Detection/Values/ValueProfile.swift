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

  init(_ text: String, isNumber: Bool) {
    self.isNumber = isNumber
    var text = text
    text.withUTF8 { bytes in read(bytes) }
  }

  /// What one byte adds to a profile, packed so that reading a byte is one table lookup and no
  /// branch on its class: bits 0–2 the counter it adds to, 3–11 the flags it sets, 12 whether it
  /// is part of a word, 16–23 its shape class (`9`, `A`, `a`, a space, or the byte itself).
  private static let byteEffects: [UInt32] = (0...255).map { value in
    let byte = UInt8(value)
    let counter: Counter
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
      (counter, shapeClass) = (byte >= 0xC0 ? .nonASCII : .none, UInt8(ascii: "a"))
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
    return UInt32(counter.rawValue) | UInt32(flags.rawValue) << 3 | (isWord ? 1 << 12 : 0) | UInt32(shapeClass) << 16
  }

  private enum Counter: UInt8 {
    case digits, upper, lower, nonASCII, spaces, punctuation, none
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

  private mutating func read(_ bytes: UnsafeBufferPointer<UInt8>) {
    var lastClass: UInt32 = 0
    var shapeLength = 0
    var inWord = false
    var wordCount = 0
    var flagBits: UInt32 = 0
    var shapeHash = shape
    length = bytes.count
    withUnsafeTemporaryAllocation(of: Int.self, capacity: 8) { counts in
      counts.initialize(repeating: 0)
      Self.byteEffects.withUnsafeBufferPointer { effects in
        for byte in bytes {
          let effect = effects[Int(byte)]
          counts[Int(effect & 7)] += 1
          flagBits |= effect
          let isWord = effect & (1 << 12) != 0
          if isWord && !inWord { wordCount += 1 }
          inWord = isWord
          let cls = effect >> 16
          if cls != lastClass, shapeLength < 16 {
            shapeHash = FNV1a.mix(UInt8(truncatingIfNeeded: cls), into: shapeHash)
            shapeLength += 1
          }
          lastClass = cls
        }
      }
      digits = counts[Int(Counter.digits.rawValue)]
      upper = counts[Int(Counter.upper.rawValue)]
      lower = counts[Int(Counter.lower.rawValue)]
      nonASCII = counts[Int(Counter.nonASCII.rawValue)]
      spaces = counts[Int(Counter.spaces.rawValue)]
      punctuation = counts[Int(Counter.punctuation.rawValue)]
    }
    words = wordCount
    shape = shapeHash
    let flags = Flags(rawValue: UInt16(truncatingIfNeeded: flagBits >> 3) & 0x1FF)
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

  static func isNameShaped(_ text: String) -> Bool {
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
