import Testing

@testable import Detection

/// The candidate rules' bookkeeping (a field's candidates and prose types, kept without allocating
/// for the common field) and the conditions the rules check before calling a validator.
@Suite struct CandidateRulesTests {
  @Test func candidatesKeepTheOrderOfTheirFirstProposalOnePerType() {
    var list = CandidateList()
    #expect(list.isEmpty)
    list.propose(.phone, proven: false, named: true)
    list.propose(.dateOfBirth, proven: false, named: false)
    list.propose(.phone, proven: true, named: false)
    list.propose(.ipAddress, proven: true, named: false)
    list.propose(.dateOfBirth, proven: false, named: true)
    #expect(list.count == 3)
    #expect(list.map(\.type) == [.phone, .dateOfBirth, .ipAddress])
    // Proven once is proven; named is what the first proposal said.
    #expect(list.map(\.valueProven) == [true, false, true])
    #expect(list.map(\.keyNamed) == [true, false, false])
  }

  @Test func removingCandidatesKeepsTheOthersInOrder() {
    var list = CandidateList()
    for type in [DataType.phone, .nationalID, .dateOfBirth, .macAddress] {
      list.propose(type, proven: false, named: false)
    }
    list.removeAll { $0.type == .phone || $0.type == .macAddress }
    #expect(list.map(\.type) == [.nationalID, .dateOfBirth])
    list.removeAll { _ in true }
    #expect(list.isEmpty && list.count == 0)
  }

  @Test func foundTypesAreTheSetOfWhatWasAdded() {
    var found = FoundTypes()
    #expect(found.isEmpty && found.set.isEmpty)
    found.add(.iban)
    #expect(found.set == [.iban])
    found.add(.email)
    found.add(.iban)
    #expect(!found.isEmpty)
    #expect(found.set == [.email, .iban])
    #expect(Set(found) == [.email, .iban])
  }

  /// The rules skip a validator when the value's counts rule it out; each case is a value the
  /// guard turns away, which the validator must refuse too.
  @Test func validatorsRefuseWhatTheGuardsTurnAway() {
    // A bare run of digits is no formatted phone number.
    #expect(!Validators.isPhoneNumber("5551234567"))
    #expect(!Validators.isPhoneNumber("00441234567890"))
    // A masked card number has three masks at least.
    #expect(!Validators.isMaskedCardNumber("4111-11-1111"))
    #expect(Validators.isMaskedCardNumber("411111******1111"))
    // An IPv6 address has `::` or six colons at least, and only hex digits, `:` and `.`.
    #expect(!CandidateRules.mayBeIPv6("12:30:45") && !Validators.isIPv6("12:30:45"))
    #expect(CandidateRules.mayBeIPv6("fe80::1%eth0") && Validators.isIPv6("fe80::1%eth0"))
    // A date has one of the shapes `parseDate` reads.
    #expect(!CandidateRules.mayBeDate("2024 05 01") && Validators.parseDate("2024 05 01") == nil)
    #expect(CandidateRules.mayBeDate("23.04.1990") && Validators.parseDate("23.04.1990") != nil)
  }

  @Test(arguments: [
    ("John Smith", true), ("Anna Müller", true), ("Grand Hotel", false), ("Müller GmbH", false), ("JOHN", true),
    ("john smith", false),
  ])
  func personNamesAreNameShapedWithoutOrganisationWords(_ text: String, _ expected: Bool) {
    #expect(CandidateRules.isPersonNameShaped(text) == expected)
  }

  @Test(arguments: ["TRUE", "n/a", "[Redacted]", "****", "xxXX"])
  func placeholdersAreNoPasswords(_ text: String) {
    #expect(CandidateRules.isPlaceholder(text))
  }

  @Test(arguments: ["hunter2", "truest", "K\u{212A}"])
  func otherValuesAreNoPlaceholders(_ text: String) {
    #expect(!CandidateRules.isPlaceholder(text))
  }

  /// The whole part settles the usual decimals; every other form, and a whole part of 180, is left
  /// to `Double`: the answer is `Double`'s either way.
  @Test(arguments: [
    "52.52", "-73.9857", "05.5", "179.99999999999999999999", "180.0", "180.00000000000000000001", "-180.5", "181.2",
    "-0.0", ".5", "5.", "+5.5", "--5.5", "5.5.5", "1e2", "1234.5", "-", "180", " 5.5", "0.0001",
  ])
  func coordinatesAreWithinDegreesAsDoubleSays(_ text: String) {
    let expected = Double(text).map { abs($0) <= 180 } ?? false
    #expect(CandidateRules.isWithinDegrees(text) == expected)
  }

  /// Latin words beyond ASCII are lower-cased by table; the roles are those of the lower-cased
  /// `String` (which compares canonically, so `cafe` with a combining accent is `café`).
  @Test(arguments: [
    "Straße", "STRAßE", "CAFÉ", "cafe\u{301}", "Allée", "Teléfono", "CONTRASEÑA", "Grüße", "CZEŚĆ", "Müller", "José",
    "\u{130}lker", "K\u{212A}", "STRA\u{1E9E}E", "Łukasz", "Σίσυφος",
  ])
  func latinWordsHaveTheRolesOfTheirLowerCase(_ word: String) {
    var utf8 = word
    let roles = utf8.withUTF8 { ProseVocabulary.shared.roles(ofUTF8: $0) }
    #expect(roles == WordRoles.of(lowercased: word.lowercased()))
  }

  @Test(arguments: [("Straße", true), ("ALLÉE", true), ("Straße.", true), ("alle\u{301}e", true), ("Müller", false)])
  func streetWordsBeyondASCIIAreFound(_ word: String, _ expected: Bool) {
    var word = word
    #expect(word.withUTF8 { StreetVocabulary.isStreetWord(utf8: $0) } == expected)
  }

  @Test func secretChecksCountEachByteClassOnce() {
    var text = "aB3 -\u{E9}\t\u{1}\u{7F}"
    let classes = text.withUTF8 { Validators.ByteClasses($0) }
    #expect(classes.whitespace == 2 && classes.controls == 2)
    #expect(classes.digits == 1 && classes.letters == 2 && classes.others == 3)
    // Under a secret key: random-looking, or letters and digits in plenty with some entropy.
    #expect(CandidateRules.isSecretUnderSecretKey("q8Zr2LmX9vT4kP1sW7nB3cY6hJ0dF5gA"))
    #expect(!CandidateRules.isSecretUnderSecretKey("q8Zr2LmX 9vT4kP1sW7nB3cY6hJ0dF5gA"))
    #expect(!CandidateRules.isSecretUnderSecretKey("aaaaaaaaaaaaaaaa"))
  }
}
