import Testing

@testable import Detection

/// The detector's parts on their own: key hints, form bodies, free text, the weights' encoding.
@Suite struct DetectorPartsTests {
  @Test(arguments: [
    ("dob", DataType.dateOfBirth), ("DateOfBirth", .dateOfBirth), ("BIRTH-DATE", .dateOfBirth),
    ("msisdn", .phone), ("pan", .cardNumber), ("cc", .cardNumber), ("ccNumber", .cardNumber),
    ("customerEmail", .email), ("billing_address_line1", .address), ("cvc2", .cardCVV),
    ("passport_no", .passportNumber), ("X-Forwarded-For", .ipAddress), ("client_secret", .apiKey),
  ])
  func keysNameTypes(_ key: String, _ type: DataType) {
    let hints = KeyHints(tokens: KeyTokens.of(key))
    #expect(hints.strong.contains(type), "\(key): \(hints.tokens) → \(hints.strong)")
  }

  @Test(arguments: ["email_verified", "password_hash", "phone_type", "card_last4", "is_email", "ssn_last4"])
  func modifiersWeakenHints(_ key: String) {
    let hints = KeyHints(tokens: KeyTokens.of(key))
    #expect(hints.strong.isEmpty, "\(key): \(hints.strong)")
    #expect(!hints.weak.isEmpty, "\(key): \(hints.tokens)")
  }

  @Test(arguments: ["company_name", "product_name", "ip_version", "user_agent", "order_number", "hostname"])
  func namesOfOtherThingsClaimTheirWords(_ key: String) {
    let hints = KeyHints(tokens: KeyTokens.of(key))
    #expect(hints.strong.filter { $0 == .personName || $0 == .ipAddress || $0 == .username }.isEmpty)
    #expect(hints.claimedByNonSensitive || hints.isEmpty, "\(key): \(hints.tokens)")
  }

  @Test func parentKeyGivesMeaningToAGenericKey() {
    let context = KeyContext(lastKey: "number", parentKey: "card")
    #expect(context.effective.strong.contains(.cardNumber))
    let alone = KeyContext(lastKey: "number", parentKey: "order")
    #expect(alone.effective.strong.isEmpty)
  }

  @Test func formBodiesAreFlatObjects() throws {
    let pairs = try #require(FormFields.pairs(of: "email=jane%40example.org&name=Jane+Doe&flag"))
    #expect(pairs.map(\.key) == ["email", "name", "flag"])
    #expect(pairs.map(\.value) == ["jane@example.org", "Jane Doe", ""])
    #expect(FormFields.pairs(of: "just some text = here") == nil)
    #expect(FormFields.pairs(of: "no pairs at all") == nil)
    #expect(FormFields.pairs(of: "bad%zzescape=1")?.first?.key == "bad%zzescape")
    let query = try #require(FormFields.query(of: "https://api.example.com/v1/users?email=a%40b.co&page=2#top"))
    #expect(query.map(\.key) == ["email", "page"])
  }

  @Test func queryStringValuesAreDetectedUnderTheirKeys() throws {
    let findings = try Detector(referenceYear: 2026).detect(
      json: Array(#"{"url":"/signup?email=jane%40example.org&dob=1990-01-02&page=2"}"#.utf8))
    #expect(Set(findings.fields.first?.types ?? []) == [.email, .dateOfBirth])
  }

  @Test func freeTextFindsWhatValidatorsProve() {
    let text =
      "Ship to 12 Baker Street. Contact John Smith, born 1984-02-03, IBAN DE89 3704 0044 0532 0130 00, ip 10.0.0.7"
    #expect(FreeText.types(in: text, referenceYear: 2026) == [.address, .personName, .dateOfBirth, .iban, .ipAddress])
    #expect(
      FreeText.types(in: "Order 12345 shipped on 2024-05-01 in 3 boxes, version 1.2.3", referenceYear: 2026).isEmpty)
  }

  @Test(arguments: [
    "call +1 788 975-2282 now", "Kontakt: Melissa Young, Tel. +1 (788) 975-2282, E-Mail", "Tel. 613 116 639, bitte",
    "New lead from Polar Bank, phone 07.09.89.54.77.",
  ])
  func phonesInProse(_ text: String) {
    #expect(FreeText.types(in: text, referenceYear: 2026).contains(.phone))
  }

  @Test func logLineKeyValuesAreRead() {
    let found = FreeText.types(
      in: "WARN payment declined pan=4815 9258 4508 9403 exp=11/31 merchant=42", referenceYear: 2026)
    #expect(found.isSuperset(of: [.cardNumber, .cardExpiration]))
  }

  @Test func numbersInProseAreNotPhonesWithoutAContextWord() {
    #expect(!FreeText.types(in: "Order 613 116 639 shipped in 3 boxes", referenceYear: 2026).contains(.phone))
  }

  @Test func hostileFreeTextIsBounded() {
    let long = String(repeating: "4111 ", count: 200_000)
    #expect(FreeText.tokens(of: long).count <= 2_000)
  }

  @Test func weightsSurviveTheirEncoding() throws {
    var weights = [Float](repeating: 0, count: FeatureHasher.dimension)
    weights[7] = 1.5
    weights[FeatureHasher.dimension - 1] = -0.25
    let decoded = try #require(Classifier.decode(Classifier.encode(weights)))
    #expect(decoded[7] == 1.5)
    #expect(decoded[FeatureHasher.dimension - 1] == -0.25)
    #expect(decoded.filter { $0 != 0 }.count == 2)
    #expect(Classifier.decode("not base64!") == nil)
    #expect(Classifier.decode("") == nil)
    // The committed model, decoded and encoded again, is the committed text.
    let bundled = try #require(Classifier.decode(ModelWeights.encoded))
    #expect(Classifier.encode(bundled) == ModelWeights.encoded.filter { $0 != "\n" && $0 != " " })
  }

  @Test func documentLevelRisesWithCombinations() {
    func field(_ types: [DataType]) -> FieldFinding {
      FieldFinding(path: .root, types: types, source: .value, score: 1)
    }
    #expect(DocumentSensitivity.level(of: []) == nil)
    #expect(DocumentSensitivity.level(of: [field([.dateOfBirth])]) == .low)
    #expect(DocumentSensitivity.level(of: [field([.dateOfBirth]), field([.gender]), field([.address])]) == .high)
    #expect(
      DocumentSensitivity.level(of: [field([.usSSN]), field([.personName]), field([.dateOfBirth])]) == .critical)
  }

  @Test func resultJSONFollowsTheContract() {
    let findings = DocumentFindings(
      fields: [
        FieldFinding(path: FieldPath([.key("a b"), .anyElement]), types: [.email], source: .both, score: 0.974)
      ],
      sensitivity: .medium)
    #expect(
      findings.json
        == #"{"fields":[{"path":"$['a b'][*]","types":["email"],"sensitivity":"medium","source":"both","score":0.97}],"sensitivity":"medium"}"#
    )
    #expect(DocumentFindings(fields: [], sensitivity: nil).json == #"{"fields":[],"sensitivity":"none"}"#)
  }

  @Test func batchRequestsSplitIntoDocuments() throws {
    let batch = try DetectRequest.documents(in: Array(#"{"documents":[{"a":1},"x",[1,2]]}"#.utf8))
    #expect(batch.count == 3)
    #expect(batch[0].first?.path.description == "$.a")
    let single = try DetectRequest.documents(in: Array(#"{"documents":[1],"other":2}"#.utf8))
    #expect(single.count == 1)
    #expect(try DetectRequest.documents(in: Array(#"{"documents":[]}"#.utf8)).isEmpty)
    #expect(throws: JSONLeafError.self) { try DetectRequest.documents(in: Array(#"{"documents":[1,}"#.utf8)) }
  }

  @Test(arguments: [
    "Jane Doe", " leading", "trailing ", "a  b", "", " ", "one", "a b c d e f g h i j k l",
    "Zoë Ünal-Straße", "x y\tz", "1 2 3 4 5 6 7 8 9 10",
  ])
  func valueWordsSplitLikeTheStandardLibrary(text: String) {
    var ranges = ReusableList<Range<Int>>()
    var value = text
    value.withUTF8 { Detector.wordRanges(of: $0, into: &ranges) }
    let bytes = Array(text.utf8)
    #expect(ranges.map { Array(bytes[$0]) } == text.split(separator: " ", maxSplits: 8).map { Array($0.utf8) })
  }

  @Test func siblingsGroupLeavesOfAnObjectWhateverTheirContainerIDs() {
    // Leaves built by hand, through the table the detector reads: it keeps their container ids.
    func siblings(_ containers: [Int32]) -> Siblings {
      let leaves = containers.enumerated().map { index, container in
        JSONLeaf(path: FieldPath([.key("k\(index)")]), value: .string("v"), container: container)
      }
      return Siblings(containers: JSONLeafTable(leaves).leaves.map(\.container))
    }
    func first(in index: Int, of siblings: Siblings) -> [Int32] { siblings.positions(in: index).map(siblings.member) }
    // The parser numbers objects densely; leaves built by hand may use any ids.
    let dense = siblings([0, 1, 1, 2, 1, 0])
    let sparse = siblings([-7, 1_000_000, 1_000_000, 42, 1_000_000, -7])
    for index in 0..<6 {
      #expect(first(in: index, of: dense) == first(in: index, of: sparse))
    }
    #expect(first(in: 1, of: dense) == [1, 2, 4])
    #expect(first(in: 5, of: dense) == [0, 5])
    // At most the first `limit` leaves of an object.
    let crowded = siblings([Int32](repeating: 3, count: 40))
    #expect(first(in: 39, of: crowded) == (0..<Int32(Siblings.limit)).map { $0 })
  }
}
