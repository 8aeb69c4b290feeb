/// Why the interceptor lost or discarded something. Every drop is counted under exactly one
/// reason, so loss is visible per layer. `label` is the `reason` label of the
/// `sovren_interceptor_drops_total` counter and never changes once published.
public enum DropReason: Int, CaseIterable, Sendable, Comparable {
  // Packet layer: one count per packet.
  /// The captured bytes end before the headers they announce (snap length, bogus lengths).
  case truncatedPacket
  /// An IP or TCP header that cannot be valid (bad version, header length, data offset).
  case malformedPacket
  /// An IPv4 or IPv6 fragment: reassembling IP fragments is not supported.
  case ipFragment

  // TCP layer: one count per message (or connection) lost.
  /// Bytes that were never captured: the message they fall in is dropped.
  case streamGap
  /// A new connection when the connection table is full.
  case connectionLimit
  /// A connection tried to buffer more than its per-connection cap.
  case connectionBufferLimit
  /// Buffering would exceed the interceptor's total cap.
  case totalBufferLimit

  // HTTP layer: one count per message.
  /// Stream bytes that are not HTTP/1.x, skipped until the next message start.
  case notHTTP
  /// A message that starts as HTTP but breaks its grammar (bad header, chunk size, lengths).
  case malformedHTTP
  /// A request or status line plus headers longer than the header limit.
  case headerTooLarge
  /// A body, as sent (de-chunked, still compressed), over the size limit.
  case bodyTooLarge
  /// A body that decodes to more than the size limit.
  case decodedBodyTooLarge
  /// Request and response bodies together, as sent, over the size limit.
  case pairTooLarge
  /// A `Content-Encoding` other than gzip, deflate or identity.
  case unsupportedEncoding
  /// A gzip or deflate body that does not decode.
  case corruptEncoding
  /// A message cut short by a reset, an idle expiry or the end of the capture.
  case incompleteMessage
  /// More pipelined requests waiting on one connection than the pending limit.
  case tooManyPending

  // Pairing: one count per request or response.
  /// A request whose response did not complete within the response timeout.
  case responseTimeout
  /// A request still waiting when its connection closed or the capture ended.
  case unansweredRequest
  /// A response with no request to pair with (late, or its request was never seen).
  case unmatchedResponse

  // Filters: one count per pair.
  /// Neither half carries a JSON or form content type.
  case contentType
  /// `User-Agent: kube-probe/…`.
  case kubeProbe
  /// An `X-Sovren-Request` or `X-Soveren-Request` header: our own traffic.
  case sovrenRequest
  /// Status 301, 308, 4xx or 5xx.
  case status
  /// A request path on the excluded list (`/metrics`, `/healthz`, …).
  case excludedPath

  public static func < (a: DropReason, b: DropReason) -> Bool {
    a.rawValue < b.rawValue
  }

  /// The stable, snake_case name used in metrics and summaries.
  public var label: String {
    switch self {
    case .truncatedPacket: "truncated_packet"
    case .malformedPacket: "malformed_packet"
    case .ipFragment: "ip_fragment"
    case .streamGap: "stream_gap"
    case .connectionLimit: "connection_limit"
    case .connectionBufferLimit: "connection_buffer_limit"
    case .totalBufferLimit: "total_buffer_limit"
    case .notHTTP: "not_http"
    case .malformedHTTP: "malformed_http"
    case .headerTooLarge: "header_too_large"
    case .bodyTooLarge: "body_too_large"
    case .decodedBodyTooLarge: "decoded_body_too_large"
    case .pairTooLarge: "pair_too_large"
    case .unsupportedEncoding: "unsupported_encoding"
    case .corruptEncoding: "corrupt_encoding"
    case .incompleteMessage: "incomplete_message"
    case .tooManyPending: "too_many_pending"
    case .responseTimeout: "response_timeout"
    case .unansweredRequest: "unanswered_request"
    case .unmatchedResponse: "unmatched_response"
    case .contentType: "content_type"
    case .kubeProbe: "kube_probe"
    case .sovrenRequest: "sovren_request"
    case .status: "status"
    case .excludedPath: "excluded_path"
    }
  }

  public init?(label: String) {
    guard let reason = DropReason.allCases.first(where: { $0.label == label }) else { return nil }
    self = reason
  }
}

/// Counts of drops by reason, cheap to bump on the hot path.
public struct DropCounts: Sendable, Equatable {
  private var counts: [UInt64]

  public init() {
    counts = Array(repeating: 0, count: DropReason.allCases.count)
  }

  public subscript(reason: DropReason) -> UInt64 {
    get { counts[reason.rawValue] }
    set { counts[reason.rawValue] = newValue }
  }

  public mutating func record(_ reason: DropReason, count: UInt64 = 1) {
    counts[reason.rawValue] &+= count
  }

  public var total: UInt64 { counts.reduce(0, &+) }

  /// The reasons with a non-zero count, in declaration order.
  public var nonZero: [(reason: DropReason, count: UInt64)] {
    DropReason.allCases.compactMap { counts[$0.rawValue] > 0 ? ($0, counts[$0.rawValue]) : nil }
  }

  public static func + (a: DropCounts, b: DropCounts) -> DropCounts {
    var sum = a
    for reason in DropReason.allCases { sum.record(reason, count: b[reason]) }
    return sum
  }
}
