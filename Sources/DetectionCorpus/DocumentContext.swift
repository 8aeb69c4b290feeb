@_spi(Training) import Detection

/// Everything one document is generated with: its random stream, split, locale, key style, and the
/// keys already chosen (a concept keeps one spelling throughout a document, as in a real API).
struct DocumentContext {
  var random: CorpusRandom
  let split: CorpusSplit
  var locale: CorpusLocale
  let style: KeyStyle
  private var keys: [String: String] = [:]

  init(random: CorpusRandom, split: CorpusSplit) {
    var random = random
    self.split = split
    // en-US weighs more: US formats (SSN, ABA, ZIP, MM/DD/YYYY) dominate real API traffic.
    self.locale = random.chance(0.3) ? .enUS : random.pick(CorpusLocale.allCases)
    self.style = random.pick(split == .train ? KeyStyle.train : KeyStyle.heldOut)
    self.random = random
  }

  var words: Dictionaries.LocaleWords { Dictionaries.words(split, locale) }

  /// Concepts a random context prefix (`primaryEmail`, `customer_phone`) may be put before.
  private static let prefixable: Set<String> = [
    "email", "phone", "mobile", "address", "full_name", "first_name", "last_name", "dob", "username", "ip",
  ]

  /// The key for a concept in this document, prefixed by `context` now and then (`billingEmail`).
  mutating func key(_ concept: String, context: String? = nil) -> String {
    let cacheKey = context.map { concept + "|" + $0 } ?? concept
    if let known = keys[cacheKey] { return known }
    var words = random.pick(KeyVocabulary.synonyms[concept] ?? [concept.split(separator: "_")])
    if let context, random.chance(0.45) {
      words = context.split(separator: " ") + words
    } else if Self.prefixable.contains(concept), random.chance(split == .train ? 0.06 : 0.15) {
      words = [random.pick(split == .train ? KeyVocabulary.trainPrefixes : KeyVocabulary.heldOutPrefixes)] + words
    }
    let rendered = style.render(words)
    keys[cacheKey] = rendered
    return rendered
  }

  /// A key rendered from literal words in this document's style (`"event type"` → `eventType`).
  func literal(_ words: String) -> String { style.render(words.split(separator: " ")) }

  mutating func chance(_ probability: Double) -> Bool { random.chance(probability) }
  mutating func int(_ range: ClosedRange<Int>) -> Int { random.int(range) }
  mutating func pick<T>(_ items: [T]) -> T { random.pick(items) }
  mutating func digits(_ count: Int) -> String { random.digits(count) }
  mutating func string(_ count: Int, _ alphabet: String) -> String { random.string(count, from: alphabet) }

  /// Wraps a payload the way APIs do: bare, or under `data`, `result`, `payload`, with metadata.
  mutating func envelope(_ payload: DocumentNode) -> DocumentNode {
    switch random.below(8) {
    case 0: return .object([("data", payload)])
    case 1: return .object([("data", payload), ("meta", meta())])
    case 2: return .object([(literal("success"), .bool(true)), ("result", payload)])
    case 3: return .object([("payload", payload), (key("request_id"), requestID())])
    case 4: return .object([("status", .s("ok")), ("data", payload), (literal("server time"), timestamp())])
    default: return payload
    }
  }

  mutating func meta() -> DocumentNode {
    var meta = ObjectBuilder()
    meta[key("request_id")] = requestID()
    meta[literal("timestamp")] = timestamp()
    if chance(0.5) { meta[key("version")] = .s(version()) }
    if chance(0.3) { meta[literal("region")] = .s(pick(["eu-west-1", "us-east-1", "eu-central-1", "ap-south-1"])) }
    return meta.node
  }

  /// A list response: `{"data": [...], "page": 1, "total": 57}`, the list under a plural key, or
  /// a bare array.
  mutating func listEnvelope(_ items: [DocumentNode], plural: String) -> DocumentNode {
    // Some APIs answer a bare array at the root (`$[*].email`).
    if random.chance(0.15) { return .array(items) }
    var list = ObjectBuilder()
    list[random.chance(0.5) ? "data" : literal(plural)] = .array(items)
    list[literal("page")] = .n(int(1...12))
    list[literal("per page")] = .n(pick([10, 20, 25, 50]))
    list[literal("total")] = .n(items.count + int(0...300))
    if chance(0.4) { list[literal("next cursor")] = .s(Base64.encode("cursor:" + digits(8), url: true)) }
    return list.node
  }
}
