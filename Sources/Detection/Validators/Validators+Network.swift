/// Network identifiers: IPv4 and IPv6 addresses, MAC addresses, URLs that carry credentials.

extension Validators {
  /// Whether the value is a dotted-quad IPv4 address: four decimal octets 0–255, no leading zeros.
  public static func isIPv4(_ text: some StringProtocol) -> Bool {
    withUTF8(of: text, atMost: Int.max, orElse: false) { isIPv4(utf8: $0) }
  }

  /// ``isIPv4(_:)`` of a whole value's UTF-8 bytes, for a caller that holds them already.
  static func isIPv4(utf8: UnsafeBufferPointer<UInt8>) -> Bool {
    withUTF8(bytes: utf8, atMost: 15, orElse: false) { isIPv4($0[...]) }
  }

  static func isIPv4(_ bytes: ByteSlice) -> Bool {
    var octets = 0
    var start = bytes.startIndex
    while true {
      let end = bytes[start...].firstIndex(of: 0x2E) ?? bytes.endIndex
      octets += 1
      guard octets <= 4, isOctet(bytes[start..<end]) else { return false }
      if end == bytes.endIndex { return octets == 4 }
      start = end + 1
    }
  }

  /// One to three digits spelling 0–255, without a leading zero.
  static func isOctet(_ octet: ByteSlice) -> Bool {
    guard (1...3).contains(octet.count), let value = number(octet), value <= 255 else { return false }
    return octet.count == 1 || octet.first != 0x30
  }

  /// Whether the value is an IPv6 address (RFC 4291): eight groups of 1–4 hex digits, or fewer with
  /// one `::`, the last 32 bits optionally written as IPv4, optionally followed by `%zone`
  /// (letters, digits, `.`, `_`, `-`).
  public static func isIPv6(_ text: some StringProtocol) -> Bool {
    withUTF8(of: text, atMost: Int.max, orElse: false) { isIPv6(utf8: $0) }
  }

  /// ``isIPv6(_:)`` of a whole value's UTF-8 bytes, for a caller that holds them already.
  static func isIPv6(utf8: UnsafeBufferPointer<UInt8>) -> Bool {
    withUTF8(bytes: utf8, atMost: 128, orElse: false) { bytes in
      guard bytes.count >= 2 else { return false }
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
  }

  /// The number of 16-bit groups colon-separated hex groups stand for (an IPv4 tail counts two), or nil.
  static func ipv6Groups(_ bytes: ByteSlice, mayEndWithIPv4: Bool) -> Int? {
    if bytes.isEmpty { return 0 }
    var count = 0
    var start = bytes.startIndex
    while true {
      let end = bytes[start...].firstIndex(of: 0x3A) ?? bytes.endIndex
      let group = bytes[start..<end]
      let isLast = end == bytes.endIndex
      if mayEndWithIPv4, isLast, group.contains(0x2E) {
        guard isIPv4(group) else { return nil }
        count += 2
      } else {
        guard (1...4).contains(group.count), group.allSatisfy(\.isASCIIHexDigit) else { return nil }
        count += 1
      }
      if isLast { return count }
      start = end + 1
    }
  }

  /// Whether the value is a 48-bit MAC address: six pairs of hex digits separated by `:` or by `-`
  /// (one kind throughout), or Cisco's three dot-separated groups of four (`0123.4567.89ab`), or
  /// twelve bare hex digits. Bare, it must mix digits and letters, in one case, because a run of
  /// twelve digits is far more often a phone number or an id, and twelve letters a word.
  public static func isMACAddress(_ text: some StringProtocol) -> Bool {
    withUTF8(of: text, atMost: Int.max, orElse: false) { isMACAddress(utf8: $0) }
  }

  /// ``isMACAddress(_:)`` of a whole value's UTF-8 bytes, for a caller that holds them already.
  static func isMACAddress(utf8: UnsafeBufferPointer<UInt8>) -> Bool {
    withUTF8(bytes: utf8, atMost: 17, orElse: false) { bytes in
      switch bytes.count {
      case 17:
        // Separators at 2, 5, …, 14: a hex digit is never one, so these are the six pairs.
        let separator = bytes[2]
        guard separator == 0x3A || separator == 0x2D else { return false }
        return isGrouped(bytes, every: 3, by: separator)
      case 14:
        return isGrouped(bytes, every: 5, by: 0x2E)
      case 12:
        var hasDigit = false
        var hasUpper = false
        var hasLower = false
        for byte in bytes {
          if byte.isASCIIDigit {
            hasDigit = true
          } else if byte.isASCIIHexDigit {
            if byte.isASCIIUpper { hasUpper = true } else { hasLower = true }
          } else {
            return false
          }
        }
        return hasDigit && (hasUpper != hasLower)
      default:
        return false
      }
    }
  }

  /// Whether every `stride`-th byte (the last of each stride) is `separator` and all others are hex
  /// digits.
  static func isGrouped(_ bytes: UnsafeBufferPointer<UInt8>, every stride: Int, by separator: UInt8) -> Bool {
    for (index, byte) in bytes.enumerated() {
      guard index % stride == stride - 1 ? byte == separator : byte.isASCIIHexDigit else { return false }
    }
    return true
  }

  /// Whether the value is a URL with a user name and a password: `scheme://user:password@host…`,
  /// the scheme a letter then letters, digits, `+`, `-`, `.`; user and password non-empty; the host
  /// non-empty letters, digits, `.`, `-`, or a bracketed IPv6 literal.
  public static func isURLWithCredentials(_ text: some StringProtocol) -> Bool {
    withUTF8(of: text, atMost: Int.max, orElse: false) { isURLWithCredentials(utf8: $0) }
  }

  /// ``isURLWithCredentials(_:)`` of a whole value's UTF-8 bytes, for a caller that holds them already.
  static func isURLWithCredentials(utf8: UnsafeBufferPointer<UInt8>) -> Bool {
    withUTF8(bytes: utf8, atMost: 4096, orElse: false) { isURLWithCredentials(bytes: $0) }
  }

  /// ``isURLWithCredentials(_:)`` of UTF-8 bytes.
  static func isURLWithCredentials(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let colon = bytes.firstIndex(of: 0x3A) else { return false }
    let scheme = bytes[..<colon]
    guard let firstLetter = scheme.first, firstLetter.isASCIILetter,
      scheme.allSatisfy({ $0.isASCIIAlphanumeric || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E }),
      hasPrefix(bytes[colon...], "://")
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
