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
  var connectionClose = false
  var connectionKeepAlive = false

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

  var isHTTP10: Bool { version == "HTTP/1.0" }

  /// Whether the connection stays open after this message (RFC 9112 §9.3).
  var keepsConnectionOpen: Bool {
    if connectionClose { return false }
    return !isHTTP10 || connectionKeepAlive
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

  private static func interpret(_ header: HTTPHeader, into head: inout MessageHead) throws(HeadParseError) {
    let name = header.name
    switch name.utf8.count {
    case 14 where name.asciiCaseInsensitiveEquals("content-length"):
      // A list of identical values is tolerated (RFC 9110 §8.6); anything else is an attack
      // or a broken intermediary.
      for item in header.value.split(separator: ",") {
        let text = item.trimmingASCIIWhitespace()
        guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 &- 0x30 < 10 }),
          let value = Int(text)
        else { throw .malformed }
        if let existing = head.contentLength, existing != value { throw .malformed }
        head.contentLength = value
      }
    case 17 where name.asciiCaseInsensitiveEquals("transfer-encoding"):
      let codings = header.value.split(separator: ",").map { $0.trimmingASCIIWhitespace().lowercased() }
        .filter { !$0.isEmpty }
      if let last = codings.last {
        // A later header line may add codings after `chunked`; the last one decides.
        head.isChunked = last == "chunked"
        head.hasOtherTransferEncoding = last != "chunked"
      }
    case 16 where name.asciiCaseInsensitiveEquals("content-encoding"):
      head.contentEncodings += header.value.split(separator: ",").map { $0.trimmingASCIIWhitespace().lowercased() }
        .filter { !$0.isEmpty }
    case 12 where name.asciiCaseInsensitiveEquals("content-type"):
      if isJSONOrForm(header.value) { head.hasJSONOrFormContentType = true }
    case 10 where name.asciiCaseInsensitiveEquals("user-agent"):
      if header.value.utf8.starts(with: "kube-probe/".utf8) { head.isKubeProbe = true }
    case 16 where name.asciiCaseInsensitiveEquals("x-sovren-request"),
      17 where name.asciiCaseInsensitiveEquals("x-soveren-request"):
      head.hasSovrenHeader = true
    case 10 where name.asciiCaseInsensitiveEquals("connection"):
      for option in header.value.split(separator: ",") {
        let token = option.trimmingASCIIWhitespace()
        if token.asciiCaseInsensitiveEquals("close") { head.connectionClose = true }
        if token.asciiCaseInsensitiveEquals("keep-alive") { head.connectionKeepAlive = true }
      }
    default:
      break
    }
  }

  /// `application/json`, `application/<anything>+json`, or `application/x-www-form-urlencoded`;
  /// parameters ignored, case-insensitive.
  static func isJSONOrForm(_ value: String) -> Bool {
    let mediaType =
      value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)
      .first.map { $0.trimmingASCIIWhitespace().lowercased() } ?? ""
    guard mediaType.hasPrefix("application/") else { return false }
    return mediaType == "application/json" || mediaType == "application/x-www-form-urlencoded"
      || (mediaType.hasSuffix("+json") && mediaType.utf8.count > "application/+json".utf8.count)
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

extension Substring {
  func trimmingASCIIWhitespace() -> Substring {
    var result = self
    while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
    while let last = result.last, last == " " || last == "\t" { result.removeLast() }
    return result
  }
}
