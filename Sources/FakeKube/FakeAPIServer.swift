import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import ServiceLifecycle

/// An in-memory Kubernetes API server good enough for the real kubectl: discovery, OpenAPI v3,
/// CRUD with patches, watches and Table output, over plain HTTP or HTTPS, optionally behind a
/// bearer token and with injected faults. Every request it answers goes into `requestLog`, also
/// served at `GET /fakekube/requests`.
///
/// It is a `Service`: run it in a `ServiceGroup` (or call `run()` in a task you cancel). On graceful
/// shutdown it ends open watches first, so long-lived watch requests do not hold the shutdown up.
public struct FakeAPIServer: ServiceLifecycle.Service {
  public let store: ObjectStore
  public let registry: ResourceRegistry
  let host: String
  let port: Int
  let bookmarkInterval: Duration
  /// Serve HTTPS with these when set.
  public let certificates: FakeKubeCertificates?
  /// Require `Authorization: Bearer <token>` when set.
  public let token: String?
  /// The faults injected into requests, changeable while the server runs.
  public let faults: FaultInjection?
  /// Stand in for the controllers of a cluster (nodes, workload status, pods, endpoints) when set.
  public let workloads: WorkloadSimulator.Configuration?
  /// Every request answered, with its status; served at `GET /fakekube/requests`.
  public let requestLog: RequestLog
  let logger: Logger
  let onListening: @Sendable (Int) async -> Void

  /// - Parameters:
  ///   - host: the address to listen on.
  ///   - port: the port; 0 picks a free one, reported to `onListening`.
  ///   - bookmarkInterval: how often watches that allow bookmarks get one.
  ///   - certificates: serve HTTPS with these; nil for plain HTTP.
  ///   - token: require this bearer token on every request but the health probes; nil for none.
  ///   - faults: inject these faults; nil for none.
  ///   - workloads: run a `WorkloadSimulator` on the store with this configuration; nil for none.
  ///   - requestLog: where every request answered is recorded; a fresh log of 100 000 entries by default.
  ///   - onListening: called with the bound port once the server accepts connections.
  public init(
    host: String = "127.0.0.1", port: Int = 0, store: ObjectStore = ObjectStore(),
    registry: ResourceRegistry = ResourceRegistry(), bookmarkInterval: Duration = .seconds(30),
    certificates: FakeKubeCertificates? = nil, token: String? = nil, faults: FaultInjection? = nil,
    workloads: WorkloadSimulator.Configuration? = nil, requestLog: RequestLog = RequestLog(),
    logger: Logger = Logger(label: "sovren.fakekube"),
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
  ) {
    self.host = host
    self.port = port
    self.store = store
    self.registry = registry
    self.bookmarkInterval = bookmarkInterval
    self.certificates = certificates
    self.token = token
    self.faults = faults
    self.workloads = workloads
    self.requestLog = requestLog
    self.logger = logger
    self.onListening = onListening
    Self.seedNamespaces(in: store)
  }

  /// The namespaces every cluster starts with.
  static func seedNamespaces(in store: ObjectStore) {
    for name in ["default", "kube-system", "kube-public", "kube-node-lease"] {
      _ = try? store.create(.namespaces, namespace: "", object: ["metadata": ["name": .string(name)]])
    }
  }

  /// `https` with certificates, else `http`.
  public var scheme: String { certificates == nil ? "http" : "https" }

  /// The server's URL once it listens on `port`.
  public func url(port: Int) -> String {
    "\(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(port)"
  }

  /// A kubeconfig that reaches this server on `port`, trusting its certificate authority and
  /// carrying its token.
  public func kubeconfig(port: Int) -> String {
    Kubeconfig.yaml(server: url(port: port), certificates: certificates, token: token)
  }

  public func run() async throws {
    let api = APIResponder(
      store: store, registry: registry, bookmarkInterval: bookmarkInterval, serverAddress: "\(host):\(port)")
    // Outside in: the request log records everything; authentication comes next, as on a real
    // server, so an unauthenticated request meets no fault; the log's endpoint needs the token
    // but is never faulted.
    var responder = CallbackResponder { try await api.respond(to: $0, context: $1) }
    if let faults {
      let faulty = FaultInjectingResponder(faults: faults, next: responder)
      responder = CallbackResponder { try await faulty.respond(to: $0, context: $1) }
    }
    let logEndpoint = RequestLogEndpoint(log: requestLog, next: responder)
    responder = CallbackResponder { try await logEndpoint.respond(to: $0, context: $1) }
    if let token {
      let authenticated = BearerTokenResponder(token: token, next: responder)
      responder = CallbackResponder { try await authenticated.respond(to: $0, context: $1) }
    }
    let recording = RequestRecordingResponder(log: requestLog, next: responder)
    responder = CallbackResponder { try await recording.respond(to: $0, context: $1) }
    var server = HTTPServerBuilder.http1()
    if let certificates {
      server = try .tls(.http1(), tlsConfiguration: try certificates.serverTLSConfiguration())
    }
    let onListening = self.onListening
    let application = Application(
      responder: responder, server: server,
      configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "fakekube"),
      onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
      logger: logger)
    // Services shut down in reverse order: the simulator stops writing, then the watches end,
    // then the HTTP server drains.
    var services: [any ServiceLifecycle.Service] = [application, WatchCloser(store: store)]
    if let workloads {
      services.append(try WorkloadSimulator(store: store, registry: registry, configuration: workloads, logger: logger))
    }
    let group = ServiceGroup(configuration: .init(services: services, logger: logger))
    try await group.run()
  }
}

/// Ends every open watch when graceful shutdown starts.
struct WatchCloser: ServiceLifecycle.Service {
  let store: ObjectStore

  func run() async throws {
    try? await gracefulShutdown()
    store.closeWatches()
  }
}

/// Writes the kubeconfig kubectl (and the Kube client) uses as-is to reach a FakeKube server.
public enum Kubeconfig {
  /// A kubeconfig for an HTTPS server with `certificates`, or plain HTTP without: it trusts their
  /// authority and presents the token, or else their client certificate, since kubectl prompts
  /// for a user name when an HTTPS user has no credentials at all. kubectl sends a token only
  /// over HTTPS.
  public static func yaml(
    server: String, namespace: String = "default", certificates: FakeKubeCertificates?, token: String? = nil
  ) -> String {
    var identity: String?
    if token == nil, let certificates {
      identity =
        "\n    client-certificate-data: \(base64(certificates.clientCertificatePEM))"
        + "\n    client-key-data: \(base64(certificates.clientKeyPEM))"
    }
    return yaml(
      server: server, namespace: namespace, certificateAuthorityPEM: certificates?.certificateAuthorityPEM,
      token: token, identity: identity)
  }

  /// - Parameters:
  ///   - certificateAuthorityPEM: the CA that signed an HTTPS server's certificate, written as
  ///     `certificate-authority-data`.
  ///   - token: the bearer token the user presents.
  public static func yaml(
    server: String, namespace: String = "default", certificateAuthorityPEM: String? = nil, token: String? = nil
  ) -> String {
    yaml(
      server: server, namespace: namespace, certificateAuthorityPEM: certificateAuthorityPEM, token: token,
      identity: nil)
  }

  private static func yaml(
    server: String, namespace: String, certificateAuthorityPEM: String?, token: String?, identity: String?
  ) -> String {
    let authority = certificateAuthorityPEM.map { "\n    certificate-authority-data: \(base64($0))" }
    let user = (token.map { "\n    token: \(quoted($0))" } ?? "") + (identity ?? "")
    return """
      apiVersion: v1
      kind: Config
      clusters:
      - name: fakekube
        cluster:
          server: \(server)\(authority ?? "")
      contexts:
      - name: fakekube
        context:
          cluster: fakekube
          user: fakekube
          namespace: \(namespace)
      current-context: fakekube
      users:
      - name: fakekube
        user:\(user.isEmpty ? " {}" : user)
      preferences: {}

      """
  }

  private static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

  /// A YAML double-quoted scalar: any token reads back as itself.
  static func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case _ where scalar.value < 0x20 || scalar.value == 0x7F:
        result +=
          "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
          + String(scalar.value, radix: 16)
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }
}
