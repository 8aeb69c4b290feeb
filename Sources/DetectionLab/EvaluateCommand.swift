import ArgumentParser
import Detection
import DetectionCorpus
import Foundation

/// `sovren-detection-lab evaluate`: scores one or more systems' results (Sovren's detector, the
/// Presidio baseline, …) against a labelled corpus, side by side. The files are read line by
/// line in step, so memory stays bounded by the longest line.
struct EvaluateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evaluate",
    abstract: "Score detection results against a labelled corpus, per type and micro-averaged.",
    discussion: """
      The corpus is JSON Lines of {"document": …, "labels": {"$.path": ["type", …]}}; each \
      predictions file has one result line per document, in the same order, in the detector \
      contract's format ({"fields": [{"path": …, "types": […]}, …]}); an {"error": …} line \
      counts as no predictions. Blank lines are skipped in every file.
      """)

  @Option(help: "The labelled corpus (JSON Lines).")
  var corpus: String

  @Option(
    name: .customLong("predictions"),
    help: ArgumentHelp("A system's results: NAME=FILE. Repeat for several systems.", valueName: "NAME=FILE"))
  var predictions: [String]

  @Flag(help: "Print the table as Markdown instead of aligned text.")
  var markdown = false

  func validate() throws {
    guard !predictions.isEmpty else { throw ValidationError("Give at least one --predictions NAME=FILE.") }
    for option in predictions where Self.system(option) == nil {
      throw ValidationError("--predictions '\(option)' is not NAME=FILE with a non-empty name and file.")
    }
  }

  static func system(_ option: String) -> (name: String, file: String)? {
    guard let equals = option.firstIndex(of: "=") else { return nil }
    let name = String(option[..<equals])
    let file = String(option[option.index(after: equals)...])
    return name.isEmpty || file.isEmpty ? nil : (name, file)
  }

  func run() throws {
    let systems = predictions.compactMap(Self.system)
    var labelsReader = try LineReader(path: corpus)
    var readers = try systems.map { try LineReader(path: $0.file) }
    var boards = Array(repeating: Scoreboard(), count: systems.count)
    var documents = 0
    while let line = try labelsReader.next() {
      documents += 1
      let labels: [String: Set<DataType>]
      do { labels = try ScoringLine.labels(line) } catch {
        throw EvaluationError.badLine(file: corpus, line: labelsReader.lineNumber, error)
      }
      for index in systems.indices {
        guard let result = try readers[index].next() else {
          throw try EvaluationError.lineCountsDiffer(
            corpus: corpus, corpusLines: labelsReader.countToEnd(), predictions: systems[index].file,
            predictionLines: readers[index].countToEnd())
        }
        let prediction: Prediction
        do { prediction = try ScoringLine.prediction(result) } catch {
          throw EvaluationError.badLine(file: systems[index].file, line: readers[index].lineNumber, error)
        }
        boards[index].add(labels: labels, prediction: prediction)
      }
    }
    for index in systems.indices where try readers[index].next() != nil {
      throw try EvaluationError.lineCountsDiffer(
        corpus: corpus, corpusLines: documents, predictions: systems[index].file,
        predictionLines: readers[index].countToEnd())
    }

    let named = zip(systems, boards).map { (name: $0.name, board: $1) }
    print("\(documents) documents; triples are (document, path, type); support = labelled triples.\n")
    print(Scoreboard.table(named, markdown: markdown))
    for system in named { print(system.board.summary(name: system.name)) }
  }

}

enum EvaluationError: Error, CustomStringConvertible {
  case unreadable(file: String, reason: String)
  case lineTooLong(file: String, line: Int)
  case badLine(file: String, line: Int, ScoringError)
  case lineCountsDiffer(corpus: String, corpusLines: Int, predictions: String, predictionLines: Int)

  var description: String {
    switch self {
    case .unreadable(let file, let reason): "Cannot read \(file): \(reason)."
    case .lineTooLong(let file, let line):
      "\(file) line \(line) is longer than \(LineReader.maximumLineLength) bytes."
    case .badLine(let file, let line, let error): "\(file) line \(line): \(error)"
    case .lineCountsDiffer(let corpus, let corpusLines, let predictions, let predictionLines):
      "\(corpus) has \(corpusLines) documents but \(predictions) has \(predictionLines) result lines; "
        + "a predictions file needs one line per document, in the corpus's order."
    }
  }
}

/// Non-blank lines of a file, read in chunks: memory is bounded by the longest line.
struct LineReader {
  static let maximumLineLength = 64 << 20
  static let chunkSize = 1 << 20

  let path: String
  let handle: FileHandle
  var buffer: [UInt8] = []
  var start = 0
  var atEnd = false
  /// The 1-based number of the last line returned (blank lines count).
  private(set) var lineNumber = 0
  /// Non-blank lines returned so far.
  private(set) var count = 0

  init(path: String) throws {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw EvaluationError.unreadable(file: path, reason: "no such file, or not readable")
    }
    self.path = path
    self.handle = handle
  }

  /// The next non-blank line without its newline, or nil at the end of the file.
  mutating func next() throws -> ArraySlice<UInt8>? {
    while true {
      guard let line = try nextLine() else { return nil }
      lineNumber += 1
      if !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
        count += 1
        return line
      }
    }
  }

  /// Reads to the end: the number of non-blank lines in the file.
  mutating func countToEnd() throws -> Int {
    while try next() != nil {}
    return count
  }

  private mutating func nextLine() throws -> ArraySlice<UInt8>? {
    var searchFrom = start
    while true {
      if let newline = buffer[searchFrom...].firstIndex(of: 0x0A) {
        let line = buffer[start..<newline]
        start = newline + 1
        return line
      }
      if atEnd {
        guard start < buffer.count else { return nil }
        let line = buffer[start...]
        start = buffer.count
        return line
      }
      guard buffer.count - start <= Self.maximumLineLength else {
        throw EvaluationError.lineTooLong(file: path, line: lineNumber + 1)
      }
      buffer.removeSubrange(..<start)
      start = 0
      searchFrom = buffer.count
      let chunk: Data?
      do { chunk = try handle.read(upToCount: Self.chunkSize) } catch {
        throw EvaluationError.unreadable(file: path, reason: "\(error)")
      }
      if let chunk, !chunk.isEmpty { buffer.append(contentsOf: chunk) } else { atEnd = true }
    }
  }
}
