import Detection

/// A person drawn for one document, so that name, e-mail, username and address agree.
struct Person {
  var first: String
  var last: String
  var email: String
  var username: String
  var phone: String
  var birth: (year: Int, month: Int, day: Int)
  var isFemale: Bool
  var address: PostalAddress
  var full: String { first + " " + last }
}

struct PostalAddress {
  var line1: String
  var line2: String?
  var city: String
  var postcode: String
  var region: String?
  var country: String
  var full: String
}

extension DocumentContext {
  mutating func person() -> Person {
    let words = self.words
    let first = pick(words.firstNames)
    let isFemale = Dictionaries.femaleFirstNames.contains(first)
    var last = pick(words.lastNames)
    // Polish surnames in -ski/-cki/-dzki take -ska/-cka/-dzka for women.
    if locale == .plPL, isFemale, last.hasSuffix("ki") { last = String(last.dropLast()) + "a" }
    let year = int(1942...2006)
    return Person(
      first: first, last: last, email: email(first: first, last: last), username: username(first: first, last: last),
      phone: phone(), birth: (year, int(1...12), int(1...28)), isFemale: isFemale, address: address())
  }

  /// Lower-case ASCII for e-mail local parts and handles: diacritics dropped, spaces removed.
  static func ascii(_ text: String) -> String {
    var out = ""
    for character in text.lowercased() {
      switch character {
      case "ä": out += "ae"
      case "ö": out += "oe"
      case "ü": out += "ue"
      case "ß": out += "ss"
      case "á", "à", "â", "å": out += "a"
      case "é", "è", "ê", "ë", "ę": out += "e"
      case "í", "ì", "î", "ï": out += "i"
      case "ó", "ò", "ô": out += "o"
      case "ú", "ù", "û": out += "u"
      case "ç", "ć": out += "c"
      case "ñ", "ń": out += "n"
      case "ł": out += "l"
      case "ś": out += "s"
      case "ź", "ż": out += "z"
      case "ą": out += "a"
      case " ", "'", ".": break
      default:
        if character.isASCII, character.isLetter || character.isNumber { out.append(character) }
      }
    }
    return out
  }

  mutating func email(first: String, last: String) -> String {
    let f = Self.ascii(first)
    let l = Self.ascii(last)
    let local: String
    switch random.below(7) {
    case 0: local = f + "." + l
    case 1: local = String(f.prefix(1)) + l
    case 2: local = f + l + String(int(1...99))
    case 3: local = f + "_" + l
    case 4: local = l + "." + f
    case 5: local = f + "." + l + "+" + pick(["news", "shop", "work", "test"])
    default: local = f + String(int(1960...2005))
    }
    return local + "@" + pick(locale.emailDomains)
  }

  mutating func email() -> String {
    email(first: pick(words.firstNames), last: pick(words.lastNames))
  }

  mutating func username(first: String, last: String) -> String {
    let f = Self.ascii(first)
    let l = Self.ascii(last)
    switch random.below(8) {
    case 0: return String(f.prefix(1)) + l
    case 1: return f + "." + l
    case 2: return f + "_" + String(int(1...999))
    case 3: return pick(["quiet", "happy", "dark", "blue", "lazy", "wild", "urban", "retro"]) + l + String(int(1...99))
    case 4: return "@" + f + l
    case 5: return l + String(f.prefix(2)) + String(int(10...99))
    case 6: return f + pick(["_dev", "x", "_the_great", "2k", "_official", "_99"])
    default: return pick(["nightowl", "skater", "pixel", "ninja", "wanderer", "coder", "gamer"]) + "_" + f
    }
  }

  mutating func username() -> String { username(first: pick(words.firstNames), last: pick(words.lastNames)) }

  mutating func fullName() -> String { pick(words.firstNames) + " " + pick(words.lastNames) }

  mutating func genderValue(female: Bool) -> String {
    if chance(0.1) { return pick(["non-binary", "X", "other", "diverse", "prefer_not_to_say", "nonbinary", "U"]) }
    return female
      ? pick(["F", "female", "Female", "FEMALE", "f", "woman", "w"]) : pick(["M", "male", "Male", "MALE", "m", "man"])
  }

  mutating func age(birthYear: Int) -> Int { max(16, 2026 - birthYear - int(0...1)) }

  // MARK: Phones

  /// A phone number of the document's locale, in one of its common formats.
  mutating func phone(mobile: Bool? = nil) -> String {
    let isMobile = mobile ?? chance(0.6)
    let cc = locale.callingCode
    switch locale {
    case .enUS:
      let area = String(int(2...9)) + String(int(0...8)) + String(int(0...9))
      let exchange = String(int(2...9)) + digits(2)
      let line = digits(4)
      switch random.below(7) {
      case 0: return "(\(area)) \(exchange)-\(line)"
      case 1: return "\(area)-\(exchange)-\(line)"
      case 2: return "\(area).\(exchange).\(line)"
      case 3: return "+1 \(area)-\(exchange)-\(line)"
      case 4: return "+1 (\(area)) \(exchange)-\(line)"
      case 5: return "+1 \(area) \(exchange) \(line)"
      default: return "+1\(area)\(exchange)\(line)"
      }
    case .enGB:
      if isMobile {
        let rest = "7" + String(int(4...9)) + digits(2)
        let tail = digits(6)
        switch random.below(3) {
        case 0: return "0\(rest) \(tail)"
        case 1: return "+44 \(rest) \(tail)"
        default: return "+44\(rest)\(tail)"
        }
      }
      let (area, a, b) = pick([("20", 4, 4), ("113", 3, 4), ("161", 3, 4), ("121", 3, 4), ("131", 3, 4)])
      let number = digits(a) + " " + digits(b)
      return chance(0.5) ? "0\(area) \(number)" : "+44 \(area) \(number)"
    case .deDE:
      if isMobile {
        let prefix = pick(["151", "152", "157", "160", "162", "170", "171", "172", "176", "179"])
        let rest = digits(int(7...8))
        switch random.below(4) {
        case 0: return "0\(prefix) \(rest)"
        case 1: return "+49 \(prefix) \(rest)"
        case 2: return "+49 (0)\(prefix) \(rest)"
        default: return "0\(prefix)-\(rest)"
        }
      }
      let area = pick(["30", "40", "89", "221", "69", "711", "211", "341"])
      let rest = digits(area.count == 2 ? 8 : 7)
      switch random.below(4) {
      case 0: return "0\(area) \(rest)"
      case 1: return "+49 \(area) \(rest)"
      case 2: return "(0\(area)) \(rest)"
      default: return "+49 (0)\(area) \(rest)"
      }
    case .frFR:
      let first = isMobile ? pick(["6", "7"]) : pick(["1", "2", "3", "4", "5", "9"])
      let pairs = (0..<4).map { _ in digits(2) }
      switch random.below(4) {
      case 0: return "0\(first) " + pairs.joined(separator: " ")
      case 1: return "+33 \(first) " + pairs.joined(separator: " ")
      case 2: return "+33\(first)" + pairs.joined()
      default: return "0\(first)." + pairs.joined(separator: ".")
      }
    case .esES:
      let first = isMobile ? pick(["6", "7"]) : "9"
      let rest = first + digits(8)
      let spaced = "\(rest.prefix(3)) \(rest.dropFirst(3).prefix(3)) \(rest.suffix(3))"
      switch random.below(4) {
      case 0: return spaced
      case 1: return "+34 " + spaced
      case 2: return "+34" + rest
      default:
        return "\(rest.prefix(3)) \(rest.dropFirst(3).prefix(2)) \(rest.dropFirst(5).prefix(2)) \(rest.suffix(2))"
      }
    case .itIT:
      if isMobile {
        let prefix = pick(["320", "328", "333", "338", "340", "347", "349", "366", "380", "393"])
        let rest = digits(7)
        switch random.below(3) {
        case 0: return "\(prefix) \(rest.prefix(3)) \(rest.suffix(4))"
        case 1: return "+39 \(prefix) \(rest)"
        default: return "+39\(prefix)\(rest)"
        }
      }
      let area = pick(["02", "06", "011", "055", "081", "051"])
      let rest = digits(area.count == 2 ? 8 : 7)
      return chance(0.5) ? "\(area) \(rest.prefix(4)) \(rest.dropFirst(4))" : "+39 \(area) \(rest)"
    case .plPL:
      let rest =
        (isMobile ? pick(["5", "6", "7", "8"]) : pick(["22", "12", "61", "71", "58"])) + digits(isMobile ? 8 : 7)
      switch random.below(4) {
      case 0: return "\(rest.prefix(3)) \(rest.dropFirst(3).prefix(3)) \(rest.suffix(3))"
      case 1: return "+48 \(rest.prefix(3)) \(rest.dropFirst(3).prefix(3)) \(rest.suffix(3))"
      case 2: return "\(rest.prefix(3))-\(rest.dropFirst(3).prefix(3))-\(rest.suffix(3))"
      default: return "+48" + rest
      }
    case .nlNL:
      if isMobile {
        let rest = digits(8)
        switch random.below(4) {
        case 0: return "06 " + rest
        case 1: return "06-" + rest
        case 2: return "+31 6 " + rest
        default: return "+316" + rest
        }
      }
      let area = pick(["20", "10", "70", "30", "40", "50"])
      let rest = digits(7)
      return chance(0.5)
        ? "0\(area) \(rest.prefix(3)) \(rest.suffix(4))" : "+\(cc) \(area) \(rest.prefix(3)) \(rest.suffix(4))"
    }
  }

  /// A bare international digit run (an MSISDN), only ever placed under a phone-like key.
  mutating func msisdn() -> String {
    let national: String
    switch locale {
    case .enUS: national = String(int(2...9)) + digits(2) + String(int(2...9)) + digits(6)
    case .enGB: national = "7" + digits(9)
    case .deDE: national = "15" + digits(9)
    case .frFR: national = "6" + digits(8)
    case .esES: national = "6" + digits(8)
    case .itIT: national = "3" + digits(9)
    case .plPL: national = "5" + digits(8)
    case .nlNL: national = "6" + digits(8)
    }
    return locale.callingCode + national
  }

  // MARK: Addresses

  mutating func address() -> PostalAddress {
    let words = self.words
    let street = pick(words.streets)
    let city = pick(words.cities)
    let country = locale.countryCode
    switch locale {
    case .enUS:
      let line1 = "\(int(1...9899)) \(street)"
      let line2: String? =
        chance(0.3)
        ? pick(["Apt \(int(1...40))\(pick(["A", "B", "C", ""]))", "Suite \(int(100...950))", "Unit \(int(1...30))"])
        : nil
      let state = pick(["CA", "NY", "TX", "IL", "WA", "OR", "CO", "OH", "GA", "NC", "MA", "PA", "FL", "AZ", "MN"])
      let zip = digits(5) + (chance(0.15) ? "-" + digits(4) : "")
      let full = [line1, line2, city].compactMap { $0 }.joined(separator: ", ") + ", \(state) \(zip)"
      return PostalAddress(
        line1: line1, line2: line2, city: city, postcode: zip, region: state, country: country, full: full)
    case .enGB:
      let line1 = "\(int(1...240)) \(street)"
      let line2: String? = chance(0.2) ? "Flat \(int(1...30))" : nil
      let postcode =
        pick(["LS", "M", "B", "SW", "E", "N", "BS", "CF", "EH", "G", "OX", "CB", "YO"]) + String(int(1...20))
        + " " + String(int(1...9)) + string(2, "ABDEFGHJLNPQRSTUWXYZ")
      let full = [line2, line1].compactMap { $0 }.joined(separator: ", ") + ", \(city) \(postcode)"
      return PostalAddress(
        line1: line1, line2: line2, city: city, postcode: postcode, region: nil, country: country, full: full)
    case .deDE:
      let line1 = "\(street) \(int(1...180))\(chance(0.1) ? pick(["a", "b"]) : "")"
      let postcode = Self.pad5(int(1067...99998))
      return PostalAddress(
        line1: line1, line2: nil, city: city, postcode: postcode, region: nil, country: country,
        full: "\(line1), \(postcode) \(city)")
    case .frFR:
      let line1 = "\(int(1...150))\(chance(0.08) ? " bis" : "") \(street)"
      let postcode = Self.pad5(int(1000...95999))
      let line2: String? = chance(0.15) ? "Bâtiment \(pick(["A", "B", "C"])), \(int(1...6))e étage" : nil
      return PostalAddress(
        line1: line1, line2: line2, city: city, postcode: postcode, region: nil, country: country,
        full: "\(line1), \(postcode) \(city)")
    case .esES:
      let line1 = "\(street), \(int(1...200))"
      let line2: String? = chance(0.5) ? "\(int(1...9))º \(pick(["A", "B", "C", "D", "izq.", "dcha."]))" : nil
      let postcode = Self.pad5(int(1001...52080))
      let full = [line1, line2].compactMap { $0 }.joined(separator: ", ") + ", \(postcode) \(city)"
      return PostalAddress(
        line1: line1, line2: line2, city: city, postcode: postcode, region: nil, country: country, full: full)
    case .itIT:
      let line1 = chance(0.5) ? "\(street) \(int(1...220))" : "\(street), \(int(1...220))"
      let postcode = Self.pad5(int(10...98168))
      return PostalAddress(
        line1: line1, line2: nil, city: city, postcode: postcode, region: nil, country: country,
        full: "\(line1), \(postcode) \(city)")
    case .plPL:
      let line1 = "\(street) \(int(1...120))" + (chance(0.5) ? "/\(int(1...80))" : "")
      let postcode = digits(2) + "-" + digits(3)
      return PostalAddress(
        line1: line1, line2: nil, city: city, postcode: postcode, region: nil, country: country,
        full: "\(line1), \(postcode) \(city)")
    case .nlNL:
      let line1 = "\(street) \(int(1...400))" + (chance(0.15) ? "-\(pick(["A", "B", "I", "II", "hs"]))" : "")
      let postcode = String(int(1000...9999)) + " " + string(2, "ABCDEGHJKLMNPRSTVWXZ")
      return PostalAddress(
        line1: line1, line2: nil, city: city, postcode: postcode, region: nil, country: country,
        full: "\(line1), \(postcode) \(city)")
    }
  }

  // MARK: Dates

  /// A date written as the locale's people and systems write them: ISO most often, else the
  /// national form (`04/23/1990`, `23/04/1990`, `23.04.1990`, `23-04-1990`).
  mutating func date(_ year: Int, _ month: Int, _ day: Int) -> String {
    let y = String(year)
    let m = Self.pad2(month)
    let d = Self.pad2(day)
    if chance(0.5) { return "\(y)-\(m)-\(d)" }
    switch locale {
    case .enUS: return "\(m)/\(d)/\(y)"
    case .enGB, .frFR, .esES, .itIT: return "\(d)/\(m)/\(y)"
    case .deDE, .plPL: return "\(d).\(m).\(y)"
    case .nlNL: return chance(0.5) ? "\(d)-\(m)-\(y)" : "\(d).\(m).\(y)"
    }
  }

  mutating func birthDate(_ birth: (year: Int, month: Int, day: Int)) -> DocumentNode {
    if chance(0.04) {
      return .s("\(birth.year)-\(Self.pad2(birth.month))-\(Self.pad2(birth.day))T00:00:00Z", .dateOfBirth)
    }
    return .s(date(birth.year, birth.month, birth.day), .dateOfBirth)
  }

  static func pad2(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

  /// Five digits with leading zeros (postcodes).
  static func pad5(_ value: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, 5 - text.count)) + text
  }
}
