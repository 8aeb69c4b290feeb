import Detection
import Testing

/// Tables of values each validator must accept, hard negatives it must refuse (values of another
/// type that look alike), and hostile input every validator must survive.
@Suite struct ValidatorTests {
  // MARK: Hostile input

  static let oneMegabyte = String(repeating: "4", count: 1 << 20)
  static let hostile: [String] = [
    "", " ", "\0", "4111\01111\01111\01111", String(repeating: "a", count: 1 << 20), oneMegabyte,
    String(repeating: "1-", count: 1 << 19), String(repeating: ":", count: 1 << 20), "٤١١١١١١١١١١١١١١١",
    "４１１１１１１１１１１１１１１１", "١٢٣-٤٥-٦٧٨٩", "💳💳💳💳", "\u{FEFF}4111111111111111", "@", "..", ":::", "+",
    "-----BEGIN PRIVATE KEY-----", "Bearer ", "...", "a@b", "%", "()", String(repeating: "x", count: 1 << 20) + "1234",
  ]

  /// Every validator, as a `String -> Bool`, so hostile input can be thrown at all of them.
  static let all: [(String, @Sendable (String) -> Bool)] = [
    ("card", { Validators.isCardNumber($0) }), ("iban", { Validators.isIBAN($0) }),
    ("ssn", { Validators.isUSSSN($0) }), ("email", { Validators.isEmail($0) }),
    ("ipv4", { Validators.isIPv4($0) }), ("ipv6", { Validators.isIPv6($0) }),
    ("mac", { Validators.isMACAddress($0) }), ("jwt", { Validators.isJWT($0) }),
    ("aws", { Validators.isAWSAccessKeyID($0) }), ("pem", { Validators.isPEMPrivateKey($0) }),
    ("vendor", { Validators.vendorAPIKey($0) != nil }), ("secret", { Validators.looksLikeSecret($0) }),
    ("e164", { Validators.isE164($0) }), ("phone", { Validators.isPhoneNumber($0) }),
    ("date", { Validators.parseDate($0) != nil }),
    ("birth", { Validators.isPlausibleBirthDate($0, referenceYear: 2026) }),
    ("expiry", { Validators.isCardExpiration($0) }), ("cvv", { Validators.isCVV($0) }),
    ("masked", { Validators.isMaskedCardNumber($0) }), ("geo", { Validators.isGeoCoordinatePair($0) }),
    ("imei", { Validators.isIMEI($0) }), ("bic", { Validators.isSwiftBIC($0) }),
    ("aba", { Validators.isABARoutingNumber($0) }), ("url", { Validators.isURLWithCredentials($0) }),
  ]

  @Test(arguments: 0..<hostile.count)
  func hostileInputIsRefusedWithoutTrapping(index: Int) {
    let value = Self.hostile[index]
    for (name, validator) in Self.all {
      #expect(validator(value) == false, "\(name) accepted hostile input #\(index)")
    }
    #expect(Validators.shannonEntropy(value) >= 0)
    #expect(Validators.isLuhnValid(digits: value.utf8) == false || value.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 })
  }

  /// Values of other kinds that look like sensitive ones, with the only validators allowed to
  /// accept them.
  static let lookalikes: [(String, Set<String>)] = [
    ("550e8400-e29b-41d4-a716-446655440000", []),  // UUID
    ("d41d8cd98f00b204e9800998ecf8427e", []),  // MD5
    ("da39a3ee5e6b4b0d3255bfef95601890afd80709", []),  // SHA-1
    ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", []),  // SHA-256
    ("ORD-2024-000123", []), ("1Z999AA10123456784", []), ("1234.56", []), ("1.2.3", []), ("SKU-12345-BLK-XL", []),
    ("2024-01-15T10:30:00Z", ["date", "birth"]),
    ("4006381333931", []),  // EAN-13 barcode: its check digit is not a Luhn check digit
    ("4111111111111112", []),  // 16 digits failing Luhn
    // IBAN with one digit changed: random enough for the entropy test, which needs a secret-like key.
    ("GB82WEST12345698765433", ["secret"]),
    ("000-12-3456", []), ("666-12-3456", []), ("user@example", []), ("v2.14.0", []), ("12345", []),
  ]

  @Test(arguments: 0..<lookalikes.count)
  func lookalikesAreRefusedByEveryOtherValidator(index: Int) {
    let (value, allowed) = Self.lookalikes[index]
    for (name, validator) in Self.all where !allowed.contains(name) {
      #expect(validator(value) == false, "\(name) accepted \(value)")
    }
  }

  @Test func substringsAreAccepted() {
    let text = "card: 4111 1111 1111 1111."
    let start = text.index(text.startIndex, offsetBy: 6)
    let end = text.index(before: text.endIndex)
    #expect(Validators.isCardNumber(text[start..<end]))
  }

  // MARK: Cards

  @Test(arguments: [
    ("4111111111111111", CardNetwork.visa), ("4222222222222", .visa), ("4012345678901239", .visa),
    ("5555555555554444", .mastercard), ("2223003122003222", .mastercard), ("378282246310005", .amex),
    ("6011111111111117", .discover), ("6221260000000000", .discover), ("30569309025904", .diners),
    ("36227206271667", .diners), ("3530111333300000", .jcb), ("6200000000000005", .unionPay),
    ("6304000000000000", .maestro), ("5018000000000009", .maestro),
  ])
  func cardNumbersAreRecognisedWithTheirNetwork(number: String, network: CardNetwork) {
    #expect(Validators.cardNetwork(of: number.utf8) == network)
    #expect(Validators.isLuhnValid(digits: number.utf8))
    #expect(Validators.isCardNumber(number))
  }

  @Test(arguments: ["4111 1111 1111 1111", "4111-1111-1111-1111", "3782 822463 10005", "5555 5555 5555 4444"])
  func formattedCardNumbersAreAccepted(number: String) {
    #expect(Validators.isCardNumber(number))
  }

  @Test(arguments: [
    "4111111111111112",  // fails Luhn
    "4006381333931",  // EAN-13 barcode: fails Luhn
    "4111 1111-1111 1111",  // mixed separators
    "4111  1111 1111 1111", " 4111111111111111", "4111111111111111 ",
    "0000000000000000",  // Luhn-valid, no network
    "1Z999AA10123456784",  // UPS tracking number
    "ORD-2024-000123", "2024-01-15T10:30:00Z", "1234.56", "41111111111111111",  // 17 digits for Visa
    "37828224631000",  // Amex with 14 digits
    "550e8400-e29b-41d4-a716-446655440000",
  ])
  func cardLookalikesAreRefused(value: String) {
    #expect(!Validators.isCardNumber(value))
  }

  @Test func expiryAndSecurityCodes() {
    for value in ["01/27", "12/2030", "07-29", "09-2031"] { #expect(Validators.isCardExpiration(value), "\(value)") }
    for value in ["13/27", "00/27", "1/27", "12/1999", "12/27/2024", "2024-01", "12.27", "1227"] {
      #expect(!Validators.isCardExpiration(value), "\(value)")
    }
    for value in ["123", "0123"] { #expect(Validators.isCVV(value)) }
    for value in ["12", "12345", "12a", "١٢٣"] { #expect(!Validators.isCVV(value)) }
  }

  @Test(arguments: [
    "**** **** **** 4242", "************4242", "411111******1111", "XXXX-XXXX-XXXX-1234", "xxxxxxxxxxxx1234",
    "•••• •••• •••• 4242",
  ])
  func maskedCardNumbersAreAccepted(value: String) {
    #expect(Validators.isMaskedCardNumber(value))
  }

  @Test(arguments: [
    "****4242",  // too few positions
    "**** **** **** 424", "4111 **** **** 1111",  // 4 leading digits are not a masking pattern
    "***-**-1234", "4111111111111111", "************", "**** **** **** 42a2", "password: ********",
  ])
  func maskedCardLookalikesAreRefused(value: String) {
    #expect(!Validators.isMaskedCardNumber(value))
  }

  @Test func imeis() {
    #expect(Validators.isIMEI("490154203237518"))
    #expect(!Validators.isIMEI("490154203237519"))
    #expect(!Validators.isIMEI("4901542032375180"))
  }

  // MARK: Banking

  @Test(arguments: [
    "GB82WEST12345698765432", "GB82 WEST 1234 5698 7654 32", "DE89370400440532013000",
    "DE89 3704 0044 0532 0130 00", "FR1420041010050500013M02606", "NL91ABNA0417164300", "BE68539007547034",
    "NO9386011117947", "CH9300762011623852957",
  ])
  func ibansAreAccepted(value: String) {
    #expect(Validators.isIBAN(value))
  }

  @Test(arguments: [
    "GB82WEST12345698765433",  // one digit changed
    "GB82WEST1234569876543",  // one short for GB
    "DE89370400440532013001", "XX82WEST12345698765432", "gb82west12345698765432",
    "GB82 WEST12 3456 9876 5432",  // groups not of four
    "GB82  WEST 1234 5698 7654 32", "GB00WEST12345698765432", "DE89-3704-0044-0532-0130-00",
    "4111111111111111",
  ])
  func ibanLookalikesAreRefused(value: String) {
    #expect(!Validators.isIBAN(value))
  }

  @Test func bicsAndRoutingNumbers() {
    for value in ["DEUTDEFF", "DEUTDEFF500", "NWBKGB2L", "CHASUS33XXX"] { #expect(Validators.isSwiftBIC(value)) }
    for value in ["PASSWORD", "deutdeff", "DEUTDEF", "DEUTDEFF50", "DEUTZZFF", "DE1TDEFF"] {
      #expect(!Validators.isSwiftBIC(value), "\(value)")
    }
    for value in ["021000021", "011000015", "121000358"] { #expect(Validators.isABARoutingNumber(value)) }
    for value in ["021000022", "123456789", "000000000", "991000021", "02100002", "02100002a"] {
      #expect(!Validators.isABARoutingNumber(value), "\(value)")
    }
  }

  // MARK: Identity and dates

  @Test func socialSecurityNumbers() {
    for value in ["123-45-6789", "123456789", "001-01-0001", "899-99-9999"] { #expect(Validators.isUSSSN(value)) }
    for value in [
      "000-12-3456", "666-12-3456", "900-12-3456", "999-99-9999", "123-00-6789", "123-45-0000", "078-05-1120",
      "219-09-9999", "123-456-789", "12-345-6789", "1234567890", "123 45 6789", "123-45-678a",
    ] {
      #expect(!Validators.isUSSSN(value), "\(value)")
    }
  }

  @Test(arguments: [
    ("2024-01-15", 2024, 1, 15), ("2024-01-15T10:30:00Z", 2024, 1, 15), ("2024-02-29 23:59", 2024, 2, 29),
    ("2024-01-15T10:30:00.123+05:30", 2024, 1, 15), ("1990/12/31", 1990, 12, 31), ("31/12/1990", 1990, 12, 31),
    ("12/31/1990", 1990, 12, 31), ("03/04/2024", 2024, 4, 3), ("1/2/2000", 2000, 2, 1), ("15.01.1985", 1985, 1, 15),
    ("19850115", 1985, 1, 15), ("2000-02-29", 2000, 2, 29),
  ])
  func datesAreParsed(value: String, year: Int, month: Int, day: Int) throws {
    let date = try #require(Validators.parseDate(value))
    #expect(date.year == year && date.month == month && date.day == day)
  }

  @Test(arguments: [
    "2023-02-29", "1900-02-29", "2024-13-01", "2024-04-31", "2024-01-15T25:00", "2024-01-15X", "12.31.1990",
    "32/01/2000", "13/13/2000", "20241301", "18991231", "1.2.3", "2024-1-15", "15/01/24", "99999999",
  ])
  func notDatesAreRefused(value: String) {
    #expect(Validators.parseDate(value) == nil)
  }

  @Test func birthDatesArePlausibleAges() {
    #expect(Validators.isPlausibleBirthDate("1985-01-15", referenceYear: 2026))
    #expect(Validators.isPlausibleBirthDate("2026-01-01", referenceYear: 2026))
    #expect(!Validators.isPlausibleBirthDate("1850-01-01", referenceYear: 2026))
    #expect(!Validators.isPlausibleBirthDate("2030-01-01", referenceYear: 2026))
  }

  // MARK: Contact

  @Test(arguments: [
    "user@example.com", "first.last+tag@sub.example.co.uk", "o'brien@example.ie", "x@a-b.io",
    "UPPER@EXAMPLE.ORG",
  ])
  func emailsAreAccepted(value: String) {
    #expect(Validators.isEmail(value))
  }

  @Test(arguments: [
    "user@localhost", "user@example", "user@example.c", "user@example.123", "@example.com", "user@",
    "user@@example.com", "us..er@example.com", ".user@example.com", "user.@example.com", "user@-example.com",
    "user@example-.com", "user@exa mple.com", "user name@example.com", "user@example..com",
    "a@" + String(repeating: "a", count: 64) + ".com", String(repeating: "a", count: 65) + "@example.com",
  ])
  func emailLookalikesAreRefused(value: String) {
    #expect(!Validators.isEmail(value))
  }

  @Test(arguments: [
    "+14155552671", "+442079460958", "(555) 123-4567", "555-123-4567", "555.123.4567", "+44 20 7946 0958",
    "020 7946 0958", "+49 (0)30 1234567", "+1 (415) 555-2671", "+33 1 23 45 67 89",
  ])
  func phoneNumbersAreAccepted(value: String) {
    #expect(Validators.isPhoneNumber(value))
  }

  @Test(arguments: [
    "5551234567", "02079460958",  // bare runs need a key hint
    "2024-01-15", "15/01/2024", "2024-01-15T10:30:00Z", "192.168.100.200", "10.0.0.1", "1.2.3", "1234.56",
    "$1,234.56", "12345", "555-1234", "ORD-2024-000123", "+0 123 456 789", "+1 2", "(555 123-4567",
    "555) 123-4567", "1Z999AA10123456784", "4111 1111 1111 1111",
  ])
  func phoneLookalikesAreRefused(value: String) {
    #expect(!Validators.isPhoneNumber(value))
  }

  @Test func e164() {
    for value in ["+14155552671", "+442079460958", "+2901234"] { #expect(Validators.isE164(value)) }
    for value in ["14155552671", "+04155552671", "+1415555267123456", "+1 415 555 2671", "+123456"] {
      #expect(!Validators.isE164(value), "\(value)")
    }
  }

  @Test func geoCoordinatePairs() {
    for value in ["40.7128, -74.0060", "-33.8688,151.2093", "90.00, 180.00", "+51.50, -0.12", "0.00, 0.00"] {
      #expect(Validators.isGeoCoordinatePair(value), "\(value)")
    }
    for value in [
      "12, 34", "40.7, -74.0", "91.00, 0.00", "90.01, 0.00", "45.00, 180.5", "1234.56, 12.34", "40.7128",
      "40.7128, -74.0060, 3.00", "40.71a8, -74.0060",
    ] {
      #expect(!Validators.isGeoCoordinatePair(value), "\(value)")
    }
  }

  // MARK: Network

  @Test func ipv4Addresses() {
    for value in ["192.168.1.1", "0.0.0.0", "255.255.255.255", "10.0.0.1"] { #expect(Validators.isIPv4(value)) }
    for value in ["256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1..2.3", "1.2.3.4 ", "a.b.c.d", "1234.56"] {
      #expect(!Validators.isIPv4(value), "\(value)")
    }
  }

  @Test(arguments: [
    "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "2001:db8:85a3::8a2e:370:7334", "::1", "::", "fe80::1%eth0",
    "::ffff:192.0.2.128", "64:ff9b::192.0.2.33", "1::", "2001:db8::", "1:2:3:4:5:6:7::",
  ])
  func ipv6AddressesAreAccepted(value: String) {
    #expect(Validators.isIPv6(value))
  }

  @Test(arguments: [
    "2001:db8:85a3:0:0:8a2e:370", "2001:db8::85a3::1", "12345::1", "g::1", ":1::", "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7:8::", "fe80::1%", "::ffff:999.0.2.128", "10:30:00", "2024-01-15T10:30:00Z", ":::",
    "550e8400-e29b-41d4-a716-446655440000",
  ])
  func ipv6LookalikesAreRefused(value: String) {
    #expect(!Validators.isIPv6(value))
  }

  @Test func macAddresses() {
    for value in ["00:1A:2B:3C:4D:5E", "00-1a-2b-3c-4d-5e", "0123.4567.89ab", "001a2b3c4d5e", "001A2B3C4D5E"] {
      #expect(Validators.isMACAddress(value), "\(value)")
    }
    for value in [
      "00:1A:2B:3C:4D", "00:1A-2B:3C:4D:5E", "00:1A:2B:3C:4D:5G", "123456789012", "deadbeefcafe", "001a2B3c4d5e",
      "0123.4567.89a",
    ] {
      #expect(!Validators.isMACAddress(value), "\(value)")
    }
  }

  @Test func urlsWithCredentials() {
    for value in [
      "https://user:pass@example.com", "postgres://admin:s3cr%40t@db.internal:5432/app",
      "ftp://a:b@[::1]/x",
    ] {
      #expect(Validators.isURLWithCredentials(value), "\(value)")
    }
    for value in [
      "https://example.com", "https://user@example.com", "https://user:@example.com", "https://:pass@example.com",
      "mailto:user@example.com", "https://example.com/?a=b:c@d", "user:pass@example.com", "https://u:p@",
      "redis://:x@localhost",
    ] {
      #expect(!Validators.isURLWithCredentials(value), "\(value)")
    }
  }

  // MARK: Secrets

  static let jwt =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
    + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"

  @Test func jsonWebTokens() {
    #expect(Validators.isJWT(Self.jwt))
    #expect(Validators.isJWT("Bearer " + Self.jwt))
    #expect(Validators.isJWT("bearer " + Self.jwt))
    let parts = Self.jwt.split(separator: ".")
    #expect(!Validators.isJWT(parts[0] + "." + parts[1]))
    #expect(!Validators.isJWT("eyJ0eXAiOiJKV1QifQ." + parts[1] + "." + parts[2]))  // header without alg
    #expect(!Validators.isJWT("aGVsbG8gd29ybGQgbm90IGpzb24." + parts[1] + "." + parts[2]))
    #expect(!Validators.isJWT(parts[0] + ".a+b/." + parts[2]))
    #expect(!Validators.isJWT("1.2.3"))
    #expect(!Validators.isJWT("www.example.com"))
    #expect(!Validators.isJWT("Bearer abc"))
  }

  @Test func awsAccessKeyIDs() {
    for value in ["AKIAIOSFODNN7EXAMPLE", "ASIAY34FZKBOKMUTVV7A"] { #expect(Validators.isAWSAccessKeyID(value)) }
    for value in [
      "AKIAIOSFODNN7EXAMPL", "AKIAIOSFODNN7EXAMPLE1", "AKIAiosfodnn7example", "AKIAIOSFODNN8EXAMPLE",
      "ABCDIOSFODNN7EXAMPLE",
    ] {
      #expect(!Validators.isAWSAccessKeyID(value), "\(value)")
    }
  }

  static let pemBody = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n"

  @Test func pemPrivateKeys() {
    for kind in ["", "RSA ", "EC ", "DSA ", "OPENSSH ", "ENCRYPTED "] {
      let pem = "-----BEGIN \(kind)PRIVATE KEY-----\n\(Self.pemBody)-----END \(kind)PRIVATE KEY-----\n"
      #expect(Validators.isPEMPrivateKey(pem), "\(kind)")
    }
    #expect(!Validators.isPEMPrivateKey("-----BEGIN RSA PRIVATE KEY-----\n\(Self.pemBody)-----END PRIVATE KEY-----"))
    #expect(!Validators.isPEMPrivateKey("-----BEGIN PUBLIC KEY-----\n\(Self.pemBody)-----END PUBLIC KEY-----"))
    #expect(!Validators.isPEMPrivateKey("-----BEGIN CERTIFICATE-----\n\(Self.pemBody)-----END CERTIFICATE-----"))
    #expect(!Validators.isPEMPrivateKey("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----"))
    #expect(!Validators.isPEMPrivateKey("-----BEGIN PRIVATE KEY-----\n\(Self.pemBody)"))
  }

  @Test(arguments: [
    ("sk_live_4eC39HqLyjWDarjtT1zdp7dc", "Stripe"), ("rk_live_4eC39HqLyjWDarjtT1zdp7dc", "Stripe"),
    ("ghp_" + String(repeating: "aB3", count: 12), "GitHub"),
    ("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH", "GitHub"),
    ("xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "Slack"),
    ("AIzaSyA1234567890abcdefghijklmnopqrstuv", "Google"), ("sk-proj-abcdefghij1234567890ABCD", "OpenAI"),
    ("sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789", "Anthropic"),
    ("SG." + String(repeating: "a", count: 22) + "." + String(repeating: "b", count: 43), "SendGrid"),
    ("SK" + String(repeating: "0f", count: 16), "Twilio"), ("npm_" + String(repeating: "a1", count: 18), "npm"),
    ("glpat-abcdefghij1234567890", "GitLab"),
  ])
  func vendorKeysAreNamed(value: String, vendor: String) {
    #expect(Validators.vendorAPIKey(value) == vendor)
  }

  @Test(arguments: [
    "sk_live_short", "ghp_tooShort", "ghp_" + String(repeating: "a", count: 37), "xoxb-abc", "AIzaTooShort",
    "sk-abc", "SG.abc.def", "SK" + String(repeating: "G", count: 32), "SKU-2024-000123", "npm_install",
    "pk_live_4eC39HqLyjWDarjtT1zdp7dc", "sk_live_4eC39HqLyjWDarjtT1zdp7dc!", "skeleton-key-for-the-door",
  ])
  func vendorLookalikesAreNotNamed(value: String) {
    #expect(Validators.vendorAPIKey(value) == nil)
  }

  @Test func entropy() {
    #expect(Validators.shannonEntropy("") == 0)
    #expect(Validators.shannonEntropy("aaaa") == 0)
    #expect(abs(Validators.shannonEntropy("abcd") - 2) < 1e-9)
    #expect(abs(Validators.shannonEntropy("aB3dE5gH7jK9mN1p") - 4) < 1e-9)
  }

  @Test(arguments: [
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aB3dE5gH7jK9mN1p", "Tr0ub4dor&3xyzab", "9fQ2xL7mZp4RtW8vKc1N",
  ])
  func secretsLookLikeSecrets(value: String) {
    #expect(Validators.looksLikeSecret(value))
  }

  @Test(arguments: [
    "550e8400-e29b-41d4-a716-446655440000",  // UUID
    "d41d8cd98f00b204e9800998ecf8427e",  // MD5
    "da39a3ee5e6b4b0d3255bfef95601890afd80709",  // SHA-1
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",  // SHA-256
    "ORD-2024-000123", "1Z999AA10123456784", "4111111111111111", "internationalization", "camelCaseVariableName1",
    "v1.2.3-beta.4+build.567", "/usr/local/bin/python3", "https://example.com/a1b2c3", "short1A",
    "2024-01-15T10:30:00Z", "correct horse battery staple 42",
  ])
  func notSecretsDoNotLookLikeSecrets(value: String) {
    #expect(!Validators.looksLikeSecret(value))
  }
}
