import SovrenModel

/// An 802.1Q or 802.1ad tag in an Ethernet header.
public struct VLANTag: Sendable, Hashable {
  /// 0x8100 for a customer tag, 0x88a8 for the service (outer) tag of QinQ.
  public var protocolIdentifier: UInt16
  public var vlanID: UInt16

  public init(protocolIdentifier: UInt16 = 0x8100, vlanID: UInt16) {
    self.protocolIdentifier = protocolIdentifier
    self.vlanID = vlanID
  }
}

/// How IP packets are wrapped for one link type. Each case writes the header a real capture
/// of that kind would show; the interceptor must strip all of them.
public enum LinkHeader: Sendable, Hashable {
  /// Ethernet II; tags are written outermost first.
  case ethernet(vlanTags: [VLANTag])
  /// Linux cooked v1 (16 bytes). Client-to-server packets are marked outgoing.
  case linuxSLL
  /// Linux cooked v2 (20 bytes), with the interface index a `-i any` capture records.
  case linuxSLL2(interfaceIndex: UInt32)
  /// Bare IP.
  case raw
  /// BSD loopback; `ipv6Family` is the AF_INET6 value of the capturing OS (24 NetBSD/OpenBSD,
  /// 28 FreeBSD, 30 macOS, 10 Linux), written in this machine's byte order.
  case null(ipv6Family: UInt32)
  /// OpenBSD loopback: the family in network byte order.
  case loop(ipv6Family: UInt32)

  /// Plain untagged Ethernet.
  public static let plainEthernet = LinkHeader.ethernet(vlanTags: [])

  public var linkType: LinkType {
    switch self {
    case .ethernet: .ethernet
    case .linuxSLL: .linuxSLL
    case .linuxSLL2: .linuxSLL2
    case .raw: .raw
    case .null: .null
    case .loop: .loop
    }
  }

  /// Wraps one IP packet. `outgoing` is true for packets the capturing host sent.
  func frame(_ ipPacket: [UInt8], source: IPAddress, destination: IPAddress, outgoing: Bool) -> [UInt8] {
    let etherType: UInt16 = source.isIPv6 ? 0x86dd : 0x0800
    var frame: [UInt8] = []
    switch self {
    case .ethernet(let tags):
      frame.reserveCapacity(14 + 4 * tags.count + ipPacket.count)
      frame += LinkHeader.mac(for: destination)
      frame += LinkHeader.mac(for: source)
      for tag in tags {
        frame.appendBigEndian(tag.protocolIdentifier)
        frame.appendBigEndian(tag.vlanID & 0x0fff)
      }
      frame.appendBigEndian(etherType)
    case .linuxSLL:
      frame.reserveCapacity(16 + ipPacket.count)
      frame.appendBigEndian(UInt16(outgoing ? 4 : 0))  // packet type
      frame.appendBigEndian(UInt16(1))  // ARPHRD_ETHER
      frame.appendBigEndian(UInt16(6))
      frame += LinkHeader.mac(for: source) + [0, 0]
      frame.appendBigEndian(etherType)
    case .linuxSLL2(let interfaceIndex):
      frame.reserveCapacity(20 + ipPacket.count)
      frame.appendBigEndian(etherType)
      frame.appendBigEndian(UInt16(0))  // reserved
      frame.appendBigEndian(interfaceIndex)
      frame.appendBigEndian(UInt16(1))  // ARPHRD_ETHER
      frame.append(outgoing ? 4 : 0)
      frame.append(6)
      frame += LinkHeader.mac(for: source) + [0, 0]
    case .raw:
      break
    case .null(let family6):
      frame.appendHostOrder(source.isIPv6 ? family6 : 2)
    case .loop(let family6):
      frame.appendBigEndian(source.isIPv6 ? family6 : 2)
    }
    frame += ipPacket
    return frame
  }

  /// A stable, locally administered MAC address derived from an IP address.
  static func mac(for address: IPAddress) -> [UInt8] {
    let mixed = address.high &* 0x9e37_79b9_7f4a_7c15 ^ address.low &* 0xc2b2_ae3d_27d4_eb4f
    return [
      0x02, UInt8(truncatingIfNeeded: mixed >> 8), UInt8(truncatingIfNeeded: mixed >> 16),
      UInt8(truncatingIfNeeded: mixed >> 24), UInt8(truncatingIfNeeded: mixed >> 32),
      UInt8(truncatingIfNeeded: mixed >> 40),
    ]
  }
}
