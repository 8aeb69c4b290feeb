import SovrenModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Ground truth for a generated benchmark capture.
public struct TrafficMixSummary: Sendable, Codable, Equatable {
  public var seed: UInt64
  public var packets: UInt64
  /// File size in bytes, headers included.
  public var bytes: UInt64
  public var connections: UInt64
  /// Every complete exchange written.
  public var exchanges: UInt64
  /// Pairs the interceptor must emit.
  public var keptPairs: UInt64
  /// Pairs its filters must drop, by `DropReason.label`.
  public var droppedPairs: [String: UInt64]
  /// Exchanges where several rules applied (the generator avoids them; should be zero).
  public var ambiguousPairs: UInt64
}

/// A large, realistic capture streamed to disk for benchmarks: many concurrent keep-alive
/// connections interleaved packet by packet, JSON APIs with the odd HTML page, image, metrics
/// scrape, kubelet probe and 404 mixed in. Deterministic from `seed`; memory stays small
/// because each connection only holds the packets of its current exchange.
public struct TrafficMix: Sendable {
  public var seed: UInt64
  /// Stop starting exchanges once the file reaches this size (open ones are finished).
  public var targetBytes: UInt64
  /// Connections open at any time.
  public var concurrentConnections: Int
  /// Distinct server endpoints.
  public var serverCount: Int
  public var link: LinkHeader
  public var checksum: ChecksumMode

  public init(
    seed: UInt64 = 1, targetBytes: UInt64 = 500_000_000, concurrentConnections: Int = 200, serverCount: Int = 64,
    link: LinkHeader = .plainEthernet, checksum: ChecksumMode = .correct
  ) {
    self.seed = seed
    self.targetBytes = targetBytes
    self.concurrentConnections = max(1, concurrentConnections)
    self.serverCount = max(1, serverCount)
    self.link = link
    self.checksum = checksum
  }

  /// Writes the capture to `path` and returns what the interceptor must make of it.
  public func write(to path: String) throws(SynthError) -> TrafficMixSummary {
    let writer = try PcapWriter(path: path, linkType: link.linkType)
    var generator = MixGenerator(mix: self)
    var slots = (0..<concurrentConnections).map { generator.openConnection(slot: $0) }
    var stopping = false
    while true {
      var best = -1
      var bestTime = PacketTime(nanoseconds: Int64.max)
      for index in slots.indices where slots[index].hasPacket && slots[index].nextTime < bestTime {
        best = index
        bestTime = slots[index].nextTime
      }
      guard best >= 0 else { break }
      let packet = slots[best].popPacket()
      try writer.write(packet)
      if !stopping && writer.bytesWritten >= targetBytes { stopping = true }
      if !slots[best].hasPacket {
        generator.advance(&slots[best], stopping: stopping)
      }
    }
    try writer.close()
    var summary = generator.summary
    summary.packets = writer.packetsWritten
    summary.bytes = writer.bytesWritten
    return summary
  }
}

/// One connection of the mix and the packets of its current exchange.
struct MixConnection {
  var session: HTTPSession
  var server: Int
  var exchangesLeft: Int
  var queue: [CapturedPacket] = []
  var position = 0
  var closed = false

  var hasPacket: Bool { position < queue.count }
  var nextTime: PacketTime { queue[position].time }

  mutating func popPacket() -> CapturedPacket {
    defer { position += 1 }
    return queue[position]
  }

  mutating func refill() {
    let records = session.tcp.takeSegments().sorted { $0.time < $1.time }
    queue.removeAll(keepingCapacity: true)
    position = 0
    for record in records { queue += session.tcp.render(record) }
  }
}

struct MixGenerator {
  let mix: TrafficMix
  var random: SeededGenerator
  var summary: TrafficMixSummary
  var nextClient = 0
  /// Pre-generated JSON documents of log-normal sizes: generating every body afresh would make
  /// the generator, not the interceptor, the benchmark's bottleneck.
  let documents: [[UInt8]]
  let start = PacketTime.epoch2023

  static let resources = [
    "users", "orders", "customers", "payments", "invoices", "sessions", "profiles", "carts", "shipments", "accounts",
  ]

  init(mix: TrafficMix) {
    self.mix = mix
    random = SeededGenerator(seed: mix.seed)
    summary = TrafficMixSummary(
      seed: mix.seed, packets: 0, bytes: 0, connections: 0, exchanges: 0, keptPairs: 0, droppedPairs: [:],
      ambiguousPairs: 0)
    var documentRandom = SeededGenerator(seed: mix.seed ^ 0xd0c5)
    documents = (0..<768).map { index in
      // Log-normal around 2 KB, clamped to 100 B ... 64 KiB.
      let u1 = max(documentRandom.unit(), 1e-12)
      let u2 = documentRandom.unit()
      let z = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
      let size = min(65_536, max(100, Int(exp(7.6 + 1.1 * z))))
      return SyntheticJSON.document(size: size, seed: mix.seed &+ UInt64(index) &* 7919)
    }
  }

  func serverEndpoint(_ index: Int) -> Endpoint {
    Endpoint(ip: .v4(10, 96, UInt8(index / 250), UInt8(index % 250 + 1)), port: index % 3 == 0 ? 80 : 8080)
  }

  mutating func openConnection(slot: Int, at time: PacketTime? = nil) -> MixConnection {
    nextClient += 1
    summary.connections += 1
    let clientNumber = nextClient
    let client = Endpoint(
      ip: .v4(10, 1 + UInt8(clientNumber % 50), UInt8((clientNumber / 50) % 250), UInt8(clientNumber % 249 + 2)),
      port: UInt16(32_768 + (clientNumber * 131) % 28_000))
    let server = random.below(mix.serverCount)
    let startTime = time ?? start.adding(.microseconds(Int64(random.below(20_000))))
    var session = HTTPSession(
      client: client, server: serverEndpoint(server), start: startTime,
      clientISN: UInt32(truncatingIfNeeded: random.next()),
      serverISN: UInt32(truncatingIfNeeded: random.next()),
      format: PacketFormat(link: mix.link, checksum: mix.checksum, tcpTimestamps: true))
    session.serverLatency = .microseconds(Int64(200 + random.below(3_000)))
    var connection = MixConnection(session: session, server: server, exchangesLeft: 5 + random.below(60))
    generateExchange(&connection)
    connection.refill()
    return connection
  }

  /// Queues the connection's next exchange, or closes it and opens a replacement.
  mutating func advance(_ connection: inout MixConnection, stopping: Bool) {
    if connection.closed {
      if !stopping {
        connection = openConnection(
          slot: 0, at: connection.session.tcp.clock.adding(.microseconds(Int64(50 + random.below(500)))))
      }
      return
    }
    if stopping || connection.exchangesLeft <= 0 {
      connection.session.tcp.close(initiator: random.chance(0.5) ? .clientToServer : .serverToClient)
      connection.closed = true
    } else {
      connection.session.tcp.wait(.microseconds(Int64(100 + random.below(8_000))))
      generateExchange(&connection)
    }
    connection.refill()
  }

  mutating func document() -> (index: Int, bytes: [UInt8]) {
    let index = random.below(documents.count)
    return (index, documents[index])
  }

  mutating func count(_ record: ExchangeRecord) {
    summary.exchanges += 1
    switch PairRules.verdict(for: record) {
    case .kept: summary.keptPairs += 1
    case .dropped(let reason): summary.droppedPairs[reason.label, default: 0] += 1
    case .ambiguous: summary.ambiguousPairs += 1
    }
  }

  mutating func generateExchange(_ connection: inout MixConnection) {
    connection.exchangesLeft -= 1
    let server = serverEndpoint(connection.server)
    let resource = MixGenerator.resources[connection.server % MixGenerator.resources.count]
    let roll = random.below(1_000)
    if roll < 20 {
      let depth = 2 + random.below(2)
      let exchanges = (0..<depth).map { _ in
        (Message.get("/api/v1/\(resource)/\(random.below(100_000))", server: server), jsonResponse())
      }
      for record in connection.session.pipeline(exchanges) { count(record) }
      return
    }
    let exchange: (SynthRequest, SynthResponse)
    switch roll {
    case 20..<60:
      exchange = (
        Message.get("/metrics", server: server, userAgent: HeaderLine("User-Agent", "Prometheus/2.48.0")),
        Message.ok(metricsBody(), contentType: "text/plain; version=0.0.4")
      )
    case 60..<90:
      exchange = (
        Message.get("/ready", server: server, userAgent: HeaderLine("User-Agent", "kube-probe/1.29")),
        Message.ok(Array("ok".utf8), contentType: "text/plain")
      )
    case 90..<140:
      exchange = (
        Message.get("/api/v1/\(resource)/\(random.below(100_000))", server: server),
        Message.ok(Array("{\"error\":\"not found\"}".utf8), status: 404, reason: "Not Found")
      )
    case 140..<190:
      exchange = (
        Message.get("/\(resource)/index.html", server: server),
        Message.ok(htmlBody(), contentType: "text/html; charset=utf-8")
      )
    case 190..<220:
      exchange = (
        Message.get("/static/\(random.below(500)).png", server: server),
        Message.ok(binaryBody(), contentType: "image/png")
      )
    case 220..<230:
      exchange = (
        Message.post(
          "/api/v1/\(resource)", server: server, body: document().bytes, headers: [HeaderLine("X-Sovren-Request", "1")]),
        jsonResponse()
      )
    case 230..<600:
      exchange = (
        Message.get("/api/v1/\(resource)/\(random.below(100_000))?fields=all", server: server), jsonResponse()
      )
    default:
      let method = random.pick(["POST", "PUT", "PATCH"])
      var request = Message.post("/api/v1/\(resource)", server: server, body: document().bytes, method: method)
      if random.chance(0.1) { request.framing = .chunked(chunkSize: 4_096) }
      exchange = (request, jsonResponse())
    }
    count(connection.session.exchange(exchange.0, exchange.1))
  }

  mutating func jsonResponse() -> SynthResponse {
    let body = document().bytes
    var response = Message.ok(body)
    if random.chance(0.2) { response.framing = .chunked(chunkSize: 2_048 + random.below(6_000)) }
    if random.chance(0.1) { response.coding = .gzip }
    return response
  }

  mutating func metricsBody() -> [UInt8] {
    var text = ""
    for index in 0..<(20 + random.below(60)) {
      text +=
        "# TYPE http_requests_total counter\nhttp_requests_total{code=\"200\",handler=\"h\(index)\"} \(random.below(1_000_000))\n"
    }
    return Array(text.utf8)
  }

  mutating func htmlBody() -> [UInt8] {
    let paragraphs = 5 + random.below(60)
    var text = "<!doctype html><html><head><title>Page</title></head><body>"
    for index in 0..<paragraphs { text += "<p>Paragraph \(index) of the page, with some filler text to look real.</p>" }
    return Array((text + "</body></html>").utf8)
  }

  mutating func binaryBody() -> [UInt8] {
    SyntheticImage.png(size: 2_000 + random.below(60_000), random: &random)
  }
}
