import SovrenModel

/// A small capture with exact ground truth: the pairs an interceptor must emit from it and
/// the drops it must count. Each scenario pins down one behaviour of the contract.
public struct Scenario: Sendable {
  /// File-name friendly, unique in the catalogue.
  public var name: String
  /// One sentence: what the capture contains and what it tests.
  public var summary: String
  public var linkType: LinkType
  public var precision: TimestampPrecision
  /// The file header's snap length; packets are already cut to it.
  public var snapLength: Int
  /// The capture, in file order.
  public var packets: [CapturedPacket]
  /// The pairs to emit, in the order their responses complete (node and interface empty).
  public var expectedPairs: [HTTPPair]
  /// Drops by reason; every reason not listed must end at zero.
  public var expectedDrops: [DropReason: ExpectedCount]
  public var limits: ScenarioLimits
  /// Whether `requestTime`/`responseTime` of the expected pairs are exact (in-order captures).
  public var timesAreExact: Bool
  /// Whether every TCP checksum in the file is correct (so tshark can verify them).
  public var checksumsAreCorrect: Bool
  /// Whether the capture is clean enough for an independent dissector (tshark) to list the
  /// same requests and responses: no loss, reordering, retransmission, fragments, truncation,
  /// mid-stream start, garbage, or headers Wireshark does not decode.
  public var isCleanCapture: Bool
  /// Every complete exchange the scenario sent (kept or dropped), in the order sent, for
  /// comparison with an independent dissector.
  public var sentExchanges: [SentExchange]

  /// Writes the capture as a pcap file.
  public func write(to path: String) throws(SynthError) {
    let writer = try PcapWriter(path: path, linkType: linkType, snapLength: snapLength, precision: precision)
    for packet in packets { try writer.write(packet) }
    try writer.close()
  }

  /// The expected drops for every reason, zero where the scenario lists none.
  public func expectedCount(for reason: DropReason) -> ExpectedCount {
    expectedDrops[reason] ?? .exactly(0)
  }
}

/// What one exchange put on the wire, whatever the interceptor must do with it.
public struct SentExchange: Sendable, Hashable {
  public var method: String
  public var target: String
  public var interimStatuses: [Int]
  public var status: Int
  /// Decoded bodies (empty when none was sent).
  public var requestBody: [UInt8]
  public var responseBody: [UInt8]
}

/// Assembles a scenario: sessions, expectations derived from the contract's rules, and the
/// problems found while deriving them (an ambiguous pair is a bug in the scenario).
public struct ScenarioBuilder: Sendable {
  public var name: String
  public var summary: String
  public var link: LinkHeader
  public var limits: ScenarioLimits
  public var snapLength = 262_144
  public var precision: TimestampPrecision = .microseconds
  public var timesAreExact = true
  public var isCleanCapture = true
  /// Problems found while building; the catalogue's tests require none.
  public private(set) var problems: [String] = []

  private var conversations: [TCPConversation] = []
  private var extraPackets: [CapturedPacket] = []
  private var pairs: [HTTPPair] = []
  private var drops: [DropReason: ExpectedCount] = [:]
  private var start: PacketTime
  private var sentExchanges: [SentExchange] = []

  public init(name: String, summary: String, link: LinkHeader = .plainEthernet, limits: ScenarioLimits = .defaults) {
    self.name = name
    self.summary = summary
    self.link = link
    self.limits = limits
    start = PacketTime(nanoseconds: 1_700_000_000_000_000_000)
  }

  /// The time the capture starts; sessions usually start a little after it.
  public var captureStart: PacketTime { start }

  /// A packet format on this scenario's link with the given tweaks.
  public func format(
    checksum: ChecksumMode = .correct, ipv4Options: [IPv4Option] = [], ipv6ExtensionHeaders: [IPv6ExtensionHeader] = [],
    tcpTimestamps: Bool = true
  ) -> PacketFormat {
    PacketFormat(
      link: link, checksum: checksum, ipv4Options: ipv4Options, ipv6ExtensionHeaders: ipv6ExtensionHeaders,
      tcpTimestamps: tcpTimestamps)
  }

  /// A new session on this scenario's link, starting `offset` after the capture start.
  public func session(
    client: Endpoint, server: Endpoint, offset: Duration = .zero, clientISN: UInt32 = 1_000_000,
    serverISN: UInt32 = 3_000_000, format: PacketFormat? = nil, handshake: Bool = true
  ) -> HTTPSession {
    HTTPSession(
      client: client, server: server, start: start.adding(offset), clientISN: clientISN, serverISN: serverISN,
      format: format ?? self.format(), handshake: handshake)
  }

  /// Adds a finished session's packets to the capture.
  public mutating func add(_ session: HTTPSession) {
    conversations.append(session.tcp)
  }

  public mutating func add(_ conversation: TCPConversation) {
    conversations.append(conversation)
  }

  /// Adds packets that belong to no TCP conversation (UDP, garbage).
  public mutating func add(packets: [CapturedPacket]) {
    extraPackets += packets
  }

  /// Expects what the contract's rules say for a cleanly captured exchange.
  public mutating func expect(_ exchange: ExchangeRecord) {
    noteSent(exchange)
    switch PairRules.verdict(for: exchange, limits: limits) {
    case .kept: pairs.append(exchange.pair)
    case .dropped(let reason): expectDrop(reason)
    case .ambiguous(let reasons):
      problems.append(
        "\(name): \(exchange.pair.request.method) \(exchange.pair.request.target) triggers \(reasons.map(\.label))")
    }
  }

  /// Expects every exchange in order.
  public mutating func expect(_ exchanges: [ExchangeRecord]) {
    for exchange in exchanges { expect(exchange) }
  }

  /// Expects `exchange` to be lost for `reason` (a capture impairment), after checking the
  /// rules would have kept it; otherwise the expectation would be ambiguous.
  public mutating func expectLost(_ exchange: ExchangeRecord, reason: DropReason) {
    noteSent(exchange)
    if PairRules.verdict(for: exchange, limits: limits) != .kept {
      problems.append("\(name): lost exchange \(exchange.pair.request.target) would be filtered anyway")
    }
    expectDrop(reason)
  }

  /// Expects `exchange` to become a pair (checked against the rules) with a time adjusted.
  public mutating func expectPair(_ pair: HTTPPair) {
    pairs.append(pair)
  }

  public mutating func expectDrop(_ reason: DropReason, count: UInt64 = 1) {
    drops[reason] = (drops[reason] ?? .exactly(0)).adding(count)
  }

  public mutating func expectDrop(_ reason: DropReason, atLeast count: UInt64) {
    drops[reason] = .atLeast(count)
  }

  /// Records an exchange for the dissector comparison without expecting anything from it.
  public mutating func noteSent(_ exchange: ExchangeRecord) {
    sentExchanges.append(
      SentExchange(
        method: exchange.pair.request.method, target: exchange.pair.request.target,
        interimStatuses: exchange.interimStatuses, status: exchange.pair.response.status,
        requestBody: exchange.pair.request.body, responseBody: exchange.pair.response.body))
  }

  public mutating func noteProblem(_ problem: String) {
    problems.append(problem)
  }

  /// The capture in time order; ties keep the order sessions were added.
  public func build() -> Scenario {
    var keyed: [(time: PacketTime, group: Int, index: Int, packet: CapturedPacket)] = []
    for (group, conversation) in conversations.enumerated() {
      for (index, record) in conversation.segments.enumerated() {
        for packet in conversation.render(record) { keyed.append((record.time, group, index, packet)) }
      }
    }
    for (index, packet) in extraPackets.enumerated() {
      keyed.append((packet.time, conversations.count, index, packet))
    }
    keyed.sort { ($0.time, $0.group, $0.index) < ($1.time, $1.group, $1.index) }
    let packets = keyed.map { entry -> CapturedPacket in
      var packet = entry.packet
      if packet.bytes.count > snapLength { packet.bytes.removeSubrange(snapLength...) }
      return packet
    }
    let checksumsCorrect = conversations.allSatisfy { $0.format.checksum == .correct }
    return Scenario(
      name: name, summary: summary, linkType: link.linkType, precision: precision, snapLength: snapLength,
      packets: packets, expectedPairs: pairs.sorted { $0.responseTime < $1.responseTime },
      expectedDrops: drops.filter { $0.value != .exactly(0) }, limits: limits, timesAreExact: timesAreExact,
      checksumsAreCorrect: checksumsCorrect, isCleanCapture: isCleanCapture, sentExchanges: sentExchanges)
  }
}
