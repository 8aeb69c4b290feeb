import FakeKube
import Foundation
import KubeModel
import Logging
import ServiceLifecycle
import TestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// The real kubectl, pointed at one FakeKube server through its own kubeconfig, cache and HOME.
public struct Kubectl {
  public struct Result {
    public var status: Int32
    public var stdout: String
    public var stderr: String
  }

  public let executable: String
  public let directory: URL
  public let environment: [String: String]
  /// The server's URL, its certificates (HTTPS only) and the bearer token presented to it (when
  /// it requires one).
  public let server: String
  public let certificates: FakeKubeCertificates?
  public let token: String?
  /// How often `succeed` runs a command that fails (other than with NotFound) before it gives up:
  /// more than once where the test injects API faults, which fail kubectl's requests as they fail
  /// the operator's.
  public var attempts = 1

  /// The certificate authority the server is trusted through (HTTPS only).
  public var certificateAuthorityPEM: String? { certificates?.certificateAuthorityPEM }

  /// The kubectl on PATH.
  public static let path: String? = {
    let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    return searchPath.split(separator: ":").map { "\($0)/kubectl" }.first {
      FileManager.default.isExecutableFile(atPath: $0)
    }
  }()

  public init(
    executable: String, directory: URL, environment: [String: String], server: String = "",
    certificates: FakeKubeCertificates? = nil, token: String? = nil
  ) {
    self.executable = executable
    self.directory = directory
    self.environment = environment
    self.server = server
    self.certificates = certificates
    self.token = token
  }

  public init(server: String, certificates: FakeKubeCertificates? = nil, token: String? = nil) throws {
    guard let executable = Self.path else { throw SupportFailure("kubectl is not on PATH; the kubectl tests need it") }
    self.executable = executable
    self.server = server
    self.certificates = certificates
    self.token = token
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("fakekube-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let kubeconfig = directory.appendingPathComponent("kubeconfig").path
    try Kubeconfig.yaml(server: server, certificates: certificates, token: token)
      .write(toFile: kubeconfig, atomically: true, encoding: .utf8)
    environment = [
      "KUBECONFIG": kubeconfig, "KUBECACHEDIR": directory.appendingPathComponent("cache").path,
      "HOME": directory.path, "PATH": "/usr/bin:/bin",
    ]
  }

  /// The same kubectl with another kubeconfig (and its own cache): a wrong token, a wrong CA.
  public func using(kubeconfig contents: String) throws -> Kubectl {
    let name = "kubeconfig-\(UUID().uuidString)"
    var environment = self.environment
    environment["KUBECONFIG"] = try file(name, contents)
    environment["KUBECACHEDIR"] = directory.appendingPathComponent("cache-\(name)").path
    return Kubectl(
      executable: executable, directory: directory, environment: environment, server: server,
      certificates: certificates, token: token)
  }

  /// The kubeconfig this kubectl uses.
  public var kubeconfig: String {
    (try? String(contentsOfFile: environment["KUBECONFIG"] ?? "", encoding: .utf8)) ?? ""
  }

  /// Writes a file into the harness's directory and returns its path.
  public func file(_ name: String, _ contents: String) throws -> String {
    let path = directory.appendingPathComponent(name).path
    try contents.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// Starts kubectl in the background; stop it with `stop()`.
  public func start(_ arguments: [String]) throws -> ChildProcess {
    let prefix = directory.appendingPathComponent("kubectl-\(UUID().uuidString)").path
    return try ChildProcess.launch(
      executable, arguments, stdout: prefix + ".out", stderr: prefix + ".err", environment: environment)
  }

  /// Runs kubectl to completion (bounded by `timeout`).
  @discardableResult
  public func run(_ arguments: String..., timeout: Duration = .seconds(30)) async throws -> Result {
    try await run(arguments, timeout: timeout)
  }

  /// Runs kubectl with arguments built at run time.
  @discardableResult
  public func run(_ arguments: [String], timeout: Duration = .seconds(30)) async throws -> Result {
    let process = try start(arguments)
    defer { process.stop() }
    let status = try await process.waitForExit(timeout: timeout)
    return Result(status: status, stdout: process.stdout, stderr: process.stderr)
  }

  /// Runs kubectl and requires it to succeed.
  @discardableResult
  public func succeed(_ arguments: String..., timeout: Duration = .seconds(30)) async throws -> String {
    var attempt = 1
    while true {
      let process = try start(arguments)
      defer { process.stop() }
      let status = try await process.waitForExit(timeout: timeout)
      if status == 0 { return process.stdout }
      // A delete run again after a fault (the object went, then waiting for it failed) finds it
      // gone: what the first run set out to do is done.
      if attempt > 1, arguments.first == "delete", process.stderr.contains("(NotFound)") { return process.stdout }
      // Not found stays not found: that answer is the result, not a fault to ride out.
      guard attempt < attempts, !process.stderr.contains("(NotFound)") else {
        throw SupportFailure("kubectl \(arguments.joined(separator: " ")) exited \(status): \(process.stderr)")
      }
      attempt += 1
      try await Task.sleep(for: .milliseconds(200))
    }
  }

  /// The same kubectl, running a failed command again (up to five times), as a user facing a
  /// flaky API would.
  public var retrying: Kubectl {
    var copy = self
    copy.attempts = 5
    return copy
  }

  public func removeFiles() {
    try? FileManager.default.removeItem(at: directory)
  }
}

/// One HTTP exchange made with curl.
public struct CurlResult {
  public var status: Int
  /// Header names lowercased.
  public var headers: [String: String]
  public var body: String

  public var json: JSONValue? { try? JSONValue(parsing: Array(body.utf8)) }
}

/// curl on the machine, for the raw checks where kubectl would retry or reformat.
extension Kubectl {
  public static let curlPath = "/usr/bin/curl"

  /// curl's arguments to reach `path` as kubectl does: trusting the server's CA and presenting
  /// the token, unless `authorized` is false.
  public func curlArguments(_ path: String, authorized: Bool = true) throws -> [String] {
    var arguments = ["--silent", "--show-error", "--max-time", "60"]
    if let certificateAuthorityPEM {
      arguments += ["--cacert", try file("ca.crt", certificateAuthorityPEM)]
    }
    if authorized, let token { arguments += ["--header", "Authorization: Bearer \(token)"] }
    return arguments + [server + path]
  }

  /// Sends one request with curl and returns the status, headers and body; `body` is sent as JSON.
  public func curl(
    _ path: String, method: String = "GET", body: String? = nil, authorized: Bool = true,
    timeout: Duration = .seconds(30)
  ) async throws -> CurlResult {
    guard FileManager.default.isExecutableFile(atPath: Self.curlPath) else {
      throw SupportFailure("curl is not at \(Self.curlPath); the raw HTTP tests need it")
    }
    let prefix = directory.appendingPathComponent("curl-\(UUID().uuidString)").path
    let process = try ChildProcess.launch(
      Self.curlPath,
      ["--dump-header", prefix + ".headers", "--output", prefix + ".body", "--write-out", "%{http_code}"]
        + ["--request", method]
        + (body.map { ["--header", "Content-Type: application/json", "--data-binary", $0] } ?? [])
        + (try curlArguments(path, authorized: authorized)),
      stdout: prefix + ".out", stderr: prefix + ".err", environment: ["PATH": "/usr/bin:/bin"])
    defer { process.stop() }
    let exit = try await process.waitForExit(timeout: timeout)
    guard exit == 0, let status = Int(process.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
      throw SupportFailure("curl \(path) exited \(exit): \(process.stderr)")
    }
    var headers: [String: String] = [:]
    let head = (try? String(contentsOfFile: prefix + ".headers", encoding: .utf8)) ?? ""
    for line in head.split(whereSeparator: \.isNewline) {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    let body = (try? String(contentsOfFile: prefix + ".body", encoding: .utf8)) ?? ""
    return CurlResult(status: status, headers: headers, body: body)
  }

  /// Starts curl on a long request (a watch) without buffering; its output is the body so far.
  public func startCurl(_ path: String) throws -> ChildProcess {
    let prefix = directory.appendingPathComponent("curl-\(UUID().uuidString)").path
    return try ChildProcess.launch(
      Self.curlPath, ["--no-buffer"] + (try curlArguments(path)), stdout: prefix + ".out", stderr: prefix + ".err",
      environment: ["PATH": "/usr/bin:/bin"])
  }
}

/// Runs `body` with kubectl pointed at a FakeKube server started in-process on a free loopback
/// port, then shuts the server down gracefully, as SIGTERM would.
///
/// - Parameters:
///   - tls: serve HTTPS with freshly generated certificates; kubectl trusts their authority.
///   - token: require this bearer token; kubectl presents it, over HTTPS only (curl over both).
///   - faults: inject these faults; the test changes them while it runs.
///   - requestLog: record the server's requests here, for the test to read.
public func withFakeKube(
  historyLimit: Int = 10_000, tls: Bool = false, token: String? = nil, faults: FaultInjection? = nil,
  workloads: WorkloadSimulator.Configuration? = nil, requestLog: RequestLog = RequestLog(),
  _ body: (Kubectl, ObjectStore) async throws -> Void
) async throws {
  let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
  let store = ObjectStore(historyLimit: historyLimit)
  let certificates = tls ? try FakeKubeCertificates.generate() : nil
  let server = FakeAPIServer(
    host: "127.0.0.1", port: 0, store: store, bookmarkInterval: .seconds(1), certificates: certificates,
    token: token, faults: faults, workloads: workloads, requestLog: requestLog,
    onListening: { port in portContinuation.yield(port) })
  try await withServiceGroup(server, ports: ports, portContinuation: portContinuation) { port in
    let kubectl = try Kubectl(server: server.url(port: port), certificates: certificates, token: token)
    defer { kubectl.removeFiles() }
    try await body(kubectl, store)
  }
}
