import ArgumentParser
import Detection
import DetectorService
import Foundation

/// `sovren detect`: detection offline, over JSON Lines.
struct DetectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "detect",
    abstract: "Detect sensitive data in JSON Lines: one document a line in, one result line out.",
    discussion: """
      Each result line is what POST /api/v2/detect answers for that document, in input order. A line \
      that is not JSON, or longer than --max-line-bytes, gets {"error":"line N: …"} in its place and \
      the rest goes on; the exit status is then 1. Blank lines are skipped.
      """)

  @Argument(help: "The JSON Lines file, or - for standard input.")
  var file: String

  @Option(name: .long, help: "Longest line, in bytes; longer lines get an error line.")
  var maxLineBytes = JSONLinesDetection.defaultMaxLineBytes

  @Option(name: .long, help: "Threads detecting at once (the output order stays the input's).")
  var workers = 1

  func validate() throws {
    guard (1...1_073_741_824).contains(maxLineBytes) else {
      throw ValidationError("--max-line-bytes must be a number of bytes from 1 to 1073741824, not \(maxLineBytes)")
    }
    guard (1...256).contains(workers) else {
      throw ValidationError("--workers must be a whole number from 1 to 256, not \(workers)")
    }
  }

  func run() throws {
    let input: Int32
    if file == "-" {
      input = STDIN_FILENO
    } else {
      input = open(file, O_RDONLY)
      guard input >= 0 else {
        throw ValidationError("cannot open \(file): \(String(cString: strerror(errno)))")
      }
    }
    defer { if input != STDIN_FILENO { close(input) } }
    let detection = JSONLinesDetection(maxLineBytes: maxLineBytes, workers: workers)
    let summary: JSONLinesSummary
    do {
      summary = try detection.run(input: input, output: STDOUT_FILENO)
    } catch {
      FileHandle.standardError.write(Data("sovren detect: \(error)\n".utf8))
      throw ExitCode(2)
    }
    if summary.failures > 0 {
      FileHandle.standardError.write(
        Data("sovren detect: \(summary.failures) of \(summary.lines) lines were not documents it could read\n".utf8))
      throw ExitCode.failure
    }
  }
}
