import Foundation
import TestSupport

/// `sovren operator` as its own process against a FakeKube server, as it runs in a cluster:
/// leader election on a Lease in `sovren-system`, health and metrics on a free loopback port.
final class OperatorProcess {
  let identity: String
  let process: ChildProcess

  /// Short lease timings so that handover tests take seconds.
  static let leaseDuration = 4.0
  static let renewDeadline = 3.0
  static let retryPeriod = 0.5

  init(kubectl: Kubectl, identity: String, resyncPeriod: Double = 300, arguments: [String] = []) throws {
    guard let kubeconfig = kubectl.environment["KUBECONFIG"] else {
      throw SupportFailure("the kubectl harness has no kubeconfig")
    }
    self.identity = identity
    let prefix = kubectl.directory.appendingPathComponent("operator-\(identity)").path
    process = try ChildProcess.launch(
      try builtExecutable(named: "sovren"),
      [
        "operator", "--kubeconfig", kubeconfig, "--lease-namespace", "sovren-system", "--identity", identity,
        "--metrics-address", "127.0.0.1:0", "--resync-period", "\(resyncPeriod)",
        "--lease-duration", "\(Self.leaseDuration)", "--renew-deadline", "\(Self.renewDeadline)",
        "--retry-period", "\(Self.retryPeriod)", "--log-level", "debug",
      ] + arguments, stdout: prefix + ".out", stderr: prefix + ".err", environment: ["PATH": "/usr/bin:/bin"])
  }

  deinit { process.stop() }

  /// The log so far (the operator logs to standard error).
  var log: String { process.stderr }

  /// The port of `/metrics`, `/healthz` and `/readyz`, from the operator's start-up log line.
  func metricsPort() async throws -> Int {
    var port: Int?
    try await waitUntil(timeout: .seconds(30), "operator \(identity) to serve its metrics") {
      guard let line = log.split(separator: "\n").first(where: { $0.contains("serving health and metrics") }),
        let range = line.range(of: "port=")
      else { return false }
      port = Int(line[range.upperBound...].prefix { $0.isNumber })
      return port != nil
    }
    return port ?? 0
  }

  /// One of the operator's HTTP endpoints: status code and body.
  func get(_ path: String) async throws -> (status: Int, body: String) {
    let port = try await metricsPort()
    let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("curl-\(UUID().uuidString)").path
    defer {
      for suffix in [".out", ".err", ".body"] { try? FileManager.default.removeItem(atPath: prefix + suffix) }
    }
    let curl = try ChildProcess.launch(
      "/usr/bin/curl",
      ["--silent", "--max-time", "10", "--output", prefix + ".body", "--write-out", "%{http_code}"]
        + ["http://127.0.0.1:\(port)\(path)"], stdout: prefix + ".out", stderr: prefix + ".err")
    defer { curl.stop() }
    guard try await curl.waitForExit(timeout: .seconds(15)) == 0,
      let status = Int(curl.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    else { throw SupportFailure("curl \(path) on operator \(identity) failed: \(curl.stderr)") }
    return (status, (try? String(contentsOfFile: prefix + ".body", encoding: .utf8)) ?? "")
  }

  /// The value of one sample of `/metrics`, such as `sovren_operator_reconciles_total{result="success"}`.
  func metric(_ sample: String) async throws -> Double {
    let body = try await get("/metrics").body
    for line in body.split(separator: "\n") where line.hasPrefix(sample + " ") {
      return Double(line.dropFirst(sample.count + 1)) ?? 0
    }
    return 0
  }

  /// Whether this replica leads now, by its own metrics.
  func isLeader() async throws -> Bool { try await metric("sovren_operator_leader") == 1 }

  /// Reconciles finished so far, whatever their result.
  func reconciles() async throws -> Double {
    var total = 0.0
    for result in ["success", "requeue", "error"] {
      total += try await metric("sovren_operator_reconciles_total{result=\"\(result)\"}")
    }
    return total
  }
}

/// The rows of a `kubectl get` table, each by column name: cells are sliced at the header's
/// column offsets, so empty cells stay empty.
func tableRows(_ output: String) -> [[String: String]] {
  let lines = output.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
  guard let header = lines.first else { return [] }
  var starts: [(name: String, offset: Int)] = []
  var offset = 0
  var previousWasSpace = true
  for character in header {
    if character != " ", previousWasSpace { starts.append(("", offset)) }
    if character != " " { starts[starts.count - 1].name.append(character) }
    previousWasSpace = character == " "
    offset += 1
  }
  return lines.dropFirst().map { line in
    let characters = Array(line)
    var row: [String: String] = [:]
    for (index, column) in starts.enumerated() {
      let end = index + 1 < starts.count ? starts[index + 1].offset : characters.count
      let lower = min(column.offset, characters.count)
      let upper = min(max(end, lower), characters.count)
      row[column.name] = String(characters[lower..<upper]).trimmingCharacters(in: .whitespaces)
    }
    return row
  }
}
