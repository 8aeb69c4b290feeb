import Testing

@_spi(Training) @testable import Detection

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The fast readings of values and weights give what the plain readings give: the value profile
/// read through packed counters, entropy through its table of terms, the classifier's fused sum
/// and the weights read straight from base64.
@Suite struct PerfValuesTests {
  static let texts: [String] = [
    "", "a", "John Smith", "4111-1111-1111-1111", "1990-04-23", "jane.doe@example.org", "Zoë O’Brien",
    "a1b2c3d4e5f6g7h8i9j0k1l2m3", "\u{0}\u{0}ab", "tab\tand\nnewline\r", "***-**-1234", "what? now, here: / ok #1",
    "😀 Ünïcödé wörds", String(repeating: "a", count: 255), String(repeating: "a1", count: 128),
    String(repeating: "Word ", count: 120), String(repeating: "é", count: 300), String(repeating: "x.Y-9 ", count: 90),
  ]

  /// The profile a plain loop over the bytes gives, one branch per class.
  static func plainProfile(_ text: String) -> [Int] {
    var counts = [Int](repeating: 0, count: 6)
    var flags = Set<UInt8>()
    var words = 0
    var inWord = false
    var runs: [UInt8] = []
    var lastClass: UInt8 = 0
    for byte in text.utf8 {
      let shapeClass: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): (counts[0], shapeClass) = (counts[0] + 1, UInt8(ascii: "9"))
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): (counts[1], shapeClass) = (counts[1] + 1, UInt8(ascii: "A"))
      case UInt8(ascii: "a")...UInt8(ascii: "z"): (counts[2], shapeClass) = (counts[2] + 1, UInt8(ascii: "a"))
      case 0x80...: (counts[3], shapeClass) = (counts[3] + (byte >= 0xC0 ? 1 : 0), UInt8(ascii: "a"))
      case 0x20, 0x09, 0x0A, 0x0D: (counts[4], shapeClass) = (counts[4] + 1, UInt8(ascii: " "))
      default: (counts[5], shapeClass) = (counts[5] + 1, byte)
      }
      flags.insert(byte)
      let isWord = shapeClass == UInt8(ascii: "9") || shapeClass == UInt8(ascii: "A") || shapeClass == UInt8(ascii: "a")
      if isWord && !inWord { words += 1 }
      inWord = isWord
      if shapeClass != lastClass, runs.count < 16 { runs.append(shapeClass) }
      lastClass = shapeClass
    }
    let shape = runs.withUnsafeBufferPointer { FNV1a.hash($0) }
    // `*` and `#` both mask.
    let flagged = ["@", ":", ".", "-", "/", ",", "*#", "?", "\n"].map { characters in
      characters.utf8.contains(where: flags.contains) ? 1 : 0
    }
    return [text.utf8.count] + counts + [words, Int(truncatingIfNeeded: shape)] + flagged
  }

  static func profileFields(_ profile: ValueProfile) -> [Int] {
    let p = profile
    let counts = [p.length, p.digits, p.upper, p.lower, p.nonASCII, p.spaces, p.punctuation, p.words]
    let flags = [
      p.hasAt, p.hasColon, p.hasDot, p.hasDash, p.hasSlash, p.hasComma, p.hasMaskCharacter, p.hasQuestionMark,
    ]
    return counts + [Int(truncatingIfNeeded: p.shape)] + (flags + [p.hasNewline]).map { $0 ? 1 : 0 }
  }

  @Test(arguments: texts)
  func profileCountsEveryByteOnce(_ text: String) {
    #expect(Self.profileFields(ValueProfile(text, isNumber: false)) == Self.plainProfile(text))
  }

  /// `isNameShaped` read one Unicode scalar at a time, with Unicode's properties for every scalar.
  static func plainIsNameShaped(_ text: String) -> Bool {
    var wordCount = 0
    var atWordStart = true
    var lettersInWord = 0
    for scalar in text.unicodeScalars {
      switch scalar {
      case " ":
        if atWordStart { return false }
        (atWordStart, lettersInWord) = (true, 0)
      case "-", "'", "’":
        if lettersInWord == 0 { return false }
        atWordStart = true
      case ".":
        if lettersInWord == 0 { return false }
      default:
        guard scalar.properties.isAlphabetic else { return false }
        if atWordStart {
          guard scalar.properties.isUppercase else { return false }
          if lettersInWord == 0 { wordCount += 1 }
          atWordStart = false
        }
        lettersInWord += 1
      }
    }
    return (1...5).contains(wordCount) && !atWordStart
  }

  @Test(arguments: [
    "", " ", "J", "j", "John", "John Smith", "john Smith", "John smith", "John  Smith", " John", "John ", "Mary-Jane",
    "Mary-jane", "O'Brien", "O'brien", "-Jo", "Jo-", "A. B. Smith", "A.B.", ".A", "Dr. Who", "Ab Cd Ef Gh Ij",
    "Ab Cd Ef Gh Ij Kl", "JOHN SMITH", "John Smith2", "John_Smith", "Zoë O’Brien", "Zoë O’brien", "José Álvarez",
    "ÉMILE ZOLA", "émile Zola", "Łukasz Żółć", "ǅemal Bijedić", "Σωκράτης Παππάς", "中村 太郎", "Ab\u{301}c Def",
    "John Smíth", "John Smith é", "John\tSmith", "John\u{0}", "John\u{7F}", "J’", "’J",
  ])
  func nameShapeIsTheScalarReading(_ text: String) {
    #expect(ValueProfile.isNameShaped(text) == Self.plainIsNameShaped(text))
  }

  /// Entropy summed over byte values in ascending order, one `log2` per value.
  static func plainEntropy(_ bytes: [UInt8]) -> Double {
    guard !bytes.isEmpty else { return 0 }
    var counts = [Int](repeating: 0, count: 256)
    for byte in bytes { counts[Int(byte)] += 1 }
    var entropy = 0.0
    for count in counts where count > 0 {
      let p = Double(count) / Double(bytes.count)
      entropy -= p * log2(p)
    }
    return entropy
  }

  @Test func entropyOfShortAndLongValuesIsThePlainSumBitForBit() {
    var generator = SystemRandomNumberGenerator()
    for length in 0...140 {
      for alphabet in [1, 2, 7, 16, 62, 256] {
        let bytes = (0..<length).map { _ in UInt8(Int.random(in: 0..<alphabet, using: &generator)) }
        let entropy = bytes.withUnsafeBufferPointer { Validators.shannonEntropy(bytes: $0) }
        #expect(entropy.bitPattern == Self.plainEntropy(bytes).bitPattern, "\(length) bytes of \(alphabet)")
      }
    }
  }

  /// The weights `Base64.decode` and a loop over its records give.
  static func plainDecode(_ text: String) -> [Int16]? {
    guard let bytes = Base64.decode(text), !bytes.isEmpty, bytes.count % 6 == 0 else { return nil }
    var weights = [Int16](repeating: 0, count: FeatureHasher.dimension)
    for offset in stride(from: 0, to: bytes.count, by: 6) {
      let index = bytes[offset..<offset + 4].reversed().reduce(0) { $0 << 8 | Int($1) }
      guard index < weights.count else { return nil }
      weights[index] = Int16(bitPattern: UInt16(bytes[offset + 4]) | UInt16(bytes[offset + 5]) << 8)
    }
    return weights
  }

  @Test(arguments: [
    ModelWeights.encoded, "", "\n", "not base64!", "AAAAAAAA", "AAAA AAAA\nAAEAAAAA", "AAAAAAA=", "AAAAAAAA====",
    "AAAA=AAAAAAA", "AAAAAAAAAAAA", "/////wAA", "AAAEAAAA", "AP//AwAA", "AAAAAAAA\tAAAAAAAA", "AAAAAAAA\r\n",
  ])
  func weightsReadStraightFromBase64AreTheDecodedOnes(_ text: String) {
    #expect(Classifier.decodeStored(text) == Self.plainDecode(text))
  }

  @Test func fusedSumIsTheSumOfTheFeatures() throws {
    let documents = [
      #"{"user":{"name":"Jane Doe","email":"jane@example.org","phone":"+1 415 555 0100","dob":"1990-04-23"}}"#,
      #"{"card":{"number":"4111 1111 1111 1111","exp":"12/29","cvv":"123"},"items":[{"sku":"A1","price":3}]}"#,
      #"{"token":"ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8","ip":"10.0.0.1","street":"221B Baker St."}"#,
    ]
    let detector = Detector(referenceYear: 2026)
    var compared = 0
    for document in documents {
      let table = try JSONLeaves.table(of: Array(document.utf8))
      detector.walk(table) { _, field, observations in
        for candidate in field.candidates {
          let features = Features.of(candidate, field: field, observations: observations)
          let fused = detector.classifier.probability(of: candidate, field: field, observations: observations)
          #expect(fused.bitPattern == detector.classifier.probability(features).bitPattern)
          compared += 1
        }
      }
    }
    #expect(compared > 5)
  }
}
