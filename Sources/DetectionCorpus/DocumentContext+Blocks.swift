import Detection

/// Building blocks several schema families share: name fields, addresses, phones, places, cards.
extension DocumentContext {
  /// A person's name as one full-name field or as first and last name.
  mutating func addName(_ object: inout ObjectBuilder, _ person: Person, context: String? = nil) {
    if chance(0.45) {
      object[key("full_name", context: context)] = .s(person.full, .personName)
    } else {
      object[key("first_name", context: context)] = .s(person.first, .personName)
      object[key("last_name", context: context)] = .s(person.last, .personName)
    }
  }

  /// A phone leaf: formatted as the locale writes it, or now and then a bare digit run (string or
  /// number), which only a phone-like key makes a phone.
  mutating func phoneNode(_ person: Person? = nil) -> DocumentNode {
    switch random.below(10) {
    case 0: return .s(msisdn(), .phone)
    case 1: return .n(msisdn(), .phone)
    default: return .s(person?.phone ?? phone(), .phone)
    }
  }

  /// An address: a structured object (street lines labelled, city/postcode/country not), or one
  /// full-address string.
  mutating func addressNode(_ address: PostalAddress) -> DocumentNode {
    if chance(0.3) { return .s(address.full, .address) }
    var object = ObjectBuilder()
    object[key("address")] = .s(address.line1, .address)
    if let line2 = address.line2 { object[key("address2")] = .s(line2, .address) }
    object[key("city")] = .s(address.city)
    object[key("postcode")] =
      chance(0.15) && address.postcode.allSatisfy(\.isNumber) ? .n(address.postcode) : .s(address.postcode)
    if let region = address.region { object[key("region")] = .s(region) }
    object[key("country")] = .s(chance(0.8) ? address.country : countryName(address.country))
    if chance(0.2) { object[literal("is default")] = .bool(chance(0.5)) }
    return object.node
  }

  func countryName(_ code: String) -> String {
    switch code {
    case "US": "United States"
    case "GB": "United Kingdom"
    case "DE": "Deutschland"
    case "FR": "France"
    case "ES": "España"
    case "IT": "Italia"
    case "PL": "Polska"
    default: "Nederland"
    }
  }

  /// A latitude/longitude pair as a string, an object of two numbers, or an array `[lng, lat]`.
  mutating func geoNode(shape: Int? = nil) -> DocumentNode {
    let point = coordinates()
    switch shape ?? random.below(5) {
    case 0: return .s("\(point.lat),\(point.lng)", .geoCoordinates)
    case 1: return .s("\(point.lat), \(point.lng)", .geoCoordinates)
    case 2:
      // GeoJSON order (longitude first) most often, else latitude first.
      let pair = chance(0.7) ? [point.lng, point.lat] : [point.lat, point.lng]
      return .array(pair.map { .n($0, .geoCoordinates) })
    default:
      var object = ObjectBuilder()
      let asStrings = chance(0.15)
      object[key("lat")] = asStrings ? .s(point.lat, .geoCoordinates) : .n(point.lat, .geoCoordinates)
      object[key("lng")] = asStrings ? .s(point.lng, .geoCoordinates) : .n(point.lng, .geoCoordinates)
      if chance(0.3) { object[literal("accuracy")] = .n(int(3...80)) }
      return object.node
    }
  }

  /// A payment card object as a checkout or vault API sends it.
  mutating func cardObject(holder: Person?, full: Bool) -> DocumentNode {
    var card = ObjectBuilder()
    if full {
      card[key("card_number")] = cardNumber()
      card[key("card_expiry")] = cardExpiry()
      if chance(0.8) { card[key("cvv")] = cvv() }
    } else {
      card[key("masked_card")] = maskedCard()
      card[literal("last4")] = .s(digits(4))
      card[literal("exp month")] = .n(int(1...12))
      card[literal("exp year")] = .n(int(2025...2033))
    }
    if let holder, chance(0.7) {
      card[key("card_holder")] = .s(chance(0.2) ? holder.full.uppercased() : holder.full, .personName)
    }
    card[literal("brand")] = .s(cardBrand())
    if chance(0.4) { card[literal("fingerprint")] = .s(string(16, Alphabet.alphanumeric)) }
    if chance(0.3) { card[literal("funding")] = .s(pick(["credit", "debit", "prepaid"])) }
    return card.node
  }

  mutating func moneyObject() -> DocumentNode {
    var money = ObjectBuilder()
    money[key("amount")] = price()
    money[key("currency")] = .s(chance(0.8) ? locale.currency : pick(["USD", "EUR", "GBP", "PLN", "CHF"]))
    return money.node
  }

  /// A line item list: all negatives (SKUs, names, prices, quantities, barcodes).
  mutating func lineItems(_ count: Int) -> DocumentNode {
    let withBarcode = chance(0.4)
    let withColor = chance(0.3)
    return .array(
      (0..<count).map { _ in
        var item = ObjectBuilder()
        item[key("sku")] = .s(sku())
        item[key("product")] = .s(product())
        item[literal("quantity")] = .n(int(1...5))
        item[literal("unit price")] = price()
        if withBarcode { item[key("barcode")] = .s(barcode()) }
        if withColor { item[literal("color")] = .s(hexColor()) }
        return item.node
      })
  }

  mutating func fieldsFromHeaders(_ object: inout ObjectBuilder, authorization: Bool) {
    var headers = ObjectBuilder()
    headers[literal("content type")] = .s(pick(["application/json", "application/json; charset=utf-8", "text/plain"]))
    headers[key("user_agent")] = .s(userAgent())
    headers[literal("accept encoding")] = .s(pick(["gzip, deflate, br", "gzip", "identity"]))
    if chance(0.5) { headers[literal("x forwarded for")] = .s(ipv4() + ", " + ipv4(privateRange: true), .ipAddress) }
    if authorization {
      switch random.below(3) {
      case 0: headers[key("authorization")] = .s("Bearer " + jwt(), .jwt)
      case 1: headers[key("authorization")] = .s(basicAuth(), .basicAuthCredentials)
      default: headers[literal("x api key")] = .s(apiKey(), .apiKey)
      }
    }
    if chance(0.5) { headers[literal("etag")] = .s("W/\"" + string(16, Alphabet.lowerHex) + "\"") }
    if chance(0.4) { headers[literal("cache control")] = .s(pick(["no-cache", "max-age=3600", "private, max-age=0"])) }
    object[literal("headers")] = headers.node
  }
}

extension DocumentContext {
  /// Adds a few of the non-sensitive fields real payloads carry around the interesting ones:
  /// timestamps, ids, flags, counts, versions, and keys that sound sensitive but hold nothing
  /// (`password_changed_at`, `ssn_verified`, `email_opt_in`, `cache_age`).
  mutating func addNoise(_ object: inout ObjectBuilder, _ count: Int) {
    for _ in 0..<count {
      switch random.below(37) {
      case 34, 35:
        // Missing values come as null: under plain keys and under sensitive-sounding ones alike.
        object[
          literal(pick(["deleted at", "middle name", "fax", "coupon", "referrer", "notes", "second phone", "vat id"]))] =
          .null
      case 0: object[key("created")] = timestamp()
      case 1: object[key("updated")] = timestamp()
      case 2: object[key("version")] = .s(version())
      case 3: object[key("checksum")] = .s(chance(0.6) ? hexDigest() : base64Digest())
      case 4: object[key("request_id")] = requestID()
      case 5: object[key("session")] = .s(opaqueID())
      case 6: object[key("language")] = .s(language())
      case 7: object[key("currency")] = .s(locale.currency)
      case 8: object[literal(pick(["is active", "enabled", "archived", "is test", "deleted"]))] = .bool(chance(0.5))
      case 9:
        object[literal(pick(["retry count", "page views", "login count", "items count", "attempts"]))] = .n(
          int(0...400))
      case 10:
        object[literal("tags")] = .array([
          .s(pick(["beta", "vip", "eu", "b2b"])), .s(pick(["q3", "promo", "legacy"])),
        ])
      case 11:
        object[literal(pick(["password changed at", "password updated at", "last password reset"]))] = timestamp()
      case 12:
        object[literal(pick(["has password", "password set", "mfa enabled", "password expired"]))] = .bool(chance(0.5))
      case 13:
        object[literal(pick(["email verified", "phone verified", "ssn verified", "dob verified", "iban verified"]))] =
          .bool(chance(0.7))
      case 14: object[literal(pick(["email opt in", "sms opt in", "phone consent"]))] = .bool(chance(0.5))
      case 15:
        object[literal(pick(["cache age", "max age", "account age days", "token age seconds"]))] = .n(int(0...86400))
      case 16:
        if chance(0.5) {
          object[literal(pick(["card brand", "card network"]))] = .s(pick(["visa", "mastercard", "amex", "discover"]))
        } else {
          object[literal(pick(["card type", "funding type"]))] = .s(pick(["credit", "debit", "prepaid"]))
        }
      case 17:
        object[literal(pick(["password policy", "password strength"]))] = .s(
          pick(["strong", "weak", "medium", "min12-upper-digit"]))
      case 18: object[literal(pick(["theme color", "brand color", "accent"]))] = .s(hexColor())
      case 19: object[literal(pick(["attachment", "file name", "document"]))] = .s(fileName())
      case 20: object[literal(pick(["website", "homepage", "callback url", "return url"]))] = .s(url())
      case 21:
        object[literal(pick(["trace id", "span id", "correlation id"]))] = .s(
          string(pick([16, 32]), Alphabet.lowerHex))
      case 22:
        object[literal(pick(["nonce", "state", "idempotency key"]))] = .s(
          chance(0.5) ? uuid() : string(24, Alphabet.alphanumeric))
      case 23:
        object[literal(pick(["customer number", "account ref", "member number", "reference"]))] = .s(
          digits(int(6...10)))
      case 24: object[literal(pick(["order count", "total spent", "lifetime value"]))] = price()
      case 25:
        object[literal(pick(["timezone", "tz"]))] = .s(
          pick(["Europe/Berlin", "America/Chicago", "UTC", "Europe/Madrid"]))
      case 26:
        object[literal(pick(["source ip allowlist enabled", "ip whitelisted", "geo blocking"]))] = .bool(chance(0.5))
      case 27: object[literal(pick(["build", "revision", "commit"]))] = .s(string(pick([7, 40]), Alphabet.lowerHex))
      case 28: object[literal(pick(["country", "ship country", "country of sale"]))] = .s(countryCode())
      case 29: object[literal(pick(["expires at", "valid until", "trial ends"]))] = plainDate(years: 2024...2030)
      case 30: object[literal(pick(["score", "rank", "priority"]))] = .n("0.\(digits(int(2...4)))")
      case 31:
        object[literal(pick(["plan", "tier", "segment"]))] = .s(pick(["free", "pro", "enterprise", "smb", "gold"]))
      case 32:
        object[literal(pick(["user id", "owner id", "created by"]))] =
          chance(0.5) ? .n(int(1...9_999_999)) : .s(objectID("usr"))
      default: object[key("status")] = .s(status())
      }
    }
  }
}

extension DocumentContext {
  /// A pet: its name is not a person's name, though pets and people share many names.
  mutating func pet() -> DocumentNode {
    var pet = ObjectBuilder()
    pet[literal("name")] = .s(
      pick([
        "Bella", "Max", "Luna", "Rocky", "Milo", "Coco", "Nala", "Simba", "Oscar", "Teddy", "Daisy", "Bruno", "Kira",
        "Balu", "Minou", "Pepper", "Ziggy", "Biscuit", "Mochi", "Loki", "Charlie", "Lucky", "Felix", "Ronja",
      ]))
    pet[literal("species")] = .s(pick(["dog", "cat", "rabbit", "parrot"]))
    pet[literal("breed")] = .s(pick(["Labrador", "Beagle", "Maine Coon", "Mixed", "Dachshund", "Siamese"]))
    pet[literal("age")] = .n(int(1...15))
    return pet.node
  }
}
