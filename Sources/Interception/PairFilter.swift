import SovrenModel

/// The design's relevance rules: which pairs are not worth sending on. Decided as early as the
/// heads allow, so that bodies of dropped pairs are never buffered.
enum PairFilter {
  /// What the request head alone rules out.
  static func requestDropReason(_ head: MessageHead, excludedPaths: Set<String>) -> DropReason? {
    if head.hasSovrenHeader { return .sovrenRequest }
    if head.isKubeProbe { return .kubeProbe }
    if case .request(_, let target) = head.kind, excludedPaths.contains(path(of: target)) {
      return .excludedPath
    }
    return nil
  }

  /// What the response head rules out, given its request's head.
  static func responseDropReason(_ head: MessageHead, request: MessageHead?) -> DropReason? {
    if head.hasSovrenHeader { return .sovrenRequest }
    if let status = head.status, status == 301 || status == 308 || (400..<600).contains(status) {
      return .status
    }
    if !head.hasJSONOrFormContentType && !(request?.hasJSONOrFormContentType ?? false) {
      return .contentType
    }
    return nil
  }

  /// The path of a request target: origin form (`/a?b`) or absolute form
  /// (`http://host/a?b`), without query or fragment.
  static func path(of target: String) -> String {
    var target = target
    return target.withUTF8 { bytes in
      var start = 0
      if bytes.first != UInt8(ascii: "/") {
        // Absolute form: skip "scheme://authority".
        guard let schemeEnd = bytes.firstRange(of: "://".utf8) else { return String(decoding: bytes, as: UTF8.self) }
        let authority = schemeEnd.upperBound
        guard let slash = bytes[authority...].firstIndex(of: UInt8(ascii: "/")) else { return "/" }
        start = slash
      }
      let end =
        bytes[start...].firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? bytes.count
      return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }
  }
}
