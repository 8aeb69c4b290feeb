import SovrenModel

/// One direction of a TCP connection: puts segments back in sequence order and feeds them to
/// its HTTP parser. Segments ahead of a hole wait in `outOfOrder` until the hole is filled or
/// declared lost.
final class HalfStream {
  struct PendingSegment {
    var sequence: UInt32
    var bytes: [UInt8]
    /// Bytes after `bytes` the capture cut off (snap length): lost for good.
    var lostTail: Int
    var length: Int { bytes.count + lostTail }
  }

  /// Sequence numbering is known: from the SYN, or from the first data seen.
  private(set) var isSynchronized = false
  /// The SYN was seen, so the first byte starts a message.
  private(set) var sawStart = false
  private(set) var nextSequence: UInt32 = 0
  private var finSequence: UInt32?
  private(set) var isFinished = false
  private(set) var outOfOrder: [PendingSegment] = []
  private(set) var outOfOrderBytes = 0
  /// The peer acknowledged bytes this side never delivered: they were lost by the capture.
  private var lostUpTo: UInt32?
  private var lostNoticedAt = PacketTime(nanoseconds: 0)
  private var lostNoticedPacket: UInt64 = 0
  var parser: HTTPMessageParser?

  /// How far ahead of the next expected byte a segment may start and still be kept: anything
  /// further is not this stream (a reused port, a bogus sequence number).
  private static let window = 1 << 30

  var hasUnresolvedHole: Bool { lostUpTo != nil }

  // MARK: Receiving

  /// Starts numbering at a SYN.
  func synchronize(initialSequence: UInt32) {
    isSynchronized = true
    sawStart = true
    nextSequence = initialSequence &+ 1
  }

  /// Adopts numbering from the first data seen in a stream picked up mid-way.
  func adopt(sequence: UInt32) {
    isSynchronized = true
    nextSequence = sequence
  }

  func noteFIN(at sequence: UInt32) {
    if finSequence == nil { finSequence = sequence }
  }

  /// Where a segment of `length` bytes starting at `sequence` lands relative to what has been
  /// delivered: negative or zero overlaps delivered bytes, positive leaves a hole.
  func offset(of sequence: UInt32) -> Int {
    nextSequence.distance(toSequence: sequence)
  }

  func isWithinWindow(_ offset: Int) -> Bool {
    offset < Self.window
  }

  /// Delivers in-order bytes: the part of `payload` from `trim` on, then `lostTail` bytes the
  /// capture did not keep.
  func deliver(_ payload: UnsafeRawBufferPointer, trim: Int, lostTail: Int, connection: Connection) {
    if trim < payload.count {
      let fresh = UnsafeRawBufferPointer(rebasing: payload[trim...])
      if let parser = connection.parser(for: self) {
        parser.currentSequence = nextSequence
        parser.feed(fresh)
      }
      nextSequence = nextSequence &+ UInt32(truncatingIfNeeded: fresh.count)
    }
    let lost = lostTail - max(0, trim - payload.count)
    if lost > 0 {
      connection.parser(for: self)?.skip(lost)
      nextSequence = nextSequence &+ UInt32(truncatingIfNeeded: lost)
    }
  }

  /// Keeps a segment that arrived ahead of a hole. Returns the bytes added to the buffer.
  func store(_ segment: PendingSegment) -> Int {
    var index = outOfOrder.endIndex
    let offset = self.offset(of: segment.sequence)
    // Usually appended at the end; walk back to keep the list sorted.
    while index > outOfOrder.startIndex, self.offset(of: outOfOrder[index - 1].sequence) > offset {
      index -= 1
    }
    // An exact retransmission of something already waiting adds nothing.
    if index > outOfOrder.startIndex, outOfOrder[index - 1].sequence == segment.sequence,
      outOfOrder[index - 1].length >= segment.length
    {
      return 0
    }
    outOfOrder.insert(segment, at: index)
    outOfOrderBytes += segment.bytes.count
    return segment.bytes.count
  }

  /// Delivers waiting segments that are now in order. Returns the buffered bytes freed.
  func drain(connection: Connection) -> Int {
    var freed = 0
    while let first = outOfOrder.first {
      let offset = self.offset(of: first.sequence)
      guard offset <= 0 else { break }
      outOfOrder.removeFirst()
      outOfOrderBytes -= first.bytes.count
      freed += first.bytes.count
      let trim = -offset
      if trim < first.length {
        first.bytes.withUnsafeBytes { deliver($0, trim: trim, lostTail: first.lostTail, connection: connection) }
      }
    }
    return freed
  }

  /// Marks the FIN delivered once every byte before it is.
  func checkFinished() -> Bool {
    guard !isFinished, let fin = finSequence, nextSequence == fin else { return false }
    isFinished = true
    nextSequence = fin &+ 1
    return true
  }

  // MARK: Holes

  /// The peer acknowledged up to `acknowledgment`. Bytes before that which were never
  /// delivered are a capture loss (nobody will retransmit them); remember the hole.
  func peerAcknowledged(_ acknowledgment: UInt32, time: PacketTime, packetNumber: UInt64) {
    guard isSynchronized, !isFinished else { return }
    var limit = acknowledgment
    // The FIN takes one sequence number; acknowledging it is not a hole.
    if let fin = finSequence, fin.isBefore(limit) { limit = fin }
    guard nextSequence.isBefore(limit) else { return }
    if let existing = lostUpTo {
      if existing.isBefore(limit) { lostUpTo = limit }
    } else {
      lostUpTo = limit
      lostNoticedAt = time
      lostNoticedPacket = packetNumber
    }
  }

  /// Whether a remembered hole has waited long enough to be declared lost: the capture may
  /// reorder a segment behind its acknowledgment, so give it a few packets or a second.
  func holeIsDue(time: PacketTime, packetNumber: UInt64, peerIsSending: Bool) -> Bool {
    guard lostUpTo != nil else { return false }
    return peerIsSending || packetNumber - lostNoticedPacket >= 8
      || time.nanoseconds - lostNoticedAt.nanoseconds >= 1_000_000_000
  }

  /// Gives up on the remembered hole: skips to where the peer acknowledged, delivering any
  /// waiting segments on the way. Returns the buffered bytes freed.
  func declareHoleLost(connection: Connection) -> Int {
    guard let target = lostUpTo else { return 0 }
    lostUpTo = nil
    return skipForward(to: target, reason: .streamGap, connection: connection)
  }

  /// Gives up on the first hole whatever acknowledged it (buffer caps, the end of the
  /// connection): skips to the first waiting segment. Returns the buffered bytes freed.
  func skipFirstHole(reason: DropReason, connection: Connection) -> Int {
    guard let first = outOfOrder.first else { return 0 }
    lostUpTo = nil
    // Already due (the stream moved up to it without draining, e.g. past a FIN): no hole.
    if offset(of: first.sequence) <= 0 { return drain(connection: connection) }
    return skipForward(to: first.sequence, reason: reason, connection: connection)
  }

  /// Gives up on the bytes before `sequence` (a segment that cannot wait for them). Returns
  /// the buffered bytes freed.
  func skipHole(before sequence: UInt32, reason: DropReason, connection: Connection) -> Int {
    lostUpTo = nil
    return skipForward(to: sequence, reason: reason, connection: connection)
  }

  private func skipForward(to target: UInt32, reason: DropReason, connection: Connection) -> Int {
    var freed = 0
    while nextSequence.isBefore(target) {
      var stop = target
      if let first = outOfOrder.first, !target.isBefore(first.sequence) {
        stop = first.sequence
      }
      let gap = nextSequence.distance(toSequence: stop)
      if gap > 0 {
        connection.parser(for: self)?.skip(gap, reason: reason)
        nextSequence = stop
      }
      let drained = drain(connection: connection)
      freed += drained
      if gap <= 0 && drained == 0 { break }
    }
    return freed
  }

  /// Frees everything waiting, for a connection that is going away.
  func discardWaiting() -> Int {
    let freed = outOfOrderBytes
    outOfOrder = []
    outOfOrderBytes = 0
    lostUpTo = nil
    return freed
  }
}
