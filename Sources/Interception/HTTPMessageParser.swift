import SovrenModel

/// What a parser reports to the connection it belongs to.
protocol HTTPMessageSink: AnyObject {
  /// A head is complete. The sink says how the body is framed (responses to HEAD have none)
  /// and how much of it may be kept; `nil` means "don't keep it, the message is dropped anyway".
  func headParsed(_ head: MessageHead, by parser: HTTPMessageParser) -> BodyPlan
  /// A message is complete: the head the sink already saw, and its body.
  func messageCompleted(_ message: ParsedMessage, by parser: HTTPMessageParser)
  /// The message in progress is lost. `headDelivered` says whether `headParsed` was called for it.
  func messageLost(_ reason: DropReason, headDelivered: Bool, by parser: HTTPMessageParser)
  /// Bytes of body are about to be buffered; false if a buffer cap says no.
  func reserveBuffer(_ bytes: Int, by parser: HTTPMessageParser) -> DropReason?
  /// Buffered bytes were handed over or freed.
  func releaseBuffer(_ bytes: Int, by parser: HTTPMessageParser)
}

struct BodyPlan {
  /// The body is empty whatever the headers say (responses to HEAD, 1xx, 204, 304).
  var hasNoBody = false
  /// Keep at most this many sent body bytes; nil keeps none (the message is dropped anyway).
  var keepLimit: Int?
  /// After this message the stream is no longer HTTP (101 Switching Protocols, CONNECT).
  var switchesProtocol = false
}

/// A message with its body as sent (de-chunked, not yet decompressed).
struct ParsedMessage {
  var head: MessageHead
  var body: [UInt8]
  /// Why the body was not kept (too large, buffer cap, gap in it); nil when it was.
  var bodyDropReason: DropReason?
  /// Body bytes as sent, counted even when not kept.
  var sentBodyLength: Int
  var firstByteTime: PacketTime
  var lastByteTime: PacketTime
  /// Acknowledgment number the first packet of this message carried, for pairing checks.
  var firstAcknowledgment: UInt32?
}

/// Frames HTTP/1.x messages in one direction of a TCP stream, fed in order with bytes split
/// anywhere. Holds at most one head (bounded by `maxHeaderBytes`) and one body (bounded by the
/// plan's keep limit); bodies past their limit are counted and skipped, never buffered.
final class HTTPMessageParser {
  enum Role {
    case requests
    case responses
  }

  private enum State {
    /// Looking for the start of a message (after a gap or in a stream picked up mid-way).
    case seeking
    /// At a message boundary: the next byte must start a message.
    case idle
    case head
    case fixedBody
    case chunkSize
    case chunkData
    case chunkDataEnd
    case trailers
    case untilClose
    /// Not HTTP (any more): every byte is ignored.
    case ignoring
  }

  private(set) var role: Role?
  private unowned let sink: any HTTPMessageSink
  private let maxHeaderBytes: Int

  private var state: State
  /// Set when the stream's first byte is known to be a message start: if it is not, the
  /// stream is not HTTP at all.
  private var atStreamStart: Bool
  private var seekCarry: [UInt8] = []
  private var seekSkipped = 0

  private var headBuffer: [UInt8] = []
  /// The current head's start line has been seen whole and found plausible.
  private var startLineChecked = false
  private var head: MessageHead?
  private var headDelivered = false
  private var remaining = 0
  private var chunkLine: [UInt8] = []
  private var trailerBytes = 0
  private var trailerLineEmpty = true
  private var body: [UInt8] = []
  private var bodyBufferedBytes = 0
  private var sentBodyLength = 0
  private var keepLimit: Int?
  private var bodyDropReason: DropReason?
  private var switchesProtocol = false
  /// Capture time of the packet that carried the current message's first byte.
  private(set) var firstByteTime = PacketTime(nanoseconds: 0)
  private var firstAcknowledgment: UInt32?
  /// Sequence number of the current message's first byte, when the stream's numbering is known.
  private(set) var messageStartSequence: UInt32?
  /// Bytes of the current feed consumed so far, to place a message start within it.
  private var feedOffset = 0

  /// Packet context the connection sets before feeding bytes.
  var currentTime = PacketTime(nanoseconds: 0)
  var currentAcknowledgment: UInt32?
  /// Sequence number of the first byte of the next feed.
  var currentSequence: UInt32?

  /// - Parameters:
  ///   - role: nil when the direction is not known yet (a stream picked up mid-way); the first
  ///     message found decides it.
  ///   - startsAtMessageBoundary: true when the stream's beginning was seen (SYN): its first
  ///     byte must start a message. False for streams picked up mid-way.
  init(role: Role?, startsAtMessageBoundary: Bool, maxHeaderBytes: Int, sink: any HTTPMessageSink) {
    self.role = role
    self.sink = sink
    self.maxHeaderBytes = maxHeaderBytes
    state = startsAtMessageBoundary ? .idle : .seeking
    atStreamStart = startsAtMessageBoundary
  }

  var isIgnoring: Bool {
    if case .ignoring = state { return true }
    return false
  }

  /// Decides the role of a direction whose first message has not been seen yet.
  func assignRole(_ role: Role) {
    if self.role == nil { self.role = role }
  }

  /// Stops parsing for good: the stream switched protocols, or was found not to be HTTP.
  func ignoreRest() {
    freeMessage()
    state = .ignoring
  }

  // MARK: Feeding

  func feed(_ bytes: UnsafeRawBufferPointer) {
    var data = bytes
    feedOffset = 0
    defer { feedOffset = 0 }
    while !data.isEmpty {
      let consumed: Int
      switch state {
      case .ignoring:
        return
      case .seeking:
        consumed = seek(data)
      case .idle:
        // Stray line breaks between messages are tolerated (RFC 9112 §2.2).
        if data[0] == 0x0D || data[0] == 0x0A {
          consumed = 1
          break
        }
        if !startsMessage(data) {
          if atStreamStart {
            // The very first bytes of the stream are not HTTP: nothing on it will be.
            ignoreRest()
            sink.messageLost(.notHTTP, headDelivered: false, by: self)
            return
          }
          sink.messageLost(.malformedHTTP, headDelivered: false, by: self)
          enterSeeking()
          continue
        }
        atStreamStart = false
        beginMessage()
        consumed = 0
      case .head:
        consumed = consumeHead(data)
      case .fixedBody:
        let count = min(remaining, data.count)
        appendBody(UnsafeRawBufferPointer(rebasing: data[..<count]))
        remaining -= count
        consumed = count
        if remaining == 0 { completeMessage() }
      case .chunkSize:
        consumed = consumeChunkSizeLine(data)
      case .chunkData:
        let count = min(remaining, data.count)
        appendBody(UnsafeRawBufferPointer(rebasing: data[..<count]))
        remaining -= count
        consumed = count
        if remaining == 0 { state = .chunkDataEnd; chunkLine.removeAll(keepingCapacity: true) }
      case .chunkDataEnd:
        consumed = consumeChunkDataEnd(data)
      case .trailers:
        consumed = consumeTrailers(data)
      case .untilClose:
        appendBody(data)
        consumed = data.count
      }
      feedOffset += consumed
      data = UnsafeRawBufferPointer(rebasing: data[consumed...])
    }
  }

  /// Bytes that were never captured (or were given up on because of a buffer cap: `reason`).
  /// A gap inside a body of known length keeps the stream in step (the message is lost, the
  /// next one is found where the length says); anywhere else the message is lost and the
  /// parser looks for the next message start.
  func skip(_ count: Int, reason: DropReason = .streamGap) {
    guard count > 0 else { return }
    switch state {
    case .ignoring, .seeking:
      return
    case .fixedBody where count <= remaining:
      remaining -= count
      sentBodyLength += count
      markBodyLost(reason)
      if remaining == 0 { completeMessage() }
    case .chunkData where count <= remaining:
      remaining -= count
      sentBodyLength += count
      markBodyLost(reason)
      if remaining == 0 {
        state = .chunkDataEnd
        chunkLine.removeAll(keepingCapacity: true)
      }
    case .idle:
      // The gap swallowed the start of a message.
      sink.messageLost(reason, headDelivered: false, by: self)
      atStreamStart = false
      enterSeeking()
    default:
      loseMessage(reason)
      enterSeeking()
    }
  }

  /// The direction ended (FIN). A close-delimited body completes; anything else in progress
  /// was cut short.
  func finish() {
    switch state {
    case .untilClose:
      completeMessage()
    case .idle, .seeking, .ignoring:
      break
    default:
      loseMessage(.incompleteMessage)
    }
    freeMessage()
    state = .ignoring
  }

  /// The connection is going away without an orderly end (reset, expiry, end of capture).
  func abandon() {
    switch state {
    case .idle, .seeking, .ignoring:
      break
    default:
      loseMessage(.incompleteMessage)
    }
    freeMessage()
    state = .ignoring
  }

  /// Tells the sink the message in progress is lost. A body already over its limit was lost
  /// first for that reason, which is the one counted.
  private func loseMessage(_ reason: DropReason) {
    sink.messageLost(headDelivered ? bodyDropReason ?? reason : reason, headDelivered: headDelivered, by: self)
  }

  // MARK: Message start

  private static let requestStarts: [[UInt8]] = [
    "GET ", "POST ", "PUT ", "PATCH ", "DELETE ", "HEAD ", "OPTIONS ", "CONNECT ", "TRACE ",
  ].map { Array($0.utf8) }
  private static let responseStart: [UInt8] = Array("HTTP/1.".utf8)
  private static let longestStart = 8
  /// Bytes scanned for a message start before a stream is declared not to be HTTP.
  private static let seekLimit = 8 * 1_048_576

  /// Whether `data` could begin a message of this parser's role. Only the first bytes are
  /// checked; the head parser validates the rest.
  private func startsMessage(_ data: UnsafeRawBufferPointer) -> Bool {
    role == .responses ? data[0] == 0x48 : isTokenByte(data[0])
  }

  private func beginMessage() {
    state = .head
    headBuffer.removeAll(keepingCapacity: true)
    startLineChecked = false
    firstByteTime = currentTime
    firstAcknowledgment = currentAcknowledgment
    messageStartSequence = currentSequence.map { $0 &+ UInt32(truncatingIfNeeded: feedOffset) }
    headDelivered = false
  }

  private func enterSeeking() {
    freeMessage()
    state = .seeking
    seekCarry.removeAll(keepingCapacity: true)
    seekSkipped = 0
  }

  /// Scans for a request line (known method + space) or a status line (`HTTP/1.x `) of the
  /// parser's role, anywhere in the bytes, including a start split across two feeds.
  private func seek(_ data: UnsafeRawBufferPointer) -> Int {
    // A start beginning in the carried tail of the previous feed.
    if !seekCarry.isEmpty {
      let probe = seekCarry + Array(data.prefix(Self.longestStart))
      let found = probe.withUnsafeBytes { buffer in
        (0..<seekCarry.count).first { matchesStart(buffer, at: $0) }
      }
      if let start = found {
        let carried = Array(seekCarry[start...])
        seekCarry.removeAll(keepingCapacity: true)
        beginMessage()
        headBuffer.append(contentsOf: carried)
        return 0
      }
    }
    var index = 0
    let end = data.count
    while index < end {
      if matchesStart(data, at: index) {
        seekCarry.removeAll(keepingCapacity: true)
        seekSkipped += index
        beginMessage()
        return index
      }
      index += 1
    }
    seekSkipped += end
    if seekSkipped > Self.seekLimit {
      // Megabytes without a message start: this is not HTTP (TLS, a database protocol, …).
      ignoreRest()
      sink.messageLost(.notHTTP, headDelivered: false, by: self)
      return end
    }
    seekCarry = Array(data.suffix(Self.longestStart - 1))
    return end
  }

  private func matchesStart(_ buffer: UnsafeRawBufferPointer, at index: Int) -> Bool {
    let first = buffer[index]
    // Cheap filter on the first byte before comparing whole prefixes.
    guard
      first == 0x47 || first == 0x50 || first == 0x48 || first == 0x44 || first == 0x4F || first == 0x43
        || first == 0x54
    else { return false }
    let rest = buffer.count - index
    if role != .requests, first == 0x48, rest >= 9 {
      if hasPrefix(buffer, at: index, Self.responseStart), buffer[index + 8] == 0x20 {
        return true
      }
    }
    if role != .responses {
      for start in Self.requestStarts where start[0] == first && rest >= start.count + 1 {
        // The target starts with '/', '*' or a scheme letter.
        let next = buffer[index + start.count]
        if hasPrefix(buffer, at: index, start), next == 0x2F || next == 0x2A || (next | 0x20) &- 0x61 < 26 {
          return true
        }
      }
    }
    return false
  }

  private func hasPrefix(_ buffer: UnsafeRawBufferPointer, at index: Int, _ prefix: [UInt8]) -> Bool {
    guard buffer.count - index >= prefix.count else { return false }
    for offset in 0..<prefix.count where buffer[index + offset] != prefix[offset] { return false }
    return true
  }

  // MARK: Head

  private func consumeHead(_ data: UnsafeRawBufferPointer) -> Int {
    // Find the blank line ending the head, which may straddle feeds: look at the bytes already
    // buffered plus the new ones.
    let previous = headBuffer.count
    var endInData: Int? = nil
    var index = 0
    while index < data.count {
      if data[index] == 0x0A {
        // LF LF, or LF CR LF, counting the tail of what was buffered before.
        let before1 = byte(at: index - 1, data: data, previous: previous)
        let before2 = byte(at: index - 2, data: data, previous: previous)
        if before1 == 0x0A || (before1 == 0x0D && before2 == 0x0A) {
          endInData = index + 1
          break
        }
      }
      index += 1
    }
    let take = endInData ?? data.count
    if previous + take > maxHeaderBytes {
      sink.messageLost(.headerTooLarge, headDelivered: false, by: self)
      enterSeeking()
      return take
    }
    headBuffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: data[..<take]))
    if endInData == nil {
      // Reject a start line that can't be HTTP as soon as it is complete, rather than
      // buffering up to the header limit. Only the new bytes are searched for its end, so a
      // line trickled in byte by byte costs linear time.
      if !startLineChecked, let newline = data[..<take].firstIndex(of: 0x0A) {
        startLineChecked = true
        if !startLineIsPlausible(headBuffer[..<(previous + newline)]) { rejectStart() }
      }
      return take
    }
    parseHead()
    return take
  }

  /// The byte at `index` of the logical buffer formed by `headBuffer` (negative indices) and `data`.
  private func byte(at index: Int, data: UnsafeRawBufferPointer, previous: Int) -> UInt8 {
    if index >= 0 { return data[index] }
    let bufferIndex = previous + index
    return bufferIndex >= 0 ? headBuffer[bufferIndex] : 0
  }

  /// A request line ends in `HTTP/1.x`; a status line starts with it.
  private func startLineIsPlausible(_ line: ArraySlice<UInt8>) -> Bool {
    var trimmed = line
    if trimmed.last == 0x0D { trimmed = trimmed.dropLast() }
    return trimmed.starts(with: Self.responseStart)
      || (trimmed.count >= 8 && trimmed.suffix(8).starts(with: Self.responseStart))
  }

  /// A message start that turned out not to be one.
  private func rejectStart() {
    if atStreamStart {
      ignoreRest()
      sink.messageLost(.notHTTP, headDelivered: false, by: self)
    } else {
      sink.messageLost(.malformedHTTP, headDelivered: false, by: self)
      enterSeeking()
    }
  }

  private func parseHead() {
    let parsed: MessageHead
    do {
      parsed = try headBuffer.withUnsafeBytes { buffer in try MessageHeadParser.parse(buffer) }
    } catch {
      rejectStart()
      return
    }
    if role == nil { role = parsed.isRequest ? .requests : .responses }
    guard parsed.isRequest == (role == .requests) else {
      sink.messageLost(.malformedHTTP, headDelivered: false, by: self)
      enterSeeking()
      return
    }
    // Requests must not carry a transfer coding we can't frame (RFC 9112 §6.3).
    if parsed.isRequest && parsed.hasOtherTransferEncoding {
      sink.messageLost(.malformedHTTP, headDelivered: false, by: self)
      enterSeeking()
      return
    }
    headBuffer.removeAll(keepingCapacity: headBuffer.capacity <= 4096)
    atStreamStart = false
    if let status = parsed.status, status < 200, status != 101 {
      // Interim response (100 Continue, 103 Early Hints): never part of a pair, never has a body.
      state = .idle
      return
    }
    head = parsed
    headDelivered = true
    let plan = sink.headParsed(parsed, by: self)
    // The sink may have given up on the whole connection while it looked at the head.
    if case .ignoring = state { return }
    keepLimit = plan.keepLimit
    switchesProtocol = plan.switchesProtocol
    sentBodyLength = 0
    bodyDropReason = nil
    if plan.hasNoBody || parsed.status == 101 {
      completeMessage()
    } else if parsed.isChunked {
      state = .chunkSize
      chunkLine.removeAll(keepingCapacity: true)
    } else if let length = parsed.contentLength {
      remaining = length
      state = .fixedBody
      if length == 0 {
        completeMessage()
      } else if let limit = keepLimit, length <= limit {
        body.reserveCapacity(length)
      }
    } else if parsed.isRequest {
      completeMessage()
    } else {
      state = .untilClose
    }
  }

  // MARK: Chunked bodies

  private func consumeChunkSizeLine(_ data: UnsafeRawBufferPointer) -> Int {
    guard let newline = data.firstIndex(of: 0x0A) else {
      chunkLine.append(contentsOf: data)
      if chunkLine.count > 1024 { failMessage(.malformedHTTP) }
      return data.count
    }
    chunkLine.append(contentsOf: UnsafeRawBufferPointer(rebasing: data[..<newline]))
    guard let size = parseChunkSize(chunkLine) else {
      failMessage(.malformedHTTP)
      return newline + 1
    }
    chunkLine.removeAll(keepingCapacity: true)
    if size == 0 {
      state = .trailers
      trailerBytes = 0
      trailerLineEmpty = true
    } else {
      remaining = size
      state = .chunkData
    }
    return newline + 1
  }

  /// chunk-size [ chunk-ext ] with optional whitespace; nil when not a hex size.
  private func parseChunkSize(_ line: [UInt8]) -> Int? {
    var size = 0
    var digits = 0
    for byte in line {
      let value: Int
      switch byte {
      case 0x30...0x39: value = Int(byte - 0x30)
      case 0x41...0x46: value = Int(byte - 0x41 + 10)
      case 0x61...0x66: value = Int(byte - 0x61 + 10)
      case 0x3B, 0x20, 0x09, 0x0D:
        return digits > 0 ? size : nil
      default: return nil
      }
      digits += 1
      // 15 hex digits already exceed any body anyone would buffer; more is an attack.
      guard digits <= 15 else { return nil }
      size = size << 4 | value
    }
    return digits > 0 ? size : nil
  }

  private func consumeChunkDataEnd(_ data: UnsafeRawBufferPointer) -> Int {
    var index = 0
    while index < data.count {
      let byte = data[index]
      index += 1
      if byte == 0x0A {
        state = .chunkSize
        chunkLine.removeAll(keepingCapacity: true)
        return index
      }
      guard byte == 0x0D, chunkLine.isEmpty else {
        failMessage(.malformedHTTP)
        return index
      }
      chunkLine.append(byte)
    }
    return index
  }

  private func consumeTrailers(_ data: UnsafeRawBufferPointer) -> Int {
    var index = 0
    while index < data.count {
      let byte = data[index]
      index += 1
      trailerBytes += 1
      if byte == 0x0A {
        if trailerLineEmpty {
          completeMessage()
          return index
        }
        trailerLineEmpty = true
      } else if byte != 0x0D {
        trailerLineEmpty = false
      }
      if trailerBytes > maxHeaderBytes {
        failMessage(.headerTooLarge)
        return index
      }
    }
    return index
  }

  // MARK: Body

  private func appendBody(_ bytes: UnsafeRawBufferPointer) {
    sentBodyLength += bytes.count
    guard bodyDropReason == nil, let limit = keepLimit else { return }
    if sentBodyLength > limit {
      markBodyLost(.bodyTooLarge)
      return
    }
    if let refused = sink.reserveBuffer(bytes.count, by: self) {
      markBodyLost(refused)
      return
    }
    bodyBufferedBytes += bytes.count
    body.append(contentsOf: bytes)
  }

  private func markBodyLost(_ reason: DropReason) {
    if bodyDropReason == nil { bodyDropReason = reason }
    releaseBody()
  }

  private func releaseBody() {
    if bodyBufferedBytes > 0 {
      sink.releaseBuffer(bodyBufferedBytes, by: self)
      bodyBufferedBytes = 0
    }
    body = []
  }

  private func completeMessage() {
    guard let head else {
      state = .idle
      return
    }
    let message = ParsedMessage(
      head: head, body: body, bodyDropReason: bodyDropReason, sentBodyLength: sentBodyLength,
      firstByteTime: firstByteTime, lastByteTime: currentTime, firstAcknowledgment: firstAcknowledgment)
    // The sink takes over the body's bytes (and their share of the buffer budget).
    bodyBufferedBytes = 0
    body = []
    self.head = nil
    headDelivered = false
    // The state is settled before the sink hears of the message, so it sees a switched
    // stream as ignoring.
    state = switchesProtocol ? .ignoring : .idle
    switchesProtocol = false
    sink.messageCompleted(message, by: self)
  }

  private func failMessage(_ reason: DropReason) {
    loseMessage(reason)
    enterSeeking()
  }

  private func freeMessage() {
    releaseBody()
    head = nil
    headDelivered = false
    headBuffer.removeAll(keepingCapacity: false)
    chunkLine.removeAll(keepingCapacity: false)
    bodyDropReason = nil
    switchesProtocol = false
  }
}
