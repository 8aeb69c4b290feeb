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
  var shape: UInt64 = 0xCBF2_9CE4_8422_2325
  var isNumber = false

  var letters: Int { upper + lower + nonASCII }

  init(_ text: String, isNumber: Bool) {
    self.isNumber = isNumber
    var text = text
    text.withUTF8 { bytes in read(bytes) }
  }

  /// What each byte counts as; the shape class is the byte itself for punctuation.
  private enum ByteClass: UInt8 {
    case digit, upper, lower, continuation, lead, space, newline, punctuation
  }

  private static let classes: [ByteClass] = (0...255).map { value in
    let byte = UInt8(value)
    if byte.isASCIIDigit { return .digit }
    if byte.isASCIIUpper { return .upper }
    if byte.isASCIILower { return .lower }
    if byte >= 0xC0 { return .lead }
    if byte >= 0x80 { return .continuation }
    if byte == 0x0A { return .newline }
    if byte == 0x20 || byte == 0x09 || byte == 0x0D { return .space }
    return .punctuation
  }

  private mutating func read(_ bytes: UnsafeBufferPointer<UInt8>) {
    var lastClass: UInt8 = 0
    var shapeLength = 0
    var inWord = false
    length = bytes.count
    Self.classes.withUnsafeBufferPointer { classes in
      for byte in bytes {
        let cls: UInt8
        switch classes[Int(byte)] {
        case .digit:
          digits += 1
          cls = UInt8(ascii: "9")
        case .upper:
          upper += 1
          cls = UInt8(ascii: "A")
        case .lower:
          lower += 1
          cls = UInt8(ascii: "a")
        case .lead:
          nonASCII += 1
          cls = UInt8(ascii: "a")
        case .continuation:
          cls = UInt8(ascii: "a")
        case .space:
          spaces += 1
          cls = UInt8(ascii: " ")
        case .newline:
          spaces += 1
          hasNewline = true
          cls = UInt8(ascii: " ")
        case .punctuation:
          punctuation += 1
          switch byte {
          case UInt8(ascii: "@"): hasAt = true
          case UInt8(ascii: ":"): hasColon = true
          case UInt8(ascii: "."): hasDot = true
          case UInt8(ascii: "-"): hasDash = true
          case UInt8(ascii: "/"): hasSlash = true
          case UInt8(ascii: ","): hasComma = true
          case UInt8(ascii: "*"), UInt8(ascii: "#"): hasMaskCharacter = true
          case UInt8(ascii: "?"): hasQuestionMark = true
          default: break
          }
          cls = byte
        }
        let isWordByte = cls == UInt8(ascii: "a") || cls == UInt8(ascii: "A") || cls == UInt8(ascii: "9")
        if isWordByte && !inWord { words += 1 }
        inWord = isWordByte
        if cls != lastClass, shapeLength < 16 {
          shape = (shape ^ UInt64(cls)) &* 0x100_0000_01B3
          shapeLength += 1
        }
        lastClass = cls
      }
    }
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
