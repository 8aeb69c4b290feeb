/// Key names: each concept has synonyms and abbreviations (shared by both splits), rendered in a
/// case style chosen per document. Some styles and context prefixes appear only in held-out
/// documents, so the held-out split measures keys the classifier never saw spelled that way.
enum KeyStyle: CaseIterable, Sendable {
  case snake  // date_of_birth
  case camel  // dateOfBirth
  case pascal  // DateOfBirth
  case kebab  // date-of-birth
  case upperSnake  // DATE_OF_BIRTH
  case flat  // dateofbirth
  // Held-out only:
  case upperKebab  // DATE-OF-BIRTH
  case trainCase  // Date-Of-Birth
  case dotted  // date.of.birth

  static let train: [KeyStyle] = [.snake, .snake, .snake, .camel, .camel, .camel, .pascal, .kebab, .upperSnake, .flat]
  static let heldOut: [KeyStyle] = [
    .snake, .snake, .camel, .camel, .pascal, .kebab, .upperSnake, .flat, .upperKebab, .trainCase, .dotted,
  ]

  func render(_ words: [Substring]) -> String {
    switch self {
    case .snake: return words.map { $0.lowercased() }.joined(separator: "_")
    case .kebab: return words.map { $0.lowercased() }.joined(separator: "-")
    case .dotted: return words.map { $0.lowercased() }.joined(separator: ".")
    case .upperSnake: return words.map { $0.uppercased() }.joined(separator: "_")
    case .upperKebab: return words.map { $0.uppercased() }.joined(separator: "-")
    case .flat: return words.map { $0.lowercased() }.joined()
    case .camel:
      return words.enumerated().map { $0.offset == 0 ? $0.element.lowercased() : Self.capitalized($0.element) }
        .joined()
    case .pascal: return words.map(Self.capitalized).joined()
    case .trainCase: return words.map(Self.capitalized).joined(separator: "-")
    }
  }

  private static func capitalized(_ word: Substring) -> String {
    guard let first = word.first else { return "" }
    // Acronym-like words keep their case in camel styles only when short (`ip`, `id` → `Ip`, `Id`).
    return first.uppercased() + word.dropFirst().lowercased()
  }
}

enum KeyVocabulary {
  /// Concept → synonyms, each synonym a space-separated list of words. A concept missing here is
  /// rendered from its own words (`created_at` → `createdAt`).
  static let synonyms: [String: [[Substring]]] = {
    let table: [String: String] = [
      // Contact and identity.
      "email": "email|email address|e mail|mail|email addr|emailaddress|mail addr|contact email",
      "phone": "phone|phone number|telephone|tel|phone no|contact number|tel no|phone num|ph",
      "mobile": "mobile|mobile no|mobile number|cell|cell phone|msisdn|mobile phone|handy|gsm",
      "first_name": "first name|given name|firstname|fname|forename",
      "last_name": "last name|surname|family name|lastname|lname",
      "full_name": "name|full name|display name|fullname|contact name",
      "dob":
        "dob|date of birth|birth date|birthdate|birthday|born on|birth dt|geburtsdatum|fecha nacimiento|date naissance",
      "gender": "gender|sex|gender identity",
      "username": "username|user name|login|handle|screen name|nickname|login name|user handle",
      "password": "password|passwd|pwd|pass|passphrase|user password",
      "address": "address|street address|address line1|street|addr1|street line",
      "address2": "address line2|addr2|apartment|suite",
      "full_address": "address|postal address|mailing address|full address|anschrift|adresse|direccion|indirizzo",
      "city": "city|town|locality|city name",
      "postcode": "postcode|zip|postal code|zip code|plz",
      "region": "state|region|province|county",
      "country": "country|country code|nation",
      "age": "age|age years|customer age",
      "ip": "ip|ip address|client ip|remote addr|source ip|ip addr",
      "mac": "mac|mac address|hw addr|mac addr|hardware address|bssid",
      "imei": "imei|device imei|imei number",
      "ssn": "ssn|social security number|ssn number|social sec no|tax ssn",
      "passport": "passport number|passport no|passport|passport id|travel document number",
      "drivers_license": "drivers license|driver license number|dl number|licence number|driving licence|dl no",
      "iban": "iban|iban number|account iban|bank iban",
      "bic": "bic|swift|swift code|bic code|swift bic",
      "bank_account": "account number|bank account|acct no|account no|bank account number",
      "routing": "routing number|aba|aba routing|routing no|rtn",
      "card_number": "card number|pan|cc|cc number|ccnum|credit card|card no|primary account number|card num|cc no",
      "card_expiry": "expiry|exp date|expiration|card expiry|expiration date|exp",
      "cvv": "cvv|cvc|csc|security code|cvv2|card code|cvc2",
      "card_holder": "cardholder name|card holder|name on card|holder name|cardholder",
      "masked_card": "masked pan|masked card|card mask|display number|masked number",
      "tax_id": "tax id|tin|tax number|taxpayer id|vat id|ein",
      "national_id": "national id|national id number|id number|nin|personal number|citizen id",
      "geo": "location|coordinates|latlng|geo|position|coords",
      "lat": "lat|latitude",
      "lng": "lng|lon|longitude|long",
      "mrn": "mrn|medical record number|patient mrn|chart number|record number",
      "insurance_id": "insurance id|member id|policy member id|insurance number|subscriber id|health plan id",
      "diagnosis": "diagnosis code|icd10|icd code|dx code|diagnosis",
      "wallet": "wallet address|wallet|crypto address|btc address|payout address|deposit address",
      "api_key": "api key|apikey|api token|access key|client secret|secret key|api secret|x api key",
      "aws_key": "aws access key id|access key id|aws key id|aws access key",
      "aws_secret": "aws secret access key|secret access key|aws secret",
      "private_key": "private key|ssh private key|signing key|tls key|key pem|private key pem",
      "jwt": "access token|id token|token|jwt|auth token|bearer token|session token",
      "authorization": "authorization|auth header|authorization header",
      "connection": "database url|dsn|connection string|db url|broker url|uri",
      // Hard negatives and structure.
      "id": "id|uid|identifier|object id",
      "created": "created at|created|creation date|date created|created on",
      "updated": "updated at|modified|last modified|updated|date updated",
      "order_id": "order id|order number|order no|order ref",
      "invoice": "invoice id|invoice number|invoice no",
      "request_id": "request id|trace id|correlation id|x request id",
      "session": "session id|session|sid",
      "checksum": "checksum|etag|sha256|digest|content hash|md5",
      "sku": "sku|item code|product code|article number",
      "barcode": "ean|barcode|gtin|upc",
      "tracking": "tracking number|tracking id|waybill|tracking code",
      "amount": "amount|total|price|grand total|value",
      "currency": "currency|currency code|ccy",
      "status": "status|state code|lifecycle status",
      "version": "version|app version|build version|api version",
      "user_agent": "user agent|ua|browser",
      "notes": "notes|comment|remarks|description|memo",
      "message": "message|text|body|content",
      "company": "company|company name|organization|employer|org name",
      "product": "product name|title|item name|product",
      "language": "language|lang|locale",
    ]
    return table.mapValues { spec in spec.split(separator: "|").map { $0.split(separator: " ") } }
  }()

  /// Context prefixes (`billingEmail`) each split may put before a key.
  static let trainPrefixes: [Substring] = ["customer", "user", "contact", "account", "billing", "shipping", "client"]
  static let heldOutPrefixes: [Substring] = ["primary", "main", "registered", "holder", "applicant", "owner", "member"]
}
