import Detection

/// Form-urlencoded bodies and query strings, carried as a JSON string at the document root
/// (`"email=jane%40x.org&plan=pro"`). The detector reads such a string as a flat object, so the
/// labels go on `$.email`, `$.plan`, …, and the root string itself has no label.
enum FormDocument {
  typealias Field = (key: String, value: String, types: Set<DataType>)

  static func make(_ c: inout DocumentContext) -> LabelledDocument {
    let p = c.person()
    var fields: [Field] = []
    func add(_ concept: String, _ value: String, _ types: DataType..., c: inout DocumentContext) {
      let key = c.key(concept)
      guard !fields.contains(where: { $0.key == key }) else { return }
      fields.append((key, value, Set(types)))
    }
    let kinds = c.split == .train ? ["signup", "contact", "checkout"] : ["newsletter", "loan", "login"]
    switch c.pick(kinds) {
    case "signup":
      add("email", p.email, .email, c: &c)
      add("password", c.password(), .password, c: &c)
      if c.chance(0.6) { add("full_name", p.full, .personName, c: &c) }
      if c.chance(0.5) { add("dob", c.date(p.birth.year, p.birth.month, p.birth.day), .dateOfBirth, c: &c) }
      add("plan", c.pick(["free", "pro", "team"]), c: &c)
      add("utm_source", c.pick(["google", "newsletter", "twitter"]), c: &c)
      add("csrf_token", c.string(32, Alphabet.base64URL), c: &c)
    case "contact":
      add("full_name", p.full, .personName, c: &c)
      add("email", p.email, .email, c: &c)
      if c.chance(0.6) { add("phone", p.phone, .phone, c: &c) }
      if case .string(let text, let types) = c.freeText(person: p) { fields.append((c.key("message"), text, types)) }
      add("page", c.pick(["/contact", "/support", "/pricing"]), c: &c)
    case "checkout":
      add("card_holder", p.full, .personName, c: &c)
      add("card_number", c.cardDigits().digits, .cardNumber, c: &c)
      if case .string(let expiry, _) = c.cardExpiry() { add("card_expiry", expiry, .cardExpiration, c: &c) }
      add("cvv", c.digits(3), .cardCVV, c: &c)
      add("postcode", p.address.postcode, c: &c)
      add("amount", "\(c.int(5...500)).\(DocumentContext.pad2(c.int(0...99)))", c: &c)
      add("order_id", "ORD-" + c.digits(7), c: &c)
    case "newsletter":
      add("email", p.email, .email, c: &c)
      add("first_name", p.first, .personName, c: &c)
      add("language", c.language(), c: &c)
      add("consent", c.pick(["1", "true", "yes"]), c: &c)
      add("source", c.pick(["footer", "popup", "checkout"]), c: &c)
    case "loan":
      add("full_name", p.full, .personName, c: &c)
      add("dob", c.date(p.birth.year, p.birth.month, p.birth.day), .dateOfBirth, c: &c)
      if c.locale == .enUS {
        add("ssn", c.ssn(), .usSSN, c: &c)
      } else {
        add("iban", c.iban(spaced: false), .iban, c: &c)
      }
      add("full_address", p.address.full, .address, c: &c)
      add("annual_income", String(c.int(20...250) * 1000), c: &c)
      add("term_months", String(c.pick([12, 24, 36, 60])), c: &c)
    default:
      add("username", p.username, .username, c: &c)
      add("password", c.password(), .password, c: &c)
      add("remember_me", c.pick(["on", "1", "true"]), c: &c)
      add("redirect", "/account", c: &c)
      add("nonce", c.string(24, Alphabet.lowerAlphanumeric), c: &c)
    }
    let body = fields.map { percentEncoded($0.key) + "=" + percentEncoded($0.value) }.joined(separator: "&")
    var writer = DocumentWriter(spaced: false)
    writer.write(.string(body, []))
    var labels: [String: Set<DataType>] = [:]
    for field in fields where !field.types.isEmpty {
      labels[FieldPath([.key(field.key)]).description, default: []].formUnion(field.types)
    }
    return LabelledDocument(json: writer.text, labels: labels)
  }

  /// `application/x-www-form-urlencoded`: unreserved bytes kept, space as `+`, the rest `%XX`.
  static func percentEncoded(_ text: String) -> String {
    let hex = Array(Alphabet.upperHex.unicodeScalars)
    var out = ""
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"),
        UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
        out.unicodeScalars.append(Unicode.Scalar(byte))
      case UInt8(ascii: " "):
        out += "+"
      default:
        out += "%"
        out.unicodeScalars.append(hex[Int(byte >> 4)])
        out.unicodeScalars.append(hex[Int(byte & 15)])
      }
    }
    return out
  }
}
