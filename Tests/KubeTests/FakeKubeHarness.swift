import FakeKube
import Foundation
import Kube
import KubeModel
import Logging
import ServiceLifecycle

/// A test helper's failure: what it was waiting for.
struct HarnessFailure: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

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
  let store = ObjectStore(historyLimit: historyLimit)
  let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
  let server = FakeAPIServer(
    host: "127.0.0.1", port: 0, store: store, bookmarkInterval: bookmarkInterval,
    logger: Logger(label: "fakekube-test"), onListening: { port in portContinuation.yield(port) })
  try await withServiceGroup(server, ports: ports, portContinuation: portContinuation) { port in
    // The kubeconfig FakeKube writes for kubectl works for the client as it is.
    var configuration = try KubeConfiguration.kubeconfig(yaml: Kubeconfig.yaml(server: "http://127.0.0.1:\(port)"))
    configure(&configuration)
    let client = try KubeClient(configuration: configuration)
    do {
      try await body(client, store)
    } catch {
      try? await client.shutdown()
      throw error
    }
    try await client.shutdown()
  }
}

/// Runs `service` in a `ServiceGroup`, waits for the port it reports, runs `body` with it, then
/// shuts the group down gracefully (as SIGTERM would) and waits for it to end.
func withServiceGroup(
  _ service: some ServiceLifecycle.Service, ports: AsyncStream<Int>, portContinuation: AsyncStream<Int>.Continuation,
  _ body: (Int) async throws -> Void
) async throws {
  var configuration = ServiceGroupConfiguration(services: [service], logger: Logger(label: "kube-test"))
  configuration.maximumGracefulShutdownDuration = .seconds(10)
  let services = ServiceGroup(configuration: configuration)
  try await withThrowingTaskGroup(of: Void.self) { group in
    group.addTask {
      defer { portContinuation.finish() }
      try await services.run()
    }
    guard let port = try await first(of: ports, timeout: .seconds(20)) else {
      group.cancelAll()
      throw HarnessFailure("the server did not start listening")
    }
    do {
      try await body(port)
    } catch {
      await services.triggerGracefulShutdown()
      group.cancelAll()
      throw error
    }
    await services.triggerGracefulShutdown()
    try await group.waitForAll()
  }
}

/// The first element of `stream`, or nil when it ends or `timeout` passes first.
func first<Element: Sendable>(of stream: AsyncStream<Element>, timeout: Duration) async throws -> Element? {
  try await withThrowingTaskGroup(of: Element?.self) { group in
    group.addTask {
      var iterator = stream.makeAsyncIterator()
      return await iterator.next()
    }
    group.addTask {
      try await Task.sleep(for: timeout)
      return nil
    }
    let value = try await group.next() ?? nil
    group.cancelAll()
    return value
  }
}

/// Runs `operation`, failing with `HarnessFailure` if it takes longer than `timeout`: a watch test
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
      throw HarnessFailure("\(what) did not happen within \(timeout)")
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
