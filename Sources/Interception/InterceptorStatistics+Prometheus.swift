import SovrenModel

extension InterceptorStatistics {
  /// The counters in the Prometheus text exposition format (version 0.0.4). Every drop reason
  /// is listed, zeros included, so a dashboard sees each series from the start.
  public func prometheusText(labels: [String: String] = [:]) -> String {
    let common = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(escaped($0.value))\"" }
    func series(_ extra: [String] = []) -> String {
      let all = common + extra
      return all.isEmpty ? "" : "{" + all.joined(separator: ",") + "}"
    }
    var lines: [String] = []
    func metric(_ name: String, _ type: String, _ help: String, _ values: [(labels: [String], value: String)]) {
      lines.append("# HELP \(name) \(help)")
      lines.append("# TYPE \(name) \(type)")
      for (extra, value) in values { lines.append("\(name)\(series(extra)) \(value)") }
    }
    metric("sovren_interceptor_packets_total", "counter", "Packets read.", [([], "\(packets)")])
    metric(
      "sovren_interceptor_bytes_total", "counter", "Captured bytes read, link headers included.", [([], "\(bytes)")])
    metric(
      "sovren_interceptor_ignored_packets_total", "counter", "Packets that are not TCP over IP.",
      [([], "\(ignoredPackets)")])
    metric("sovren_interceptor_connections_total", "counter", "TCP connections followed.", [([], "\(connectionsSeen)")])
    metric(
      "sovren_interceptor_open_connections", "gauge", "TCP connections followed now.", [([], "\(openConnections)")])
    metric(
      "sovren_interceptor_upgraded_connections_total", "counter",
      "Connections that switched to another protocol (101, CONNECT).", [([], "\(upgradedConnections)")])
    metric("sovren_interceptor_pairs_total", "counter", "Request/response pairs kept.", [([], "\(pairs)")])
    metric(
      "sovren_interceptor_drops_total", "counter", "Things lost or discarded, by reason.",
      DropReason.allCases.map { (["reason=\"\($0.label)\""], "\(drops[$0])") })
    metric("sovren_interceptor_buffered_bytes", "gauge", "Bytes buffered now.", [([], "\(bufferedBytes)")])
    metric(
      "sovren_interceptor_peak_buffered_bytes", "gauge", "Most bytes buffered at once.", [([], "\(peakBufferedBytes)")])
    return lines.joined(separator: "\n") + "\n"
  }
}

private func escaped(_ value: String) -> String {
  var result = ""
  for character in value {
    switch character {
    case "\\": result += "\\\\"
    case "\"": result += "\\\""
    case "\n": result += "\\n"
    default: result.append(character)
    }
  }
  return result
}
