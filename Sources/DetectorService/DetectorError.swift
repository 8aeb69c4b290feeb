import Detection
import Hummingbird

/// Why the detector refused a request. Each case carries its HTTP status; the answer's body is
/// `{"error":"<description>"}`.
public enum DetectorError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The body is not JSON; the description names the byte offset.
  case invalidJSON(JSONLeafError)
  case emptyBody
  /// The body is longer than the limit (in bytes).
  case bodyTooLarge(limit: Int)
  case notFound(path: String)
  /// The path exists, not with this method.
  case methodNotAllowed(method: String, path: String, allowed: [String])
  /// A failure of the server itself, not of the request.
  case internalError

  public var description: String {
    switch self {
    case .invalidJSON(let error): "\(error)"
    case .emptyBody: "the request body is empty; send one JSON document or {\"documents\":[…]}"
    case .bodyTooLarge(let limit): "the request body is larger than \(limit) bytes; send fewer documents per request"
    case .notFound(let path): "no such path: \(path)"
    case .methodNotAllowed(let method, let path, let allowed):
      "\(path) does not accept \(method); use \(allowed.joined(separator: " or "))"
    case .internalError: "the detector failed to answer; try again"
    }
  }

  public var status: HTTPResponse.Status {
    switch self {
    case .invalidJSON, .emptyBody: .badRequest
    case .bodyTooLarge: .contentTooLarge
    case .notFound: .notFound
    case .methodNotAllowed: .methodNotAllowed
    case .internalError: .internalServerError
    }
  }

  /// The answer to send: the status and a JSON error body (with `Allow` for 405).
  public var response: Response {
    var headers: HTTPFields = [.contentType: "application/json"]
    if case .methodNotAllowed(_, _, let allowed) = self {
      headers[.allow] = allowed.joined(separator: ", ")
    }
    return Response(
      status: status, headers: headers,
      body: ResponseBody(byteBuffer: ByteBuffer(string: Self.body(message: description))))
  }

  /// `{"error":"<message>"}`, the message escaped as a JSON string.
  public static func body(message: String) -> String {
    var text = "{\"error\":"
    JSONText.appendString(message, to: &text)
    return text + "}"
  }
}
