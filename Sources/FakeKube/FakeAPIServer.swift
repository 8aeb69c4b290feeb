import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// An in-memory Kubernetes API server good enough for the real kubectl: discovery, OpenAPI v3,
/// CRUD with patches, watches and Table output over plain HTTP.
///
/// It is a `Service`: run it in a `ServiceGroup` (or call `run()` in a task you cancel). On graceful
/// shutdown it ends open watches first, so long-lived watch requests do not hold the shutdown up.
public struct FakeAPIServer: Service {
  public let store: ObjectStore
  public let registry: ResourceRegistry
  let host: String
  let port: Int
  let bookmarkInterval: Duration
  let logger: Logger
  let onListening: @Sendable (Int) async -> Void

  /// - Parameters:
  ///   - host: the address to listen on.
  ///   - port: the port; 0 picks a free one, reported to `onListening`.
  ///   - bookmarkInterval: how often watches that allow bookmarks get one.
  ///   - onListening: called with the bound port once the server accepts connections.
  public init(
    host: String = "127.0.0.1", port: Int = 0, store: ObjectStore = ObjectStore(),
    registry: ResourceRegistry = ResourceRegistry(), bookmarkInterval: Duration = .seconds(30),
    logger: Logger = Logger(label: "sovren.fakekube"), onListening: @escaping @Sendable (Int) async -> Void = { _ in }
  ) {
    self.host = host
    self.port = port
    self.store = store
    self.registry = registry
    self.bookmarkInterval = bookmarkInterval
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

  public func run() async throws {
    let responder = APIResponder(
      store: store, registry: registry, bookmarkInterval: bookmarkInterval, serverAddress: "\(host):\(port)")
    let onListening = self.onListening
    let application = Application(
      responder: responder,
      configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "fakekube"),
      onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
      logger: logger)
    // Services shut down in reverse order: the watches end before the HTTP server drains.
    let group = ServiceGroup(
      configuration: .init(services: [application, WatchCloser(store: store)], logger: logger))
    try await group.run()
  }
}

/// Ends every open watch when graceful shutdown starts.
struct WatchCloser: Service {
  let store: ObjectStore

  func run() async throws {
    try? await gracefulShutdown()
    store.closeWatches()
  }
}

/// Writes the kubeconfig kubectl (and later the Kube client) uses as-is to reach a FakeKube server.
public enum Kubeconfig {
  public static func yaml(server: String, namespace: String = "default") -> String {
    """
    apiVersion: v1
    kind: Config
    clusters:
    - name: fakekube
      cluster:
        server: \(server)
    contexts:
    - name: fakekube
      context:
        cluster: fakekube
        user: fakekube
        namespace: \(namespace)
    current-context: fakekube
    users:
    - name: fakekube
      user: {}
    preferences: {}

    """
  }
}
