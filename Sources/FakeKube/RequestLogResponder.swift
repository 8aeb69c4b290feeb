import Hummingbird
import KubeModel

/// Records every request in a `RequestLog` once the response's status is known. It sits in front
/// of everything else, so requests refused by the bearer token or an injected fault are recorded
/// with the status they got.
struct RequestRecordingResponder<Next: HTTPResponder>: HTTPResponder where Next.Context == BasicRequestContext {
  typealias Context = BasicRequestContext

  let log: RequestLog
  let next: Next

  func respond(to request: Request, context: Context) async throws -> Response {
    let time = MicroTimestamp.now()
    let status: Int
    do {
      let response = try await next.respond(to: request, context: context)
      status = Int(response.status.code)
      record(request, status: status, time: time)
      return response
    } catch let error as any HTTPResponseError {
      record(request, status: Int(error.status.code), time: time)
      throw error
    } catch {
      // Hummingbird answers any other error with 500.
      record(request, status: 500, time: time)
      throw error
    }
  }

  private func record(_ request: Request, status: Int, time: MicroTimestamp) {
    log.record(
      method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
      userAgent: request.headers[.userAgent] ?? "", status: status, time: time)
  }
}

/// Serves `GET /fakekube/requests`: the request log as `{"items": [...], "total": n, ...}`.
/// It sits behind the bearer token and in front of injected faults, so reading the log needs
/// the token but never meets a fault.
///
/// Query parameters:
/// - `since=<sequence>`: only entries after that sequence (the `last` of a previous answer).
/// - `userAgent=<prefix>`: only entries whose user agent starts with the prefix.
/// - `mutating=true`: only POST, PUT, PATCH and DELETE requests.
/// - `limit=<n>`: at most n entries, the oldest first (default and maximum 100 000).
///
/// Besides `items`, the answer has `total` (every request recorded, including those the ring
/// dropped), `mutating`, `watches`, and `last`, the sequence to pass as `since` next.
struct RequestLogEndpoint<Next: HTTPResponder>: HTTPResponder where Next.Context == BasicRequestContext {
  typealias Context = BasicRequestContext

  static var path: String { "/fakekube/requests" }
  static var maximumLimit: Int { 100_000 }

  let log: RequestLog
  let next: Next

  func respond(to request: Request, context: Context) async throws -> Response {
    guard request.uri.path == Self.path else { return try await next.respond(to: request, context: context) }
    do {
      guard request.method == .get else {
        throw FakeKubeError.methodNotAllowed("\(request.method.rawValue) is not allowed on \(Self.path); use GET")
      }
      return JSONResponse.make(try answer(Query(request.uri.query ?? "")))
    } catch let error as FakeKubeError {
      return JSONResponse.make(error.statusObject, status: error.httpStatus)
    }
  }

  func answer(_ query: Query) throws(FakeKubeError) -> JSONValue {
    var since: UInt64 = 0
    if let text = query["since"] {
      guard let value = UInt64(text) else {
        throw .badRequest("since must be a sequence number (a whole number, 0 or more), not \(text)")
      }
      since = value
    }
    var limit = Self.maximumLimit
    if let text = query["limit"] {
      guard let value = Int(text), (1...Self.maximumLimit).contains(value) else {
        throw .badRequest("limit must be a whole number from 1 to \(Self.maximumLimit), not \(text)")
      }
      limit = value
    }
    let prefix = query["userAgent"] ?? ""
    let mutatingOnly = query.flag("mutating")
    // Totals first: an entry recorded in between then shows up in the items, never missing from both.
    let totals = log.totals
    var items: [JSONValue] = []
    var last = since
    for entry in log.entries(since: since) {
      guard items.count < limit else { break }
      last = entry.sequence
      guard entry.userAgent.hasPrefix(prefix), !mutatingOnly || entry.isMutating else { continue }
      items.append(entry.json)
    }
    return [
      "items": .array(items), "total": .int(Int64(totals.requests)), "mutating": .int(Int64(totals.mutating)),
      "watches": .int(Int64(totals.watches)), "last": .int(Int64(clamping: last)),
    ]
  }
}
