import Testing

@testable import Detection

/// Documents become leaves with the contract's paths; bad and hostile documents get a clear error
/// with the byte where reading stopped, never a crash.
@Suite struct JSONLeavesTests {
  func leaves(_ text: String) throws -> [String] {
    try JSONLeaves.of(Array(text.utf8)).map { leaf in
      let value: String
      switch leaf.value {
      case .string(let text): value = "\"\(text)\""
      case .number(let text): value = text
      case .bool(let flag): value = "\(flag)"
      case .null: value = "null"
      }
      return "\(leaf.path) = \(value)"
    }
  }

  @Test func nestedObjectsAndArraysShareOnePathPerField() throws {
    let document = #"""
      {"customer": {"email": "a@example.com", "cards": [{"pan": 4111111111111111}, {"pan": "5500 0000 0000 0004"}]},
       "tags": ["x", ["y"]], "ok": true, "note": null, "empty": {}, "none": []}
      """#
    #expect(
      try leaves(document) == [
        #"$.customer.email = "a@example.com""#, "$.customer.cards[*].pan = 4111111111111111",
        #"$.customer.cards[*].pan = "5500 0000 0000 0004""#, #"$.tags[*] = "x""#, #"$.tags[*][*] = "y""#,
        "$.ok = true", "$.note = null",
      ])
  }

  @Test func keysOutsideThePlainAlphabetAreQuoted() throws {
    #expect(
      try leaves(#"{"first name": 1, "it's": 2, "": 3, "date_of-birth2": 4, "\\": 5}"#) == [
        "$['first name'] = 1", #"$['it\'s'] = 2"#, "$[''] = 3", "$.date_of-birth2 = 4", #"$['\\'] = 5"#,
      ])
  }

  @Test func aScalarDocumentIsItsOwnRoot() throws {
    #expect(try leaves(#" "just text" "#) == [#"$ = "just text""#])
    #expect(try leaves("-0.5e+10") == ["$ = -0.5e+10"])
  }

  @Test func numbersKeepTheirDigitsAsWritten() throws {
    // 19 digits do not fit a Double exactly; the detector needs them all.
    #expect(try leaves(#"{"pan": 6011000990139424123}"#) == ["$.pan = 6011000990139424123"])
  }

  @Test func escapesAreResolved() throws {
    let document = #"{"k": "a\"b\\c\/d\n\t\u00e9\ud83d\ude00\ud800x"}"#
    let value = try #require(JSONLeaves.of(Array(document.utf8)).first?.value.text)
    #expect(value == "a\"b\\c/d\n\té😀\u{FFFD}x")
  }

  static let malformed: [(String, String)] = [
    ("", "unexpected end"), ("{", "expected a key"), (#"{"a" 1}"#, "expected ':'"), (#"{"a": 1"#, "expected ','"),
    ("[1 2]", "expected ','"), ("[1,]", "unexpected character"), ("01", "unexpected data"), ("1.", "after '.'"),
    ("1e", "exponent"), ("-", "needs digits"), (#""abc"#, "closing quote"), ("\"a\u{01}\"", "control character"),
    (#""\x""#, "unknown escape"), (#""\u12""#, "four hex digits"), ("tru", "truncated"), ("nul", "truncated"),
    ("{} {}", "unexpected data"), ("[1] x", "unexpected data"), ("'single'", "unexpected character"),
  ]

  @Test(arguments: malformed)
  func malformedDocumentsAreRefusedSayingWhy(document: String, reason: String) {
    #expect {
      try JSONLeaves.of(Array(document.utf8))
    } throws: { error in
      (error as? JSONLeafError)?.description.contains(reason) == true
    }
  }

  @Test func deepNestingIsRefusedNotFollowed() throws {
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    #expect(throws: JSONLeafError.self) { try JSONLeaves.of(Array(deep.utf8)) }
    let allowed =
      String(repeating: "[", count: JSONLeaves.maximumDepth) + "1"
      + String(repeating: "]", count: JSONLeaves.maximumDepth)
    #expect(try JSONLeaves.of(Array(allowed.utf8)).count == 1)
  }

  @Test func truncatedDocumentsFailAtEveryCut() {
    let document = Array(#"{"a": [1, "two", {"b": null, "c": true}], "d": -1.5e3, "e": "\u00e9"}"#.utf8)
    for cut in 0..<document.count {
      #expect(throws: JSONLeafError.self, "cut at \(cut)") { try JSONLeaves.of(document[..<cut]) }
    }
    #expect(throws: Never.self) { try JSONLeaves.of(document) }
  }

  @Test func invalidUTF8IsReplacedNotRefused() throws {
    let document: [UInt8] = Array(#"{"k": "a"#.utf8) + [0xFF, 0xFE] + Array(#"b"}"#.utf8)
    #expect(try JSONLeaves.of(document).first?.value.text == "a\u{FFFD}\u{FFFD}b")
  }

  @Test func aLargeFlatDocumentIsRead() throws {
    let items = (0..<20_000).map { #"{"id": \#($0), "email": "user\#($0)@example.com"}"# }
    let document = "[" + items.joined(separator: ",") + "]"
    let leaves = try JSONLeaves.of(Array(document.utf8))
    #expect(leaves.count == 40_000)
    #expect(leaves.last?.path.description == "$[*].email")
    #expect(FieldPath.root.appending(.key("a")).appending(.anyElement).keys == ["a"])
  }

  @Test(arguments: [#"\""#, #"\\"#, #"\n"#, #"\u00e9"#, #"\ud83d\ude00"#, #"\ud800"#])
  func escapesAreResolvedWhereverTheyFallInACopiedWord(escape: String) throws {
    let resolved = try #require(JSONLeaves.of(Array("\"\(escape)\"".utf8)).first?.value.text)
    for before in 0..<20 {
      let head = String(repeating: "a", count: before)
      let tail = String(repeating: "b", count: 19 - before)
      let document = #"{"k": "\#(head)\#(escape)\#(tail)", "\#(head)\#(escape)": 1}"#
      let leaves = try JSONLeaves.of(Array(document.utf8))
      #expect(leaves.first?.value.text == head + resolved + tail, "\(before) bytes before")
      #expect(leaves.last?.path.keys == [head + resolved], "\(before) bytes before")
    }
  }

  @Test func invalidUTF8NextToEscapesIsReplacedLikeStringDecoding() throws {
    let invalid: [[UInt8]] = [[0x80], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF0, 0x9F, 0x98]]
    for bytes in invalid {
      let contents = bytes + Array(#"\n"#.utf8) + bytes + Array(#"\u00e9x"#.utf8) + bytes
      let resolved = bytes + [0x0A] + bytes + [0xC3, 0xA9, 0x78] + bytes
      let document = Array(#"{"k": ""#.utf8) + contents + Array(#"", ""#.utf8) + contents + Array(#"": 1}"#.utf8)
      let leaves = try JSONLeaves.of(document)
      let expected = String(decoding: resolved, as: UTF8.self)
      #expect(leaves.first?.value.text == expected, "\(bytes)")
      #expect(leaves.last?.path.keys == [expected], "\(bytes)")
    }
  }

  @Test func keysRepeatedAcrossArrayElementsGetTheSamePaths() throws {
    let document = #"[{"a": 1, "b": 2}, {"b": 3, "a": 4, "": 5}, {"a": {"a": [6, [7]]}}, {"a": 8, "a": 9}]"#
    #expect(
      try leaves(document) == [
        "$[*].a = 1", "$[*].b = 2", "$[*].b = 3", "$[*].a = 4", "$[*][''] = 5", "$[*].a.a[*] = 6",
        "$[*].a.a[*][*] = 7", "$[*].a = 8", "$[*].a = 9",
      ])
  }

  @Test func aBatchReadsEachDocumentOnItsOwn() throws {
    let body = #"{"documents": [{"a": "x\u00e9"}, [1, {"a": "y"}], "z"]}"#
    let documents = try DetectRequest.documents(in: Array(body.utf8))
    #expect(documents.map { $0.map(\.path.description) } == [["$.a"], ["$[*]", "$[*].a"], ["$"]])
    #expect(documents.map { $0.compactMap(\.value.text) } == [["xé"], ["1", "y"], ["z"]])
  }

  static let offsets: [(String, String)] = [
    (#"{"a" 1}"#, "at byte 5: expected ':' after a key"),
    (#""\u12""#, #"at byte 3: a \u escape needs four hex digits"#),
    (#""\ud800\u12""#, #"at byte 9: a \u escape needs four hex digits"#),
    (#"{"a": 1,}"#, "at byte 8: expected a key in quotes"), ("[1,]", "at byte 3: unexpected character"),
    ("1e+", "at byte 3: a number needs digits in its exponent"), (#""a\x""#, #"at byte 4: an unknown escape '\x'"#),
    (#"{"documents": [1 2]}"#, "at byte 17: expected ',' or ']' in an array"),
    (
      String(repeating: "[", count: JSONLeaves.maximumDepth + 1) + "1"
        + String(repeating: "]", count: JSONLeaves.maximumDepth + 1), "at byte 128: nested deeper than 128"
    ),
  ]

  @Test(arguments: offsets)
  func errorsNameTheByteWhereReadingStopped(document: String, message: String) {
    #expect {
      try DetectRequest.documents(in: Array(document.utf8))
    } throws: { error in
      (error as? JSONLeafError)?.description == "invalid JSON \(message)"
    }
  }

  @Test(arguments: 1...24)
  func numbersEndWhereTheirDigitsDoAtAnyLength(length: Int) throws {
    // Digits are found eight at a time where the document has eight more bytes, else one by one.
    let integer = "9" + String(String(repeating: "0123456789", count: 3).prefix(length - 1))
    for number in [integer, "-" + integer, integer + ".5", integer + "e-3", "-" + integer + ".0125E+12"] {
      #expect(try leaves(number) == ["$ = \(number)"])
      #expect(
        try leaves(#"{"n": \#(number), "m": [\#(number),\#(number)]}"#) == [
          "$.n = \(number)", "$.m[*] = \(number)", "$.m[*] = \(number)",
        ])
    }
    let errors: [(String, String)] = [
      (integer + "x", "at byte \(integer.count): unexpected data after the document"),
      (integer + ".x", "at byte \(integer.count + 1): a number needs digits after '.'"),
      ("[" + integer + "e]", "at byte \(integer.count + 2): a number needs digits in its exponent"),
    ]
    for (document, message) in errors {
      #expect(throws: JSONLeafError.self) { try JSONLeaves.of(Array(document.utf8)) }
      do {
        _ = try JSONLeaves.of(Array(document.utf8))
      } catch {
        #expect(error.description == "invalid JSON \(message)")
      }
    }
  }

  @Test(arguments: 0...20)
  func keysUnderArraysShareANodeOnlyWhenEveryByteIsTheSame(length: Int) throws {
    // Keys of array elements are compared in place, a few bytes at a time: a key that differs
    // from another of the same length in any one byte gets a node of its own.
    let key = String((0..<length).map { Character(Unicode.Scalar(UInt8(ascii: "a") + UInt8($0 % 26))) })
    var variants = [key]
    for position in 0..<length {
      var bytes = Array(key.utf8)
      bytes[position] = UInt8(ascii: "Z")
      variants.append(String(decoding: bytes, as: UTF8.self))
    }
    let document = "[" + (variants + variants).map { #"{"\#($0)": 1}"# }.joined(separator: ",") + "]"
    let table = try JSONLeaves.table(of: Array(document.utf8))
    // The root, the elements' `[*]`, and one node per distinct key.
    #expect(table.nodes.count == 2 + variants.count)
    #expect(try JSONLeaves.of(Array(document.utf8)).map(\.path.keys) == (variants + variants).map { [$0] })
  }

  @Test func repairsLongerThanTheDocumentLeaveRoomForWhatFollows() throws {
    // Each invalid byte becomes U+FFFD's three: the text outgrows the document, and what is read
    // after it still has its room.
    let invalid = [UInt8](repeating: 0xFF, count: 300)
    let tail = String(repeating: "x", count: 40)
    let document =
      Array(#"{"a": ""#.utf8) + invalid + Array(#"", ""#.utf8) + invalid
      + Array(#"": "\#(tail)", "n": 12345678901234567890, "k\#(tail)": "\u00e9\#(tail)"}"#.utf8)
    let leaves = try JSONLeaves.of(document)
    let replaced = String(repeating: "\u{FFFD}", count: 300)
    #expect(leaves.map(\.path.keys) == [["a"], [replaced], ["n"], ["k" + tail]])
    #expect(leaves.compactMap(\.value.text) == [replaced, tail, "12345678901234567890", "é" + tail])
  }

  @Test func whitespaceAroundEveryTokenIsSkipped() throws {
    let document = " \t\r\n{ \"a\" \n:\t[ 1 ,\r\"x\" , { \"b\" : null } ] ,\n\"c\":true } \n"
    #expect(try leaves(document) == ["$.a[*] = 1", #"$.a[*] = "x""#, "$.a[*].b = null", "$.c = true"])
  }

  @Test func utf8IsValidExactlyWhenStringValidatingAcceptsIt() {
    var mismatches: [[UInt8]] = []
    for lead in UInt8(0x80)...0xFF {
      for second in UInt8.min...UInt8.max {
        for sequence in [
          [lead, second], [lead, second, 0x80], [lead, second, 0xBF, 0x80], [0x41, lead, second, 0xC0],
        ] {
          let agrees = sequence.withUnsafeBufferPointer { bytes in
            JSONLeaves.Reader.isValidUTF8(bytes) == (String(validating: bytes, as: UTF8.self) != nil)
          }
          if !agrees { mismatches.append(sequence) }
        }
      }
    }
    #expect(mismatches.isEmpty)
  }
}
