import Synchronization

/// What a key says: the types its words name, strong when nothing else is said of them, weak when
/// a modifier makes the key about something of the type (`email_verified`, `password_hash`).
struct KeyHints: Sendable, Hashable {
  var tokens: [String]
  var strong: [DataType] = []
  var weak: [DataType] = []
  /// Words naming something not sensitive were found (`company name`, `order number`).
  var claimedByNonSensitive = false
  /// Tokens left over once the patterns took theirs.
  var rest: [String] = []
  /// The features' hashes of `tokens` and `rest`, computed once per key.
  var tokenHashes: [UInt64] = []
  var restHashes: [UInt64] = []

  var isEmpty: Bool { strong.isEmpty && weak.isEmpty }

  /// Reads tokens left to right, taking at each place the longest pattern that fits.
  init(tokens: [String]) {
    self.tokens = tokens
    var found: [DataType] = []
    var index = 0
    // Where the last type-naming match starts, and whether a preposition (`name on card`,
    // `date of issue`) follows a match.
    var lastMatch: Int?
    var modifierAfterType = false
    var prepositionBetween = false
    while index < tokens.count {
      var matched: KeyVocabulary.Pattern?
      for pattern in KeyVocabulary.byFirstToken[tokens[index]] ?? [] {
        let end = index + pattern.tokens.count
        guard end <= tokens.count else { continue }
        if tokens[index..<end].elementsEqual(pattern.tokens) {
          matched = pattern
          break
        }
      }
      if let matched {
        if let type = matched.type {
          if !found.contains(type) { found.append(type) }
          lastMatch = index
        } else {
          claimedByNonSensitive = true
        }
        index += matched.tokens.count
      } else {
        let token = tokens[index]
        rest.append(token)
        if lastMatch != nil {
          if KeyVocabulary.modifiers.contains(token) { modifierAfterType = true }
          if KeyVocabulary.prepositions.contains(token) { prepositionBetween = true }
        } else if KeyVocabulary.leadingModifiers.contains(token) {
          modifierAfterType = true
        }
        index += 1
      }
    }
    // In a compound key the last word names the thing (`holder_username` is a username,
    // `billing_address_phone` a phone): earlier types only count as weak hints.
    // After a preposition the first names the thing: `name_on_card` is a name.
    tokenHashes = tokens.map(FeatureHasher.hash)
    restHashes = rest.map(FeatureHasher.hash)
    let head = (prepositionBetween ? found.first : found.last).map { [$0] } ?? []
    if modifierAfterType {
      weak = found
    } else {
      strong = head
      weak = found.filter { !head.contains($0) }
    }
  }
}

extension KeyVocabulary {
  /// Patterns by their first word, longest first.
  static let byFirstToken: [String: [Pattern]] = {
    var index: [String: [Pattern]] = [:]
    for pattern in patterns {
      guard let first = pattern.tokens.first else { continue }
      index[first, default: []].append(pattern)
    }
    return index.mapValues { $0.sorted { $0.tokens.count > $1.tokens.count } }
  }()
}

/// One key's words and what they say on their own.
struct KeyWords: Sendable {
  var tokens: [String]
  var hints: KeyHints

  init(_ key: String) {
    tokens = KeyTokens.of(key)
    hints = KeyHints(tokens: tokens)
  }
}

/// What the detector knows of one field's key path: the last key's hints, and, when the last key
/// is generic (`number`, `line1`, `name`), the hints of the parent key read together with it
/// (`card.number`, `address.line1`).
///
/// What lookups and fields read (`Summary`) sits in one block of memory of the context's own, not
/// in the object: a document touches a few dozen contexts among thousands, most of them out of
/// the processor's caches, and a lookup then fetches one place, not the object and its arrays.
final class KeyContext: Sendable {
  /// The block `Summary` reads: freed with the context, never written after `init`.
  nonisolated(unsafe) fileprivate let block: UnsafeMutableRawPointer
  /// The last key and the parent key as written.
  let lastKey: String?
  let parentKey: String?
  let last: KeyHints
  let parentTokens: [String]
  /// The strongest reading: the last key's hints if it names a type, else those of the parent and
  /// last keys read together (`card.number`), which also claim a bare `name` (`product.name`).
  let effective: KeyHints

  convenience init(lastKey: String?, parentKey: String?) {
    self.init(lastKey: lastKey, parentKey: parentKey, words: KeyWords.init)
  }

  /// `words` reads a key (a cache may remember what it read).
  init(lastKey: String?, parentKey: String?, words: (String) -> KeyWords) {
    let lastWords = lastKey.map(words)
    let lastTokens = lastWords?.tokens ?? []
    let last = lastWords?.hints ?? KeyHints(tokens: [])
    let parentTokens = parentKey.map(words)?.tokens ?? []
    var combined: KeyHints?
    // A bare `name` is read with its parent too: `product.name` is a product's, not a person's.
    let bareName = lastTokens == ["name"] || lastTokens == ["title"]
    if last.strong.isEmpty || bareName, !parentTokens.isEmpty {
      let hints = KeyHints(tokens: Array(parentTokens.suffix(4)) + lastTokens)
      combined = hints.isEmpty && !hints.claimedByNonSensitive ? nil : hints
    }
    let effective: KeyHints
    if let combined, !combined.strong.isEmpty, last.strong.isEmpty {
      // `card.number`, `identity_document.document_number`: the parent says what the key is.
      effective = combined
    } else if bareName, let combined, combined.claimedByNonSensitive, combined.strong.isEmpty {
      effective = combined
    } else {
      effective = last
    }
    self.lastKey = lastKey
    self.parentKey = parentKey
    self.last = last
    self.parentTokens = parentTokens
    self.effective = effective
    var weakTypes = FoundTypes()
    for type in effective.weak { weakTypes.add(type) }
    block = Summary.allocate(
      named: effective.strong.first, weakTypes: weakTypes, lastClaimedByNonSensitive: last.claimedByNonSensitive,
      lastKey: lastKey, parentKey: parentKey, lastWordHashes: last.tokenHashes,
      restWordHashes: Array(last.restHashes.prefix(8)), parentWordHashes: parentTokens.prefix(8).map(FeatureHasher.hash)
    )
    summary.setOwner(Unmanaged.passUnretained(self).toOpaque())
  }

  deinit { block.deallocate() }

  /// What lookups and fields read of the context.
  var summary: Summary { Summary(block: UnsafeRawPointer(block)) }

  /// The type `effective` names (strongly), if any: a key names at most one, the head of its words.
  var named: DataType? { summary.named }

  /// What lookups and fields read of a context, read where `KeyContext` keeps it: a view of its
  /// block, which counts no reference. Whoever reads one keeps its context alive meanwhile.
  ///
  /// The block starts a cache line with what a lookup reads: the counts and flags at fixed
  /// offsets, then the last key's bytes followed by the parent key's. Then, 8-byte aligned, the
  /// context (not retained), the types named weakly, and the features' hashes of the last key's
  /// words (all of them), of its first 8 words left over once the patterns took theirs, and of the
  /// parent's first 8 words.
  ///
  /// Sendable as its context is: the block is never written after the context's `init`.
  struct Summary: @unchecked Sendable {
    fileprivate let block: UnsafeRawPointer

    private static let lastKeyCountOffset = 0
    private static let parentKeyCountOffset = 4
    private static let lastWordCountOffset = 8
    private static let restWordCountOffset = 12
    private static let parentWordCountOffset = 16
    private static let namedOffset = 20
    private static let claimedOffset = 21
    private static let keyBytesOffset = 24
    /// After the key bytes, from `tailOffset`.
    private static let ownerOffset = 0
    private static let weakTypesOffset = 8
    private static let hashesOffset = 16

    /// The context the block is of.
    var context: KeyContext {
      Unmanaged<KeyContext>.fromOpaque(
        block.load(fromByteOffset: tailOffset + Self.ownerOffset, as: UnsafeRawPointer.self)
      )
      .takeUnretainedValue()
    }

    /// The type the key names strongly, if any (`KeyContext.named`).
    var named: DataType? { block.load(fromByteOffset: Self.namedOffset, as: DataType?.self) }

    /// Whether the key names `type` weakly (`email_verified` names an email weakly).
    func namesWeakly(_ type: DataType) -> Bool {
      block.load(fromByteOffset: tailOffset + Self.weakTypesOffset, as: FoundTypes.self).contains(type)
    }

    /// Words naming something not sensitive were found in the last key (`company name`).
    var lastClaimedByNonSensitive: Bool { block.load(fromByteOffset: Self.claimedOffset, as: Bool.self) }

    /// The hashes of the last key's words.
    var lastWordHashes: UnsafeBufferPointer<UInt64> { hashes(from: 0, count: int32(at: Self.lastWordCountOffset)) }

    /// The hashes of the last key's first 8 words left over once the patterns took theirs.
    var restWordHashes: UnsafeBufferPointer<UInt64> {
      hashes(from: int32(at: Self.lastWordCountOffset), count: int32(at: Self.restWordCountOffset))
    }

    /// The hashes of the parent key's first 8 words.
    var parentWordHashes: UnsafeBufferPointer<UInt64> {
      hashes(
        from: int32(at: Self.lastWordCountOffset) + int32(at: Self.restWordCountOffset),
        count: int32(at: Self.parentWordCountOffset))
    }

    /// Whether the context's keys have these bytes (nil for no key).
    func hasKeys(last: UnsafeBufferPointer<UInt8>?, parent: UnsafeBufferPointer<UInt8>?) -> Bool {
      let lastCount = int32(at: Self.lastKeyCountOffset)
      return sameBytes(storedKey(from: 0, count: lastCount), last)
        && sameBytes(storedKey(from: Swift.max(0, lastCount), count: int32(at: Self.parentKeyCountOffset)), parent)
    }

    /// How many bytes the keys take.
    var keyByteCount: Int {
      Swift.max(0, int32(at: Self.lastKeyCountOffset)) + Swift.max(0, int32(at: Self.parentKeyCountOffset))
    }

    private func int32(at offset: Int) -> Int { Int(block.load(fromByteOffset: offset, as: Int32.self)) }

    /// `count` key bytes from `start`; nil for a count of -1 (no key).
    private func storedKey(from start: Int, count: Int) -> UnsafeBufferPointer<UInt8>? {
      guard count >= 0 else { return nil }
      return UnsafeBufferPointer(
        start: (block + Self.keyBytesOffset + start).assumingMemoryBound(to: UInt8.self), count: count)
    }

    /// Where the part after the key bytes starts.
    private var tailOffset: Int { Self.tailOffset(afterKeyBytes: keyByteCount) }

    private static func tailOffset(afterKeyBytes count: Int) -> Int { (keyBytesOffset + count + 7) & ~7 }

    private func hashes(from start: Int, count: Int) -> UnsafeBufferPointer<UInt64> {
      UnsafeBufferPointer(
        start: (block + tailOffset + Self.hashesOffset).assumingMemoryBound(to: UInt64.self) + start, count: count)
    }

    /// Notes the context the block is of, once it is made.
    fileprivate func setOwner(_ owner: UnsafeMutableRawPointer) {
      UnsafeMutableRawPointer(mutating: block).storeBytes(
        of: owner, toByteOffset: tailOffset + Self.ownerOffset, as: UnsafeMutableRawPointer.self)
    }

    /// A block holding all of it but the context it is of (`setOwner`), which frees it.
    fileprivate static func allocate(
      named: DataType?, weakTypes: FoundTypes, lastClaimedByNonSensitive: Bool,
      lastKey: String?, parentKey: String?, lastWordHashes: [UInt64], restWordHashes: [UInt64],
      parentWordHashes: [UInt64]
    ) -> UnsafeMutableRawPointer {
      let lastBytes = Array((lastKey ?? "").utf8)
      let parentBytes = Array((parentKey ?? "").utf8)
      let hashes = lastWordHashes + restWordHashes + parentWordHashes
      let tail = tailOffset(afterKeyBytes: lastBytes.count + parentBytes.count)
      // A cache line's alignment: a lookup reads the first line only, unless the keys are long.
      let block = UnsafeMutableRawPointer.allocate(
        byteCount: tail + hashesOffset + hashes.count * MemoryLayout<UInt64>.stride, alignment: 64)
      func store(_ count: Int, at offset: Int) {
        block.storeBytes(of: Int32(count), toByteOffset: offset, as: Int32.self)
      }
      store(lastKey == nil ? -1 : lastBytes.count, at: lastKeyCountOffset)
      store(parentKey == nil ? -1 : parentBytes.count, at: parentKeyCountOffset)
      store(lastWordHashes.count, at: lastWordCountOffset)
      store(restWordHashes.count, at: restWordCountOffset)
      store(parentWordHashes.count, at: parentWordCountOffset)
      block.storeBytes(of: named, toByteOffset: namedOffset, as: DataType?.self)
      block.storeBytes(of: lastClaimedByNonSensitive, toByteOffset: claimedOffset, as: Bool.self)
      (block + keyBytesOffset).copyMemory(from: lastBytes, byteCount: lastBytes.count)
      (block + keyBytesOffset + lastBytes.count).copyMemory(from: parentBytes, byteCount: parentBytes.count)
      block.storeBytes(of: nil, toByteOffset: tail + ownerOffset, as: UnsafeMutableRawPointer?.self)
      block.storeBytes(of: weakTypes, toByteOffset: tail + weakTypesOffset, as: FoundTypes.self)
      (block + tail + hashesOffset).copyMemory(from: hashes, byteCount: hashes.count * MemoryLayout<UInt64>.stride)
      return block
    }
  }
}

/// Key analyses shared by every detection: an API's keys repeat from one document to the next, so
/// each pair of keys is tokenised once. Bounded: past `capacity` pairs the cache starts afresh.
///
/// The contexts sit in an open-addressing table by a hash of their pair (`fingerprint`): a lookup
/// costs a hash of a few bytes, a probe or two and a comparison of the keys' bytes, and a
/// document's keys are looked up from its table's bytes, with no `String` made for a known pair.
final class KeyContextCache: Sendable {
  /// The contexts of one filling of the cache, from empty to `capacity`: they live as long as
  /// the generation, which the cache holds until it starts afresh and every document holds while
  /// it uses them. The table's slots and a document's contexts refer to them without counting.
  final class Generation: @unchecked Sendable {
    /// Appended to under the cache's lock only; read by no one.
    fileprivate var contexts: [KeyContext] = []
  }

  private struct State {
    /// A pair's fingerprint beside its context, so that a probe reads one place; a nil context
    /// marks an empty slot. The context is held by `generation`.
    struct Slot {
      var fingerprint: UInt64 = 0
      var entry: KeyContext.Summary?

      var context: KeyContext? { entry?.context }
    }

    var slots = [Slot](repeating: Slot(), count: KeyContextCache.initialSlots)
    var count = 0
    /// The bytes of the keys the contexts hold.
    var keyBytes = 0
    var generation = Generation()

    /// The context with this fingerprint that `matches` accepts.
    func find(_ fingerprint: UInt64, _ matches: (KeyContext.Summary) -> Bool) -> KeyContext? {
      let slot = findSlot(fingerprint, matches)
      return slot >= 0 ? slots[slot].context : nil
    }

    /// The slot of the context with this fingerprint that `matches` accepts, or -1.
    func findSlot(_ fingerprint: UInt64, _ matches: (KeyContext.Summary) -> Bool) -> Int {
      var slot = Int(truncatingIfNeeded: fingerprint) & (slots.count - 1)
      while let entry = slots[slot].entry {
        if slots[slot].fingerprint == fingerprint, matches(entry) { return slot }
        slot = (slot + 1) & (slots.count - 1)
      }
      return -1
    }

    /// `findSlot` of every pair, answered to `body` in order, pair by pair, with the pair's slot or
    /// -1. The lookups go in two rounds over all the pairs: the slots with the pairs'
    /// fingerprints, then the keys of their contexts. Most of a cache's contexts are out of the
    /// processor's caches: in rounds, the memory a round reads for one pair does not wait on what
    /// it read for the one before, and the processor fetches it for many pairs at once. A pair
    /// whose rounds find no match is looked up again the plain way.
    fileprivate func findSlots(of pairs: [KeyPair], _ body: (Int, Int) -> Void) {
      withUnsafeTemporaryAllocation(of: Int.self, capacity: pairs.count) { found in
        slots.withUnsafeBufferPointer { slots in
          let mask = slots.count - 1
          // Round 1: the first slot holding the pair's fingerprint, or -1.
          for index in pairs.indices {
            let fingerprint = pairs[index].fingerprint
            var slot = Int(truncatingIfNeeded: fingerprint) & mask
            while slots[slot].entry != nil, slots[slot].fingerprint != fingerprint { slot = (slot + 1) & mask }
            found[index] = slots[slot].entry == nil ? -1 : slot
          }
          // Round 2: the keys of its context.
          for index in pairs.indices where found[index] >= 0 {
            if !(slots[found[index]].entry.map(pairs[index].matches) ?? false) { found[index] = -2 }
          }
        }
        for index in pairs.indices {
          // -2: a fingerprint's slot held another pair's context; a later slot may hold the pair's.
          body(index, found[index] == -2 ? findSlot(pairs[index].fingerprint, pairs[index].matches) : found[index])
        }
      }
    }

    /// Slot `slot`'s context, not retained (the generation holds it).
    func summary(_ slot: Int) -> KeyContext.Summary? { slots[slot].entry }

    /// Adds a context not in the table, which doubles past half full.
    mutating func insert(_ context: KeyContext, _ fingerprint: UInt64) {
      if (count + 1) * 2 > slots.count {
        let old = slots
        slots = [Slot](repeating: Slot(), count: slots.count * 2)
        for slot in old {
          if let context = slot.context { place(context, slot.fingerprint) }
        }
      }
      place(context, fingerprint)
      generation.contexts.append(context)
      count += 1
      keyBytes += context.summary.keyByteCount
    }

    private mutating func place(_ context: KeyContext, _ fingerprint: UInt64) {
      var slot = Int(truncatingIfNeeded: fingerprint) & (slots.count - 1)
      while slots[slot].entry != nil { slot = (slot + 1) & (slots.count - 1) }
      slots[slot] = Slot(fingerprint: fingerprint, entry: context.summary)
    }
  }

  static let initialSlots = 4_096

  /// The longest key whose words are remembered: `KeyTokens` reads 128 bytes of a key.
  static let wordsKeyLength = 128

  private let state = Mutex(State())
  private let words = Mutex([String: KeyWords]())
  let capacity: Int
  /// At most this many bytes of keys are held (a key is as long as its document allows).
  let keyByteBudget: Int

  init(capacity: Int = 50_000, keyByteBudget: Int = 16 << 20) {
    self.capacity = capacity
    self.keyByteBudget = keyByteBudget
  }

  /// How many contexts the cache holds now.
  var count: Int { state.withLock { $0.count } }

  func context(lastKey: String?, parentKey: String?) -> KeyContext {
    let fingerprint = Self.fingerprint(lastKey, parentKey)
    let matches = { (summary: KeyContext.Summary) in
      summary.context.lastKey == lastKey && summary.context.parentKey == parentKey
    }
    if let known = state.withLock({ $0.find(fingerprint, matches) }) { return known }
    return remember(KeyContext(lastKey: lastKey, parentKey: parentKey, words: words(of:)), fingerprint, matches)
  }

  /// What `key` says, read once per key, not once per pair it is in: the same key is the last of
  /// many pairs and the parent of others. Remembered for keys of up to `wordsKeyLength` bytes (the
  /// tokens read no further), at most `capacity` of them.
  func words(of key: String) -> KeyWords {
    guard key.utf8.count <= Self.wordsKeyLength else { return KeyWords(key) }
    if let known = words.withLock({ $0[key] }) { return known }
    let read = KeyWords(key)
    words.withLock { words in
      if words.count >= capacity { words.removeAll() }
      words[key] = read
    }
    return read
  }

  /// The key contexts of a document's leaves: each distinct pair of keys looked up once, all of
  /// them under one lock; the pairs not known yet are analysed outside it, then remembered.
  func contexts(of table: JSONLeafTable) -> DocumentKeyContexts {
    // A leaf's pair of keys is its node's last key node's: index it by that node (0 for none).
    var pairOfKeyNode = [Int32](repeating: -1, count: table.nodes.count + 1)
    var keyNodes: [Int32] = []
    keyNodes.reserveCapacity(Swift.min(table.leaves.count, table.nodes.count + 1))
    var leafPairs: [Int32] = []
    leafPairs.reserveCapacity(table.leaves.count)
    for leaf in table.leaves {
      let slot = Int(table.nodes[Int(leaf.node)].keyNode) + 1
      if pairOfKeyNode[slot] < 0 {
        pairOfKeyNode[slot] = Int32(keyNodes.count)
        keyNodes.append(Int32(slot - 1))
      }
      leafPairs.append(pairOfKeyNode[slot])
    }
    var found: [KeyContext.Summary] = []
    found.reserveCapacity(keyNodes.count)
    var generation: Generation?
    var built: [KeyContext] = []
    var lastKeys: [Int32] = []
    table.text.withUnsafeBufferPointer { text in
      let pairs = keyNodes.map { node in
        let parent = node >= 0 ? table.nodes[Int(node)].parentKeyNode : -1
        return KeyPair(last: KeyBytes(node, in: table, text: text), parent: KeyBytes(parent, in: table, text: text))
      }
      lastKeys = Self.lastKeyIdentities(of: pairs)
      var missed: [Int] = []
      state.withLock { state in
        generation = state.generation
        state.findSlots(of: pairs) { index, slot in
          if slot >= 0, let known = state.summary(slot) {
            found.append(known)
          } else {
            found.append(Self.placeholder.summary)
            missed.append(index)
          }
        }
      }
      // A pair met twice in the document is analysed once (found by its fingerprint; a pair
      // whose fingerprint another pair took first is analysed again). The document holds the
      // contexts it built itself: the cache may have started afresh since.
      var builtByFingerprint: [UInt64: KeyContext] = [:]
      for index in missed {
        let pair = pairs[index]
        let context: KeyContext
        if let known = builtByFingerprint[pair.fingerprint], pair.matches(known.summary) {
          context = known
        } else {
          context = remember(
            KeyContext(lastKey: pair.last?.string, parentKey: pair.parent?.string, words: words(of:)), pair.fingerprint,
            pair.matches)
          if builtByFingerprint[pair.fingerprint] == nil { builtByFingerprint[pair.fingerprint] = context }
          built.append(context)
        }
        found[index] = context.summary
      }
    }
    return DocumentKeyContexts(
      generation: generation, built: built, contexts: found, leafPairs: leafPairs, lastKeys: lastKeys)
  }

  /// For each pair, the index of the first pair with the same last key (bytes, or none): pairs
  /// with the same last key get the same number. An open-addressing table by the last key's hash.
  private static func lastKeyIdentities(of pairs: [KeyPair]) -> [Int32] {
    var slots = [Int32](repeating: -1, count: max(8, 1 << (Int.bitWidth - (pairs.count * 2).leadingZeroBitCount)))
    let mask = slots.count - 1
    return pairs.indices.map { index in
      let last = pairs[index].last
      var slot = Int(truncatingIfNeeded: ((last?.hash ?? 0) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
      while slots[slot] >= 0 {
        let other = pairs[Int(slots[slot])].last
        if other?.hash == last?.hash, sameBytes(other?.bytes, last?.bytes) { return slots[slot] }
        slot = (slot + 1) & mask
      }
      slots[slot] = Int32(index)
      return Int32(index)
    }
  }

  /// Adds a context built outside the lock, unless another thread added one for its pair first
  /// (then that one is the answer); starts afresh past `capacity` contexts or `keyByteBudget`.
  private func remember(
    _ context: KeyContext, _ fingerprint: UInt64, _ matches: (KeyContext.Summary) -> Bool
  ) -> KeyContext {
    state.withLock { state in
      if let known = state.find(fingerprint, matches) { return known }
      if state.count >= capacity || state.keyBytes >= keyByteBudget { state = State() }
      state.insert(context, fingerprint)
      return context
    }
  }

  /// Stands in for a context not found yet.
  private static let placeholder = KeyContext(lastKey: nil, parentKey: nil)

  /// A key node's key bytes and their hash, borrowed from a table's text.
  fileprivate struct KeyBytes {
    var bytes: UnsafeBufferPointer<UInt8>
    var hash: UInt64

    /// Nil for no node (-1).
    init?(_ node: Int32, in table: JSONLeafTable, text: UnsafeBufferPointer<UInt8>) {
      guard node >= 0 else { return nil }
      let node = table.nodes[Int(node)]
      bytes = UnsafeBufferPointer(rebasing: text[Int(node.keyStart)..<Int(node.keyEnd)])
      hash = node.keyHash
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }

  }

  /// A pair of keys as bytes.
  fileprivate struct KeyPair {
    var last: KeyBytes?
    var parent: KeyBytes?

    var fingerprint: UInt64 { KeyContextCache.fingerprint(lastHash: last?.hash, parentHash: parent?.hash) }

    /// Whether a context is this pair's.
    func matches(_ context: KeyContext.Summary) -> Bool {
      context.hasKeys(last: last?.bytes, parent: parent?.bytes)
    }
  }

  /// A hash of a pair of keys, from each key's FNV-1a hash (nil for no key).
  static func fingerprint(_ last: String?, _ parent: String?) -> UInt64 {
    fingerprint(lastHash: last.map(FNV1a.hash), parentHash: parent.map(FNV1a.hash))
  }

  static func fingerprint(lastHash: UInt64?, parentHash: UInt64?) -> UInt64 {
    // No key stands for a hash no short key is likely to have; a collision only costs a probe.
    var hash = (lastHash ?? 0x9E37_79B9_7F4A_7C15) &* 0xFF51_AFD7_ED55_8CCD
    hash ^= (parentHash ?? 0xC2B2_AE3D_27D4_EB4F) &+ 0x632B_E59B_D9B4_E019
    hash ^= hash >> 29
    hash = hash &* 0xC4CE_B9FE_1A85_EC53
    hash ^= hash >> 32
    return hash
  }
}

/// The key contexts of one document's leaves.
struct DocumentKeyContexts {
  /// What holds every context below: the cache's generation the lookups found them in, and the
  /// contexts the document built itself (the cache may have started afresh since).
  private let generation: KeyContextCache.Generation?
  private let built: [KeyContext]
  /// One per distinct pair of keys, and each leaf's index into them.
  private let contexts: [KeyContext.Summary]
  private let leafPairs: [Int32]
  /// Per pair, a number its last key shares with every pair of the same last key.
  private let lastKeys: [Int32]

  init(
    generation: KeyContextCache.Generation?, built: [KeyContext], contexts: [KeyContext.Summary], leafPairs: [Int32],
    lastKeys: [Int32]
  ) {
    self.generation = generation
    self.built = built
    self.contexts = contexts
    self.leafPairs = leafPairs
    self.lastKeys = lastKeys
  }

  /// Leaf `index`'s context.
  func of(_ index: Int) -> KeyContext { contexts[Int(leafPairs[index])].context }

  /// What lookups and fields read of leaf `index`'s context, valid until `keepAlive()`.
  func summary(_ index: Int) -> KeyContext.Summary { contexts[Int(leafPairs[index])] }

  /// Keeps the contexts alive until here.
  func keepAlive() { withExtendedLifetime((generation, built)) {} }

  /// Whether two leaves have the same last key.
  func haveSameLastKey(_ first: Int, _ second: Int) -> Bool {
    lastKeys[Int(leafPairs[first])] == lastKeys[Int(leafPairs[second])]
  }
}

/// Whether two keys' bytes are the same (both nil counts as the same).
private func sameBytes(_ first: UnsafeBufferPointer<UInt8>?, _ second: UnsafeBufferPointer<UInt8>?) -> Bool {
  guard let first, let second else { return first == nil && second == nil }
  guard first.count == second.count else { return false }
  guard let a = first.baseAddress, let b = second.baseAddress else { return true }
  return sameBytes(a, b, count: first.count)
}
