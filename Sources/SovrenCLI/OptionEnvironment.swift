import ArgumentParser
import Foundation
import Logging

/// What every role's options share: a flag's value, or else its environment variable's, with the
/// name to blame in a message (`--listen` or `SOVREN_DETECTOR_LISTEN`), and the checks more than
/// one role makes (`host:port`, the log level).
struct OptionEnvironment {
  let environment: [String: String]

  /// The flag's value if given, else the variable's when set and not empty, with where it came from.
  func given(_ flag: String?, _ option: String, _ variable: String) -> (text: String, source: String)? {
    if let flag { return (flag, option) }
    if let text = environment[variable], !text.isEmpty { return (text, variable) }
    return nil
  }

  /// `--log-level` or `SOVREN_LOG_LEVEL`, nil when neither is given.
  func logLevel(_ flag: String?) throws -> Logger.Level? {
    guard let (text, source) = given(flag, "--log-level", "SOVREN_LOG_LEVEL") else { return nil }
    guard let level = Logger.Level(rawValue: text.lowercased()) else {
      throw ValidationError(
        "\(source) must be one of trace, debug, info, notice, warning, error, critical, not \(text)")
    }
    return level
  }

  /// `HOST:PORT` (port 0–65535; an IPv6 host may be bracketed), or a message naming the source
  /// with `example` as a valid value.
  static func hostPort(_ text: String, source: String, example: String) throws -> (host: String, port: Int) {
    guard let colon = text.lastIndex(of: ":"), colon != text.startIndex,
      let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port)
    else { throw ValidationError("\(source) must be host:port, such as \(example), not \(text)") }
    return (String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port)
  }
}

/// swift-log to standard error at `level`, once per process.
func bootstrapLogging(level: Logger.Level) {
  LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = level
    return handler
  }
}
