import Detection

/// One API shape the corpus imitates (a user profile, a payment webhook, …): a function that
/// builds a document, labelling its leaves as it goes.
struct SchemaFamily: Sendable {
  let name: String
  let build: @Sendable (inout DocumentContext) -> DocumentNode

  static let allTrain = train + moreTrain + negativeTrain
  static let allHeldOut = heldOut + moreHeldOut + negativeHeldOut

  static func families(_ split: CorpusSplit) -> [SchemaFamily] { split == .train ? allTrain : allHeldOut }
}

/// Generates the labelled synthetic corpus the detector's classifier is trained (`train`) and
/// judged (`heldOut`) on: HTTP JSON API payloads of many kinds, in several locales, with sensitive
/// values, free text and many hard negatives.
///
/// Deterministic: the same split and seed give byte-identical documents on every machine (the
/// generator has its own pseudo-random numbers and no Foundation). The two splits use disjoint
/// schema families, disjoint halves of the name, street, company and product lists, and partly
/// disjoint key spellings.
public struct CorpusGenerator {
  public let split: CorpusSplit
  private var random: CorpusRandom

  public init(split: CorpusSplit, seed: UInt64) {
    self.split = split
    // Each split draws from its own stream even for the same seed.
    let salt: UInt64 = split == .train ? 0x7261_696E : 0x6865_6C64_6F75_74
    random = CorpusRandom(seed: seed ^ salt &* 0x9E37_79B9_7F4A_7C15)
  }

  public mutating func next() -> LabelledDocument { nextTagged().document }

  public static func documents(split: CorpusSplit, count: Int, seed: UInt64) -> [LabelledDocument] {
    var generator = CorpusGenerator(split: split, seed: seed)
    var documents: [LabelledDocument] = []
    documents.reserveCapacity(max(0, count))
    for _ in 0..<max(0, count) { documents.append(generator.next()) }
    return documents
  }

  /// The next document and the name of the schema family that made it (`"form"` for a
  /// form-urlencoded string).
  mutating func nextTagged() -> (document: LabelledDocument, family: String) {
    var context = DocumentContext(random: CorpusRandom(seed: random.next()), split: split)
    if context.chance(0.05) {
      let form = FormDocument.make(&context)
      return (form, "form")
    }
    let family = context.pick(SchemaFamily.families(split))
    var node = family.build(&context)
    var writer = DocumentWriter(spaced: context.chance(0.15))
    writer.write(node)
    if writer.text.utf8.count < 480, context.chance(0.7) {
      node = context.exchangeLog(around: node)
      writer = DocumentWriter(spaced: writer.spaced)
      writer.write(node)
    }
    return (LabelledDocument(json: writer.text, labels: writer.labels), family.name)
  }
}

extension DocumentContext {
  /// A captured request/response pair around a small body, as API gateways and loggers record them.
  mutating func exchangeLog(around body: DocumentNode) -> DocumentNode {
    var request = ObjectBuilder()
    request[literal("method")] = .s(pick(["GET", "POST", "PUT", "PATCH"]))
    request[literal("path")] = .s(
      pick(["/api/v1/", "/v2/", "/internal/"]) + pick(["users", "orders", "events", "devices", "items"]) + "/"
        + digits(5))
    fieldsFromHeaders(&request, authorization: chance(0.3))
    var response = ObjectBuilder()
    response[literal("status")] = .n(pick([200, 200, 201, 202, 400, 404]))
    response[literal("body")] = body
    var log = ObjectBuilder()
    log[key("request_id")] = requestID()
    log[literal("timestamp")] = timestamp()
    log[literal("request")] = request.node
    log[literal("response")] = response.node
    log[literal("duration ms")] = .n(int(1...2500))
    return log.node
  }
}
