import ArgumentParser
import Foundation
import SovrenModel
import SovrenProto

enum PairFormat: String, ExpressibleByArgument, CaseIterable {
  case json
  case text
}

/// Writes pairs one a line: the canonical protobuf JSON of `sovren.v1.HttpPair` (JSON Lines),
/// or a readable summary line for people.
final class PairWriter {
  private let file: UnsafeMutablePointer<FILE>?
  private let ownsFile: Bool
  private(set) var written: UInt64 = 0
  private var failure: Int32 = 0
  private let format: PairFormat
  /// The line being written, reused so that a pair costs no allocation once it has grown.
  private var line: [UInt8] = []

  /// - Parameters:
  ///   - path: nil or "-" for standard output.
  ///   - discard: count pairs without writing them.
  init(path: String?, format: PairFormat = .json, discard: Bool, lineBuffered: Bool = false) throws {
    self.format = format
    if discard {
      file = nil
      ownsFile = false
    } else if let path, path != "-" {
      guard let opened = fopen(path, "w") else {
        throw PairWriterError.open(path: path, errno: errno)
      }
      file = opened
      ownsFile = true
    } else {
      // Our own stream on descriptor 1: the C `stdout` global is shared mutable state.
      guard let opened = fdopen(STDOUT_FILENO, "w") else { throw PairWriterError.open(path: "-", errno: errno) }
      file = opened
      ownsFile = true
    }
    // A live source (a pipe from tcpdump) wants each pair out as it completes; a file, big writes.
    if let file { setvbuf(file, nil, lineBuffered ? _IOLBF : _IOFBF, 1 << 20) }
  }

  /// Whether a write failed (and the writer stopped writing).
  var hasFailed: Bool { failure != 0 }

  func write(_ pair: HTTPPair) {
    written += 1
    guard let file, failure == 0 else { return }
    line.removeAll(keepingCapacity: true)
    switch format {
    case .json: pair.appendCanonicalJSON(to: &line)
    case .text: line.append(contentsOf: Self.textLine(pair).utf8)
    }
    line.append(0x0A)
    if fwrite(line, 1, line.count, file) != line.count { failure = errno }
  }

  /// `client → server METHOD target → status reason (request bytes / response bytes, type)`.
  static func textLine(_ pair: HTTPPair) -> String {
    let type =
      pair.response.headers.first(named: "Content-Type") ?? pair.request.headers.first(named: "Content-Type") ?? "-"
    return "\(pair.client) → \(pair.server) \(pair.request.method) \(pair.request.target) → "
      + "\(pair.response.status) \(pair.response.reason) (\(pair.request.body.count) B / \(pair.response.body.count) B, \(type))"
  }

  func close() throws {
    guard let file else { return }
    if fflush(file) != 0 && failure == 0 { failure = errno }
    if ownsFile { fclose(file) }
    if failure != 0 { throw PairWriterError.write(errno: failure) }
  }
}

enum PairWriterError: Error, CustomStringConvertible {
  case open(path: String, errno: Int32)
  case write(errno: Int32)

  var description: String {
    switch self {
    case .open(let path, let code): "cannot open '\(path)' for writing: \(String(cString: strerror(code)))"
    case .write(let code): "writing pairs failed: \(String(cString: strerror(code)))"
    }
  }
}
