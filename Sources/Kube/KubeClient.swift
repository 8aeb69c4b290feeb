import AsyncHTTPClient
import Foundation
import KubeModel
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A client of one Kubernetes API server.
///
/// It owns an `HTTPClient` (a connection pool, TLS from the configuration) and sends every
/// request with the configured credentials, a `User-Agent`, `Accept: application/json` and a
/// deadline. Requests come in three layers:
///
/// - typed, for kinds with a Swift type (`KubeResource`): `get(Pod.self, name:)`,
///   `apply(daemonSet, fieldManager:)`, `watch(Lease.self)`;
/// - by `ResourceDescriptor`, for any kind, decoding into any `Codable` type (`JSONValue` for
///   unstructured objects): `list(sensors, as: JSONValue.self)`;
/// - raw, for anything else: `send(KubeRequest(method: "GET", path: "/version"))`.
///
/// Every failure is a `KubeError`. Call `shutdown()` before releasing the client, or run it as a
/// `Service` in a `ServiceGroup`, which shuts it down on graceful shutdown: the underlying
/// `HTTPClient` traps in debug builds when it is released while still running.
///
/// Namespaces: a request for a namespaced kind that names no namespace uses the configuration's
/// (`namespace`). Lists and watches pass `KubeClient.allNamespaces` to span every namespace.
public final class KubeClient: Sendable {
  /// For lists, listAll and watches: every namespace.
  public static let allNamespaces = ""

  public let configuration: KubeConfiguration
  let httpClient: HTTPClient
  let authorization: Authorization
  let logger: Logger
  /// The server URL without a trailing slash; request paths are appended.
  let baseURL: String
  private let isShutDown = Mutex(false)

  /// How requests prove who the client is.
  enum Authorization: Sendable {
    case none
    /// A fixed `Authorization` header value (a static bearer token, basic authentication).
    case header(String)
    case tokenFile(TokenFile)
  }

  /// Builds the client; fails when the configuration's TLS material is unusable.
  ///
  /// - Parameter logger: receives one debug line per request (verb, path, status); never
  ///   credentials.
  public init(
    configuration: KubeConfiguration, logger: Logger = Logger(label: "sovren.kube")
  ) throws(KubeConfigurationError) {
    self.configuration = configuration
    self.logger = logger
    var server = configuration.server
    while server.hasSuffix("/") { server.removeLast() }
    baseURL = server
    switch configuration.credentials {
    case .none: authorization = .none
    case .bearerToken(let token): authorization = .header("Bearer \(token)")
    case .bearerTokenFile(let path): authorization = .tokenFile(TokenFile(path: path))
    case .basic(let username, let password):
      authorization = .header("Basic " + Data("\(username):\(password)".utf8).base64EncodedString())
    }
    let httpConfiguration = HTTPClient.Configuration(
      tlsConfiguration: try configuration.tls.makeNIOConfiguration(),
      redirectConfiguration: .disallow,
      timeout: HTTPClient.Configuration.Timeout(connect: .seconds(10)),
      connectionPool: HTTPClient.Configuration.ConnectionPool(
        idleTimeout: .seconds(60),
        concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, configuration.maximumConnections)))
    httpClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: httpConfiguration)
  }

  /// A client for the configuration `KubeConfiguration.detect()` finds.
  public convenience init(logger: Logger = Logger(label: "sovren.kube")) throws(KubeConfigurationError) {
    try self.init(configuration: try KubeConfiguration.detect(), logger: logger)
  }

  /// The namespace requests use when they name none.
  public var namespace: String { configuration.namespace }

  /// Closes every connection; requests made afterwards fail. Safe to call more than once.
  public func shutdown() async throws(KubeError) {
    let alreadyShutDown = isShutDown.withLock { state in
      defer { state = true }
      return state
    }
    guard !alreadyShutDown else { return }
    do {
      try await httpClient.shutdown()
    } catch {
      throw KubeError(.transport, message: "shutting down the HTTP client failed: \(error)")
    }
  }
}

/// As a `Service`, the client lives until graceful shutdown and then closes its connections, so it
/// can sit in the same `ServiceGroup` as the controllers that use it (listed before them, so it
/// shuts down after them).
extension KubeClient: ServiceLifecycle.Service {
  public func run() async throws {
    try? await gracefulShutdown()
    try await shutdown()
  }
}
