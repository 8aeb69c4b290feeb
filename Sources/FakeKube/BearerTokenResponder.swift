import Crypto
import Hummingbird
import KubeModel

/// Requires `Authorization: Bearer <token>` on every request but the health probes, as an API
/// server with a static token file does; anything else gets 401 with an `Unauthorized` Status.
struct BearerTokenResponder<Next: HTTPResponder>: HTTPResponder where Next.Context == BasicRequestContext {
  typealias Context = BasicRequestContext

  let next: Next
  /// The SHA-256 of the token: comparing digests of fixed length takes the same time whatever the
  /// candidate, so the answer's timing tells nothing about how much of a guess was right.
  private let expectedDigest: [UInt8]

  init(token: String, next: Next) {
    self.next = next
    expectedDigest = Array(SHA256.hash(data: Array(token.utf8)))
  }

  func respond(to request: Request, context: Context) async throws -> Response {
    if HealthProbe.matches(request.uri.path) || accepts(request.headers[.authorization]) {
      return try await next.respond(to: request, context: context)
    }
    return JSONResponse.make(Self.unauthorized, status: .unauthorized)
  }

  func accepts(_ header: String?) -> Bool {
    guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return false }
    let candidate = header.dropFirst(7).drop { $0 == " " }
    let digest = Array(SHA256.hash(data: Array(candidate.utf8)))
    var difference: UInt8 = 0
    for (left, right) in zip(digest, expectedDigest) { difference |= left ^ right }
    return difference == 0
  }

  static var unauthorized: JSONValue {
    [
      "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure", "message": "Unauthorized",
      "reason": "Unauthorized", "code": 401,
    ]
  }
}

/// The paths a kubelet or load balancer probes without credentials; neither authentication nor
/// injected faults touch them, so a readiness check stays truthful.
enum HealthProbe {
  static func matches(_ path: String) -> Bool {
    ["/healthz", "/livez", "/readyz"].contains { path == $0 || path.hasPrefix($0 + "/") }
  }
}
