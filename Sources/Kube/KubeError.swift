import KubeModel

/// Why a request to the Kubernetes API failed.
///
/// An error response's `metav1.Status` body is decoded into `kind` (from its `reason`, or from the
/// HTTP code when the reason is missing or unfamiliar), with the server's `message`, `code` and
/// `reason` kept as they came. Failures that never got an answer from the API server (no
/// connection, TLS, a deadline), and answers the client could not read, have kinds of their own
/// and no code.
///
/// Controllers mostly branch on the kind:
///
/// ```swift
/// do {
///   try await client.create(lease)
/// } catch let error where error.isAlreadyExists {
///   lease = try await client.get(Lease.self, name: lease.name, namespace: namespace)
/// }
/// ```
public struct KubeError: Error, Sendable, CustomStringConvertible {
  public enum Kind: Sendable, Hashable {
    /// 400: the request is malformed (a bad selector, a body that is not an object).
    case badRequest
    /// 401: no credentials, or the token expired or is wrong.
    case unauthorized
    /// 403: the credentials lack the RBAC permission for this verb on this resource.
    case forbidden
    /// 404: no such object, namespace or resource.
    case notFound
    /// 405: the resource does not support the verb.
    case methodNotAllowed
    /// 409 `AlreadyExists`: a create found an object of that name.
    case alreadyExists
    /// 409 `Conflict`: an update carried a stale `resourceVersion`; read the object again and retry.
    case conflict
    /// 410 `Gone` or `Expired`: a watch or list asked for a resourceVersion the server no longer
    /// has; list again.
    case gone
    /// 415: the server does not accept the body's content type (such as a patch type).
    case unsupportedMediaType
    /// 422 `Invalid`: the object failed validation; `causes` names the fields.
    case invalid
    /// 429: the server is shedding load; wait `retryAfter` and retry.
    case tooManyRequests
    /// 500 and other 5xx without a kind of their own.
    case serverError
    /// 503: the server (or an aggregated API behind it) is not available now.
    case serviceUnavailable
    /// 504 or a `Timeout`/`ServerTimeout` reason, or the client's own deadline passed.
    case timeout
    /// Any other HTTP status.
    case unexpectedStatus
    /// No answer: the connection failed, TLS failed, or it broke off.
    case transport
    /// An answer the client could not read as the type asked for.
    case decoding
    /// A body, or one watch event, larger than the client's limit.
    case responseTooLarge
    /// The client refused to send the request (such as an update of an object without a name).
    case invalidRequest
    /// The client's configuration cannot be used for this request (such as a token file that
    /// cannot be read).
    case configuration
    /// The task making the request was cancelled.
    case cancelled
  }

  public var kind: Kind
  /// The server's message, or the client's account of what went wrong.
  public var message: String
  /// The HTTP status code; nil when no response was received.
  public var code: Int?
  /// The Status body's `reason`, such as `NotFound`.
  public var reason: String?
  /// The whole Status body, when the server sent one.
  public var status: Status?
  /// How long the server asked the client to wait (the `Retry-After` header or
  /// `details.retryAfterSeconds`).
  public var retryAfter: Duration?
  /// The request that failed, such as `GET /api/v1/namespaces/default/pods/web`; never holds credentials.
  public var request: String?

  public init(
    _ kind: Kind, message: String, code: Int? = nil, reason: String? = nil, status: Status? = nil,
    retryAfter: Duration? = nil, request: String? = nil
  ) {
    self.kind = kind
    self.message = message
    self.code = code
    self.reason = reason
    self.status = status
    self.retryAfter = retryAfter
    self.request = request
  }

  /// The error a Status describes, such as an `ERROR` event of a watch carries.
  public init(status: Status, httpCode: Int? = nil, retryAfter: Duration? = nil, request: String? = nil) {
    let code = status.code ?? httpCode ?? 500
    self.init(
      Self.kind(code: code, reason: status.reason), message: status.message ?? "", code: code,
      reason: status.reason, status: status,
      retryAfter: retryAfter ?? status.details?.retryAfterSeconds.map { .seconds($0) }, request: request)
  }

  /// The kind a Status `reason` names; the HTTP `code` decides when the reason is empty or unfamiliar.
  public static func kind(code: Int, reason: String?) -> Kind {
    switch reason {
    case "BadRequest": return .badRequest
    case "Unauthorized": return .unauthorized
    case "Forbidden": return .forbidden
    case "NotFound": return .notFound
    case "MethodNotAllowed": return .methodNotAllowed
    case "AlreadyExists": return .alreadyExists
    case "Conflict": return .conflict
    case "Gone", "Expired": return .gone
    case "UnsupportedMediaType": return .unsupportedMediaType
    case "Invalid": return .invalid
    case "TooManyRequests": return .tooManyRequests
    case "InternalError": return .serverError
    case "ServiceUnavailable": return .serviceUnavailable
    case "Timeout", "ServerTimeout": return .timeout
    default: break
    }
    switch code {
    case 400: return .badRequest
    case 401: return .unauthorized
    case 403: return .forbidden
    case 404: return .notFound
    case 405: return .methodNotAllowed
    case 409: return .conflict
    case 410: return .gone
    case 415: return .unsupportedMediaType
    case 422: return .invalid
    case 429: return .tooManyRequests
    case 503: return .serviceUnavailable
    case 504: return .timeout
    case 500...599: return .serverError
    default: return .unexpectedStatus
    }
  }

  /// One sentence: what was asked, what came back, and the server's own words.
  public var description: String {
    let subject = request ?? "The request"
    var sentence: String
    if let code {
      sentence = "\(subject) failed with HTTP \(code)"
      if let reason, !reason.isEmpty { sentence += " (\(reason))" }
    } else {
      switch kind {
      case .transport: sentence = "\(subject) could not reach the API server"
      case .decoding: sentence = "\(subject) got an answer the client could not read"
      case .responseTooLarge: sentence = "\(subject) got an answer larger than the client accepts"
      case .invalidRequest, .configuration: sentence = "\(subject) was not sent"
      case .cancelled: sentence = "\(subject) was cancelled"
      case .timeout: sentence = "\(subject) timed out"
      default: sentence = "\(subject) failed"
      }
    }
    let trimmed = message.trimmingSuffix(".")
    if !trimmed.isEmpty { sentence += ": \(trimmed)" }
    if let retryAfter { sentence += "; retry after \(retryAfter.components.seconds) s" }
    return sentence + "."
  }

  // MARK: Questions controllers ask

  public var isNotFound: Bool { kind == .notFound }
  public var isAlreadyExists: Bool { kind == .alreadyExists }
  public var isConflict: Bool { kind == .conflict }
  /// A watch or list resourceVersion too old: list again from scratch.
  public var isGone: Bool { kind == .gone }
  public var isInvalid: Bool { kind == .invalid }
  public var isForbidden: Bool { kind == .forbidden }
  public var isUnauthorized: Bool { kind == .unauthorized }
  public var isTooManyRequests: Bool { kind == .tooManyRequests }
  public var isTimeout: Bool { kind == .timeout }

  /// Whether the same request may succeed later without change: throttling, an unavailable or
  /// failing server, a timeout, or a broken connection.
  public var isRetryable: Bool {
    switch kind {
    case .tooManyRequests, .serviceUnavailable, .timeout, .serverError, .transport: true
    default: false
    }
  }

  /// For `invalid`: the causes the server gave, one per failing field.
  public var causes: [StatusCause] { status?.details?.causes ?? [] }

  /// For `invalid`: the paths of the failing fields, such as `spec.replicas`.
  public var fieldPaths: [String] { causes.compactMap(\.field) }
}

extension String {
  fileprivate func trimmingSuffix(_ suffix: String) -> String {
    hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
  }
}
