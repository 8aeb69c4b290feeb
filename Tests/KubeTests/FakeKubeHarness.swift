import FakeKube
import Foundation
import Kube
import KubeModel
import Logging
import ServiceLifecycle
import Synchronization
import TestSupport

/// A test helper's failure: what it was waiting for.
/// Runs `body` with a `KubeClient` pointed at a FakeKube server started in-process on a free
/// loopback port (over plain HTTP), then shuts client and server down.
///
/// - Parameters:
///   - historyLimit: how many changes the server's watches can replay; older resourceVersions
///     get 410.
///   - configure: changes the client's configuration before the client is built.
func withFakeKube(
  historyLimit: Int = 10_000, bookmarkInterval: Duration = .seconds(1),
  configure: (inout KubeConfiguration) -> Void = { _ in },
  _ body: (KubeClient, ObjectStore) async throws -> Void
) async throws {
  try await withFakeKubeServer(historyLimit: historyLimit, bookmarkInterval: bookmarkInterval) { fake in
    try await body(try fake.client(configure: configure), fake.store)
  }
}

/// A FakeKube server running in-process for one test, and the clients the test made for it.
final class RunningFakeKube: Sendable {
  let server: FakeAPIServer
  let port: Int
  private let clients = Mutex<[KubeClient]>([])

  init(server: FakeAPIServer, port: Int) {
    self.server = server
    self.port = port
  }

  var store: ObjectStore { server.store }
  var certificates: FakeKubeCertificates? { server.certificates }
  /// `https://127.0.0.1:<port>` or `http://…`.
  var url: String { server.url(port: port) }
  /// The kubeconfig FakeKube writes for kubectl: CA data and the token, or a client certificate.
  var kubeconfig: String { server.kubeconfig(port: port) }

  /// The server's faults; fails the test when it was started without any.
  var faults: FaultInjection {
    get throws {
      guard let faults = server.faults else { throw SupportFailure("the server was started without faults") }
      return faults
    }
  }

  /// A client built from `kubeconfig` (the server's own when nil) exactly as written, shut down
  /// when the server is.
  func client(
    kubeconfig: String? = nil, logger: Logger = Logger(label: "kube-test"),
    configure: (inout KubeConfiguration) -> Void = { _ in }
  ) throws -> KubeClient {
    var configuration = try KubeConfiguration.kubeconfig(yaml: kubeconfig ?? self.kubeconfig)
    configure(&configuration)
    return try client(configuration: configuration, logger: logger)
  }

  /// A client with this configuration, shut down when the server is.
  func client(configuration: KubeConfiguration, logger: Logger = Logger(label: "kube-test")) throws -> KubeClient {
    let client = try KubeClient(configuration: configuration, logger: logger)
    clients.withLock { $0.append(client) }
    return client
  }

  /// Ends the server's open watches first: FakeKube notices a client gone from a watch only at
  /// its next write, and until then a client closing a TLS connection waits out NIOSSL's
  /// five-second close_notify timeout.
  func shutdownClients() async {
    store.cutWatches()
    for client in clients.withLock({ $0 }) { try? await client.shutdown() }
  }
}

/// Runs `body` with a FakeKube server started in-process on a free loopback port, over HTTPS
/// with freshly generated certificates when `tls` is set, then shuts its clients and it down.
///
/// - Parameters:
///   - token: the bearer token the server requires; nil for none.
///   - faults: the faults it injects, changeable while it runs.
///   - store: a store to serve, shared with another server when a test needs two doors to one
///     cluster; a new one when nil.
func withFakeKubeServer(
  tls: Bool = false, token: String? = nil, faults: FaultInjection? = nil,
  workloads: WorkloadSimulator.Configuration? = nil, historyLimit: Int = 10_000,
  bookmarkInterval: Duration = .seconds(1), store: ObjectStore? = nil,
  _ body: (RunningFakeKube) async throws -> Void
) async throws {
  let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
  let server = FakeAPIServer(
    host: "127.0.0.1", port: 0, store: store ?? ObjectStore(historyLimit: historyLimit),
    bookmarkInterval: bookmarkInterval, certificates: tls ? try FakeKubeCertificates.generate() : nil, token: token,
    faults: faults, workloads: workloads, logger: Logger(label: "fakekube-test"),
    onListening: { port in portContinuation.yield(port) })
  try await withServiceGroup(server, ports: ports, portContinuation: portContinuation) { port in
    let fake = RunningFakeKube(server: server, port: port)
    do {
      try await body(fake)
    } catch {
      await fake.shutdownClients()
      throw error
    }
    await fake.shutdownClients()
  }
}

/// Runs `operation`, failing with `SupportFailure` if it takes longer than `timeout`: a watch test
/// that waits for an event must not hang the suite when the event never comes.
func within<Value: Sendable>(
  _ timeout: Duration, _ what: String, _ operation: @escaping @Sendable () async throws -> Value
) async throws -> Value {
  try await withThrowingTaskGroup(of: Value?.self) { group in
    group.addTask { try await operation() }
    group.addTask {
      try await Task.sleep(for: timeout)
      return nil
    }
    defer { group.cancelAll() }
    guard let first = try await group.next(), let value = first else {
      throw SupportFailure("\(what) did not happen within \(timeout)")
    }
    return value
  }
}

/// A scratch directory removed when the test ends.
final class TemporaryDirectory {
  let url: URL
  var path: String { url.path }

  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("kube-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  /// Writes a file (creating directories on the way) and returns its path.
  @discardableResult
  func write(_ name: String, _ contents: String) throws -> String {
    let file = url.appendingPathComponent(name)
    try FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try contents.write(to: file, atomically: true, encoding: .utf8)
    return file.path
  }
}
