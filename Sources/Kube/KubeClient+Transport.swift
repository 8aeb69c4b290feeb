import AsyncHTTPClient
import Foundation
import KubeModel
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// The one path every request takes: URL and headers, credentials, deadline, status check, and
/// the translation of whatever went wrong into a `KubeError`.
extension KubeClient {
  /// A request as the verbs build it.
  struct APIRequest: Sendable {
    var method: HTTPMethod
    /// Starts with `/`; appended to the server URL.
    var path: String
    var query: [(name: String, value: String)] = []
    var body: ByteBuffer?
    var contentType: String?
    var accept = "application/json"
    /// Nil uses the configuration's `requestTimeout`.
    var timeout: Duration?

    /// `GET /api/v1/namespaces/default/pods`, for errors and logs (the query is left out: it can
    /// be long, and says nothing the path does not).
    var summary: String { "\(method.rawValue) \(path)" }
  }

  /// A complete response: status, headers and the whole body.
  struct APIResponse: Sendable {
    /// The request's `summary`, for errors found in the body.
    var request: String
    var status: Int
    var headers: HTTPHeaders
    var body: ByteBuffer
  }

  /// Sends a request and reads the whole response within the deadline. A status outside 2xx
  /// becomes the `KubeError` its Status body describes.
  func perform(_ request: APIRequest) async throws(KubeError) -> APIResponse {
    let response = try await performUnchecked(request)
    guard (200..<300).contains(response.status) else {
      throw Self.error(status: response.status, headers: response.headers, body: response.body, request: request)
    }
    return response
  }

  /// Sends a request and reads the whole response within the deadline, whatever its status.
  func performUnchecked(_ request: APIRequest) async throws(KubeError) -> APIResponse {
    let httpRequest = try makeHTTPRequest(request)
    let timeout = request.timeout ?? configuration.requestTimeout
    let limit = configuration.maximumResponseSize
    let client = httpClient
    let started = ContinuousClock.now
    do {
      // The HTTP client keeps the deadline until the head arrives (retrying refused connections
      // meanwhile, and failing with the last connection error); the body gets what is left.
      let response = try await client.execute(httpRequest, deadline: .now() + .nanoseconds(timeout.nanoseconds))
      let remaining = timeout - (ContinuousClock.now - started)
      let body = try await Self.withDeadline(remaining) { try await response.body.collect(upTo: limit) }
      log(request, status: Int(response.status.code), since: started)
      return APIResponse(
        request: request.summary, status: Int(response.status.code), headers: response.headers, body: body)
    } catch {
      let failure = Self.translate(error, request: request, timeout: timeout, limit: limit)
      log(request, failure: failure, since: started)
      throw failure
    }
  }

  /// Sends a request and returns as soon as the response head arrives, with the body still to be
  /// read: for watches. The head must arrive within the deadline; the body has none. A status
  /// outside 2xx is read (bounded) and thrown as a `KubeError`.
  func openStream(_ request: APIRequest) async throws(KubeError) -> HTTPClientResponse {
    let httpRequest = try makeHTTPRequest(request)
    let timeout = request.timeout ?? configuration.requestTimeout
    let limit = configuration.maximumResponseSize
    let started = ContinuousClock.now
    let response: HTTPClientResponse
    do {
      response = try await httpClient.execute(httpRequest, deadline: .now() + .nanoseconds(timeout.nanoseconds))
    } catch {
      let failure = Self.translate(error, request: request, timeout: timeout, limit: limit)
      log(request, failure: failure, since: started)
      throw failure
    }
    let status = Int(response.status.code)
    log(request, status: status, since: started)
    guard (200..<300).contains(status) else {
      let body: ByteBuffer
      do {
        body = try await Self.withDeadline(timeout) { try await response.body.collect(upTo: limit) }
      } catch {
        throw Self.translate(error, request: request, timeout: timeout, limit: limit)
      }
      throw Self.error(status: status, headers: response.headers, body: body, request: request)
    }
    return response
  }

  // MARK: Building

  private func makeHTTPRequest(_ request: APIRequest) throws(KubeError) -> HTTPClientRequest {
    var url = baseURL + request.path
    if !request.query.isEmpty {
      url +=
        "?"
        + request.query.map { "\(Self.percentEncoded($0.name))=\(Self.percentEncoded($0.value))" }
        .joined(separator: "&")
    }
    var httpRequest = HTTPClientRequest(url: url)
    httpRequest.method = request.method
    httpRequest.headers.add(name: "User-Agent", value: configuration.userAgent)
    httpRequest.headers.add(name: "Accept", value: request.accept)
    if let contentType = request.contentType { httpRequest.headers.add(name: "Content-Type", value: contentType) }
    switch authorization {
    case .none: break
    case .header(let value): httpRequest.headers.add(name: "Authorization", value: value)
    case .tokenFile(let file):
      do {
        httpRequest.headers.add(name: "Authorization", value: "Bearer \(try file.token())")
      } catch {
        throw KubeError(
          .configuration, message: "the token file \(file.path) cannot be read: \(error.reason)",
          request: request.summary)
      }
    }
    if let body = request.body { httpRequest.body = .bytes(body) }
    return httpRequest
  }

  /// Characters left as they are in a query name or value: RFC 3986's unreserved set.
  private static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)

  static func percentEncoded(_ text: String) -> String {
    var encoded = ""
    for byte in text.utf8 {
      if unreserved.contains(byte) {
        encoded.unicodeScalars.append(UnicodeScalar(byte))
      } else {
        let hex = String(byte, radix: 16, uppercase: true)
        encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
      }
    }
    return encoded
  }

  /// Characters left as they are in a path segment: unreserved, sub-delimiters, `:` and `@`.
  private static let segmentCharacters = unreserved.union("!$&'()*+,;=:@".utf8)

  /// A name or namespace as one path segment (`system:controller:x` stays readable; `/` and
  /// spaces are escaped).
  static func pathSegment(_ text: String) -> String {
    var encoded = ""
    for byte in text.utf8 {
      if segmentCharacters.contains(byte) {
        encoded.unicodeScalars.append(UnicodeScalar(byte))
      } else {
        let hex = String(byte, radix: 16, uppercase: true)
        encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
      }
    }
    return encoded
  }

  // MARK: Failures

  /// The error an unsuccessful response describes: its Status body when it has one, otherwise
  /// the start of whatever text it carries (a proxy's HTML, `404 page not found`).
  static func error(status: Int, headers: HTTPHeaders, body: ByteBuffer, request: APIRequest) -> KubeError {
    let retryAfter = headers.first(name: "Retry-After").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
      .map { Duration.seconds($0) }
    let bytes = Data(body.readableBytesView)
    if let decoded = try? JSONDecoder().decode(Status.self, from: bytes),
      decoded.message != nil || decoded.reason != nil
    {
      return KubeError(status: decoded, httpCode: status, retryAfter: retryAfter, request: request.summary)
    }
    let text = String(decoding: bytes.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    let phrase = HTTPResponseStatus(statusCode: status).reasonPhrase
    return KubeError(
      KubeError.kind(code: status, reason: nil), message: text.isEmpty ? phrase : text, code: status,
      retryAfter: retryAfter, request: request.summary)
  }

  /// Whatever the HTTP client, the deadline or the body limit threw, as a `KubeError`.
  static func translate(_ error: any Error, request: APIRequest, timeout: Duration, limit: Int) -> KubeError {
    switch error {
    case let error as KubeError:
      return error
    case is DeadlineExceeded:
      return KubeError(
        .timeout, message: "no complete answer within \(timeout.formattedSeconds)", request: request.summary)
    case is CancellationError:
      return KubeError(.cancelled, message: "the task was cancelled", request: request.summary)
    case is NIOTooManyBytesError:
      return KubeError(
        .responseTooLarge, message: "the response body exceeds \(limit) bytes (maximumResponseSize)",
        request: request.summary)
    case let error as HTTPClientError where error == .deadlineExceeded:
      return KubeError(
        .timeout, message: "no answer within \(timeout.formattedSeconds)", request: request.summary)
    case let error as HTTPClientError where error == .cancelled:
      return KubeError(.cancelled, message: "the request was cancelled", request: request.summary)
    case is NIOSSLError, is NIOSSLExtraError:
      return KubeError(.transport, message: tlsFailure(error), request: request.summary)
    default:
      return KubeError(.transport, message: String(describing: error), request: request.summary)
    }
  }

  /// What went wrong in a TLS handshake, in words that point at the setting to check; BoringSSL's
  /// own text follows in brackets.
  static func tlsFailure(_ error: any Error) -> String {
    let detail = String(describing: error)
    if detail.contains("CERTIFICATE_VERIFY_FAILED") {
      return "the TLS handshake failed: the server's certificate is not signed by a certificate authority the "
        + "client trusts (certificate-authority-data or certificate-authority in the kubeconfig, ca.crt in a "
        + "cluster) [\(detail)]"
    }
    if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
      return "the TLS handshake failed: the server's certificate does not name the host of the server URL [\(detail)]"
    }
    return "the TLS handshake failed [\(detail)]"
  }

  /// Thrown by `withDeadline` when time runs out first.
  struct DeadlineExceeded: Error {}

  /// Runs `operation`, cancelling it if it has not finished within `timeout`.
  static func withDeadline<Value: Sendable>(
    _ timeout: Duration, _ operation: @escaping @Sendable () async throws -> Value
  ) async throws -> Value {
    guard timeout > .zero else { throw DeadlineExceeded() }
    return try await withThrowingTaskGroup(of: Value?.self) { group in
      group.addTask { try await operation() }
      group.addTask {
        try await Task.sleep(for: timeout)
        return nil
      }
      defer { group.cancelAll() }
      guard let first = try await group.next(), let value = first else { throw DeadlineExceeded() }
      return value
    }
  }

  // MARK: Logging

  private func log(_ request: APIRequest, status: Int, since started: ContinuousClock.Instant) {
    logger.debug(
      "Kubernetes API request",
      metadata: [
        "k8s.request": "\(request.summary)", "http.status": "\(status)",
        "duration.ms": "\((ContinuousClock.now - started).milliseconds)",
      ])
  }

  private func log(_ request: APIRequest, failure: KubeError, since started: ContinuousClock.Instant) {
    logger.debug(
      "Kubernetes API request failed",
      metadata: [
        "k8s.request": "\(request.summary)", "error": "\(failure.message)",
        "duration.ms": "\((ContinuousClock.now - started).milliseconds)",
      ])
  }
}

extension Duration {
  var nanoseconds: Int64 {
    let (seconds, attoseconds) = components
    return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
  }

  var milliseconds: Int64 { nanoseconds / 1_000_000 }

  /// `30 s`, `1.5 s`.
  var formattedSeconds: String {
    let milliseconds = self.milliseconds
    return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(Double(milliseconds) / 1000) s"
  }
}
