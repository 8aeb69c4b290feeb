/// Finds the typed values embedded in free text ("reach me at jane@x.org or +44 20 7946 0958"):
/// only what validators prove, or what a dictionary and a context word make near-certain, since a
/// sentence gives no key to lean on.
enum FreeText {
  /// Texts longer than this are read only for their first `scanLimit` bytes.
  static let scanLimit = 16_384

  /// Whether a value is prose worth scanning rather than one formatted value.
  /// Three words or more; when they carry neither digits nor `@`, five or more (a product or
  /// company name of a few words is not prose).
  static func isProse(_ profile: ValueProfile) -> Bool {
    profile.spaces >= 2 && profile.words >= 3 && profile.letters >= 6
      && (profile.digits > 0 || profile.hasAt || profile.words >= 5)
  }

  static func types(in text: String, referenceYear: Int) -> Set<DataType> {
    var found: Set<DataType> = []
    let words = tokens(of: text)
    var index = 0
    while index < words.count {
      let word = words[index]
      let bare = word.trimmed
      if let type = singleTokenType(bare) {
        found.insert(type)
        index += 1
        continue
      }
      if bare == "Bearer", index + 1 < words.count, Validators.isJWT(words[index + 1].trimmed) {
        found.insert(.jwt)
        index += 2
        continue
      }
      // Values written over several words: spaced card numbers, IBANs and phone numbers.
      if let (type, length) = spacedValue(words, from: index) {
        found.insert(type)
        index += length
        continue
      }
      index += 1
    }
    if let name = personName(words) { found.insert(name) }
    found.formUnion(contextual(words))
    if streetAddress(words) { found.insert(.address) }
    if birthDate(words, referenceYear: referenceYear) { found.insert(.dateOfBirth) }
    return found
  }

  struct Word {
    var text: Substring
    /// Without the punctuation prose puts around a value.
    var trimmed: Substring
  }

  static func isLeadingPunctuation(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "(") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "\"")
      || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "<")
  }

  static func isTrailingPunctuation(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "!"),
      UInt8(ascii: "?"), UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: "\""),
      UInt8(ascii: "'"), UInt8(ascii: ">"):
      true
    default: false
    }
  }

  /// The words of the text (split on whitespace), each with its trimmed form; at most 2,000 words
  /// from the first `scanLimit` bytes.
  static func tokens(of text: String) -> [Word] {
    var words: [Word] = []
    let utf8 = text.utf8
    let end = utf8.index(utf8.startIndex, offsetBy: Swift.min(scanLimit, utf8.count))
    var index = utf8.startIndex
    while index < end, words.count < 2_000 {
      while index < end, utf8[index].isASCIIWhitespace { index = utf8.index(after: index) }
      guard index < end else { break }
      let start = index
      while index < end, !utf8[index].isASCIIWhitespace { index = utf8.index(after: index) }
      var trimmedStart = start
      var trimmedEnd = index
      while trimmedStart < trimmedEnd, isLeadingPunctuation(utf8[trimmedStart]) {
        trimmedStart = utf8.index(after: trimmedStart)
      }
      while trimmedEnd > trimmedStart, isTrailingPunctuation(utf8[utf8.index(before: trimmedEnd)]) {
        trimmedEnd = utf8.index(before: trimmedEnd)
      }
      // A log line's `key=value`: the value is the word (`pan=4111…`).
      if let equals = utf8[trimmedStart..<trimmedEnd].firstIndex(of: UInt8(ascii: "=")),
        utf8.index(after: equals) < trimmedEnd
      {
        trimmedStart = utf8.index(after: equals)
      }
      words.append(Word(text: text[start..<index], trimmed: text[trimmedStart..<trimmedEnd]))
    }
    return words
  }

  static func singleTokenType(_ token: Substring) -> DataType? {
    let bytes = token.utf8
    guard bytes.count >= 7 else { return nil }
    // Most words of prose have neither digits, `@` nor `:`, and are too short for a key or token.
    if bytes.count < 20,
      !bytes.contains(where: { $0.isASCIIDigit || $0 == UInt8(ascii: "@") || $0 == UInt8(ascii: ":") })
    {
      return nil
    }
    if token.contains("@") {
      if Validators.isEmail(token) { return .email }
      if token.contains("://"), Validators.isURLWithCredentials(token) { return .urlWithCredentials }
      return nil
    }
    if token.hasPrefix("eyJ"), Validators.isJWT(token) { return .jwt }
    if bytes.count == 20, Validators.isAWSAccessKeyID(token) { return .awsAccessKey }
    if bytes.count >= 20, Validators.vendorAPIKey(token) != nil { return .apiKey }
    if Validators.isUSSSN(token), token.contains("-") { return .usSSN }
    if Validators.isIBAN(token) { return .iban }
    if Validators.isCardNumber(token) { return .cardNumber }
    if Validators.isMaskedCardNumber(token) { return .maskedCardNumber }
    if Validators.isE164(token) { return .phone }
    if token.contains("-") || token.contains("."), token.first?.isNumber == true, Validators.isPhoneNumber(token) {
      return .phone
    }
    if Validators.isIPv4(token) { return .ipAddress }
    if token.contains(":") {
      if Validators.isMACAddress(token) { return .macAddress }
      if Validators.isIPv6(token) { return .ipAddress }
    }
    return nil
  }

  /// A card number, IBAN or phone number written over 2–9 words (`4111 1111 1111 1111`,
  /// `DE89 3704 0044 0532 0130 00`, `+44 20 7946 0958`, `(555) 123-4567`): the longest that validates.
  static func spacedValue(_ words: [Word], from start: Int) -> (DataType, Int)? {
    let first = words[start].trimmed
    guard let lead = first.utf8.first else { return nil }
    let startsIBAN = first.utf8.count == 4 && lead.isASCIIUpper
    let startsNumber = lead.isASCIIDigit || lead == UInt8(ascii: "+") || lead == UInt8(ascii: "(")
    guard startsIBAN || startsNumber else { return nil }
    var joined = String(first)
    var best: (DataType, Int)?
    var end = start + 1
    while end < words.count, end - start < 9 {
      let next = words[end].trimmed
      guard !next.isEmpty, next.utf8.count <= 10,
        next.utf8.allSatisfy({
          $0.isASCIIDigit || $0.isASCIIUpper || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ")")
        })
      else { break }
      joined += " " + next
      end += 1
      if startsIBAN {
        if Validators.isIBAN(joined) { best = (.iban, end - start) }
      } else if Validators.isCardNumber(joined) {
        best = (.cardNumber, end - start)
      } else if Validators.isPhoneNumber(joined) {
        best = (.phone, end - start)
      }
    }
    return best
  }

  /// Values a neighbouring word names: `Expiry 11/33`, `BIC DEUTDEFF`, `password for jdoe is
  /// hunter2`, `ping @jdoe`, `user jdoe`.
  static func contextual(_ words: [Word]) -> Set<DataType> {
    var found: Set<DataType> = []
    for index in words.indices {
      var word = words[index].trimmed
      var next = index + 1 < words.count ? words[index + 1].trimmed : ""
      // `exp=03/30` says what `Expiry 03/30` says.
      if let equals = words[index].text.firstIndex(of: "="), word.startIndex > equals {
        next = word
        word = words[index].text[..<equals]
      }
      guard word.utf8.count >= 2, word.utf8.count <= 16 else { continue }
      let lowered = word.lowercased()
      switch lowered {
      case "exp", "expiry", "expires", "expiration", "exp.", "valid":
        if Validators.isCardExpiration(next) { found.insert(.cardExpiration) }
      case "tel", "tel.", "phone", "mobile", "cell", "call", "text", "fax", "telefon", "telefono", "teléfono",
        "téléphone", "whatsapp", "sms", "mob", "mob.", "handy", "cellulare", "telefoon", "numer":
        if contextualPhone(words, from: index + 1) { found.insert(.phone) }
      case "bic", "swift", "bic/swift", "swift/bic":
        if Validators.isSwiftBIC(next) { found.insert(.swiftBIC) }
      case "password", "passwort", "pwd", "passcode", "contraseña", "mot":
        // `password for jdoe is hunter2`, `password: hunter2`
        var look = index + 1
        while look < Swift.min(words.count, index + 6) {
          let candidate = words[look].trimmed.lowercased()
          if candidate == "for", look + 1 < words.count, isHandle(words[look + 1].trimmed) {
            found.insert(.username)
          }
          if candidate == "is" || candidate == "ist" || candidate == "es" || words[look - 1].text.hasSuffix(":") {
            let secret = candidate == "is" || candidate == "ist" || candidate == "es" ? look + 1 : look
            if secret < words.count, words[secret].trimmed.utf8.count >= 4 { found.insert(.password) }
            break
          }
          look += 1
        }
      case "user", "username", "login", "ping", "handle", "@":
        if isHandle(next) { found.insert(.username) }
      default:
        if word.utf8.first == UInt8(ascii: "@"), word.utf8.count >= 4, isHandle(word.dropFirst()) {
          found.insert(.username)
        }
      }
    }
    return found
  }

  /// A phone number right after a word that announces one (`Tel. 613 116 639`, `phone
  /// 07.09.89.54.77`): 1–5 words of digits and `+ ( ) - . /`, 7–15 digits in all.
  static func contextualPhone(_ words: [Word], from start: Int) -> Bool {
    var digits = 0
    var index = start
    while index < words.count, index - start < 5 {
      let word = words[index].trimmed
      let bytes = word.utf8
      guard !bytes.isEmpty,
        bytes.allSatisfy({
          $0.isASCIIDigit || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "(") || $0 == UInt8(ascii: ")")
            || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "/")
        })
      else { break }
      digits += bytes.filter(\.isASCIIDigit).count
      if words[index].text.utf8.last == UInt8(ascii: ",") { break }
      index += 1
    }
    return (7...15).contains(digits)
  }

  /// A login handle: 3–32 of lower-case letters, digits, `_`, `.`, `-`, with a letter, not a
  /// plain word (a digit, `_` or `.` inside).
  static func isHandle(_ word: Substring) -> Bool {
    let bytes = word.utf8.first == UInt8(ascii: "@") ? word.utf8.dropFirst() : word.utf8[...]
    guard (3...32).contains(bytes.count), bytes.contains(where: \.isASCIILower) else { return false }
    guard
      bytes.allSatisfy({
        $0.isASCIILower || $0.isASCIIDigit || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
          || $0 == UInt8(ascii: "-")
      })
    else { return false }
    return word.utf8.first == UInt8(ascii: "@")
      || bytes.contains(where: { $0.isASCIIDigit || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") })
  }

  /// Words after which a capitalised name is a person's: sign-offs, greetings, `by`, `from`.
  static let nameContext: Set<String> = NameDictionary.words(
    """
    by from dear hi hello hallo bonjour hola ciao cześć hej regards thanks thank cheers grüße gruesse gruß merci
    gracias grazie dank dziękuję bedankt saludos cordialement contact customer mr mrs ms miss dr mr. mrs. ms. dr.
    herr frau mme m. sr sra signor signora pan pani meneer mevrouw sincerely best
    """)

  /// A known first name followed by one or two capitalised words: `John Smith`, `Anna van Dijk`.
  static func personName(_ words: [Word]) -> DataType? {
    for index in words.indices.dropLast() {
      let first = words[index].text
      guard first.utf8.first?.isASCIIUpper == true, first.utf8.count >= 2,
        NameDictionary.firstNames.contains(String(first).lowercased())
      else { continue }
      let next = words[index + 1].trimmed
      guard next.utf8.first?.isASCIIUpper == true, next.utf8.count >= 2,
        next.allSatisfy({ $0.isLetter || $0 == "-" || $0 == "'" })
      else { continue }
      if !StreetVocabulary.isStreetWord(next) { return .personName }
    }
    // After a word that introduces a person: `Grüße, Kimberly`, `requested by Fiona Oakley`.
    for index in words.indices.dropLast() {
      let context = words[index].trimmed.lowercased()
      guard nameContext.contains(context) else { continue }
      let next = words[index + 1].trimmed
      guard next.utf8.first?.isASCIIUpper == true || next.unicodeScalars.first?.properties.isUppercase == true,
        next.utf8.count >= 2, next.allSatisfy({ $0.isLetter || $0 == "-" || $0 == "'" }),
        !KeyVocabulary.organisationWords.contains(next.lowercased()), !StreetVocabulary.isStreetWord(next)
      else { continue }
      let following = index + 2 < words.count ? words[index + 2].trimmed : ""
      if KeyVocabulary.organisationWords.contains(following.lowercased()) { continue }
      let endsSentence = words[index + 1].text.hasSuffix(".") || index + 2 >= words.count
      let firstKnown = NameDictionary.firstNames.contains(next.lowercased())
      let pair = following.utf8.first?.isASCIIUpper == true && following.allSatisfy({ $0.isLetter || $0 == "-" })
      if firstKnown || pair || endsSentence { return .personName }
    }
    return nil
  }

  /// A house number then words ending in a street word (`12 Baker Street`), or a street word
  /// then a number (`Hauptstraße 5`, `ul. Długa 7`).
  static func streetAddress(_ words: [Word]) -> Bool {
    for index in words.indices {
      let word = words[index].trimmed
      let isNumber = !word.isEmpty && word.utf8.count <= 5 && word.utf8.first?.isASCIIDigit == true
      if isNumber {
        var next = index + 1
        while next < words.count, next - index <= 4 {
          let candidate = words[next].trimmed
          guard candidate.utf8.first?.isASCIIUpper == true || StreetVocabulary.isStreetWord(candidate) else { break }
          if StreetVocabulary.isStreetWord(candidate) { return true }
          next += 1
        }
      } else if StreetVocabulary.endsInStreetWord(word), index + 1 < words.count {
        let following = words[index + 1].trimmed
        if following.utf8.first?.isASCIIDigit == true, following.utf8.count <= 5 { return true }
      }
    }
    return false
  }

  /// A date that a nearby word says is a birth date: `born on 1990-04-23`, `DOB: 04/23/1990`.
  static func birthDate(_ words: [Word], referenceYear: Int) -> Bool {
    for index in words.indices {
      let word = words[index].trimmed
      guard word.utf8.count >= 6, word.utf8.first?.isASCIIDigit == true,
        Validators.isPlausibleBirthDate(word, referenceYear: referenceYear)
      else { continue }
      for back in Swift.max(0, index - 3)..<index {
        let context = words[back].trimmed.lowercased()
        if context.hasPrefix("born") || context.hasPrefix("birth") || context == "dob" || context == "d.o.b" {
          return true
        }
      }
    }
    return false
  }
}
