import Detection
import Testing

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
}
