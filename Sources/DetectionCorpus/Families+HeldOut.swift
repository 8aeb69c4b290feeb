import Detection

/// Schema families only the held-out split uses: API shapes the classifier never trains on.
extension SchemaFamily {
  static let heldOut: [SchemaFamily] = [
    SchemaFamily(name: "student-record", build: studentRecord),
    SchemaFamily(name: "insurance-claim", build: insuranceClaim),
    SchemaFamily(name: "kyc-onboarding", build: kycOnboarding),
    SchemaFamily(name: "hotel-reservation", build: hotelReservation),
    SchemaFamily(name: "food-delivery", build: foodDelivery),
    SchemaFamily(name: "dating-profile", build: datingProfile),
    SchemaFamily(name: "network-inventory", build: networkInventory),
    SchemaFamily(name: "crypto-withdrawal", build: cryptoWithdrawal),
    SchemaFamily(name: "data-pipeline-job", build: dataPipelineJob),
    SchemaFamily(name: "community-forum", build: communityForum),
  ]

  static func studentRecord(_ c: inout DocumentContext) -> DocumentNode {
    let student = c.person()
    var o = ObjectBuilder()
    o[c.literal("student number")] = .s("S" + c.digits(7))
    c.addName(&o, student)
    o[c.key("dob")] = c.birthDate((c.int(2006...2019), c.int(1...12), c.int(1...28)))
    o[c.key("gender")] = .s(c.genderValue(female: student.isFemale), .gender)
    o[c.literal("grade")] = .n(c.int(1...12))
    o[c.literal("homeroom")] = .s("\(c.int(1...12))\(c.pick(["A", "B", "C"]))")
    if c.chance(0.5) { o[c.key("username", context: "school")] = .s(student.username, .username) }
    let guardians: [DocumentNode] = (0..<c.int(1...2)).map { _ in
      let g = c.person()
      var guardian = ObjectBuilder()
      guardian[c.key("full_name")] = .s(g.first + " " + student.last, .personName)
      guardian[c.literal("relation")] = .s(c.pick(["mother", "father", "guardian", "grandparent"]))
      guardian[c.key("email")] = .s(g.email, .email)
      guardian[c.key("mobile")] = c.phoneNode(g)
      return guardian.node
    }
    o[c.literal("guardians")] = .array(guardians)
    o[c.key("full_address", context: "home")] = c.addressNode(student.address)
    o[c.literal("courses")] = .array(
      (0..<c.int(2...5)).map { _ in
        .object([
          (c.literal("code"), .s(c.pick(["MATH", "BIO", "HIST", "ENG", "CHEM"]) + "-" + c.digits(3))),
          (c.literal("score"), .n(c.int(40...100))), (c.literal("term"), .s(c.pick(["2024-fall", "2025-spring"]))),
        ])
      })
    if c.chance(0.4) { o[c.literal("allergies")] = .s(c.pick(["none", "peanuts", "lactose", "pollen"])) }
    if c.chance(0.3) { o[c.key("age")] = .n(c.int(6...18), .age) }
    o[c.literal("enrolled on")] = c.plainDate(years: 2015...2025)
    c.addNoise(&o, c.int(2...6))
    return c.envelope(o.node)
  }

  static func insuranceClaim(_ c: inout DocumentContext) -> DocumentNode {
    let p = c.person()
    var o = ObjectBuilder()
    o[c.literal("claim id")] = .s("CLM-" + c.digits(8))
    o[c.literal("policy number")] = .s("POL" + c.digits(10))
    var holder = ObjectBuilder()
    c.addName(&holder, p, context: "policy holder")
    holder[c.key("dob")] = c.birthDate(p.birth)
    if c.locale == .enUS { holder[c.key("ssn")] = .s(c.ssn(formatted: c.chance(0.6)), .usSSN) }
    holder[c.key("insurance_id")] = .s(c.healthInsuranceID(), .healthInsuranceID)
    holder[c.key("phone")] = c.phoneNode(p)
    holder[c.key("full_address")] = c.addressNode(p.address)
    o[c.literal("policy holder")] = holder.node
    o[c.literal("incident date")] = c.plainDate(years: 2023...2026)
    o[c.literal("diagnoses")] = .array((0..<c.int(1...3)).map { _ in .s(c.icd10(), .diagnosisCode) })
    o[c.key("mrn")] = .s(c.medicalRecordNumber(), .medicalRecordNumber)
    o[c.literal("provider npi")] = .s(c.digits(10))
    o[c.literal("claimed amount")] = c.moneyObject()
    var payout = ObjectBuilder()
    if c.locale == .enUS {
      payout[c.key("bank_account")] = .s(c.bankAccount(), .bankAccount)
      payout[c.key("routing")] = .s(c.abaRouting(), .abaRoutingNumber)
    } else {
      payout[c.key("iban")] = .s(c.iban(), .iban)
    }
    o[c.literal("payout")] = payout.node
    if c.chance(0.4) { o[c.key("drivers_license")] = .s(c.driversLicense(person: p), .driversLicense) }
    if c.chance(0.5) { o[c.literal("adjuster comment")] = c.freeText(person: p) }
    o[c.key("status")] = .s(c.pick(["submitted", "in_review", "approved", "denied"]))
    if c.chance(0.4) { o[c.literal("return label")] = .object([(c.key("tracking"), .s(c.trackingNumber()))]) }
    o[c.literal("attachments")] = .array((0..<c.int(1...3)).map { _ in .s(c.fileName()) })
    c.addNoise(&o, c.int(2...6))
    return c.envelope(o.node)
  }

  static func kycOnboarding(_ c: inout DocumentContext) -> DocumentNode {
    let p = c.person()
    var o = ObjectBuilder()
    o[c.literal("applicant id")] = .s(c.uuid())
    c.addName(&o, p, context: "applicant")
    o[c.key("dob")] = c.birthDate(p.birth)
    o[c.literal("nationality")] = .s(c.countryCode())
    o[c.key("email")] = .s(p.email, .email)
    o[c.key("mobile")] = c.phoneNode(p)
    o[c.key("full_address", context: "residential")] = c.addressNode(p.address)
    var document = ObjectBuilder()
    switch c.random.below(4) {
    case 0:
      document[c.literal("type")] = .s("passport")
      document[c.key("passport")] = .s(c.passportNumber(), .passportNumber)
    case 1:
      document[c.literal("type")] = .s("driving_licence")
      document[c.key("drivers_license")] = .s(c.driversLicense(person: p), .driversLicense)
    case 2:
      document[c.literal("type")] = .s("national_id")
      document[c.key("national_id")] = .s(c.nationalID(), .nationalID)
    default:
      document[c.literal("type")] = .s("passport")
      document[c.literal("document number")] = .s(c.passportNumber(), .passportNumber)
    }
    document[c.literal("issuing country")] = .s(c.locale.countryCode)
    document[c.literal("expiry date")] = c.plainDate(years: 2026...2036)
    document[c.literal("front image")] = .s(c.url())
    o[c.literal("identity document")] = document.node
    if c.locale == .enUS {
      o[c.key("ssn")] = .s(c.ssn(formatted: c.chance(0.5)), .usSSN)
    } else if c.chance(0.5) {
      o[c.key("tax_id")] = .s(c.taxID(), .taxID)
    }
    o[c.literal("risk score")] = .n("0.\(c.int(1...99))")
    o[c.literal("checks")] = .array(
      (0..<c.int(2...4)).map { _ in
        .object([
          (c.literal("name"), .s(c.pick(["pep", "sanctions", "adverse_media", "liveness", "document"]))),
          (c.literal("result"), .s(c.pick(["clear", "consider", "pass"]))), (c.literal("checked at"), c.timestamp()),
        ])
      })
    var session = ObjectBuilder()
    session[c.key("ip")] = .s(c.ipAddress(), .ipAddress)
    session[c.key("user_agent")] = .s(c.userAgent())
    if c.chance(0.4) { session[c.key("imei")] = .s(c.imei(), .imei) }
    if c.chance(0.4) { session[c.key("geo")] = c.geoNode() }
    o[c.literal("session")] = session.node
    c.addNoise(&o, c.int(2...6))
    return c.envelope(o.node)
  }

  static func hotelReservation(_ c: inout DocumentContext) -> DocumentNode {
    let guest = c.person()
    var o = ObjectBuilder()
    o[c.literal("confirmation code")] = .s(c.string(8, Alphabet.upperAlphanumeric))
    o[c.literal("hotel")] = .object([(c.literal("name"), .s(c.company() + " Hotel")), (c.key("city"), .s(c.city()))])
    var guestObject = ObjectBuilder()
    c.addName(&guestObject, guest, context: "guest")
    guestObject[c.key("email")] = .s(guest.email, .email)
    guestObject[c.key("phone")] = c.phoneNode(guest)
    if c.chance(0.6) {
      guestObject[c.key("passport")] = .s(c.passportNumber(), .passportNumber)
      guestObject[c.key("dob")] = c.birthDate(guest.birth)
    }
    if c.chance(0.3) { guestObject[c.key("full_address")] = .s(guest.address.full, .address) }
    o[c.literal("guest")] = guestObject.node
    o[c.literal("check in")] = c.plainDate(years: 2025...2027)
    o[c.literal("check out")] = c.plainDate(years: 2025...2027)
    o[c.literal("rooms")] = .array(
      (0..<c.int(1...2)).map { _ in
        .object([
          (c.literal("type"), .s(c.pick(["double", "twin", "suite", "single"]))), (c.literal("rate"), c.price()),
          (c.literal("adults"), .n(c.int(1...3))),
        ])
      })
    var guarantee = ObjectBuilder()
    if c.chance(0.5) {
      guarantee[c.key("card_number")] = c.cardNumber()
      guarantee[c.key("card_expiry")] = c.cardExpiry()
      guarantee[c.key("cvv")] = c.cvv()
    } else {
      guarantee[c.key("masked_card")] = c.maskedCard()
    }
    guarantee[c.key("card_holder")] = .s(guest.full, .personName)
    o[c.literal("guarantee")] = guarantee.node
    if c.chance(0.5) { o[c.literal("special requests")] = c.freeText(person: guest) }
    c.addNoise(&o, c.int(2...6))
    return c.envelope(o.node)
  }

  static func foodDelivery(_ c: inout DocumentContext) -> DocumentNode {
    let customer = c.person()
    let courier = c.person()
    var o = ObjectBuilder()
    o[c.key("order_id")] = c.orderID()
    o[c.literal("restaurant")] = .object([
      (c.literal("name"), .s(c.company())), (c.literal("rating"), .n("4.\(c.int(0...9))")),
    ])
    var deliverTo = ObjectBuilder()
    deliverTo[c.key("full_name")] = .s(customer.full, .personName)
    deliverTo[c.key("phone")] = c.phoneNode(customer)
    deliverTo[c.key("address")] = .s(customer.address.line1, .address)
    deliverTo[c.key("postcode")] = .s(customer.address.postcode)
    deliverTo[c.key("geo")] = c.geoNode()
    if c.chance(0.6) { deliverTo[c.literal("instructions")] = c.freeText(person: customer) }
    o[c.literal("deliver to")] = deliverTo.node
    o[c.literal("courier")] = .object([
      (c.key("first_name"), .s(courier.first, .personName)),
      (c.literal("vehicle"), .s(c.pick(["bike", "scooter", "car"]))),
    ])
    if c.chance(0.5) { o[c.literal("courier position")] = c.geoNode() }
    o[c.literal("items")] = c.lineItems(c.int(1...4))
    o[c.literal("tip")] = c.price()
    o[c.literal("payment")] = c.cardObject(holder: customer, full: c.chance(0.3))
    o[c.literal("eta")] = c.timestamp()
    if c.chance(0.3) {
      o[c.literal("grocery parcel")] = .object([
        (c.key("tracking"), .s(c.trackingNumber())), (c.literal("carrier"), .s("DHL")),
      ])
    }
    c.addNoise(&o, c.int(2...6))
    return c.envelope(o.node)
  }

  static func datingProfile(_ c: inout DocumentContext) -> DocumentNode {
    func one(_ c: inout DocumentContext, template: String, shape: Int) -> DocumentNode {
      let p = c.person()
      var o = ObjectBuilder()
      o[c.key("id")] = .s(c.objectID("prf"))
      o[c.key("username")] = .s(p.username, .username)
      o[c.key("first_name")] = .s(p.first, .personName)
      o[c.key("age")] = .n(c.age(birthYear: p.birth.year), .age)
      o[c.key("gender")] = .s(c.genderValue(female: p.isFemale), .gender)
      o[c.literal("looking for")] = .s(c.pick(["friendship", "relationship", "chat"]))
      o[c.literal("bio")] = c.freeText(template: template, person: p)
      o[c.key("geo")] = c.geoNode(shape: shape)
      o[c.key("city")] = .s(p.address.city)
      o[c.literal("photos")] = .array((0..<c.int(1...4)).map { _ in .s(c.url()) })
      o[c.literal("interests")] = .array([
        .s(c.pick(["hiking", "jazz", "cooking"])), .s(c.pick(["travel", "films", "yoga"])),
      ])
      o[c.literal("last active")] = c.timestamp()
      c.addNoise(&o, c.int(0...3))
      return o.node
    }
    if c.chance(0.4) {
      let template = c.textTemplate()
      let shape = c.random.below(5)
      return c.listEnvelope(
        (0..<c.int(2...6)).map { _ in one(&c, template: template, shape: shape) }, plural: "matches")
    }
    var o = ObjectBuilder()
    let template = c.textTemplate()
    o[c.literal("profile")] = one(&c, template: template, shape: c.random.below(5))
    if c.chance(0.4) { o[c.literal("pet")] = c.pet() }
    var account = ObjectBuilder()
    account[c.key("email")] = .s(c.email(), .email)
    if c.chance(0.5) { account[c.key("password")] = .s(c.password(), .password) }
    account[c.literal("session token")] = .s(c.jwt(), .jwt)
    o[c.literal("account")] = account.node
    c.addNoise(&o, c.int(0...3))
    return o.node
  }

  static func networkInventory(_ c: inout DocumentContext) -> DocumentNode {
    var o = ObjectBuilder()
    o[c.literal("router")] = .object([
      (c.literal("model"), .s(c.pick(["AX3000", "Archer C7", "FritzBox 7590", "UniFi Dream Machine"]))),
      (c.literal("firmware"), .s(c.version())), (c.key("mac"), .s(c.macAddress(), .macAddress)),
      (c.literal("wan ip"), .s(c.ipv4(privateRange: false), .ipAddress)),
    ])
    var wifi = ObjectBuilder()
    wifi[c.literal("ssid")] = .s(c.pick(["HomeNet", "FRITZ!Box 7590 XY", "Livebox-4F2A", "Ziggo" + c.digits(5)]))
    wifi[c.key("password")] = .s(c.password(), .password)
    wifi[c.literal("channel")] = .n(c.pick([1, 6, 11, 36, 44]))
    o[c.literal("wifi")] = wifi.node
    o[c.literal("clients")] = .array(
      (0..<c.int(2...6)).map { _ in
        var client = ObjectBuilder()
        client[c.literal("hostname")] = .s(
          c.pick(["iphone", "laptop", "tv", "printer", "nas"]) + "-" + c.string(4, Alphabet.lowerHex))
        client[c.key("mac")] = .s(c.macAddress(bareAllowed: false), .macAddress)
        client[c.key("ip")] = .s(c.ipv4(privateRange: true), .ipAddress)
        client[c.literal("rx bytes")] = .n(c.int(1000...900_000_000))
        client[c.literal("connected since")] = c.timestamp()
        return client.node
      })
    if c.chance(0.5) {
      o[c.literal("admin")] = .object([
        (c.key("username"), .s(c.pick(["admin", "root"]), .username)),
        (c.key("authorization"), .s(c.basicAuth(), .basicAuthCredentials)),
      ])
    }
    if c.chance(0.5) { o[c.literal("remote access token")] = .s(c.opaqueSecret(), .apiKey) }
    if c.chance(0.4) {
      o[c.literal("backup")] = .object([
        (c.key("aws_key"), .s(c.awsAccessKeyID(), .awsAccessKey)), (c.key("aws_secret"), .s(c.awsSecretKey(), .apiKey)),
        (c.literal("bucket"), .s("nas-backup-" + c.string(6, Alphabet.lowerAlphanumeric))),
      ])
    }
    if c.chance(0.3) { o[c.key("private_key", context: "admin")] = .s(c.privateKey(), .privateKey) }
    o[c.literal("uptime")] = .n(c.int(100...9_000_000))
    c.addNoise(&o, c.int(0...3))
    return o.node
  }

  static func cryptoWithdrawal(_ c: inout DocumentContext) -> DocumentNode {
    var o = ObjectBuilder()
    o[c.literal("withdrawal id")] = .s(c.uuid())
    o[c.literal("asset")] = .s(c.pick(["BTC", "ETH", "USDT", "SOL"]))
    o[c.key("amount")] = .s("0.\(c.digits(8))")
    o[c.key("wallet")] = .s(c.cryptoWallet(), .cryptoWallet)
    o[c.literal("network fee")] = .s("0.0000\(c.digits(4))")
    o[c.literal("tx hash")] = .s("0x" + c.string(64, Alphabet.lowerHex))
    o[c.literal("account")] = .object([
      (c.key("email"), .s(c.email(), .email)), (c.key("username"), .s(c.username(), .username)),
      (c.literal("tier"), .s(c.pick(["basic", "verified", "pro"]))),
    ])
    o[c.literal("request")] = .object([
      (c.key("ip"), .s(c.ipAddress(), .ipAddress)), (c.key("user_agent"), .s(c.userAgent())),
      (c.key("api_key"), .s(c.apiKey(), .apiKey)),
      (c.literal("nonce"), .n(c.int(1_700_000_000...1_790_000_000) * 1000)),
      (c.literal("signature"), .s(c.string(64, Alphabet.lowerHex))),
    ])
    if c.chance(0.5) { o[c.key("authorization")] = .s("Bearer " + c.jwt(), .jwt) }
    o[c.key("status")] = .s(c.pick(["pending", "broadcast", "confirmed", "rejected"]))
    o[c.literal("confirmations")] = .n(c.int(0...12))
    c.addNoise(&o, c.int(2...6))
    return c.envelope(o.node)
  }

  static func dataPipelineJob(_ c: inout DocumentContext) -> DocumentNode {
    var o = ObjectBuilder()
    o[c.literal("job name")] = .s(c.pick(["daily-orders-export", "crm-sync", "warehouse-load", "ml-features"]))
    o[c.literal("schedule")] = .s(c.pick(["0 2 * * *", "*/15 * * * *", "@hourly"]))
    var source = ObjectBuilder()
    source[c.literal("type")] = .s(c.pick(["postgres", "mysql", "mongodb"]))
    source[c.key("connection")] = .s(c.urlWithCredentials(), .urlWithCredentials)
    source[c.literal("table")] = .s(c.pick(["orders", "customers", "events"]))
    o[c.literal("source")] = source.node
    var sink = ObjectBuilder()
    sink[c.literal("bucket")] = .s("s3://data-lake-" + c.string(6, Alphabet.lowerAlphanumeric) + "/raw/")
    sink[c.key("aws_key")] = .s(c.awsAccessKeyID(), .awsAccessKey)
    sink[c.key("aws_secret")] = .s(c.awsSecretKey(), .apiKey)
    o[c.literal("sink")] = sink.node
    if c.chance(0.5) { o[c.key("private_key", context: "service account")] = .s(c.privateKey(), .privateKey) }
    if c.chance(0.6) {
      o[c.literal("notify")] = .object([
        (
          c.literal("slack token"),
          .s("xoxb-" + c.digits(12) + "-" + c.digits(13) + "-" + c.string(24, Alphabet.alphanumeric), .apiKey)
        ), (c.literal("channel"), .s("#data-alerts")),
      ])
    }
    o[c.literal("last run")] = .object([
      (c.literal("run id"), .s(c.uuid())), (c.literal("rows"), .n(c.int(0...9_000_000))),
      (c.literal("duration ms"), .n(c.int(100...9_000_000))),
      (c.literal("checksum"), .s(c.hexDigest())), (c.literal("finished at"), c.timestamp()),
    ])
    o[c.key("version")] = .s(c.version())
    c.addNoise(&o, c.int(0...3))
    return o.node
  }

  static func communityForum(_ c: inout DocumentContext) -> DocumentNode {
    let template = c.textTemplate()
    let posts: [DocumentNode] = (0..<c.int(2...7)).map { _ in
      let author = c.person()
      var post = ObjectBuilder()
      post[c.literal("post id")] = .n(c.int(1...9_999_999))
      post[c.literal("author")] = .object([
        (c.key("username"), .s(author.username, .username)), (c.literal("reputation"), .n(c.int(0...50000))),
      ])
      post[c.literal("title")] = .s(
        c.pick(["Help with my order", "Feature request", "Bug in the app", "Shipping times?", "Account locked"]))
      post[c.literal("body")] = c.freeText(template: template, person: author)
      post[c.literal("upvotes")] = .n(c.int(0...900))
      post[c.literal("posted at")] = c.timestamp()
      return post.node
    }
    return c.listEnvelope(posts, plural: "posts")
  }
}
