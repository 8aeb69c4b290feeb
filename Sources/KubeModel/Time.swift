import Foundation

/// A point in time as Kubernetes writes `metav1.Time`: RFC 3339 in UTC with whole seconds,
/// `2024-01-02T03:04:05Z`. Fractions of a second are dropped when reading, as the API server does.
///
/// Kept as whole seconds since 1970 rather than a `Date`, so that a timestamp read from the server
/// and written back is byte-for-byte the same.
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  public var secondsSince1970: Int64

  public init(secondsSince1970: Int64) {
    self.secondsSince1970 = secondsSince1970
  }

  /// The whole second `date` falls in.
  public init(_ date: Date) {
    secondsSince1970 = Int64(date.timeIntervalSince1970.rounded(.down))
  }

  /// Reads RFC 3339 text (any fraction and offset accepted); nil when it is not RFC 3339.
  public init?(rfc3339 text: String) {
    guard let instant = RFC3339.parse(text) else { return nil }
    secondsSince1970 = instant.seconds
  }

  public static func now() -> Timestamp { Timestamp(Date()) }

  public var date: Date { Date(timeIntervalSince1970: TimeInterval(secondsSince1970)) }

  /// `2024-01-02T03:04:05Z`.
  public var description: String { RFC3339.format(seconds: secondsSince1970, microseconds: nil) }

  public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.secondsSince1970 < rhs.secondsSince1970 }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let parsed = Timestamp(rfc3339: text) else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "\"\(text)\" is not an RFC 3339 time such as 2024-01-02T03:04:05Z")
    }
    self = parsed
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}

/// A point in time as Kubernetes writes `metav1.MicroTime`: RFC 3339 in UTC with exactly six
/// fractional digits, `2024-01-02T03:04:05.123456Z`. Leases (`renewTime`, `acquireTime`) and
/// events (`eventTime`) use it. Digits beyond the sixth are dropped when reading.
public struct MicroTimestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  public var secondsSince1970: Int64
  /// 0 ..< 1_000_000.
  public var microseconds: Int32

  /// - Parameter microseconds: carried into seconds when outside 0 ..< 1_000_000.
  public init(secondsSince1970: Int64, microseconds: Int32 = 0) {
    let carry = Int64(microseconds).quotientAndRemainder(dividingBy: 1_000_000)
    var seconds = secondsSince1970 + carry.quotient
    var micros = carry.remainder
    if micros < 0 {
      micros += 1_000_000
      seconds -= 1
    }
    self.secondsSince1970 = seconds
    self.microseconds = Int32(micros)
  }

  /// The microsecond `date` falls in.
  public init(_ date: Date) {
    let totalMicroseconds = (date.timeIntervalSince1970 * 1_000_000).rounded(.down)
    let split = Int64(totalMicroseconds).quotientAndRemainder(dividingBy: 1_000_000)
    self.init(secondsSince1970: split.quotient, microseconds: Int32(split.remainder))
  }

  /// Reads RFC 3339 text (any fraction and offset accepted); nil when it is not RFC 3339.
  public init?(rfc3339 text: String) {
    guard let instant = RFC3339.parse(text) else { return nil }
    secondsSince1970 = instant.seconds
    microseconds = instant.microseconds
  }

  public static func now() -> MicroTimestamp { MicroTimestamp(Date()) }

  public var date: Date {
    Date(timeIntervalSince1970: TimeInterval(secondsSince1970) + TimeInterval(microseconds) / 1_000_000)
  }

  /// This time moved by `duration`, to the microsecond.
  public func advanced(by duration: Duration) -> MicroTimestamp {
    let (seconds, attoseconds) = duration.components
    return MicroTimestamp(
      secondsSince1970: secondsSince1970 + seconds,
      microseconds: microseconds + Int32(attoseconds / 1_000_000_000_000))
  }

  /// `2024-01-02T03:04:05.123456Z`.
  public var description: String { RFC3339.format(seconds: secondsSince1970, microseconds: microseconds) }

  public static func < (lhs: MicroTimestamp, rhs: MicroTimestamp) -> Bool {
    (lhs.secondsSince1970, lhs.microseconds) < (rhs.secondsSince1970, rhs.microseconds)
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let parsed = MicroTimestamp(rfc3339: text) else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "\"\(text)\" is not an RFC 3339 time such as 2024-01-02T03:04:05.000000Z")
    }
    self = parsed
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}

/// RFC 3339 date-times (`2024-01-02T03:04:05.123Z`, `…+02:00`) to and from seconds since 1970,
/// by calendar arithmetic on the proleptic Gregorian calendar (no formatter, no locale, no
/// time zone database: Kubernetes only writes UTC, and offsets are plain arithmetic).
enum RFC3339 {
  struct Instant {
    var seconds: Int64
    var microseconds: Int32
  }

  static func parse(_ text: String) -> Instant? {
    let bytes = Array(text.utf8)
    var index = 0
    func digits(_ count: Int) -> Int64? {
      guard index + count <= bytes.count else { return nil }
      var value: Int64 = 0
      for byte in bytes[index..<index + count] {
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        value = value * 10 + Int64(byte - UInt8(ascii: "0"))
      }
      index += count
      return value
    }
    func expect(_ allowed: String) -> Bool {
      guard index < bytes.count, allowed.utf8.contains(bytes[index]) else { return false }
      index += 1
      return true
    }
    guard let year = digits(4), expect("-"), let month = digits(2), expect("-"), let day = digits(2),
      expect("Tt "), let hour = digits(2), expect(":"), let minute = digits(2), expect(":"),
      let second = digits(2)
    else { return nil }
    guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month), hour < 24,
      minute < 60, second <= 60
    else { return nil }
    var microseconds: Int64 = 0
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      var fractionDigits = 0
      while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
        if fractionDigits < 6 { microseconds = microseconds * 10 + Int64(bytes[index] - UInt8(ascii: "0")) }
        fractionDigits += 1
        index += 1
      }
      guard fractionDigits > 0 else { return nil }
      for _ in fractionDigits..<max(fractionDigits, 6) { microseconds *= 10 }
    }
    var offsetSeconds: Int64 = 0
    if expect("Zz") {
      offsetSeconds = 0
    } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
      let sign: Int64 = bytes[index] == UInt8(ascii: "-") ? -1 : 1
      index += 1
      guard let offsetHours = digits(2), expect(":"), let offsetMinutes = digits(2), offsetHours < 24,
        offsetMinutes < 60
      else { return nil }
      offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
    } else {
      return nil
    }
    guard index == bytes.count else { return nil }
    // A leap second reads as the last second of its minute.
    let days = daysSince1970(year: year, month: month, day: day)
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offsetSeconds
    return Instant(seconds: seconds, microseconds: Int32(microseconds))
  }

  /// `YYYY-MM-DDTHH:MM:SSZ`, or with `.ffffff` when `microseconds` is given.
  static func format(seconds: Int64, microseconds: Int32?) -> String {
    let (days, secondOfDay) = floorDivision(seconds, 86_400)
    let (year, month, day) = civilDate(daysSince1970: days)
    var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
    text += pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay % 3600 / 60, 2) + ":" + pad(secondOfDay % 60, 2)
    if let microseconds { text += "." + pad(Int64(microseconds), 6) }
    return text + "Z"
  }

  private static func pad(_ value: Int64, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
  }

  private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
    let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
    return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
  }

  static func isLeapYear(_ year: Int64) -> Bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
  }

  static func daysInMonth(year: Int64, month: Int64) -> Int64 {
    switch month {
    case 2: isLeapYear(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// Days from 1970-01-01 to a civil date. Years are counted from March so that the leap day falls
  /// at the end of a year, and in 400-year eras, which repeat exactly.
  static func daysSince1970(year: Int64, month: Int64, day: Int64) -> Int64 {
    let marchYear = month <= 2 ? year - 1 : year
    let era = floorDivision(marchYear, 400).0
    let yearOfEra = marchYear - era * 400
    let marchMonth = month > 2 ? month - 3 : month + 9
    let dayOfYear = (153 * marchMonth + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The inverse of `daysSince1970(year:month:day:)`.
  static func civilDate(daysSince1970 days: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let shifted = days + 719_468
    let era = floorDivision(shifted, 146_097).0
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let marchMonth = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * marchMonth + 2) / 5 + 1
    let month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}
