import Foundation
import Hummingbird
import Kube
import Logging
import Synchronization
import TestSupport

/// A request as the canned server saw it.
struct RecordedRequest: Sendable {
  var method: String
  var path: String
  /// Percent-decoded; the last value wins.
  var query: [String: String]
  /// Lower-cased names.
  var headers: [String: String]
  var body: [UInt8]

  var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// What the canned server answers.
enum CannedAnswer: Sendable {
  /// One body, whole.
  case body(status: Int, String, headers: [String: String] = [:])
  /// A 200 whose body is written in these pieces, one write each, as a watch stream is.
  case chunks([String])
}

/// A tiny HTTP server for what FakeKube does not do: answers chosen by the test (401, 403, 429,
/// 5xx Status bodies, odd chunking, slow answers), and a record of every request the client sent.
final class CannedServer: Sendable {
  private let recorded = Mutex<[RecordedRequest]>([])
  let answer: @Sendable (RecordedRequest) async -> CannedAnswer

  init(answer: @escaping @Sendable (RecordedRequest) async -> CannedAnswer) {
    self.answer = answer
  }

  var requests: [RecordedRequest] { recorded.withLock { $0 } }

  func record(_ request: RecordedRequest) {
    recorded.withLock { $0.append(request) }
  }

  /// A Status body as the API server writes it.
  static func status(code: Int, reason: String, message: String, details: String = "{}") -> CannedAnswer {
    .body(
      status: code,
      """
      {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"\(message)",\
      "reason":"\(reason)","details":\(details),"code":\(code)}
      """)
  }
}

struct CannedResponder: HTTPResponder {
  typealias Context = BasicRequestContext
  let server: CannedServer

  func respond(to request: Request, context: Context) async throws -> Response {
    let body = try await request.body.collect(upTo: 16 * 1024 * 1024)
    var query: [String: String] = [:]
    for pair in (request.uri.query ?? "").split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
      query[parts[0].removingPercentEncoding ?? parts[0]] =
        parts.count > 1 ? (parts[1].removingPercentEncoding ?? parts[1]) : ""
    }
    var headers: [String: String] = [:]
    for field in request.headers { headers[field.name.canonicalName] = field.value }
    let recorded = RecordedRequest(
      method: request.method.rawValue, path: request.uri.path, query: query, headers: headers,
      body: Array(body.readableBytesView))
    server.record(recorded)
    switch await server.answer(recorded) {
    case .body(let status, let text, let extraHeaders):
      var fields = HTTPFields()
      fields[.contentType] = "application/json"
      for (name, value) in extraHeaders {
        if let fieldName = HTTPFields.Element.Name(name) { fields[fieldName] = value }
      }
      return Response(
        status: HTTPResponse.Status(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
    case .chunks(let pieces):
      var fields = HTTPFields()
      fields[.contentType] = "application/json"
      return Response(
        status: .ok, headers: fields,
        body: ResponseBody { writer in
          for piece in pieces { try await writer.write(ByteBuffer(string: piece)) }
          try await writer.finish(nil)
        })
    }
  }
}

/// Runs `body` with a client of a canned server that answers every request with `answer`.
func withCannedServer(
  configure: (inout KubeConfiguration) -> Void = { _ in },
  answer: @escaping @Sendable (RecordedRequest) async -> CannedAnswer,
  _ body: (KubeClient, CannedServer) async throws -> Void
) async throws {
  let server = CannedServer(answer: answer)
  let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
  let application = Application(
    responder: CannedResponder(server: server),
    configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: "canned"),
    onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) },
    logger: Logger(label: "canned-server"))
  try await withServiceGroup(application, ports: ports, portContinuation: portContinuation) { port in
    var configuration = KubeConfiguration(server: "http://127.0.0.1:\(port)", namespace: "team")
    configure(&configuration)
    let client = try KubeClient(configuration: configuration)
    do {
      try await body(client, server)
    } catch {
      try? await client.shutdown()
      throw error
    }
    try await client.shutdown()
  }
}

/// Opens once; until then `wait` blocks (bounded), so a handler can hold an answer back until the
/// test has seen what it wanted.
final class Gate: Sendable {
  private let stream: AsyncStream<Void>
  private let continuation: AsyncStream<Void>.Continuation

  init() {
    (stream, continuation) = AsyncStream.makeStream(of: Void.self)
  }

  func open() { continuation.finish() }

  func wait(atMost timeout: Duration) async {
    _ = try? await first(of: stream, timeout: timeout)
  }
}
