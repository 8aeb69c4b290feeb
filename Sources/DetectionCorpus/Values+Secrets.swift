@_spi(Training) import Detection

/// Credentials, tokens, keys, and technical identifiers (addresses, device ids, places, health codes).
extension DocumentContext {
  mutating func password() -> String {
    switch random.below(6) {
    case 0:
      return pick(["Summer", "Winter", "Dragon", "Monkey", "Sunshine", "Football", "Princess", "Welcome", "Qwerty"])
        + String(int(1...2025)) + pick(["!", "?", "#", "$", ""])
    case 1: return string(int(10...20), Alphabet.alphanumeric + "!@#$%^&*-_")
    case 2:
      let words = [
        "correct", "horse", "battery", "staple", "purple", "monkey", "dishwasher", "river", "candle", "orbit",
      ]
      return (0..<int(3...4)).map { _ in pick(words) }.joined(separator: pick([" ", "-", "."]))
    case 3: return pick(["hunter2", "letmein", "P@ssw0rd", "changeme", "admin123", "Passw0rd!", "iloveyou"])
    case 4: return pick(["Tr0ub4dor&3", "s3cr3t", "Zx9!kq", "mYp4ss"]) + string(int(2...6), Alphabet.alphanumeric)
    default: return string(int(8...14), Alphabet.lowerAlphanumeric)
    }
  }

  mutating func jwt(subject: String? = nil) -> String {
    let alg = pick(["HS256", "RS256", "ES256", "HS512"])
    let header =
      chance(0.5)
      ? "{\"alg\":\"\(alg)\",\"typ\":\"JWT\"}"
      : "{\"typ\":\"JWT\",\"alg\":\"\(alg)\",\"kid\":\"\(string(8, Alphabet.lowerHex))\"}"
    let iat = int(1_700_000_000...1_790_000_000)
    var claims =
      "{\"sub\":\"\(subject ?? digits(int(5...9)))\",\"iat\":\(iat),\"exp\":\(iat + pick([900, 3600, 86400]))"
    if chance(0.5) {
      claims +=
        ",\"iss\":\"https://\(pick(["auth", "login", "id", "accounts"])).\(pick(["example.com", "acme.io", "api.shop.dev"]))\""
    }
    if chance(0.4) { claims += ",\"scope\":\"\(pick(["read write", "openid profile email", "orders:read"]))\"" }
    if chance(0.3) { claims += ",\"roles\":[\"\(pick(["admin", "user", "support"]))\"]" }
    claims += "}"
    let signatureLength = alg.hasPrefix("HS512") ? 86 : (alg.hasPrefix("RS") ? 342 : 43)
    return Base64.encode(header, url: true) + "." + Base64.encode(claims, url: true) + "."
      + string(signatureLength, Alphabet.base64URL)
  }

  mutating func awsAccessKeyID() -> String { pick(["AKIA", "AKIA", "ASIA"]) + string(16, Alphabet.base32) }
  mutating func awsSecretKey() -> String { string(40, Alphabet.base64) }

  mutating func privateKey() -> String {
    let (kind, lines, last): (String, Int, Int)
    switch random.below(4) {
    case 0: (kind, lines, last) = ("EC ", 2, int(20...40))
    case 1: (kind, lines, last) = ("", 3, int(10...60))
    case 2: (kind, lines, last) = ("OPENSSH ", 5, int(10...60))
    default: (kind, lines, last) = ("RSA ", int(8...14), int(10...60))
    }
    var body: [String] = []
    for _ in 0..<lines { body.append(string(64, Alphabet.base64)) }
    body.append(string(last, Alphabet.base64) + (chance(0.5) ? "=" : ""))
    return "-----BEGIN \(kind)PRIVATE KEY-----\n" + body.joined(separator: "\n") + "\n-----END \(kind)PRIVATE KEY-----"
      + (chance(0.5) ? "\n" : "")
  }

  /// A vendor-prefixed API key (Stripe, GitHub, Slack, Google, GitLab, OpenAI, SendGrid, …).
  mutating func vendorAPIKey() -> String {
    switch random.below(12) {
    case 0: return pick(["sk_live_", "sk_test_", "rk_live_"]) + string(pick([24, 32, 99]), Alphabet.alphanumeric)
    case 1: return pick(["ghp_", "gho_", "ghs_"]) + string(36, Alphabet.alphanumeric)
    case 2: return "github_pat_" + string(22, Alphabet.alphanumeric) + "_" + string(59, Alphabet.alphanumeric)
    case 3: return pick(["xoxb-", "xoxp-"]) + digits(12) + "-" + digits(13) + "-" + string(24, Alphabet.alphanumeric)
    case 4: return "AIza" + string(35, Alphabet.base64URL)
    case 5: return "glpat-" + string(20, Alphabet.base64URL)
    case 6: return "sk-" + pick(["proj-", ""]) + string(48, Alphabet.alphanumeric)
    case 7: return "SG." + string(22, Alphabet.base64URL) + "." + string(43, Alphabet.base64URL)
    case 8: return "npm_" + string(36, Alphabet.alphanumeric)
    case 9: return "shpat_" + string(32, Alphabet.lowerHex)
    case 10: return "hf_" + string(34, Alphabet.alphanumeric)
    default: return "SK" + string(32, Alphabet.lowerHex)
    }
  }

  /// A high-entropy secret with no vendor prefix, as found under `client_secret` or `api_key`.
  mutating func opaqueSecret() -> String {
    switch random.below(4) {
    case 0: return string(int(32...48), Alphabet.alphanumeric)
    case 1: return string(64, Alphabet.lowerHex)
    case 2: return string(int(24...40), Alphabet.base64URL)
    default: return pick(["live_", "prod_", "key_", "sec_"]) + string(32, Alphabet.alphanumeric)
    }
  }

  mutating func apiKey() -> String { chance(0.6) ? vendorAPIKey() : opaqueSecret() }

  mutating func basicAuth() -> String {
    let user = chance(0.5) ? username().replacingAt() : pick(["admin", "api", "svc-billing", "deploy", "root"])
    return "Basic " + Base64.encode(user + ":" + password())
  }

  mutating func urlWithCredentials() -> String {
    let user = pick(["app", "admin", "svc_orders", "etl", "postgres", "guest", "deploy"])
    let secret = string(int(8...20), Alphabet.alphanumeric)
    switch random.below(5) {
    case 0: return "postgres://\(user):\(secret)@db-\(int(1...9)).internal:5432/\(pick(["orders", "users", "billing"]))"
    case 1: return "mysql://\(user):\(secret)@mysql.prod.svc.cluster.local:3306/app"
    case 2: return "amqp://\(user):\(secret)@rabbitmq:5672/%2F"
    case 3: return "https://\(user):\(secret)@registry.\(pick(["acme.io", "example.com", "corp.net"]))/v2/"
    default:
      return
        "mongodb+srv://\(user):\(secret)@cluster0.\(string(5, Alphabet.lowerAlphanumeric)).mongodb.net/?retryWrites=true"
    }
  }

  // MARK: Technical identifiers

  mutating func ipv4(privateRange: Bool? = nil) -> String {
    if privateRange ?? chance(0.35) {
      switch random.below(3) {
      case 0: return "10.\(int(0...255)).\(int(0...255)).\(int(1...254))"
      case 1: return "192.168.\(int(0...255)).\(int(1...254))"
      default: return "172.\(int(16...31)).\(int(0...255)).\(int(1...254))"
      }
    }
    return
      "\(pick([int(11...99), int(101...126), int(128...191), int(193...223)])).\(int(0...255)).\(int(0...255)).\(int(1...254))"
  }

  mutating func ipv6() -> String {
    let groups = (0..<8).map { _ in String(int(0...0xffff), radix: 16) }
    switch random.below(3) {
    case 0: return groups.joined(separator: ":")
    case 1: return "2001:db8:" + groups[2..<4].joined(separator: ":") + "::" + groups[7]
    default: return "fe80::" + groups[4..<8].joined(separator: ":")
    }
  }

  mutating func ipAddress() -> String { chance(0.8) ? ipv4() : ipv6() }

  mutating func macAddress(bareAllowed: Bool = true) -> String {
    let bytes = (0..<6).map { _ in string(2, Alphabet.lowerHex) }
    let upper = chance(0.5)
    let cased = upper ? bytes.map { $0.uppercased() } : bytes
    switch random.below(bareAllowed ? 5 : 4) {
    case 0, 1: return cased.joined(separator: ":")
    case 2: return cased.joined(separator: "-")
    case 3: return cased[0] + cased[1] + "." + cased[2] + cased[3] + "." + cased[4] + cased[5]
    default: return cased.joined()
    }
  }

  mutating func imei() -> String {
    let body = pick(["35", "86", "01", "49"]) + digits(12)
    return body + String(Self.luhnCheckDigit(body))
  }

  /// A latitude and longitude inside the locale's country, with 4–7 decimals.
  mutating func coordinates() -> (lat: String, lng: String) {
    let (latitudes, longitudes) = locale.coordinateBox
    let decimals = int(4...7)
    return (Self.degrees(int(latitudes), decimals), Self.degrees(int(longitudes), decimals))
  }

  static func degrees(_ micro: Int, _ decimals: Int) -> String {
    let sign = micro < 0 ? "-" : ""
    let magnitude = abs(micro)
    let fraction = String(magnitude % 1_000_000)
    let padded = String(repeating: "0", count: 6 - fraction.count) + fraction + "0"
    return sign + String(magnitude / 1_000_000) + "." + String(padded.prefix(decimals))
  }

  // MARK: Health

  mutating func medicalRecordNumber() -> String {
    switch random.below(4) {
    case 0: return "MRN-" + digits(8)
    case 1: return "MRN" + digits(7)
    case 2: return digits(3) + "-" + digits(3) + "-" + digits(3)
    default: return string(2, Alphabet.upper) + digits(6)
    }
  }

  mutating func healthInsuranceID() -> String {
    switch random.below(4) {
    case 0: return string(3, Alphabet.upper) + digits(9)
    case 1: return string(1, Alphabet.upper) + digits(9)
    case 2: return "W" + digits(9) + string(2, Alphabet.upper)
    default: return digits(4) + " " + digits(4) + " " + digits(4)
    }
  }

  mutating func icd10() -> String {
    pick([
      "E11.9", "I10", "J45.909", "M54.5", "F32.1", "K21.9", "E78.5", "J06.9", "N39.0", "R51", "F41.1", "G43.909",
      "M25.561", "L40.0", "E66.9", "I25.10", "J44.9", "K58.9", "Z00.00", "S83.511A", "O80", "C50.911", "B20",
    ])
  }
}

extension String {
  /// Drops a leading `@` (a handle used as a login name).
  func replacingAt() -> String { hasPrefix("@") ? String(dropFirst()) : self }
}
