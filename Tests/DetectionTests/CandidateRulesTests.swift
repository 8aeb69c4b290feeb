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
}
