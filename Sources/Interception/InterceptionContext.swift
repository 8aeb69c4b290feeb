import SovrenModel

/// State every connection of one interceptor shares: configuration, counters, the buffer
/// budget and where pairs go. One per interceptor; used from one thread.
final class InterceptionContext {
  let configuration: InterceptorConfiguration
  let responseTimeoutNanoseconds: Int64
  var drops = DropCounts()
  var pairsEmitted: UInt64 = 0
  var upgradedConnections: UInt64 = 0
  /// Bytes held by all connections: out-of-order segments, bodies, waiting requests.
  var bufferedBytes = 0
  var peakBufferedBytes = 0
  let emit: (HTTPPair) -> Void

  init(configuration: InterceptorConfiguration, emit: @escaping (HTTPPair) -> Void) {
    self.configuration = configuration
    self.emit = emit
    responseTimeoutNanoseconds = configuration.responseTimeout.nanosecondCount
  }

  @inline(__always)
  func drop(_ reason: DropReason) {
    drops.record(reason)
  }
}
