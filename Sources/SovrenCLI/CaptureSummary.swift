import Foundation
import Interception
import SovrenModel

/// The human summary `sovren capture` prints to standard error.
struct CaptureSummary {
  var statistics: InterceptorStatistics
  var elapsed: Duration
  var warning: String?

  var text: String {
    let seconds = max(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, 1e-9)
    let s = statistics
    var lines: [String] = []
    if let warning { lines.append("warning: \(warning)") }
    lines.append(
      "packets: \(s.packets) (\(s.tcpSegments) TCP, \(s.ignoredPackets) not TCP), bytes: \(s.bytes), connections: \(s.connectionsSeen)"
    )
    lines.append("pairs kept: \(s.pairs)")
    let drops = s.drops.nonZero
    if drops.isEmpty {
      lines.append("drops: none")
    } else {
      lines.append("drops: \(s.drops.total)")
      for (reason, count) in drops { lines.append("  \(reason.label): \(count)") }
    }
    if s.upgradedConnections > 0 { lines.append("connections switched to another protocol: \(s.upgradedConnections)") }
    lines.append(
      String(
        format: "elapsed: %.3f s, %.3f Gbit/s, %.0f packets/s, %.0f pairs/s, peak buffered: %d bytes",
        seconds, Double(s.bytes) * 8 / seconds / 1e9, Double(s.packets) / seconds, Double(s.pairs) / seconds,
        s.peakBufferedBytes))
    return lines.joined(separator: "\n") + "\n"
  }
}
