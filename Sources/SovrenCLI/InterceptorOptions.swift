import ArgumentParser
import Foundation
import Interception

/// The interceptor's limits and filters as command-line options, each with a `SOVREN_…`
/// environment fallback.
struct InterceptorOptions: ParsableArguments {
  @Option(
    name: .long,
    help:
      "Largest body kept, as sent and decoded, and both bodies of a pair together, in bytes (env SOVREN_BODY_LIMIT).")
  var bodyLimit: Int?

  @Option(name: .long, help: "Seconds of packet time a request waits for its response (env SOVREN_RESPONSE_TIMEOUT).")
  var responseTimeout: Double?

  @Option(
    name: .long, parsing: .singleValue,
    help:
      "A request path whose pairs are dropped; repeat for several. Replaces the default list (env SOVREN_EXCLUDE_PATHS, comma-separated)."
  )
  var excludePath: [String] = []

  @Option(name: .long, help: "Largest request/status line plus headers, in bytes (env SOVREN_MAX_HEADER_BYTES).")
  var maxHeaderBytes: Int?

  @Option(name: .long, help: "Connections followed at once (env SOVREN_MAX_CONNECTIONS).")
  var maxConnections: Int?

  @Option(name: .long, help: "Seconds without packets after which a connection is forgotten (env SOVREN_IDLE_TIMEOUT).")
  var idleTimeout: Double?

  @Option(name: .long, help: "Bytes one connection may buffer (env SOVREN_MAX_CONNECTION_BUFFER).")
  var maxConnectionBuffer: Int?

  @Option(name: .long, help: "Bytes all connections together may buffer (env SOVREN_MAX_TOTAL_BUFFER).")
  var maxTotalBuffer: Int?

  @Option(name: .long, help: "Node name stamped on every pair (env SOVREN_NODE_NAME).")
  var node: String?

  func configuration(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws
    -> InterceptorConfiguration
  {
    var configuration = InterceptorConfiguration()
    func integer(_ flag: Int?, _ variable: String) throws -> Int? {
      if let flag { return flag }
      guard let text = environment[variable] else { return nil }
      guard let value = Int(text) else { throw ValidationError("\(variable)=\(text): not an integer") }
      return value
    }
    func seconds(_ flag: Double?, _ variable: String) throws -> Duration? {
      var value = flag
      if value == nil, let text = environment[variable] {
        guard let parsed = Double(text) else { throw ValidationError("\(variable)=\(text): not a number of seconds") }
        value = parsed
      }
      guard let value else { return nil }
      guard value.isFinite, value > 0, value < 1e9 else {
        throw ValidationError("\(variable.lowercased()) \(value): must be a positive number of seconds")
      }
      return .nanoseconds(Int64(value * 1e9))
    }
    if let value = try integer(bodyLimit, "SOVREN_BODY_LIMIT") { configuration.bodyLimit = value }
    if let value = try seconds(responseTimeout, "SOVREN_RESPONSE_TIMEOUT") { configuration.responseTimeout = value }
    if let value = try integer(maxHeaderBytes, "SOVREN_MAX_HEADER_BYTES") { configuration.maxHeaderBytes = value }
    if let value = try integer(maxConnections, "SOVREN_MAX_CONNECTIONS") { configuration.maxConnections = value }
    if let value = try seconds(idleTimeout, "SOVREN_IDLE_TIMEOUT") { configuration.idleTimeout = value }
    if let value = try integer(maxConnectionBuffer, "SOVREN_MAX_CONNECTION_BUFFER") {
      configuration.maxBufferedBytesPerConnection = value
    }
    if let value = try integer(maxTotalBuffer, "SOVREN_MAX_TOTAL_BUFFER") {
      configuration.maxBufferedBytesTotal = value
    }
    var paths = excludePath
    if paths.isEmpty, let text = environment["SOVREN_EXCLUDE_PATHS"] {
      paths = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
    if !paths.isEmpty { configuration.excludedPaths = Set(paths) }
    configuration.node = node ?? environment["SOVREN_NODE_NAME"] ?? ""
    do {
      try configuration.validate()
    } catch {
      throw ValidationError(error.description)
    }
    return configuration
  }
}
