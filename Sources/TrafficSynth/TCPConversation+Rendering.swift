import SovrenModel

// Turning recorded segments into captured link-layer packets.
extension TCPConversation {
  /// The packets the capture holds for one segment: none if it was missed, two if it was
  /// fragmented, otherwise one (possibly truncated).
  public func render(_ record: TCPSegmentRecord) -> [CapturedPacket] {
    guard record.isCaptured else { return [] }
    let (source, destination) = record.direction == .clientToServer ? (client, server) : (server, client)
    let tcp = PacketBuilder.tcpSegment(
      source: source, destination: destination, sequence: record.sequence,
      acknowledgment: record.acknowledgment, flags: record.flags, window: 502, options: record.options,
      payload: record.payload[...], checksum: format.checksum)
    let identification = UInt16(
      truncatingIfNeeded: record.sequence &+ UInt32(truncatingIfNeeded: record.time.nanoseconds / 1_000))
    var ipPackets: [[UInt8]] = []
    if let split = record.fragmentSplit, split < tcp.count {
      let pieces = [(0, tcp[0..<split], true), (split, tcp[split...], false)]
      for (offset, piece, more) in pieces {
        if source.ip.isIPv6 {
          let fragment = PacketBuilder.ipv6FragmentHeader(
            nextHeader: PacketBuilder.tcpProtocol, offset: offset, moreFragments: more,
            identification: UInt32(identification) | 0x5000_0000)
          ipPackets.append(
            PacketBuilder.ipv6(
              source: source.ip, destination: destination.ip, extensionHeaders: format.ipv6ExtensionHeaders,
              protocolNumber: 44, payload: (fragment + piece)[...]))
        } else {
          ipPackets.append(
            PacketBuilder.ipv4(
              source: source.ip, destination: destination.ip, protocolNumber: PacketBuilder.tcpProtocol,
              identification: identification, options: offset == 0 ? format.ipv4Options : [], payload: piece,
              fragmentOffset: offset, moreFragments: more, dontFragment: false))
        }
      }
    } else if source.ip.isIPv6 {
      ipPackets.append(
        PacketBuilder.ipv6(
          source: source.ip, destination: destination.ip, extensionHeaders: format.ipv6ExtensionHeaders,
          protocolNumber: PacketBuilder.tcpProtocol, payload: tcp[...]))
    } else {
      ipPackets.append(
        PacketBuilder.ipv4(
          source: source.ip, destination: destination.ip, protocolNumber: PacketBuilder.tcpProtocol,
          identification: identification, options: format.ipv4Options, payload: tcp[...]))
    }
    return ipPackets.map { ip in
      let frame = format.link.frame(
        ip, source: source.ip, destination: destination.ip, outgoing: record.direction == .clientToServer)
      if let kept = record.capturedLength, kept < frame.count {
        return CapturedPacket(time: record.time, bytes: Array(frame[0..<kept]), originalLength: frame.count)
      }
      return CapturedPacket(time: record.time, bytes: frame)
    }
  }

  /// Every captured packet of the conversation, in capture (time) order.
  public func renderAll() -> [CapturedPacket] {
    segments.enumerated()
      .sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
      .flatMap { render($0.element) }
  }

  /// Link-layer length of the packet carrying `record` (what a truncation is measured against).
  public func frameLength(of record: TCPSegmentRecord) -> Int {
    var copy = record
    copy.capturedLength = nil
    copy.fragmentSplit = nil
    copy.isCaptured = true
    return render(copy).first?.originalLength ?? 0
  }

  /// Bytes of headers (link, IP, TCP) in front of `record`'s payload.
  public func headerLength(of record: TCPSegmentRecord) -> Int {
    frameLength(of: record) - record.payload.count
  }
}

extension PacketTime {
  /// Whole microseconds, as a `.microseconds` pcap file stores them.
  public static func microseconds(_ value: Int64) -> PacketTime {
    PacketTime(nanoseconds: value * 1_000)
  }
}
