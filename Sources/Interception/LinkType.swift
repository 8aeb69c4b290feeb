/// The link-layer framings the interceptor decodes, by the `DLT_*` value libpcap reports.
public enum LinkType: Sendable, Equatable, CustomStringConvertible {
  /// Ethernet II, with any number of 802.1Q / 802.1ad (QinQ) tags.
  case ethernet
  /// Linux "cooked" capture v1 (`tcpdump -i any` before libpcap 1.10).
  case linuxCooked
  /// Linux "cooked" capture v2 (`tcpdump -i any` since libpcap 1.10).
  case linuxCookedV2
  /// Bare IPv4 or IPv6, version taken from the first nibble.
  case rawIP
  /// BSD loopback: a 4-byte address family in the capturing host's byte order.
  case null
  /// OpenBSD loopback: a 4-byte address family in network byte order.
  case loop

  /// Maps a `pcap_datalink` value; nil for a framing Sovren does not decode.
  public init?(dlt: Int32) {
    switch dlt {
    case 1: self = .ethernet
    case 113: self = .linuxCooked
    case 276: self = .linuxCookedV2
    // DLT_RAW is 12 on most systems and 14 on OpenBSD; 101 is its file value; 228/229 are
    // the IPv4-only and IPv6-only variants.
    case 12, 14, 101, 228, 229: self = .rawIP
    case 0: self = .null
    case 108: self = .loop
    default: return nil
    }
  }

  public var description: String {
    switch self {
    case .ethernet: "Ethernet"
    case .linuxCooked: "Linux cooked v1"
    case .linuxCookedV2: "Linux cooked v2"
    case .rawIP: "raw IP"
    case .null: "BSD loopback"
    case .loop: "OpenBSD loopback"
    }
  }
}
