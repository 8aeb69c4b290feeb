import SovrenModel

/// A TCP segment decoded from one captured packet. `payload` borrows the capture buffer and is
/// valid only while the packet is being processed.
struct TCPSegment {
  var source: Endpoint
  var destination: Endpoint
  var sequence: UInt32
  var acknowledgment: UInt32
  var flags: TCPFlags
  var payload: UnsafeRawBufferPointer
  /// Payload bytes the packet had on the wire but the capture cut off (snap length).
  var missingPayload: Int
}

struct TCPFlags: OptionSet {
  let rawValue: UInt8
  static let fin = TCPFlags(rawValue: 0x01)
  static let syn = TCPFlags(rawValue: 0x02)
  static let rst = TCPFlags(rawValue: 0x04)
  static let ack = TCPFlags(rawValue: 0x10)
}

enum DecodedPacket {
  case segment(TCPSegment)
  /// Not TCP over IP (ARP, UDP, ICMP, LLDP, …): not Sovren's business, and not a loss.
  case ignored
  case dropped(DropReason)
}

/// Decodes link, IP and TCP headers without copying. Checksums are never verified: captures
/// taken on the sending host carry offloaded, not-yet-computed checksums.
struct PacketDecoder {
  let linkType: LinkType

  func decode(_ packet: UnsafeRawBufferPointer, originalLength: Int) -> DecodedPacket {
    // Bytes cut off by the snap length, which the TCP payload will be missing.
    let cutOff = max(0, originalLength - packet.count)
    switch linkType {
    case .ethernet: return decodeEthernet(packet, cutOff: cutOff)
    case .linuxCooked:
      guard packet.count >= 16 else { return .dropped(.truncatedPacket) }
      return decodeEtherType(packet.loadBigEndianUInt16(at: 14), packet, at: 16, cutOff: cutOff)
    case .linuxCookedV2:
      guard packet.count >= 20 else { return .dropped(.truncatedPacket) }
      return decodeEtherType(packet.loadBigEndianUInt16(at: 0), packet, at: 20, cutOff: cutOff)
    case .rawIP:
      return decodeIP(packet, at: 0, cutOff: cutOff)
    case .null, .loop:
      guard packet.count >= 4 else { return .dropped(.truncatedPacket) }
      // The family is in the writer's byte order for NULL: accept either order, since the
      // values in use (2, 10, 24, 28, 30) are unambiguous both ways round.
      let raw = packet.loadUnaligned(fromByteOffset: 0, as: UInt32.self)
      let family = linkType == .loop ? UInt32(bigEndian: raw) : (raw > 0xFFFF ? raw.byteSwapped : raw)
      switch family {
      case 2, 10, 24, 28, 30: return decodeIP(packet, at: 4, cutOff: cutOff)
      default: return .ignored
      }
    }
  }

  private func decodeEthernet(_ packet: UnsafeRawBufferPointer, cutOff: Int) -> DecodedPacket {
    guard packet.count >= 14 else { return .dropped(.truncatedPacket) }
    var offset = 12
    var etherType = packet.loadBigEndianUInt16(at: offset)
    // 802.1Q (0x8100), 802.1ad (0x88a8) and the old QinQ value (0x9100): skip each 4-byte tag.
    while etherType == 0x8100 || etherType == 0x88A8 || etherType == 0x9100 {
      offset += 4
      guard packet.count >= offset + 2 else { return .dropped(.truncatedPacket) }
      etherType = packet.loadBigEndianUInt16(at: offset)
    }
    return decodeEtherType(etherType, packet, at: offset + 2, cutOff: cutOff)
  }

  private func decodeEtherType(
    _ etherType: UInt16, _ packet: UnsafeRawBufferPointer, at offset: Int, cutOff: Int
  ) -> DecodedPacket {
    switch etherType {
    case 0x0800, 0x86DD: return decodeIP(packet, at: offset, cutOff: cutOff)
    default: return .ignored
    }
  }

  private func decodeIP(_ packet: UnsafeRawBufferPointer, at offset: Int, cutOff: Int) -> DecodedPacket {
    guard packet.count > offset else { return .dropped(.truncatedPacket) }
    switch packet[offset] >> 4 {
    case 4: return decodeIPv4(packet, at: offset, cutOff: cutOff)
    case 6: return decodeIPv6(packet, at: offset, cutOff: cutOff)
    default: return .dropped(.malformedPacket)
    }
  }

  private func decodeIPv4(_ packet: UnsafeRawBufferPointer, at offset: Int, cutOff: Int) -> DecodedPacket {
    guard packet.count >= offset + 20 else { return .dropped(.truncatedPacket) }
    let headerLength = Int(packet[offset] & 0x0F) * 4
    var totalLength = Int(packet.loadBigEndianUInt16(at: offset + 2))
    // Segmentation offload: captures on the sending host can show a zero total length for
    // segments the NIC will split. The frame's own length is then the only length there is.
    if totalLength == 0 { totalLength = packet.count + cutOff - offset }
    guard headerLength >= 20, totalLength >= headerLength else { return .dropped(.malformedPacket) }
    guard packet.count >= offset + headerLength else { return .dropped(.truncatedPacket) }
    let fragment = packet.loadBigEndianUInt16(at: offset + 6)
    // More-fragments flag or a non-zero offset.
    if fragment & 0x3FFF != 0 { return .dropped(.ipFragment) }
    guard packet[offset + 9] == 6 else { return .ignored }
    let source = IPAddress(ipv4: packet.loadBigEndianUInt32(at: offset + 12))
    let destination = IPAddress(ipv4: packet.loadBigEndianUInt32(at: offset + 16))
    // Trust the IP length over the capture length: Ethernet pads short frames.
    let end = offset + totalLength
    return decodeTCP(
      packet, at: offset + headerLength, end: end, source: source, destination: destination, cutOff: cutOff)
  }

  private func decodeIPv6(_ packet: UnsafeRawBufferPointer, at offset: Int, cutOff: Int) -> DecodedPacket {
    guard packet.count >= offset + 40 else { return .dropped(.truncatedPacket) }
    let payloadLength = Int(packet.loadBigEndianUInt16(at: offset + 4))
    var next = packet[offset + 6]
    let source = IPAddress(
      ipv6High: packet.loadBigEndianUInt64(at: offset + 8), low: packet.loadBigEndianUInt64(at: offset + 16))
    let destination = IPAddress(
      ipv6High: packet.loadBigEndianUInt64(at: offset + 24), low: packet.loadBigEndianUInt64(at: offset + 32))
    let end = offset + 40 + payloadLength
    var cursor = offset + 40
    // Skip extension headers; at most a handful are legitimate, so bound the walk.
    for _ in 0..<8 {
      switch next {
      case 6:
        return decodeTCP(packet, at: cursor, end: end, source: source, destination: destination, cutOff: cutOff)
      case 0, 43, 60, 135, 139, 140:  // hop-by-hop, routing, destination options, mobility, HIP, shim6
        guard packet.count >= cursor + 2 else { return .dropped(.truncatedPacket) }
        next = packet[cursor]
        cursor += (Int(packet[cursor + 1]) + 1) * 8
      case 51:  // authentication header: length in 4-byte units, minus 2
        guard packet.count >= cursor + 2 else { return .dropped(.truncatedPacket) }
        next = packet[cursor]
        cursor += (Int(packet[cursor + 1]) + 2) * 4
      case 44:
        return .dropped(.ipFragment)
      default:
        return .ignored
      }
      guard cursor <= end else { return .dropped(.malformedPacket) }
    }
    return .dropped(.malformedPacket)
  }

  private func decodeTCP(
    _ packet: UnsafeRawBufferPointer, at offset: Int, end ipEnd: Int, source: IPAddress,
    destination: IPAddress, cutOff: Int
  ) -> DecodedPacket {
    guard packet.count >= offset + 20 else { return .dropped(.truncatedPacket) }
    let dataOffset = Int(packet[offset + 12] >> 4) * 4
    guard dataOffset >= 20, offset + dataOffset <= ipEnd else { return .dropped(.malformedPacket) }
    guard packet.count >= offset + dataOffset else { return .dropped(.truncatedPacket) }
    let payloadStart = offset + dataOffset
    // The IP length says where the payload ends. The capture may hold less: that is fine when
    // the snap length cut the packet, and a lie otherwise.
    let payloadEnd = min(ipEnd, packet.count)
    let missing = ipEnd - payloadEnd
    guard missing <= cutOff else { return .dropped(.malformedPacket) }
    let payload = UnsafeRawBufferPointer(rebasing: packet[payloadStart..<max(payloadStart, payloadEnd)])
    return .segment(
      TCPSegment(
        source: Endpoint(ip: source, port: packet.loadBigEndianUInt16(at: offset)),
        destination: Endpoint(ip: destination, port: packet.loadBigEndianUInt16(at: offset + 2)),
        sequence: packet.loadBigEndianUInt32(at: offset + 4),
        acknowledgment: packet.loadBigEndianUInt32(at: offset + 8),
        flags: TCPFlags(rawValue: packet[offset + 13] & 0x17),
        payload: payload,
        missingPayload: missing))
  }
}

extension UnsafeRawBufferPointer {
  @inline(__always)
  func loadBigEndianUInt16(at offset: Int) -> UInt16 {
    UInt16(bigEndian: loadUnaligned(fromByteOffset: offset, as: UInt16.self))
  }

  @inline(__always)
  func loadBigEndianUInt32(at offset: Int) -> UInt32 {
    UInt32(bigEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self))
  }

  @inline(__always)
  func loadBigEndianUInt64(at offset: Int) -> UInt64 {
    UInt64(bigEndian: loadUnaligned(fromByteOffset: offset, as: UInt64.self))
  }
}
