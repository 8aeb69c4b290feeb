import SovrenModel

/// A request/response exchange as it went over the wire, with the pair the interceptor must
/// build from it and the segments that carried it (for impairments).
public struct ExchangeRecord: Sendable {
  /// The pair to expect if nothing drops it. `node` and `interface` are empty.
  public var pair: HTTPPair
  public var request: EncodedMessage
  public var response: EncodedMessage
  /// Indices in the session's `tcp.segments` of the segments carrying request bytes.
  public var requestSegments: ClosedRange<Int>
  /// Indices of the segments carrying the final response's bytes.
  public var responseSegments: ClosedRange<Int>
  /// Status codes of the interim (1xx) responses sent before the final one.
  public var interimStatuses: [Int] = []
}

/// HTTP/1.x exchanges scripted over one TCP connection: who sends what, when, and who ACKs.
public struct HTTPSession: Sendable {
  public var tcp: TCPConversation
  /// Time between the request's last packet and the response's first.
  public var serverLatency: Duration = .microseconds(400)
  /// Time between a response and the next request on the connection.
  public var clientThinkTime: Duration = .microseconds(300)
  /// Send the header block and the body in separate writes, as many clients do.
  public var sendHeadSeparately = false

  /// A connection that starts with a handshake at `start`, or, with `handshake: false`, one
  /// already open when the capture starts.
  public init(
    client: Endpoint, server: Endpoint, start: PacketTime, clientISN: UInt32 = 1_000_000,
    serverISN: UInt32 = 3_000_000, format: PacketFormat = PacketFormat(), handshake: Bool = true
  ) {
    tcp = TCPConversation(
      client: client, server: server, start: start, clientISN: clientISN, serverISN: serverISN, format: format)
    if handshake { tcp.openHandshake() }
  }

  /// One request answered by one response (after its interim responses).
  @discardableResult
  public mutating func exchange(
    _ request: SynthRequest, _ response: SynthResponse, latency: Duration? = nil
  ) -> ExchangeRecord {
    let sentRequest = sendRequest(request)
    tcp.acknowledge(from: .serverToClient)
    tcp.wait(latency ?? serverLatency)
    return answer(request, sentRequest, with: response)
  }

  /// `Expect: 100-continue`: the client sends the header block, the server answers
  /// `100 Continue`, the client sends the body, then the final response follows.
  @discardableResult
  public mutating func exchangeWithContinue(_ request: SynthRequest, _ response: SynthResponse) -> ExchangeRecord {
    let encoded = request.encoded()
    let head = tcp.send(encoded.head, from: .clientToServer)
    tcp.wait(serverLatency)
    tcp.send(InterimResponse.continue.wire(version: response.version), from: .serverToClient)
    tcp.wait(.microseconds(100))
    let body = tcp.send(encoded.body, from: .clientToServer)
    tcp.acknowledge(from: .serverToClient)
    tcp.wait(serverLatency)
    var rest = response
    rest.interim = []
    var record = answer(request, (encoded, head.lowerBound...(body.upperBound - 1)), with: rest)
    record.interimStatuses = [100]
    return record
  }

  /// Pipelining: every request is written before the first response; responses follow in
  /// order. Requests are sent in one write, so segments may hold the end of one request and
  /// the start of the next.
  @discardableResult
  public mutating func pipeline(_ exchanges: [(SynthRequest, SynthResponse)]) -> [ExchangeRecord] {
    let encoded = exchanges.map { $0.0.encoded() }
    let bytes = encoded.flatMap(\.wire)
    let range = tcp.send(bytes, from: .clientToServer)
    tcp.acknowledge(from: .serverToClient)
    tcp.wait(serverLatency)
    var offset = 0
    var records: [ExchangeRecord] = []
    for (index, exchange) in exchanges.enumerated() {
      let length = encoded[index].wire.count
      let segments = segmentsCovering(offset..<(offset + length), in: range)
      offset += length
      records.append(answer(exchange.0, (encoded[index], segments), with: exchange.1))
      tcp.wait(.microseconds(50))
    }
    return records
  }

  /// Sends a request and nothing else: for requests left unanswered or cut short.
  @discardableResult
  public mutating func sendRequest(_ request: SynthRequest) -> (EncodedMessage, ClosedRange<Int>) {
    let encoded = request.encoded()
    let first = tcp.segments.count
    if sendHeadSeparately && !encoded.body.isEmpty {
      tcp.send(encoded.head, from: .clientToServer)
      tcp.send(encoded.body, from: .clientToServer)
    } else {
      tcp.send(encoded.wire, from: .clientToServer)
    }
    return (encoded, first...(tcp.segments.count - 1))
  }

  /// Sends raw bytes from one side (partial messages, garbage, mid-stream pick-up).
  @discardableResult
  public mutating func sendRaw(_ bytes: [UInt8], from direction: Direction, segmentSize: Int? = nil) -> Range<Int> {
    tcp.send(bytes, from: direction, segmentSize: segmentSize)
  }

  /// The server's interim and final responses to a request already sent.
  mutating func answer(
    _ request: SynthRequest, _ sent: (EncodedMessage, ClosedRange<Int>), with response: SynthResponse
  ) -> ExchangeRecord {
    for interim in response.interim {
      tcp.send(interim.wire(version: response.version), from: .serverToClient)
      tcp.acknowledge(from: .clientToServer)
      tcp.wait(.microseconds(100))
    }
    let encoded = response.encoded()
    let closes = response.framing == .closeDelimited
    let range: Range<Int>
    if sendHeadSeparately && !encoded.body.isEmpty {
      let head = tcp.send(encoded.head, from: .serverToClient)
      let body = tcp.send(encoded.body, from: .serverToClient, fin: closes)
      range = head.lowerBound..<body.upperBound
    } else {
      range = tcp.send(encoded.wire, from: .serverToClient, fin: closes)
    }
    if closes {
      tcp.close(initiator: .serverToClient)
    } else {
      tcp.acknowledge(from: .clientToServer)
    }
    tcp.wait(clientThinkTime)
    let requestSegments = sent.1
    let responseSegments = range.lowerBound...(range.upperBound - 1)
    let pair = HTTPPair(
      requestTime: tcp.segments[requestSegments.lowerBound].time,
      responseTime: tcp.segments[responseSegments.upperBound].time,
      client: tcp.client, server: tcp.server,
      request: HTTPRequest(
        method: request.method, target: request.target, version: request.version,
        headers: sent.0.expectedHeaders, body: sent.0.decodedBody),
      response: HTTPResponse(
        status: response.status, reason: response.reason, version: response.version,
        headers: encoded.expectedHeaders, body: encoded.decodedBody))
    return ExchangeRecord(
      pair: pair, request: sent.0, response: encoded, requestSegments: requestSegments,
      responseSegments: responseSegments, interimStatuses: response.interim.map(\.status))
  }

  /// The segments in `range` whose payload overlaps stream bytes `bytes` (offsets relative to
  /// the first segment of `range`).
  private func segmentsCovering(_ bytes: Range<Int>, in range: Range<Int>) -> ClosedRange<Int> {
    var offset = 0
    var first: Int?
    var last = range.lowerBound
    for index in range {
      let length = tcp.segments[index].payload.count
      if offset + length > bytes.lowerBound && offset < bytes.upperBound {
        if first == nil { first = index }
        last = index
      }
      offset += length
    }
    return (first ?? range.lowerBound)...last
  }
}
