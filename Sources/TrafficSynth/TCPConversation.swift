import SovrenModel

/// Which way a segment travels.
public enum Direction: Sendable, Hashable {
  case clientToServer
  case serverToClient

  public var reversed: Direction { self == .clientToServer ? .serverToClient : .clientToServer }
}

/// How a conversation's packets look below TCP: link header, IP options, checksums.
public struct PacketFormat: Sendable, Hashable {
  public var link: LinkHeader
  public var checksum: ChecksumMode
  /// Written into every IPv4 header of the conversation.
  public var ipv4Options: [IPv4Option]
  /// Written between the IPv6 header and TCP in every packet of the conversation.
  public var ipv6ExtensionHeaders: [IPv6ExtensionHeader]
  /// Whether every segment carries the TCP timestamps option (12 more header bytes).
  public var tcpTimestamps: Bool

  public init(
    link: LinkHeader = .plainEthernet, checksum: ChecksumMode = .correct, ipv4Options: [IPv4Option] = [],
    ipv6ExtensionHeaders: [IPv6ExtensionHeader] = [], tcpTimestamps: Bool = true
  ) {
    self.link = link
    self.checksum = checksum
    self.ipv4Options = ipv4Options
    self.ipv6ExtensionHeaders = ipv6ExtensionHeaders
    self.tcpTimestamps = tcpTimestamps
  }
}

/// One TCP segment as it happened, plus how the capture recorded it.
public struct TCPSegmentRecord: Sendable, Hashable {
  public var time: PacketTime
  public var direction: Direction
  public var sequence: UInt32
  public var acknowledgment: UInt32
  public var flags: TCPFlags
  public var options: [TCPOption]
  public var payload: [UInt8]
  /// False when the receiver got the segment but the capture missed it.
  public var isCaptured = true
  /// Link-layer bytes the capture kept, when it kept fewer than were sent.
  public var capturedLength: Int?
  /// When set, the segment is emitted as two IP fragments, the first carrying this many bytes
  /// of the IP payload (a multiple of 8).
  public var fragmentSplit: Int?
}

/// A scripted TCP connection between a client and a server. It records what each side sent
/// (sequence numbers, acknowledgments, flags, payload) on a clock, then renders the capture.
///
/// The receiver always gets every segment; capture impairments (`dropFromCapture`,
/// `swapCaptureOrder`, …) change only what the capture shows, which is how loss looks to a
/// passive observer: ACKs acknowledge bytes the capture never saw.
public struct TCPConversation: Sendable {
  public let client: Endpoint
  public let server: Endpoint
  public var format: PacketFormat
  /// The time the next packet will carry.
  public var clock: PacketTime
  /// Time between two consecutive packets of this conversation.
  public var packetSpacing: Duration = .microseconds(20)
  /// The largest payload `send` puts in one segment unless told otherwise.
  public var maximumSegmentSize = 1448
  /// The server's largest payload when it differs from the client's.
  public var serverMaximumSegmentSize: Int?
  /// Every segment so far, in the order they were sent (impairments may add more).
  public private(set) var segments: [TCPSegmentRecord] = []

  private var nextSequence: [UInt32]
  private var finSent = [false, false]
  private var lastTimestamp: [UInt32] = [0, 0]

  /// A connection whose first packet will be sent at `start`. Call `openHandshake()` for a
  /// connection the capture sees from its SYN; skip it for one already open at capture start.
  public init(
    client: Endpoint, server: Endpoint, start: PacketTime, clientISN: UInt32 = 1_000_000,
    serverISN: UInt32 = 3_000_000, format: PacketFormat = PacketFormat()
  ) {
    self.client = client
    self.server = server
    self.clock = start
    self.format = format
    nextSequence = [clientISN, serverISN]
  }

  /// Sequence number the side will use for its next byte.
  public func nextSequenceNumber(of direction: Direction) -> UInt32 { nextSequence[direction.index] }

  /// Moves the clock forward: think time, server latency, a slow response.
  public mutating func wait(_ duration: Duration) {
    clock = clock.adding(duration)
  }

  /// SYN, SYN-ACK, ACK with the options real stacks send.
  public mutating func openHandshake() {
    let synOptions: [TCPOption] = [.maximumSegmentSize(1460), .sackPermitted, .windowScale(7)]
    append(.clientToServer, flags: .syn, payload: [], extraOptions: synOptions, consumes: 1, acknowledges: false)
    append(.serverToClient, flags: [.syn, .ack], payload: [], extraOptions: synOptions, consumes: 1)
    append(.clientToServer, flags: .ack, payload: [])
  }

  /// Sends `bytes` from one side, cut into segments of at most `segmentSize` (default: the
  /// conversation's MSS). With `fin`, the last segment also carries FIN. Returns the indices
  /// of the new segments in `segments`.
  @discardableResult
  public mutating func send(
    _ bytes: [UInt8], from direction: Direction, segmentSize: Int? = nil, fin: Bool = false
  ) -> Range<Int> {
    let defaultSize = direction == .serverToClient ? serverMaximumSegmentSize ?? maximumSegmentSize : maximumSegmentSize
    let size = max(1, segmentSize ?? defaultSize)
    let first = segments.count
    var offset = 0
    repeat {
      let end = min(bytes.count, offset + size)
      let isLast = end == bytes.count
      var flags: TCPFlags = isLast ? [.ack, .psh] : .ack
      if isLast && fin { flags.insert(.fin) }
      append(direction, flags: flags, payload: Array(bytes[offset..<end]), consumes: isLast && fin ? 1 : 0)
      offset = end
    } while offset < bytes.count
    if fin { finSent[direction.index] = true }
    return first..<segments.count
  }

  /// Sends payload segments with explicit sizes, e.g. to split a header across packets.
  @discardableResult
  public mutating func send(_ bytes: [UInt8], from direction: Direction, segmentSizes: [Int]) -> Range<Int> {
    let first = segments.count
    var offset = 0
    var sizes = segmentSizes.makeIterator()
    while offset < bytes.count {
      let size = max(1, sizes.next() ?? maximumSegmentSize)
      let end = min(bytes.count, offset + size)
      append(direction, flags: end == bytes.count ? [.ack, .psh] : .ack, payload: Array(bytes[offset..<end]))
      offset = end
    }
    return first..<segments.count
  }

  /// A pure ACK from `direction`, acknowledging everything the peer has sent.
  @discardableResult
  public mutating func acknowledge(from direction: Direction) -> Int {
    append(direction, flags: .ack, payload: [])
    return segments.count - 1
  }

  /// An orderly close: FIN from `initiator` (unless it already sent one), FIN from the peer,
  /// final ACK.
  public mutating func close(initiator: Direction) {
    if !finSent[initiator.index] {
      append(initiator, flags: [.fin, .ack], payload: [], consumes: 1)
      finSent[initiator.index] = true
    }
    if !finSent[initiator.reversed.index] {
      append(initiator.reversed, flags: [.fin, .ack], payload: [], consumes: 1)
      finSent[initiator.reversed.index] = true
    }
    append(initiator, flags: .ack, payload: [])
  }

  /// An abortive close: RST+ACK from `direction`.
  public mutating func reset(from direction: Direction) {
    append(direction, flags: [.rst, .ack], payload: [])
  }

  /// Removes and returns the segments recorded so far, for generators that stream.
  public mutating func takeSegments() -> [TCPSegmentRecord] {
    defer { segments.removeAll(keepingCapacity: true) }
    return segments
  }

  // Impairments (in another file) edit recorded segments through these.
  mutating func mutateSegment(_ index: Int, _ change: (inout TCPSegmentRecord) -> Void) {
    guard segments.indices.contains(index) else { return }
    change(&segments[index])
  }

  mutating func replaceSegment(_ index: Int, with record: TCPSegmentRecord) {
    guard segments.indices.contains(index) else { return }
    segments[index] = record
  }

  mutating func appendImpairment(_ record: TCPSegmentRecord) {
    segments.append(record)
  }

  private mutating func append(
    _ direction: Direction, flags: TCPFlags, payload: [UInt8], extraOptions: [TCPOption] = [],
    consumes extra: UInt32 = 0, acknowledges: Bool = true
  ) {
    let index = direction.index
    var options = extraOptions
    if format.tcpTimestamps {
      let value = UInt32(truncatingIfNeeded: clock.nanoseconds / 1_000_000)
      options.append(.timestamps(value: value, echo: lastTimestamp[1 - index]))
      lastTimestamp[index] = value
    }
    let record = TCPSegmentRecord(
      time: clock, direction: direction, sequence: nextSequence[index],
      acknowledgment: acknowledges ? nextSequence[1 - index] : 0, flags: flags, options: options,
      payload: payload)
    segments.append(record)
    nextSequence[index] &+= UInt32(payload.count) &+ extra
    clock = clock.adding(packetSpacing)
  }
}

extension Direction {
  var index: Int { self == .clientToServer ? 0 : 1 }
}
