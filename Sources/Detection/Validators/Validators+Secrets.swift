/// Credentials: JWTs, AWS access key ids, PEM private keys, vendor API keys, and the entropy test
/// for secrets that carry no vendor prefix.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

extension Validators {
  /// Whether the value is a JSON Web Token, bare or after `Bearer `: three dot-separated base64url
  /// parts (padding optional, the signature may be empty for an unsecured token) whose header and
  /// payload decode to JSON objects, the header naming an `"alg"`.
  public static func isJWT(_ text: some StringProtocol) -> Bool {
    guard let all = bytes(of: text, atMost: 65_536) else { return false }
    var token = all[...]
    if token.count > 7, zip(token.prefix(7), "bearer ".utf8).allSatisfy({ $0 | 0x20 == $1 }) {
      token = token.dropFirst(7)
    }
    let parts = split(token, on: 0x2E)
    guard parts.count == 3, let header = base64URLDecoded(parts[0]), let payload = base64URLDecoded(parts[1]),
      parts[2].isEmpty || isBase64URL(parts[2])
    else { return false }
    return isJSONObjectShaped(header) && isJSONObjectShaped(payload) && contains(header, "\"alg\"")
  }

  /// Whether `base64URLDecoded` would decode the text, without decoding it.
  static func isBase64URL(_ text: ArraySlice<UInt8>) -> Bool {
    var body = text
    while body.last == 0x3D { body = body.dropLast() }
    guard !body.isEmpty, body.count % 4 != 1, text.count - body.count <= 2 else { return false }
    return body.allSatisfy(isBase64URLCharacter)
  }

  /// Decodes base64url (`A–Z a–z 0–9 - _`, trailing `=` allowed), or nil when it is not.
  static func base64URLDecoded(_ text: ArraySlice<UInt8>) -> [UInt8]? {
    var body = text
    while body.last == 0x3D { body = body.dropLast() }
    guard !body.isEmpty, body.count % 4 != 1, text.count - body.count <= 2 else { return nil }
    var output: [UInt8] = []
    output.reserveCapacity(body.count * 3 / 4)
    var buffer: UInt32 = 0
    var bits = 0
    for byte in body {
      let value: UInt32
      switch byte {
      case 0x41...0x5A: value = UInt32(byte - 0x41)
      case 0x61...0x7A: value = UInt32(byte - 0x61 + 26)
      case 0x30...0x39: value = UInt32(byte - 0x30 + 52)
      case 0x2D: value = 62
      case 0x5F: value = 63
      default: return nil
      }
      buffer = (buffer << 6) | value
      bits += 6
      if bits >= 8 {
        bits -= 8
        output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
      }
    }
    return output
  }

  /// Starts with `{` and ends with `}`, whitespace aside: cheap, and enough to tell JSON from noise.
  static func isJSONObjectShaped(_ bytes: [UInt8]) -> Bool {
    bytes.first(where: { !$0.isASCIIWhitespace }) == 0x7B && bytes.last(where: { !$0.isASCIIWhitespace }) == 0x7D
  }

  /// Whether the value is an AWS access key id: `AKIA`, `ASIA`, `AGPA`, `AIDA`, `AROA`, `AIPA`,
  /// `ANPA`, `ANVA` or `APKA`, then 16 base32 characters (`A–Z`, `2–7`).
  public static func isAWSAccessKeyID(_ text: some StringProtocol) -> Bool {
    guard let bytes = bytes(of: text, atMost: 20), bytes.count == 20 else { return false }
    let prefixes = ["AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "APKA"]
    guard prefixes.contains(where: { hasPrefix(bytes[...], $0) }) else { return false }
    return bytes[4...].allSatisfy { $0.isASCIIUpper || (0x32...0x37).contains($0) }
  }

  /// Whether the value is a PEM private key: `-----BEGIN <kind>PRIVATE KEY-----`, with kind one of
  /// none, `RSA `, `EC `, `DSA `, `OPENSSH `, `ENCRYPTED `, a body with at least 16 base64
  /// characters, and the matching `-----END <kind>PRIVATE KEY-----`; whitespace around is allowed.
  public static func isPEMPrivateKey(_ text: some StringProtocol) -> Bool {
    guard let all = bytes(of: text, atMost: 65_536) else { return false }
    var rest = all.drop(while: \.isASCIIWhitespace)
    while let last = rest.last, last.isASCIIWhitespace { rest = rest.dropLast() }
    guard hasPrefix(rest, "-----BEGIN ") else { return false }
    rest = rest.dropFirst(11)
    let kinds = ["", "RSA ", "EC ", "DSA ", "OPENSSH ", "ENCRYPTED "]
    guard let kind = kinds.first(where: { hasPrefix(rest, $0 + "PRIVATE KEY-----") }) else { return false }
    let body = rest.dropFirst(kind.utf8.count + 16)
    let end = Array("-----END \(kind)PRIVATE KEY-----".utf8)
    guard body.count > end.count, body.suffix(end.count).elementsEqual(end) else { return false }
    let base64 = body.dropLast(end.count).filter { $0.isASCIIAlphanumeric || $0 == 0x2B || $0 == 0x2F }
    return base64.count >= 16
  }

  /// A vendor's key shape: a literal prefix, then characters of one set, with a length range.
  struct VendorKeyShape: Sendable {
    enum Charset: Sendable {
      case alphanumeric, base64URL, lowerHex, slack, alphanumericUnderscore
    }
    let vendor: String
    let prefix: String
    let charset: Charset
    let length: ClosedRange<Int>
  }

  /// Ordered so that a longer prefix is tried before a shorter one it starts with (`sk-ant-` before `sk-`).
  static let vendorKeyShapes: [VendorKeyShape] = [
    .init(vendor: "Stripe", prefix: "sk_live_", charset: .alphanumeric, length: 24...247),
    .init(vendor: "Stripe", prefix: "rk_live_", charset: .alphanumeric, length: 24...247),
    .init(vendor: "Stripe", prefix: "sk_test_", charset: .alphanumeric, length: 24...247),
    .init(vendor: "GitHub", prefix: "ghp_", charset: .alphanumeric, length: 36...36),
    .init(vendor: "GitHub", prefix: "gho_", charset: .alphanumeric, length: 36...36),
    .init(vendor: "GitHub", prefix: "ghu_", charset: .alphanumeric, length: 36...36),
    .init(vendor: "GitHub", prefix: "ghs_", charset: .alphanumeric, length: 36...36),
    .init(vendor: "GitHub", prefix: "ghr_", charset: .alphanumeric, length: 36...36),
    .init(vendor: "GitHub", prefix: "github_pat_", charset: .alphanumericUnderscore, length: 50...255),
    .init(vendor: "Slack", prefix: "xoxb-", charset: .slack, length: 20...255),
    .init(vendor: "Slack", prefix: "xoxp-", charset: .slack, length: 20...255),
    .init(vendor: "Slack", prefix: "xoxa-", charset: .slack, length: 20...255),
    .init(vendor: "Slack", prefix: "xoxr-", charset: .slack, length: 20...255),
    .init(vendor: "Slack", prefix: "xoxs-", charset: .slack, length: 20...255),
    .init(vendor: "Google", prefix: "AIza", charset: .base64URL, length: 35...35),
    .init(vendor: "Anthropic", prefix: "sk-ant-", charset: .base64URL, length: 32...255),
    .init(vendor: "OpenAI", prefix: "sk-", charset: .base64URL, length: 20...255),
    .init(vendor: "SendGrid", prefix: "SG.", charset: .base64URL, length: 66...66),
    .init(vendor: "Twilio", prefix: "SK", charset: .lowerHex, length: 32...32),
    .init(vendor: "npm", prefix: "npm_", charset: .alphanumeric, length: 36...36),
    .init(vendor: "GitLab", prefix: "glpat-", charset: .base64URL, length: 20...255),
    .init(vendor: "Shopify", prefix: "shpat_", charset: .lowerHex, length: 32...32),
    .init(vendor: "Shopify", prefix: "shpss_", charset: .lowerHex, length: 32...32),
    .init(vendor: "Shopify", prefix: "shpca_", charset: .lowerHex, length: 32...32),
    .init(vendor: "Shopify", prefix: "shppa_", charset: .lowerHex, length: 32...32),
    .init(vendor: "Mailgun", prefix: "key-", charset: .lowerHex, length: 32...32),
    .init(vendor: "Hugging Face", prefix: "hf_", charset: .alphanumeric, length: 30...40),
    .init(vendor: "PyPI", prefix: "pypi-AgEIcHlwaS5vcmc", charset: .base64URL, length: 50...255),
    .init(vendor: "DigitalOcean", prefix: "dop_v1_", charset: .lowerHex, length: 64...64),
    .init(vendor: "Square", prefix: "sq0atp-", charset: .base64URL, length: 22...22),
    .init(vendor: "Square", prefix: "sq0csp-", charset: .base64URL, length: 43...43),
  ]

  /// The vendor whose API key shape the whole value has (`"Stripe"`, `"GitHub"`, `"Slack"`,
  /// `"Google"`, `"OpenAI"`, `"Anthropic"`, `"SendGrid"`, `"Twilio"`, `"npm"`, `"GitLab"`,
  /// `"Shopify"`, `"Mailgun"`, `"Hugging Face"`, `"PyPI"`, `"DigitalOcean"`, `"Square"`), or nil.
  /// The length is that of what follows the prefix. SendGrid's is `22 chars . 43 chars`.
  public static func vendorAPIKey(_ text: some StringProtocol) -> String? {
    guard let bytes = bytes(of: text, atMost: 300) else { return nil }
    for shape in vendorKeyShapes where shape.prefix.utf8.first == bytes.first && hasPrefix(bytes[...], shape.prefix) {
      let rest = bytes.dropFirst(shape.prefix.utf8.count)
      guard shape.length.contains(rest.count) else { continue }
      let fits: Bool
      switch shape.charset {
      case .alphanumeric: fits = rest.allSatisfy(\.isASCIIAlphanumeric)
      case .alphanumericUnderscore: fits = rest.allSatisfy { $0.isASCIIAlphanumeric || $0 == 0x5F }
      case .lowerHex: fits = rest.allSatisfy { $0.isASCIIDigit || (0x61...0x66).contains($0) }
      case .slack:
        fits = rest.allSatisfy { $0.isASCIIAlphanumeric || $0 == 0x2D } && rest.contains(where: \.isASCIIDigit)
      case .base64URL:
        if shape.vendor == "SendGrid" {
          let pieces = split(rest, on: 0x2E)
          fits =
            pieces.count == 2 && pieces[0].count == 22 && pieces[1].count == 43
            && pieces.allSatisfy { $0.allSatisfy(isBase64URLCharacter) }
        } else {
          fits = rest.allSatisfy(isBase64URLCharacter)
        }
      }
      if fits { return shape.vendor }
    }
    return nil
  }

  static func isBase64URLCharacter(_ byte: UInt8) -> Bool { byte.isASCIIAlphanumeric || byte == 0x2D || byte == 0x5F }

  /// Shannon entropy of the value's UTF-8 bytes, in bits per byte (bits per character for ASCII).
  /// 0 for the empty string; at most log2 of the length, and at most 8.
  public static func shannonEntropy(_ text: some StringProtocol) -> Double {
    let utf8 = text.utf8
    let total = utf8.count
    guard total > 0 else { return 0 }
    return withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { counts in
      counts.initialize(repeating: 0)
      var lowest = 255
      var highest = 0
      for byte in utf8 {
        counts[Int(byte)] += 1
        lowest = Swift.min(lowest, Int(byte))
        highest = Swift.max(highest, Int(byte))
      }
      var entropy = 0.0
      // In byte order, which the rounding of the sum depends on; the bytes outside lowest…highest
      // count zero.
      for count in counts[lowest...highest] where count > 0 {
        let p = Double(count) / Double(total)
        entropy -= p * log2(p)
      }
      return entropy
    }
  }

  /// The minimum entropy, in bits per character, for ``looksLikeSecret(_:)``. Random base62 text
  /// of 16 characters scores about 3.7 and rises towards 5.95 with length; English words and
  /// identifiers, and ids built from repeated digits (`ORD-2024-000123`), score below 3.5.
  public static let secretEntropyThreshold = 3.5

  /// Whether the value looks like a random secret with no vendor prefix: 16–512 characters with no
  /// whitespace, letters and digits both present, not all digits, entropy at least
  /// ``secretEntropyThreshold``, and not one of the random-looking values that are not secrets: a
  /// UUID, a hex digest of 32, 40, 64 or 128 characters (MD5, SHA-1, SHA-256, SHA-512), a URL, an
  /// absolute path, or a value more than a quarter punctuation (version strings such as
  /// `v1.2.3-beta.4+build.567` score above the threshold).
  /// It is meant for a value under a secret-like key: alone it still accepts random ids.
  public static func looksLikeSecret(_ text: some StringProtocol) -> Bool {
    guard let bytes = bytes(of: text, atMost: 512), bytes.count >= 16 else { return false }
    guard !bytes.contains(where: { $0 <= 0x20 || $0 == 0x7F }),
      bytes.contains(where: \.isASCIILetter), bytes.contains(where: \.isASCIIDigit)
    else { return false }
    if isUUID(bytes) { return false }
    if [32, 40, 64, 128].contains(bytes.count), bytes.allSatisfy(\.isASCIIHexDigit) { return false }
    if let colon = bytes.firstIndex(of: 0x3A), bytes[colon...].starts(with: "://".utf8) { return false }
    // Paths and dotted or dashed structures (versions, ids) are not random: random keys are mostly
    // letters and digits, base64 with a few `+/=`, at most a separator or two after a prefix.
    if bytes[0] == 0x2F { return false }
    if bytes.count(where: { !$0.isASCIIAlphanumeric }) * 4 > bytes.count { return false }
    return shannonEntropy(text) >= secretEntropyThreshold
  }

  /// `8-4-4-4-12` hex digits.
  static func isUUID(_ bytes: [UInt8]) -> Bool {
    guard bytes.count == 36 else { return false }
    for (index, byte) in bytes.enumerated() {
      let isDash = index == 8 || index == 13 || index == 18 || index == 23
      guard isDash ? byte == 0x2D : byte.isASCIIHexDigit else { return false }
    }
    return true
  }
}
