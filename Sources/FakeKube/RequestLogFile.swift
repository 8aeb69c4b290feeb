import KubeModel
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Appends request log entries to a file as JSON Lines, one line per request as it is recorded:
/// pass `append` as a `RequestLog`'s `onRecord`. Each line is one `write` to a file opened with
/// `O_APPEND`, so a reader tailing the file never sees half a line from a finished write.
public final class RequestLogFile: Sendable {
  /// The file could not be opened for appending.
  public struct OpenError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String

    public var description: String { "cannot open the request log \(path) for appending: \(reason)" }
  }

  private struct State {
    var descriptor: Int32
    var failedWrites = 0
    var lastError: String?
  }

  public let path: String
  private let state: Mutex<State>

  /// Opens `path` for appending, creating it (mode 0644) when it does not exist.
  public init(path: String) throws(OpenError) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw OpenError(path: path, reason: String(cString: strerror(errno))) }
    self.path = path
    state = Mutex(State(descriptor: descriptor))
  }

  deinit {
    state.withLock { state in
      if state.descriptor >= 0 { _ = closeDescriptor(state.descriptor) }
    }
  }

  /// Writes `entry` as one line. A failed write is counted in `failedWrites`, not thrown: the
  /// server keeps answering requests when its log's disk is full.
  public func append(_ entry: RequestLog.Entry) {
    let line = Array((entry.json.serialized + "\n").utf8)
    state.withLock { state in
      guard state.descriptor >= 0 else { return }
      var written = 0
      while written < line.count {
        let result = line.withUnsafeBytes { bytes in
          write(state.descriptor, bytes.baseAddress.map { $0 + written }, line.count - written)
        }
        if result < 0, errno == EINTR { continue }
        guard result > 0 else {
          state.failedWrites += 1
          state.lastError = String(cString: strerror(errno))
          return
        }
        written += result
      }
    }
  }

  /// Lines that could not be written, and why the last one failed.
  public var failedWrites: (count: Int, lastError: String?) {
    state.withLock { ($0.failedWrites, $0.lastError) }
  }

  /// Closes the file; later appends are dropped.
  public func close() {
    state.withLock { state in
      if state.descriptor >= 0 { _ = closeDescriptor(state.descriptor) }
      state.descriptor = -1
    }
  }
}

/// `close(2)`, named apart from `RequestLogFile.close()`.
private func closeDescriptor(_ descriptor: Int32) -> Int32 {
  #if canImport(Glibc)
    Glibc.close(descriptor)
  #else
    Darwin.close(descriptor)
  #endif
}
