/// A request and the response that answered it, as the interceptor saw them on the wire.
///
/// This is the in-memory form of `sovren.v1.HttpPair`: bodies are already de-chunked and
/// decoded (gzip, deflate), headers are kept in the order and spelling they were sent.
public struct HTTPPair: Hashable, Sendable {
  /// Capture time of the packet that carried the request's first byte.
  public var requestTime: PacketTime
  /// Capture time of the packet that completed the response.
  public var responseTime: PacketTime
  public var client: Endpoint
  public var server: Endpoint
  public var request: HTTPRequest
  public var response: HTTPResponse
  /// The Kubernetes node (or host) the capture ran on; empty when unknown.
  public var node: String
  /// The interface or file the packets came from; empty when unknown.
  public var interface: String

  public init(
    requestTime: PacketTime, responseTime: PacketTime, client: Endpoint, server: Endpoint,
    request: HTTPRequest, response: HTTPResponse, node: String = "", interface: String = ""
  ) {
    self.requestTime = requestTime
    self.responseTime = responseTime
    self.client = client
    self.server = server
    self.request = request
    self.response = response
    self.node = node
    self.interface = interface
  }
}

public struct HTTPHeader: Hashable, Sendable {
  public var name: String
  public var value: String

  public init(name: String, value: String) {
    self.name = name
    self.value = value
  }
}

public struct HTTPRequest: Hashable, Sendable {
  public var method: String
  /// The request target exactly as sent: origin form (`/a?b`), absolute form, `*`, …
  public var target: String
  /// `HTTP/1.0` or `HTTP/1.1`.
  public var version: String
  public var headers: [HTTPHeader]
  /// The decoded body: de-chunked and decompressed.
  public var body: [UInt8]

  public init(method: String, target: String, version: String, headers: [HTTPHeader], body: [UInt8]) {
    self.method = method
    self.target = target
    self.version = version
    self.headers = headers
    self.body = body
  }
}

public struct HTTPResponse: Hashable, Sendable {
  public var status: Int
  public var reason: String
  public var version: String
  public var headers: [HTTPHeader]
  /// The decoded body: de-chunked and decompressed.
  public var body: [UInt8]

  public init(status: Int, reason: String, version: String, headers: [HTTPHeader], body: [UInt8]) {
    self.status = status
    self.reason = reason
    self.version = version
    self.headers = headers
    self.body = body
  }
}

extension Array where Element == HTTPHeader {
  /// The value of the first header named `name`, compared case-insensitively (ASCII).
  public func first(named name: String) -> String? {
    first { $0.name.asciiCaseInsensitiveEquals(name) }?.value
  }
}

extension StringProtocol {
  /// ASCII case-insensitive comparison, the way HTTP compares header names and tokens.
  public func asciiCaseInsensitiveEquals(_ other: some StringProtocol) -> Bool {
    var a = utf8.makeIterator()
    var b = other.utf8.makeIterator()
    while true {
      switch (a.next(), b.next()) {
      case (nil, nil): return true
      case (let x?, let y?):
        if x != y && asciiLowercase(x) != asciiLowercase(y) { return false }
      default: return false
      }
    }
  }
}

/// The byte with ASCII letters lowercased, every other byte unchanged.
@inlinable @inline(__always)
public func asciiLowercase(_ byte: UInt8) -> UInt8 {
  byte &- 0x41 < 26 ? byte | 0x20 : byte
}
