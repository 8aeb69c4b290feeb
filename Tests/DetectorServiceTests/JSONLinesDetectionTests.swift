import Detection
import Foundation
import Testing

@testable import DetectorService

/// The JSON Lines reader against a plain reference (split on newlines, detect each line), with
/// reads small enough that lines straddle chunk boundaries.
@Suite struct JSONLinesDetectionTests {
  static let lines = [
    #"{"email":"jane.doe@example.org"}"#, "", #"{"card":"4111 1111 1111 1111"}"# + "\r", "   ", "[1,",
    #"{"note":""# + String(repeating: "y", count: 90) + #""}"#, #"{"a":{"b":[1,2,{"c":"x@example.com"}]}}"#, "\t",
    "null", #"{"email":"jane.doe@example.org"}"#,
  ]

  /// What `run` must write for `input`, line by line.
  static func reference(_ input: String, maxLineBytes: Int) -> (output: String, failures: Int) {
    var output = ""
    var failures = 0
    // Split bytes, not Characters: "\r\n" is one Character.
    var parts = Array(input.utf8).split(separator: 0x0A, omittingEmptySubsequences: false).map { Array($0) }
    if parts.last?.isEmpty == true { parts.removeLast() }
    for (index, var bytes) in parts.enumerated() {
      if bytes.count > maxLineBytes {
        output += DetectorError.body(message: "line \(index + 1): longer than \(maxLineBytes) bytes") + "\n"
        failures += 1
        continue
      }
      if bytes.last == 0x0D { bytes.removeLast() }
      guard bytes.contains(where: { ![0x20, 0x09, 0x0D].contains($0) }) else { continue }
      do {
        output += try Detector().detect(json: bytes).json + "\n"
      } catch {
        output += DetectorError.body(message: "line \(index + 1): \(error)") + "\n"
        failures += 1
      }
    }
    return (output, failures)
  }

  static func run(
    _ input: String, _ detection: JSONLinesDetection
  ) throws -> (output: String, summary: JSONLinesSummary) {
    let directory = NSTemporaryDirectory() + "sovren-jsonl-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try input.write(toFile: directory + "/in", atomically: true, encoding: .utf8)
    let inputFile = try FileHandle(forReadingFrom: URL(fileURLWithPath: directory + "/in"))
    _ = FileManager.default.createFile(atPath: directory + "/out", contents: nil)
    let outputFile = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/out"))
    let summary = try detection.run(input: inputFile.fileDescriptor, output: outputFile.fileDescriptor)
    try inputFile.close()
    try outputFile.close()
    return (try String(contentsOfFile: directory + "/out", encoding: .utf8), summary)
  }

  @Test(arguments: [1, 2, 7, 64, 1 << 20])
  func linesAcrossChunkBoundariesGiveTheReferenceOutput(readSize: Int) throws {
    for ending in ["\n", ""] {
      let input = Self.lines.joined(separator: "\n") + ending
      let expected = Self.reference(input, maxLineBytes: 80)
      let detection = JSONLinesDetection(detector: Detector(), maxLineBytes: 80, workers: 1, readSize: readSize)
      let (output, summary) = try Self.run(input, detection)
      #expect(output == expected.output)
      #expect(summary.failures == expected.failures)
      #expect(summary.lines == expected.output.split(separator: "\n").count)
    }
  }

  @Test func aLineOfExactlyTheLimitIsRead() throws {
    let line = #"{"email":"jane.doe@example.org"}"#
    let detection = JSONLinesDetection(detector: Detector(), maxLineBytes: line.utf8.count, workers: 1, readSize: 5)
    let (output, summary) = try Self.run(line + "\n" + line + " \n", detection)
    #expect(summary == JSONLinesSummary(lines: 2, failures: 1))
    #expect(
      output == (try Detector().detect(json: Array(line.utf8)).json) + "\n"
        + DetectorError.body(message: "line 2: longer than \(line.utf8.count) bytes") + "\n")
  }

  @Test func workersKeepTheInputOrder() throws {
    var lines: [String] = []
    for index in 0..<500 {
      switch index % 4 {
      case 0: lines.append(#"{"email":"user\#(index)@example.org","n":\#(index)}"#)
      case 1: lines.append(#"{"card":"4111 1111 1111 1111","id":\#(index)}"#)
      case 2: lines.append(#"{"id":\#(index)"#)
      default: lines.append(#"{"items":[{"ip":"10.0.0.\#(index % 250)"}]}"#)
      }
    }
    let input = lines.joined(separator: "\n") + "\n"
    let expected = Self.reference(input, maxLineBytes: 1 << 20)
    for workers in [1, 2, 4] {
      let (output, summary) = try Self.run(input, JSONLinesDetection(workers: workers))
      #expect(output == expected.output, "workers: \(workers)")
      #expect(summary == JSONLinesSummary(lines: 500, failures: 125))
    }
  }
}
