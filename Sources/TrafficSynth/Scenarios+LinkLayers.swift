import SovrenModel

// The same HTTP traffic under every link and network header the interceptor must decode.
extension Scenarios {
  /// Two kept exchanges on one connection, the payload of every link-layer scenario.
  static func addSimpleTraffic(
    to b: inout ScenarioBuilder, client: Endpoint, server: Endpoint, offset: Duration = .zero,
    format: PacketFormat? = nil,
    seed: UInt64
  ) {
    var s = b.session(client: client, server: server, offset: offset, format: format)
    b.expect(
      s.exchange(Message.get("/v1/link/\(seed)", server: server), Message.ok(Message.document(seed, size: 2_000))))
    b.expect(
      s.exchange(
        Message.post("/v1/link/\(seed)", server: server, body: Message.document(seed + 1, size: 1_600)),
        Message.ok(Message.document(seed + 2))))
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
  }

  static func ipv6() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "ipv6-extension-headers",
      summary:
        "IPv6 plain, with hop-by-hop and destination-options headers before TCP, and with only destination options.")
    addSimpleTraffic(to: &b, client: .client6(1), server: .server6(1), seed: 400)
    addSimpleTraffic(
      to: &b, client: .client6(2), server: .server6(1), offset: .microseconds(7),
      format: b.format(ipv6ExtensionHeaders: [.hopByHop, .destinationOptions(padding: 12)]), seed: 410)
    addSimpleTraffic(
      to: &b, client: .client6(3), server: .server6(1), offset: .microseconds(13),
      format: b.format(ipv6ExtensionHeaders: [.destinationOptions(padding: 0)]), seed: 420)
    return b
  }

  static func vlan() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "vlan-8021q", summary: "Ethernet frames with an 802.1Q tag (VLAN 100), IPv4 and IPv6.",
      link: .ethernet(vlanTags: [VLANTag(vlanID: 100)]))
    addSimpleTraffic(to: &b, client: .client(60), server: .server(60), seed: 430)
    addSimpleTraffic(to: &b, client: .client6(60), server: .server6(60), offset: .microseconds(9), seed: 440)
    return b
  }

  static func qinq() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "vlan-qinq", summary: "QinQ: an 802.1ad service tag (0x88a8, VLAN 200) around an 802.1Q tag (VLAN 100).",
      link: .ethernet(vlanTags: [VLANTag(protocolIdentifier: 0x88a8, vlanID: 200), VLANTag(vlanID: 100)]))
    addSimpleTraffic(to: &b, client: .client(61), server: .server(61), seed: 450)
    addSimpleTraffic(to: &b, client: .client6(61), server: .server6(61), offset: .microseconds(9), seed: 460)
    return b
  }

  static func linuxCooked() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "linux-cooked-v1", summary: "Linux cooked capture v1 (`-i any`), IPv4 and IPv6.", link: .linuxSLL)
    addSimpleTraffic(to: &b, client: .client(62), server: .server(62), seed: 470)
    addSimpleTraffic(to: &b, client: .client6(62), server: .server6(62), offset: .microseconds(9), seed: 480)
    return b
  }

  static func linuxCooked2() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "linux-cooked-v2", summary: "Linux cooked capture v2, IPv4 and IPv6.", link: .linuxSLL2(interfaceIndex: 7))
    addSimpleTraffic(to: &b, client: .client(63), server: .server(63), seed: 490)
    addSimpleTraffic(to: &b, client: .client6(63), server: .server6(63), offset: .microseconds(9), seed: 500)
    return b
  }

  static func rawIP() -> ScenarioBuilder {
    var b = ScenarioBuilder(name: "raw-ip", summary: "Raw IP link type (101): bare IPv4 and IPv6 packets.", link: .raw)
    addSimpleTraffic(to: &b, client: .client(64), server: .server(64), seed: 510)
    addSimpleTraffic(to: &b, client: .client6(64), server: .server6(64), offset: .microseconds(9), seed: 520)
    return b
  }

  static let loopback4 = IPAddress.v4(127, 0, 0, 1)
  static let loopback6 = IPAddress(ipv6High: 0, low: 1)

  static func loopbackScenario(
    name: String, summary: String, link: (UInt32) -> LinkHeader, families: [UInt32], seed: UInt64
  ) -> ScenarioBuilder {
    var b = ScenarioBuilder(name: name, summary: summary, link: link(30))
    addSimpleTraffic(
      to: &b, client: Endpoint(ip: loopback4, port: 41_000), server: Endpoint(ip: loopback4, port: 8080), seed: seed)
    for (index, family) in families.enumerated() {
      addSimpleTraffic(
        to: &b, client: Endpoint(ip: loopback6, port: UInt16(42_000 + index)),
        server: Endpoint(ip: loopback6, port: 8081),
        offset: .microseconds(Int64(5 + 7 * index)), format: PacketFormat(link: link(family)),
        seed: seed + 10 * UInt64(index + 1))
    }
    return b
  }

  static func nullLoopback() -> ScenarioBuilder {
    loopbackScenario(
      name: "null-loopback",
      summary:
        "BSD loopback (DLT_NULL): family 2 for IPv4; 24, 28 and 30 for IPv6 (as the BSDs and macOS write it), in host byte order.",
      link: { .null(ipv6Family: $0) }, families: [24, 28, 30], seed: 530)
  }

  static func nullLoopbackLinuxFamily() -> ScenarioBuilder {
    var b = loopbackScenario(
      name: "null-loopback-linux-family",
      summary: "DLT_NULL with Linux's AF_INET6 value 10 (which Wireshark does not decode) next to IPv4.",
      link: { .null(ipv6Family: $0) }, families: [10], seed: 660)
    b.isCleanCapture = false
    return b
  }

  static func loopLoopback() -> ScenarioBuilder {
    loopbackScenario(
      name: "loop-loopback",
      summary: "OpenBSD loopback (DLT_LOOP): the same families in network byte order.",
      link: { .loop(ipv6Family: $0) }, families: [24, 28, 30], seed: 580)
  }

  static func loopLoopbackLinuxFamily() -> ScenarioBuilder {
    var b = loopbackScenario(
      name: "loop-loopback-linux-family",
      summary: "DLT_LOOP with AF_INET6 value 10 in network byte order, next to IPv4.",
      link: { .loop(ipv6Family: $0) }, families: [10], seed: 670)
    b.isCleanCapture = false
    return b
  }

  static func ipv4Options() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "ipv4-options", summary: "IPv4 headers with options (router alert, record route): a 60-byte IP header.")
    addSimpleTraffic(
      to: &b, client: .client(65), server: .server(65),
      format: b.format(ipv4Options: [.routerAlert, .noOperation, .recordRoute(slots: 8)]), seed: 630)
    addSimpleTraffic(
      to: &b, client: .client(66), server: .server(65), offset: .microseconds(9),
      format: b.format(ipv4Options: [.routerAlert]),
      seed: 640)
    return b
  }

  static func nanosecondTimestamps() -> ScenarioBuilder {
    var b = ScenarioBuilder(
      name: "nanosecond-timestamps",
      summary: "A nanosecond-precision pcap (magic a1b23c4d) with sub-microsecond packet times.")
    b.precision = .nanoseconds
    var s = b.session(client: .client(67), server: .server(67), offset: .nanoseconds(123))
    s.tcp.packetSpacing = .nanoseconds(333)
    s.serverLatency = .nanoseconds(4_321)
    b.expect(s.exchange(Message.get("/v1/ns", server: .server(67)), Message.ok(Message.document(650))))
    b.expect(
      s.exchange(
        Message.post("/v1/ns", server: .server(67), body: Message.document(651)),
        Message.ok(Message.document(652, size: 3_000))))
    s.tcp.close(initiator: .clientToServer)
    b.add(s)
    return b
  }
}
