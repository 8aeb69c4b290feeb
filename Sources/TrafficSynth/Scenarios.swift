import SovrenModel

/// The catalogue of scenarios: every behaviour of the interceptor contract, each in a small
/// capture with exact ground truth.
public enum Scenarios {
  /// Every scenario, built fresh.
  public static var all: [Scenario] { builders.map { $0.build() } }

  /// The builders behind `all`, so tests can check that none reported a problem.
  public static var builders: [ScenarioBuilder] {
    [
      keepAliveInterleaved(), contentLength(), chunked(), gzip(), deflate(), closeDelimited(), http10(),
      expectContinue(), interimResponses(), bodilessResponses(), pipelining(),
      filterContentType(), formURLEncoded(), problemJSON(), filterKubeProbe(), filterSovrenRequest(), filterStatus(),
      filterExcludedPaths(), targetForms(), foldedAndDuplicateHeaders(),
      sizeLimitRequest(), sizeLimitResponse(), sizeLimitDecoded(), sizeLimitPair(), sizeLimitDefault(),
      responseTimeout(), responseTimeoutCustom(),
      outOfOrder(), retransmissions(), overlappingSegments(), sequenceWraparound(), lostSegmentRequest(),
      lostSegmentResponse(), midStreamStart(), resetMidRequest(), pendingAtEnd(), snapLengthTruncation(), ipFragments(),
      offloadedChecksums(),
      ipv6(), vlan(), qinq(), linuxCooked(), linuxCooked2(), rawIP(), nullLoopback(), nullLoopbackLinuxFamily(),
      loopLoopback(),
      loopLoopbackLinuxFamily(), ipv4Options(),
      nanosecondTimestamps(), notHTTP(), malformedHTTP(),
    ]
  }

  /// The scenario called `name`, if any.
  public static func named(_ name: String) -> Scenario? {
    all.first { $0.name == name }
  }
}
