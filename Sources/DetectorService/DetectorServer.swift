import Detection
import Hummingbird
import Logging
import ServiceLifecycle

/// Where the detector listens and what it accepts.
public struct DetectorConfiguration: Sendable, Hashable {
  public var host: String
  /// 0 picks a free port (tests); `onListening` reports it.
  public var port: Int
  /// Longer detect bodies are refused with 413 before more than this is read.
  public var maxBodyBytes: Int

  public static let defaultMaxBodyBytes = 1_048_576

  public init(host: String = "0.0.0.0", port: Int = 8000, maxBodyBytes: Int = Self.defaultMaxBodyBytes) {
    self.host = host
    self.port = port
    self.maxBodyBytes = maxBodyBytes
  }
}

/// What a detector route knows of its request: only Hummingbird's core storage.
public struct DetectorRequestContext: RequestContext {
  public var coreContext: CoreRequestContextStorage

  public init(source: Source) {
    coreContext = .init(source: source)
  }
}

/// `sovren detector`: the detection HTTP service, a `Service` for a `ServiceGroup`.
///
/// Routes: `POST /api/v2/detect`, `GET /api/v2/alive`, `GET /metrics`. On graceful shutdown it
/// stops accepting connections and finishes the requests in flight. Request bodies and the values
/// in them are never logged.
public struct DetectorServer: ServiceLifecycle.Service {
  /// The paths served and their methods: the rest answer 404, other methods 405.
  static let routes: [String: [HTTPRequest.Method]] = [
    "/api/v2/detect": [.post], "/api/v2/alive": [.get, .head], "/metrics": [.get, .head],
  ]

  let application: Application<RouterResponder<DetectorRequestContext>>

  /// - Parameter onListening: called with the bound port once the server accepts connections.
  public init(
    configuration: DetectorConfiguration, detector: Detector = Detector(), metrics: DetectorMetrics,
    logger: Logger, onListening: @escaping @Sendable (Int) async -> Void = { _ in }
  ) {
    let router = Self.router(configuration: configuration, detector: detector, metrics: metrics, logger: logger)
    application = Application(
      router: router,
      configuration: ApplicationConfiguration(
        address: .hostname(configuration.host, port: configuration.port), serverName: "sovren-detector"),
      onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
      logger: logger)
  }

  /// Runs until graceful shutdown of the enclosing `ServiceGroup` (which owns the signals).
  public func run() async throws {
    try await application.run()
  }

  /// The routes, behind the middleware that counts requests and turns errors into JSON answers.
  public static func router(
    configuration: DetectorConfiguration, detector: Detector, metrics: DetectorMetrics, logger: Logger
  ) -> Router<DetectorRequestContext> {
    let router = Router(context: DetectorRequestContext.self, options: .autoGenerateHeadEndpoints)
    // Middleware applies to the routes added after it, and to unknown paths.
    router.add(middleware: DetectorMiddleware(metrics: metrics, routes: routes, logger: logger))
    let limit = configuration.maxBodyBytes
    router.post("/api/v2/detect") { request, _ -> Response in
      let body = try await Self.body(of: request, limit: limit)
      metrics.read(bodyBytes: body.readableBytes)
      guard body.readableBytes > 0 else { throw DetectorError.emptyBody }
      let start = ContinuousClock.now
      let parsed = body.withUnsafeReadableBytes { bytes in
        Result { () throws(JSONLeafError) in try DetectRequest.tables(in: bytes) }
      }
      let results: [DocumentFindings]
      switch parsed {
      case .success(let documents): results = documents.map { detector.detect(table: $0) }
      case .failure(let error): throw DetectorError.invalidJSON(error)
      }
      metrics.detected(results, in: ContinuousClock.now - start)
      return Response(
        status: .ok, headers: [.contentType: "application/json"],
        body: ResponseBody(byteBuffer: ByteBuffer(string: DocumentFindings.response(results))))
    }
    router.get("/api/v2/alive") { _, _ -> Response in
      Response(
        status: .ok, headers: [.contentType: "application/json"],
        body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"status\":\"alive\"}")))
    }
    router.get("/metrics") { _, _ -> Response in
      Response(
        status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
        body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.exposition())))
    }
    return router
  }

  /// The whole request body, or 413 as soon as it is known to exceed `limit`: from
  /// `Content-Length` before reading anything, else once the bytes read pass the limit. The
  /// server discards what the client still sends.
  static func body(of request: Request, limit: Int) async throws -> ByteBuffer {
    if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
      throw DetectorError.bodyTooLarge(limit: limit)
    }
    var collected = ByteBuffer()
    for try await part in request.body {
      guard part.readableBytes <= limit - collected.readableBytes else {
        throw DetectorError.bodyTooLarge(limit: limit)
      }
      var part = part
      collected.writeBuffer(&part)
    }
    return collected
  }
}

/// Counts each request (in flight, then by status code) and answers every error as JSON:
/// `DetectorError`s with their status, the router's "no route" as 404 or 405.
struct DetectorMiddleware: RouterMiddleware {
  typealias Context = DetectorRequestContext

  let metrics: DetectorMetrics
  let routes: [String: [HTTPRequest.Method]]
  let logger: Logger

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    metrics.requestStarted()
    let response: Response
    do {
      response = try await next(request, context)
    } catch let error as DetectorError {
      response = error.response
    } catch let error as HTTPError where error.status == .notFound {
      let path = request.uri.path
      if let allowed = routes[path] {
        response =
          DetectorError.methodNotAllowed(
            method: request.method.rawValue, path: path, allowed: allowed.map(\.rawValue)
          ).response
      } else {
        response = DetectorError.notFound(path: path).response
      }
    } catch let error as any HTTPResponseError {
      // Hummingbird's own refusals (such as a cancelled body read): their status, a JSON body.
      response = Response(
        status: error.status, headers: [.contentType: "application/json"],
        body: ResponseBody(
          byteBuffer: ByteBuffer(string: DetectorError.body(message: error.status.reasonPhrase))))
    } catch {
      logger.error("detect request failed", metadata: ["error.type": "\(type(of: error))"])
      response = DetectorError.internalError.response
    }
    metrics.requestEnded(code: response.status.code)
    return response
  }
}
