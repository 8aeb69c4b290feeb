import Foundation

/// A Kubernetes resource quantity (`resource.Quantity`) such as `500m`, `1.5Gi` or `1e3`, read so
/// that two spellings of one amount compare equal: `1Gi` == `1024Mi`, `0.5` == `500m`.
///
/// The grammar is the API server's: an optional sign, digits with at most one decimal point, then
/// either nothing, a decimal SI suffix (`n`, `u`, `m`, `k`, `M`, `G`, `T`, `P`, `E`), a binary SI
/// suffix (`Ki` … `Ei`) or a decimal exponent (`e3`, `E-2`). The value is kept exactly: at most 18
/// significant digits are accepted, which covers every quantity a manifest carries.
public struct Quantity: Sendable, Comparable, CustomStringConvertible {
  /// The text as written.
  public let text: String
  /// The amount in base units (cores, bytes).
  public let value: Decimal

  static let maximumSignificantDigits = 18
  static let maximumExponent = 100

  /// Reads a quantity; throws when `text` is not one.
  public init(_ text: String) throws(QuantityError) {
    self.text = text
    self.value = try Self.parse(text)
  }

  public var description: String { text }
  public var isNegative: Bool { value < 0 }

  public static func == (lhs: Quantity, rhs: Quantity) -> Bool { lhs.value == rhs.value }
  public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.value < rhs.value }

  private static let decimalSuffixes: [String: Int] = [
    "": 0, "n": -9, "u": -6, "m": -3, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18,
  ]
  private static let binarySuffixes: [String: Int] = ["Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6]

  private static func parse(_ text: String) throws(QuantityError) -> Decimal {
    guard !text.isEmpty else { throw .empty }
    var rest = Substring(text)
    var negative = false
    if let sign = rest.first, sign == "+" || sign == "-" {
      negative = sign == "-"
      rest = rest.dropFirst()
    }
    let integerPart = rest.prefix { $0.isASCII && $0.isNumber }
    rest = rest.dropFirst(integerPart.count)
    var fractionPart: Substring = ""
    if rest.first == "." {
      rest = rest.dropFirst()
      fractionPart = rest.prefix { $0.isASCII && $0.isNumber }
      rest = rest.dropFirst(fractionPart.count)
    }
    guard !integerPart.isEmpty || !fractionPart.isEmpty else { throw .malformed(text, "it has no digits") }
    var exponent = try exponent(ofSuffix: rest, in: text)
    var binaryPower = 0
    if let power = binarySuffixes[String(rest)] {
      binaryPower = power
      exponent = 0
    }

    // Significant digits only: leading zeros carry nothing, trailing ones move the exponent.
    var digits = Substring(String(integerPart) + String(fractionPart)).drop { $0 == "0" }
    exponent -= fractionPart.count
    while digits.last == "0" {
      digits = digits.dropLast()
      exponent += 1
    }
    guard !digits.isEmpty else { return 0 }
    guard digits.count <= maximumSignificantDigits else {
      throw .outOfRange(text, "it has more than \(maximumSignificantDigits) significant digits")
    }
    guard abs(exponent) <= maximumExponent else { throw .outOfRange(text, "its exponent is too large") }
    guard let significand = UInt64(digits) else { throw .malformed(text, "its digits are not a number") }
    var value = Decimal(sign: negative ? .minus : .plus, exponent: exponent, significand: Decimal(significand))
    for _ in 0..<binaryPower { value *= 1024 }
    return value
  }

  /// The power of ten a suffix stands for; zero for a binary suffix (handled by the caller).
  private static func exponent(ofSuffix suffix: Substring, in text: String) throws(QuantityError) -> Int {
    if let exponent = decimalSuffixes[String(suffix)] { return exponent }
    if binarySuffixes[String(suffix)] != nil { return 0 }
    guard let marker = suffix.first, marker == "e" || marker == "E" else {
      throw .malformed(text, "\"\(suffix)\" is not a suffix (use m, k, M, G, Ki, Mi, Gi, … or an exponent such as e3)")
    }
    var number = suffix.dropFirst()
    var negative = false
    if let sign = number.first, sign == "+" || sign == "-" {
      negative = sign == "-"
      number = number.dropFirst()
    }
    guard !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }), number.count <= 4,
      let magnitude = Int(number)
    else { throw .malformed(text, "\"\(suffix)\" is not an exponent such as e3 or e-2") }
    guard magnitude <= maximumExponent else { throw .outOfRange(text, "its exponent is too large") }
    return negative ? -magnitude : magnitude
  }
}

/// Why a text is not a quantity.
public enum QuantityError: Error, Equatable, CustomStringConvertible {
  case empty
  /// The text and what is wrong with it.
  case malformed(String, String)
  case outOfRange(String, String)

  public var description: String {
    switch self {
    case .empty: "An empty text is not a quantity."
    case .malformed(let text, let reason), .outOfRange(let text, let reason):
      "\"\(text)\" is not a quantity: \(reason)."
    }
  }
}
