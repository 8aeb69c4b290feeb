import Detection
import DetectorService
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

private let email = #"{"email":"jane.doe@example.org"}"#
private let card = #"{"card":"4111 1111 1111 1111"}"#
private let plain = #"{"id":7,"tags":["a","b"]}"#

/// `sovren detect` and `sovren detector` as the built executable runs them.
@Suite struct DetectCommandTests {
  /// A scratch directory for one test, removed after it.
  final class Scratch {
    let path: String
    init() throws {
      path = NSTemporaryDirectory() + "sovren-detect-\(UUID().uuidString)"
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String, _ contents: String) throws -> String {
      let file = path + "/" + name
      try contents.write(toFile: file, atomically: true, encoding: .utf8)
      return file
    }
  }

  struct Run {
    let status: Int32
    let lines: [String]
    let stderr: String
  }

  /// Runs `sovren` with `arguments` (through `sh -c` when `shell` is given) and waits for it.
  func sovren(_ arguments: [String], shell: String? = nil, in scratch: Scratch) async throws -> Run {
    let executable = try builtExecutable(named: "sovren")
    let child: ChildProcess
    let stdout = scratch.path + "/stdout"
    let stderr = scratch.path + "/stderr"
    if let shell {
      child = try ChildProcess.launch(
        "/bin/sh", ["-c", "exec \"$0\" \(shell)", executable], stdout: stdout, stderr: stderr)
    } else {
      child = try ChildProcess.launch(executable, arguments, stdout: stdout, stderr: stderr)
    }
    let status = try await child.waitForExit(timeout: .seconds(60))
    let output = child.stdout
    #expect(output.isEmpty || output.hasSuffix("\n"), "output ends with a newline")
    return Run(
      status: status,
      lines: output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init),
      stderr: child.stderr)
  }

  /// What the detector says of `document`, as one result line.
  func expected(_ document: String) throws -> String {
    try Detector().detect(json: Array(document.utf8)).json
  }

  /// The error line for a document the parser refuses.
  func expectedError(line: Int, _ document: String) -> String {
    do {
      _ = try JSONLeaves.of(Array(document.utf8))
      return "(parsed)"
    } catch {
      return DetectorError.body(message: "line \(line): \(error)")
    }
  }

  @Test func aFileOfThreeDocumentsGivesThreeLinesInOrder() async throws {
    let scratch = try Scratch()
    let file = try scratch.file("in.jsonl", [email, card, plain].joined(separator: "\n") + "\n")
    let run = try await sovren(["detect", file], in: scratch)
    #expect(run.status == 0)
    #expect(run.lines == [try expected(email), try expected(card), try expected(plain)])
    #expect(run.lines[0].contains(#""path":"$.email","types":["email"]"#))
    #expect(run.lines[1].contains(#""path":"$.card","types":["card_number"]"#))
  }

  @Test func standardInputIsReadForADash() async throws {
    let scratch = try Scratch()
    let file = try scratch.file("in.jsonl", [card, email].joined(separator: "\n"))
    let run = try await sovren([], shell: "detect - < '\(file)'", in: scratch)
    #expect(run.status == 0)
    #expect(run.lines == [try expected(card), try expected(email)])
  }

  @Test func aBadLineGetsAnErrorLineInItsPlaceAndStatusOne() async throws {
    let scratch = try Scratch()
    let bad = #"{"email":"jane@"#
    let file = try scratch.file("in.jsonl", [email, bad, card].joined(separator: "\n") + "\n")
    let run = try await sovren(["detect", file], in: scratch)
    #expect(run.status == 1)
    #expect(run.lines == [try expected(email), expectedError(line: 2, bad), try expected(card)])
    #expect(run.lines[1].hasPrefix(#"{"error":"line 2: invalid JSON at byte "#))
    #expect(run.stderr.contains("1 of 3 lines"))
  }

  @Test func blankLinesAreSkippedButCounted() async throws {
    let scratch = try Scratch()
    let file = try scratch.file("in.jsonl", "\n" + email + "\r\n  \n\t\n" + "nope\n\n" + card + "\n\n")
    let run = try await sovren(["detect", file], in: scratch)
    #expect(run.status == 1)
    #expect(run.lines == [try expected(email), expectedError(line: 5, "nope"), try expected(card)])
  }

  @Test func anOverlongLineGetsAnErrorLine() async throws {
    let scratch = try Scratch()
    let long = #"{"note":""# + String(repeating: "x", count: 100) + #""}"#
    let file = try scratch.file("in.jsonl", [email, long, card].joined(separator: "\n") + "\n")
    let run = try await sovren(["detect", "--max-line-bytes", "64", file], in: scratch)
    #expect(run.status == 1)
    #expect(
      run.lines == [
        try expected(email), DetectorError.body(message: "line 2: longer than 64 bytes"), try expected(card),
      ])
  }

  @Test func aLinePastTheDefaultLimitIsNotRead() async throws {
    let scratch = try Scratch()
    let long = #"{"note":""# + String(repeating: "x", count: 1_048_576) + #""}"#
    let file = try scratch.file("in.jsonl", [long, email].joined(separator: "\n"))
    let run = try await sovren(["detect", "--workers", "2", file], in: scratch)
    #expect(run.status == 1)
    #expect(run.lines == [DetectorError.body(message: "line 1: longer than 1048576 bytes"), try expected(email)])
  }

  @Test func aMissingFileIsNamed() async throws {
    let scratch = try Scratch()
    let run = try await sovren(["detect", scratch.path + "/absent.jsonl"], in: scratch)
    #expect(run.status != 0)
    #expect(run.stderr.contains("absent.jsonl"))
  }

  @Test(arguments: [
    (["--listen", "nonsense"], "--listen"), (["--listen", "127.0.0.1:70000"], "--listen"),
    (["--max-body-bytes", "0"], "--max-body-bytes"),
  ])
  func detectorRefusesABadOption(arguments: [String], option: String) async throws {
    let scratch = try Scratch()
    let run = try await sovren(["detector"] + arguments, in: scratch)
    #expect(run.status != 0)
    #expect(run.stderr.contains(option))
    #expect(run.stderr.contains(arguments[1]))
  }

  @Test func detectorServesThenStopsOnSIGTERM() async throws {
    let scratch = try Scratch()
    let child = try ChildProcess.launch(
      try builtExecutable(named: "sovren"), ["detector", "--listen", "127.0.0.1:0"],
      stdout: scratch.path + "/stdout", stderr: scratch.path + "/stderr")
    var port: Int?
    do {
      // Generous: on a loaded 2-core CI machine a process can take long to be scheduled.
      try await eventually("the detector to log its port", timeout: .seconds(90)) {
        guard let range = child.stderr.range(of: "http.port=") else { return false }
        port = Int(child.stderr[range.upperBound...].prefix { $0.isNumber })
        return port != nil
      }
    } catch {
      child.signal(SIGKILL)
      Issue.record("the detector's stderr: \(child.stderr)")
      throw error
    }
    let detector = DetectorHarness(port: try #require(port), metrics: DetectorMetrics())
    let answer = try await detector.detect(email)
    #expect(answer.status == 200)
    #expect(try answer.fields == [[.init(path: "$.email", types: ["email"])]])
    child.signal(SIGTERM)
    let status = try await child.waitForExit(timeout: .seconds(30))
    #expect(status == 0, "stderr: \(child.stderr)")
    #expect(!child.stderr.contains("jane.doe"), "values are never logged")
  }
}
