import Foundation
import NIOCore
import NIOHTTP1

/// A request the typed verbs do not cover: discovery (`/apis`), `/version`, health endpoints,
/// subresources such as `scale` or `eviction`, or a content type of your own.
public struct KubeRequest: Sendable {
  /// `GET`, `POST`, `PUT`, `PATCH`, `DELETE`, …
  public var method: String
  /// Starts with `/`, such as `/apis/apps/v1/namespaces/default/deployments/web/scale`.
  public var path: String
  /// Name and value pairs, percent-encoded by the client.
  public var query: [(name: String, value: String)]
  public var body: [UInt8]?
  public var contentType: String?
  public var accept: String
  /// Nil uses the configuration's `requestTimeout`.
  public var timeout: Duration?

  public init(
    method: String = "GET", path: String, query: [(name: String, value: String)] = [], body: [UInt8]? = nil,
    contentType: String? = nil, accept: String = "application/json", timeout: Duration? = nil
  ) {
    self.method = method
    self.path = path
    self.query = query
    self.body = body
    self.contentType = contentType
    self.accept = accept
    self.timeout = timeout
  }
}

/// A successful answer to a `KubeRequest`.
public struct KubeResponse: Sendable {
  public var statusCode: Int
  /// Header names as the server sent them, in order.
  public var headers: [(name: String, value: String)]
  public var body: [UInt8]

  /// The first value of a header, by case-insensitive name.
  public func header(_ name: String) -> String? {
    headers.first { $0.name.lowercased() == name.lowercased() }?.value
  }

  /// The body decoded as JSON into `type`.
  public func decode<Value: Decodable>(_ type: Value.Type = Value.self) throws(KubeError) -> Value {
    do {
      return try JSONDecoder().decode(type, from: Data(body))
    } catch {
      throw KubeError(.decoding, message: "the body is not a \(type): \(error)")
    }
  }
}

extension KubeClient {
  /// Sends a request as is, with the client's credentials, `User-Agent` and deadline. A status
  /// outside 2xx is thrown as the `KubeError` its Status body describes, as for every other verb.
  public func send(_ request: KubeRequest) async throws(KubeError) -> KubeResponse {
    guard request.path.hasPrefix("/") else {
      throw KubeError(.invalidRequest, message: "the path \"\(request.path)\" does not start with /")
    }
    let apiRequest = APIRequest(
      method: HTTPMethod(rawValue: request.method.uppercased()), path: request.path, query: request.query,
      body: request.body.map { ByteBuffer(bytes: $0) }, contentType: request.contentType, accept: request.accept,
      timeout: request.timeout)
    let response = try await perform(apiRequest)
    return KubeResponse(
      statusCode: response.status, headers: response.headers.map { ($0.name, $0.value) },
      body: Array(response.body.readableBytesView))
  }
}
