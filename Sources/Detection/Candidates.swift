/// A type a field may hold, and what points to it: a validator that proved the value, a key that
/// names the type, or both. Rules propose candidates generously; the classifier keeps the right ones.
struct Candidate: Sendable, Hashable {
  var type: DataType
  /// A validator proved the value has the type's form (Luhn, mod-97, JWT structure…).
  var valueProven: Bool
  /// The key (or its parent) names the type with no modifier.
  var keyNamed: Bool
}

/// Everything known of one leaf while it is judged.
struct FieldEvidence {
  var text: String
  var isNumber: Bool
  var profile: ValueProfile
  /// Not retained: whoever makes the evidence keeps its context alive while the evidence is used
  /// (a document's contexts, `DocumentKeyContexts`, outlive its walk), and counting a reference a
  /// field costs an atomic operation a field.
  var keys: KeyContext.Summary
  /// The type the key names, if any (`KeyContext.named`).
  let named: DataType?
  var candidates = CandidateList()
  /// Types found inside prose, proven by validators word by word.
  var proseTypes = FoundTypes()

  init(text: String, isNumber: Bool, profile: ValueProfile, keys: KeyContext.Summary) {
    self.text = text
    self.isNumber = isNumber
    self.profile = profile
    self.keys = keys
    self.named = keys.named
  }

  mutating func propose(_ type: DataType, proven: Bool) {
    candidates.propose(type, proven: proven, named: named == type)
  }
}

/// The candidates of one field, in the order they were first proposed, one per type. About two
/// thirds of fields have none and almost all others one: the first is kept inline, and only a
/// field with two or more allocates.
struct CandidateList: Sequence {
  private var first: Candidate?
  /// The candidates after the first; nil until there is a second, so that a field with one
  /// candidate or none holds no array (nor releases one).
  private var rest: [Candidate]?

  var isEmpty: Bool { first == nil }
  var count: Int { first == nil ? 0 : 1 + (rest?.count ?? 0) }

  /// Adds a candidate of the type, or marks the type's candidate proven when `proven`. `named` is
  /// kept from the first proposal.
  mutating func propose(_ type: DataType, proven: Bool, named: Bool) {
    guard let existing = first else {
      first = Candidate(type: type, valueProven: proven, keyNamed: named)
      return
    }
    if existing.type == type {
      first?.valueProven = existing.valueProven || proven
    } else if let index = rest?.firstIndex(where: { $0.type == type }) {
      if proven { rest?[index].valueProven = true }
    } else {
      rest = (rest ?? []) + [Candidate(type: type, valueProven: proven, keyNamed: named)]
    }
  }

  /// Removes the candidates `shouldBeRemoved` accepts, keeping the order of the others.
  mutating func removeAll(where shouldBeRemoved: (Candidate) -> Bool) {
    guard contains(where: shouldBeRemoved) else { return }
    let kept = filter { !shouldBeRemoved($0) }
    first = kept.first
    rest = kept.count > 1 ? Array(kept.dropFirst()) : nil
  }

  func makeIterator() -> Iterator { Iterator(list: self) }

  struct Iterator: IteratorProtocol {
    let list: CandidateList
    /// 0 for the first candidate, `n` for `rest[n - 1]`.
    var position = 0

    mutating func next() -> Candidate? {
      defer { position += 1 }
      if position == 0 { return list.first }
      guard let rest = list.rest, position <= rest.count else { return nil }
      return rest[position - 1]
    }
  }
}

enum CandidateRules {
  static let genderValues: Set<String> = NameDictionary.words(
    """
    m f male female man woman men women other nonbinary non-binary x u unknown diverse d w divers
    mannlich männlich weiblich homme femme masculin feminin masculino femenino maschio femmina
    mezczyzna mężczyzna kobieta vrouw trans agender genderqueer unspecified undisclosed
    prefer_not_to_say prefer-not-to-say not_specified notspecified nb
    """)

  static func propose(into field: inout FieldEvidence, referenceYear: Int, keyCache: KeyContextCache) {
    let text = field.text
    let profile = field.profile
    // The type the key names, if any (a key names at most one).
    let named = field.named
    guard profile.length > 0, profile.length <= 65_536 else { return }

    // Proven by the value alone.
    if profile.hasAt {
      if Validators.isEmail(text) { field.propose(.email, proven: true) }
      if profile.hasColon, Validators.isURLWithCredentials(text) { field.propose(.urlWithCredentials, proven: true) }
    }
    // The first byte, which the rules for values of 10 bytes or more look at.
    let first = profile.length >= 10 ? text.utf8.first ?? 0 : 0
    if profile.length >= 20, first == UInt8(ascii: "e") || first == UInt8(ascii: "B") || first == UInt8(ascii: "b"),
      text.utf8.starts(with: "eyJ".utf8) || text.utf8.starts(with: "Bearer ".utf8)
        || text.utf8.starts(with: "bearer ".utf8),
      let jwt = bearerStripped(text), Validators.isJWT(jwt)
    {
      field.propose(.jwt, proven: true)
    }
    if profile.length >= 10, first == UInt8(ascii: "B"), text.utf8.starts(with: "Basic ".utf8),
      BasicCredentials.isBasicCredentials(text)
    {
      field.propose(.basicAuthCredentials, proven: true)
    }
    if profile.length == 20, profile.upper >= 4, Validators.isAWSAccessKeyID(text) {
      field.propose(.awsAccessKey, proven: true)
    }
    if profile.hasDash, profile.length >= 60, Validators.isPEMPrivateKey(text) {
      field.propose(.privateKey, proven: true)
    }
    if profile.length >= 20, profile.spaces == 0, Validators.vendorAPIKey(text) != nil {
      field.propose(.apiKey, proven: true)
    }
    if (12...19).contains(profile.digits), profile.letters == 0, Validators.isCardNumber(text) {
      field.propose(.cardNumber, proven: true)
    }
    // A masked number has three masks at least: `*`, or letters (`x`, `X`, `•`).
    if profile.digits >= 2, profile.digits <= 10, profile.length >= 8, profile.length <= 23,
      profile.hasMaskCharacter || profile.letters >= 3, Validators.isMaskedCardNumber(text)
    {
      field.propose(.maskedCardNumber, proven: true)
    }
    if profile.upper >= 2, profile.digits >= 10, profile.length >= 15, profile.length <= 42, Validators.isIBAN(text) {
      field.propose(.iban, proven: true)
    }
    if profile.digits == 9, profile.letters == 0, profile.length <= 11, Validators.isUSSSN(text) {
      if profile.length == 11 {
        field.propose(.usSSN, proven: true)
      } else if named == .usSSN || named == .nationalID || named == .taxID {
        field.propose(.usSSN, proven: false)
      }
    }
    if profile.digits >= 7, profile.letters == 0, profile.length <= 32 {
      // A bare run of digits is no formatted number (nor E.164, which starts with `+`).
      if profile.digits < profile.length, Validators.isPhoneNumber(text),
        named == .phone || !endsInShortDashedGroup(text)
      {
        field.propose(.phone, proven: true)
      } else if named == .phone, profile.digits <= 15, isPhoneLike(text) {
        field.propose(.phone, proven: false)
      }
    }
    if profile.letters == 0 || profile.hasColon {
      if profile.hasDot, profile.digits >= 4, profile.length <= 15, Validators.isIPv4(text) {
        field.propose(.ipAddress, proven: true)
      } else if profile.hasColon, profile.length >= 2, profile.length <= 45 {
        if Validators.isMACAddress(text) {
          field.propose(.macAddress, proven: true)
        } else if mayBeIPv6(text), Validators.isIPv6(text) {
          field.propose(.ipAddress, proven: true)
        }
      }
    }
    if profile.length == 14 || profile.length == 17, profile.letters <= 12, Validators.isMACAddress(text) {
      field.propose(.macAddress, proven: true)
    } else if profile.length == 12, named == .macAddress, Validators.isMACAddress(text) {
      field.propose(.macAddress, proven: true)
    }
    if profile.hasComma || profile.spaces > 0, profile.digits >= 2, profile.letters == 0, profile.length <= 48,
      Validators.isGeoCoordinatePair(text)
    {
      field.propose(.geoCoordinates, proven: true)
    }
    if profile.length >= 20, first == UInt8(ascii: "%") || first == UInt8(ascii: ";"),
      isTrackData(text)
    {
      field.propose(.cardTrackData, proven: true)
    }
    if profile.digits == 15, profile.letters == 0, Validators.isIMEI(text),
      named == .imei || !Validators.isCardNumber(text)
    {
      field.propose(.imei, proven: named == .imei)
    }
    if profile.digits >= 4, profile.length >= 8, profile.length <= 30, mayBeDate(text),
      Validators.isPlausibleBirthDate(text, referenceYear: referenceYear)
    {
      field.propose(.dateOfBirth, proven: false)
    }
    if profile.length >= 26, mayStartWallet(first), let wallet = cryptoWalletShape(text, profile: profile) {
      if wallet || named == .cryptoWallet { field.propose(.cryptoWallet, proven: wallet) }
    }

    // Named by the key, with a value of a compatible form.
    if let named { proposeNamed(named, into: &field, referenceYear: referenceYear) }

    // A key that names an identifier says what a value of a phone's, a MAC's or a date's shape is.
    if let named, isIdentifierType(named) {
      field.candidates.removeAll { candidate in !candidate.keyNamed && isOutweighedByIdentifierKey(candidate.type) }
    }

    // Prose: validators word by word.
    if !field.isNumber, FreeText.isProse(profile) {
      field.proseTypes = FreeText.foundTypes(in: text, referenceYear: referenceYear)
    } else if profile.length >= 8, profile.spaces == 0, profile.hasQuestionMark,
      let query = FormFields.query(of: text)
    {
      for pair in query.prefix(64) {
        let sub = keyCache.context(lastKey: pair.key, parentKey: nil)
        withExtendedLifetime(sub) {
          var nested = FieldEvidence(
            text: pair.value, isNumber: false, profile: ValueProfile(pair.value, isNumber: false),
            keys: sub.summary)
          propose(into: &nested, referenceYear: referenceYear, keyCache: keyCache)
          for candidate in nested.candidates where candidate.valueProven || candidate.keyNamed {
            field.proseTypes.add(candidate.type)
          }
        }
      }
    }
  }

  static func proposeNamed(_ type: DataType, into field: inout FieldEvidence, referenceYear: Int) {
    let text = field.text
    let profile = field.profile
    let alphanumericOnly = profile.length == profile.letters + profile.digits
    switch type {
    case .personName:
      if profile.letters >= 2, profile.digits == 0, profile.length <= 80, profile.words <= 6, !profile.hasAt,
        isPersonNameShaped(text)
      {
        field.propose(.personName, proven: false)
      }
    case .address:
      if profile.letters >= 3, profile.length >= 5, profile.length <= 300, !profile.hasAt, profile.words >= 2 {
        field.propose(.address, proven: false)
      }
    case .gender:
      if profile.length <= 24, genderValues.contains(text.lowercased()) || (field.isNumber && profile.length == 1) {
        field.propose(.gender, proven: false)
      }
    case .username:
      if profile.length >= 2, profile.length <= 64, profile.spaces == 0, profile.letters >= 1 {
        field.propose(.username, proven: false)
      }
    case .passportNumber:
      if (6...12).contains(profile.length), alphanumericOnly, profile.digits >= 2 {
        field.propose(.passportNumber, proven: false)
      }
    case .driversLicense:
      let separated = text.utf8.allSatisfy {
        $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "-") || $0 == 0x20 || $0 == UInt8(ascii: "/")
      }
      if (5...24).contains(profile.length), profile.digits >= 2, separated {
        field.propose(.driversLicense, proven: false)
      }
    case .password:
      if (4...128).contains(profile.length), !isPlaceholder(text) {
        field.propose(.password, proven: false)
      }
    case .apiKey, .jwt:
      if isSecretUnderSecretKey(bearerStripped(text) ?? text[...]) { field.propose(.apiKey, proven: false) }
    case .privateKey:
      if Validators.looksLikeSecret(text), profile.length >= 32 { field.propose(.apiKey, proven: false) }
    case .cardNumber:
      if (12...19).contains(profile.digits), profile.letters == 0, Validators.isCardNumber(text) {
        field.propose(.cardNumber, proven: true)
      }
    case .cardExpiration:
      if profile.length >= 4, profile.length <= 10, Validators.isCardExpiration(text) || isYearMonth(text) {
        field.propose(.cardExpiration, proven: false)
      }
    case .cardCVV:
      if Validators.isCVV(text) { field.propose(.cardCVV, proven: false) }
    case .geoCoordinates:
      if profile.letters == 0, profile.digits >= 1, profile.hasDot, isWithinDegrees(text) {
        field.propose(.geoCoordinates, proven: false)
      }
    case .swiftBIC:
      if Validators.isSwiftBIC(text) { field.propose(.swiftBIC, proven: true) }
    case .abaRoutingNumber:
      if Validators.isABARoutingNumber(text) { field.propose(.abaRoutingNumber, proven: true) }
    case .taxID, .nationalID, .bankAccount, .medicalRecordNumber, .healthInsuranceID:
      if (5...34).contains(profile.length), profile.digits >= 4, profile.spaces <= 4, !profile.hasAt {
        field.propose(type, proven: false)
      }
    case .diagnosisCode:
      if isICD10(text) { field.propose(.diagnosisCode, proven: true) }
    case .age:
      if profile.digits >= 1, profile.digits <= 3, profile.letters == 0, let age = Int(text), (0...120).contains(age) {
        field.propose(.age, proven: false)
      }
    case .imei:
      if Validators.isIMEI(text) { field.propose(.imei, proven: true) }
    case .usSSN:
      if Validators.isUSSSN(text) { field.propose(.usSSN, proven: profile.length == 11) }
    case .iban:
      if Validators.isIBAN(text) { field.propose(.iban, proven: true) }
    case .phone:
      if profile.digits >= 7, profile.digits <= 15, isPhoneLike(text) { field.propose(.phone, proven: false) }
    case .dateOfBirth:
      if Validators.isPlausibleBirthDate(text, referenceYear: referenceYear) {
        field.propose(.dateOfBirth, proven: false)
      }
    case .email, .ipAddress, .macAddress, .maskedCardNumber, .awsAccessKey, .cryptoWallet, .cardTrackData,
      .basicAuthCredentials, .urlWithCredentials:
      // Only a validator proves these; the key adds its weight through the classifier.
      break
    }
  }

  /// Identifier types whose key outweighs a value's resemblance to a phone, MAC, date or address.
  static func isIdentifierType(_ type: DataType) -> Bool {
    switch type {
    case .taxID, .nationalID, .bankAccount, .healthInsuranceID, .medicalRecordNumber, .passportNumber,
      .driversLicense, .usSSN, .abaRoutingNumber, .iban, .cardNumber:
      true
    default: false
    }
  }

  /// Types whose value shapes an identifier's key outweighs.
  static func isOutweighedByIdentifierKey(_ type: DataType) -> Bool {
    switch type {
    case .phone, .macAddress, .dateOfBirth, .ipAddress, .imei, .geoCoordinates: true
    default: false
    }
  }

  /// A person's name as records write it: 1–5 words, each capitalised or all in capitals, of
  /// letters (and inner `-`, `'`, `.`), none of them an organisation's word (`Hotel`, `GmbH`).
  static func isPersonNameShaped(_ text: String) -> Bool {
    guard ValueProfile.isNameShaped(text) else { return false }
    // A name-shaped value is 1–5 words between single spaces: its words are the runs between spaces.
    let vocabulary = ProseVocabulary.shared
    return Validators.withUTF8(of: text, atMost: Int.max, orElse: false) { bytes in
      var start = 0
      for end in 0...bytes.count where end == bytes.count || bytes[end] == 0x20 {
        let word = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if word.count >= 2, vocabulary.roles(ofUTF8: word).contains(.organisation) { return false }
        start = end + 1
      }
      return true
    }
  }

  /// A secret under a key that names one: 16–512 characters without spaces, letters or digits
  /// in plenty, and random-looking (hex digests count here: under `api_secret` one is a secret).
  static func isSecretUnderSecretKey(_ text: Substring) -> Bool {
    Validators.withUTF8(of: text, atMost: 512, orElse: false) { bytes in
      guard bytes.count >= 16 else { return false }
      let classes = Validators.ByteClasses(bytes)
      guard classes.whitespace == 0 else { return false }
      if Validators.looksLikeSecret(bytes: bytes, classes: classes) { return true }
      guard (classes.letters + classes.digits) * 4 >= bytes.count * 3, classes.digits > 0 else { return false }
      return Validators.shannonEntropy(bytes: bytes) >= 3.0
    }
  }

  /// `YYYY-MM` or `YYYY/MM` with a year from 2000: how some APIs write a card's expiry.
  static func isYearMonth(_ text: String) -> Bool {
    Validators.withUTF8(of: text, atMost: 7, orElse: false) { bytes in
      guard bytes.count == 7, bytes[4] == UInt8(ascii: "-") || bytes[4] == UInt8(ascii: "/"),
        let year = Validators.number(bytes[0..<4]), (2000...2099).contains(year),
        let month = Validators.number(bytes[5..<7]), (1...12).contains(month)
      else { return false }
      return true
    }
  }

  /// Whether the value is a number at most 180 in magnitude: `Double(text)` and `abs(value) <= 180`.
  /// A decimal of the usual form (`-73.9857`) is settled by its whole part alone, without `Double`.
  static func isWithinDegrees(_ text: String) -> Bool {
    if let within = Validators.withUTF8(of: text, atMost: 64, orElse: nil, wholePartWithinDegrees) { return within }
    guard let value = Double(text) else { return false }
    return abs(value) <= 180
  }

  /// For a decimal `-?D.D+` with 1–3 digits before the dot: true when its whole part is under 180
  /// (the value, rounded to a `Double`, is then at most 180), false when over 180. Nil for any other
  /// form, and for a whole part of 180, where the fraction decides.
  static func wholePartWithinDegrees(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
    var index = bytes.first == UInt8(ascii: "-") ? 1 : 0
    let wholeStart = index
    var whole = 0
    while index < bytes.count, bytes[index].isASCIIDigit, index - wholeStart < 3 {
      whole = whole * 10 + bytes[index].digitValue
      index += 1
    }
    guard index > wholeStart, index < bytes.count, bytes[index] == UInt8(ascii: "."), index + 1 < bytes.count,
      whole != 180
    else { return nil }
    for byte in bytes[(index + 1)...] where !byte.isASCIIDigit { return nil }
    return whole < 180
  }

  /// Whether the value may be an IPv6 address: see `FreeText.mayBeIPv6`.
  static func mayBeIPv6(_ text: String) -> Bool {
    Validators.withUTF8(of: text, atMost: 128, orElse: false) { FreeText.mayBeIPv6($0) }
  }

  /// Whether 8 bytes or more have a shape `Validators.parseDate` reads: see `FreeText.mayBeDate`.
  static func mayBeDate(_ text: String) -> Bool {
    Validators.withUTF8(of: text, atMost: 40, orElse: false) { $0.count >= 8 && FreeText.mayBeDate($0) }
  }

  /// Whether a value starting with `byte` may have a wallet's form: `0x`, `bc1`, `1` or `3`.
  static func mayStartWallet(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "0") || byte == UInt8(ascii: "b") || byte == UInt8(ascii: "1") || byte == UInt8(ascii: "3")
  }

  /// Dashed digit groups ending in one of 1–2 digits (`76309-5886-21`, a drug code): phone
  /// numbers written with dashes end in 3 or 4.
  static func endsInShortDashedGroup(_ text: String) -> Bool {
    guard text.utf8.contains(UInt8(ascii: "-")), text.utf8.first != UInt8(ascii: "+") else { return false }
    let last = text.utf8.reversed().prefix { $0.isASCIIDigit }.count
    return last <= 2
  }

  /// The token after `Bearer ` (or the whole value).
  static func bearerStripped(_ text: String) -> Substring? {
    if text.utf8.starts(with: "Bearer ".utf8) || text.utf8.starts(with: "bearer ".utf8) {
      return text[text.utf8.index(text.utf8.startIndex, offsetBy: 7)...]
    }
    return text[...]
  }

  static func isPhoneLike(_ text: String) -> Bool {
    text.utf8.allSatisfy {
      $0.isASCIIDigit || $0 == 0x20 || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "(")
        || $0 == UInt8(ascii: ")") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "/")
    }
  }

  /// The words that stand in for a value that is not there, lower case.
  static let placeholders: [String] = [
    "true", "false", "null", "none", "undefined", "redacted", "[redacted]", "<redacted>", "hidden", "n/a",
  ]

  static func isPlaceholder(_ text: String) -> Bool {
    if text.utf8.allSatisfy({ $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "x") || $0 == UInt8(ascii: "X") }) {
      return true
    }
    // A placeholder is at most 10 bytes, and its lower case as long as its upper case, but for a
    // character beyond ASCII (`K`, the Kelvin sign, lower-cases to `k`): those take the `String` path.
    let utf8 = text.utf8
    if utf8.count > 10, utf8.allSatisfy({ $0 < 0x80 }) { return false }
    return placeholders.contains(text.lowercased())
  }

  /// ICD-10: a letter, two digits (the second may be a letter for a few chapters), then optionally
  /// a dot and 1–4 letters or digits: `E11.9`, `J45`, `S72.001A`.
  static func isICD10(_ text: String) -> Bool {
    Validators.withUTF8(of: text, atMost: 8, orElse: false) { bytes in
      guard bytes.count >= 3, bytes[0].isASCIIUpper, bytes[1].isASCIIDigit,
        bytes[2].isASCIIDigit || bytes[2].isASCIIUpper
      else { return false }
      if bytes.count == 3 { return true }
      guard bytes[3] == UInt8(ascii: "."), bytes.count >= 5 else {
        return bytes.count <= 7 && bytes[3...].allSatisfy(\.isASCIIAlphanumeric)
      }
      return bytes[4...].allSatisfy { $0.isASCIIDigit || $0.isASCIIUpper }
    }
  }

  /// Magnetic stripe track 1 (`%B<pan>^NAME^YYMM…?`) or track 2 (`;<pan>=YYMM…?`).
  static func isTrackData(_ text: String) -> Bool {
    Validators.withUTF8(of: text, atMost: Int.max, orElse: false) { isTrackData(bytes: $0.prefix(120)) }
  }

  /// ``isTrackData(_:)`` of the value's first 120 bytes.
  static func isTrackData(bytes: ByteSlice) -> Bool {
    if bytes.starts(with: "%B".utf8) {
      let pan = bytes.dropFirst(2).prefix { $0.isASCIIDigit }
      return (12...19).contains(pan.count) && bytes.dropFirst(2 + pan.count).first == UInt8(ascii: "^")
        && Validators.isLuhnValid(digits: pan)
    }
    if bytes.first == UInt8(ascii: ";") {
      let pan = bytes.dropFirst().prefix { $0.isASCIIDigit }
      return (12...19).contains(pan.count) && bytes.dropFirst(1 + pan.count).first == UInt8(ascii: "=")
        && Validators.isLuhnValid(digits: pan)
    }
    return false
  }

  /// Whether the value has a wallet address's form: true for forms nothing else has (`bc1…`
  /// bech32, base58 starting `1`/`3` with mixed case and digits), false for `0x` + 40 hex
  /// (an Ethereum account, but also a contract or any 160-bit id), nil for neither.
  static func cryptoWalletShape(_ text: String, profile: ValueProfile) -> Bool? {
    guard profile.spaces == 0, profile.length >= 26, profile.length <= 90 else { return nil }
    return Validators.withUTF8(of: text, atMost: 90, orElse: nil) { cryptoWalletShape(bytes: $0, profile: profile) }
  }

  /// ``cryptoWalletShape(_:profile:)`` of the value's 26–90 bytes.
  static func cryptoWalletShape(bytes: UnsafeBufferPointer<UInt8>, profile: ValueProfile) -> Bool? {
    if bytes.starts(with: "0x".utf8), bytes.count == 42, bytes.dropFirst(2).allSatisfy(\.isASCIIHexDigit) {
      return false
    }
    if bytes.starts(with: "bc1".utf8), (42...62).contains(bytes.count),
      bytes.dropFirst(3).allSatisfy({ $0.isASCIIDigit || $0.isASCIILower }),
      !bytes.dropFirst(3).contains(where: {
        $0 == UInt8(ascii: "b") || $0 == UInt8(ascii: "i") || $0 == UInt8(ascii: "o") || $0 == UInt8(ascii: "1")
      })
    {
      return true
    }
    if bytes[0] == UInt8(ascii: "1") || bytes[0] == UInt8(ascii: "3"), (26...35).contains(bytes.count),
      profile.upper >= 3, profile.lower >= 3, bytes.allSatisfy(isBase58)
    {
      return true
    }
    return nil
  }

  static func isBase58(_ byte: UInt8) -> Bool {
    byte.isASCIIAlphanumeric && byte != UInt8(ascii: "0") && byte != UInt8(ascii: "O") && byte != UInt8(ascii: "I")
      && byte != UInt8(ascii: "l")
  }
}

/// `Basic <base64(user:password)>`, the HTTP basic scheme's credentials.
enum BasicCredentials {
  static func isBasicCredentials(_ text: String) -> Bool {
    // `Basic ` and at most 512 bytes of base64.
    Validators.withUTF8(of: text, atMost: 518, orElse: false) { bytes in
      let encoded = bytes.dropFirst(6)
      guard (4...512).contains(encoded.count), encoded.count % 4 == 0 else { return false }
      guard let decoded = Base64.decode(digits: encoded) else { return false }
      guard let colon = decoded.firstIndex(of: UInt8(ascii: ":")), colon > 0, colon < decoded.count - 1 else {
        return false
      }
      return decoded.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }
  }
}
