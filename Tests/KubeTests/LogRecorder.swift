import Logging
import Synchronization

/// Keeps what a `Logger` was told, so a test can see what a long-running part did inside (which
/// resourceVersion a watch started from, that a bookmark arrived) without hooks in the code.
final class LogRecorder: Sendable {
  struct Entry: Sendable {
    var level: Logger.Level
    var message: String
    var metadata: [String: String]
  }

  private let entries = Mutex<[Entry]>([])

  /// A logger at `trace` level whose every line lands here.
  func logger(label: String = "kube-test") -> Logger {
    var logger = Logger(label: label) { _ in Handler(recorder: self) }
    logger.logLevel = .trace
    return logger
  }

  var all: [Entry] { entries.withLock { $0 } }

  /// The entries with this message, oldest first.
  func entries(_ message: String) -> [Entry] { all.filter { $0.message == message } }

  /// The value of `key` in each entry with `message`, oldest first.
  func values(_ key: String, of message: String) -> [String] { entries(message).compactMap { $0.metadata[key] } }

  fileprivate func record(_ entry: Entry) { entries.withLock { $0.append(entry) } }

  private struct Handler: LogHandler {
    let recorder: LogRecorder
    var logLevel = Logger.Level.trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
      get { metadata[key] }
      set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
      var merged = metadata
      if let extra = event.metadata { merged.merge(extra) { _, new in new } }
      recorder.record(
        Entry(
          level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
    }
  }
}
