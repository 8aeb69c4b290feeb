/// One partition's messages handed out, in offset order, and which of them are done: the offset
/// to commit is the first one not done, so a message done early never lets the commit pass one
/// still being worked on (which a crash would then lose).
struct PartitionProgress: Sendable {
  /// Offsets handed out and not yet passed by the commit point, ascending, from `head`.
  private var offsets: [Int64] = []
  private var finished: [Bool] = []
  private var head = 0
  /// The offset after the last one handed out.
  private(set) var end: Int64
  /// Handed out and not done.
  private(set) var open = 0

  /// Starting at `offset`, the first that will be handed out.
  init(from offset: Int64) { end = offset }

  /// Offsets kept now, done ones before the commit point included until they are dropped.
  var retained: Int { offsets.count }

  /// Where the next owner should start: the first offset not done.
  var commitPoint: Int64 { head < offsets.count ? offsets[head] : end }

  mutating func handedOut(_ offset: Int64) {
    offsets.append(offset)
    finished.append(false)
    end = offset + 1
    open += 1
  }

  /// Marks `offset` done; answers whether the commit point moved.
  mutating func done(_ offset: Int64) -> Bool {
    guard head < offsets.count else { return false }
    // Binary search: offsets ascend.
    var low = head
    var high = offsets.count
    while low < high {
      let middle = (low + high) / 2
      if offsets[middle] < offset { low = middle + 1 } else { high = middle }
    }
    guard low < offsets.count, offsets[low] == offset, !finished[low] else { return false }
    finished[low] = true
    open -= 1
    guard low == head else { return false }
    while head < offsets.count, finished[head] { head += 1 }
    if head == offsets.count {
      offsets.removeAll(keepingCapacity: true)
      finished.removeAll(keepingCapacity: true)
      head = 0
    } else if head >= 1024, head * 2 >= offsets.count {
      offsets.removeFirst(head)
      finished.removeFirst(head)
      head = 0
    }
    return true
  }
}
