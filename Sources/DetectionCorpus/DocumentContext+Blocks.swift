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
    case 2: return .array([.n(point.lng, .geoCoordinates), .n(point.lat, .geoCoordinates)])
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
