/// Personal identifiers and dates: US social security numbers, calendar dates, birth dates.

extension Validators {
  /// Whether the value is a US SSN, `AAA-GG-SSSS` or nine bare digits, under the SSA's rules: area
  /// not 000, 666 or 900–999; group not 00; serial not 0000. Numbers the SSA lists as published
  /// samples (078-05-1120 from a wallet insert, 219-09-9999 from an advertisement) are refused too.
  public static func isUSSSN(_ text: some StringProtocol) -> Bool {
    withUTF8(of: text, atMost: Int.max, orElse: false) { isUSSSN(utf8: $0) }
  }

  /// ``isUSSSN(_:)`` of a whole value's UTF-8 bytes, for a caller that holds them already.
  static func isUSSSN(utf8: UnsafeBufferPointer<UInt8>) -> Bool {
    withUTF8(bytes: utf8, atMost: 11, orElse: false) { isUSSSN(bytes: $0) }
  }

  /// ``isUSSSN(_:)`` of UTF-8 bytes.
  static func isUSSSN(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let area: Int?
    let group: Int?
    let serial: Int?
    if bytes.count == 11 {
      guard bytes[3] == 0x2D, bytes[6] == 0x2D else { return false }
      (area, group, serial) = (number(bytes[0..<3]), number(bytes[4..<6]), number(bytes[7..<11]))
    } else if bytes.count == 9 {
      (area, group, serial) = (number(bytes[0..<3]), number(bytes[3..<5]), number(bytes[5..<9]))
    } else {
      return false
    }
    guard let area, let group, let serial else { return false }
    guard area != 0, area != 666, area < 900, group != 0, serial != 0 else { return false }
    if (area, group, serial) == (78, 5, 1120) || (area, group, serial) == (219, 9, 9999) { return false }
    return true
  }

  static func isLeapYear(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: isLeapYear(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  static func isCalendarDate(year: Int, month: Int, day: Int) -> Bool {
    (1...12).contains(month) && day >= 1 && day <= daysIn(month: month, year: year)
  }

  /// The calendar date the value spells, or nil. Accepted forms:
  /// - `YYYY-MM-DD` or `YYYY/MM/DD`, optionally followed by `T` or a space and a time
  ///   (`HH:MM`, `HH:MM:SS`, fractional seconds, then `Z` or an offset `±HH:MM` / `±HHMM`);
  /// - `DD/MM/YYYY`, `MM/DD/YYYY`, `DD-MM-YYYY`, `MM-DD-YYYY` (day and month one or two digits):
  ///   read day first, and month first when day first is not a date, so an ambiguous value such as
  ///   `03/04/2024` gives 3 April;
  /// - `DD.MM.YYYY`, day first only;
  /// - `YYYYMMDD`, eight digits with a year in 1900–2100.
  /// Years are four digits from 1000; February 29 needs a leap year.
  public static func parseDate(_ text: some StringProtocol) -> (year: Int, month: Int, day: Int)? {
    withUTF8(of: text, atMost: 40, orElse: nil) { parseDate(bytes: $0) }
  }

  /// ``parseDate(_:)`` of UTF-8 bytes.
  static func parseDate(bytes: UnsafeBufferPointer<UInt8>) -> (year: Int, month: Int, day: Int)? {
    guard bytes.count >= 8 else { return nil }
    if bytes.count == 8, allDigits(bytes) {
      guard let year = number(bytes[0..<4]), let month = number(bytes[4..<6]), let day = number(bytes[6..<8]),
        (1900...2100).contains(year), isCalendarDate(year: year, month: month, day: day)
      else { return nil }
      return (year, month, day)
    }
    if bytes.count >= 10, bytes[4] == 0x2D || bytes[4] == 0x2F, bytes[7] == bytes[4] {
      guard let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10]),
        year >= 1000, isCalendarDate(year: year, month: month, day: day)
      else { return nil }
      guard bytes.count == 10 || (bytes[10] == 0x54 || bytes[10] == 0x20) && isTimeOfDay(bytes[11...]) else {
        return nil
      }
      return (year, month, day)
    }
    // Day and month first: two numbers of one or two digits, then a four-digit year.
    guard bytes.count <= 10 else { return nil }
    let separator = bytes[bytes.count - 5]
    guard separator == 0x2F || separator == 0x2D || separator == 0x2E,
      let firstEnd = bytes.firstIndex(of: separator),
      let secondEnd = bytes[(firstEnd + 1)...].firstIndex(of: separator),
      !bytes[(secondEnd + 1)...].contains(separator),
      (1...2).contains(firstEnd), (1...2).contains(secondEnd - firstEnd - 1),
      let first = number(bytes[..<firstEnd]), let second = number(bytes[(firstEnd + 1)..<secondEnd]),
      let year = number(bytes[(secondEnd + 1)...]), year >= 1000
    else { return nil }
    if isCalendarDate(year: year, month: second, day: first) { return (year, second, first) }
    if separator != 0x2E, isCalendarDate(year: year, month: first, day: second) { return (year, first, second) }
    return nil
  }

  /// `HH:MM`, `HH:MM:SS`, `HH:MM:SS.fff…`, then nothing, `Z`, `±HH:MM` or `±HHMM`.
  static func isTimeOfDay(_ bytes: ByteSlice) -> Bool {
    var rest = bytes
    guard rest.count >= 5, let hour = number(rest.prefix(2)), hour < 24, rest.dropFirst(2).first == 0x3A,
      let minute = number(rest.dropFirst(3).prefix(2)), minute < 60
    else { return false }
    rest = rest.dropFirst(5)
    if rest.first == 0x3A {
      guard let second = number(rest.dropFirst().prefix(2)), second <= 60 else { return false }
      rest = rest.dropFirst(3)
      if rest.first == 0x2E {
        let fraction = rest.dropFirst().prefix(while: \.isASCIIDigit)
        guard (1...9).contains(fraction.count) else { return false }
        rest = rest.dropFirst(1 + fraction.count)
      }
    }
    if rest.isEmpty || (rest.count == 1 && rest.first == 0x5A) { return true }
    guard rest.first == 0x2B || rest.first == 0x2D else { return false }
    let offset = rest.dropFirst()
    let hours: Int?
    let minutes: Int?
    if offset.count == 5, offset.dropFirst(2).first == 0x3A {
      (hours, minutes) = (number(offset.prefix(2)), number(offset.suffix(2)))
    } else if offset.count == 4 {
      (hours, minutes) = (number(offset.prefix(2)), number(offset.suffix(2)))
    } else {
      return false
    }
    guard let hours, let minutes else { return false }
    return hours <= 14 && minutes < 60
  }

  /// Whether the value is a date (see ``parseDate(_:)``) of someone aged 0–120 in `referenceYear`.
  /// The year alone is compared: the detector needs plausibility, not an exact age.
  public static func isPlausibleBirthDate(_ text: some StringProtocol, referenceYear: Int) -> Bool {
    guard let date = parseDate(text) else { return false }
    return (0...120).contains(referenceYear - date.year)
  }
}
