import SovrenModel

/// One header line as sent. `value` is written verbatim (spaces and tabs around it included);
/// each continuation is an obs-fold line written verbatim after CRLF and must start with a
/// space or tab.
public struct HeaderLine: Sendable, Hashable {
  public var name: String
  public var value: String
  public var continuations: [String]

  public init(_ name: String, _ value: String, continuations: [String] = []) {
    self.name = name
    self.value = value
    self.continuations = continuations
  }

  var wire: String {
    var line = "\(name):\(value.first == " " || value.first == "\t" ? "" : " ")\(value)\r\n"
    for continuation in continuations { line += continuation + "\r\n" }
    return line
  }

  /// The header as the interceptor must report it: value trimmed of spaces and tabs, each
  /// folded line trimmed and joined to the previous value by one space.
  public var expected: HTTPHeader {
    var text = HeaderLine.trimmed(value)
    for continuation in continuations { text += " " + HeaderLine.trimmed(continuation) }
    return HTTPHeader(name: name, value: text)
  }

  static func trimmed(_ text: String) -> String {
    var scalars = Substring(text)
    while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
    while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
    return String(scalars)
  }
}

/// How a message's end is marked on the wire.
public enum BodyFraming: Sendable, Hashable {
  /// No body and no framing header: GET requests, 204, 304, 1xx.
  case none
  /// `Content-Length: n`.
  case contentLength
  /// `Transfer-Encoding: chunked`, cut into chunks of `chunkSize` bytes of the sent body.
  /// `extensions` adds `;ext=1` to every chunk-size line; `trailers` follow the last chunk.
  case chunked(chunkSize: Int, extensions: Bool = false, trailers: [HeaderLine] = [])
  /// No length: the body ends when the server closes (responses only).
  case closeDelimited
  /// A response to HEAD: `Content-Length` of the body a GET would get, and no body.
  case headResponse
}

/// A message's bytes and what the interceptor must report for it.
public struct EncodedMessage: Sendable {
  /// Start line and header block, through the empty line.
  public var head: [UInt8]
  /// The body as framed on the wire (chunked, compressed).
  public var body: [UInt8]
  /// The body as sent with chunking removed but still compressed: the size limits use this.
  public var sentBodyLength: Int
  /// The body the pair must carry: de-chunked and decoded; empty when no body is sent.
  public var decodedBody: [UInt8]
  /// The headers the pair must carry, in wire order.
  public var expectedHeaders: [HTTPHeader]

  public var wire: [UInt8] { head + body }
}

/// A request to send. Framing and encoding headers (`Content-Encoding`, `Content-Length`,
/// `Transfer-Encoding`) are appended after `headers` by `encoded()`.
public struct SynthRequest: Sendable, Hashable {
  public var method: String
  public var target: String
  public var version: String
  public var headers: [HeaderLine]
  /// The decoded body.
  public var body: [UInt8]
  public var coding: ContentCoding
  public var framing: BodyFraming

  public init(
    method: String, target: String, version: String = "HTTP/1.1", headers: [HeaderLine] = [],
    body: [UInt8] = [], coding: ContentCoding = .identity, framing: BodyFraming? = nil
  ) {
    self.method = method
    self.target = target
    self.version = version
    self.headers = headers
    self.body = body
    self.coding = coding
    self.framing = framing ?? (body.isEmpty ? .none : .contentLength)
  }

  public func encoded() -> EncodedMessage {
    MessageEncoder.encode(
      startLine: "\(method) \(target) \(version)", headers: headers, body: body, coding: coding, framing: framing)
  }
}

/// An interim (1xx) response sent before the final one; never part of a pair.
public struct InterimResponse: Sendable, Hashable {
  public var status: Int
  public var reason: String
  public var headers: [HeaderLine]

  public init(status: Int, reason: String, headers: [HeaderLine] = []) {
    self.status = status
    self.reason = reason
    self.headers = headers
  }

  public static let `continue` = InterimResponse(status: 100, reason: "Continue")

  func wire(version: String) -> [UInt8] {
    var text = "\(version) \(status) \(reason)\r\n"
    for header in headers { text += header.wire }
    return (text + "\r\n").bytes
  }
}

/// A final response to send, preceded on the wire by `interim` responses.
public struct SynthResponse: Sendable, Hashable {
  public var status: Int
  public var reason: String
  public var version: String
  public var headers: [HeaderLine]
  public var body: [UInt8]
  public var coding: ContentCoding
  public var framing: BodyFraming
  public var interim: [InterimResponse]

  public init(
    status: Int = 200, reason: String = "OK", version: String = "HTTP/1.1", headers: [HeaderLine] = [],
    body: [UInt8] = [], coding: ContentCoding = .identity, framing: BodyFraming = .contentLength,
    interim: [InterimResponse] = []
  ) {
    self.status = status
    self.reason = reason
    self.version = version
    self.headers = headers
    self.body = body
    self.coding = coding
    self.framing = framing
    self.interim = interim
  }

  public func encoded() -> EncodedMessage {
    MessageEncoder.encode(
      startLine: "\(version) \(status) \(reason)", headers: headers, body: body, coding: coding, framing: framing)
  }
}

enum MessageEncoder {
  static func encode(
    startLine: String, headers: [HeaderLine], body: [UInt8], coding: ContentCoding, framing: BodyFraming
  ) -> EncodedMessage {
    var all = headers
    let sent = framing == .none ? [] : coding.encode(body)
    if framing != .none, let value = coding.headerValue { all.append(HeaderLine("Content-Encoding", value)) }
    var wireBody: [UInt8] = []
    var decoded = body
    var sentLength = sent.count
    switch framing {
    case .none:
      decoded = []
      sentLength = 0
    case .contentLength:
      all.append(HeaderLine("Content-Length", String(sent.count)))
      wireBody = sent
    case .chunked(let chunkSize, let extensions, let trailers):
      all.append(HeaderLine("Transfer-Encoding", "chunked"))
      let size = max(1, chunkSize)
      let suffix = extensions ? ";ext=1" : ""
      var offset = 0
      while offset < sent.count {
        let end = min(sent.count, offset + size)
        wireBody += (String(end - offset, radix: 16) + suffix + "\r\n").bytes
        wireBody += sent[offset..<end]
        wireBody += "\r\n".bytes
        offset = end
      }
      wireBody += ("0" + suffix + "\r\n").bytes
      for trailer in trailers { wireBody += trailer.wire.bytes }
      wireBody += "\r\n".bytes
    case .closeDelimited:
      wireBody = sent
    case .headResponse:
      all.append(HeaderLine("Content-Length", String(sent.count)))
      decoded = []
      sentLength = 0
    }
    var head = startLine + "\r\n"
    for header in all { head += header.wire }
    head += "\r\n"
    return EncodedMessage(
      head: head.bytes, body: wireBody, sentBodyLength: sentLength, decodedBody: decoded,
      expectedHeaders: all.map(\.expected))
  }
}
