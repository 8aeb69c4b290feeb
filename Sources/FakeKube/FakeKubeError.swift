import Hummingbird
import KubeModel

/// What went wrong answering a request. Each case becomes a `metav1.Status` body with the HTTP
/// status, `reason` and `details` a real API server would send, so kubectl prints the same message.
public enum FakeKubeError: Error, Equatable, Sendable {
  /// No object of this resource with this name (or no such resource at all when `name` is empty).
  case notFound(group: String, resource: String, name: String)
  case alreadyExists(group: String, resource: String, name: String)
  /// An update carried a resourceVersion older than the stored one.
  case conflict(group: String, resource: String, name: String)
  /// A deletion's preconditions (uid or resourceVersion) do not hold for the stored object;
  /// `detail` says which, as `Precondition failed: UID in precondition: …`.
  case preconditionFailed(group: String, resource: String, name: String, detail: String)
  /// The request may not be carried out, such as a create in a namespace being deleted: `message`
  /// says why, `causes` carry the reasons machines read (`NamespaceTerminating`).
  case forbidden(group: String, resource: String, name: String, message: String, causes: [FieldCause])
  /// A server-side apply would change fields other managers own: one entry per field.
  case applyConflict([FieldConflict])
  /// A watch asked for a resourceVersion older than the retained history.
  case expired(requested: Int64, oldest: Int64)
  case badRequest(String)
  /// The object failed validation; `field` is its path such as `metadata.name`.
  case invalid(kind: String, name: String, field: String, detail: String)
  /// A custom resource failed its schema: one cause per field, each with its path. `kind` is
  /// qualified with the group (`SovrenSensor.sovren.io`), as the real server writes it.
  case invalidFields(kind: String, group: String, name: String, causes: [FieldCause])
  /// A body sent with `fieldValidation=Strict` carried fields the schema does not declare.
  case unknownFields(kind: String, version: String, fields: [String])
  case methodNotAllowed(String)
  case unsupportedMediaType(String)
  case malformedJSON(String)

  /// The HTTP status a real API server answers with.
  public var httpStatus: HTTPResponse.Status {
    switch self {
    case .notFound: .notFound
    case .alreadyExists, .conflict, .preconditionFailed, .applyConflict: .conflict
    case .forbidden: .forbidden
    case .expired: .gone
    case .badRequest, .malformedJSON: .badRequest
    case .invalid, .invalidFields: .unprocessableContent
    case .unknownFields: .badRequest
    case .methodNotAllowed: .methodNotAllowed
    case .unsupportedMediaType: .unsupportedMediaType
    }
  }

  /// The `reason` field of the Status.
  public var reason: String {
    switch self {
    case .notFound: "NotFound"
    case .alreadyExists: "AlreadyExists"
    case .conflict, .preconditionFailed, .applyConflict: "Conflict"
    case .forbidden: "Forbidden"
    case .expired: "Expired"
    case .badRequest, .malformedJSON, .unknownFields: "BadRequest"
    case .invalid, .invalidFields: "Invalid"
    case .methodNotAllowed: "MethodNotAllowed"
    case .unsupportedMediaType: "UnsupportedMediaType"
    }
  }

  /// The `metav1.Status` document describing this error.
  public var statusObject: JSONValue {
    var status: JSONValue = [
      "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
      "message": .string(description), "reason": .string(reason), "code": .int(Int64(httpStatus.code)),
    ]
    switch self {
    case .notFound(let group, let resource, let name), .alreadyExists(let group, let resource, let name),
      .conflict(let group, let resource, let name):
      var details: JSONValue = [:]
      if !resource.isEmpty { details["kind"] = .string(resource) }
      if !name.isEmpty { details["name"] = .string(name) }
      if !group.isEmpty { details["group"] = .string(group) }
      status["details"] = details
    case .preconditionFailed(let group, let resource, let name, _):
      var details: JSONValue = ["name": .string(name), "kind": .string(resource)]
      if !group.isEmpty { details["group"] = .string(group) }
      status["details"] = details
    case .forbidden(let group, let resource, let name, _, let causes):
      var details: JSONValue = ["name": .string(name), "kind": .string(resource)]
      if !group.isEmpty { details["group"] = .string(group) }
      if !causes.isEmpty {
        details["causes"] = .array(
          causes.map { ["reason": .string($0.reason), "message": .string($0.message), "field": .string($0.field)] })
      }
      status["details"] = details
    case .applyConflict(let conflicts):
      status["details"] = [
        "causes": .array(
          conflicts.map {
            [
              "reason": "FieldManagerConflict", "message": .string("conflict with \($0.manager)"),
              "field": .string($0.field),
            ]
          })
      ]
    case .invalid(let kind, let name, let field, let detail):
      status["details"] = [
        "name": .string(name), "kind": .string(kind),
        "causes": [["reason": "FieldValueInvalid", "message": .string(detail), "field": .string(field)]],
      ]
    case .invalidFields(let kind, let group, let name, let causes):
      status["details"] = [
        "name": .string(name), "group": .string(group), "kind": .string(kind),
        "causes": .array(
          causes.map { ["reason": .string($0.reason), "message": .string($0.message), "field": .string($0.field)] }),
      ]
    default:
      break
    }
    return status
  }
}

extension FakeKubeError: CustomStringConvertible {
  public var description: String {
    switch self {
    case .notFound(let group, let resource, let name):
      name.isEmpty
        ? "the server could not find the requested resource"
        : "\(Self.qualified(resource, group)) \"\(name)\" not found"
    case .alreadyExists(let group, let resource, let name):
      "\(Self.qualified(resource, group)) \"\(name)\" already exists"
    case .conflict(let group, let resource, let name):
      "Operation cannot be fulfilled on \(Self.qualified(resource, group)) \"\(name)\": the object has been modified; "
        + "please apply your changes to the latest version and try again"
    case .preconditionFailed(let group, let resource, let name, let detail):
      "Operation cannot be fulfilled on \(Self.qualified(resource, group)) \"\(name)\": \(detail)"
    case .forbidden(let group, let resource, let name, let message, _):
      name.isEmpty
        ? "\(Self.qualified(resource, group)) is forbidden: \(message)"
        : "\(Self.qualified(resource, group)) \"\(name)\" is forbidden: \(message)"
    case .applyConflict(let conflicts): Self.applyConflictMessage(conflicts)
    case .expired(let requested, let oldest):
      "too old resource version: \(requested) (\(oldest))"
    case .badRequest(let message): message
    case .invalid(let kind, let name, let field, let detail):
      "\(kind) \"\(name)\" is invalid: \(field): \(detail)"
    case .invalidFields(let kind, let group, let name, let causes):
      "\(Self.qualified(kind, group)) \"\(name)\" is invalid: "
        + (causes.count == 1
          ? causes.map(\.description).joined()
          : "[" + causes.map(\.description).joined(separator: ", ") + "]")
    case .unknownFields(let kind, let version, let fields):
      "\(kind) in version \"\(version)\" cannot be handled as a \(kind): strict decoding error: "
        + fields.map { "unknown field \"\($0)\"" }.joined(separator: ", ")
    case .methodNotAllowed(let message): message
    case .unsupportedMediaType(let contentType): "the body of the request was in an unknown format: \(contentType)"
    case .malformedJSON(let detail): "the request body is not valid JSON: \(detail)"
    }
  }

  private static func qualified(_ resource: String, _ group: String) -> String {
    group.isEmpty ? resource : "\(resource).\(group)"
  }
}

/// One field that failed validation, as a `metav1.StatusCause`.
public struct FieldCause: Sendable, Equatable {
  /// `FieldValueInvalid`, `FieldValueRequired`, `FieldValueNotSupported` or `FieldValueTypeInvalid`.
  public var reason: String
  /// The field's path, such as `spec.replicas` or `spec.ports[0]`.
  public var field: String
  /// What is wrong, such as `Invalid value: 20: spec.replicas in body should be less than or equal to 10`.
  public var message: String

  public init(reason: String, field: String, message: String) {
    self.reason = reason
    self.field = field
    self.message = message
  }
}

extension FieldCause: CustomStringConvertible {
  /// `field: message`, as each cause reads in the Status message.
  public var description: String { "\(field): \(message)" }
}

extension FakeKubeError: HTTPResponseError {
  public var status: HTTPResponse.Status { httpStatus }

  public func response(from request: Request, context: some RequestContext) throws -> Response {
    JSONResponse.make(statusObject, status: httpStatus)
  }
}

/// Builds JSON responses with the content type kubectl expects.
enum JSONResponse {
  static func make(
    _ value: JSONValue, status: HTTPResponse.Status = .ok, contentType: String = "application/json"
  ) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = contentType
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: value.serialized)))
  }
}
