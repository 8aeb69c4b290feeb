import Detection
import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why `sovren detect` could not go on: the input or the output failed (bad documents are not
/// errors here, they get error lines).
public enum JSONLinesError: Error, Sendable, Hashable, CustomStringConvertible {
  case read(errno: Int32)
  case write(errno: Int32)

  public var description: String {
    switch self {
    case .read(let code): "cannot read the input: \(String(cString: strerror(code)))"
    case .write(let code): "cannot write the results: \(String(cString: strerror(code)))"
    }
  }
}

/// What one run read: result lines written, and how many of them are error lines.
public struct JSONLinesSummary: Sendable, Hashable {
  public var lines = 0
  public var failures = 0

  public init(lines: Int = 0, failures: Int = 0) {
    self.lines = lines
    self.failures = failures
  }

  mutating func add(_ other: JSONLinesSummary) {
    lines += other.lines
    failures += other.failures
  }
}

/// Detection over JSON Lines: one document a line in, exactly one result line out per document,
/// in order (`DocumentFindings.json`, or `{"error":"line N: …"}` in its place). Blank lines are
/// not documents and get no result.
///
/// Reads in large chunks into one buffer of `maxLineBytes` + one chunk, finds lines with `memchr`
/// and parses them where they lie; writes through one buffered writer. A line longer than
/// `maxLineBytes` is skipped as it streams past (never held whole) and answered with an error
/// line, so memory stays bounded whatever the input.
public struct JSONLinesDetection: Sendable {
  public var detector: Detector
  public var maxLineBytes: Int
  /// Threads that detect a chunk's lines at once; the output order does not change.
  public var workers: Int
  /// Bytes asked of each `read(2)`; small in tests to move lines across chunk boundaries.
  var readSize: Int

  public static let defaultMaxLineBytes = 1_048_576

  public init(detector: Detector = Detector(), maxLineBytes: Int = Self.defaultMaxLineBytes, workers: Int = 1) {
    self.init(detector: detector, maxLineBytes: maxLineBytes, workers: workers, readSize: 1 << 20)
  }

  init(detector: Detector, maxLineBytes: Int, workers: Int, readSize: Int) {
    self.detector = detector
    self.maxLineBytes = max(1, maxLineBytes)
    self.workers = max(1, workers)
    self.readSize = max(1, readSize)
  }

  /// A line found in the buffer: a document's bytes, or the number of a line that was too long.
  enum Line {
    case document(number: Int, range: Range<Int>)
    case tooLong(number: Int)
  }

  /// Reads `input` to its end and writes one line per document to `output`.
  public func run(input: Int32, output: Int32) throws(JSONLinesError) -> JSONLinesSummary {
    let capacity = maxLineBytes + readSize + 1
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
    defer { buffer.deallocate() }
    var writer = BufferedWriter(descriptor: output)
    var summary = JSONLinesSummary()
    var lines: [Line] = []
    // Unconsumed bytes are buffer[start..<end]; a line over the limit is being skipped.
    var start = 0
    var end = 0
    var lineNumber = 0
    var skipping = false
    while true {
      if capacity - end < readSize {
        if end > start, let base = buffer.baseAddress { memmove(base, base + start, end - start) }
        end -= start
        start = 0
      }
      guard let base = buffer.baseAddress else { return summary }
      let count = read(input, base + end, min(readSize, capacity - end))
      if count < 0 {
        if errno == EINTR { continue }
        throw .read(errno: errno)
      }
      if count == 0 { break }
      var scan = end
      end += count
      lines.removeAll(keepingCapacity: true)
      while scan < end, let found = memchr(base + scan, 0x0A, end - scan) {
        let newline = found.assumingMemoryBound(to: UInt8.self) - base.assumingMemoryBound(to: UInt8.self)
        lineNumber += 1
        if skipping || newline - start > maxLineBytes {
          lines.append(.tooLong(number: lineNumber))
          skipping = false
        } else {
          lines.append(.document(number: lineNumber, range: start..<newline))
        }
        start = newline + 1
        scan = start
      }
      try detect(lines, in: UnsafeRawBufferPointer(buffer), into: &writer, summary: &summary)
      if skipping || end - start > maxLineBytes {
        skipping = true
        start = end
      }
    }
    // The last line may lack its newline.
    lines.removeAll(keepingCapacity: true)
    if skipping {
      lines.append(.tooLong(number: lineNumber + 1))
    } else if end > start {
      lines.append(.document(number: lineNumber + 1, range: start..<end))
    }
    try detect(lines, in: UnsafeRawBufferPointer(buffer), into: &writer, summary: &summary)
    try writer.flush()
    return summary
  }

  /// Detects `lines` in order, over several threads when there are workers and lines enough.
  private func detect(
    _ lines: [Line], in buffer: UnsafeRawBufferPointer, into writer: inout BufferedWriter,
    summary: inout JSONLinesSummary
  ) throws(JSONLinesError) {
    guard !lines.isEmpty else { return }
    let parts = min(workers, lines.count / 16)
    if parts <= 1 {
      for line in lines { detect(line, in: buffer, into: &writer.bytes, summary: &summary) }
      try writer.flushIfFull()
      return
    }
    var outputs = [PartOutput](repeating: PartOutput(), count: parts)
    let shared = SharedInput(lines: lines, buffer: buffer)
    outputs.withUnsafeMutableBufferPointer { outputs in
      let results = SharedOutputs(outputs: outputs)
      DispatchQueue.concurrentPerform(iterations: parts) { part in
        let lower = shared.lines.count * part / parts
        let upper = shared.lines.count * (part + 1) / parts
        var output = PartOutput()
        output.bytes.reserveCapacity((upper - lower) * 256)
        for index in lower..<upper {
          detect(shared.lines[index], in: shared.buffer, into: &output.bytes, summary: &output.summary)
        }
        results.outputs[part] = output
      }
    }
    for output in outputs {
      writer.bytes.append(contentsOf: output.bytes)
      summary.add(output.summary)
      try writer.flushIfFull()
    }
  }

  private func detect(
    _ line: Line, in buffer: UnsafeRawBufferPointer, into output: inout [UInt8], summary: inout JSONLinesSummary
  ) {
    switch line {
    case .tooLong(let number):
      appendError(line: number, "longer than \(maxLineBytes) bytes", to: &output)
      summary.failures += 1
    case .document(let number, var range):
      if range.upperBound > range.lowerBound, buffer[range.upperBound - 1] == 0x0D {
        range = range.lowerBound..<(range.upperBound - 1)
      }
      guard buffer[range].contains(where: { !Self.isWhitespace($0) }) else { return }
      do throws(JSONLeafError) {
        let table = try JSONLeaves.table(of: UnsafeRawBufferPointer(rebasing: buffer[range]))
        detector.appendFindingsJSON(of: table, to: &output)
      } catch {
        appendError(line: number, error.description, to: &output)
        summary.failures += 1
      }
    }
    output.append(0x0A)
    summary.lines += 1
  }

  private func appendError(line: Int, _ reason: String, to output: inout [UInt8]) {
    output.append(contentsOf: DetectorError.body(message: "line \(line): \(reason)").utf8)
  }

  private static func isWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
  }
}

/// One worker's share of a chunk: its result lines and their tally.
private struct PartOutput {
  var bytes: [UInt8] = []
  var summary = JSONLinesSummary()
}

/// The chunk's lines and bytes, read by every worker. Safe to share: nothing writes them while
/// `concurrentPerform` runs.
private struct SharedInput: @unchecked Sendable {
  let lines: [JSONLinesDetection.Line]
  let buffer: UnsafeRawBufferPointer
}

/// The workers' outputs. Safe to share: worker `i` writes element `i` only, and the caller reads
/// them after `concurrentPerform` returns.
private struct SharedOutputs: @unchecked Sendable {
  let outputs: UnsafeMutableBufferPointer<PartOutput>
}

/// Output gathered in memory and written with few `write(2)` calls.
struct BufferedWriter {
  let descriptor: Int32
  var bytes: [UInt8] = []
  static let flushThreshold = 1 << 20

  init(descriptor: Int32) {
    self.descriptor = descriptor
    bytes.reserveCapacity(Self.flushThreshold + 64 * 1024)
  }

  mutating func flushIfFull() throws(JSONLinesError) {
    if bytes.count >= Self.flushThreshold { try flush() }
  }

  mutating func flush() throws(JSONLinesError) {
    var written = 0
    let failure: Int32? = bytes.withUnsafeBytes { bytes in
      while written < bytes.count {
        guard let base = bytes.baseAddress else { return nil }
        let count = write(descriptor, base + written, bytes.count - written)
        if count < 0 {
          if errno == EINTR { continue }
          return errno
        }
        written += count
      }
      return nil
    }
    if let failure { throw .write(errno: failure) }
    bytes.removeAll(keepingCapacity: true)
  }
}
