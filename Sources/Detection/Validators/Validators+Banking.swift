/// Bank identifiers: IBAN (country length and ISO 7064 mod-97), SWIFT/BIC, US ABA routing numbers.

extension Validators {
  /// IBAN lengths by country, from the SWIFT IBAN registry.
  static let ibanLengths: [String: Int] = [
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21,
    "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28,
    "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
    "RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25,
    "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
  ]

  /// ISO 3166-1 alpha-2 country codes (plus XK), for the country part of a BIC.
  static let countryCodes: Set<String> = Set(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW
    BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI
    FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN
    IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME
    MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF
    PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK
    YE YT ZA ZM ZW
    """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))

  /// A two-letter code `A`–`Z` `A`–`Z` as an index into a 26 × 26 table, or nil when the bytes
  /// are not two capitals.
  static func countryIndex(_ first: UInt8, _ second: UInt8) -> Int? {
    guard first.isASCIIUpper, second.isASCIIUpper else { return nil }
    return Int(first - 0x41) * 26 + Int(second - 0x41)
  }

  /// ``ibanLengths`` by ``countryIndex(_:_:)``, 0 for a country without IBANs: no string is built
  /// to look a country up.
  static let ibanLengthsByCountryIndex: [UInt8] = {
    var table = [UInt8](repeating: 0, count: 26 * 26)
    for (country, length) in ibanLengths {
      let code = Array(country.utf8)
      guard code.count == 2, let index = countryIndex(code[0], code[1]) else { continue }
      table[index] = UInt8(length)
    }
    return table
  }()

  /// ``countryCodes`` by ``countryIndex(_:_:)``.
  static let isCountryByCountryIndex: [Bool] = {
    var table = [Bool](repeating: false, count: 26 * 26)
    for country in countryCodes {
      let code = Array(country.utf8)
      guard code.count == 2, let index = countryIndex(code[0], code[1]) else { continue }
      table[index] = true
    }
    return table
  }()

  /// Whether the value is an IBAN in upper case: a registered country with its exact length, check
  /// digits 02–98, the mod-97 remainder 1. Either unspaced, or in groups of four separated by single
  /// spaces (the last group 1–4 characters).
  public static func isIBAN(_ text: some StringProtocol) -> Bool {
    withUTF8(of: text, atMost: Int.max, orElse: false) { isIBAN(utf8: $0) }
  }

  /// ``isIBAN(_:)`` of a whole value's UTF-8 bytes, for a caller that holds them already.
  static func isIBAN(utf8: UnsafeBufferPointer<UInt8>) -> Bool {
    withUTF8(bytes: utf8, atMost: 42, orElse: false) { isIBAN(bytes: $0) }
  }

  /// ``isIBAN(_:)`` of UTF-8 bytes.
  static func isIBAN(bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBufferPointer { isIBAN(bytes: $0) }
  }

  /// ``isIBAN(_:)`` of UTF-8 bytes read in place.
  static func isIBAN(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard bytes.count >= 15, bytes.count <= 42 else { return false }
    // Spaced, the spaces are at 4, 9, 14, … exactly, and the last group is not empty; the
    // characters, spaces left out ("compact"), then start with the first four bytes.
    let spaces = bytes.count(where: { $0 == 0x20 })
    if spaces > 0 {
      guard bytes[bytes.count - 1] != 0x20 else { return false }
      for (index, byte) in bytes.enumerated() where (byte == 0x20) != (index % 5 == 4) { return false }
    }
    let compactCount = bytes.count - spaces
    guard compactCount >= 15, let country = countryIndex(bytes[0], bytes[1]),
      Int(ibanLengthsByCountryIndex[country]) == compactCount,
      let check = number(bytes[2..<4]), (2...98).contains(check)
    else { return false }
    // Move the first four characters to the end, read letters as 10–35, and reduce mod 97 as we go.
    guard let rest = ibanRemainder(of: bytes[4...], after: 0),
      let remainder = ibanRemainder(of: bytes[0..<4], after: rest)
    else { return false }
    return remainder == 1
  }

  /// The mod-97 remainder of `remainder` followed by the bytes (digits as themselves, capitals as
  /// 10–35, spaces skipped), or nil when a byte is none of these.
  static func ibanRemainder(of bytes: ByteSlice, after remainder: Int) -> Int? {
    var remainder = remainder
    for byte in bytes where byte != 0x20 {
      if byte.isASCIIDigit {
        remainder = (remainder * 10 + byte.digitValue) % 97
      } else if byte.isASCIIUpper {
        remainder = (remainder * 100 + Int(byte) - 0x41 + 10) % 97
      } else {
        return nil
      }
    }
    return remainder
  }

  /// Whether the value is a SWIFT/BIC code in upper case: 4 letters (bank), a known country code,
  /// 2 letters or digits (location), optionally 3 letters or digits (branch).
  public static func isSwiftBIC(_ text: some StringProtocol) -> Bool {
    withUTF8(of: text, atMost: 11, orElse: false) { bytes in
      guard bytes.count == 8 || bytes.count == 11 else { return false }
      let isUpperAlphanumeric = { (byte: UInt8) in byte.isASCIIUpper || byte.isASCIIDigit }
      guard bytes[0..<6].allSatisfy(\.isASCIIUpper), let country = countryIndex(bytes[4], bytes[5]) else {
        return false
      }
      return isCountryByCountryIndex[country] && bytes[6...].allSatisfy(isUpperAlphanumeric)
    }
  }

  /// Whether the value is a US ABA routing number: 9 digits, a Federal Reserve prefix (00–12, 21–32,
  /// 61–72, 80), and the 3-7-1 weighted checksum divisible by 10. All zeros is refused.
  public static func isABARoutingNumber(_ text: some StringProtocol) -> Bool {
    withUTF8(of: text, atMost: 9, orElse: false) { bytes in
      guard bytes.count == 9, allDigits(bytes), let prefix = number(bytes[0..<2]) else { return false }
      guard (0...12).contains(prefix) || (21...32).contains(prefix) || (61...72).contains(prefix) || prefix == 80,
        bytes.contains(where: { $0 != 0x30 })
      else { return false }
      let weights = [3, 7, 1, 3, 7, 1, 3, 7, 1]
      var sum = 0
      for (byte, weight) in zip(bytes, weights) { sum += byte.digitValue * weight }
      return sum % 10 == 0
    }
  }
}
