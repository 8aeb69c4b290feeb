import Foundation

/// Runs the independent tools (tcpdump, tshark, python3) the generator is checked against.
enum ExternalTool {
  struct Output {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static func run(_ executable: String, _ arguments: [String], stdin: Data? = nil) throws -> Output {
    // Files rather than pipes: a chatty tool can never block on a full pipe.
    let dir = try temporaryDirectory()
    let outURL = dir.appendingPathComponent("stdout")
    let errURL = dir.appendingPathComponent("stderr")
    let inURL = dir.appendingPathComponent("stdin")
    try (stdin ?? Data()).write(to: inURL)
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable] + arguments
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    process.standardInput = try FileHandle(forReadingFrom: inURL)
    try process.run()
    process.waitUntilExit()
    defer { try? FileManager.default.removeItem(at: dir) }
    return Output(
      status: process.terminationStatus, stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
  }

  /// tshark with the settings the checks rely on; returns one line per matching frame.
  static func tshark(_ path: String, filter: String, fields: [String], options: [String] = []) throws -> [String] {
    var arguments = ["-r", path, "-Y", filter, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|"]
    for option in options { arguments += ["-o", option] }
    for field in fields { arguments += ["-e", field] }
    let output = try run("tshark", arguments)
    guard output.status == 0 else { throw ToolFailure(message: "tshark failed: \(output.stderr)") }
    return output.stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
  }

  struct ToolFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
  }

  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("traffic-synth-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
