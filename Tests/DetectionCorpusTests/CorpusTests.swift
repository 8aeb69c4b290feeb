@_spi(Training) import Detection
import Testing

@testable import DetectionCorpus

/// A generated sample, parsed once and shared by the tests that only read it.
struct ParsedDocument {
  var document: LabelledDocument
  var family: String
  var leaves: [JSONLeaf]
  /// For a form-urlencoded root string: its decoded keys and values.
  var form: [(key: String, value: String)]?
  var byteCount: Int { document.json.utf8.count }
}

enum Sample {
  static let size = 2000

  static func make(_ split: CorpusSplit, seed: UInt64 = 42) -> [ParsedDocument] {
    var generator = CorpusGenerator(split: split, seed: seed)
    return (0..<size).map { _ in
      let (document, family) = generator.nextTagged()
      let leaves = (try? JSONLeaves.of(Array(document.json.utf8))) ?? []
      var form: [(key: String, value: String)]?
      if leaves.count == 1, leaves[0].path == .root, case .string(let text) = leaves[0].value {
        form = decodeForm(text)
      }
      return ParsedDocument(document: document, family: family, leaves: leaves, form: form)
    }
  }

  static let train = make(.train)
  static let heldOut = make(.heldOut)
  static func of(_ split: CorpusSplit) -> [ParsedDocument] { split == .train ? train : heldOut }

  static func decodeForm(_ text: String) -> [(key: String, value: String)] {
    text.split(separator: "&").map { pair in
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      return (percentDecoded(parts[0]), parts.count > 1 ? percentDecoded(parts[1]) : "")
    }
  }

  static func percentDecoded(_ text: Substring) -> String {
    var bytes: [UInt8] = []
    var iterator = Array(text.utf8).makeIterator()
    while let byte = iterator.next() {
      if byte == UInt8(ascii: "+") {
        bytes.append(0x20)
      } else if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
        let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
      {
        bytes.append(value)
      } else {
        bytes.append(byte)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Every (value text, types) pair the labels give, form fields included; unlabelled leaves too.
  static func labelledValues(_ parsed: ParsedDocument) -> [(text: String, types: Set<DataType>)] {
    if let form = parsed.form {
      return form.compactMap { field in
        let types = parsed.document.labels[FieldPath([.key(field.key)]).description] ?? []
        return (field.value, types)
      }
    }
    return parsed.leaves.compactMap { leaf in
      guard let text = leaf.value.text else { return nil }
      return (text, parsed.document.labels[leaf.path.description] ?? [])
    }
  }
}

@Suite struct CorpusTests {
  @Test func splitsAreNamed() { #expect(CorpusSplit.heldOut.rawValue == "held-out") }

  @Test func sameSeedGivesTheSameDocumentsAndOtherSeedsDiffer() {
    let first = CorpusGenerator.documents(split: .train, count: 300, seed: 7)
    let again = CorpusGenerator.documents(split: .train, count: 300, seed: 7)
    let other = CorpusGenerator.documents(split: .train, count: 300, seed: 8)
    let heldOut = CorpusGenerator.documents(split: .heldOut, count: 300, seed: 7)
    #expect(first == again)
    #expect(first.count == 300)
    #expect(zip(first, other).filter { $0.0.json == $0.1.json }.count < 3)
    #expect(zip(first, heldOut).filter { $0.0.json == $0.1.json }.count < 3)
    var generator = CorpusGenerator(split: .train, seed: 7)
    #expect((0..<300).map { _ in generator.next() } == first)
  }

  /// Pins the byte stream so a change to the generator (or to a platform's arithmetic) is noticed.
  @Test func randomStreamIsFixed() {
    var random = CorpusRandom(seed: 1)
    let values = (0..<3).map { _ in random.next() }
    var again = CorpusRandom(seed: 1)
    #expect(values == (0..<3).map { _ in again.next() })
    #expect(Set(values).count == 3)
    #expect(Base64.encode("user:pass") == "dXNlcjpwYXNz")
    #expect(Base64.encode("ab", url: true) == "YWI")
  }

  @Test(arguments: CorpusSplit.allCases) func everyDocumentIsJSONAndEveryLabelIsALeaf(split: CorpusSplit) {
    for parsed in Sample.of(split) {
      #expect(!parsed.leaves.isEmpty, "not JSON: \(parsed.document.json.prefix(200))")
      #expect(!parsed.document.labels.isEmpty || parsed.family != "form")
      let paths: Set<String>
      if let form = parsed.form {
        paths = Set(form.map { FieldPath([.key($0.key)]).description })
        #expect(parsed.document.labels["$"] == nil)
      } else {
        paths = Set(parsed.leaves.map(\.path.description))
      }
      for (path, types) in parsed.document.labels {
        #expect(paths.contains(path), "\(parsed.family): \(path) is not a leaf")
        #expect(!types.isEmpty)
      }
    }
  }

  @Test(arguments: CorpusSplit.allCases) func everyRequiredTypeIsWellRepresented(split: CorpusSplit) {
    var counts: [DataType: Int] = [:]
    for parsed in Sample.of(split) {
      for types in parsed.document.labels.values {
        for type in types { counts[type, default: 0] += 1 }
      }
    }
    for type in DataType.allCases where type.isRequired {
      #expect(counts[type, default: 0] >= 20, "\(type.id): \(counts[type, default: 0]) labelled fields in \(split)")
    }
    let expected: [DataType] = [
      .taxID, .nationalID, .bankAccount, .abaRoutingNumber, .swiftBIC, .cryptoWallet, .imei, .basicAuthCredentials,
      .urlWithCredentials, .medicalRecordNumber, .healthInsuranceID, .diagnosisCode, .age,
    ]
    for type in expected where split == .train || ![.imei].contains(type) {
      #expect(counts[type, default: 0] >= 5, "\(type.id): \(counts[type, default: 0]) labelled fields in \(split)")
    }
  }

  @Test(arguments: CorpusSplit.allCases) func formDocumentsAreAboutOneInTwenty(split: CorpusSplit) {
    let forms = Sample.of(split).filter { $0.form != nil }.count
    #expect((Sample.size * 2 / 100)...(Sample.size * 9 / 100) ~= forms)
  }

  @Test(arguments: CorpusSplit.allCases) func hardNegativesAreMany(split: CorpusSplit) {
    var negatives = 0
    var labelled = 0
    var shapes: Set<String> = []
    for parsed in Sample.of(split) {
      for (text, types) in Sample.labelledValues(parsed) {
        if !types.isEmpty {
          labelled += 1
          continue
        }
        negatives += 1
        let bytes = Array(text.utf8)
        if bytes.count == 36, bytes[8] == UInt8(ascii: "-"), bytes[14] == UInt8(ascii: "4") { shapes.insert("uuid") }
        if [32, 40, 64].contains(bytes.count), text.allSatisfy(\.isHexDigit) { shapes.insert("hex digest") }
        if text.hasPrefix("1Z"), bytes.count == 18 { shapes.insert("ups tracking") }
        if bytes.count == 20 || bytes.count == 22, text.allSatisfy(\.isNumber) { shapes.insert("long tracking") }
        if bytes.count >= 20, text.dropFirst(4).hasPrefix("-"), text.contains("T"), text.hasSuffix("Z") {
          shapes.insert("timestamp")
        }
        if bytes.count == 13, text.hasPrefix("1"), text.allSatisfy(\.isNumber) { shapes.insert("epoch millis") }
        if text.hasPrefix("SKU-") { shapes.insert("sku") }
        if text.hasPrefix("Mozilla/5.0") { shapes.insert("user agent") }
        if text.hasPrefix("#"), bytes.count == 7 { shapes.insert("hex color") }
        if Dictionaries.companies(split).contains(text) { shapes.insert("company") }
        if Dictionaries.products(split).contains(text) { shapes.insert("product") }
        if text.hasPrefix("https://"), !text.contains("@") { shapes.insert("url") }
      }
    }
    #expect(negatives > labelled)
    let wanted: Set<String> = [
      "uuid", "hex digest", "ups tracking", "long tracking", "timestamp", "epoch millis", "sku", "user agent",
      "hex color", "company", "product", "url",
    ]
    #expect(wanted.subtracting(shapes).isEmpty, "missing negatives: \(wanted.subtracting(shapes))")
  }

  @Test(arguments: CorpusSplit.allCases) func checkedTypesPassTheirValidators(split: CorpusSplit) {
    var checked = 0
    for parsed in Sample.of(split) {
      for (text, types) in Sample.labelledValues(parsed) where types.count == 1 {
        let type = types.first
        // Free text embeds its value among words; only whole values are checked here.
        let mayHoldSpaces: Set<DataType> = [.cardNumber, .iban, .maskedCardNumber, .privateKey, .jwt]
        if text.contains(" "), let type, !mayHoldSpaces.contains(type) { continue }
        if type == .jwt, text.contains(" "), !text.hasPrefix("Bearer ") { continue }
        if [.cardNumber, .iban].contains(type), text.split(separator: " ").count > 6 { continue }
        let compact = String(text.filter { $0 != " " && $0 != "-" })
        switch type {
        case .cardNumber: #expect(Validators.isCardNumber(compact), "card \(text)")
        case .iban: #expect(Validators.isIBAN(text), "iban \(text)")
        case .usSSN: #expect(Validators.isUSSSN(text), "ssn \(text)")
        case .email: #expect(Validators.isEmail(text), "email \(text)")
        case .awsAccessKey: #expect(Validators.isAWSAccessKeyID(text), "aws \(text)")
        case .privateKey: #expect(Validators.isPEMPrivateKey(text), "pem \(text.prefix(40))")
        case .maskedCardNumber: #expect(Validators.isMaskedCardNumber(text), "masked \(text)")
        case .ipAddress where !text.contains(","):
          #expect(Validators.isIPv4(text) || Validators.isIPv6(text), "ip \(text)")
        case .macAddress: #expect(Validators.isMACAddress(text), "mac \(text)")
        case .imei: #expect(Validators.isIMEI(text), "imei \(text)")
        case .abaRoutingNumber: #expect(Validators.isABARoutingNumber(text), "aba \(text)")
        case .swiftBIC: #expect(Validators.isSwiftBIC(text), "bic \(text)")
        case .urlWithCredentials: #expect(Validators.isURLWithCredentials(text), "url \(text)")
        case .jwt:
          let token = text.hasPrefix("Bearer ") ? String(text.dropFirst(7)) : text
          #expect(Validators.isJWT(token), "jwt \(text.prefix(40))")
        default: continue
        }
        checked += 1
      }
    }
    #expect(checked > 1000)
  }

  @Test(arguments: CorpusSplit.allCases) func noNegativePassesTheCardOrIBANCheck(split: CorpusSplit) {
    for parsed in Sample.of(split) {
      for (text, types) in Sample.labelledValues(parsed) where types.isEmpty {
        #expect(!Validators.isCardNumber(text), "negative looks like a card: \(text)")
        #expect(!Validators.isIBAN(text), "negative looks like an IBAN: \(text)")
      }
    }
  }

  /// A negative that an unambiguous validator accepts would be a labelling mistake.
  @Test(arguments: CorpusSplit.allCases) func noNegativeIsAnUnmistakableSecretOrContact(split: CorpusSplit) {
    for parsed in Sample.of(split) {
      for (text, types) in Sample.labelledValues(parsed) where types.isEmpty {
        #expect(!Validators.isEmail(text), "unlabelled e-mail: \(text)")
        #expect(!Validators.isJWT(text), "unlabelled JWT: \(text)")
        #expect(!Validators.isAWSAccessKeyID(text), "unlabelled AWS key: \(text)")
        #expect(!Validators.isPEMPrivateKey(text), "unlabelled private key")
        #expect(Validators.vendorAPIKey(text) == nil, "unlabelled vendor key: \(text)")
        #expect(!Validators.isURLWithCredentials(text), "unlabelled URL with credentials: \(text)")
        #expect(!Validators.isMaskedCardNumber(text), "unlabelled masked card: \(text)")
        #expect(!Validators.isE164(text), "unlabelled E.164 number: \(text)")
      }
    }
  }

  @Test func heldOutWordListsAreDisjointFromTrain() {
    for locale in CorpusLocale.allCases {
      let train = Dictionaries.words(.train, locale)
      let heldOut = Dictionaries.words(.heldOut, locale)
      let trainAll = Set(
        CorpusLocale.allCases.flatMap {
          Dictionaries.words(.train, $0).firstNames + Dictionaries.words(.train, $0).lastNames
        })
      #expect(Set(heldOut.firstNames + heldOut.lastNames).isDisjoint(with: trainAll))
      #expect(Set(heldOut.streets).isDisjoint(with: train.streets))
      #expect(heldOut.firstNames.count >= 8 && train.firstNames.count >= 8, "\(locale)")
      #expect(heldOut.lastNames.count >= 8 && train.lastNames.count >= 8, "\(locale)")
    }
    #expect(Set(Dictionaries.companies(.heldOut)).isDisjoint(with: Dictionaries.companies(.train)))
    #expect(Set(Dictionaries.products(.heldOut)).isDisjoint(with: Dictionaries.products(.train)))
  }

  @Test func heldOutDocumentsUseOnlyHeldOutNamesAndCompanies() {
    let trainNames = Set(
      CorpusLocale.allCases.flatMap {
        Dictionaries.words(.train, $0).firstNames + Dictionaries.words(.train, $0).lastNames
      })
    let trainCompanies = Set(Dictionaries.companies(.train))
    var names = 0
    for parsed in Sample.heldOut {
      for (text, types) in Sample.labelledValues(parsed) {
        if types == [.personName] {
          names += 1
          // Whole name values: every first and last name is one of held-out's (multi-word
          // surnames such as "van den Berg" are checked as a whole by their last word's list).
          #expect(!trainNames.contains(text), "train name in held-out: \(text)")
          let words = text.split(separator: " ").map(String.init)
          if let first = words.first { #expect(!trainNames.contains(first) || first == "Dr.", "\(text)") }
        }
        if types.isEmpty { #expect(!trainCompanies.contains(text), "train company in held-out: \(text)") }
      }
    }
    #expect(names > 500)
  }

  @Test func heldOutFamiliesNeverOccurInTrain() {
    let trainNames = Set(SchemaFamily.families(.train).map(\.name))
    let heldOutNames = Set(SchemaFamily.families(.heldOut).map(\.name))
    #expect(trainNames.isDisjoint(with: heldOutNames))
    #expect(trainNames.count >= 14 && heldOutNames.count >= 7)
    #expect(Double(heldOutNames.count) / Double(trainNames.count + heldOutNames.count) > 0.25)
    let seenInTrain = Set(Sample.train.map(\.family))
    let seenInHeldOut = Set(Sample.heldOut.map(\.family))
    #expect(seenInTrain.isDisjoint(with: heldOutNames))
    #expect(seenInHeldOut.isDisjoint(with: trainNames))
    #expect(seenInTrain == trainNames.union(["form"]))
    #expect(seenInHeldOut == heldOutNames.union(["form"]))
  }

  @Test(arguments: CorpusSplit.allCases) func mostDocumentsAreHalfAKilobyteToFourKilobytes(split: CorpusSplit) {
    let sizes = Sample.of(split).map(\.byteCount)
    let inRange = sizes.filter { (500...4096).contains($0) }.count
    let small = sizes.filter { $0 < 500 }.count
    #expect(inRange * 100 >= sizes.count * 75, "only \(inRange) of \(sizes.count) in 0.5–4 KB")
    #expect(small > 0, "no small documents")
    #expect(sizes.filter { $0 > 8192 }.count * 100 <= sizes.count, "too many documents above 8 KB")
  }

  @Test func heldOutUsesKeySpellingsTrainNeverShows() {
    func keys(_ sample: [ParsedDocument]) -> Set<String> {
      Set(sample.flatMap { $0.leaves.compactMap(\.path.lastKey) })
    }
    let trainKeys = keys(Sample.train)
    let unseen = keys(Sample.heldOut).subtracting(trainKeys)
    #expect(unseen.count > 100)
    #expect(unseen.contains { $0.contains(".") || $0.uppercased() == $0 && $0.contains("-") })
  }
}
