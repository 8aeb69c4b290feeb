import SovrenModel

// What a passive capture can get wrong. None of these change what the endpoints saw, only
// what was recorded, so the later ACKs still tell the truth.
extension TCPConversation {
  /// The capture missed segment `index` (the receiver still got it).
  public mutating func dropFromCapture(_ index: Int) {
    mutateSegment(index) { $0.isCaptured = false }
  }

  /// The capture recorded segments `first` and `second` in each other's place (and time slot),
  /// as when packets take different paths to the capture point.
  public mutating func swapCaptureOrder(_ first: Int, _ second: Int) {
    guard segments.indices.contains(first), segments.indices.contains(second) else { return }
    var a = segments[first]
    var b = segments[second]
    swap(&a.time, &b.time)
    replaceSegment(first, with: b)
    replaceSegment(second, with: a)
  }

  /// A retransmission of segment `index`, recorded `delay` after the original.
  public mutating func duplicate(_ index: Int, delay: Duration = .microseconds(5)) {
    guard segments.indices.contains(index) else { return }
    var copy = segments[index]
    copy.time = copy.time.adding(delay)
    copy.isCaptured = true
    appendImpairment(copy)
  }

  /// A retransmission with different segmentation: one segment carrying the second half of
  /// segment `first` and the first half of the following segment `second` of the same
  /// direction, so it overlaps both.
  public mutating func retransmitOverlapping(_ first: Int, _ second: Int, delay: Duration = .microseconds(5)) {
    guard segments.indices.contains(first), segments.indices.contains(second) else { return }
    let a = segments[first]
    let b = segments[second]
    guard a.direction == b.direction, a.sequence &+ UInt32(a.payload.count) == b.sequence else { return }
    let fromA = a.payload.count / 2
    let fromB = (b.payload.count + 1) / 2
    var overlap = b
    overlap.sequence = a.sequence &+ UInt32(fromA)
    overlap.payload = Array(a.payload[fromA...]) + Array(b.payload[..<fromB])
    overlap.flags = .ack
    overlap.time = b.time.adding(delay)
    overlap.isCaptured = true
    appendImpairment(overlap)
  }

  /// The capture kept only `linkBytes` bytes of segment `index`'s packet.
  public mutating func truncate(_ index: Int, toCapturedLength linkBytes: Int) {
    mutateSegment(index) { $0.capturedLength = linkBytes }
  }

  /// A retransmission of segment `index` sent as two IP fragments, the first carrying
  /// `split` bytes of the IP payload. The original is captured normally, so the fragments
  /// carry nothing the stream lacks.
  public mutating func duplicateAsIPFragments(_ index: Int, split: Int = 24, delay: Duration = .microseconds(5)) {
    guard segments.indices.contains(index) else { return }
    var copy = segments[index]
    copy.time = copy.time.adding(delay)
    copy.isCaptured = true
    copy.fragmentSplit = max(8, split / 8 * 8)
    appendImpairment(copy)
  }
}
