import FakeKube
import Foundation
import Logging
import ServiceLifecycle
import Testing

#if canImport(Glibc)
  import Glibc
#endif

struct HarnessFailure: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

/// A child process with its output in files, killed for sure when the test leaves.
///
/// Spawned with `posix_spawn` rather than `Foundation.Process`: the test runner's threads block
/// most signals and a `Process` child inherits that mask, so it would ignore the SIGINT or SIGTERM
/// that asks it to stop. Here the child starts with an empty mask and default handlers.
final class SpawnedProcess {
  let pid: pid_t
  let stdoutPath: String
  let stderrPath: String
  private var exitStatus: Int32?

  init(_ executable: String, _ arguments: [String], environment: [String: String], outputPrefix: String) throws {
    stdoutPath = outputPrefix + ".out"
    stderrPath = outputPrefix + ".err"
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var mask = sigset_t()
    sigemptyset(&mask)
    posix_spawnattr_setsigmask(&attributes, &mask)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for number in [SIGINT, SIGTERM, SIGPIPE] { sigaddset(&defaults, number) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for pointer in argv + envp { free(pointer) } }
    var pid: pid_t = 0
    let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    guard result == 0 else { throw HarnessFailure("cannot start \(executable): \(String(cString: strerror(result)))") }
    self.pid = pid
  }

  deinit { stop() }

  /// Whether the process still runs; reaps it once it has exited.
  var isRunning: Bool {
    if exitStatus != nil { return false }
    var status: Int32 = 0
    let reaped = waitpid(pid, &status, WNOHANG)
    if reaped == 0 { return true }
    exitStatus = reaped == pid ? (status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + status & 0x7f) : -1
    return false
  }

  var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
  var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

  /// Waits for the exit status; kills the process and throws when `timeout` passes first.
  func waitForExit(timeout: Duration) async throws -> Int32 {
    let deadline = ContinuousClock.now + timeout
    while isRunning {
      guard ContinuousClock.now < deadline else {
        stop()
        throw HarnessFailure("process \(pid) still ran after \(timeout); killed. stderr: \(stderr)")
      }
      try await Task.sleep(for: .milliseconds(20))
    }
    return exitStatus ?? -1
  }

  /// Kills the process if it still runs and reaps it (bounded).
  func stop() {
    guard isRunning else { return }
    kill(pid, SIGKILL)
    let deadline = ContinuousClock.now + .seconds(5)
    while isRunning && ContinuousClock.now < deadline { usleep(10_000) }
  }
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
  func start(_ arguments: [String]) throws -> SpawnedProcess {
    try SpawnedProcess(
      executable, arguments, environment: environment,
      outputPrefix: directory.appendingPathComponent("kubectl-\(UUID().uuidString)").path)
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

/// The `sovren` executable built beside the test bundle.
func sovrenExecutable() throws -> String {
  var candidates: [URL] = []
  for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
    candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("sovren"))
  }
  if let first = CommandLine.arguments.first {
    candidates.append(
      URL(fileURLWithPath: first).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("sovren")
    )
  }
  guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
    throw HarnessFailure("the sovren executable is not built beside the tests (looked in \(candidates.map(\.path)))")
  }
  return found.path
}

/// Polls `condition` until it holds; throws when `timeout` passes first.
func waitUntil(timeout: Duration, _ what: String, _ condition: () -> Bool) async throws {
  let deadline = ContinuousClock.now + timeout
  while !condition() {
    guard ContinuousClock.now < deadline else { throw HarnessFailure("timed out after \(timeout) waiting for \(what)") }
    try await Task.sleep(for: .milliseconds(50))
  }
}
