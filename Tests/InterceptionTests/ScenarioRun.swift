import Capture
import Foundation
import Interception
import SovrenModel
import TrafficSynth

/// What the interceptor made of one capture file.
struct CaptureResult {
  var pairs: [HTTPPair]
  var statistics: InterceptorStatistics
}

/// Runs a pcap file through real libpcap and the interceptor, the way `sovren capture` does.
func intercept(
  file path: String, configuration: InterceptorConfiguration = InterceptorConfiguration()
) throws
  -> CaptureResult
{
  let handle = try PcapHandle(offlineFile: path)
  guard let linkType = Interception.LinkType(dlt: handle.linkType) else {
    throw TestFailure("unsupported link type \(handle.linkType)")
  }
  var pairs: [HTTPPair] = []
  let interceptor = try Interceptor(configuration: configuration, linkType: linkType) { pairs.append($0) }
  _ = try handle.readPackets { header, bytes in
    interceptor.process(
      packet: bytes, originalLength: header.originalLength, time: PacketTime(nanoseconds: header.timestampNanoseconds))
    return true
  }
  interceptor.finish()
  return CaptureResult(pairs: pairs, statistics: interceptor.statistics)
}

/// Writes a scenario to a temporary pcap and intercepts it with the scenario's limits.
func intercept(_ scenario: Scenario) throws -> CaptureResult {
  let path = temporaryPath("\(scenario.name).pcap")
  defer { try? FileManager.default.removeItem(atPath: path) }
  try scenario.write(to: path)
  return try intercept(file: path, configuration: configuration(for: scenario.limits))
}

func configuration(for limits: ScenarioLimits) -> InterceptorConfiguration {
  var configuration = InterceptorConfiguration()
  configuration.bodyLimit = limits.effectiveBodyLimit
  configuration.responseTimeout = limits.effectiveResponseTimeout
  if let value = limits.maxConnections { configuration.maxConnections = value }
  if let value = limits.maxHeaderBytes { configuration.maxHeaderBytes = value }
  return configuration
}

func temporaryPath(_ name: String) -> String {
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sovren-tests-\(getpid())")
  try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  return directory.appendingPathComponent("\(UUID().uuidString)-\(name)").path
}

struct TestFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// A pair without its timestamps, for captures whose times are not exact.
func withoutTimes(_ pair: HTTPPair) -> HTTPPair {
  var copy = pair
  copy.requestTime = PacketTime(nanoseconds: 0)
  copy.responseTime = PacketTime(nanoseconds: 0)
  return copy
}

/// A stable order for comparing pairs as multisets.
func sortKey(_ pair: HTTPPair) -> String {
  "\(pair.client) \(pair.server) \(pair.responseTime.nanoseconds) \(pair.request.method) \(pair.request.target) \(pair.response.status) \(pair.request.body.count) \(pair.response.body.count)"
}

/// One line that tells two pairs apart in a failure message.
func describe(_ pair: HTTPPair) -> String {
  "\(pair.client)→\(pair.server) \(pair.request.method) \(pair.request.target) → \(pair.response.status) "
    + "(\(pair.request.body.count)/\(pair.response.body.count) body bytes)"
}
