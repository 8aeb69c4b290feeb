import Detection

/// Schema families only the train split uses.
extension SchemaFamily {
  static let train: [SchemaFamily] = [
    SchemaFamily(name: "user-profile", build: userProfile),
    SchemaFamily(name: "signup", build: signup),
    SchemaFamily(name: "auth-token", build: authToken),
    SchemaFamily(name: "checkout-order", build: checkoutOrder),
    SchemaFamily(name: "payment-webhook", build: paymentWebhook),
    SchemaFamily(name: "shipment-tracking", build: shipment),
    SchemaFamily(name: "hr-employee", build: employee),
    SchemaFamily(name: "patient-record", build: patient),
    SchemaFamily(name: "bank-transfer", build: bankTransfer),
    SchemaFamily(name: "telecom-subscriber", build: telecomSubscriber),
    SchemaFamily(name: "iot-telemetry", build: iotTelemetry),
    SchemaFamily(name: "support-ticket", build: supportTicket),
    SchemaFamily(name: "audit-log", build: auditLog),
    SchemaFamily(name: "product-catalog", build: productCatalog),
    SchemaFamily(name: "ci-config", build: ciConfig),
    SchemaFamily(name: "travel-booking", build: travelBooking),
    SchemaFamily(name: "car-rental", build: carRental),
    SchemaFamily(name: "marketing-lead", build: marketingLead),
    SchemaFamily(name: "analytics-event", build: analyticsEvent),
    SchemaFamily(name: "ride-tracking", build: rideTracking),
  ]

  static func userProfile(_ c: inout DocumentContext) -> DocumentNode {
    // In a list every element's `phone` must carry the same types, so only a single profile
    // shows a null phone.
    func one(_ c: inout DocumentContext, inList: Bool = false) -> DocumentNode {
      let p = c.person()
      var o = ObjectBuilder()
      o[c.key("id")] = c.chance(0.5) ? .n(c.int(1000...9_999_999)) : .s(c.uuid())
      o[c.key("username")] = .s(p.username, .username)
      c.addName(&o, p)
      o[c.key("email")] = .s(p.email, .email)
      if c.chance(0.7) {
        o[c.key("phone")] = c.phoneNode(p)
      } else if !inList, c.chance(0.4) {
        o[c.key("phone")] = .null
      }
      if c.chance(0.6) { o[c.key("dob")] = c.birthDate(p.birth) }
      if c.chance(0.5) { o[c.key("gender")] = .s(c.genderValue(female: p.isFemale), .gender) }
      if c.chance(0.6) { o[c.key("address")] = c.addressNode(p.address) }
      o[c.literal("avatar url")] = .s(c.url())
      o[c.key("language")] = .s(c.language())
      o[c.literal("email verified")] = .bool(c.chance(0.8))
      o[c.key("created")] = c.timestamp()
      if c.chance(0.6) { o[c.key("updated")] = c.timestamp() }
      if c.chance(0.4) {
        var prefs = ObjectBuilder()
        prefs[c.literal("newsletter")] = .bool(c.chance(0.5))
        prefs[c.literal("theme")] = .s(c.pick(["dark", "light", "system"]))
        prefs[c.literal("timezone")] = .s(
          c.pick(["Europe/Berlin", "America/New_York", "Europe/London", "Europe/Warsaw"]))
        o[c.literal("preferences")] = prefs.node
      }
      if c.chance(0.3) { o[c.literal("last login ip")] = .s(c.ipAddress(), .ipAddress) }
      if !inList, c.chance(0.2) { o[c.literal("pets")] = .array([c.pet()]) }
      if c.chance(0.2) { o[c.key("age")] = .n(c.age(birthYear: p.birth.year), .age) }
      c.addNoise(&o, c.int(0...3))
      return o.node
    }
    if c.chance(0.3) {
      return c.listEnvelope((0..<c.int(2...8)).map { _ in one(&c, inList: true) }, plural: "users")
    }
    return c.envelope(one(&c))
  }

  static func signup(_ c: inout DocumentContext) -> DocumentNode {
    let p = c.person()
    var o = ObjectBuilder()
    o[c.key("email")] = .s(p.email, .email)
    o[c.key("password")] = .s(c.password(), .password)
    if c.chance(0.5) { o[c.literal("confirm password")] = .s(c.password(), .password) }
    if c.chance(0.7) { o[c.key("username")] = .s(p.username, .username) }
    c.addName(&o, p)
    if c.chance(0.5) { o[c.key("dob")] = c.birthDate(p.birth) }
    if c.chance(0.4) { o[c.key("mobile")] = c.phoneNode(p) }
    o[c.literal("accept terms")] = .bool(true)
    o[c.literal("marketing opt in")] = .bool(c.chance(0.4))
    o[c.literal("captcha token")] = .s("03AGdBq2" + c.string(60, Alphabet.base64URL))
    if c.chance(0.5) { o[c.literal("referral code")] = .s(c.string(8, Alphabet.upperAlphanumeric)) }
    o[c.literal("plan")] = .s(c.pick(["free", "pro", "business", "trial"]))
    if c.chance(0.5) { o[c.literal("password policy")] = .s(c.pick(["min8", "strong", "default"])) }
    var device = ObjectBuilder()
    device[c.key("user_agent")] = .s(c.userAgent())
    device[c.key("ip")] = .s(c.ipAddress(), .ipAddress)
    device[c.literal("screen")] = .s(c.pick(["1920x1080", "390x844", "1440x900"]))
    o[c.literal("device")] = device.node
    c.addNoise(&o, c.int(2...6))
    return c.envelope(o.node)
  }

  static func authToken(_ c: inout DocumentContext) -> DocumentNode {
    var o = ObjectBuilder()
    if c.chance(0.35) {
      // The login request.
      o[c.chance(0.5) ? c.key("username") : c.key("email")] =
        c.chance(0.5) ? .s(c.username(), .username) : .s(c.email(), .email)
      o[c.key("password")] = .s(c.password(), .password)
      o[c.literal("grant type")] = .s("password")
      o[c.literal("client id")] = .s(c.string(24, Alphabet.lowerAlphanumeric))
      if c.chance(0.6) { o[c.key("api_key", context: "client")] = .s(c.opaqueSecret(), .apiKey) }
      o[c.literal("remember me")] = .bool(c.chance(0.5))
      o[c.literal("mfa code")] = .s(c.digits(6))
      c.addNoise(&o, c.int(0...3))
      return o.node
    }
    o[c.literal("access token")] = .s(c.jwt(), .jwt)
    o[c.literal("token type")] = .s(c.pick(["Bearer", "bearer"]))
    o[c.literal("expires in")] = .n(c.pick([300, 900, 3600, 86400]))
    if c.chance(0.6) { o[c.literal("refresh token")] = .s(c.jwt(), .jwt) }
    if c.chance(0.4) { o[c.literal("id token")] = .s(c.jwt(), .jwt) }
    o[c.literal("scope")] = .s(c.pick(["openid profile email", "read write", "orders:read orders:write"]))
    if c.chance(0.5) {
      var user = ObjectBuilder()
      user[c.key("id")] = .s(c.uuid())
      user[c.key("email")] = .s(c.email(), .email)
      user[c.literal("roles")] = .array([.s("user"), .s(c.pick(["admin", "editor", "viewer"]))])
      o[c.literal("user")] = user.node
    }
    o[c.literal("session state")] = .s(c.uuid())
    c.addNoise(&o, c.int(2...6))
    return c.envelope(o.node)
  }

  static func checkoutOrder(_ c: inout DocumentContext) -> DocumentNode {
    let p = c.person()
    var o = ObjectBuilder()
    o[c.key("order_id")] = c.orderID()
    o[c.key("status")] = .s(c.status())
    var customer = ObjectBuilder()
    customer[c.key("id")] = .s(c.objectID("cus"))
    c.addName(&customer, p)
    customer[c.key("email")] = .s(p.email, .email)
    if c.chance(0.6) { customer[c.key("phone")] = c.phoneNode(p) }
    o[c.literal("customer")] = customer.node
    o[c.literal("billing address")] = c.addressNode(p.address)
    if c.chance(0.6) {
      var shipping = ObjectBuilder()
      let recipient = c.chance(0.7) ? p : c.person()
      shipping[c.key("full_name")] = .s(recipient.full, .personName)
      shipping[c.key("address")] = .s(recipient.address.line1, .address)
      shipping[c.key("city")] = .s(recipient.address.city)
      shipping[c.key("postcode")] = .s(recipient.address.postcode)
      shipping[c.literal("method")] = .s(c.pick(["standard", "express", "pickup"]))
      o[c.literal("shipping")] = shipping.node
    }
    o[c.literal("items")] = c.lineItems(c.int(1...7))
    o[c.literal("payment")] = c.cardObject(holder: p, full: c.chance(0.5))
    o[c.key("amount")] = c.price()
    o[c.key("currency")] = .s(c.locale.currency)
    if c.chance(0.4) { o[c.literal("coupon")] = .s(c.pick(["SUMMER10", "WELCOME5", "BLACKFRIDAY"])) }
    if c.chance(0.4) { o[c.key("notes")] = c.freeText(person: p) }
    o[c.key("created")] = c.timestamp()
    if c.chance(0.3) { o[c.key("ip")] = .s(c.ipAddress(), .ipAddress) }
    c.addNoise(&o, c.int(2...6))
    return c.envelope(o.node)
  }

  static func paymentWebhook(_ c: inout DocumentContext) -> DocumentNode {
    let p = c.person()
    var object = ObjectBuilder()
    object["id"] = .s(c.objectID(c.pick(["pi", "ch", "py"])))
    object["object"] = .s(c.pick(["payment_intent", "charge"]))
    object[c.key("amount")] = .n(c.int(100...250_000))
    object[c.key("currency")] = .s(c.locale.currency.lowercased())
    object[c.key("status")] = .s(c.pick(["succeeded", "requires_action", "failed", "processing"]))
    var billing = ObjectBuilder()
    billing[c.key("full_name")] = .s(p.full, .personName)
    billing[c.key("email")] = .s(p.email, .email)
    if c.chance(0.6) { billing[c.key("phone")] = .s(p.phone, .phone) }
    billing[c.key("full_address")] = c.addressNode(p.address)
    object[c.literal("billing details")] = billing.node
    var method = ObjectBuilder()
    method[c.literal("type")] = .s("card")
    method[c.literal("card")] = c.cardObject(holder: nil, full: false)
    object[c.literal("payment method details")] = method.node
    object[c.literal("receipt url")] = .s(c.url())
    if c.chance(0.5) { object[c.literal("client ip")] = .s(c.ipAddress(), .ipAddress) }
    object[c.literal("livemode")] = .bool(c.chance(0.7))
    var event = ObjectBuilder()
    event["id"] = .s(c.objectID("evt"))
    event["type"] = .s(
      c.pick(["payment_intent.succeeded", "charge.refunded", "charge.failed", "charge.dispute.created"]))
    event["api_version"] = .s(
      "20\(c.int(19...25))-\(DocumentContext.pad2(c.int(1...12)))-\(DocumentContext.pad2(c.int(1...28)))")
    event["created"] = .n(c.int(1_600_000_000...1_790_000_000))
    event["data"] = .object([("object", object.node)])
    event["request"] = .object([("id", .s(c.objectID("req"))), ("idempotency_key", .s(c.uuid()))])
    return event.node
  }

  static func shipment(_ c: inout DocumentContext) -> DocumentNode {
    let p = c.person()
    var o = ObjectBuilder()
    o[c.key("tracking")] = .s(c.trackingNumber())
    o[c.literal("carrier")] = .s(c.pick(["UPS", "DHL", "FedEx", "DPD", "GLS", "PostNL", "InPost", "Royal Mail"]))
    o[c.key("status")] = .s(c.pick(["in_transit", "out_for_delivery", "delivered", "exception", "label_created"]))
    var recipient = ObjectBuilder()
    c.addName(&recipient, p, context: "recipient")
    recipient[c.key("phone", context: "recipient")] = c.phoneNode(p)
    if c.chance(0.5) { recipient[c.key("email")] = .s(p.email, .email) }
    recipient[c.key("full_address")] = c.addressNode(p.address)
    o[c.literal("recipient")] = recipient.node
    var sender = ObjectBuilder()
    sender[c.key("company")] = .s(c.company())
    sender[c.key("city")] = .s(c.city())
    sender[c.key("country")] = .s(c.countryCode())
    o[c.literal("sender")] = sender.node
    o[c.literal("weight kg")] = .n("\(c.int(0...30)).\(c.int(1...9))")
    o[c.literal("dimensions")] = .s("\(c.int(10...80))x\(c.int(10...60))x\(c.int(5...40)) cm")
    let withPosition = c.chance(0.4)
    let shape = c.random.below(5)
    o[c.literal("events")] = .array(
      (0..<c.int(3...8)).map { _ in
        var event = ObjectBuilder()
        event[c.literal("timestamp")] = c.timestamp()
        event[c.literal("location")] = .s(c.city())
        event[c.literal("code")] = .s(c.pick(["PU", "AR", "DP", "OD", "DL"]))
        event[c.literal("description")] = .s(
          c.pick(["Arrived at facility", "Departed facility", "Out for delivery", "Picked up"]))
        if withPosition { event[c.key("geo")] = c.geoNode(shape: shape) }
        return event.node
      })
    o[c.literal("estimated delivery")] = c.plainDate(years: 2024...2027)
    if c.chance(0.4) { o[c.literal("delivery instructions")] = c.freeText(person: p) }
    c.addNoise(&o, c.int(2...6))
    return c.envelope(o.node)
  }

  static func employee(_ c: inout DocumentContext) -> DocumentNode {
    func one(_ c: inout DocumentContext, detailed: Bool) -> DocumentNode {
      let p = c.person()
      var o = ObjectBuilder()
      o[c.literal("employee id")] = .s("E" + c.digits(6))
      c.addName(&o, p)
      o[c.key("email", context: "work")] = .s(
        DocumentContext.ascii(p.first) + "." + DocumentContext.ascii(p.last) + "@"
          + c.pick(["acme.com", "contoso.com", "globex.io"]), .email)
      o[c.literal("department")] = .s(c.pick(["Engineering", "Finance", "Sales", "HR", "Operations", "Legal"]))
      o[c.literal("job title")] = .s(
        c.pick(["Software Engineer", "Accountant", "Account Executive", "HR Partner", "Analyst"]))
      o[c.literal("hire date")] = c.plainDate(years: 2005...2025)
      if detailed {
        o[c.key("dob")] = c.birthDate(p.birth)
        o[c.key("gender")] = .s(c.genderValue(female: p.isFemale), .gender)
        o[c.key("phone", context: "home")] = c.phoneNode(p)
        o[c.key("full_address", context: "home")] = c.addressNode(p.address)
        if c.locale == .enUS {
          o[c.key("ssn")] = .s(c.ssn(formatted: c.chance(0.7)), .usSSN)
        } else {
          o[c.key("national_id")] = .s(c.nationalID(), .nationalID)
        }
        if c.chance(0.6) { o[c.key("tax_id")] = .s(c.taxID(), .taxID) }
        var bank = ObjectBuilder()
        if c.locale == .enUS {
          bank[c.key("bank_account")] = .s(c.bankAccount(), .bankAccount)
          bank[c.key("routing")] = .s(c.abaRouting(), .abaRoutingNumber)
        } else {
          bank[c.key("iban")] = .s(c.iban(), .iban)
          if c.chance(0.6) { bank[c.key("bic")] = .s(c.bic(), .swiftBIC) }
        }
        bank[c.literal("bank name")] = .s(
          c.pick(["Chase", "Deutsche Bank", "BNP Paribas", "ING", "Santander", "PKO BP"]))
        o[c.literal("payroll")] = bank.node
        o[c.literal("salary")] = .n(c.int(30...180) * 1000)
        var manager = ObjectBuilder()
        manager[c.key("full_name")] = .s(c.fullName(), .personName)
        manager[c.literal("employee id")] = .s("E" + c.digits(6))
        o[c.literal("manager")] = manager.node
        if c.chance(0.3) {
          var contact = ObjectBuilder()
          contact[c.key("full_name")] = .s(c.fullName(), .personName)
          contact[c.literal("relationship")] = .s(c.pick(["spouse", "parent", "sibling", "friend"]))
          contact[c.key("phone")] = .s(c.phone(), .phone)
          o[c.literal("emergency contact")] = contact.node
        }
      }
      c.addNoise(&o, c.int(0...3))
      return o.node
    }
    if c.chance(0.3) {
      return c.listEnvelope((0..<c.int(3...6)).map { _ in one(&c, detailed: false) }, plural: "employees")
    }
    return c.envelope(one(&c, detailed: true))
  }

  static func patient(_ c: inout DocumentContext) -> DocumentNode {
    let p = c.person()
    var o = ObjectBuilder()
    o[c.literal("resource type")] = .s("Patient")
    o[c.key("mrn")] = .s(c.medicalRecordNumber(), .medicalRecordNumber)
    c.addName(&o, p)
    o[c.key("dob")] = c.birthDate(p.birth)
    o[c.key("gender")] = .s(c.genderValue(female: p.isFemale), .gender)
    if c.chance(0.6) { o[c.key("phone")] = c.phoneNode(p) }
    if c.chance(0.5) { o[c.key("email")] = .s(p.email, .email) }
    if c.chance(0.6) { o[c.key("full_address")] = c.addressNode(p.address) }
    if c.locale == .enUS, c.chance(0.5) { o[c.key("ssn")] = .s(c.ssn(formatted: c.chance(0.8)), .usSSN) }
    var insurance = ObjectBuilder()
    insurance[c.literal("payer")] = .s(c.company())
    insurance[c.key("insurance_id")] = .s(c.healthInsuranceID(), .healthInsuranceID)
    insurance[c.literal("group number")] = .s(c.string(2, Alphabet.upper) + c.digits(5))
    insurance[c.literal("valid until")] = c.plainDate(years: 2025...2029)
    o[c.literal("insurance")] = insurance.node
    o[c.literal("encounters")] = .array(
      (0..<c.int(1...4)).map { _ in
        var encounter = ObjectBuilder()
        encounter[c.literal("encounter id")] = .s(c.uuid())
        encounter[c.literal("date")] = c.plainDate(years: 2020...2026)
        encounter[c.key("diagnosis")] = .s(c.icd10(), .diagnosisCode)
        encounter[c.literal("provider")] = .s("Dr. " + c.fullName(), .personName)
        encounter[c.literal("facility")] = .s(c.company())
        return encounter.node
      })
    if c.chance(0.5) { o[c.key("notes")] = c.freeText(person: p) }
    if c.chance(0.3) { o[c.key("age")] = .n(c.age(birthYear: p.birth.year), .age) }
    o[c.key("updated")] = c.timestamp()
    c.addNoise(&o, c.int(2...6))
    return c.envelope(o.node)
  }

  static func bankTransfer(_ c: inout DocumentContext) -> DocumentNode {
    let sender = c.person()
    let beneficiary = c.person()
    var o = ObjectBuilder()
    o[c.literal("transfer id")] = .s(c.objectID("tr"))
    o[c.key("amount")] = c.moneyObject()
    var debtor = ObjectBuilder()
    debtor[c.key("full_name")] = .s(sender.full, .personName)
    debtor[c.key("iban")] = .s(c.iban(), .iban)
    o[c.literal("debtor")] = debtor.node
    var creditor = ObjectBuilder()
    if c.chance(0.7) {
      creditor[c.key("full_name")] = .s(beneficiary.full, .personName)
    } else {
      creditor[c.key("company")] = .s(c.company())
    }
    creditor[c.key("iban")] = .s(c.iban(), .iban)
    if c.chance(0.7) { creditor[c.key("bic")] = .s(c.bic(), .swiftBIC) }
    if c.chance(0.4) { creditor[c.key("full_address")] = .s(beneficiary.address.full, .address) }
    o[c.literal("creditor")] = creditor.node
    o[c.literal("remittance information")] =
      c.chance(0.7) ? .s(c.pick(["Rent ", "Invoice ", "Ref "]) + c.digits(6)) : c.freeText()
    if c.chance(0.2) {
      o[c.literal("crypto payout")] = .object([
        (c.literal("asset"), .s(c.pick(["BTC", "ETH", "USDC"]))),
        (c.key("wallet"), .s(c.cryptoWallet(), .cryptoWallet)),
      ])
    }
    o[c.literal("end to end id")] = .s(c.string(16, Alphabet.upperAlphanumeric))
    o[c.literal("execution date")] = c.plainDate(years: 2024...2026)
    o[c.key("status")] = .s(c.pick(["ACCP", "RJCT", "PDNG", "ACSC"]))
    if c.chance(0.4) { o[c.key("ip")] = .s(c.ipAddress(), .ipAddress) }
    c.addNoise(&o, c.int(2...6))
    return c.envelope(o.node)
  }

  static func telecomSubscriber(_ c: inout DocumentContext) -> DocumentNode {
    let p = c.person()
    var o = ObjectBuilder()
    o[c.literal("subscriber id")] = .s("SUB" + c.digits(9))
    o[c.key("mobile")] = c.chance(0.5) ? .s(c.msisdn(), .phone) : c.phoneNode(p)
    c.addName(&o, p)
    o[c.literal("plan")] = .s(c.pick(["Unlimited 5G", "Basic 10GB", "Family 4x", "Prepaid Flex"]))
    var device = ObjectBuilder()
    device[c.key("imei")] = .s(c.imei(), .imei)
    device[c.literal("model")] = .s(c.pick(["iPhone 15", "Galaxy S24", "Pixel 8a", "Moto G84"]))
    device[c.literal("os version")] = .s(c.version())
    if c.chance(0.4) { device[c.key("mac", context: "wifi")] = .s(c.macAddress(), .macAddress) }
    o[c.literal("device")] = device.node
    var usage = ObjectBuilder()
    usage[c.literal("data used mb")] = .n(c.int(0...80_000))
    usage[c.literal("minutes")] = .n(c.int(0...3000))
    usage[c.literal("sms")] = .n(c.int(0...500))
    usage[c.literal("period start")] = c.plainDate(years: 2025...2026)
    o[c.literal("usage")] = usage.node
    if c.chance(0.6) { o[c.key("full_address", context: "billing")] = c.addressNode(p.address) }
    if c.chance(0.4) { o[c.key("dob")] = c.birthDate(p.birth) }
    o[c.literal("balance")] = c.price()
    c.addNoise(&o, c.int(2...6))
    return c.envelope(o.node)
  }

  static func iotTelemetry(_ c: inout DocumentContext) -> DocumentNode {
    var o = ObjectBuilder()
    o[c.literal("device id")] = .s(c.pick(["dev-", "sensor-", "gw-"]) + c.string(8, Alphabet.lowerHex))
    o[c.key("mac")] = .s(c.macAddress(), .macAddress)
    if c.chance(0.7) { o[c.key("ip")] = .s(c.ipv4(privateRange: c.chance(0.7)), .ipAddress) }
    o[c.literal("firmware")] = .s(c.version())
    o[c.literal("battery")] = .n(c.int(1...100))
    if c.chance(0.6) { o[c.key("geo")] = c.geoNode() }
    o[c.literal("readings")] = .array(
      (0..<c.int(4...16)).map { _ in
        var reading = ObjectBuilder()
        reading[c.literal("ts")] = c.timestamp()
        reading[c.literal("temperature")] = .n("\(c.int(-5...35)).\(c.int(0...99))")
        reading[c.literal("humidity")] = .n(c.int(20...90))
        reading[c.literal("rssi")] = .n(-c.int(30...95))
        return reading.node
      })
    o[c.literal("uptime s")] = .n(c.int(100...5_000_000))
    o[c.key("checksum")] = .s(c.chance(0.5) ? c.hexDigest() : c.base64Digest())
    c.addNoise(&o, c.int(0...3))
    return o.node
  }

  static func supportTicket(_ c: inout DocumentContext) -> DocumentNode {
    let customer = c.person()
    let agent = c.person()
    var o = ObjectBuilder()
    o[c.literal("ticket id")] = .n(c.int(10000...999_999))
    o[c.literal("subject")] = .s(
      c.pick(["Order not received", "Refund request", "Cannot log in", "Change address", "Billing question"]))
    o[c.key("status")] = .s(c.pick(["open", "pending", "solved", "closed"]))
    o[c.literal("priority")] = .s(c.pick(["low", "normal", "high", "urgent"]))
    var requester = ObjectBuilder()
    requester[c.key("full_name")] = .s(customer.full, .personName)
    requester[c.key("email")] = .s(customer.email, .email)
    o[c.literal("requester")] = requester.node
    o[c.literal("assignee")] = .s(agent.first, .personName)
    o[c.literal("tags")] = .array([
      .s(c.pick(["shipping", "billing", "account"])), .s(c.pick(["vip", "eu", "mobile"])),
    ])
    let template = c.textTemplate()
    o[c.literal("messages")] = .array(
      (0..<c.int(2...5)).map { _ in
        var message = ObjectBuilder()
        message[c.literal("author")] = .s(c.pick(["customer", "agent", "bot"]))
        message[c.key("message")] = c.freeText(template: template, person: customer)
        message[c.literal("sent at")] = c.timestamp()
        return message.node
      })
    o[c.key("created")] = c.timestamp()
    if c.chance(0.3) { o[c.literal("satisfaction")] = .s(c.pick(["good", "bad", "unoffered"])) }
    c.addNoise(&o, c.int(2...6))
    return c.envelope(o.node)
  }

  static func auditLog(_ c: inout DocumentContext) -> DocumentNode {
    let entries: [DocumentNode] = (0..<c.int(3...10)).map { _ in
      var entry = ObjectBuilder()
      entry[c.literal("event id")] = .s(c.uuid())
      entry[c.literal("timestamp")] = c.timestamp()
      entry[c.literal("actor")] = .s(c.username(), .username)
      entry[c.literal("action")] = .s(
        c.pick(["user.login", "user.logout", "role.assign", "file.download", "settings.update", "token.create"]))
      entry[c.literal("resource")] = .s(c.pick(["/api/v1/users/", "/admin/settings/", "/files/"]) + c.digits(5))
      entry[c.key("ip")] = .s(c.ipAddress(), .ipAddress)
      entry[c.key("user_agent")] = .s(c.userAgent())
      entry[c.literal("result")] = .s(c.pick(["success", "failure", "denied"]))
      entry[c.key("request_id")] = c.requestID()
      return entry.node
    }
    return c.listEnvelope(entries, plural: "events")
  }

  static func productCatalog(_ c: inout DocumentContext) -> DocumentNode {
    let products: [DocumentNode] = (0..<c.int(3...8)).map { _ in
      var product = ObjectBuilder()
      product[c.key("id")] = .n(c.int(1000...999_999))
      product[c.key("sku")] = .s(c.sku())
      product[c.key("product")] = .s(c.product())
      product[c.literal("brand")] = .s(c.company())
      product[c.key("barcode")] = c.chance(0.3) ? .n(c.barcode()) : .s(c.barcode())
      product[c.key("amount")] = c.moneyObject()
      product[c.literal("stock")] = .n(c.int(0...500))
      product[c.literal("rating")] = .n("\(c.int(1...4)).\(c.int(0...9))")
      product[c.literal("tags")] = .array([.s(c.pick(["new", "sale", "eco"])), .s(c.pick(["bestseller", "limited"]))])
      product[c.literal("image")] = .s(c.url())
      if c.chance(0.4) {
        product[c.literal("dimensions")] = .s("\(c.int(5...90))x\(c.int(5...90))x\(c.int(1...50)) cm")
      }
      if c.chance(0.3) { product[c.key("updated")] = c.timestamp() }
      if c.chance(0.3) { product[c.key("notes")] = c.freeText(sensitive: false) }
      return product.node
    }
    return c.listEnvelope(products, plural: "products")
  }

  static func ciConfig(_ c: inout DocumentContext) -> DocumentNode {
    var o = ObjectBuilder()
    o[c.literal("pipeline")] = .s(c.pick(["build-and-deploy", "release", "nightly", "pr-checks"]))
    o[c.literal("commit")] = .s(c.string(40, Alphabet.lowerHex))
    o[c.literal("branch")] = .s(c.pick(["main", "develop", "release/2.4", "feature/checkout"]))
    o[c.key("version")] = .s(c.version())
    var env = ObjectBuilder()
    env["AWS_ACCESS_KEY_ID"] = .s(c.awsAccessKeyID(), .awsAccessKey)
    env["AWS_SECRET_ACCESS_KEY"] = .s(c.awsSecretKey(), .apiKey)
    env["AWS_REGION"] = .s(c.pick(["eu-west-1", "us-east-1"]))
    for _ in 0..<c.int(0...2) {
      let key = c.vendorAPIKey()
      let name: String
      switch key.prefix(3) {
      case "sk_", "rk_": name = "STRIPE_SECRET_KEY"
      case "ghp", "gho", "ghs", "git": name = c.pick(["GITHUB_TOKEN", "GH_TOKEN"])
      case "xox": name = "SLACK_BOT_TOKEN"
      case "AIz": name = "GOOGLE_MAPS_API_KEY"
      case "glp": name = "GITLAB_TOKEN"
      case "sk-": name = "OPENAI_API_KEY"
      case "SG.": name = "SENDGRID_API_KEY"
      case "npm": name = "NPM_TOKEN"
      case "shp": name = "SHOPIFY_ACCESS_TOKEN"
      case "hf_": name = "HF_TOKEN"
      default: name = "TWILIO_API_KEY"
      }
      env[name] = .s(key, .apiKey)
    }
    if c.chance(0.6) {
      let url = c.urlWithCredentials()
      let name =
        url.hasPrefix("postgres") || url.hasPrefix("mysql")
        ? "DATABASE_URL" : url.hasPrefix("amqp") ? "AMQP_URL" : url.hasPrefix("mongodb") ? "MONGO_URI" : "REGISTRY_URL"
      env[name] = .s(url, .urlWithCredentials)
    }
    if c.chance(0.3) {
      env["SENTRY_DSN"] = .s(
        "https://" + c.string(32, Alphabet.lowerHex) + "@o" + c.digits(6) + ".ingest.sentry.io/" + c.digits(7))
    }
    if c.chance(0.3) { env["FEATURE_FLAGS"] = .s(c.pick(["new-checkout,fast-search", "beta-ui", "none"])) }
    env["LOG_LEVEL"] = .s(c.pick(["info", "debug", "warn"]))
    env["NODE_ENV"] = .s("production")
    o[c.literal("env")] = env.node
    if c.chance(0.5) { o[c.key("private_key", context: "deploy")] = .s(c.privateKey(), .privateKey) }
    if c.chance(0.5) { o[c.literal("webhook secret")] = .s(c.opaqueSecret(), .apiKey) }
    o[c.literal("artifacts")] = .array(
      (0..<c.int(1...3)).map { _ in
        var artifact = ObjectBuilder()
        artifact[c.literal("name")] = .s(c.fileName())
        artifact[c.key("checksum")] = .s(c.hexDigest())
        artifact[c.literal("size")] = .n(c.int(1000...90_000_000))
        return artifact.node
      })
    o[c.literal("image")] = .s("registry.example.com/app:" + c.version())
    if c.chance(0.4) {
      o[c.literal("registry")] = .object([
        (c.literal("server"), .s("registry.example.com")),
        (c.key("authorization"), .s(c.basicAuth(), .basicAuthCredentials)),
      ])
    }
    o[c.literal("started at")] = c.timestamp()
    c.addNoise(&o, c.int(0...3))
    return o.node
  }

  static func travelBooking(_ c: inout DocumentContext) -> DocumentNode {
    var o = ObjectBuilder()
    o[c.literal("booking reference")] = .s(c.string(6, Alphabet.upperAlphanumeric))
    let contact = c.person()
    var contactObject = ObjectBuilder()
    contactObject[c.key("email")] = .s(contact.email, .email)
    contactObject[c.key("phone")] = c.phoneNode(contact)
    o[c.literal("contact")] = contactObject.node
    let withPassport = c.chance(0.85)
    o[c.literal("passengers")] = .array(
      (0..<c.int(1...3)).map { _ in
        let p = c.person()
        var passenger = ObjectBuilder()
        passenger[c.key("first_name")] = .s(p.first, .personName)
        passenger[c.key("last_name")] = .s(p.last, .personName)
        passenger[c.key("dob")] = c.birthDate(p.birth)
        passenger[c.key("gender")] = .s(c.genderValue(female: p.isFemale), .gender)
        if withPassport {
          passenger[c.key("passport")] = .s(c.passportNumber(), .passportNumber)
          passenger[c.literal("passport expiry")] = c.plainDate(years: 2026...2035)
          passenger[c.literal("nationality")] = .s(c.countryCode())
        }
        passenger[c.literal("seat")] = .s("\(c.int(1...40))\(c.pick(["A", "B", "C", "D", "E", "F"]))")
        return passenger.node
      })
    o[c.literal("flights")] = .array(
      (0..<c.int(1...2)).map { _ in
        var flight = ObjectBuilder()
        flight[c.literal("flight number")] = .s(
          c.pick(["LH", "BA", "AF", "IB", "AZ", "LO", "KL", "UA"]) + String(c.int(100...9999)))
        flight[c.literal("departure")] = c.timestamp()
        flight[c.literal("from")] = .s(c.pick(["FRA", "LHR", "CDG", "MAD", "FCO", "WAW", "AMS", "JFK"]))
        flight[c.literal("to")] = .s(c.pick(["BCN", "MUC", "LIS", "ATH", "DUB", "VIE", "SFO", "ORD"]))
        return flight.node
      })
    o[c.literal("total")] = c.moneyObject()
    if c.chance(0.4) { o[c.literal("payment")] = c.cardObject(holder: contact, full: c.chance(0.3)) }
    c.addNoise(&o, c.int(2...6))
    return c.envelope(o.node)
  }

  static func carRental(_ c: inout DocumentContext) -> DocumentNode {
    let p = c.person()
    var o = ObjectBuilder()
    o[c.literal("reservation id")] = .s("R" + c.digits(9))
    var driver = ObjectBuilder()
    c.addName(&driver, p)
    driver[c.key("dob")] = c.birthDate(p.birth)
    driver[c.key("drivers_license")] = .s(c.driversLicense(person: p), .driversLicense)
    driver[c.literal("license country")] = .s(c.locale.countryCode)
    driver[c.literal("license expiry")] = c.plainDate(years: 2026...2036)
    driver[c.key("email")] = .s(p.email, .email)
    driver[c.key("mobile")] = c.phoneNode(p)
    if c.chance(0.5) { driver[c.key("full_address")] = c.addressNode(p.address) }
    o[c.literal("driver")] = driver.node
    o[c.literal("vehicle")] = .object([
      (c.literal("class"), .s(c.pick(["compact", "SUV", "van", "premium"]))),
      (c.literal("model"), .s(c.pick(["VW Golf", "Toyota Corolla", "Ford Focus", "BMW X1"]))),
    ])
    o[c.literal("pickup")] = .object([
      (c.literal("station"), .s(c.city() + " Airport")), (c.literal("at"), c.timestamp()),
    ])
    o[c.literal("return")] = .object([(c.literal("station"), .s(c.city())), (c.literal("at"), c.timestamp())])
    o[c.literal("payment")] = c.cardObject(holder: p, full: c.chance(0.5))
    o[c.literal("deposit")] = c.moneyObject()
    c.addNoise(&o, c.int(2...6))
    return c.envelope(o.node)
  }

  static func marketingLead(_ c: inout DocumentContext) -> DocumentNode {
    let p = c.person()
    var o = ObjectBuilder()
    o[c.literal("lead id")] = .s(c.uuid())
    c.addName(&o, p)
    o[c.key("email")] = .s(p.email, .email)
    if c.chance(0.7) { o[c.key("phone")] = c.phoneNode(p) }
    o[c.key("company")] = .s(c.company())
    o[c.literal("job title")] = .s(
      c.pick(["CTO", "Head of Marketing", "Procurement Manager", "Founder", "IT Director"]))
    o[c.literal("employees")] = .s(c.pick(["1-10", "11-50", "51-200", "201-1000", "1000+"]))
    o[c.key("country")] = .s(c.countryCode())
    o[c.literal("source")] = .s(c.pick(["webinar", "trade show", "organic", "paid search", "referral"]))
    o[c.literal("utm")] = .object([
      ("utm_source", .s(c.pick(["google", "linkedin", "newsletter"]))),
      ("utm_medium", .s(c.pick(["cpc", "email", "social"]))),
      ("utm_campaign", .s(c.pick(["spring_sale", "q3_launch", "brand"]))),
    ])
    o[c.literal("score")] = .n(c.int(0...100))
    if c.chance(0.5) { o[c.key("notes")] = c.freeText(person: p) }
    o[c.literal("consent")] = .bool(c.chance(0.8))
    o[c.key("created")] = c.timestamp()
    c.addNoise(&o, c.int(2...6))
    return c.envelope(o.node)
  }

  static func analyticsEvent(_ c: inout DocumentContext) -> DocumentNode {
    var o = ObjectBuilder()
    o[c.literal("anonymous id")] = .s(c.uuid())
    if c.chance(0.4) { o[c.literal("user id")] = .s(c.objectID("usr")) }
    o[c.literal("event")] = .s(
      c.pick(["Page Viewed", "Product Added", "Checkout Started", "Signed Up", "Button Clicked"]))
    var properties = ObjectBuilder()
    properties[c.literal("url")] = .s(c.url())
    properties[c.literal("referrer")] = .s(c.chance(0.5) ? "https://www.google.com/" : c.url())
    properties[c.key("product")] = .s(c.product())
    properties[c.key("amount")] = c.price()
    properties[c.literal("path")] = .s(c.pick(["/", "/cart", "/checkout", "/p/" + c.digits(5)]))
    o[c.literal("properties")] = properties.node
    var context = ObjectBuilder()
    context[c.key("ip")] = .s(c.ipAddress(), .ipAddress)
    context[c.key("user_agent")] = .s(c.userAgent())
    context[c.key("language")] = .s(c.language())
    context[c.literal("screen")] = .object([
      ("width", .n(c.pick([390, 1440, 1920]))), ("height", .n(c.pick([844, 900, 1080]))),
    ])
    if c.chance(0.3) { context[c.key("geo")] = c.geoNode() }
    context[c.literal("library")] = .object([("name", .s("analytics.js")), ("version", .s(c.version()))])
    if c.chance(0.3) {
      let email = c.email()
      context[c.literal("traits")] = .object([(c.key("email"), .s(email, .email))])
    }
    o[c.literal("context")] = context.node
    o[c.literal("message id")] = .s(c.uuid())
    o[c.literal("timestamp")] = c.timestamp()
    o[c.key("session")] = .s(c.string(32, Alphabet.lowerHex))
    c.addNoise(&o, c.int(0...3))
    return o.node
  }

  static func rideTracking(_ c: inout DocumentContext) -> DocumentNode {
    let rider = c.person()
    let driver = c.person()
    var o = ObjectBuilder()
    o[c.literal("ride id")] = .s(c.uuid())
    o[c.key("status")] = .s(c.pick(["requested", "accepted", "in_progress", "completed"]))
    o[c.literal("rider")] = .object([
      (c.key("first_name"), .s(rider.first, .personName)), (c.key("mobile"), .s(rider.phone, .phone)),
    ])
    var driverObject = ObjectBuilder()
    driverObject[c.key("full_name")] = .s(driver.full, .personName)
    driverObject[c.literal("rating")] = .n("4.\(c.int(5...9))")
    driverObject[c.literal("vehicle")] = .s(c.pick(["Toyota Prius", "Skoda Octavia", "Tesla Model 3"]))
    o[c.literal("driver")] = driverObject.node
    o[c.literal("pickup")] = c.geoNode()
    o[c.literal("dropoff")] = c.geoNode()
    if c.chance(0.5) { o[c.literal("pickup address")] = .s(rider.address.full, .address) }
    o[c.literal("route polyline")] = .s(c.string(c.int(40...120), Alphabet.alphanumeric + "_@?`~|{}"))
    o[c.literal("distance km")] = .n("\(c.int(1...40)).\(c.int(0...9))")
    o[c.literal("fare")] = c.moneyObject()
    o[c.literal("eta seconds")] = .n(c.int(60...1800))
    c.addNoise(&o, c.int(2...6))
    return c.envelope(o.node)
  }
}
