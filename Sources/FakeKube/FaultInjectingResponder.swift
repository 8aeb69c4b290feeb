import Hummingbird
import KubeModel

/// Puts a `FaultInjection` in front of the API: delays, fails, throttles or expires requests as it
/// plans, and relays watch bodies so that they can be ended early.
struct FaultInjectingResponder<Next: HTTPResponder>: HTTPResponder where Next.Context == BasicRequestContext {
  typealias Context = BasicRequestContext

  let faults: FaultInjection
  let next: Next

  func respond(to request: Request, context: Context) async throws -> Response {
    let path = request.uri.path
    if HealthProbe.matches(path) { return try await next.respond(to: request, context: context) }
    let query = Query(request.uri.query ?? "")
    let isWatch = request.method == .get && query.flag("watch")
    let resourceVersion = query["resourceVersion"] ?? ""
    let plan = faults.plan(
      isWatch: isWatch,
      isListAtResourceVersion: request.method == .get && !isWatch && APIPath.isCollection(path)
        && !["", "0"].contains(resourceVersion))
    if let latency = plan.latency { try await Task.sleep(for: latency) }
    switch plan.outcome {
    case .proceed:
      break
    case .internalError:
      return JSONResponse.make(Self.internalError, status: .internalServerError)
    case .throttled(let seconds):
      var response = JSONResponse.make(Self.tooManyRequests(retryAfterSeconds: seconds), status: .tooManyRequests)
      response.headers[.retryAfter] = String(seconds)
      return response
    case .expired(let answer):
      let requested = Int64(resourceVersion) ?? 0
      let status = FakeKubeError.expired(requested: requested, oldest: requested + 1).statusObject
      guard answer == .errorEvent else { return JSONResponse.make(status, status: .gone) }
      let event: JSONValue = ["type": "ERROR", "object": status]
      var headers = HTTPFields()
      headers[.contentType] = "application/json"
      return Response(
        status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: event.serialized + "\n")))
    }
    var response = try await next.respond(to: request, context: context)
    guard isWatch, response.status == .ok else { return response }
    response.body = relayed(response.body, eventLimit: plan.watchEventLimit, durationLimit: plan.watchDurationLimit)
    return response
  }

  /// The watch body, written by the API in a child task and relayed line by line, so that a cut
  /// can end it at any time: the relay finishes, the API's task is cancelled, the body ends.
  private func relayed(_ body: ResponseBody, eventLimit: Int?, durationLimit: Duration?) -> ResponseBody {
    let faults = self.faults
    return ResponseBody { writer in
      let (relayed, relay) = AsyncStream.makeStream(of: Relayed.self)
      let id = faults.openWatch(relay)
      var reachedLimit = false
      defer { faults.closeWatch(id, cut: false) }
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
          defer { relay.finish() }
          try await body.write(RelayWriter(relay: relay))
        }
        if let durationLimit {
          group.addTask {
            try await Task.sleep(for: durationLimit)
            relay.yield(.limitReached)
            relay.finish()
          }
        }
        var remaining = eventLimit
        for await item in relayed {
          guard case .bytes(var buffer) = item else {
            reachedLimit = true
            break
          }
          if let left = remaining {
            let (kept, lines) = Self.prefix(of: buffer, lines: left)
            buffer = kept
            remaining = left - lines
          }
          try await writer.write(buffer)
          if remaining == 0 {
            reachedLimit = true
            break
          }
        }
        relay.finish()
        group.cancelAll()
        while !group.isEmpty { _ = try? await group.next() }
      }
      // Counted before the body ends, so that a client seeing the end sees the count too.
      faults.closeWatch(id, cut: reachedLimit)
      try await writer.finish(nil)
    }
  }

  /// The start of `buffer` up to and including its `limit`-th newline, and how many newlines that holds.
  static func prefix(of buffer: ByteBuffer, lines limit: Int) -> (ByteBuffer, Int) {
    var lines = 0
    var end = buffer.readerIndex
    for byte in buffer.readableBytesView {
      end += 1
      if byte == UInt8(ascii: "\n") {
        lines += 1
        if lines == limit { break }
      }
    }
    return (buffer.getSlice(at: buffer.readerIndex, length: end - buffer.readerIndex) ?? buffer, lines)
  }

  static var internalError: JSONValue {
    [
      "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
      "message": "Internal error occurred: injected fault", "reason": "InternalError",
      "details": ["causes": [["message": "injected fault"]]], "code": 500,
    ]
  }

  static func tooManyRequests(retryAfterSeconds: Int) -> JSONValue {
    [
      "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
      "message": "Too many requests, please try again later.", "reason": "TooManyRequests",
      "details": ["retryAfterSeconds": .int(Int64(retryAfterSeconds))], "code": 429,
    ]
  }
}

/// What travels from the API's body to the connection: bytes, or the duration limit's end.
enum Relayed: Sendable {
  case bytes(ByteBuffer)
  case limitReached
}

/// Hands what the API writes to the task that owns the connection's writer.
private struct RelayWriter: ResponseBodyWriter {
  let relay: AsyncStream<Relayed>.Continuation

  mutating func write(_ buffer: ByteBuffer) async throws {
    // A finished relay means the watch was cut: stop the API's body where it is.
    if case .terminated = relay.yield(.bytes(buffer)) { throw CancellationError() }
  }

  consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
    relay.finish()
  }
}

/// What a request path points at, told without the registry.
enum APIPath {
  /// Whether a path names a collection (`…/configmaps`, `…/namespaces/ns/pods`) rather than one
  /// object or a discovery document; without the registry, by the shape of the path.
  static func isCollection(_ path: String) -> Bool {
    let segments = path.split(separator: "/")
    var rest: ArraySlice<Substring>
    switch segments.first {
    case "api": rest = segments.dropFirst(2)
    case "apis": rest = segments.dropFirst(3)
    default: return false
    }
    if rest.count >= 3, rest.first == "namespaces", !["status", "finalize"].contains(rest.dropFirst(2).first) {
      rest = rest.dropFirst(2)
    }
    return rest.count == 1
  }
}
