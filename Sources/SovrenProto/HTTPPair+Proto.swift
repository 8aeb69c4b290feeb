import Foundation
import SovrenModel
import SwiftProtobuf

extension Sovren_V1_HttpPair {
  /// The wire form of a pair the interceptor assembled.
  public init(_ pair: HTTPPair) {
    self.init()
    requestTime = Google_Protobuf_Timestamp(pair.requestTime)
    responseTime = Google_Protobuf_Timestamp(pair.responseTime)
    client = Sovren_V1_Endpoint(pair.client)
    server = Sovren_V1_Endpoint(pair.server)
    request = .with {
      $0.method = pair.request.method
      $0.target = pair.request.target
      $0.version = pair.request.version
      $0.headers = pair.request.headers.map(Sovren_V1_Header.init)
      $0.body = Data(pair.request.body)
    }
    response = .with {
      $0.status = UInt32(clamping: pair.response.status)
      $0.reason = pair.response.reason
      $0.version = pair.response.version
      $0.headers = pair.response.headers.map(Sovren_V1_Header.init)
      $0.body = Data(pair.response.body)
    }
    node = pair.node
    interface = pair.interface
  }
}

extension HTTPPair {
  /// The model form of a pair read off the wire. Fails when an endpoint's address is not an
  /// IP address.
  public init(_ message: Sovren_V1_HttpPair) throws(PairDecodingError) {
    guard let clientIP = IPAddress(message.client.ip) else { throw .badAddress(message.client.ip) }
    guard let serverIP = IPAddress(message.server.ip) else { throw .badAddress(message.server.ip) }
    self.init(
      requestTime: PacketTime(message.requestTime),
      responseTime: PacketTime(message.responseTime),
      client: Endpoint(ip: clientIP, port: UInt16(clamping: message.client.port)),
      server: Endpoint(ip: serverIP, port: UInt16(clamping: message.server.port)),
      request: HTTPRequest(
        method: message.request.method, target: message.request.target,
        version: message.request.version,
        headers: message.request.headers.map { HTTPHeader(name: $0.name, value: $0.value) },
        body: [UInt8](message.request.body)),
      response: HTTPResponse(
        status: Int(message.response.status), reason: message.response.reason,
        version: message.response.version,
        headers: message.response.headers.map { HTTPHeader(name: $0.name, value: $0.value) },
        body: [UInt8](message.response.body)),
      node: message.node,
      interface: message.interface)
  }
}

public enum PairDecodingError: Error, CustomStringConvertible, Equatable {
  case badAddress(String)

  public var description: String {
    switch self {
    case .badAddress(let text): "endpoint address '\(text)' is not an IPv4 or IPv6 address"
    }
  }
}

extension Sovren_V1_Endpoint {
  init(_ endpoint: Endpoint) {
    self.init()
    ip = endpoint.ip.description
    port = UInt32(endpoint.port)
  }
}

extension Sovren_V1_Header {
  init(_ header: HTTPHeader) {
    self.init()
    name = header.name
    value = header.value
  }
}

extension Google_Protobuf_Timestamp {
  init(_ time: PacketTime) {
    let (seconds, nanos) = time.nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
    // Timestamps keep nanos in 0..<1e9 even before the epoch.
    self.init(seconds: nanos < 0 ? seconds - 1 : seconds, nanos: Int32(nanos < 0 ? nanos + 1_000_000_000 : nanos))
  }
}

extension PacketTime {
  init(_ timestamp: Google_Protobuf_Timestamp) {
    self.init(nanoseconds: timestamp.seconds &* 1_000_000_000 &+ Int64(timestamp.nanos))
  }
}
