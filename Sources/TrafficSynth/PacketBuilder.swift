import SovrenModel

/// How the TCP checksum field is filled. Captures taken on the sending host usually show
/// checksum offload: the NIC computes the checksum after the capture point, so the capture
/// holds only the pseudo-header sum. The interceptor must never rely on checksums.
public enum ChecksumMode: Sendable, Hashable {
  /// The checksum a receiver would verify.
  case correct
  /// What an offloading sender's capture shows: the uncomplemented pseudo-header sum.
  case offloaded
  /// Zero, as some virtual interfaces record it.
  case zero
}

/// TCP header flags.
public struct TCPFlags: OptionSet, Sendable, Hashable {
  public let rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }

  public static let fin = TCPFlags(rawValue: 0x01)
  public static let syn = TCPFlags(rawValue: 0x02)
  public static let rst = TCPFlags(rawValue: 0x04)
  public static let psh = TCPFlags(rawValue: 0x08)
  public static let ack = TCPFlags(rawValue: 0x10)
}

/// TCP options the generator writes, so decoders meet real-looking variable-length headers.
public enum TCPOption: Sendable, Hashable {
  case maximumSegmentSize(UInt16)
  case windowScale(UInt8)
  case sackPermitted
  case timestamps(value: UInt32, echo: UInt32)
  case noOperation

  func append(to bytes: inout [UInt8]) {
    switch self {
    case .maximumSegmentSize(let mss):
      bytes += [2, 4]
      bytes.appendBigEndian(mss)
    case .windowScale(let shift):
      bytes += [1, 3, 3, shift]  // preceded by a NOP, as stacks align it
    case .sackPermitted:
      bytes += [1, 1, 4, 2]
    case .timestamps(let value, let echo):
      bytes += [1, 1, 8, 10]
      bytes.appendBigEndian(value)
      bytes.appendBigEndian(echo)
    case .noOperation:
      bytes.append(1)
    }
  }
}

/// IPv4 options, written after the fixed header (padded with End-of-Options to 4 bytes).
public enum IPv4Option: Sendable, Hashable {
  /// Router Alert (RFC 2113), 4 bytes.
  case routerAlert
  /// Record Route with room for `slots` addresses (1...9).
  case recordRoute(slots: Int)
  case noOperation

  func append(to bytes: inout [UInt8]) {
    switch self {
    case .routerAlert:
      bytes += [0x94, 4, 0, 0]
    case .recordRoute(let slots):
      let count = max(1, min(9, slots))
      bytes += [7, UInt8(3 + 4 * count), 4]
      bytes += [UInt8](repeating: 0, count: 4 * count)
    case .noOperation:
      bytes.append(1)
    }
  }
}

/// IPv6 extension headers placed between the fixed header and TCP.
public enum IPv6ExtensionHeader: Sendable, Hashable {
  /// Hop-by-hop options (next header 0), e.g. a router alert for MLD.
  case hopByHop
  /// Destination options (next header 60), carrying padding options only.
  case destinationOptions(padding: Int)

  var protocolNumber: UInt8 {
    switch self {
    case .hopByHop: 0
    case .destinationOptions: 60
    }
  }

  func encoded(nextHeader: UInt8) -> [UInt8] {
    var options: [UInt8]
    switch self {
    case .hopByHop:
      options = [5, 2, 0, 0]  // Router Alert: MLD
    case .destinationOptions(let padding):
      options = padding > 0 ? [1, UInt8(min(padding, 250))] + [UInt8](repeating: 0, count: min(padding, 250)) : []
    }
    // Pad the header (2 fixed bytes + options) to a multiple of 8 with Pad1/PadN.
    let unpadded = 2 + options.count
    let padded = (unpadded + 7) / 8 * 8
    let missing = padded - unpadded
    if missing == 1 {
      options.append(0)
    } else if missing > 1 {
      options += [1, UInt8(missing - 2)] + [UInt8](repeating: 0, count: missing - 2)
    }
    return [nextHeader, UInt8(padded / 8 - 1)] + options
  }
}

/// Builds IPv4, IPv6 and TCP headers with the checksums the chosen mode asks for.
public enum PacketBuilder {
  public static let tcpProtocol: UInt8 = 6

  /// A TCP header plus payload. `checksum` decides what the checksum field holds.
  public static func tcpSegment(
    source: Endpoint, destination: Endpoint, sequence: UInt32, acknowledgment: UInt32,
    flags: TCPFlags, window: UInt16, options: [TCPOption], payload: ArraySlice<UInt8>,
    checksum: ChecksumMode
  ) -> [UInt8] {
    var optionBytes: [UInt8] = []
    for option in options { option.append(to: &optionBytes) }
    while optionBytes.count % 4 != 0 { optionBytes.append(0) }
    let headerLength = 20 + optionBytes.count
    var segment: [UInt8] = []
    segment.reserveCapacity(headerLength + payload.count)
    segment.appendBigEndian(source.port)
    segment.appendBigEndian(destination.port)
    segment.appendBigEndian(sequence)
    segment.appendBigEndian(acknowledgment)
    segment.append(UInt8(headerLength / 4) << 4)
    segment.append(flags.rawValue)
    segment.appendBigEndian(window)
    segment.appendBigEndian(UInt16(0))  // checksum, filled below
    segment.appendBigEndian(UInt16(0))  // urgent pointer
    segment += optionBytes
    segment += payload
    let pseudo = pseudoHeaderSum(source: source.ip, destination: destination.ip, length: segment.count)
    switch checksum {
    case .correct:
      var sum = pseudo
      addToChecksum(&sum, segment[...])
      segment.setBigEndian(finishChecksum(sum), at: 16)
    case .offloaded:
      segment.setBigEndian(fold(pseudo), at: 16)
    case .zero:
      break
    }
    return segment
  }

  /// An IPv4 packet around `payload` (already a TCP segment or a fragment of one).
  public static func ipv4(
    source: IPAddress, destination: IPAddress, protocolNumber: UInt8, identification: UInt16,
    ttl: UInt8 = 64, options: [IPv4Option] = [], payload: ArraySlice<UInt8>,
    fragmentOffset: Int = 0, moreFragments: Bool = false, dontFragment: Bool = true
  ) -> [UInt8] {
    var optionBytes: [UInt8] = []
    for option in options { option.append(to: &optionBytes) }
    while optionBytes.count % 4 != 0 { optionBytes.append(0) }
    let headerLength = 20 + optionBytes.count
    var packet: [UInt8] = []
    packet.reserveCapacity(headerLength + payload.count)
    packet.append(0x40 | UInt8(headerLength / 4))
    packet.append(0)  // DSCP/ECN
    packet.appendBigEndian(UInt16(headerLength + payload.count))
    packet.appendBigEndian(identification)
    var flagsAndOffset = UInt16(fragmentOffset / 8) & 0x1fff
    if moreFragments { flagsAndOffset |= 0x2000 }
    if dontFragment && !moreFragments && fragmentOffset == 0 { flagsAndOffset |= 0x4000 }
    packet.appendBigEndian(flagsAndOffset)
    packet.append(ttl)
    packet.append(protocolNumber)
    packet.appendBigEndian(UInt16(0))
    packet.appendBigEndian(UInt32(truncatingIfNeeded: source.low))
    packet.appendBigEndian(UInt32(truncatingIfNeeded: destination.low))
    packet += optionBytes
    var sum: UInt32 = 0
    addToChecksum(&sum, packet[0..<headerLength])
    packet.setBigEndian(finishChecksum(sum), at: 10)
    packet += payload
    return packet
  }

  /// An IPv6 packet: fixed header, the extension headers in order, then `payload`, whose
  /// protocol is `protocolNumber`.
  public static func ipv6(
    source: IPAddress, destination: IPAddress, extensionHeaders: [IPv6ExtensionHeader],
    protocolNumber: UInt8, hopLimit: UInt8 = 64, payload: ArraySlice<UInt8>
  ) -> [UInt8] {
    var chain: [UInt8] = []
    for (index, header) in extensionHeaders.enumerated() {
      let next = index + 1 < extensionHeaders.count ? extensionHeaders[index + 1].protocolNumber : protocolNumber
      chain += header.encoded(nextHeader: next)
    }
    let first = extensionHeaders.first?.protocolNumber ?? protocolNumber
    var packet: [UInt8] = []
    packet.reserveCapacity(40 + chain.count + payload.count)
    packet.appendBigEndian(UInt32(0x6000_0000))
    packet.appendBigEndian(UInt16(chain.count + payload.count))
    packet.append(first)
    packet.append(hopLimit)
    packet.appendBigEndian(source.high)
    packet.appendBigEndian(source.low)
    packet.appendBigEndian(destination.high)
    packet.appendBigEndian(destination.low)
    packet += chain
    packet += payload
    return packet
  }

  /// An IPv6 fragment header (next header 44's body), 8 bytes.
  public static func ipv6FragmentHeader(
    nextHeader: UInt8, offset: Int, moreFragments: Bool, identification: UInt32
  ) -> [UInt8] {
    var header: [UInt8] = [nextHeader, 0]
    header.appendBigEndian(UInt16(offset / 8) << 3 | (moreFragments ? 1 : 0))
    header.appendBigEndian(identification)
    return header
  }

  // MARK: Checksums (RFC 1071)

  static func pseudoHeaderSum(source: IPAddress, destination: IPAddress, length: Int) -> UInt32 {
    var bytes: [UInt8] = []
    if source.isIPv6 {
      bytes.appendBigEndian(source.high)
      bytes.appendBigEndian(source.low)
      bytes.appendBigEndian(destination.high)
      bytes.appendBigEndian(destination.low)
      bytes.appendBigEndian(UInt32(length))
      bytes += [0, 0, 0, tcpProtocol]
    } else {
      bytes.appendBigEndian(UInt32(truncatingIfNeeded: source.low))
      bytes.appendBigEndian(UInt32(truncatingIfNeeded: destination.low))
      bytes += [0, tcpProtocol]
      bytes.appendBigEndian(UInt16(length))
    }
    var sum: UInt32 = 0
    addToChecksum(&sum, bytes[...])
    return sum
  }

  static func addToChecksum(_ sum: inout UInt32, _ bytes: ArraySlice<UInt8>) {
    bytes.withUnsafeBytes { raw in
      var index = 0
      let count = raw.count
      var local: UInt64 = UInt64(sum)
      while index + 1 < count {
        local &+= UInt64(raw[index]) << 8 | UInt64(raw[index + 1])
        index += 2
      }
      if index < count { local &+= UInt64(raw[index]) << 8 }
      while local > 0xffff_ffff { local = (local & 0xffff_ffff) + (local >> 32) }
      sum = UInt32(local & 0xffff) + UInt32(local >> 16)
    }
  }

  static func fold(_ sum: UInt32) -> UInt16 {
    var value = sum
    while value > 0xffff { value = (value & 0xffff) + (value >> 16) }
    return UInt16(value)
  }

  static func finishChecksum(_ sum: UInt32) -> UInt16 {
    ~fold(sum)
  }
}
