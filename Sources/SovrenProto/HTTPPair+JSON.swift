// Canonical protobuf JSON of `sovren.v1.HttpPair`, written straight from the model type.
//
// `Sovren_V1_HttpPair(pair).jsonUTF8Bytes()` builds the message, then appends its JSON one byte
// at a time (base64 of the bodies included), checking the array's uniqueness on every byte; that
// was most of `sovren capture`'s time. This encoder writes the same bytes, byte for byte (pinned
// by PairJSONTests against swift-protobuf 1.39.0 with default options), through a raw pointer
// into capacity reserved once per pair.
//
// What swift-protobuf prints, and therefore what this prints:
// - fields in field-number order under their JSON names, no whitespace;
// - proto3 defaults omitted: empty strings and bytes, port or status 0, no headers. The message
//   fields (times, endpoints, request, response) are always set, so they always appear, as `{}`
//   when all their own fields are defaults; a header with empty name and value is `{}` too;
// - strings with `"` `\` and \b \t \n \f \r escaped by letter, every other C0 control, DEL and
//   every C1 control (U+0080–U+009F) as `\u00XX` with upper-case hex, everything else (`/`, `<`,
//   `&`, U+2028, emoji, U+FFFD) as its UTF-8;
// - bytes as standard base64 with `=` padding;
// - timestamps as RFC 3339 UTC strings with 0, 3, 6 or 9 fractional digits, the fewest that
//   are exact;
// - the status as a uint32: clamped the way `Sovren_V1_HttpPair(_:)` clamps it.

import SovrenModel

extension HTTPPair {
  /// Appends this pair's canonical protobuf JSON (`sovren.v1.HttpPair`, no trailing newline) to
  /// `buffer`: the bytes `Sovren_V1_HttpPair(self).jsonUTF8Bytes()` returns, without building
  /// the message.
  ///
  /// Reuse one buffer across pairs (`removeAll(keepingCapacity: true)` between them) and
  /// encoding allocates nothing once the buffer has grown to the largest pair.
  public func appendCanonicalJSON(to buffer: inout [UInt8]) {
    let bound = canonicalJSONByteBound
    buffer.appendUnsafely(maximumCount: bound) { start in
      var writer = JSONWriter(start)
      writer.writePair(self)
      let count = writer.cursor - start
      // A bound too small would already have written past the reservation: stop here rather
      // than run on with a corrupted heap.
      precondition(count <= bound, "canonical JSON of a pair outgrew its size bound")
      return count
    }
  }

  /// This pair's canonical protobuf JSON; see `appendCanonicalJSON(to:)`.
  public var canonicalJSON: [UInt8] {
    var buffer: [UInt8] = []
    appendCanonicalJSON(to: &buffer)
    return buffer
  }

  /// An upper bound of the encoded size, cheap to compute: every string byte counted as the
  /// six of `\u00XX`, bodies at their exact base64 size, everything else at its maximum.
  fileprivate var canonicalJSONByteBound: Int {
    // Keys, braces, brackets, commas, numbers, both timestamps and both addresses, generously.
    var bound = 1024 + 6 * (node.utf8.count + interface.utf8.count)
    bound += 6 * (request.method.utf8.count + request.target.utf8.count + request.version.utf8.count)
    bound += 6 * (response.reason.utf8.count + response.version.utf8.count)
    for header in request.headers { bound += 32 + 6 * (header.name.utf8.count + header.value.utf8.count) }
    for header in response.headers { bound += 32 + 6 * (header.name.utf8.count + header.value.utf8.count) }
    return bound + base64Count(request.body.count) + base64Count(response.body.count)
  }
}

/// The length of the standard, padded base64 form of `count` bytes.
private func base64Count(_ count: Int) -> Int { (count + 2) / 3 * 4 }

/// The JSON text of a Timestamp message (quotes included) for `seconds` and `nanos`; only for
/// tests that compare the formatter against swift-protobuf over the whole 0001–9999 range,
/// which `PacketTime` cannot reach.
func canonicalTimestampJSON(seconds: Int64, nanos: Int32) -> [UInt8] {
  var buffer: [UInt8] = []
  buffer.appendUnsafely(maximumCount: 32) { start in
    var writer = JSONWriter(start)
    writer.writeTimestamp(seconds: seconds, nanos: nanos)
    return writer.cursor - start
  }
  return buffer
}

extension Array where Element == UInt8 {
  /// Lets `body` write up to `maximumCount` bytes at the end of the array through a pointer and
  /// keeps the number it returns.
  @inline(__always)
  fileprivate mutating func appendUnsafely(
    maximumCount: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int
  ) {
    if #available(macOS 26, *) {
      append(addingCapacity: maximumCount) { span in
        span.withUnsafeMutableBufferPointer { free, initialized in
          guard let start = free.baseAddress else { return }
          initialized = body(start)
        }
      }
    } else {
      // Before `OutputSpan` the array can only grow initialized: zero-fill, write, trim.
      let oldCount = count
      append(contentsOf: repeatElement(0, count: maximumCount))
      let written = withUnsafeMutableBufferPointer { all in
        guard let start = all.baseAddress else { return 0 }
        return body(start + oldCount)
      }
      removeLast(maximumCount - written)
    }
  }
}

/// The base64 digits of every 12-bit value, first digit in the first byte in memory.
private let base64DigitPairs: [UInt16] = {
  let digits = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
  return (0..<4096).map { (UInt16(digits[$0 >> 6]) | UInt16(digits[$0 & 0x3F]) << 8).littleEndian }
}()

/// Writes JSON through a pointer into storage the caller has made large enough.
private struct JSONWriter {
  private(set) var cursor: UnsafeMutablePointer<UInt8>

  init(_ start: UnsafeMutablePointer<UInt8>) { cursor = start }

  // MARK: Messages

  mutating func writePair(_ pair: HTTPPair) {
    write("{\"requestTime\":")
    writeTimestamp(pair.requestTime)
    write(",\"responseTime\":")
    writeTimestamp(pair.responseTime)
    write(",\"client\":")
    writeEndpoint(pair.client)
    write(",\"server\":")
    writeEndpoint(pair.server)
    write(",\"request\":")
    writeRequest(pair.request)
    write(",\"response\":")
    writeResponse(pair.response)
    if !pair.node.isEmpty {
      write(",\"node\":")
      writeString(pair.node)
    }
    if !pair.interface.isEmpty {
      write(",\"interface\":")
      writeString(pair.interface)
    }
    write(UInt8(ascii: "}"))
  }

  private mutating func writeEndpoint(_ endpoint: Endpoint) {
    // An address's text is never empty ("0.0.0.0", "::"), so `ip` is always present.
    write("{\"ip\":")
    if endpoint.ip.isIPv6 {
      writeString(endpoint.ip.description)
    } else {
      writeIPv4(UInt32(truncatingIfNeeded: endpoint.ip.low))
    }
    if endpoint.port != 0 {
      write(",\"port\":")
      writeDecimal(UInt32(endpoint.port))
    }
    write(UInt8(ascii: "}"))
  }

  private mutating func writeRequest(_ request: HTTPRequest) {
    write(UInt8(ascii: "{"))
    var fields = FieldSeparator()
    writeStringField("\"method\":", request.method, &fields)
    writeStringField("\"target\":", request.target, &fields)
    writeStringField("\"version\":", request.version, &fields)
    writeHeadersField(request.headers, &fields)
    writeBytesField(request.body, &fields)
    write(UInt8(ascii: "}"))
  }

  private mutating func writeResponse(_ response: HTTPResponse) {
    write(UInt8(ascii: "{"))
    var fields = FieldSeparator()
    // The same clamping as `Sovren_V1_HttpPair(_:)`: a negative status is the default 0.
    let status = UInt32(clamping: response.status)
    if status != 0 {
      write("\"status\":")
      writeDecimal(status)
      fields.needsComma = true
    }
    writeStringField("\"reason\":", response.reason, &fields)
    writeStringField("\"version\":", response.version, &fields)
    writeHeadersField(response.headers, &fields)
    writeBytesField(response.body, &fields)
    write(UInt8(ascii: "}"))
  }

  /// Whether the next field of the current object needs a comma before its key.
  private struct FieldSeparator {
    var needsComma = false
  }

  private mutating func startField(_ key: StaticString, _ fields: inout FieldSeparator) {
    if fields.needsComma { write(UInt8(ascii: ",")) }
    fields.needsComma = true
    write(key)
  }

  private mutating func writeStringField(_ key: StaticString, _ value: String, _ fields: inout FieldSeparator) {
    guard !value.isEmpty else { return }
    startField(key, &fields)
    writeString(value)
  }

  private mutating func writeBytesField(_ body: [UInt8], _ fields: inout FieldSeparator) {
    guard !body.isEmpty else { return }
    startField("\"body\":", &fields)
    writeBase64(body)
  }

  private mutating func writeHeadersField(_ headers: [HTTPHeader], _ fields: inout FieldSeparator) {
    guard !headers.isEmpty else { return }
    startField("\"headers\":[", &fields)
    for (index, header) in headers.enumerated() {
      if index > 0 { write(UInt8(ascii: ",")) }
      write(UInt8(ascii: "{"))
      var headerFields = FieldSeparator()
      writeStringField("\"name\":", header.name, &headerFields)
      writeStringField("\"value\":", header.value, &headerFields)
      write(UInt8(ascii: "}"))
    }
    write(UInt8(ascii: "]"))
  }

  // MARK: Values

  @inline(__always)
  private mutating func write(_ byte: UInt8) {
    cursor.pointee = byte
    cursor += 1
  }

  @inline(__always)
  private mutating func write(_ text: StaticString) {
    cursor.update(from: text.utf8Start, count: text.utf8CodeUnitCount)
    cursor += text.utf8CodeUnitCount
  }

  /// A quoted JSON string, escaped the way swift-protobuf escapes it (see the top of the file).
  private mutating func writeString(_ string: String) {
    write(UInt8(ascii: "\""))
    if string.utf8.withContiguousStorageIfAvailable({ writeEscaped($0) }) == nil {
      writeEscaped(Array(string.utf8))
    }
    write(UInt8(ascii: "\""))
  }

  private mutating func writeEscaped(_ utf8: [UInt8]) {
    utf8.withUnsafeBufferPointer { writeEscaped($0) }
  }

  /// `utf8` is valid UTF-8 (it comes from a `String`), so 0xC2 is always a lead byte followed by
  /// a continuation byte: the pair 0xC2 0x80–0x9F is exactly the C1 controls.
  private mutating func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
    var index = 0
    let count = utf8.count
    while index < count {
      let byte = utf8[index]
      index += 1
      if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
        write(byte)
        continue
      }
      if byte >= 0x80 {
        if byte == 0xC2 && index < count && utf8[index] < 0xA0 {
          writeUnicodeEscape(utf8[index])
          index += 1
        } else {
          write(byte)
        }
        continue
      }
      switch byte {
      case 0x08: write("\\b")
      case 0x09: write("\\t")
      case 0x0A: write("\\n")
      case 0x0C: write("\\f")
      case 0x0D: write("\\r")
      case UInt8(ascii: "\""): write("\\\"")
      case UInt8(ascii: "\\"): write("\\\\")
      default: writeUnicodeEscape(byte)
      }
    }
  }

  /// `\u00XX` for a code point below U+0100, hex digits upper case.
  private mutating func writeUnicodeEscape(_ codePoint: UInt8) {
    let hex: StaticString = "0123456789ABCDEF"
    write("\\u00")
    write(hex.utf8Start[Int(codePoint >> 4)])
    write(hex.utf8Start[Int(codePoint & 0xF)])
  }

  /// Standard base64 with `=` padding, quoted: four output bytes stored per three input bytes.
  private mutating func writeBase64(_ bytes: [UInt8]) {
    let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    let digit = alphabet.utf8Start
    write(UInt8(ascii: "\""))
    bytes.withUnsafeBufferPointer { input in
      guard let source = input.baseAddress else { return }
      let count = input.count
      var out = cursor
      var index = 0
      base64DigitPairs.withUnsafeBufferPointer { pairs in
        // Two table look-ups and two 16-bit stores per three input bytes.
        while index + 3 <= count {
          let group = Int(source[index]) << 16 | Int(source[index + 1]) << 8 | Int(source[index + 2])
          let raw = UnsafeMutableRawPointer(out)
          raw.storeBytes(of: pairs[group >> 12], as: UInt16.self)
          raw.storeBytes(of: pairs[group & 0xFFF], toByteOffset: 2, as: UInt16.self)
          out += 4
          index += 3
        }
      }
      switch count - index {
      case 1:
        let group = UInt32(source[index]) << 16
        out[0] = digit[Int(group >> 18)]
        out[1] = digit[Int(group >> 12 & 0x3F)]
        out[2] = UInt8(ascii: "=")
        out[3] = UInt8(ascii: "=")
        out += 4
      case 2:
        let group = UInt32(source[index]) << 16 | UInt32(source[index + 1]) << 8
        out[0] = digit[Int(group >> 18)]
        out[1] = digit[Int(group >> 12 & 0x3F)]
        out[2] = digit[Int(group >> 6 & 0x3F)]
        out[3] = UInt8(ascii: "=")
        out += 4
      default:
        break
      }
      cursor = out
    }
    write(UInt8(ascii: "\""))
  }

  /// Dotted quad, quoted.
  private mutating func writeIPv4(_ address: UInt32) {
    write(UInt8(ascii: "\""))
    writeDecimal(address >> 24)
    write(UInt8(ascii: "."))
    writeDecimal(address >> 16 & 0xFF)
    write(UInt8(ascii: "."))
    writeDecimal(address >> 8 & 0xFF)
    write(UInt8(ascii: "."))
    writeDecimal(address & 0xFF)
    write(UInt8(ascii: "\""))
  }

  /// Shortest decimal form, no sign, no leading zeros.
  private mutating func writeDecimal(_ value: UInt32) {
    var width = 1
    var rest = value
    while rest >= 10 {
      rest /= 10
      width += 1
    }
    writeDigits(value, width: width)
  }

  /// The lowest `width` decimal digits of `value`, zero-padded.
  private mutating func writeDigits(_ value: UInt32, width: Int) {
    var rest = value
    var position = cursor + width
    while position > cursor {
      position -= 1
      position.pointee = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
      rest /= 10
    }
    cursor += width
  }

  // MARK: Timestamps

  private mutating func writeTimestamp(_ time: PacketTime) {
    var (seconds, nanos) = time.nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
    // Nanos count forward from the second before, even before the epoch.
    if nanos < 0 {
      seconds -= 1
      nanos += 1_000_000_000
    }
    // Int64 nanoseconds span 1677–2262, well inside the 0001–9999 a Timestamp may print, so
    // swift-protobuf's `timestampRange` error cannot happen for a `PacketTime`.
    writeTimestamp(seconds: seconds, nanos: Int32(nanos))
  }

  /// `"YYYY-MM-DDTHH:MM:SS[.fff|.ffffff|.fffffffff]Z"`; `seconds` within years 0001–9999 and
  /// `nanos` in 0..<1e9.
  mutating func writeTimestamp(seconds: Int64, nanos: Int32) {
    var (days, secondOfDay) = seconds.quotientAndRemainder(dividingBy: 86_400)
    if secondOfDay < 0 {
      days -= 1
      secondOfDay += 86_400
    }
    let date = CivilDate(daysSince1970: days)
    let second = UInt32(secondOfDay)
    write(UInt8(ascii: "\""))
    writeDigits(UInt32(truncatingIfNeeded: date.year), width: 4)
    write(UInt8(ascii: "-"))
    writeDigits(date.month, width: 2)
    write(UInt8(ascii: "-"))
    writeDigits(date.day, width: 2)
    write(UInt8(ascii: "T"))
    writeDigits(second / 3600, width: 2)
    write(UInt8(ascii: ":"))
    writeDigits(second / 60 % 60, width: 2)
    write(UInt8(ascii: ":"))
    writeDigits(second % 60, width: 2)
    // The fewest of 0, 3, 6 or 9 fractional digits that are exact.
    let fraction = UInt32(nanos)
    if fraction != 0 {
      write(UInt8(ascii: "."))
      if fraction % 1_000_000 == 0 {
        writeDigits(fraction / 1_000_000, width: 3)
      } else if fraction % 1000 == 0 {
        writeDigits(fraction / 1000, width: 6)
      } else {
        writeDigits(fraction, width: 9)
      }
    }
    write("Z\"")
  }
}

/// A day of the proleptic Gregorian calendar.
private struct CivilDate {
  var year: Int64
  var month: UInt32
  var day: UInt32

  /// Counts in 400-year eras of 146,097 days starting on 1 March, so that the leap day is the
  /// last day of its year (Howard Hinnant's `civil_from_days`).
  init(daysSince1970: Int64) {
    let shifted = daysSince1970 + 719_468  // days since 0000-03-01
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097  // 0...146_096
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)  // from 1 March
    let monthFromMarch = (5 * dayOfYear + 2) / 153  // 0 = March … 11 = February
    day = UInt32(dayOfYear - (153 * monthFromMarch + 2) / 5 + 1)
    month = UInt32(monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9)
    year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
  }
}
