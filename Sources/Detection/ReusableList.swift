/// A list emptied and refilled field after field: emptying it keeps its storage and costs one
/// store, where `Array.removeAll(keepingCapacity:)` goes through a general replacement of a range
/// (some 70 instructions, paid several times a field). Meant for plain values: the elements past
/// `count` stay in the storage until overwritten.
struct ReusableList<Element>: RandomAccessCollection {
  /// Holds at least `count` elements; those past `count` are left over from earlier fills.
  private var storage: [Element] = []
  private(set) var count = 0

  init() {}

  /// An empty list with room for `capacity` elements.
  init(capacity: Int) { storage.reserveCapacity(capacity) }

  var startIndex: Int { 0 }
  var endIndex: Int { count }

  @inline(__always)
  subscript(position: Int) -> Element {
    precondition(position >= 0 && position < count, "ReusableList: index out of range")
    return storage[position]
  }

  @inline(__always)
  mutating func append(_ element: Element) {
    if count < storage.count {
      storage[count] = element
    } else {
      storage.append(element)
    }
    count += 1
  }

  /// Appends `elements`: the storage made long enough once, then written in one access.
  mutating func append(contentsOf elements: UnsafeBufferPointer<Element>) {
    append(elements.count) { elements[$0] }
  }

  /// Appends `element(0)`, `element(1)`, … `element(count - 1)`, in that order: the storage made
  /// long enough once, then written in one access.
  mutating func append(_ count: Int, _ element: (Int) -> Element) {
    guard count > 0 else { return }
    let start = self.count
    while storage.count < start + count { storage.append(element(0)) }
    storage.withUnsafeMutableBufferPointer { storage in
      for offset in 0..<count { storage[start + offset] = element(offset) }
    }
    self.count = start + count
  }

  /// Empties the list, keeping its storage.
  mutating func removeAll() { count = 0 }
}
