@_spi(Training) import Detection

/// Values that look random, numeric or personal but hold nothing sensitive: the hard negatives.
extension DocumentContext {
  mutating func uuid() -> String {
    let hex = string(32, Alphabet.lowerHex)
    let characters = Array(hex)
    var out = ""
    for (index, character) in characters.enumerated() {
      if [8, 12, 16, 20].contains(index) { out += "-" }
      out.append(index == 12 ? "4" : character)
    }
    return chance(0.1) ? out.uppercased() : out
  }

  mutating func hexDigest() -> String { string(pick([32, 40, 64]), Alphabet.lowerHex) }
  mutating func base64Digest() -> String { Base64.encode((0..<pick([16, 20, 32])).map { _ in UInt8(int(0...255)) }) }

  mutating func objectID(_ prefix: String) -> String { prefix + "_" + string(int(14...24), Alphabet.alphanumeric) }

  mutating func requestID() -> DocumentNode {
    switch random.below(4) {
    case 0: return .s(uuid())
    case 1: return .s("req_" + string(16, Alphabet.lowerAlphanumeric))
    case 2: return .s(string(32, Alphabet.lowerHex))
    default: return .s(String(int(1...9)) + "-" + string(8, Alphabet.lowerHex) + "-" + string(24, Alphabet.lowerHex))
    }
  }

  mutating func orderID() -> DocumentNode {
    switch random.below(5) {
    case 0: return .s("ORD-\(int(2019...2026))-\(digits(6))")
    case 1: return .s("#" + String(int(1000...999_999)))
    case 2: return .n(int(100_000...99_999_999))
    case 3: return .s(objectID("ord"))
    default: return .s(string(3, Alphabet.upper) + "-" + digits(8))
    }
  }

  mutating func invoiceID() -> DocumentNode {
    chance(0.5) ? .s("INV-\(int(2020...2026))-\(digits(5))") : .s("\(string(2, Alphabet.upper))\(digits(8))")
  }

  mutating func trackingNumber() -> String {
    switch random.below(4) {
    case 0: return "1Z" + string(6, Alphabet.upperAlphanumeric) + digits(10)
    case 1: return digits(pick([20, 22]))
    case 2: return "JD" + digits(16)
    default: return string(2, Alphabet.upper) + digits(9) + pick(["DE", "GB", "FR", "NL", "US", "PL"])
    }
  }

  mutating func price() -> DocumentNode {
    let cents = Self.pad2(int(0...99))
    let units = pick([int(0...50), int(1...500), int(100...5000)])
    switch random.below(4) {
    case 0: return .s("\(units).\(cents)")
    case 1: return .n(units * 100 + int(0...99))
    default: return .n("\(units).\(cents)")
    }
  }

  mutating func timestamp() -> DocumentNode {
    let year = int(2019...2026)
    let date = "\(year)-\(Self.pad2(int(1...12)))-\(Self.pad2(int(1...28)))"
    let time = "\(Self.pad2(int(0...23))):\(Self.pad2(int(0...59))):\(Self.pad2(int(0...59)))"
    switch random.below(7) {
    case 0: return .s("\(date)T\(time)Z")
    case 1: return .s("\(date)T\(time).\(digits(3))Z")
    case 2: return .s("\(date)T\(time)+0\(int(0...2)):00")
    case 3: return .n(int(1_550_000_000...1_790_000_000) * 1000 + int(0...999))
    case 4: return .n(int(1_550_000_000...1_790_000_000))
    case 5:
      let day = pick(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])
      let month = pick(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])
      return .s("\(day), \(Self.pad2(int(1...28))) \(month) \(year) \(time) GMT")
    default: return .s("\(date) \(time)")
    }
  }

  /// A calendar date that is not a birth date (order, shipping, appointment, expiry), in the same
  /// formats birth dates use, so only the key tells them apart.
  mutating func plainDate(years: ClosedRange<Int> = 2018...2027) -> DocumentNode {
    .s(date(int(years), int(1...12), int(1...28)))
  }

  mutating func version() -> String {
    switch random.below(4) {
    case 0: return "\(int(0...9)).\(int(0...30)).\(int(0...99))"
    case 1: return "v\(int(1...5)).\(int(0...20)).\(int(0...9))"
    case 2: return "\(int(1...20)).\(int(0...20)).\(int(0...9)).\(int(0...200))"
    default: return "\(int(1...4)).\(int(0...12)).\(int(0...9))-\(pick(["beta", "rc", "alpha"])).\(int(1...9))"
    }
  }

  mutating func sku() -> String {
    switch random.below(3) {
    case 0: return "SKU-\(digits(5))-\(pick(["BLK", "WHT", "RED", "BLU", "M", "L", "XL"]))"
    case 1: return string(3, Alphabet.upper) + digits(4) + string(1, Alphabet.upper)
    default: return "\(digits(3))-\(digits(3))-\(digits(2))"
    }
  }

  /// An EAN-13 (or UPC-A, 12 digits) with a valid check digit.
  mutating func barcode() -> String {
    let upc = chance(0.3)
    let body =
      upc ? digits(11) : pick(["40", "41", "42", "43", "30", "50", "76", "80", "84", "87", "90", "59"]) + digits(10)
    var sum = 0
    for (index, character) in body.reversed().enumerated() {
      let digit = Int(character.asciiValue ?? 48) - 48
      sum += index % 2 == 0 ? digit * 3 : digit
    }
    return body + String((10 - sum % 10) % 10)
  }

  mutating func company() -> String { pick(Dictionaries.companies(split)) }
  mutating func product() -> String { pick(Dictionaries.products(split)) }
  mutating func city() -> String { pick(words.cities) }

  mutating func status() -> String {
    pick([
      "active", "pending", "completed", "failed", "cancelled", "shipped", "delivered", "refunded", "open", "closed",
      "in_progress", "ACTIVE", "PENDING", "succeeded", "requires_action", "processing", "on_hold",
    ])
  }

  mutating func userAgent() -> String {
    switch random.below(5) {
    case 0:
      return
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/\(int(100...131)).0.\(int(1000...6999)).\(int(10...200)) Safari/537.36"
    case 1:
      return
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_\(int(0...6)) like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.\(int(0...6)) Mobile/15E148 Safari/604.1"
    case 2: return "okhttp/4.\(int(9...12)).\(int(0...3))"
    case 3:
      return
        "\(pick(["ShopApp", "RideNow", "Fitly", "BankGo"]))/\(version()) (Android \(int(10...15)); \(pick(["Pixel 8", "SM-G991B", "Redmi Note 12"])))"
    default: return "curl/8.\(int(0...11)).\(int(0...1))"
    }
  }

  mutating func hexColor() -> String { "#" + string(6, Alphabet.lowerHex) }
  mutating func fileName() -> String {
    pick(["invoice", "report", "avatar", "export", "backup", "scan", "photo", "statement"]) + "_" + digits(int(3...8))
      + "."
      + pick(["pdf", "png", "jpg", "csv", "json", "zip"])
  }

  mutating func url() -> String {
    let host = pick([
      "cdn.example.com", "api.acme.io", "shop.example.org", "static.brightline.dev", "img.northwind.net",
    ])
    return
      "https://\(host)/\(pick(["assets", "v1/products", "images", "files", "docs"]))/\(string(int(6...12), Alphabet.lowerAlphanumeric))\(pick(["", ".png", ".html", "?ref=home", "?page=2&sort=asc"]))"
  }

  mutating func language() -> String {
    pick(["en", "de", "fr", "es", "it", "pl", "nl", "en-US", "de-DE", "fr-FR", "pt-BR"])
  }
  mutating func countryCode() -> String {
    chance(0.7) ? locale.countryCode : pick(["US", "GB", "DE", "FR", "ES", "IT", "PL", "NL", "BE", "AT", "CH", "SE"])
  }

  /// A free-standing non-sensitive identifier of several shapes (nonce, trace id, span id, cursor).
  mutating func opaqueID() -> String {
    switch random.below(5) {
    case 0: return uuid()
    case 1: return string(16, Alphabet.lowerHex)
    case 2: return objectID(pick(["cus", "evt", "pi", "ch", "sub", "txn", "acct"]))
    case 3: return string(int(20...26), Alphabet.upperAlphanumeric)
    default: return hexDigest()
    }
  }
}
