import SovrenModel

/// How many drops of one reason a scenario expects. Exact wherever the contract defines the
/// count; `atLeast` only for hostile input where a parser may legitimately split differently.
public enum ExpectedCount: Sendable, Hashable, CustomStringConvertible {
  case exactly(UInt64)
  case atLeast(UInt64)

  /// Whether an observed count satisfies the expectation.
  public func matches(_ count: UInt64) -> Bool {
    switch self {
    case .exactly(let expected): count == expected
    case .atLeast(let minimum): count >= minimum
    }
  }

  public var description: String {
    switch self {
    case .exactly(let count): "\(count)"
    case .atLeast(let count): ">= \(count)"
    }
  }

  func adding(_ count: UInt64) -> ExpectedCount {
    switch self {
    case .exactly(let value): .exactly(value + count)
    case .atLeast(let value): .atLeast(value + count)
    }
  }
}

/// Interceptor limits a scenario needs; nil means the interceptor's default.
public struct ScenarioLimits: Sendable, Hashable {
  /// Size limit for bodies (each as sent, each decoded, both sent together), in bytes.
  public var bodyLimit: Int?
  public var responseTimeout: Duration?
  public var maxConnections: Int?
  public var maxHeaderBytes: Int?

  public init(
    bodyLimit: Int? = nil, responseTimeout: Duration? = nil, maxConnections: Int? = nil, maxHeaderBytes: Int? = nil
  ) {
    self.bodyLimit = bodyLimit
    self.responseTimeout = responseTimeout
    self.maxConnections = maxConnections
    self.maxHeaderBytes = maxHeaderBytes
  }

  public static let defaults = ScenarioLimits()
  public static let defaultBodyLimit = 1_048_576
  public static let defaultResponseTimeout = Duration.seconds(30)

  public var effectiveBodyLimit: Int { bodyLimit ?? Self.defaultBodyLimit }
  public var effectiveResponseTimeout: Duration { responseTimeout ?? Self.defaultResponseTimeout }
}

/// What the interceptor must do with a complete, cleanly captured exchange.
public enum PairVerdict: Sendable, Hashable {
  case kept
  case dropped(DropReason)
  /// More than one rule applies, so an implementation could count any of them: scenarios
  /// must not contain such exchanges.
  case ambiguous([DropReason])
}

/// The contract's filter and size rules, written independently of the interceptor so that
/// generated traffic can be its oracle.
public enum PairRules {
  /// Paths dropped whatever their query string.
  public static let excludedPaths: Set<String> = [
    "/metrics", "/healthz", "/api/health", "/api/v2/alive", "/api/v2/detect",
  ]

  public static func verdict(for exchange: ExchangeRecord, limits: ScenarioLimits = .defaults) -> PairVerdict {
    let limit = limits.effectiveBodyLimit
    var reasons: [DropReason] = []

    func sizeReason(_ message: EncodedMessage) -> DropReason? {
      if message.sentBodyLength > limit { return .bodyTooLarge }
      if message.decodedBody.count > limit { return .decodedBodyTooLarge }
      return nil
    }
    let requestSize = sizeReason(exchange.request)
    let responseSize = sizeReason(exchange.response)
    if let requestSize { reasons.append(requestSize) }
    if let responseSize { reasons.append(responseSize) }
    if requestSize == nil && responseSize == nil
      && exchange.request.sentBodyLength + exchange.response.sentBodyLength > limit
    {
      reasons.append(.pairTooLarge)
    }
    let sized = !reasons.isEmpty

    let request = exchange.pair.request
    let response = exchange.pair.response
    if request.headers.contains(where: {
      $0.name.asciiCaseInsensitiveEquals("User-Agent") && $0.value.hasPrefix("kube-probe/")
    }) {
      reasons.append(.kubeProbe)
    }
    if (request.headers + response.headers).contains(where: {
      $0.name.asciiCaseInsensitiveEquals("X-Sovren-Request") || $0.name.asciiCaseInsensitiveEquals("X-Soveren-Request")
    }) {
      reasons.append(.sovrenRequest)
    }
    if response.status == 301 || response.status == 308 || (400...599).contains(response.status) {
      reasons.append(.status)
    }
    if excludedPaths.contains(path(of: request.target)) {
      reasons.append(.excludedPath)
    }
    let hasContent = hasAcceptedContentType(request.headers) || hasAcceptedContentType(response.headers)
    if reasons.count > 1 || (sized && !hasContent) {
      return .ambiguous(reasons + (hasContent ? [] : [.contentType]))
    }
    if let reason = reasons.first { return .dropped(reason) }
    return hasContent ? .kept : .dropped(.contentType)
  }

  /// The path of an origin-form or absolute-form target, without the query.
  public static func path(of target: String) -> String {
    var rest = Substring(target)
    if !rest.hasPrefix("/"), let colon = rest.firstIndex(of: ":"), rest[colon...].hasPrefix("://") {
      let authority = rest[rest.index(colon, offsetBy: 3)...]
      rest = authority.firstIndex(where: { $0 == "/" || $0 == "?" }).map { authority[$0...] } ?? "/"
      if rest.hasPrefix("?") { rest = "/" }
    }
    if let query = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<query] }
    return String(rest)
  }

  /// `application/json`, `application/*+json` or `application/x-www-form-urlencoded`,
  /// parameters ignored, case-insensitive.
  public static func isAcceptedContentType(_ value: String) -> Bool {
    let media = HeaderLine.trimmed(String(value.split(separator: ";", maxSplits: 1).first ?? "")).lowercased()
    return media == "application/json" || media == "application/x-www-form-urlencoded"
      || (media.hasPrefix("application/") && media.hasSuffix("+json"))
  }

  static func hasAcceptedContentType(_ headers: [HTTPHeader]) -> Bool {
    headers.contains { $0.name.asciiCaseInsensitiveEquals("Content-Type") && isAcceptedContentType($0.value) }
  }
}
