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
/// each is tokenised once. Bounded: past `capacity` entries the cache starts afresh.
final class KeyContextCache: Sendable {
  struct Key: Hashable {
    var last: String?
    var parent: String?
  }

  /// The contexts by key pair, and in front of them a direct-mapped table of recent contexts by
  /// an FNV-1a hash of the pair: a hit costs a hash of a few bytes and two string comparisons,
  /// not the standard hasher over both strings.
  private struct State {
    var entries: [Key: KeyContext] = [:]
    var recent = [KeyContext?](repeating: nil, count: KeyContextCache.recentSlots)
  }

  static let recentSlots = 16_384

  private let state = Mutex(State())
  let capacity: Int

  init(capacity: Int = 50_000) { self.capacity = capacity }

  func context(lastKey: String?, parentKey: String?) -> KeyContext {
    contexts(of: [(lastKey, parentKey)])[0]
  }

  /// The contexts of a document's key pairs, in order: those known found under one lock, the
  /// others built outside it (once per pair) and then remembered.
  func contexts(of pairs: [(last: String?, parent: String?)]) -> [KeyContext] {
    let slots = pairs.map { Self.slot(of: $0.last, $0.parent) }
    var found = state.withLock { state in
      pairs.indices.map { index in Self.known(pairs[index], slot: slots[index], in: &state) }
    }
    guard found.contains(where: { $0 == nil }) else { return found.compactMap { $0 } }
    var built: [Key: KeyContext] = [:]
    for index in found.indices where found[index] == nil {
      let key = Key(last: pairs[index].last, parent: pairs[index].parent)
      if let known = built[key] {
        found[index] = known
      } else {
        let context = KeyContext(lastKey: key.last, parentKey: key.parent)
        built[key] = context
        found[index] = context
      }
    }
    state.withLock { state in
      if state.entries.count + built.count > capacity {
        state.entries.removeAll(keepingCapacity: true)
        for index in state.recent.indices { state.recent[index] = nil }
      }
      for (key, context) in built {
        state.entries[key] = context
        state.recent[Self.slot(of: key.last, key.parent)] = context
      }
    }
    return found.compactMap { $0 }
  }

  /// A known pair's context: from the recent table, else from the dictionary (then made recent).
  private static func known(_ pair: (last: String?, parent: String?), slot: Int, in state: inout State) -> KeyContext? {
    if let recent = state.recent[slot], recent.lastKey == pair.last, recent.parentKey == pair.parent { return recent }
    guard let known = state.entries[Key(last: pair.last, parent: pair.parent)] else { return nil }
    state.recent[slot] = known
    return known
  }

  /// A pair's place in the recent table.
  static func slot(of last: String?, _ parent: String?) -> Int {
    Int(truncatingIfNeeded: fingerprint(last, parent) >> 20) & (recentSlots - 1)
  }

  /// FNV-1a over both keys' bytes, each followed by a byte no UTF-8 text has (nil by another).
  static func fingerprint(_ last: String?, _ parent: String?) -> UInt64 {
    mix(parent, into: mix(last, into: FNV1a.offsetBasis))
  }

  private static func mix(_ key: String?, into hash: UInt64) -> UInt64 {
    guard var key else { return FNV1a.mix(0xFE, into: hash) }
    return FNV1a.mix(0xFF, into: key.withUTF8 { FNV1a.hash($0, from: hash) })
  }
}
