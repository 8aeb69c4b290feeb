import Testing

@testable import Detection

/// The detector end to end on small documents: each required type found where it is, from the
/// value, the key or both, and hard negatives left clean.
@Suite struct DetectorTests {
  let detector = Detector(referenceYear: 2026)

  func types(_ json: String) throws -> [String: [String]] {
    let findings = try detector.detect(json: Array(json.utf8))
    var result: [String: [String]] = [:]
    for field in findings.fields { result[field.path.description] = field.types.map(\.id) }
    return result
  }

  struct Case: Sendable, CustomTestStringConvertible {
    var json: String
    var path: String
    var type: String
    var testDescription: String { "\(type) at \(path)" }
  }

  static let positives: [Case] = [
    Case(json: #"{"contact":{"email":"jane.doe@example.org"}}"#, path: "$.contact.email", type: "email"),
    Case(json: #"{"msisdn":"447700900123"}"#, path: "$.msisdn", type: "phone"),
    Case(json: #"{"phone":"+44 20 7946 0958"}"#, path: "$.phone", type: "phone"),
    Case(
      json: #"{"customer":{"firstName":"Maria","lastName":"Kowalski"}}"#, path: "$.customer.firstName",
      type: "person_name"),
    Case(
      json: #"{"shipping":{"street":"221B Baker Street","city":"London"}}"#, path: "$.shipping.street",
      type: "address"),
    Case(json: #"{"dob":"1990-04-23"}"#, path: "$.dob", type: "date_of_birth"),
    Case(json: #"{"DateOfBirth":"23.04.1990"}"#, path: "$.DateOfBirth", type: "date_of_birth"),
    Case(json: #"{"BIRTH-DATE":"04/23/1990"}"#, path: "$.BIRTH-DATE", type: "date_of_birth"),
    Case(json: #"{"gender":"female"}"#, path: "$.gender", type: "gender"),
    Case(json: #"{"username":"jdoe_42"}"#, path: "$.username", type: "username"),
    Case(json: #"{"location":"52.5200,13.4050"}"#, path: "$.location", type: "geo_coordinates"),
    Case(json: #"{"client_ip":"10.1.2.3"}"#, path: "$.client_ip", type: "ip_address"),
    Case(json: #"{"remote":"2001:db8::8a2e:370:7334"}"#, path: "$.remote", type: "ip_address"),
    Case(json: #"{"device":{"mac":"00:1A:2B:3C:4D:5E"}}"#, path: "$.device.mac", type: "mac_address"),
    Case(json: #"{"ssn":"123-45-6789"}"#, path: "$.ssn", type: "us_ssn"),
    Case(json: #"{"SSN":"123456789"}"#, path: "$.SSN", type: "us_ssn"),
    Case(json: #"{"passportNumber":"C01X00T47"}"#, path: "$.passportNumber", type: "passport_number"),
    Case(json: #"{"drivers_license":"D1234567"}"#, path: "$.drivers_license", type: "drivers_license"),
    Case(json: #"{"iban":"DE89 3704 0044 0532 0130 00"}"#, path: "$.iban", type: "iban"),
    Case(json: #"{"pan":"4111 1111 1111 1111"}"#, path: "$.pan", type: "card_number"),
    Case(json: #"{"cc":4111111111111111}"#, path: "$.cc", type: "card_number"),
    Case(json: #"{"card":{"exp":"08/27"}}"#, path: "$.card.exp", type: "card_expiration"),
    Case(json: #"{"card":{"cvc":"123"}}"#, path: "$.card.cvc", type: "card_cvv"),
    Case(json: #"{"card":"**** **** **** 4242"}"#, path: "$.card", type: "masked_card_number"),
    Case(json: #"{"password":"hunter2!Secret"}"#, path: "$.password", type: "password"),
    Case(
      json:
        #"{"authorization":"Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"}"#,
      path: "$.authorization", type: "jwt"),
    Case(json: #"{"key":"AKIAIOSFODNN7EXAMPLE"}"#, path: "$.key", type: "aws_access_key"),
    Case(
      json:
        #"{"pem":"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----"}"#,
      path: "$.pem", type: "private_key"),
    Case(json: #"{"stripe":"sk_live_4eC39HqLyjWDarjtT1zdp7dc"}"#, path: "$.stripe", type: "api_key"),
    Case(json: #"{"client_secret":"q8Zr2Lw9XkT4vB7nM1pS6dF3"}"#, path: "$.client_secret", type: "api_key"),
    Case(json: #"{"items":[{"buyer":{"email":"a.b@example.com"}}]}"#, path: "$.items[*].buyer.email", type: "email"),
    Case(json: #""email=jane%40example.org&plan=pro""#, path: "$.email", type: "email"),
  ]

  @Test(arguments: positives) func findsEachRequiredType(_ example: Case) throws {
    let found = try types(example.json)
    #expect(found[example.path]?.contains(example.type) == true, "found: \(found)")
  }

  static let negatives: [String] = [
    #"{"id":"3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b"}"#,
    #"{"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}"#,
    #"{"order_id":"ORD-2024-000123"}"#,
    #"{"tracking_number":"1Z999AA10123456784"}"#,
    #"{"price":"4111.11","amount":1999.99}"#,
    #"{"created_at":"2021-03-04T05:06:07Z","updated_at":1700000000000}"#,
    #"{"version":"1.2.3.4"}"#,
    #"{"sku":"SKU-48213-BLK"}"#,
    #"{"ean":"4006381333931"}"#,
    #"{"createdDate":"1990-04-23"}"#,
    #"{"company":{"name":"Acme Logistics GmbH"}}"#,
    #"{"product":{"name":"Ultra Comfort Chair","price":129.0,"sku":"UC-2"}}"#,
    #"{"email_verified":true,"phone_type":"mobile"}"#,
  ]

  @Test(arguments: negatives) func leavesHardNegativesClean(_ json: String) throws {
    let found = try types(json)
    #expect(found.isEmpty, "found: \(found)")
  }

  /// For every required type, a look-alike that must not be reported as that type.
  static let lookAlikes: [Case] = [
    Case(json: #"{"contact":"jane@localhost","mail_server":"smtp.example.org"}"#, path: "*", type: "email"),
    Case(json: #"{"order_id":"4477009001"}"#, path: "*", type: "phone"),
    Case(json: #"{"merchant":{"name":"Harbor Freight Partners"}}"#, path: "*", type: "person_name"),
    Case(json: #"{"city":"London","postcode":"SW1A 1AA","country":"GB"}"#, path: "*", type: "address"),
    Case(json: #"{"createdDate":"1990-04-23","shipped_on":"2001-02-03"}"#, path: "*", type: "date_of_birth"),
    Case(json: #"{"connector":"male","plug":"female"}"#, path: "*", type: "gender"),
    Case(json: #"{"user_id":12345,"user_agent":"curl/8.5.0"}"#, path: "*", type: "username"),
    Case(json: #"{"score":52.5200,"ratio":"0.25"}"#, path: "*", type: "geo_coordinates"),
    Case(json: #"{"version":"1.2.3.4"}"#, path: "*", type: "ip_address"),
    Case(json: #"{"sha1":"da39a3ee5e6b4b0d3255bfef95601890afd80709","build":"00:1A"}"#, path: "*", type: "mac_address"),
    Case(json: #"{"ssn":"666-12-3456","other":"000-12-3456"}"#, path: "*", type: "us_ssn"),
    Case(json: #"{"passport_type":"P","passport_country":"DE"}"#, path: "*", type: "passport_number"),
    Case(json: #"{"license_type":"B","licence_class":"C1"}"#, path: "*", type: "drivers_license"),
    Case(json: #"{"iban":"DE89 3704 0044 0532 0130 01"}"#, path: "*", type: "iban"),
    Case(json: #"{"ean":"4006381333931","card":"4111 1111 1111 1112"}"#, path: "*", type: "card_number"),
    Case(json: #"{"expires_at":"2027-08-01T00:00:00Z"}"#, path: "*", type: "card_expiration"),
    Case(json: #"{"cvv_enabled":true,"quantity":123}"#, path: "*", type: "card_cvv"),
    Case(json: #"{"password":"********","ref":"ORD-****-1234"}"#, path: "*", type: "masked_card_number"),
    Case(
      json: #"{"password_updated_at":"2024-01-01","password_policy":"min 8 characters"}"#, path: "*",
      type: "password"),
    Case(json: #"{"token":"abc.def.ghi"}"#, path: "*", type: "jwt"),
    Case(json: #"{"id":"AKIA1234","key":"AKIAIOSFODNN7EXAMPL"}"#, path: "*", type: "aws_access_key"),
    Case(
      json:
        #"{"public_key":"-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----"}"#,
      path: "*", type: "private_key"),
    Case(
      json: #"{"request_id":"3f2b8c1e9a4d4e6f8b2a1c3d5e7f9a0b","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}"#,
      path: "*", type: "api_key"),
  ]

  @Test(arguments: lookAlikes) func leavesLookAlikesUnreported(_ example: Case) throws {
    let found = try types(example.json)
    #expect(!found.values.contains { $0.contains(example.type) }, "found: \(found)")
  }

  @Test func freeTextWithSeveralTypes() throws {
    let found = try types(
      #"{"note":"Reach me at jane.doe@example.org or +44 20 7946 0958, card 4111 1111 1111 1111."}"#)
    #expect(Set(found["$.note"] ?? []) == ["email", "phone", "card_number"])
  }

  @Test func sourceSaysWhereTheTypeCameFrom() throws {
    let findings = try detector.detect(
      json: Array(#"{"email":"jane@example.org","note":"jane@example.org","dob":"1990-01-02"}"#.utf8))
    let sources = Dictionary(uniqueKeysWithValues: findings.fields.map { ($0.path.description, $0.source) })
    #expect(sources["$.email"] == .both)
    #expect(sources["$.note"] == .value)
    #expect(sources["$.dob"] == .key)
  }

  @Test func combinationsRaiseTheDocumentLevel() throws {
    let alone = try detector.detect(json: Array(#"{"email":"jane@example.org"}"#.utf8))
    let together = try detector.detect(
      json: Array(#"{"name":"Jane Doe","email":"jane@example.org","phone":"+44 20 7946 0958"}"#.utf8))
    #expect(alone.sensitivity == .medium)
    #expect(together.sensitivity == .high)
  }

  @Test func keyTokensInEveryCaseStyle() {
    #expect(KeyTokens.of("DateOfBirth") == ["date", "of", "birth"])
    #expect(KeyTokens.of("BIRTH-DATE") == ["birth", "date"])
    #expect(KeyTokens.of("date_of_birth") == ["date", "of", "birth"])
    #expect(KeyTokens.of("dateofbirth") == ["date", "of", "birth"])
    #expect(KeyTokens.of("HTTPServerIP") == ["http", "server", "ip"])
    #expect(KeyTokens.of("address_line1") == ["address", "line", "1"])
  }
}
