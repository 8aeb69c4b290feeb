/// Limits and filters of the interceptor. The defaults are the design's; every field is a
/// `sovren capture` option.
public struct InterceptorConfiguration: Sendable, Equatable {
  /// Bytes allowed for each body as sent, each body decoded, and both sent bodies together.
  public var bodyLimit: Int = 1_048_576
  /// A request whose response has not completed within this much packet time is abandoned.
  public var responseTimeout: Duration = .seconds(30)
  /// Request paths (query ignored) whose pairs are dropped.
  public var excludedPaths: Set<String> = InterceptorConfiguration.defaultExcludedPaths
  /// A request or status line plus its headers (or a trailer section) may not be longer.
  public var maxHeaderBytes: Int = 64 * 1024
  /// Connections tracked at once; new ones beyond it are not followed.
  public var maxConnections: Int = 65_536
  /// A connection without packets for this long is forgotten.
  public var idleTimeout: Duration = .seconds(300)
  /// Bytes one connection may hold: out-of-order segments, partial messages, waiting requests.
  public var maxBufferedBytesPerConnection: Int = 4 * 1_048_576
  /// Bytes all connections together may hold.
  public var maxBufferedBytesTotal: Int = 64 * 1_048_576
  /// Pipelined requests waiting for responses on one connection.
  public var maxPendingRequests: Int = 32
  /// Name of the node that captured, stamped on every pair.
  public var node: String = ""
  /// Interface or file the packets came from, stamped on every pair.
  public var interface: String = ""

  public static let defaultExcludedPaths: Set<String> = [
    "/metrics", "/healthz", "/api/health", "/api/v2/alive", "/api/v2/detect",
  ]

  public init() {}

  /// Checks the values make sense together; the error names the option at fault.
  public func validate() throws(ConfigurationError) {
    func positive(_ value: Int, _ name: String) throws(ConfigurationError) {
      guard value > 0 else { throw .invalid(option: name, value: String(value), reason: "must be positive") }
    }
    try positive(bodyLimit, "body-limit")
    try positive(maxHeaderBytes, "max-header-bytes")
    try positive(maxConnections, "max-connections")
    try positive(maxBufferedBytesPerConnection, "max-connection-buffer")
    try positive(maxBufferedBytesTotal, "max-total-buffer")
    try positive(maxPendingRequests, "max-pending-requests")
    guard responseTimeout > .zero else {
      throw .invalid(option: "response-timeout", value: "\(responseTimeout)", reason: "must be positive")
    }
    guard idleTimeout > .zero else {
      throw .invalid(option: "idle-timeout", value: "\(idleTimeout)", reason: "must be positive")
    }
    guard maxBufferedBytesTotal >= maxBufferedBytesPerConnection else {
      throw .invalid(
        option: "max-total-buffer", value: String(maxBufferedBytesTotal),
        reason: "must be at least max-connection-buffer (\(maxBufferedBytesPerConnection))")
    }
    for path in excludedPaths where !path.hasPrefix("/") {
      throw .invalid(option: "exclude-path", value: path, reason: "must start with '/'")
    }
  }
}

public enum ConfigurationError: Error, CustomStringConvertible, Equatable {
  case invalid(option: String, value: String, reason: String)

  public var description: String {
    switch self {
    case .invalid(let option, let value, let reason): "--\(option) \(value): \(reason)"
    }
  }
}
