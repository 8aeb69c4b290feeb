/// Network identifiers: IPv4 and IPv6 addresses, MAC addresses, URLs that carry credentials.

extension Validators {
  /// Whether the value is a dotted-quad IPv4 address: four decimal octets 0–255, no leading zeros.
  public static func isIPv4(_ text: some StringProtocol) -> Bool {
    guard let bytes = bytes(of: text, atMost: 15) else { return false }
    return isIPv4(bytes[...])
  }

  static func isIPv4(_ bytes: ArraySlice<UInt8>) -> Bool {
    let octets = split(bytes, on: 0x2E)
    return octets.count == 4
      && octets.allSatisfy { octet in
        guard (1...3).contains(octet.count), let value = number(octet), value <= 255 else { return false }
        return octet.count == 1 || octet.first != 0x30
      }
  }

  /// Whether the value is an IPv6 address (RFC 4291): eight groups of 1–4 hex digits, or fewer with
  /// one `::`, the last 32 bits optionally written as IPv4, optionally followed by `%zone`
  /// (letters, digits, `.`, `_`, `-`).
  public static func isIPv6(_ text: some StringProtocol) -> Bool {
    guard let bytes = bytes(of: text, atMost: 128), bytes.count >= 2 else { return false }
    var address = bytes[...]
    if let percent = bytes.firstIndex(of: 0x25) {
      let zone = bytes[(percent + 1)...]
      guard !zone.isEmpty, zone.count <= 64,
        zone.allSatisfy({ $0.isASCIIAlphanumeric || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D })
      else { return false }
      address = bytes[..<percent]
    }
    guard address.count <= 45 else { return false }
    // Find the one `::`, if any, and count the groups on each side of it.
    var compression: Int?
    var index = address.startIndex
    while index < address.endIndex - 1 {
      if address[index] == 0x3A, address[index + 1] == 0x3A {
        guard compression == nil else { return false }
        compression = index
        index += 2
      } else {
        index += 1
      }
    }
    if let compression {
      guard let left = ipv6Groups(address[..<compression], mayEndWithIPv4: false),
        let right = ipv6Groups(address[(compression + 2)...], mayEndWithIPv4: true)
      else { return false }
      return left + right <= 7
    }
    return ipv6Groups(address, mayEndWithIPv4: true) == 8
  }

  /// The number of 16-bit groups colon-separated hex groups stand for (an IPv4 tail counts two), or nil.
  static func ipv6Groups(_ bytes: ArraySlice<UInt8>, mayEndWithIPv4: Bool) -> Int? {
    if bytes.isEmpty { return 0 }
    let groups = split(bytes, on: 0x3A)
    var count = 0
    for (position, group) in groups.enumerated() {
      if mayEndWithIPv4, position == groups.count - 1, group.contains(0x2E) {
        guard isIPv4(group) else { return nil }
        count += 2
      } else {
        guard (1...4).contains(group.count), group.allSatisfy(\.isASCIIHexDigit) else { return nil }
        count += 1
      }
    }
    return count
  }

  /// Whether the value is a 48-bit MAC address: six pairs of hex digits separated by `:` or by `-`
  /// (one kind throughout), or Cisco's three dot-separated groups of four (`0123.4567.89ab`), or
  /// twelve bare hex digits. Bare, it must mix digits and letters, in one case, because a run of
  /// twelve digits is far more often a phone number or an id, and twelve letters a word.
  public static func isMACAddress(_ text: some StringProtocol) -> Bool {
    guard let bytes = bytes(of: text, atMost: 17) else { return false }
    switch bytes.count {
    case 17:
      let separator = bytes[2]
      guard separator == 0x3A || separator == 0x2D else { return false }
      let groups = split(bytes[...], on: separator)
      return groups.count == 6 && groups.allSatisfy { $0.count == 2 && $0.allSatisfy(\.isASCIIHexDigit) }
    case 14:
      let groups = split(bytes[...], on: 0x2E)
      return groups.count == 3 && groups.allSatisfy { $0.count == 4 && $0.allSatisfy(\.isASCIIHexDigit) }
    case 12:
      guard bytes.allSatisfy(\.isASCIIHexDigit) else { return false }
      let hasDigit = bytes.contains(where: \.isASCIIDigit)
      let hasUpper = bytes.contains(where: \.isASCIIUpper)
      let hasLower = bytes.contains(where: \.isASCIILower)
      return hasDigit && (hasUpper != hasLower)
    default:
      return false
    }
  }

  /// Whether the value is a URL with a user name and a password: `scheme://user:password@host…`,
  /// the scheme a letter then letters, digits, `+`, `-`, `.`; user and password non-empty; the host
  /// non-empty letters, digits, `.`, `-`, or a bracketed IPv6 literal.
  public static func isURLWithCredentials(_ text: some StringProtocol) -> Bool {
    guard let bytes = bytes(of: text, atMost: 4096), let colon = bytes.firstIndex(of: 0x3A) else { return false }
    let scheme = bytes[..<colon]
    guard let firstLetter = scheme.first, firstLetter.isASCIILetter,
      scheme.allSatisfy({ $0.isASCIIAlphanumeric || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E }),
      bytes[colon...].starts(with: "://".utf8)
    else { return false }
    let afterScheme = bytes[(colon + 3)...]
    let authority = afterScheme.prefix(while: { $0 != 0x2F && $0 != 0x3F && $0 != 0x23 })
    guard let at = authority.lastIndex(of: 0x40) else { return false }
    let userInfo = authority[..<at]
    let host = authority[(at + 1)...]
    guard let separator = userInfo.firstIndex(of: 0x3A), separator > userInfo.startIndex,
      separator < userInfo.endIndex - 1,
      userInfo.allSatisfy({ $0 > 0x20 && $0 != 0x7F })
    else { return false }
    if host.first == 0x5B {
      guard let close = host.firstIndex(of: 0x5D) else { return false }
      return close > host.startIndex + 1
    }
    let hostName = host.prefix(while: { $0 != 0x3A })
    let port = host.dropFirst(hostName.count)
    guard !hostName.isEmpty, hostName.allSatisfy({ $0.isASCIIAlphanumeric || $0 == 0x2E || $0 == 0x2D }) else {
      return false
    }
    return port.isEmpty || (port.count <= 6 && allDigits(port.dropFirst()))
  }
}
