#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A JSON document's scalar leaves, flat: every string's and number's bytes back to back in one
/// buffer, each leaf a few integers, and the paths as a tree of nodes interned per document, so
/// that the elements of an array share their paths' nodes and a path is made into a `FieldPath`
/// only for a field with findings. Reading a document this way allocates a handful of buffers,
/// not a string and a path per leaf: what detection at line rate needs.
///
/// `JSONLeaves.of` gives the same leaves as `[JSONLeaf]`, and `init(_:)` makes a table of such
/// leaves, so both forms describe the same thing.
public struct JSONLeafTable: Sendable {
  enum Kind: UInt8 {
    case string, number, `true`, `false`, null
  }

  struct Leaf {
    var kind: Kind
    /// The node of the leaf's path.
    var node: Int32
    /// Which object (or array of scalars) holds the leaf: see `JSONLeaf.container`.
    var container: Int32
    /// The value's bytes in `text` (strings and numbers; empty for the rest).
    var start: Int32
    var end: Int32
  }

  /// One path: its parent's path and one more component.
  struct Node {
    /// -1 for the root (`$`).
    var parent: Int32
    /// The key's bytes in `text`; `keyStart` is -1 for an array element (`[*]`) and the root.
    var keyStart: Int32
    var keyEnd: Int32
    /// FNV-1a of the key's bytes (0 for no key): what key contexts are found by.
    var keyHash: UInt64
    /// The nearest node at or above this one whose component is a key, and the next such node
    /// above that one: the path's last key and the key before it (-1 when there is none).
    var keyNode: Int32
    var parentKeyNode: Int32
    /// How many components the path has.
    var depth: Int32
    /// Whether the last component is `[*]`, and whether any is.
    var isElement: Bool
    var underArray: Bool

    var isKey: Bool { keyStart >= 0 }
  }

  /// Value and key bytes, UTF-8 (invalid sequences already replaced by U+FFFD).
  var text: [UInt8] = []
  var leaves: [Leaf] = []
  /// `nodes[0]` is the root.
  var nodes = [Self.root]
  /// Open addressing over the nodes under arrays by parent and component: node index + 1, 0 for
  /// an empty slot; none until the first array. Only paths under arrays repeat (an element's
  /// keys are the last one's); elsewhere each key gets a node of its own, a duplicate key too.
  private var slots: [Int32] = []
  private var interned = 0

  /// The largest document a table holds: offsets are 32-bit.
  static let maximumBytes = Int(Int32.max)

  static let root = Node(
    parent: -1, keyStart: -1, keyEnd: -1, keyHash: 0, keyNode: -1, parentKeyNode: -1, depth: 0, isElement: false,
    underArray: false)

  init() {}

  /// An empty table with room for the leaves and nodes a document of `count` bytes usually has
  /// (about one of each per 30 bytes), so that reading it seldom grows them.
  init(reservingFor count: Int) {
    let expected = Swift.min(count / 24 + 1, 1024)
    leaves.reserveCapacity(expected)
    nodes.reserveCapacity(expected)
  }

  /// How many leaves the document has.
  public var count: Int { leaves.count }

  /// The path of node `node`.
  func path(of node: Int32) -> FieldPath {
    var components: [FieldPath.Component] = []
    components.reserveCapacity(Int(nodes[Int(node)].depth))
    var current = node
    while current > 0 {
      let node = nodes[Int(current)]
      components.append(node.isKey ? .key(string(node.keyStart, node.keyEnd)) : .anyElement)
      current = node.parent
    }
    return FieldPath(components.reversed())
  }

  /// The text of a leaf (its string's contents or its number as written); nil for `true`,
  /// `false` and `null`.
  func text(of leaf: Leaf) -> String? {
    switch leaf.kind {
    case .string, .number: string(leaf.start, leaf.end)
    case .true, .false, .null: nil
    }
  }

  func string(_ start: Int32, _ end: Int32) -> String {
    text.withUnsafeBufferPointer { text in
      String(decoding: UnsafeBufferPointer(rebasing: text[Int(start)..<Int(end)]), as: UTF8.self)
    }
  }

  /// The leaves as values with their own paths; the leaves of one node share their path's storage.
  public var jsonLeaves: [JSONLeaf] {
    var paths = [FieldPath?](repeating: nil, count: nodes.count)
    return leaves.map { leaf in
      let path: FieldPath
      if let known = paths[Int(leaf.node)] {
        path = known
      } else {
        path = self.path(of: leaf.node)
        paths[Int(leaf.node)] = path
      }
      let value: JSONLeaf.Value =
        switch leaf.kind {
        case .string: .string(string(leaf.start, leaf.end))
        case .number: .number(string(leaf.start, leaf.end))
        case .true: .bool(true)
        case .false: .bool(false)
        case .null: .null
        }
      return JSONLeaf(path: path, value: value, container: leaf.container)
    }
  }

  /// A table of leaves read elsewhere (built by hand, or from a form body).
  public init(_ jsonLeaves: [JSONLeaf]) {
    leaves.reserveCapacity(jsonLeaves.count)
    for leaf in jsonLeaves {
      var node: Int32 = 0
      for component in leaf.path.components {
        switch component {
        case .anyElement:
          node = element(of: node)
        case .key(let key):
          node = child(of: node, key: key)
        }
      }
      switch leaf.value {
      case .string(let value):
        append(.string, node: node, container: leaf.container, text: appendText(value))
      case .number(let value):
        append(.number, node: node, container: leaf.container, text: appendText(value))
      case .bool(let value):
        append(value ? .true : .false, node: node, container: leaf.container, text: appendText(""))
      case .null:
        append(.null, node: node, container: leaf.container, text: appendText(""))
      }
    }
  }

  // MARK: Building

  /// Adds a leaf whose bytes are `text[range]`.
  mutating func append(_ kind: Kind, node: Int32, container: Int32, text range: Range<Int32>) {
    leaves.append(Leaf(kind: kind, node: node, container: container, start: range.lowerBound, end: range.upperBound))
  }

  /// Appends a string's bytes to `text`; returns where they are.
  private mutating func appendText(_ string: String) -> Range<Int32> {
    let start = Int32(text.count)
    var string = string
    string.withUTF8 { text.append(contentsOf: $0) }
    return start..<Int32(text.count)
  }

  /// The node of `parent`'s path with one more key (see `child(of:key:in:)`), the key's bytes
  /// kept in `text` only when the node is new.
  private mutating func child(of parent: Int32, key: String) -> Int32 {
    let key = appendText(key)
    let text = self.text
    let (node, isNew) = text.withUnsafeBufferPointer { text in
      let keyHash = FNV1a.hash(UnsafeBufferPointer(rebasing: text[Int(key.lowerBound)..<Int(key.upperBound)]))
      return child(of: parent, key: key, keyHash: keyHash, in: text)
    }
    if !isNew { self.text.removeSubrange(Int(key.lowerBound)...) }
    return node
  }

  /// The node of `parent`'s path with one more key, whose bytes are `text[key]` (`text` being the
  /// table's text as it is being written) and whose FNV-1a hash is `keyHash`: under an array, the
  /// node an earlier element made for the same path (not new: the caller drops the key's bytes),
  /// else a new one.
  mutating func child(
    of parent: Int32, key: Range<Int32>, keyHash: UInt64, in text: UnsafeBufferPointer<UInt8>
  )
    -> (node: Int32, isNew: Bool)
  {
    let keyBytes = UnsafeBufferPointer(rebasing: text[Int(key.lowerBound)..<Int(key.upperBound)])
    let above = nodes[Int(parent)]
    let index = Int32(nodes.count)
    let node = Node(
      parent: parent, keyStart: key.lowerBound, keyEnd: key.upperBound, keyHash: keyHash, keyNode: index,
      parentKeyNode: above.keyNode, depth: above.depth + 1, isElement: false, underArray: above.underArray)
    guard above.underArray else {
      nodes.append(node)
      return (index, true)
    }
    var slot = firstSlot(of: node)
    while slots[slot] != 0 {
      let known = Int(slots[slot] - 1)
      if nodes[known].parent == parent, nodes[known].keyHash == keyHash, sameKey(known, keyBytes, in: text) {
        return (Int32(known), false)
      }
      slot = (slot + 1) & (slots.count - 1)
    }
    nodes.append(node)
    remember(index, at: slot)
    return (index, true)
  }

  /// The node of `parent`'s path with one more `[*]`.
  mutating func element(of parent: Int32) -> Int32 {
    let above = nodes[Int(parent)]
    let index = Int32(nodes.count)
    let node = Node(
      parent: parent, keyStart: -1, keyEnd: -1, keyHash: 0, keyNode: above.keyNode, parentKeyNode: above.parentKeyNode,
      depth: above.depth + 1, isElement: true, underArray: true)
    if slots.isEmpty { slots = [Int32](repeating: 0, count: 64) }
    var slot = firstSlot(of: node)
    while slots[slot] != 0 {
      let known = Int(slots[slot] - 1)
      if nodes[known].parent == parent, !nodes[known].isKey { return Int32(known) }
      slot = (slot + 1) & (slots.count - 1)
    }
    nodes.append(node)
    remember(index, at: slot)
    return index
  }

  /// Whether node `node`'s key is `key`, both in `text`.
  private func sameKey(_ node: Int, _ key: UnsafeBufferPointer<UInt8>, in text: UnsafeBufferPointer<UInt8>) -> Bool {
    let known = nodes[node]
    guard Int(known.keyEnd - known.keyStart) == key.count else { return false }
    guard let base = text.baseAddress, let start = key.baseAddress else { return true }
    return memcmp(base + Int(known.keyStart), start, key.count) == 0
  }

  /// Where the search for a node's slot starts.
  private func firstSlot(of node: Node) -> Int {
    var hash = node.keyHash ^ (UInt64(UInt32(bitPattern: node.parent)) &* 0x9E37_79B9_7F4A_7C15)
    hash ^= hash >> 29
    hash = hash &* 0xBF58_476D_1CE4_E5B9
    hash ^= hash >> 32
    return Int(truncatingIfNeeded: hash) & (slots.count - 1)
  }

  /// Puts a new node in its slot, doubling the slots past half full.
  private mutating func remember(_ node: Int32, at slot: Int) {
    slots[slot] = node + 1
    interned += 1
    guard interned * 2 > slots.count else { return }
    slots = [Int32](repeating: 0, count: slots.count * 2)
    for index in 1..<nodes.count where nodes[index].underArray {
      var slot = firstSlot(of: nodes[index])
      while slots[slot] != 0 { slot = (slot + 1) & (slots.count - 1) }
      slots[slot] = Int32(index) + 1
    }
  }
}
