import Foundation
import TestSupport
import Testing
import TrafficSynth

/// `sovren capture` as a user meets it: errors name what is wrong, options fall back to the
/// environment, and a damaged file still gives what it holds.
@Suite("sovren capture command", .serialized)
struct CaptureCommandTests {
  struct Outcome {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Outcome {
    let workspace = try Workspace()
    defer { workspace.remove() }
    let process = try ChildProcess.launch(
      try LoopbackTools.sovrenExecutable(), arguments, stdout: workspace.path("out"), stderr: workspace.path("err"),
      environment: environment)
    let status = try await process.waitForExit(timeout: .seconds(60))
    return Outcome(status: status, stdout: workspace.text("out"), stderr: workspace.text("err"))
  }

  func scenarioFile(_ name: String, in workspace: Workspace) throws -> String {
    let scenario = try #require(Scenarios.named(name))
    let path = workspace.path("\(name).pcap")
    try scenario.write(to: path)
    return path
  }

  @Test("an unsupported link type is refused with the supported list")
  func unsupportedLinkType() async throws {
    let workspace = try Workspace()
    defer { workspace.remove() }
    let path = workspace.path("wifi.pcap")
    let writer = try PcapWriter(path: path, linkType: .ethernet)
    try writer.close()
    // Patch the header's link type to 105 (IEEE 802.11).
    var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    bytes[20] = 105
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let outcome = try await run(["capture", "--pcap", path])
    #expect(outcome.status != 0)
    #expect(outcome.stderr.contains("link type 105"))
    #expect(outcome.stderr.contains("Ethernet"))
  }

  @Test("a missing file is named in the error")
  func missingFile() async throws {
    let outcome = try await run(["capture", "--pcap", "/nonexistent/capture.pcap"])
    #expect(outcome.status != 0)
    #expect(outcome.stderr.contains("/nonexistent/capture.pcap"))
  }

  @Test(
    "invalid limits are refused at start-up, naming the option",
    arguments: [
      (["--body-limit", "0"], [String: String](), "body-limit"),
      (["--response-timeout", "-1"], [:], "response-timeout"),
      ([], ["SOVREN_BODY_LIMIT": "lots"], "SOVREN_BODY_LIMIT"),
      ([], ["SOVREN_IDLE_TIMEOUT": "0"], "idle_timeout"),
      (["--exclude-path", "metrics"], [:], "exclude-path"),
      (["--max-total-buffer", "10", "--max-connection-buffer", "100"], [:], "max-total-buffer"),
    ])
  func invalidOptions(flags: [String], environment: [String: String], named option: String) async throws {
    let workspace = try Workspace()
    defer { workspace.remove() }
    let path = try scenarioFile("content-length", in: workspace)
    let outcome = try await run(["capture", "--pcap", path] + flags, environment: environment)
    #expect(outcome.status != 0)
    #expect(outcome.stderr.lowercased().contains(option.lowercased()), "stderr: \(outcome.stderr)")
    #expect(outcome.stdout.isEmpty)
  }

  @Test("the environment sets a limit when the flag is absent, and the flag wins over it")
  func environmentFallback() async throws {
    let workspace = try Workspace()
    defer { workspace.remove() }
    // Two pairs with 1000-byte bodies and two with 1001: a limit of 1000 keeps two.
    let path = try scenarioFile("size-limit-request", in: workspace)
    let fromEnvironment = try await run(
      ["capture", "--pcap", path, "--summary-only"], environment: ["SOVREN_BODY_LIMIT": "1000"])
    #expect(fromEnvironment.status == 0)
    #expect(fromEnvironment.stderr.contains("pairs kept: 2\n"))
    #expect(fromEnvironment.stderr.contains("body_too_large: 2"))
    let flagWins = try await run(
      ["capture", "--pcap", path, "--summary-only", "--body-limit", "2000"], environment: ["SOVREN_BODY_LIMIT": "1000"])
    #expect(flagWins.stderr.contains("pairs kept: 4\n"))
  }

  @Test("a file cut mid-record still yields its pairs, with a warning, and metrics are written")
  func truncatedFileAndMetrics() async throws {
    let workspace = try Workspace()
    defer { workspace.remove() }
    let path = try scenarioFile("keepalive-interleaved", in: workspace)
    let whole = try Data(contentsOf: URL(fileURLWithPath: path))
    try whole.prefix(whole.count - 10).write(to: URL(fileURLWithPath: path))
    let metrics = workspace.path("metrics.prom")
    let outcome = try await run(["capture", "--pcap", path, "--metrics", metrics])
    #expect(outcome.status == 0)
    #expect(outcome.stderr.contains("warning: capture"))
    #expect(outcome.stderr.contains("pairs kept: 36\n"))
    #expect(outcome.stdout.split(separator: "\n").count == 36)
    let exposition = workspace.text("metrics.prom")
    #expect(exposition.contains("sovren_interceptor_pairs_total{source=\"keepalive-interleaved.pcap\"} 36\n"))
  }
}
