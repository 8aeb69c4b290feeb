import SovrenModel

/// Packets in, HTTP pairs out: the interceptor's core, for one capture source.
///
/// Feed it every captured packet in capture order with `process`, then call `finish` when the
/// source ends. Pairs are handed to `onPair` as soon as their response completes. Not
/// thread-safe: one interceptor belongs to one reading task.
public final class Interceptor {
  private let decoder: PacketDecoder
  private let context: InterceptionContext
  private var connections: [ConnectionKey: Connection] = [:]
  private var statisticsBase = InterceptorStatistics()
  private var now = PacketTime(nanoseconds: .min)
  private var nextSweep = PacketTime(nanoseconds: .min)

  /// How often (in packet time) timeouts are checked across all connections.
  private static let sweepInterval: Int64 = 1_000_000_000
  /// A connection that never carried data is forgotten after this long.
  private static let handshakeTimeout: Int64 = 10_000_000_000

  public init(
    configuration: InterceptorConfiguration, linkType: LinkType, onPair: @escaping (HTTPPair) -> Void
  ) throws(ConfigurationError) {
    try configuration.validate()
    decoder = PacketDecoder(linkType: linkType)
    context = InterceptionContext(configuration: configuration, emit: onPair)
  }

  /// Processes one captured packet. `bytes` is only read during the call.
  /// - Parameter originalLength: the packet's length on the wire, from the capture header; more
  ///   than `bytes.count` when the snap length cut it.
  public func process(packet bytes: UnsafeRawBufferPointer, originalLength: Int, time: PacketTime) {
    statisticsBase.packets += 1
    statisticsBase.bytes += UInt64(bytes.count)
    if time > now { now = time }
    if now >= nextSweep {
      sweep()
      nextSweep = PacketTime(nanoseconds: now.nanoseconds &+ Self.sweepInterval)
    }
    switch decoder.decode(bytes, originalLength: max(originalLength, bytes.count)) {
    case .ignored:
      statisticsBase.ignoredPackets += 1
    case .dropped(let reason):
      context.drop(reason)
    case .segment(let segment):
      statisticsBase.tcpSegments += 1
      handle(segment, time: time)
    }
  }

  private func handle(_ segment: TCPSegment, time: PacketTime) {
    let senderIsA = segment.source.sortsBefore(segment.destination)
    let key =
      senderIsA
      ? ConnectionKey(a: segment.source, b: segment.destination)
      : ConnectionKey(a: segment.destination, b: segment.source)
    let opening = segment.flags.contains(.syn) && !segment.flags.contains(.ack)
    var connection = connections[key]
    if let existing = connection, opening, existing.carriedData || existing.isClosed {
      // The port pair is reused for a new connection.
      existing.close(reset: false)
      connections[key] = nil
      connection = nil
    }
    if connection == nil {
      let hasData = !segment.payload.isEmpty || segment.missingPayload > 0
      // A stray ACK, FIN or RST of a connection we never followed starts nothing.
      guard opening || hasData || segment.flags.contains(.syn) else { return }
      guard connections.count < context.configuration.maxConnections else {
        context.drop(.connectionLimit)
        return
      }
      let created = Connection(a: key.a, b: key.b, time: time, context: context)
      connections[key] = created
      statisticsBase.connectionsSeen += 1
      connection = created
    }
    guard let connection else { return }
    connection.process(segment, fromA: senderIsA, time: time)
    if connection.isClosed {
      connections[key] = nil
    }
  }

  /// Response timeouts, idle connections and handshakes that led nowhere.
  private func sweep() {
    let idleTimeout = context.configuration.idleTimeout.nanosecondCount
    var expired: [ConnectionKey] = []
    for (key, connection) in connections {
      let idle = now.nanoseconds - connection.lastSeen.nanoseconds
      if idle > idleTimeout || (!connection.carriedData && idle > Self.handshakeTimeout) {
        connection.close(reset: true)
        expired.append(key)
      } else {
        connection.expireRequests(now: now)
      }
    }
    for key in expired { connections[key] = nil }
  }

  /// The capture ended: every connection still open is resolved as it stands. Messages in
  /// progress are incomplete, requests still waiting are unanswered.
  public func finish() {
    for connection in connections.values {
      connection.expireRequests(now: now)
      connection.close(reset: true)
    }
    connections = [:]
  }

  public var statistics: InterceptorStatistics {
    var result = statisticsBase
    result.drops = context.drops
    result.pairs = context.pairsEmitted
    result.upgradedConnections = context.upgradedConnections
    result.openConnections = connections.count
    result.bufferedBytes = context.bufferedBytes
    result.peakBufferedBytes = context.peakBufferedBytes
    return result
  }

}

/// Counters of one interceptor since it started.
public struct InterceptorStatistics: Sendable, Equatable {
  public var packets: UInt64 = 0
  /// Captured bytes, link-layer headers included.
  public var bytes: UInt64 = 0
  public var tcpSegments: UInt64 = 0
  /// Packets that are not TCP over IP: not Sovren's business, not a loss.
  public var ignoredPackets: UInt64 = 0
  public var connectionsSeen: UInt64 = 0
  public var openConnections = 0
  /// Connections that switched to another protocol (101, CONNECT) and were no longer read.
  public var upgradedConnections: UInt64 = 0
  public var pairs: UInt64 = 0
  public var drops = DropCounts()
  public var bufferedBytes = 0
  public var peakBufferedBytes = 0

  public init() {}
}

/// The two endpoints of a connection in canonical order, so both directions find it.
struct ConnectionKey: Hashable {
  var a: Endpoint
  var b: Endpoint
}

extension Endpoint {
  @inline(__always)
  func sortsBefore(_ other: Endpoint) -> Bool {
    if ip.high != other.ip.high { return ip.high < other.ip.high }
    if ip.low != other.ip.low { return ip.low < other.ip.low }
    return port < other.port
  }
}
