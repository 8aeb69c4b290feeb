// Helpers the test suites share: child processes that really stop, bounded waits, and the
// executables this build produced.
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A test helper's failure: what it was waiting for or could not start.
public struct SupportFailure: Error, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}

/// A child process with its output in files, stopped for sure when the test leaves.
///
/// Spawned with `posix_spawn` rather than `Foundation.Process`: the test runner's threads block
/// most signals, and a child inherits that mask, so a `Process`-launched tcpdump never sees the
/// SIGINT that asks it to finish its file. Here the child starts with an empty mask and default
/// handlers.
public final class ChildProcess {
  public let pid: pid_t
  public let name: String
  public let stdoutPath: String
  public let stderrPath: String
  private var exitStatus: Int32?

  private init(pid: pid_t, name: String, stdoutPath: String, stderrPath: String) {
    self.pid = pid
    self.name = name
    self.stdoutPath = stdoutPath
    self.stderrPath = stderrPath
  }

  deinit { stop() }

  /// What the process wrote so far.
  public var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
  public var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

  /// Starts `executable` with standard input from /dev/null and standard output and error
  /// written to the given files (created or truncated).
  public static func launch(
    _ executable: String, _ arguments: [String], stdout: String, stderr: String,
    environment: [String: String]? = nil
  ) throws
    -> ChildProcess
  {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var mask = sigset_t()
    sigemptyset(&mask)
    posix_spawnattr_setsigmask(&attributes, &mask)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for number in [SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD] { sigaddset(&defaults, number) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for argument in argv { free(argument) } }
    var pid: pid_t = 0
    let result: Int32
    if let environment {
      let entries = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
      defer { for entry in entries { free(entry) } }
      result = posix_spawn(&pid, executable, &actions, &attributes, argv, entries)
    } else {
      result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
    }
    guard result == 0 else {
      throw SupportFailure("cannot start \(executable): \(String(cString: strerror(result)))")
    }
    return ChildProcess(
      pid: pid, name: URL(fileURLWithPath: executable).lastPathComponent, stdoutPath: stdout, stderrPath: stderr)
  }

  /// Whether the process still runs; reaps it (once) when it has exited.
  public var isRunning: Bool {
    if exitStatus != nil { return false }
    var status: Int32 = 0
    let reaped = waitpid(pid, &status, WNOHANG)
    if reaped == 0 { return true }
    // Exited: the code; killed by a signal: 128 + the signal, as a shell reports it.
    exitStatus = reaped == pid ? (status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + status & 0x7f) : -1
    return false
  }

  public func signal(_ number: Int32) {
    if isRunning { kill(pid, number) }
  }

  /// Waits for the process to exit and returns its status; on timeout kills it and throws.
  public func waitForExit(timeout: Duration) async throws -> Int32 {
    do {
      try await waitUntil(timeout: timeout, "\(name) to exit") { !isRunning }
    } catch {
      stop()
      throw error
    }
    return exitStatus ?? -1
  }

  /// Kills the process if it still runs and reaps it (bounded).
  public func stop() {
    guard isRunning else { return }
    kill(pid, SIGKILL)
    let deadline = ContinuousClock.now + .seconds(5)
    while isRunning && ContinuousClock.now < deadline { usleep(10_000) }
  }
}

/// Polls `condition` until it holds; throws when `timeout` passes first.
public func waitUntil(timeout: Duration, _ what: String, _ condition: () -> Bool) async throws {
  let deadline = ContinuousClock.now + timeout
  while !condition() {
    guard ContinuousClock.now < deadline else { throw SupportFailure("timed out after \(timeout) waiting for \(what)") }
    try await Task.sleep(for: .milliseconds(20))
  }
}

/// An executable product of this build: `SOVREN_EXECUTABLE` when set (for `sovren`), else the
/// file named `name` in the directory that holds the test bundle. SwiftPM puts every product of a
/// build in one directory (`.build/<triple>/debug/`): on Linux the test bundle
/// `sovrenPackageTests.xctest` is itself the running executable (`Bundle.main`), on macOS
/// it is a loaded `.xctest` bundle run by `xctest`.
public func builtExecutable(named name: String) throws -> String {
  var candidates: [URL] = []
  if let path = ProcessInfo.processInfo.environment["SOVREN_EXECUTABLE"], !path.isEmpty, name == "sovren" {
    candidates.append(URL(fileURLWithPath: path))
  }
  for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
    candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent(name))
  }
  if let executable = Bundle.main.executableURL {
    candidates.append(
      executable.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent(name))
  }
  if let first = CommandLine.arguments.first {
    let runner = URL(fileURLWithPath: first).resolvingSymlinksInPath()
    candidates.append(runner.deletingLastPathComponent().appendingPathComponent(name))
  }
  guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
    throw SupportFailure(
      "no \(name) executable next to the test bundle (looked at \(candidates.map(\.path))); build it or set SOVREN_EXECUTABLE"
    )
  }
  return found.path
}
