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

  /// The largest document a table holds: offsets into `text` are 32-bit, and the text can be up
  /// to three times the document (each invalid UTF-8 byte becomes U+FFFD's three bytes; escapes
  /// only shrink), so a document is refused before its text could outgrow them.
  static let maximumBytes = Int(Int32.max) / 3

  static let root = Node(
    parent: -1, keyStart: -1, keyEnd: -1, keyHash: 0, keyNode: -1, parentKeyNode: -1, depth: 0, isElement: false,
    underArray: false)

  init() {}

  private init(text: [UInt8], leaves: [Leaf], nodes: [Node]) {
    self.text = text
    self.leaves = leaves
    self.nodes = nodes
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

  /// At least as many bytes as `path(of: node).jsonByteBound`.
  func pathByteBound(of node: Int32) -> Int {
    var bound = 1
    var current = node
    while current > 0 {
      let node = nodes[Int(current)]
      bound += node.isKey ? FieldPath.jsonByteBound(ofKeyBytes: Int(node.keyEnd - node.keyStart)) : 3
      current = node.parent
    }
    return bound
  }

  /// Writes what `path(of: node).writeDescription(to:escapingForJSON: true)` writes, from the
  /// table's nodes and key bytes.
  func writePath(of node: Int32, to writer: inout JSONByteWriter) {
    writer.append(UInt8(ascii: "$"))
    // The nodes from the root down, gathered up the parent links first (a path has as many
    // components as its node's depth).
    withUnsafeTemporaryAllocation(of: Int32.self, capacity: Int(nodes[Int(node)].depth) + 1) { chain in
      var count = 0
      var current = node
      while current > 0, count < chain.count {
        chain[count] = current
        count += 1
        current = nodes[Int(current)].parent
      }
      text.withUnsafeBufferPointer { text in
        for position in (0..<count).reversed() {
          let node = nodes[Int(chain[position])]
          if node.isKey {
            FieldPath.writeKey(
              UnsafeBufferPointer(rebasing: text[Int(node.keyStart)..<Int(node.keyEnd)]), to: &writer,
              escapingForJSON: true)
          } else {
            writer.append("[*]")
          }
        }
      }
    }
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
    var builder = Builder(reservingFor: 0)
    for leaf in jsonLeaves {
      var node: Int32 = 0
      for component in leaf.path.components {
        switch component {
        case .anyElement:
          node = builder.element(of: node)
        case .key(let key):
          node = builder.child(of: node, key: key)
        }
      }
      switch leaf.value {
      case .string(let value):
        builder.append(.string, node: node, container: leaf.container, text: builder.appendText(value))
      case .number(let value):
        builder.append(.number, node: node, container: leaf.container, text: builder.appendText(value))
      case .bool(let value):
        builder.append(value ? .true : .false, node: node, container: leaf.container, text: builder.appendText(""))
      case .null:
        builder.append(.null, node: node, container: leaf.container, text: builder.appendText(""))
      }
    }
    self = builder.finish()
  }

  // MARK: Building

  /// A table being built: its text, leaves and nodes in buffers of its own, appended to without
  /// an array's uniqueness check, and made into the table's arrays once, by `finish()`. Not
  /// copyable: the one owner of its buffers, which it frees when it goes.
  struct Builder: ~Copyable {
    var text: Buffer<UInt8>
    var leaves: Buffer<Leaf>
    var nodes: Buffer<Node>
    /// Open addressing over the nodes under arrays by parent and component: node index + 1, 0 for
    /// an empty slot; none until the first array. Only paths under arrays repeat (an element's
    /// keys are the last one's); elsewhere each key gets a node of its own, a duplicate key too.
    private var slots = UnsafeMutableBufferPointer<Int32>(start: nil, count: 0)
    private var interned = 0

    /// The memory the three buffers start in, allocated once: one allocation a document, not
    /// three. A buffer that outgrows its part moves to memory of its own.
    private let block: UnsafeMutableRawPointer

    /// A builder with room for the text of a document of `count` bytes (never longer, but for
    /// repairs) and for the leaves and nodes it usually has (about one of each per 30 bytes).
    init(reservingFor count: Int) {
      let expected = Swift.min(count / 24 + 1, 1024)
      let textCapacity = count + Buffer<UInt8>.slack
      // Each part starts where its elements' alignment allows (nodes need the most).
      let leavesOffset = Self.aligned(textCapacity, to: MemoryLayout<Leaf>.alignment)
      let nodesOffset = Self.aligned(
        leavesOffset + expected * MemoryLayout<Leaf>.stride, to: MemoryLayout<Node>.alignment)
      let byteCount = nodesOffset + (expected + 1) * MemoryLayout<Node>.stride
      block = .allocate(
        byteCount: byteCount, alignment: Swift.max(MemoryLayout<Leaf>.alignment, MemoryLayout<Node>.alignment))
      text = Buffer(in: block, capacity: textCapacity)
      leaves = Buffer(in: block + leavesOffset, capacity: expected)
      nodes = Buffer(in: block + nodesOffset, capacity: expected + 1)
      nodes.append(JSONLeafTable.root)
    }

    deinit {
      text.deallocate()
      leaves.deallocate()
      nodes.deallocate()
      block.deallocate()
      slots.deallocate()
    }

    /// `offset` rounded up to a multiple of `alignment` (a power of two).
    private static func aligned(_ offset: Int, to alignment: Int) -> Int {
      (offset + alignment - 1) & ~(alignment - 1)
    }

    /// Starts a new table in the same buffers.
    mutating func reset() {
      text.count = 0
      leaves.count = 0
      nodes.count = 1
      slots.deallocate()
      slots = UnsafeMutableBufferPointer(start: nil, count: 0)
      interned = 0
    }

    /// The table built so far.
    func finish() -> JSONLeafTable {
      JSONLeafTable(text: text.array, leaves: leaves.array, nodes: nodes.array)
    }

    /// Adds a leaf whose bytes are `text[range]`.
    mutating func append(_ kind: Kind, node: Int32, container: Int32, text range: Range<Int32>) {
      leaves.append(Leaf(kind: kind, node: node, container: container, start: range.lowerBound, end: range.upperBound))
    }

    /// Adds a leaf the reader read, whose bytes are `text[start...]`. Its offsets fit 32 bits: the
    /// reader refuses documents whose text could outgrow them (`maximumBytes`).
    @inline(__always)
    mutating func appendRead(_ kind: Kind, node: Int32, container: Int32, textFrom start: Int) {
      leaves.append(
        Leaf(
          kind: kind, node: node, container: container, start: Int32(truncatingIfNeeded: start),
          end: Int32(truncatingIfNeeded: text.count)))
    }

    /// Appends a string's bytes to `text`; returns where they are.
    mutating func appendText(_ string: String) -> Range<Int32> {
      let start = Int32(text.count)
      var string = string
      string.withUTF8 { text.append($0) }
      return start..<Int32(text.count)
    }

    /// The node of `parent`'s path with one more key (see `child(of:key:keyHash:)`), the key's
    /// bytes kept in `text` only when the node is new.
    mutating func child(of parent: Int32, key: String) -> Int32 {
      let key = appendText(key)
      let keyHash = FNV1a.hash(text.elements(key))
      let (node, isNew) = child(of: parent, key: key, keyHash: keyHash)
      if !isNew { text.count = Int(key.lowerBound) }
      return node
    }

    /// The node of `parent`'s path with the key the reader just copied to `text[start...]`,
    /// whose FNV-1a hash is `keyHash`; the key's bytes stay only when the node is new. Offsets
    /// fit 32 bits, as in `appendRead`.
    @inline(__always)
    mutating func childReading(of parent: Int32, keyFrom start: Int, keyHash: UInt64) -> Int32 {
      let key = Int32(truncatingIfNeeded: start)..<Int32(truncatingIfNeeded: text.count)
      let (node, isNew) = child(of: parent, key: key, keyHash: keyHash)
      if !isNew { text.count = start }
      return node
    }

    /// The node of `parent`'s path with one more key, whose bytes are `text[key]` and whose
    /// FNV-1a hash is `keyHash`: under an array, the node an earlier element made for the same
    /// path (not new: the caller drops the key's bytes), else a new one. Outside arrays (most
    /// keys) nothing is looked up.
    @inline(__always)
    mutating func child(of parent: Int32, key: Range<Int32>, keyHash: UInt64) -> (node: Int32, isNew: Bool) {
      let above = nodes[Int(parent)]
      guard above.underArray else {
        let index = Int32(nodes.count)
        nodes.append(childNode(of: parent, above, index: index, key: key, keyHash: keyHash))
        return (index, true)
      }
      return internedChild(of: parent, above, key: key, keyHash: keyHash)
    }

    /// The node of a path with one more key after node `parent` (`above`), numbered `index`.
    @inline(__always)
    private func childNode(of parent: Int32, _ above: Node, index: Int32, key: Range<Int32>, keyHash: UInt64) -> Node {
      Node(
        parent: parent, keyStart: key.lowerBound, keyEnd: key.upperBound, keyHash: keyHash, keyNode: index,
        parentKeyNode: above.keyNode, depth: above.depth &+ 1, isElement: false, underArray: above.underArray)
    }

    /// `child(of:key:keyHash:)` under an array: the node an earlier element made, or a new one
    /// remembered for the elements after.
    private mutating func internedChild(
      of parent: Int32, _ above: Node, key: Range<Int32>, keyHash: UInt64
    ) -> (node: Int32, isNew: Bool) {
      let index = Int32(nodes.count)
      let node = childNode(of: parent, above, index: index, key: key, keyHash: keyHash)
      var slot = firstSlot(of: node)
      while slots[slot] != 0 {
        let known = Int(slots[slot] &- 1)
        if nodes[known].parent == parent, nodes[known].keyHash == keyHash, sameKey(known, key) {
          return (Int32(known), false)
        }
        slot = (slot &+ 1) & (slots.count &- 1)
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
        parent: parent, keyStart: -1, keyEnd: -1, keyHash: 0, keyNode: above.keyNode,
        parentKeyNode: above.parentKeyNode, depth: above.depth + 1, isElement: true, underArray: true)
      if slots.isEmpty { slots = Self.emptySlots(64) }
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

    /// Whether node `node`'s key is `text[key]`.
    private func sameKey(_ node: Int, _ key: Range<Int32>) -> Bool {
      let known = nodes[node]
      let count = Int(key.upperBound &- key.lowerBound)
      guard Int(known.keyEnd &- known.keyStart) == count else { return false }
      return sameBytes(text.base + Int(known.keyStart), text.base + Int(key.lowerBound), count: count)
    }

    /// Where the search for a node's slot starts.
    private func firstSlot(of node: Node) -> Int {
      var hash = node.keyHash ^ (UInt64(UInt32(bitPattern: node.parent)) &* 0x9E37_79B9_7F4A_7C15)
      hash ^= hash >> 29
      hash = hash &* 0xBF58_476D_1CE4_E5B9
      hash ^= hash >> 32
      return Int(truncatingIfNeeded: hash) & (slots.count - 1)
    }

    /// `count` empty slots.
    private static func emptySlots(_ count: Int) -> UnsafeMutableBufferPointer<Int32> {
      let slots = UnsafeMutableBufferPointer<Int32>.allocate(capacity: count)
      slots.initialize(repeating: 0)
      return slots
    }

    /// Puts a new node in its slot, doubling the slots past half full.
    private mutating func remember(_ node: Int32, at slot: Int) {
      slots[slot] = node + 1
      interned += 1
      guard interned * 2 > slots.count else { return }
      let count = slots.count * 2
      slots.deallocate()
      slots = Self.emptySlots(count)
      for index in 1..<nodes.count where nodes[index].underArray {
        var slot = firstSlot(of: nodes[index])
        while slots[slot] != 0 { slot = (slot + 1) & (slots.count - 1) }
        slots[slot] = Int32(index) + 1
      }
    }
  }

  /// Plain values in memory of their own, appended to with a capacity check only: no array's
  /// uniqueness check per append. For bytes, a reader keeps `slack` bytes of room past what it
  /// writes, so that it may store a whole word and count only part of it.
  struct Buffer<Element: BitwiseCopyable> {
    static var slack: Int { 8 }

    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var capacity: Int
    /// How many elements are written; setting it lower drops the rest.
    var count = 0
    /// Whether `base` was allocated by the buffer (else it lies in memory its owner frees).
    private var ownsMemory: Bool

    init(capacity: Int) {
      self.capacity = Swift.max(capacity, 1)
      base = .allocate(capacity: self.capacity)
      ownsMemory = true
    }

    /// A buffer starting in `memory`, which has room for `capacity` elements and outlives it.
    init(in memory: UnsafeMutableRawPointer, capacity: Int) {
      self.capacity = capacity
      base = memory.bindMemory(to: Element.self, capacity: capacity)
      ownsMemory = false
    }

    /// Frees the memory the buffer allocated, if any.
    func deallocate() {
      if ownsMemory { base.deallocate() }
    }

    /// The elements, as the table keeps them.
    var array: [Element] { Array(UnsafeBufferPointer(start: base, count: count)) }

    subscript(index: Int) -> Element { base[index] }

    func elements(from start: Int) -> UnsafeBufferPointer<Element> {
      UnsafeBufferPointer(start: base + start, count: count - start)
    }

    func elements(_ range: Range<Int32>) -> UnsafeBufferPointer<Element> {
      UnsafeBufferPointer(start: base + Int(range.lowerBound), count: range.count)
    }

    /// Makes room for `room` more elements past `count`.
    @inline(__always)
    mutating func reserve(_ room: Int) {
      if count + room > capacity { grow(to: count + room) }
    }

    private mutating func grow(to least: Int) {
      let larger = Swift.max(least, capacity * 2)
      let moved = UnsafeMutablePointer<Element>.allocate(capacity: larger)
      moved.initialize(from: base, count: count)
      deallocate()
      base = moved
      capacity = larger
      ownsMemory = true
    }

    @inline(__always)
    mutating func append(_ element: Element) {
      if count == capacity { grow(to: count &+ 1) }
      (base + count).initialize(to: element)
      count &+= 1
    }

    mutating func append(_ more: UnsafeBufferPointer<Element>) {
      reserve(more.count)
      guard let source = more.baseAddress else { return }
      (base + count).initialize(from: source, count: more.count)
      count += more.count
    }
  }
}

/// Whether the `count` bytes at `first` and `second` are the same, compared in place in a few
/// loads (keys are short; a loop per byte or a call to `memcmp` costs more): words, the last
/// one overlapping the one before, or two overlapping halves or quarters of one.
func sameBytes(_ first: UnsafePointer<UInt8>, _ second: UnsafePointer<UInt8>, count: Int) -> Bool {
  let first = UnsafeRawPointer(first)
  let second = UnsafeRawPointer(second)
  func same<Part: FixedWidthInteger>(_: Part.Type, at offset: Int) -> Bool {
    first.loadUnaligned(fromByteOffset: offset, as: Part.self)
      == second.loadUnaligned(fromByteOffset: offset, as: Part.self)
  }
  switch count {
  case 8...:
    var offset = 0
    while offset &+ 8 < count {
      guard same(UInt64.self, at: offset) else { return false }
      offset &+= 8
    }
    return same(UInt64.self, at: count &- 8)
  case 4...: return same(UInt32.self, at: 0) && same(UInt32.self, at: count &- 4)
  case 2...: return same(UInt16.self, at: 0) && same(UInt16.self, at: count &- 2)
  case 1: return same(UInt8.self, at: 0)
  default: return true
  }
}
