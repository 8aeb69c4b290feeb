import ArgumentParser
import Detection
import DetectionCorpus

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// `sovren-detection-lab corpus`: writes the labelled synthetic corpus as JSON Lines.
struct CorpusCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "corpus",
    abstract: "Write the labelled synthetic corpus as JSON Lines.",
    discussion: """
      Each line is {"document":<document>,"labels":{"$.path":["type",...]}}, labels sorted by path \
      and types sorted; with --documents-only each line is the document alone (what `sovren detect` \
      and the Presidio comparison read).
      """)

  @Option(help: "Which split: train or held-out.")
  var split: CorpusSplit

  @Option(help: "How many documents.")
  var count: Int

  @Option(help: "The seed; the same seed and split give the same documents.")
  var seed: UInt64 = 1

  @Option(help: "Write here instead of standard output.")
  var output: String?

  @Flag(help: "Write only the documents, one per line.")
  var documentsOnly = false

  func validate() throws {
    guard count >= 0 else { throw ValidationError("--count must be 0 or more, not \(count).") }
  }

  func run() throws {
    let sink = try LineSink(path: output)
    defer { sink.close() }
    var generator = CorpusGenerator(split: split, seed: seed)
    for _ in 0..<count {
      let document = generator.next()
      try sink.write(documentsOnly ? document.json : Self.line(document))
    }
  }

  /// `{"document":…,"labels":{…}}` with labels sorted by path and types sorted by id.
  static func line(_ document: LabelledDocument) -> String {
    var text = "{\"document\":" + document.json + ",\"labels\":{"
    for (index, path) in document.labels.keys.sorted().enumerated() {
      if index > 0 { text += "," }
      text += jsonString(path) + ":["
      let types = (document.labels[path] ?? []).map(\.id).sorted()
      text += types.map(jsonString).joined(separator: ",")
      text += "]"
    }
    return text + "}}"
  }

  static func jsonString(_ value: String) -> String {
    var text = "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": text += "\\\""
      case "\\": text += "\\\\"
      case "\n": text += "\\n"
      default:
        if scalar.value < 0x20 {
          text += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
        } else {
          text.unicodeScalars.append(scalar)
        }
      }
    }
    return text + "\""
  }
}

extension CorpusSplit: ExpressibleByArgument {}

enum CorpusCommandError: Error, CustomStringConvertible {
  case cannotOpen(path: String, errno: Int32)
  case cannotWrite(path: String, errno: Int32)

  var description: String {
    switch self {
    case .cannotOpen(let path, let errno): "Cannot open \(path) for writing (errno \(errno))."
    case .cannotWrite(let path, let errno): "Cannot write to \(path) (errno \(errno))."
    }
  }
}

/// Buffered lines to a file or standard output, through C stdio (the lab avoids Foundation).
final class LineSink {
  private let file: UnsafeMutablePointer<FILE>
  private let path: String

  init(path: String?) throws {
    if let path {
      guard let file = fopen(path, "w") else { throw CorpusCommandError.cannotOpen(path: path, errno: errno) }
      self.file = file
      self.path = path
    } else {
      // A stream of its own on descriptor 1 (the C `stdout` global is not concurrency-safe).
      guard let file = fdopen(1, "w") else {
        throw CorpusCommandError.cannotOpen(path: "standard output", errno: errno)
      }
      self.file = file
      self.path = "standard output"
    }
  }

  func write(_ line: String) throws {
    guard fputs(line, file) >= 0, fputc(0x0A, file) != EOF else {
      throw CorpusCommandError.cannotWrite(path: path, errno: errno)
    }
  }

  func close() {
    fclose(file)
  }
}
