import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

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

/// What the detector knows of one field's key path: the last key's hints, and, when the last key
/// is generic (`number`, `line1`, `name`), the hints of the parent key read together with it
/// (`card.number`, `address.line1`).
final class KeyContext: Sendable {
  /// The last key as written, and its FNV-1a hash: sibling keys compare by hash first.
  let lastKey: String?
  let lastKeyHash: UInt64
  /// The parent key as written.
  let parentKey: String?
  let last: KeyHints
  let parentTokens: [String]
  /// The features' hashes of `parentTokens`.
  let parentTokenHashes: [UInt64]
  /// The strongest reading: the last key's hints if it names a type, else those of the parent and
  /// last keys read together (`card.number`), which also claim a bare `name` (`product.name`).
  let effective: KeyHints
  /// The type `effective` names (strongly), if any: a key names at most one, the head of its words.
  let named: DataType?

  init(lastKey: String?, parentKey: String?) {
    let lastTokens = lastKey.map(KeyTokens.of) ?? []
    let last = KeyHints(tokens: lastTokens)
    let parentTokens = parentKey.map(KeyTokens.of) ?? []
    var combined: KeyHints?
    // A bare `name` is read with its parent too: `product.name` is a product's, not a person's.
    let bareName = lastTokens == ["name"] || lastTokens == ["title"]
    if last.strong.isEmpty || bareName, !parentTokens.isEmpty {
      let hints = KeyHints(tokens: Array(parentTokens.suffix(4)) + lastTokens)
      combined = hints.isEmpty && !hints.claimedByNonSensitive ? nil : hints
    }
    self.lastKey = lastKey
    self.parentKey = parentKey
    self.lastKeyHash = lastKey.map(FeatureHasher.hash) ?? 0
    self.last = last
    self.parentTokens = parentTokens
    self.parentTokenHashes = parentTokens.map(FeatureHasher.hash)
    if let combined, !combined.strong.isEmpty, last.strong.isEmpty {
      // `card.number`, `identity_document.document_number`: the parent says what the key is.
      self.effective = combined
    } else if bareName, let combined, combined.claimedByNonSensitive, combined.strong.isEmpty {
      self.effective = combined
    } else {
      self.effective = last
    }
    self.named = effective.strong.first
  }

  /// Whether two contexts have the same last key.
  func hasSameLastKey(as other: KeyContext) -> Bool {
    self === other || (lastKeyHash == other.lastKeyHash && lastKey == other.lastKey)
  }
}

/// Key analyses shared by every detection: an API's keys repeat from one document to the next, so
/// each pair of keys is tokenised once. Bounded: past `capacity` pairs the cache starts afresh.
///
/// The contexts sit in an open-addressing table by a hash of their pair (`fingerprint`): a lookup
/// costs a hash of a few bytes, a probe or two and a comparison of the keys' bytes, and a
/// document's keys are looked up from its table's bytes, with no `String` made for a known pair.
final class KeyContextCache: Sendable {
  struct Key: Hashable {
    var last: String?
    var parent: String?
  }

  private struct State {
    /// A pair's fingerprint beside its context, so that a probe reads one place; a nil context
    /// marks an empty slot.
    struct Slot {
      var fingerprint: UInt64 = 0
      var context: KeyContext?
    }

    var slots = [Slot](repeating: Slot(), count: KeyContextCache.initialSlots)
    var count = 0

    /// The context with this fingerprint that `matches` accepts.
    func find(_ fingerprint: UInt64, _ matches: (KeyContext) -> Bool) -> KeyContext? {
      var slot = Int(truncatingIfNeeded: fingerprint) & (slots.count - 1)
      while let context = slots[slot].context {
        if slots[slot].fingerprint == fingerprint, matches(context) { return context }
        slot = (slot + 1) & (slots.count - 1)
      }
      return nil
    }

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
      count += 1
    }

    private mutating func place(_ context: KeyContext, _ fingerprint: UInt64) {
      var slot = Int(truncatingIfNeeded: fingerprint) & (slots.count - 1)
      while slots[slot].context != nil { slot = (slot + 1) & (slots.count - 1) }
      slots[slot] = Slot(fingerprint: fingerprint, context: context)
    }
  }

  static let initialSlots = 4_096

  private let state = Mutex(State())
  let capacity: Int

  init(capacity: Int = 50_000) { self.capacity = capacity }

  /// How many contexts the cache holds now.
  var count: Int { state.withLock { $0.count } }

  func context(lastKey: String?, parentKey: String?) -> KeyContext {
    let fingerprint = Self.fingerprint(lastKey, parentKey)
    let matches = { (context: KeyContext) in context.lastKey == lastKey && context.parentKey == parentKey }
    if let known = state.withLock({ $0.find(fingerprint, matches) }) { return known }
    return remember(KeyContext(lastKey: lastKey, parentKey: parentKey), fingerprint, matches)
  }

  /// The key contexts of a document's leaves: each distinct pair of keys looked up once, all of
  /// them under one lock; the pairs not known yet are analysed outside it, then remembered.
  func contexts(of table: JSONLeafTable) -> DocumentKeyContexts {
    // A leaf's pair of keys is its node's last key node's: index it by that node (0 for none).
    var pairOfKeyNode = [Int32](repeating: -1, count: table.nodes.count + 1)
    var keyNodes: [Int32] = []
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
    var found: [KeyContext] = []
    found.reserveCapacity(keyNodes.count)
    table.text.withUnsafeBufferPointer { text in
      let pairs = keyNodes.map { node in
        let parent = node >= 0 ? table.nodes[Int(node)].parentKeyNode : -1
        return KeyPair(last: KeyBytes(node, in: table, text: text), parent: KeyBytes(parent, in: table, text: text))
      }
      var missed: [Int] = []
      state.withLock { state in
        for (index, pair) in pairs.enumerated() {
          if let known = state.find(pair.fingerprint, pair.matches) {
            found.append(known)
          } else {
            found.append(Self.placeholder)
            missed.append(index)
          }
        }
      }
      // A pair met twice in the document is analysed once.
      var built: [Key: KeyContext] = [:]
      for index in missed {
        let pair = pairs[index]
        let key = Key(last: pair.last?.string, parent: pair.parent?.string)
        if let known = built[key] {
          found[index] = known
        } else {
          let context = remember(KeyContext(lastKey: key.last, parentKey: key.parent), pair.fingerprint, pair.matches)
          built[key] = context
          found[index] = context
        }
      }
    }
    return DocumentKeyContexts(contexts: found, leafPairs: leafPairs)
  }

  /// Adds a context built outside the lock, unless another thread added one for its pair first
  /// (then that one is the answer); starts afresh past `capacity`.
  private func remember(_ context: KeyContext, _ fingerprint: UInt64, _ matches: (KeyContext) -> Bool) -> KeyContext {
    state.withLock { state in
      if let known = state.find(fingerprint, matches) { return known }
      if state.count >= capacity { state = State() }
      state.insert(context, fingerprint)
      return context
    }
  }

  /// Stands in for a context not found yet.
  private static let placeholder = KeyContext(lastKey: nil, parentKey: nil)

  /// A key node's key bytes and their hash, borrowed from a table's text.
  private struct KeyBytes {
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
  private struct KeyPair {
    var last: KeyBytes?
    var parent: KeyBytes?

    var fingerprint: UInt64 { KeyContextCache.fingerprint(lastHash: last?.hash, parentHash: parent?.hash) }

    /// Whether a context is this pair's.
    func matches(_ context: KeyContext) -> Bool {
      context.lastKeyHash == last?.hash ?? 0 && KeyContextCache.equal(context.lastKey, last?.bytes)
        && KeyContextCache.equal(context.parentKey, parent?.bytes)
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

  /// Whether a key as a string has the bytes `bytes` (both nil counts as the same).
  static func equal(_ key: String?, _ bytes: UnsafeBufferPointer<UInt8>?) -> Bool {
    guard var key, let bytes else { return key == nil && bytes == nil }
    return key.withUTF8 { key in
      guard key.count == bytes.count, let first = key.baseAddress, let second = bytes.baseAddress else {
        return key.count == bytes.count
      }
      return memcmp(first, second, key.count) == 0
    }
  }
}

/// The key contexts of one document's leaves.
struct DocumentKeyContexts {
  /// One per distinct pair of keys, and each leaf's index into them.
  let contexts: [KeyContext]
  let leafPairs: [Int32]

  /// Leaf `index`'s context.
  func of(_ index: Int) -> KeyContext { contexts[Int(leafPairs[index])] }

  /// Whether two leaves have the same last key.
  func haveSameLastKey(_ first: Int, _ second: Int) -> Bool {
    leafPairs[first] == leafPairs[second] || of(first).hasSameLastKey(as: of(second))
  }
}
