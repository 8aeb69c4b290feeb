import Detection

/// Payment cards, bank identifiers and government numbers, valid by their check rules.
extension DocumentContext {
  /// A Luhn-valid card number in a real IIN range, as bare digits, and its network's group sizes.
  mutating func cardDigits() -> (digits: String, groups: [Int], isAmex: Bool) {
    let (prefix, length, groups): (String, Int, [Int])
    switch random.below(12) {
    case 0, 1, 2, 3: (prefix, length, groups) = ("4" + digits(5), chance(0.05) ? 13 : 16, [4, 4, 4, 4])
    case 4, 5: (prefix, length, groups) = (String(int(51...55)) + digits(4), 16, [4, 4, 4, 4])
    case 6: (prefix, length, groups) = (String(int(2221...2720)) + digits(2), 16, [4, 4, 4, 4])
    case 7: (prefix, length, groups) = (pick(["34", "37"]) + digits(4), 15, [4, 6, 5])
    case 8:
      (prefix, length, groups) = (
        pick(["6011", "65" + digits(2), String(int(644...649)) + "1"]) + digits(2), 16, [4, 4, 4, 4]
      )
    case 9: (prefix, length, groups) = (String(int(3528...3589)) + digits(2), 16, [4, 4, 4, 4])
    case 10: (prefix, length, groups) = (pick(["36", "38", String(int(300...305))]) + digits(3), 14, [4, 6, 4])
    default: (prefix, length, groups) = ("62" + String(int(1...9)) + digits(3), chance(0.8) ? 16 : 19, [4, 4, 4, 4])
    }
    let body = String((prefix + digits(length)).prefix(length - 1))
    let number = body + String(Self.luhnCheckDigit(body))
    let fittedGroups = length == 19 ? [4, 4, 4, 4, 3] : (length == 13 ? [4, 3, 3, 3] : groups)
    return (number, fittedGroups, length == 15)
  }

  static func luhnCheckDigit(_ body: String) -> Int {
    var sum = 0
    for (index, character) in body.reversed().enumerated() {
      var value = Int(character.asciiValue ?? 48) - 48
      if index % 2 == 0 {
        value *= 2
        if value > 9 { value -= 9 }
      }
      sum += value
    }
    return (10 - sum % 10) % 10
  }

  static func grouped(_ text: String, _ groups: [Int], separator: String) -> String {
    var parts: [String] = []
    var rest = Substring(text)
    for size in groups where !rest.isEmpty {
      parts.append(String(rest.prefix(size)))
      rest = rest.dropFirst(size)
    }
    if !rest.isEmpty { parts.append(String(rest)) }
    return parts.joined(separator: separator)
  }

  /// A card number leaf: spaced, dashed, bare string, or (sometimes) a JSON number.
  mutating func cardNumber(allowNumber: Bool = true) -> DocumentNode {
    let card = cardDigits()
    switch random.below(10) {
    case 0, 1, 2: return .s(Self.grouped(card.digits, card.groups, separator: " "), .cardNumber)
    case 3: return .s(Self.grouped(card.digits, card.groups, separator: "-"), .cardNumber)
    case 4 where allowNumber, 5 where allowNumber: return .n(card.digits, .cardNumber)
    default: return .s(card.digits, .cardNumber)
    }
  }

  mutating func cardNumberText() -> String {
    let card = cardDigits()
    return chance(0.5) ? Self.grouped(card.digits, card.groups, separator: " ") : card.digits
  }

  mutating func cardExpiry() -> DocumentNode {
    let month = Self.pad2(int(1...12))
    let year = int(2025...2034)
    switch random.below(6) {
    case 0, 1, 2: return .s("\(month)/\(year % 100)", .cardExpiration)
    case 3: return .s("\(month)/\(year)", .cardExpiration)
    case 4: return .s("\(year)-\(month)", .cardExpiration)
    default: return .s("\(month)-\(year % 100)", .cardExpiration)
    }
  }

  mutating func cvv() -> DocumentNode {
    let code = chance(0.15) ? digits(4) : digits(3)
    if chance(0.2), code.first != "0" { return .n(code, .cardCVV) }
    return .s(code, .cardCVV)
  }

  mutating func maskedCard() -> DocumentNode {
    let card = cardDigits()
    let last4 = String(card.digits.suffix(4))
    switch random.below(6) {
    case 0, 1: return .s("**** **** **** " + last4, .maskedCardNumber)
    case 2:
      return .s(
        String(card.digits.prefix(6)) + String(repeating: "*", count: card.digits.count - 10) + last4, .maskedCardNumber
      )
    case 3: return .s("XXXX-XXXX-XXXX-" + last4, .maskedCardNumber)
    case 4: return .s(String(repeating: "*", count: card.digits.count - 4) + last4, .maskedCardNumber)
    default:
      return .s(
        String(card.digits.prefix(6)) + String(repeating: "X", count: card.digits.count - 10) + last4, .maskedCardNumber
      )
    }
  }

  mutating func cardBrand() -> String { pick(["visa", "mastercard", "amex", "discover", "jcb", "diners", "unionpay"]) }

  // MARK: Banks

  mutating func iban(country: String? = nil, spaced: Bool? = nil) -> String {
    let country =
      country
      ?? (chance(0.7)
        ? locale.ibanCountry : pick(["DE", "FR", "ES", "IT", "NL", "PL", "GB", "BE", "AT", "CH", "PT", "IE"]))
    let bban: String
    switch country {
    case "GB": bban = pick(["NWBK", "BARC", "LOYD", "HBUK", "MIDL", "MONZ"]) + digits(14)
    case "FR": bban = digits(23)
    case "ES": bban = digits(20)
    case "IT": bban = string(1, Alphabet.upper) + digits(22)
    case "NL": bban = pick(["ABNA", "INGB", "RABO", "TRIO", "SNSB", "ASNB", "KNAB"]) + digits(10)
    case "PL": bban = digits(24)
    case "BE": bban = digits(12)
    case "AT": bban = digits(16)
    case "CH": bban = digits(17)
    case "PT": bban = digits(21)
    case "IE": bban = pick(["AIBK", "BOFI", "IPBS"]) + digits(14)
    default: bban = digits(18)
    }
    let check = 98 - Self.mod97(bban + country + "00")
    let compact = country + Self.pad2(check) + bban
    return (spaced ?? chance(0.4)) ? Self.grouped(compact, Array(repeating: 4, count: 9), separator: " ") : compact
  }

  static func mod97(_ text: String) -> Int {
    var remainder = 0
    for byte in text.utf8 {
      if (48...57).contains(byte) {
        remainder = (remainder * 10 + Int(byte) - 48) % 97
      } else {
        remainder = (remainder * 100 + Int(byte) - 65 + 10) % 97
      }
    }
    return remainder
  }

  mutating func bic() -> String {
    let bank = pick([
      "DEUT", "COBA", "BNPA", "SOGE", "BBVA", "CAIX", "UNCR", "BCIT", "PKOP", "INGB", "ABNA", "RABO", "BARC", "NWBK",
      "HSBC", "CHAS",
    ])
    let country = chance(0.7) ? locale.countryCode : pick(["DE", "FR", "ES", "IT", "PL", "NL", "GB", "US"])
    return bank + country + string(2, Alphabet.upperAlphanumeric)
      + (chance(0.4) ? pick(["XXX", string(3, Alphabet.upperAlphanumeric)]) : "")
  }

  mutating func abaRouting() -> String {
    let prefix = Self.pad2(pick([int(1...12), int(21...32), int(61...72)]))
    let body = prefix + digits(6)
    let weights = [3, 7, 1, 3, 7, 1, 3, 7]
    var sum = 0
    for (character, weight) in zip(body, weights) { sum += (Int(character.asciiValue ?? 48) - 48) * weight }
    return body + String((10 - sum % 10) % 10)
  }

  mutating func bankAccount() -> String {
    switch locale {
    case .enUS: return digits(int(8...12))
    case .enGB: return digits(8)
    default: return digits(int(9...12))
    }
  }

  mutating func cryptoWallet() -> String {
    switch random.below(4) {
    case 0: return "bc1q" + string(38, Alphabet.bech32)
    case 1: return pick(["1", "3"]) + string(int(26...33), Alphabet.base58)
    default: return "0x" + string(40, chance(0.5) ? Alphabet.lowerHex : "0123456789abcdefABCDEF")
    }
  }

  // MARK: Government identifiers

  mutating func ssn(formatted: Bool = true) -> String {
    var area = int(1...899)
    if area == 666 { area = 665 }
    let group = int(1...99)
    var serial = int(1...9999)
    if (area == 78 && group == 5 && serial == 1120) || (area == 219 && group == 9 && serial == 9999) { serial = 1234 }
    let a = String(repeating: "0", count: 3 - String(area).count) + String(area)
    let s = String(repeating: "0", count: 4 - String(serial).count) + String(serial)
    return formatted ? "\(a)-\(Self.pad2(group))-\(s)" : "\(a)\(Self.pad2(group))\(s)"
  }

  mutating func passportNumber() -> String {
    switch locale {
    case .enUS: return chance(0.5) ? digits(9) : pick(["A", "C", "E"]) + digits(8)
    case .enGB: return digits(9)
    case .deDE: return string(1, "CFGHJK") + string(8, "CFGHJKLMNPRTVWXYZ0123456789")
    case .frFR: return digits(2) + string(2, Alphabet.upper) + digits(5)
    case .esES: return string(3, Alphabet.upper) + digits(6)
    case .itIT: return string(2, Alphabet.upper) + digits(7)
    case .plPL: return string(2, Alphabet.upper) + digits(7)
    case .nlNL:
      return string(2, "ABCDEFGHIJKLMNPRSTUVWXYZ") + string(6, "ABCDEFGHJKLMNPRSTUVWXYZ0123456789") + digits(1)
    }
  }

  mutating func driversLicense(person: Person? = nil) -> String {
    switch locale {
    case .enUS:
      switch random.below(5) {
      case 0: return string(1, Alphabet.upper) + digits(7)
      case 1: return digits(3) + " " + digits(3) + " " + digits(3)
      case 2:
        return string(1, Alphabet.upper) + digits(3) + "-" + digits(3) + "-" + digits(2) + "-" + digits(3) + "-"
          + digits(1)
      case 3: return digits(8)
      default: return string(1, Alphabet.upper) + digits(3) + "-" + digits(4) + "-" + digits(4)
      }
    case .enGB:
      let surname = Self.ascii(person?.last ?? pick(words.lastNames)).uppercased()
      let padded = String((surname + "99999").prefix(5))
      let birth: (year: Int, month: Int, day: Int) = person?.birth ?? (int(1950...2004), int(1...12), int(1...28))
      let month = birth.month + ((person?.isFemale ?? false) ? 50 : 0)
      let initial = Self.ascii(person?.first ?? "j").uppercased().prefix(1)
      return padded + String(birth.year % 100 / 10) + Self.pad2(month) + Self.pad2(birth.day) + String(birth.year % 10)
        + initial + "9" + digits(1) + string(2, Alphabet.upper)
    case .deDE:
      return string(1, "BFJKLN") + digits(3) + string(3, Alphabet.upperAlphanumeric) + digits(1)
        + string(1, Alphabet.upper) + digits(2)
    case .frFR: return digits(12)
    case .esES: return spanishDNI()
    case .itIT: return string(2, Alphabet.upper) + digits(7) + string(1, Alphabet.upper)
    case .plPL: return digits(5) + "/" + digits(2) + "/" + digits(4)
    case .nlNL: return digits(10)
    }
  }

  mutating func spanishDNI() -> String {
    let number = int(10_000_000...99_999_999)
    let letters = Array("TRWAGMYFPDXBNJZSQVHLCKE")
    return String(number) + String(letters[number % 23])
  }

  /// A tax identifier of the locale (EIN, Steuer-ID, NIF, codice fiscale, NIP, VAT number).
  mutating func taxID() -> String {
    switch locale {
    case .enUS: return digits(2) + "-" + digits(7)
    case .enGB: return chance(0.5) ? digits(5) + " " + digits(5) : "GB" + digits(9)
    case .deDE: return chance(0.5) ? String(int(1...9)) + digits(10) : "DE" + digits(9)
    case .frFR: return chance(0.5) ? String(int(0...3)) + digits(12) : "FR" + digits(11)
    case .esES: return chance(0.5) ? spanishDNI() : "ES" + string(1, "ABCDEFGHJ") + digits(8)
    case .itIT:
      return string(6, "BCDFGHLMNPRSTVZ") + digits(2) + string(1, "ABCDEHLMPRST") + digits(2) + string(1, "ABCDEFGHLMZ")
        + digits(3)
        + string(1, Alphabet.upper)
    case .plPL: return digits(3) + "-" + digits(3) + "-" + digits(2) + "-" + digits(2)
    case .nlNL: return "NL" + digits(9) + "B" + digits(2)
    }
  }

  /// A national identity number: NINO, PESEL, BSN, DNI, INSEE, Personalausweis, Aadhaar.
  mutating func nationalID() -> String {
    switch locale {
    case .enGB:
      let nino = string(1, "ABCEGHJKLMNOPRSTWXYZ") + string(1, "ABCEGHJKLMNPRSTWXYZ") + digits(6) + string(1, "ABCD")
      return chance(0.5) ? nino : Self.grouped(nino, [2, 2, 2, 2, 1], separator: " ")
    case .plPL:
      let body = digits(2) + Self.pad2(int(1...12)) + Self.pad2(int(1...28)) + digits(4)
      let weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]
      var sum = 0
      for (character, weight) in zip(body, weights) { sum += (Int(character.asciiValue ?? 48) - 48) * weight }
      return body + String((10 - sum % 10) % 10)
    case .nlNL:
      while true {
        let body = String(int(1...9)) + digits(7)
        var sum = 0
        for (index, character) in body.enumerated() { sum += (9 - index) * (Int(character.asciiValue ?? 48) - 48) }
        let last = sum % 11
        if last < 10 { return body + String(last) }
      }
    case .esES: return spanishDNI()
    case .frFR:
      return String(int(1...2)) + " " + digits(2) + " " + Self.pad2(int(1...12)) + " " + Self.pad2(int(1...95)) + " "
        + digits(3) + " "
        + digits(3) + " " + digits(2)
    case .deDE: return string(1, "CFGHJKLMNPRTVWXYZ") + string(8, "CFGHJKLMNPRTVWXYZ0123456789")
    case .itIT: return "C" + string(1, Alphabet.upper) + digits(5) + string(2, Alphabet.upper)
    case .enUS:
      let aadhaar = String(int(2...9)) + digits(11)
      return chance(0.5) ? aadhaar : Self.grouped(aadhaar, [4, 4, 4], separator: " ")
    }
  }
}
