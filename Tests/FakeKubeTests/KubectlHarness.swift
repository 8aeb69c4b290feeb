import FakeKube
import Foundation
import Logging
import ServiceLifecycle
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

struct HarnessFailure: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

/// The real kubectl, pointed at one FakeKube server through its own kubeconfig, cache and HOME.
struct Kubectl {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  let executable: String
  let directory: URL
  let environment: [String: String]

  /// The kubectl on PATH.
  static let path: String? = {
    let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    return searchPath.split(separator: ":").map { "\($0)/kubectl" }.first {
      FileManager.default.isExecutableFile(atPath: $0)
    }
  }()

  init(executable: String, directory: URL, environment: [String: String]) {
    self.executable = executable
    self.directory = directory
    self.environment = environment
  }

  init(server: String) throws {
    guard let executable = Self.path else { throw HarnessFailure("kubectl is not on PATH; the kubectl tests need it") }
    self.executable = executable
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("fakekube-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let kubeconfig = directory.appendingPathComponent("kubeconfig").path
    try Kubeconfig.yaml(server: server).write(toFile: kubeconfig, atomically: true, encoding: .utf8)
    environment = [
      "KUBECONFIG": kubeconfig, "KUBECACHEDIR": directory.appendingPathComponent("cache").path,
      "HOME": directory.path, "PATH": "/usr/bin:/bin",
    ]
  }

  /// Writes a file into the harness's directory and returns its path.
  func file(_ name: String, _ contents: String) throws -> String {
    let path = directory.appendingPathComponent(name).path
    try contents.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// Starts kubectl in the background; stop it with `stop()`.
  func start(_ arguments: [String]) throws -> ChildProcess {
    let prefix = directory.appendingPathComponent("kubectl-\(UUID().uuidString)").path
    return try ChildProcess.launch(
      executable, arguments, stdout: prefix + ".out", stderr: prefix + ".err", environment: environment)
  }

  /// Runs kubectl to completion (bounded by `timeout`).
  @discardableResult
  func run(_ arguments: String..., timeout: Duration = .seconds(30)) async throws -> Result {
    let process = try start(arguments)
    defer { process.stop() }
    let status = try await process.waitForExit(timeout: timeout)
    return Result(status: status, stdout: process.stdout, stderr: process.stderr)
  }

  /// Runs kubectl and requires it to succeed.
  @discardableResult
  func succeed(_ arguments: String..., timeout: Duration = .seconds(30)) async throws -> String {
    let process = try start(arguments)
    defer { process.stop() }
    let status = try await process.waitForExit(timeout: timeout)
    guard status == 0 else {
      throw HarnessFailure("kubectl \(arguments.joined(separator: " ")) exited \(status): \(process.stderr)")
    }
    return process.stdout
  }

  func removeFiles() {
    try? FileManager.default.removeItem(at: directory)
  }
}

/// Runs `body` with kubectl pointed at a FakeKube server started in-process on a free loopback
/// port, then shuts the server down gracefully, as SIGTERM would.
func withFakeKube(historyLimit: Int = 10_000, _ body: (Kubectl, ObjectStore) async throws -> Void) async throws {
  let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
  let store = ObjectStore(historyLimit: historyLimit)
  let server = FakeAPIServer(
    host: "127.0.0.1", port: 0, store: store, bookmarkInterval: .seconds(1),
    onListening: { port in portContinuation.yield(port) })
  var configuration = ServiceGroupConfiguration(services: [server], logger: Logger(label: "fakekube-test"))
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
    let kubectl = try Kubectl(server: "http://127.0.0.1:\(port)")
    defer { kubectl.removeFiles() }
    do {
      try await body(kubectl, store)
    } catch {
      group.cancelAll()
      throw error
    }
    await services.triggerGracefulShutdown()
    try await group.waitForAll()
  }
}

/// The first element of `stream`, or nil when it ends or `timeout` passes first.
func first(of stream: AsyncStream<Int>, timeout: Duration) async throws -> Int? {
  try await withThrowingTaskGroup(of: Int?.self) { group in
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
