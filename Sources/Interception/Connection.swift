import SovrenModel

/// A request waiting for its response, or a placeholder for one known to be lost (so that the
/// response it gets is not paired with the wrong request).
struct PendingRequest {
  /// nil for a placeholder: the request was lost before its head was complete.
  var head: MessageHead?
  var body: [UInt8] = []
  var sentBodyLength = 0
  /// The pair is lost for this reason, counted when the request is resolved.
  var dropReason: DropReason?
  /// The loss was already counted (the response timed out): resolve without counting.
  var isSilent = false
  var isComplete = false
  var isHEAD = false
  var isCONNECT = false
  var firstByteTime: PacketTime
  var completedTime: PacketTime
  var startSequence: UInt32?
}

/// One TCP connection: both directions' reassembly and parsing, and the pairing of requests
/// with responses in order.
final class Connection: HTTPMessageSink {
  /// The endpoints in canonical order (`a` sorts first); which is the client is learned.
  let a: Endpoint
  let b: Endpoint
  let fromA = HalfStream()
  let fromB = HalfStream()
  private(set) var clientIsA: Bool?
  private(set) var pending: [PendingRequest] = []
  private(set) var lastSeen: PacketTime
  private var packetNumber: UInt64 = 0
  /// Bytes this connection holds: out-of-order segments, bodies in progress, waiting requests.
  private(set) var bufferedBytes = 0
  private(set) var isClosed = false
  /// Some data was seen: the connection is more than a handshake.
  private(set) var carriedData = false
  /// The connection is not HTTP (any more): its bytes are reassembled for nobody.
  private var ignoresData = false
  private unowned let context: InterceptionContext

  init(a: Endpoint, b: Endpoint, time: PacketTime, context: InterceptionContext) {
    self.a = a
    self.b = b
    self.lastSeen = time
    self.context = context
  }

  var client: Endpoint? { clientIsA.map { $0 ? a : b } }
  var server: Endpoint? { clientIsA.map { $0 ? b : a } }

  // MARK: Segments

  func process(_ segment: TCPSegment, fromA senderIsA: Bool, time: PacketTime) {
    lastSeen = time
    packetNumber &+= 1
    let sender = senderIsA ? fromA : fromB
    let receiver = senderIsA ? fromB : fromA

    if segment.flags.contains(.rst) {
      close(reset: true)
      return
    }
    let hasData = !segment.payload.isEmpty || segment.missingPayload > 0
    if segment.flags.contains(.syn) {
      if !segment.flags.contains(.ack) {
        clientIsA = senderIsA
      } else if clientIsA == nil {
        clientIsA = !senderIsA
      }
      if !sender.isSynchronized { sender.synchronize(initialSequence: segment.sequence) }
    }
    if segment.flags.contains(.ack) {
      receiver.peerAcknowledged(segment.acknowledgment, time: time, packetNumber: packetNumber)
    }
    resolveDueHoles(time: time, sendingSide: hasData ? sender : nil)

    var sequence = segment.sequence
    if segment.flags.contains(.syn) { sequence = sequence &+ 1 }
    if !sender.isSynchronized {
      guard hasData || segment.flags.contains(.fin) else { return }
      sender.adopt(sequence: sequence)
    }
    let length = segment.payload.count + segment.missingPayload
    if segment.flags.contains(.fin) {
      sender.noteFIN(at: sequence &+ UInt32(truncatingIfNeeded: length))
    }
    if hasData {
      carriedData = true
      currentAcknowledgment = segment.flags.contains(.ack) ? segment.acknowledgment : nil
      receive(segment, at: sequence, into: sender, time: time)
      currentAcknowledgment = nil
    }
    finishIfDone(sender)
  }

  private var currentTime = PacketTime(nanoseconds: 0)
  private var currentAcknowledgment: UInt32?

  private func receive(_ segment: TCPSegment, at sequence: UInt32, into stream: HalfStream, time: PacketTime) {
    currentTime = time
    let length = segment.payload.count + segment.missingPayload
    while true {
      let offset = stream.offset(of: sequence)
      if offset <= 0 {
        guard -offset < length else { return }  // a retransmission of delivered bytes
        stream.deliver(segment.payload, trim: -offset, lostTail: segment.missingPayload, connection: self)
        release(stream.drain(connection: self))
        return
      }
      guard stream.isWithinWindow(offset) else { return }
      guard let refused = refusal(for: segment.payload.count) else { break }
      // No room to wait for the hole: give up on it (the message it falls in is lost, counted
      // under the cap that refused). That delivers what waited and brings this segment closer
      // to being in order; each round frees at least one waiting segment or reaches this one.
      if stream.outOfOrder.isEmpty || !stream.outOfOrder[0].sequence.isBefore(sequence) {
        release(stream.skipHole(before: sequence, reason: refused, connection: self))
      } else {
        release(stream.skipFirstHole(reason: refused, connection: self))
      }
    }
    // Ahead of a hole: keep a copy until the hole is filled or declared lost.
    let added = stream.store(
      HalfStream.PendingSegment(sequence: sequence, bytes: Array(segment.payload), lostTail: segment.missingPayload))
    reserve(added)
  }

  private func resolveDueHoles(time: PacketTime, sendingSide: HalfStream?) {
    if fromA.hasUnresolvedHole { resolveHoleIfDue(fromA, time: time, sendingSide: sendingSide) }
    if fromB.hasUnresolvedHole { resolveHoleIfDue(fromB, time: time, sendingSide: sendingSide) }
  }

  private func resolveHoleIfDue(_ stream: HalfStream, time: PacketTime, sendingSide: HalfStream?) {
    // The other side sending data means it has consumed what it acknowledged.
    let peerIsSending = sendingSide != nil && sendingSide !== stream
    if stream.holeIsDue(time: time, packetNumber: packetNumber, peerIsSending: peerIsSending) {
      currentTime = time
      release(stream.declareHoleLost(connection: self))
      finishIfDone(stream)
    }
  }

  private func finishIfDone(_ stream: HalfStream) {
    if stream.checkFinished() {
      parser(for: stream)?.finish()
    }
    if fromA.isFinished && fromB.isFinished {
      close(reset: false)
    }
  }

  // MARK: Parsers

  private var parserA: HTTPMessageParser?
  private var parserB: HTTPMessageParser?

  /// The parser of a direction, created on its first data.
  func parser(for stream: HalfStream) -> HTTPMessageParser? {
    if isClosed || ignoresData { return nil }
    let isA = stream === fromA
    if let existing = isA ? parserA : parserB {
      existing.currentTime = currentTime
      existing.currentAcknowledgment = currentAcknowledgment
      return existing
    }
    var role: HTTPMessageParser.Role? = nil
    if let clientIsA { role = (clientIsA == isA) ? .requests : .responses }
    let created = HTTPMessageParser(
      role: role, startsAtMessageBoundary: stream.sawStart && role != nil,
      maxHeaderBytes: context.configuration.maxHeaderBytes, sink: self)
    created.currentTime = currentTime
    created.currentAcknowledgment = currentAcknowledgment
    if isA { parserA = created } else { parserB = created }
    return created
  }

  /// Neither direction is read any further.
  private func stopParsing() {
    ignoresData = true
    parserA?.ignoreRest()
    parserB?.ignoreRest()
  }

  private func otherParser(than parser: HTTPMessageParser) -> HTTPMessageParser? {
    parser === parserA ? parserB : parserA
  }

  /// Roles found by parsing a stream picked up mid-way.
  private func learnRole(from parser: HTTPMessageParser) {
    guard clientIsA == nil, let role = parser.role else { return }
    let parserIsA = parser === parserA
    clientIsA = (role == .requests) == parserIsA
    otherParser(than: parser)?.assignRole(role == .requests ? .responses : .requests)
  }

  // MARK: HTTPMessageSink

  func headParsed(_ head: MessageHead, by parser: HTTPMessageParser) -> BodyPlan {
    learnRole(from: parser)
    return head.isRequest ? requestHeadParsed(head, by: parser) : responseHeadParsed(head)
  }

  private func requestHeadParsed(_ head: MessageHead, by parser: HTTPMessageParser) -> BodyPlan {
    let configuration = context.configuration
    var entry = PendingRequest(
      head: head, firstByteTime: parser.firstByteTime, completedTime: parser.currentTime,
      startSequence: parser.messageStartSequence)
    entry.isHEAD = head.method == "HEAD"
    entry.isCONNECT = head.method == "CONNECT"
    entry.dropReason = PairFilter.requestDropReason(head, excludedPaths: configuration.excludedPaths)
    if pending.count >= configuration.maxPendingRequests {
      entry.dropReason = entry.dropReason ?? .tooManyPending
      entry.head = nil
      // A client that keeps pipelining without answers is not followed further.
      if pending.count >= configuration.maxPendingRequests * 4 {
        context.drop(.tooManyPending)
        close(reset: true)
        return BodyPlan(keepLimit: nil)
      }
    }
    pending.append(entry)
    return BodyPlan(keepLimit: entry.dropReason == nil ? configuration.bodyLimit : nil)
  }

  private func responseHeadParsed(_ head: MessageHead) -> BodyPlan {
    let status = head.status ?? 0
    guard let request = pending.first else {
      return BodyPlan(hasNoBody: status == 204 || status == 304, keepLimit: nil, switchesProtocol: status == 101)
    }
    var plan = BodyPlan()
    plan.hasNoBody = request.isHEAD || status == 204 || status == 304 || (request.isCONNECT && status / 100 == 2)
    plan.switchesProtocol = status == 101 || (request.isCONNECT && status / 100 == 2)
    let dropped =
      request.dropReason != nil || request.isSilent || request.head == nil
      || PairFilter.responseDropReason(head, request: request.head) != nil
    plan.keepLimit = dropped ? nil : max(0, context.configuration.bodyLimit - request.sentBodyLength)
    return plan
  }

  func messageCompleted(_ message: ParsedMessage, by parser: HTTPMessageParser) {
    if message.head.isRequest {
      requestCompleted(message)
    } else {
      responseCompleted(message)
    }
    if parser.isIgnoring {
      // 101 Switching Protocols or a CONNECT tunnel: what follows is not HTTP.
      context.upgradedConnections += 1
      stopParsing()
      resolveAllPending()
    }
  }

  private func requestCompleted(_ message: ParsedMessage) {
    // The request's entry is the newest one, unless an early response already resolved it.
    guard let index = pending.lastIndex(where: { !$0.isComplete && $0.head != nil }) else {
      release(message.body.count)
      return
    }
    pending[index].body = message.body
    pending[index].sentBodyLength = message.sentBodyLength
    pending[index].isComplete = true
    pending[index].completedTime = message.lastByteTime
    if pending[index].dropReason == nil, let reason = message.bodyDropReason {
      pending[index].dropReason = reason
      release(message.body.count)
      pending[index].body = []
    }
  }

  private func responseCompleted(_ response: ParsedMessage) {
    defer { release(response.body.count) }
    expireRequests(now: response.lastByteTime)
    guard let request = pending.first else {
      context.drop(.unmatchedResponse)
      return
    }
    // A response sent before the server had any of the request cannot answer it: a request
    // before it was lost unseen.
    if let acknowledged = response.firstAcknowledgment, let start = request.startSequence, request.head != nil,
      !start.isBefore(acknowledged)
    {
      context.drop(.unmatchedResponse)
      return
    }
    pending.removeFirst()
    release(request.body.count)
    if request.isSilent { return }
    if let reason = request.dropReason {
      context.drop(reason)
      return
    }
    guard let requestHead = request.head, request.isComplete else {
      context.drop(.incompleteMessage)
      return
    }
    if let reason = PairFilter.responseDropReason(response.head, request: requestHead) {
      context.drop(reason)
      return
    }
    let limit = context.configuration.bodyLimit
    if response.sentBodyLength > limit {
      context.drop(.bodyTooLarge)
      return
    }
    if request.sentBodyLength + response.sentBodyLength > limit {
      context.drop(.pairTooLarge)
      return
    }
    if let reason = response.bodyDropReason {
      context.drop(reason)
      return
    }
    emitPair(request: request, head: requestHead, response: response)
  }

  private func emitPair(request: PendingRequest, head requestHead: MessageHead, response: ParsedMessage) {
    let limit = context.configuration.bodyLimit
    let requestBody: [UInt8]
    let responseBody: [UInt8]
    do {
      requestBody = try BodyDecoder.decode(request.body, encodings: requestHead.contentEncodings, limit: limit)
      responseBody = try BodyDecoder.decode(response.body, encodings: response.head.contentEncodings, limit: limit)
    } catch {
      context.drop(error.dropReason)
      return
    }
    guard case .request(let method, let target) = requestHead.kind,
      case .response(let status, let reason) = response.head.kind,
      let client, let server
    else {
      context.drop(.malformedHTTP)
      return
    }
    let pair = HTTPPair(
      requestTime: request.firstByteTime, responseTime: response.lastByteTime, client: client, server: server,
      request: HTTPRequest(
        method: method, target: target, version: requestHead.version, headers: requestHead.headers,
        body: requestBody),
      response: HTTPResponse(
        status: status, reason: reason, version: response.head.version, headers: response.head.headers,
        body: responseBody),
      node: context.configuration.node, interface: context.configuration.interface)
    context.pairsEmitted += 1
    context.emit(pair)
  }

  func messageLost(_ reason: DropReason, headDelivered: Bool, by parser: HTTPMessageParser) {
    if parser.role == .responses {
      // The response in progress answered the oldest request: that pair is lost.
      expireRequests(now: parser.currentTime)
      guard !pending.isEmpty else {
        context.drop(reason)
        return
      }
      let request = pending.removeFirst()
      release(request.body.count)
      if !request.isSilent { context.drop(request.dropReason ?? reason) }
      return
    }
    if parser.role == .requests, headDelivered,
      let index = pending.lastIndex(where: { !$0.isComplete && $0.head != nil })
    {
      pending[index].dropReason = pending[index].dropReason ?? reason
      pending[index].isComplete = true
      pending[index].completedTime = parser.currentTime
      return
    }
    if reason == .notHTTP && parser.isIgnoring || parser.role == nil {
      // Not HTTP at all: there is no request to hold a place for, and nothing to read.
      context.drop(reason)
      if parser.isIgnoring { stopParsing() }
      return
    }
    // A request lost before its head was complete: hold its place so that its response is
    // not paired with the next request.
    pending.append(
      PendingRequest(
        head: nil, dropReason: reason, isComplete: true, firstByteTime: parser.currentTime,
        completedTime: parser.currentTime))
  }

  func reserveBuffer(_ bytes: Int, by parser: HTTPMessageParser) -> DropReason? {
    if isClosed { return .incompleteMessage }
    if let refused = refusal(for: bytes) { return refused }
    reserve(bytes)
    return nil
  }

  func releaseBuffer(_ bytes: Int, by parser: HTTPMessageParser) {
    release(bytes)
  }

  // MARK: Buffer accounting

  private func refusal(for bytes: Int) -> DropReason? {
    if bufferedBytes + bytes > context.configuration.maxBufferedBytesPerConnection { return .connectionBufferLimit }
    if context.bufferedBytes + bytes > context.configuration.maxBufferedBytesTotal { return .totalBufferLimit }
    return nil
  }

  // A closed connection has settled its account with the context once and for all; a parser
  // still unwinding from the callback that closed it must not open it again.

  private func reserve(_ bytes: Int) {
    guard bytes > 0, !isClosed else { return }
    bufferedBytes += bytes
    context.bufferedBytes += bytes
    if context.bufferedBytes > context.peakBufferedBytes { context.peakBufferedBytes = context.bufferedBytes }
  }

  private func release(_ bytes: Int) {
    guard bytes > 0, !isClosed else { return }
    bufferedBytes -= bytes
    context.bufferedBytes -= bytes
  }

  // MARK: Timeouts and the end

  /// Abandons requests whose response is overdue. Their place stays held (silently), so a late
  /// response pairs with nothing; placeholders older than two timeouts are forgotten.
  func expireRequests(now: PacketTime) {
    let timeout = context.responseTimeoutNanoseconds
    var index = 0
    while index < pending.count {
      let age = now.nanoseconds - pending[index].completedTime.nanoseconds
      if pending[index].isSilent {
        if age > 2 * timeout {
          pending.remove(at: index)
          continue
        }
      } else if pending[index].isComplete && age > timeout {
        context.drop(pending[index].dropReason ?? .responseTimeout)
        release(pending[index].body.count)
        pending[index].body = []
        pending[index].isSilent = true
      }
      index += 1
    }
  }

  /// Everything still held, resolved because the connection ends: reset, FIN both ways, idle
  /// expiry, or the end of the capture.
  func close(reset: Bool) {
    guard !isClosed else { return }
    // Holes that will never be filled: deliver what waits behind them.
    for stream in [fromA, fromB] {
      // Each round delivers or drops at least the first waiting segment; stop if one does not.
      while case let waiting = stream.outOfOrder.count, waiting > 0 {
        release(stream.skipFirstHole(reason: .streamGap, connection: self))
        if stream.outOfOrder.count >= waiting { break }
      }
    }
    parserB?.abandon()
    parserA?.abandon()
    isClosed = true
    resolveAllPending()
    release(fromA.discardWaiting())
    release(fromB.discardWaiting())
    if bufferedBytes != 0 {
      context.bufferedBytes -= bufferedBytes
      bufferedBytes = 0
    }
    parserA = nil
    parserB = nil
  }

  /// Every waiting request is resolved: no response will come on this connection.
  private func resolveAllPending() {
    for entry in pending { resolveUnanswered(entry) }
    pending = []
  }

  private func resolveUnanswered(_ entry: PendingRequest) {
    release(entry.body.count)
    if entry.isSilent { return }
    if let reason = entry.dropReason {
      context.drop(reason)
    } else {
      context.drop(entry.isComplete ? .unansweredRequest : .incompleteMessage)
    }
  }
}
