import Testing

@testable import Detection

/// The findings written straight from the leaf table are the bytes `DocumentFindings` writes.
@Suite struct FindingsWriterTests {
  @Test(arguments: [
    #"{"user":{"email":"jane.doe@example.org","phone":"+44 20 7946 0958","name":"Jane Doe"}}"#,
    #"{"items":[{"card":"4111 1111 1111 1111","cvv":"123"},{"card":"5500 0000 0000 0004"}],"ok":true}"#,
    #"{"a b":{"it's":"jane@x.org"},"back\\slash":{"\"q\"":"+1 415 555 2671"},"é\u0301":"jane@x.org"}"#,
    #"{"ke\u0000y":"jane@x.org","tab\tkey":"jane@x.org","[*]":["jane@x.org",["jane@x.org"]]}"#,
    #"{"nothing":"here","n":1,"b":false,"x":null,"e":"","arr":[]}"#,
    #""email=jane%40x.org&plan=pro&phone=%2B14155552671""#,
    #"[["jane@x.org"],{"dob":"1990-04-23","gender":"female","ssn":"078-05-1120","name":"John Smith"}]"#,
    #""reach me at jane@x.org or +44 20 7946 0958""#,
    #"{}"#,
  ])
  func directWritingMatchesTheFindings(_ document: String) throws {
    let detector = Detector(referenceYear: 2026)
    let table = try JSONLeaves.table(of: Array(document.utf8))
    var expected: [UInt8] = [0x5B]
    detector.detect(table: table).appendJSON(to: &expected)
    var written: [UInt8] = [0x5B]
    detector.appendFindingsJSON(of: table, to: &written)
    #expect(String(decoding: written, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
  }

  /// The direct writer lists a field's types from its bit set in id order: the order
  /// `FieldFinding` sorts them into, for every type and for sets of several.
  @Test func typesReadFromBitsComeInIDOrder() {
    var rng = SystemRandomNumberGenerator()
    for type in DataType.allCases {
      var one = FoundTypes()
      one.add(type)
      #expect(Array(one.sortedByID) == [type])
    }
    for _ in 0..<200 {
      var types = FoundTypes()
      for type in DataType.allCases where Int.random(in: 0..<4, using: &rng) == 0 { types.add(type) }
      #expect(Array(types.sortedByID) == Array(types).sorted())
      #expect(types.sortedByID.count == Array(types).count)
      #expect(Sensitivity.highest(of: types) == Sensitivity.highest(of: Array(types)))
    }
  }

  @Test func somethingIsFoundSoTheComparisonMeansSomething() throws {
    let table = try JSONLeaves.table(of: Array(#"{"a b":{"it's":"jane@x.org"}}"#.utf8))
    var written: [UInt8] = []
    Detector(referenceYear: 2026).appendFindingsJSON(of: table, to: &written)
    let text = String(decoding: written, as: UTF8.self)
    #expect(text.contains(#""path":"$['a b']['it\\'s']""#) && text.contains(#""types":["email"]"#))
  }
}
