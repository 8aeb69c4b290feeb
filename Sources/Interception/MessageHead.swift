import SovrenModel

/// The start line and headers of one HTTP/1.x message, with the facts the interceptor needs
/// from them worked out once.
struct MessageHead {
  enum Kind {
    case request(method: String, target: String)
    case response(status: Int, reason: String)
  }

  var kind: Kind
  /// "HTTP/1.0" or "HTTP/1.1".
  var version: String
  var headers: [HTTPHeader]

  /// nil when absent. Differing duplicates are rejected while parsing.
  var contentLength: Int?
  /// The last transfer coding is `chunked`.
  var isChunked = false
  /// A `Transfer-Encoding` is present but does not end in `chunked`.
  var hasOtherTransferEncoding = false
  /// `Content-Encoding` codings in the order they were applied, lowercased.
  var contentEncodings: [String] = []
  var hasJSONOrFormContentType = false
  var isKubeProbe = false
  var hasSovrenHeader = false

  var isRequest: Bool {
    if case .request = kind { return true }
    return false
  }

  var method: String? {
    if case .request(let method, _) = kind { return method }
    return nil
  }

  var status: Int? {
    if case .response(let status, _) = kind { return status }
    return nil
  }
}

enum HeadParseError: Error {
  case malformed
}

/// Parses a complete message head: the bytes from the start line through the empty line.
/// Bare LF line endings are accepted, as RFC 9112 allows; obsolete line folding is joined
/// with a single space.
enum MessageHeadParser {
  static func parse(_ bytes: UnsafeRawBufferPointer) throws(HeadParseError) -> MessageHead {
    var lines = LineIterator(bytes: bytes)
    guard let startLine = lines.next() else { throw .malformed }
    var head = try parseStartLine(startLine)
    var headers: [HTTPHeader] = []
    headers.reserveCapacity(12)
    while let line = lines.next() {
      if line.isEmpty { break }
      if line[0] == 0x20 || line[0] == 0x09 {
        // obs-fold: continues the previous header's value.
        guard !headers.isEmpty else { throw .malformed }
        let continuation = trimmed(line)
        if !continuation.isEmpty {
          headers[headers.count - 1].value += " " + String(decoding: continuation, as: UTF8.self)
        }
        continue
      }
      guard let colon = line.firstIndex(of: 0x3A), colon > 0 else { throw .malformed }
      let name = UnsafeRawBufferPointer(rebasing: line[..<colon])
      guard name.allSatisfy(isTokenByte) else { throw .malformed }
      let value = trimmed(UnsafeRawBufferPointer(rebasing: line[(colon + 1)...]))
      headers.append(
        HTTPHeader(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self)))
    }
    for header in headers {
      try interpret(header, into: &head)
    }
    head.headers = headers
    return head
  }

  private static func parseStartLine(_ line: UnsafeRawBufferPointer) throws(HeadParseError) -> MessageHead {
    if line.starts(with: httpSlash) {
      // status-line = HTTP-version SP 3DIGIT SP [reason-phrase]
      guard line.count >= 12, let version = version(of: line), line[8] == 0x20 else { throw .malformed }
      var status = 0
      for index in 9..<12 {
        let digit = line[index] &- 0x30
        guard digit < 10 else { throw .malformed }
        status = status * 10 + Int(digit)
      }
      guard status >= 100 else { throw .malformed }
      var reason = ""
      if line.count > 12 {
        guard line[12] == 0x20 else { throw .malformed }
        reason = String(decoding: UnsafeRawBufferPointer(rebasing: line[13...]), as: UTF8.self)
      }
      return MessageHead(kind: .response(status: status, reason: reason), version: version, headers: [])
    }
    // request-line = method SP request-target SP HTTP-version
    guard let firstSpace = line.firstIndex(of: 0x20), firstSpace > 0,
      let lastSpace = line.lastIndex(of: 0x20), lastSpace > firstSpace + 1,
      line.count - lastSpace - 1 == 8
    else { throw .malformed }
    let method = UnsafeRawBufferPointer(rebasing: line[..<firstSpace])
    guard method.allSatisfy(isTokenByte) else { throw .malformed }
    let versionBytes = UnsafeRawBufferPointer(rebasing: line[(lastSpace + 1)...])
    guard let version = version(of: versionBytes) else { throw .malformed }
    let target = UnsafeRawBufferPointer(rebasing: line[(firstSpace + 1)..<lastSpace])
    // A target has no whitespace or control bytes.
    guard target.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else { throw .malformed }
    return MessageHead(
      kind: .request(
        method: String(decoding: method, as: UTF8.self), target: String(decoding: target, as: UTF8.self)),
      version: version, headers: [])
  }

  private static let httpSlash: [UInt8] = Array("HTTP/".utf8)

  /// "HTTP/1.0" or "HTTP/1.1" at the start of `bytes`; nil for anything else (HTTP/2's
  /// preface, HTTP/0.9, garbage).
  private static func version(of bytes: UnsafeRawBufferPointer) -> String? {
    guard bytes.count >= 8, bytes.starts(with: httpSlash), bytes[5] == 0x31, bytes[6] == 0x2E else { return nil }
    switch bytes[7] {
    case 0x30: return "HTTP/1.0"
    case 0x31: return "HTTP/1.1"
    default: return nil
    }
  }

  /// Works out what the interceptor needs from one header, on its UTF-8 bytes (this runs for
  /// every header of every message).
  private static func interpret(_ header: HTTPHeader, into head: inout MessageHead) throws(HeadParseError) {
    var name = header.name
    var value = header.value
    let valid = name.withUTF8 { name in
      value.withUTF8 { value in interpret(name: name, value: value, into: &head) }
    }
    guard valid else { throw .malformed }
  }

  /// Returns false when the header makes the message malformed.
  private static func interpret(
    name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>, into head: inout MessageHead
  ) -> Bool {
    switch name.count {
    case 14 where name.equalsLowercase("content-length"):
      // A list of identical values is tolerated (RFC 9110 §8.6); anything else is an attack
      // or a broken intermediary.
      var valid = true
      value.forEachListItem { item in
        guard let length = item.decimalValue(maxDigits: 18) else {
          valid = false
          return
        }
        if let existing = head.contentLength, existing != length { valid = false }
        head.contentLength = length
      }
      return valid
    case 17 where name.equalsLowercase("transfer-encoding"):
      // A later header line may add codings after `chunked`; the last one decides.
      value.forEachListItem { coding in
        head.isChunked = coding.equalsLowercase("chunked")
        head.hasOtherTransferEncoding = !head.isChunked
      }
    case 16 where name.equalsLowercase("content-encoding"):
      value.forEachListItem { coding in
        head.contentEncodings.append(String(decoding: coding.lazy.map(asciiLowercase), as: UTF8.self))
      }
    case 12 where name.equalsLowercase("content-type"):
      if isJSONOrForm(value) { head.hasJSONOrFormContentType = true }
    case 10 where name.equalsLowercase("user-agent"):
      if value.starts(with: "kube-probe/".utf8) { head.isKubeProbe = true }
    case 16 where name.equalsLowercase("x-sovren-request"), 17 where name.equalsLowercase("x-soveren-request"):
      head.hasSovrenHeader = true
    default:
      break
    }
    return true
  }

  /// `application/json`, `application/<anything>+json`, or `application/x-www-form-urlencoded`;
  /// parameters ignored, case-insensitive.
  static func isJSONOrForm(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
    let end = value.firstIndex(of: 0x3B) ?? value.count
    let mediaType = UnsafeBufferPointer(rebasing: value[..<end]).trimmingOptionalWhitespace()
    let prefix = "application/".utf8.count
    guard mediaType.count > prefix,
      UnsafeBufferPointer(rebasing: mediaType[..<prefix]).equalsLowercase("application/")
    else { return false }
    let subtype = UnsafeBufferPointer(rebasing: mediaType[prefix...])
    if subtype.equalsLowercase("json") || subtype.equalsLowercase("x-www-form-urlencoded") { return true }
    return subtype.count > 5 && UnsafeBufferPointer(rebasing: subtype[(subtype.count - 5)...]).equalsLowercase("+json")
  }

  private static func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    var start = 0
    var end = bytes.count
    while start < end && (bytes[start] == 0x20 || bytes[start] == 0x09) { start += 1 }
    while end > start && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
    return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
  }
}

/// RFC 9110 tchar.
@inline(__always)
func isTokenByte(_ byte: UInt8) -> Bool {
  switch byte {
  case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
  case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: true
  default: false
  }
}

/// Lines of a message head, without their CRLF or LF.
struct LineIterator {
  let bytes: UnsafeRawBufferPointer
  var position = 0

  mutating func next() -> UnsafeRawBufferPointer? {
    guard position < bytes.count else { return nil }
    let rest = UnsafeRawBufferPointer(rebasing: bytes[position...])
    let newline = rest.firstIndex(of: 0x0A).map { $0 + position } ?? bytes.count
    var end = newline
    if end > position && bytes[end - 1] == 0x0D { end -= 1 }
    let line = UnsafeRawBufferPointer(rebasing: bytes[position..<end])
    position = newline + 1
    return line
  }
}

extension UnsafeBufferPointer<UInt8> {
  /// Equal to `lowercase`, ignoring ASCII case in `self` (`lowercase` must be lowercase).
  @inline(__always)
  func equalsLowercase(_ lowercase: StaticString) -> Bool {
    guard count == lowercase.utf8CodeUnitCount else { return false }
    let expected = lowercase.utf8Start
    for index in 0..<count where asciiLowercase(self[index]) != expected[index] { return false }
    return true
  }

  /// Without leading and trailing spaces and tabs.
  func trimmingOptionalWhitespace() -> UnsafeBufferPointer<UInt8> {
    var start = 0
    var end = count
    while start < end && (self[start] == 0x20 || self[start] == 0x09) { start += 1 }
    while end > start && (self[end - 1] == 0x20 || self[end - 1] == 0x09) { end -= 1 }
    return UnsafeBufferPointer(rebasing: self[start..<end])
  }

  /// Calls `body` with each non-empty, trimmed element of a comma-separated list.
  func forEachListItem(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
    var start = 0
    while start <= count {
      let end = self[start...].firstIndex(of: 0x2C) ?? count
      let item = UnsafeBufferPointer(rebasing: self[start..<end]).trimmingOptionalWhitespace()
      if !item.isEmpty { body(item) }
      start = end + 1
    }
  }

  /// The value of an all-digit item of at most `maxDigits` digits.
  func decimalValue(maxDigits: Int) -> Int? {
    guard !isEmpty, count <= maxDigits else { return nil }
    var value = 0
    for byte in self {
      let digit = byte &- 0x30
      guard digit < 10 else { return nil }
      value = value * 10 + Int(digit)
    }
    return value
  }
}
