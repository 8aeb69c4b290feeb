@_spi(Training) import Detection

/// Families whose payloads are mostly or wholly non-sensitive: search results and metrics (train),
/// property listings and event tickets (held-out). They teach what a busy negative looks like.
extension SchemaFamily {
  static let negativeTrain: [SchemaFamily] = [
    SchemaFamily(name: "search-results", build: searchResults),
    SchemaFamily(name: "metrics-batch", build: metricsBatch),
  ]

  static let negativeHeldOut: [SchemaFamily] = [
    SchemaFamily(name: "property-listing", build: propertyListing),
    SchemaFamily(name: "event-ticketing", build: eventTicketing),
  ]

  static func searchResults(_ c: inout DocumentContext) -> DocumentNode {
    var o = ObjectBuilder()
    o[c.literal("query")] = .s(c.pick(["running shoes", "espresso", "usb-c charger", "gift ideas", "winter jacket"]))
    o[c.literal("took ms")] = .n(c.int(2...400))
    o[c.literal("total hits")] = .n(c.int(0...20000))
    o[c.literal("hits")] = .array(
      (0..<c.int(3...9)).map { _ in
        var hit = ObjectBuilder()
        hit[c.key("id")] = .s(c.opaqueID())
        hit[c.literal("score")] = .n("\(c.int(0...30)).\(c.digits(4))")
        hit[c.literal("title")] = .s(c.product())
        hit[c.literal("brand")] = .s(c.company())
        hit[c.literal("url")] = .s(c.url())
        hit[c.literal("highlight")] = .s("<em>" + c.product() + "</em>")
        hit[c.key("amount")] = c.price()
        return hit.node
      })
    o[c.literal("facets")] = .object([
      (
        c.literal("brand"),
        .array(
          (0..<3).map { _ in .object([(c.literal("value"), .s(c.company())), (c.literal("count"), .n(c.int(1...500)))])
          })
      ),
      (c.literal("color"), .array((0..<3).map { _ in .s(c.hexColor()) })),
    ])
    o[c.literal("next page token")] = .s(Base64.encode(c.digits(12), url: true))
    c.addNoise(&o, c.int(1...3))
    return c.envelope(o.node)
  }

  static func metricsBatch(_ c: inout DocumentContext) -> DocumentNode {
    var o = ObjectBuilder()
    o[c.literal("series")] = .array(
      (0..<c.int(3...8)).map { _ in
        var series = ObjectBuilder()
        series[c.literal("metric")] = .s(
          c.pick(["http_requests_total", "cpu_usage_seconds", "queue_depth", "p99_latency_ms", "cache_hit_ratio"]))
        series[c.literal("labels")] = .object([
          (c.literal("service"), .s(c.pick(["checkout", "search", "auth", "billing"]))),
          (c.literal("host"), .s("node-" + c.string(5, Alphabet.lowerAlphanumeric))),
          (c.literal("region"), .s(c.pick(["eu-west-1", "us-east-1"]))), (c.key("version"), .s(c.version())),
        ])
        series[c.literal("points")] = .array(
          (0..<c.int(2...6)).map { _ in
            .array([.n(c.int(1_700_000_000...1_790_000_000)), .n("\(c.int(0...9000)).\(c.digits(2))")])
          })
        return series.node
      })
    o[c.literal("agent")] = .s("telegraf/" + c.version())
    o[c.literal("batch id")] = .s(c.uuid())
    c.addNoise(&o, c.int(0...2))
    return o.node
  }

  static func propertyListing(_ c: inout DocumentContext) -> DocumentNode {
    var o = ObjectBuilder()
    o[c.literal("listing id")] = .s("L-" + c.digits(8))
    o[c.literal("title")] = .s(
      c.pick(["Bright 2-room flat", "Family house with garden", "Studio near station", "Loft in the old town"]))
    o[c.key("city")] = .s(c.city())
    o[c.key("postcode")] = .s(c.address().postcode)
    o[c.literal("rooms")] = .n(c.int(1...7))
    o[c.literal("area m2")] = .n(c.int(18...320))
    o[c.literal("rent")] = c.moneyObject()
    o[c.literal("energy class")] = .s(c.pick(["A+", "A", "B", "C", "D", "E"]))
    o[c.literal("features")] = .array([
      .s(c.pick(["balcony", "lift", "parking"])), .s(c.pick(["pets allowed", "furnished", "garden"])),
    ])
    o[c.literal("photos")] = .array((0..<c.int(2...6)).map { _ in .s(c.url()) })
    o[c.literal("available from")] = c.plainDate(years: 2025...2027)
    if c.chance(0.5) {
      var agent = ObjectBuilder()
      agent[c.key("full_name")] = .s(c.fullName(), .personName)
      agent[c.key("phone")] = .s(c.phone(), .phone)
      agent[c.key("company")] = .s(c.company())
      o[c.literal("agent")] = agent.node
    }
    c.addNoise(&o, c.int(2...5))
    return c.envelope(o.node)
  }

  static func eventTicketing(_ c: inout DocumentContext) -> DocumentNode {
    let buyer = c.person()
    var o = ObjectBuilder()
    o[c.key("order_id")] = c.orderID()
    o[c.literal("event")] = .object([
      (
        c.literal("name"),
        .s(c.pick(["Summer Jazz Night", "City Marathon 2026", "Tech Summit", "Indie Film Festival"]))
      ),
      (c.literal("venue"), .s(c.city() + " Arena")), (c.literal("starts at"), c.timestamp()),
    ])
    o[c.literal("buyer")] = .object([
      (c.key("full_name"), .s(buyer.full, .personName)), (c.key("email"), .s(buyer.email, .email)),
    ])
    o[c.literal("tickets")] = .array(
      (0..<c.int(1...4)).map { _ in
        .object([
          (c.literal("ticket id"), .s(c.string(10, Alphabet.upperAlphanumeric))), (c.key("barcode"), .s(c.barcode())),
          (c.literal("section"), .s(c.pick(["A", "B", "C", "VIP"]))), (c.literal("seat"), .s(String(c.int(1...400)))),
          (c.literal("price"), c.price()),
        ])
      })
    o[c.literal("payment")] = .object([(c.key("masked_card"), c.maskedCard()), (c.literal("brand"), .s(c.cardBrand()))])
    c.addNoise(&o, c.int(2...5))
    return c.envelope(o.node)
  }
}
