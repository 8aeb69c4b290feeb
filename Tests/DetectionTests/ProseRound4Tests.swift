import Testing

@testable import Detection

/// The free-text scan's cheaper paths: words kept on the stack or in an array past its room, the
/// texts' summaries that skip passes, and the byte kinds counted in lanes.
@Suite struct ProseRound4Tests {
  /// Word counts around the stack's room (42 words of 24 bytes) and at the word limit.
  @Test(arguments: [1, 41, 42, 43, 44, 100, 1_999, 2_000, 2_001, 3_000])
  func everyWordIsReadWhereverItIsKept(_ count: Int) {
    let text = (0..<count).map { "w\($0)" }.joined(separator: " ")
    let words = FreeText.tokens(of: text)
    #expect(words.count == Swift.min(count, FreeText.wordLimit))
    #expect(words.last?.trimmedEnd == text.utf8.count || count > FreeText.wordLimit)
  }

  @Test func aValuePastTheStacksRoomIsStillFound() {
    let filler = Array(repeating: "lorem", count: 60).joined(separator: " ")
    let found = FreeText.types(in: "\(filler) write to jane.doe@example.org, \(filler)", referenceYear: 2026)
    #expect(found == [.email])
  }

  @Test func wordsKeepTheirBoundsAndTrimming() {
    let words = FreeText.tokens(of: "  (555) 123-4567, pan=4111 é")
    #expect(words.count == 4)
    #expect(words[0].start == 2 && words[0].end == 7 && words[0].trimmedStart == 3 && words[0].trimmedEnd == 6)
    #expect(words[1].trimmedEnd == 16 && words[1].end == 17)
    #expect(words[2].equals == 21 && words[2].trimmedStart == 22)
    #expect(!words[3].isASCII && words[0].isASCII)
  }

  /// A word's byte kinds, counted over more than one round of 255 bytes.
  @Test(arguments: [7, 254, 255, 256, 600])
  func tokenShapeCountsLongWords(_ repeats: Int) {
    let word = String(repeating: "1.-:x+@é", count: repeats)
    let shape = Array(word.utf8).withUnsafeBufferPointer { FreeText.TokenShape($0) }
    #expect(shape.count == 9 * repeats)
    #expect(shape.digits == repeats && shape.dots == repeats && shape.dashes == repeats)
    #expect(shape.colons == repeats && shape.masks == repeats && shape.phoneMarks == repeats)
    #expect(shape.hasAt && !shape.isASCII)
  }

  @Test func contextWordsStillAnnounceValues() {
    #expect(FreeText.types(in: "please ping @jdoe_1 about it today", referenceYear: 2026).contains(.username))
    #expect(FreeText.types(in: "the password for jdoe_1 is hunter22", referenceYear: 2026).contains(.password))
    #expect(FreeText.types(in: "with many thanks and regards, Kimberly", referenceYear: 2026) == [.personName])
  }
}
