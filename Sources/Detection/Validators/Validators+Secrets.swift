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
    withUTF8(of: text, atMost: Int.max, orElse: false) { isJWT(utf8: $0) }
  }

  /// ``isJWT(_:)`` of a whole value's UTF-8 bytes, for a caller that holds them already.
  static func isJWT(utf8: UnsafeBufferPointer<UInt8>) -> Bool {
    withUTF8(bytes: utf8, atMost: 65_536, orElse: false) { all in
      var token = all[...]
      if token.count > 7, zip(token.prefix(7), "bearer ".utf8).allSatisfy({ $0 | 0x20 == $1 }) {
        token = token.dropFirst(7)
      }
      guard let firstDot = token.firstIndex(of: 0x2E),
        let secondDot = token[(firstDot + 1)...].firstIndex(of: 0x2E)
      else { return false }
      let signature = token[(secondDot + 1)...]
      // The payload, the longest part, is only checked and decoded at its ends: its `"alg"` does
      // not matter.
      guard !signature.contains(0x2E), signature.isEmpty || isBase64URL(signature),
        let header = decodedShape(token[..<firstDot]), header.isJSONObjectShaped, header.hasAlgorithm,
        let payload = decodedEnds(token[(firstDot + 1)..<secondDot])
      else { return false }
      return payload.first == 0x7B && payload.last == 0x7D
    }
  }

  /// The first and last decoded bytes that are not whitespace, as ``decodedShape(_:)`` gives them
  /// (nil when it is nil), from the characters' check and the decoding of the bytes at the ends.
  static func decodedEnds(_ text: ByteSlice) -> (first: UInt8?, last: UInt8?)? {
    guard let body = base64URLBody(text), body.allSatisfy(isBase64URLCharacter) else { return nil }
    // Four characters hold three bytes; two or three left over hold one or two.
    let count = body.count * 6 / 8
    var start = 0
    while start < count, decodedByte(start, of: body).isASCIIWhitespace { start += 1 }
    guard start < count else { return (nil, nil) }
    var end = count - 1
    while decodedByte(end, of: body).isASCIIWhitespace { end -= 1 }
    return (decodedByte(start, of: body), decodedByte(end, of: body))
  }

  /// The byte at `index` of what base64url characters decode to: from the group of four characters
  /// that holds it (a last, shorter group read as if ended by zeros).
  static func decodedByte(_ index: Int, of body: ByteSlice) -> UInt8 {
    let group = body.startIndex + index / 3 * 4
    var bits: UInt32 = 0
    for position in group..<group + 4 {
      bits <<= 6
      if position < body.endIndex { bits |= base64URLValue(body[position]) }
    }
    return UInt8(truncatingIfNeeded: bits >> (16 - 8 * UInt32(index % 3)))
  }

  /// The 6 bits a base64url character stands for (`A–Z a–z 0–9 - _`).
  static func base64URLValue(_ byte: UInt8) -> UInt32 {
    switch byte {
    case 0x41...0x5A: UInt32(byte - 0x41)
    case 0x61...0x7A: UInt32(byte - 0x61 + 26)
    case 0x30...0x39: UInt32(byte - 0x30 + 52)
    case 0x2D: 62
    default: 63
    }
  }

  /// What the JWT check asks of a decoded part, gathered while decoding so that the decoded bytes
  /// need not be kept: the first and last bytes that are not whitespace, and whether `"alg"` occurs.
  struct DecodedShape {
    var first: UInt8?
    var last: UInt8?
    var hasAlgorithm = false

    /// Starts with `{` and ends with `}`, whitespace aside: cheap, and enough to tell JSON from noise.
    var isJSONObjectShaped: Bool { first == 0x7B && last == 0x7D }
  }

  /// Whether ``decodedShape(_:)`` would decode the text (base64url characters, valid padding),
  /// without decoding it.
  static func isBase64URL(_ text: ByteSlice) -> Bool {
    guard let body = base64URLBody(text) else { return false }
    return body.allSatisfy(isBase64URLCharacter)
  }

  /// The text without its `=` padding, or nil when the padded length cannot be base64.
  static func base64URLBody(_ text: ByteSlice) -> ByteSlice? {
    var body = text
    while body.last == 0x3D { body = body.dropLast() }
    guard !body.isEmpty, body.count % 4 != 1, text.count - body.count <= 2 else { return nil }
    return body
  }

  /// Decodes base64url (`A–Z a–z 0–9 - _`, trailing `=` allowed) into its ``DecodedShape``, or nil
  /// when it is not base64url.
  static func decodedShape(_ text: ByteSlice) -> DecodedShape? {
    guard let body = base64URLBody(text) else { return nil }
    var shape = DecodedShape()
    // The last five decoded bytes, to spot `"alg"` (0x22 0x61 0x6C 0x67 0x22) as it goes by.
    var window: UInt64 = 0
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
        let decoded = UInt8(truncatingIfNeeded: buffer >> UInt32(bits))
        if !decoded.isASCIIWhitespace {
          if shape.first == nil { shape.first = decoded }
          shape.last = decoded
        }
        window = (window << 8) | UInt64(decoded)
        if window & 0xFF_FFFF_FFFF == 0x22_616C_6722 { shape.hasAlgorithm = true }
      }
    }
    return shape
  }

  /// Whether the value is an AWS access key id: `AKIA`, `ASIA`, `AGPA`, `AIDA`, `AROA`, `AIPA`,
  /// `ANPA`, `ANVA` or `APKA`, then 16 base32 characters (`A–Z`, `2–7`).
  public static func isAWSAccessKeyID(_ text: some StringProtocol) -> Bool {
    withUTF8(of: text, atMost: Int.max, orElse: false) { isAWSAccessKeyID(utf8: $0) }
  }

  /// ``isAWSAccessKeyID(_:)`` of a whole value's UTF-8 bytes, for a caller that holds them already.
  static func isAWSAccessKeyID(utf8: UnsafeBufferPointer<UInt8>) -> Bool {
    withUTF8(bytes: utf8, atMost: 20, orElse: false) { bytes in
      guard bytes.count == 20 else { return false }
      let prefixes: [StaticString] = ["AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "APKA"]
      guard prefixes.contains(where: { hasPrefix(bytes[...], $0) }) else { return false }
      return bytes[4...].allSatisfy { $0.isASCIIUpper || (0x32...0x37).contains($0) }
    }
  }

  /// Whether the value is a PEM private key: `-----BEGIN <kind>PRIVATE KEY-----`, with kind one of
  /// none, `RSA `, `EC `, `DSA `, `OPENSSH `, `ENCRYPTED `, a body with at least 16 base64
  /// characters, and the matching `-----END <kind>PRIVATE KEY-----`; whitespace around is allowed.
  public static func isPEMPrivateKey(_ text: some StringProtocol) -> Bool {
    withUTF8(of: text, atMost: 65_536, orElse: false) { all in
      var rest = all.drop(while: \.isASCIIWhitespace)
      while let last = rest.last, last.isASCIIWhitespace { rest = rest.dropLast() }
      guard hasPrefix(rest, "-----BEGIN ") else { return false }
      rest = rest.dropFirst(11)
      // The kinds start differently, so at most one matches.
      let kinds: [StaticString] = ["", "RSA ", "EC ", "DSA ", "OPENSSH ", "ENCRYPTED "]
      guard
        let kind = kinds.first(where: {
          hasPrefix(rest, $0) && hasPrefix(rest.dropFirst($0.utf8CodeUnitCount), "PRIVATE KEY-----")
        })
      else { return false }
      let kindCount = kind.utf8CodeUnitCount
      let body = rest.dropFirst(kindCount + 16)
      // `-----END <kind>PRIVATE KEY-----`
      let endCount = 9 + kindCount + 16
      guard body.count > endCount, hasSuffix(body, "PRIVATE KEY-----"), hasSuffix(body.dropLast(16), kind),
        hasSuffix(body.dropLast(16 + kindCount), "-----END ")
      else { return false }
      var base64 = 0
      for byte in body.dropLast(endCount) where byte.isASCIIAlphanumeric || byte == 0x2B || byte == 0x2F {
        base64 += 1
        if base64 >= 16 { return true }
      }
      return false
    }
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

  /// ``vendorKeyShapes`` by the first byte of their prefix (all ASCII), each list in table order,
  /// so that a value is compared only with the prefixes that can match it.
  static let vendorKeyShapesByFirstByte: [[VendorKeyShape]] = {
    var table = [[VendorKeyShape]](repeating: [], count: 128)
    for shape in vendorKeyShapes {
      guard let first = shape.prefix.utf8.first, first < 128 else { continue }
      table[Int(first)].append(shape)
    }
    return table
  }()

  /// The vendor whose API key shape the whole value has (`"Stripe"`, `"GitHub"`, `"Slack"`,
  /// `"Google"`, `"OpenAI"`, `"Anthropic"`, `"SendGrid"`, `"Twilio"`, `"npm"`, `"GitLab"`,
  /// `"Shopify"`, `"Mailgun"`, `"Hugging Face"`, `"PyPI"`, `"DigitalOcean"`, `"Square"`), or nil.
  /// The length is that of what follows the prefix. SendGrid's is `22 chars . 43 chars`.
  public static func vendorAPIKey(_ text: some StringProtocol) -> String? {
    withUTF8(of: text, atMost: Int.max, orElse: nil) { vendorAPIKey(utf8: $0) }
  }

  /// ``vendorAPIKey(_:)`` of a whole value's UTF-8 bytes, for a caller that holds them already.
  static func vendorAPIKey(utf8: UnsafeBufferPointer<UInt8>) -> String? {
    withUTF8(bytes: utf8, atMost: 300, orElse: nil) { bytes in
      guard let first = bytes.first, first < 128 else { return nil }
      for shape in vendorKeyShapesByFirstByte[Int(first)] {
        let prefix = shape.prefix.utf8
        guard prefix.count <= bytes.count, shape.length.contains(bytes.count - prefix.count),
          bytes[..<prefix.count].elementsEqual(prefix), fits(bytes[prefix.count...], shape)
        else { continue }
        return shape.vendor
      }
      return nil
    }
  }

  /// Whether what follows a vendor's prefix is made of the shape's characters.
  static func fits(_ rest: ByteSlice, _ shape: VendorKeyShape) -> Bool {
    switch shape.charset {
    case .alphanumeric: return rest.allSatisfy(\.isASCIIAlphanumeric)
    case .alphanumericUnderscore: return rest.allSatisfy { $0.isASCIIAlphanumeric || $0 == 0x5F }
    case .lowerHex: return rest.allSatisfy { $0.isASCIIDigit || (0x61...0x66).contains($0) }
    case .slack:
      return rest.allSatisfy { $0.isASCIIAlphanumeric || $0 == 0x2D } && rest.contains(where: \.isASCIIDigit)
    case .base64URL:
      guard shape.vendor == "SendGrid" else { return rest.allSatisfy(isBase64URLCharacter) }
      // 22 characters, a dot, 43 characters (a dot is not base64url, so it is the only one).
      guard rest.count == 66, rest[rest.startIndex + 22] == 0x2E else { return false }
      return rest.prefix(22).allSatisfy(isBase64URLCharacter) && rest.suffix(43).allSatisfy(isBase64URLCharacter)
    }
  }

  static func isBase64URLCharacter(_ byte: UInt8) -> Bool { byte.isASCIIAlphanumeric || byte == 0x2D || byte == 0x5F }

  /// Shannon entropy of the value's UTF-8 bytes, in bits per byte (bits per character for ASCII).
  /// 0 for the empty string; at most log2 of the length, and at most 8.
  public static func shannonEntropy(_ text: some StringProtocol) -> Double {
    withUTF8(of: text, atMost: Int.max, orElse: 0) { shannonEntropy(bytes: $0) }
  }

  /// ``shannonEntropy(_:)`` of UTF-8 bytes.
  static func shannonEntropy(bytes: UnsafeBufferPointer<UInt8>) -> Double {
    guard !bytes.isEmpty else { return 0 }
    if bytes.count <= EntropyTerms.maximumTotal { return shannonEntropy(ofShort: bytes) }
    // 32-bit counts keep the table at 1 KiB, which is allocated on the stack (2 KiB is not).
    if bytes.count <= UInt32.max { return shannonEntropy(bytes: bytes, countingIn: UInt32.self) }
    return shannonEntropy(bytes: bytes, countingIn: Int.self)
  }

  /// ``shannonEntropy(_:)`` of non-empty bytes, counting in `Count`, which must hold their number.
  static func shannonEntropy<Count: FixedWidthInteger>(
    bytes: UnsafeBufferPointer<UInt8>, countingIn _: Count.Type
  ) -> Double {
    let total = bytes.count
    // Counts per byte value, and a 256-bit set of the values seen: only the counts of values seen
    // are written (first on sight) and read, so the table needs no clearing.
    return withUnsafeTemporaryAllocation(of: Count.self, capacity: 256) { counts in
      withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 4) { seen in
        seen.initialize(repeating: 0)
        for byte in bytes {
          let word = Int(byte >> 6)
          let bit = UInt64(1) << UInt64(byte & 63)
          if seen[word] & bit == 0 {
            seen[word] |= bit
            counts.initializeElement(at: Int(byte), to: 1)
          } else {
            counts[Int(byte)] &+= 1
          }
        }
        var entropy = 0.0
        // In ascending byte order, which the rounding of the sum depends on.
        for word in 0..<4 {
          var bits = seen[word]
          while bits != 0 {
            let count = counts[word << 6 | bits.trailingZeroBitCount]
            bits &= bits - 1
            let p = Double(count) / Double(total)
            entropy -= p * log2(p)
          }
        }
        return entropy
      }
    }
  }

  /// ``shannonEntropy(_:)`` of at most `EntropyTerms.maximumTotal` non-empty bytes: counted in a
  /// cleared table with no branch, each count's term read from `EntropyTerms` (the same `Double`
  /// the longer path computes, so the same sum).
  static func shannonEntropy(ofShort bytes: UnsafeBufferPointer<UInt8>) -> Double {
    let total = bytes.count
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { counts in
      withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 4) { seen in
        counts.initialize(repeating: 0)
        seen.initialize(repeating: 0)
        for byte in bytes {
          counts[Int(byte)] &+= 1
          seen[Int(byte >> 6)] |= 1 << UInt64(byte & 63)
        }
        var entropy = 0.0
        EntropyTerms.table.withUnsafeBufferPointer { terms in
          let row = EntropyTerms.row(total)
          // In ascending byte order, which the rounding of the sum depends on.
          for word in 0..<4 {
            var bits = seen[word]
            while bits != 0 {
              let count = Int(counts[word << 6 | bits.trailingZeroBitCount])
              bits &= bits - 1
              entropy -= terms[row + count - 1]
            }
          }
        }
        return entropy
      }
    }
  }

  /// The terms `p × log2(p)` of Shannon entropy, `p = count / total`, for every total up to
  /// `maximumTotal` (nearly all the values whose entropy is asked) and every count up to it:
  /// computed once, as the longer path computes each, instead of a `log2` per distinct byte.
  enum EntropyTerms {
    static let maximumTotal = 64

    /// Row `total` holds the terms of counts 1 through `total`.
    static let table: [Double] = (1...maximumTotal).flatMap { total in
      (1...total).map { count in
        let p = Double(count) / Double(total)
        return p * log2(p)
      }
    }

    /// Where the row of `total` starts in `table`.
    static func row(_ total: Int) -> Int { (total - 1) * total / 2 }
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
    withUTF8(of: text, atMost: 512, orElse: false) { looksLikeSecret(bytes: $0) }
  }

  /// ``looksLikeSecret(_:)`` of UTF-8 bytes.
  static func looksLikeSecret(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard bytes.count >= 16, bytes.count <= 512 else { return false }
    return looksLikeSecret(bytes: bytes, classes: ByteClasses(bytes))
  }

  /// ``looksLikeSecret(bytes:)`` of bytes whose classes are counted already (a caller that needs
  /// them too counts them once).
  static func looksLikeSecret(bytes: UnsafeBufferPointer<UInt8>, classes: ByteClasses) -> Bool {
    guard bytes.count >= 16, bytes.count <= 512 else { return false }
    // Controls and spaces refuse; letters and digits must both be there.
    guard classes.whitespace == 0, classes.controls == 0, classes.letters > 0, classes.digits > 0, !isUUID(bytes)
    else { return false }
    switch bytes.count {
    case 32, 40, 64, 128: if bytes.allSatisfy(\.isASCIIHexDigit) { return false }
    default: break
    }
    if let colon = bytes.firstIndex(of: 0x3A), hasPrefix(bytes[colon...], "://") { return false }
    // Paths and dotted or dashed structures (versions, ids) are not random: random keys are mostly
    // letters and digits, base64 with a few `+/=`, at most a separator or two after a prefix.
    if bytes[0] == 0x2F || classes.others * 4 > bytes.count { return false }
    return shannonEntropy(bytes: bytes) >= secretEntropyThreshold
  }

  /// How many bytes of a value fall in each class the secret checks ask about, counted in one pass
  /// of one table lookup a byte.
  struct ByteClasses {
    /// Space, tab, line feed, carriage return.
    var whitespace = 0
    /// The other bytes up to space, and DEL.
    var controls = 0
    var digits = 0
    /// ASCII letters.
    var letters = 0
    /// Everything else: ASCII punctuation and bytes beyond ASCII.
    var others = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
      Validators.countingClasses(of: bytes, by: Self.classes, classCount: Class.allCases.count) { counts in
        whitespace = counts[Int(Class.whitespace.rawValue)]
        controls = counts[Int(Class.control.rawValue)]
        digits = counts[Int(Class.digit.rawValue)]
        letters = counts[Int(Class.letter.rawValue)]
        others = counts[Int(Class.other.rawValue)]
      }
    }

    enum Class: UInt8, CaseIterable {
      case whitespace, control, digit, letter, other
    }

    /// The ``Class`` of each byte value.
    static let classes: [UInt8] = (0...255).map { value in
      let byte = UInt8(value)
      let kind: Class
      if byte.isASCIIWhitespace {
        kind = .whitespace
      } else if byte <= 0x20 || byte == 0x7F {
        kind = .control
      } else if byte.isASCIIDigit {
        kind = .digit
      } else if byte.isASCIILetter {
        kind = .letter
      } else {
        kind = .other
      }
      return kind.rawValue
    }
  }

  /// `8-4-4-4-12` hex digits.
  static func isUUID(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard bytes.count == 36 else { return false }
    for (index, byte) in bytes.enumerated() {
      let isDash = index == 8 || index == 13 || index == 18 || index == 23
      guard isDash ? byte == 0x2D : byte.isASCIIHexDigit else { return false }
    }
    return true
  }
}
