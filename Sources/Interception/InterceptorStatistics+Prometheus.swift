import SovrenModel

extension InterceptorStatistics {
  /// The counters in the Prometheus text exposition format (version 0.0.4). Every drop reason
  /// is listed, zeros included, so a dashboard sees each series from the start.
  public func prometheusText(labels: [String: String] = [:]) -> String {
    var text = PrometheusText(labels: labels)
    text.metric("sovren_interceptor_packets_total", "counter", "Packets read.", packets)
    text.metric(
      "sovren_interceptor_bytes_total", "counter", "Captured bytes read, link headers included.", bytes)
    text.metric(
      "sovren_interceptor_ignored_packets_total", "counter", "Packets that are not TCP over IP.", ignoredPackets)
    text.metric("sovren_interceptor_connections_total", "counter", "TCP connections followed.", connectionsSeen)
    text.metric("sovren_interceptor_open_connections", "gauge", "TCP connections followed now.", openConnections)
    text.metric(
      "sovren_interceptor_upgraded_connections_total", "counter",
      "Connections that switched to another protocol (101, CONNECT).", upgradedConnections)
    text.metric("sovren_interceptor_pairs_total", "counter", "Request/response pairs kept.", pairs)
    text.metric(
      "sovren_interceptor_drops_total", "counter", "Things lost or discarded, by reason.",
      DropReason.allCases.map { (["reason": $0.label], "\(drops[$0])") })
    text.metric("sovren_interceptor_buffered_bytes", "gauge", "Bytes buffered now.", bufferedBytes)
    text.metric("sovren_interceptor_peak_buffered_bytes", "gauge", "Most bytes buffered at once.", peakBufferedBytes)
    return text.text
  }
}
