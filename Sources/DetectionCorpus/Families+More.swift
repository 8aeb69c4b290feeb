import Detection

/// More schema families: card-present payments and billing (train), charging, prescriptions and
/// hiring (held-out).
extension SchemaFamily {
  static let moreTrain: [SchemaFamily] = [
    SchemaFamily(name: "pos-terminal", build: posTerminal),
    SchemaFamily(name: "subscription-billing", build: subscriptionBilling),
    SchemaFamily(name: "tenant-screening", build: tenantScreening),
    SchemaFamily(name: "certificate-upload", build: certificateUpload),
  ]

  static let moreHeldOut: [SchemaFamily] = [
    SchemaFamily(name: "ev-charging-session", build: evChargingSession),
    SchemaFamily(name: "pharmacy-prescription", build: pharmacyPrescription),
    SchemaFamily(name: "job-application", build: jobApplication),
  ]

  /// Track 2 equivalent data: `;PAN=YYMM SVC discretionary?`.
  static func trackData(_ c: inout DocumentContext, _ pan: String) -> String {
    let expiry = String(c.int(26...33)) + DocumentContext.pad2(c.int(1...12))
    if c.chance(0.5) {
      return ";" + pan + "=" + expiry + c.pick(["101", "201", "221"]) + c.digits(c.int(8...13)) + "?"
    }
    let name =
      DocumentContext.ascii(c.pick(c.words.lastNames)).uppercased() + "/"
      + DocumentContext.ascii(c.pick(c.words.firstNames)).uppercased()
    return "%B" + pan + "^" + name + "^" + expiry + c.pick(["101", "201"]) + c.digits(c.int(10...16)) + "?"
  }

  static func posTerminal(_ c: inout DocumentContext) -> DocumentNode {
    let card = c.cardDigits()
    var o = ObjectBuilder()
    o[c.literal("terminal id")] = .s("T" + c.digits(7))
    o[c.literal("merchant")] = .object([
      (c.literal("mid"), .s(c.digits(15))), (c.literal("name"), .s(c.company())), (c.key("city"), .s(c.city())),
      (c.literal("mcc"), .s(c.pick(["5411", "5812", "5999", "4121", "5541"]))),
    ])
    var transaction = ObjectBuilder()
    transaction[c.literal("stan")] = .s(c.digits(6))
    transaction[c.literal("rrn")] = .s(c.digits(12))
    transaction[c.key("amount")] = c.price()
    transaction[c.key("currency")] = .s(c.pick(["840", "978", "826", "985"]))
    transaction[c.literal("entry mode")] = .s(c.pick(["chip", "contactless", "swipe", "fallback_swipe"]))
    if c.chance(0.4) {
      transaction[c.pick(["track2", "track_data", "trackData", "track2Equivalent"])] = .s(
        trackData(&c, card.digits), .cardTrackData)
    } else if c.chance(0.5) {
      transaction[c.key("card_number")] = .s(card.digits, .cardNumber)
      transaction[c.key("card_expiry")] = .s(
        DocumentContext.pad2(c.int(1...12)) + "/" + String(c.int(26...33)), .cardExpiration)
    }
    transaction[c.key("masked_card")] = c.maskedCard()
    transaction[c.literal("auth code")] = .s(c.string(6, Alphabet.upperAlphanumeric))
    transaction[c.literal("response code")] = .s(c.pick(["00", "05", "51", "54"]))
    transaction[c.literal("emv")] = .object([
      (c.literal("aid"), .s(c.pick(["A0000000031010", "A0000000041010", "A000000025010801"]))),
      (c.literal("tvr"), .s(c.string(10, Alphabet.upperHex))),
      (c.literal("cryptogram"), .s(c.string(16, Alphabet.upperHex))),
    ])
    o[c.literal("transaction")] = transaction.node
    o[c.literal("timestamp")] = c.timestamp()
    o[c.literal("batch")] = .n(c.int(1...999))
    c.addNoise(&o, c.int(0...2))
    return c.envelope(o.node)
  }

  static func subscriptionBilling(_ c: inout DocumentContext) -> DocumentNode {
    let p = c.person()
    var o = ObjectBuilder()
    o[c.key("invoice")] = c.invoiceID()
    o[c.literal("subscription id")] = .s(c.objectID("sub"))
    var customer = ObjectBuilder()
    if c.chance(0.5) {
      customer[c.key("company")] = .s(c.company())
      customer[c.key("tax_id")] = .s(c.taxID(), .taxID)
      customer[c.literal("billing contact")] = .s(p.full, .personName)
    } else {
      c.addName(&customer, p)
    }
    customer[c.key("email", context: "billing")] = .s(p.email, .email)
    customer[c.key("full_address", context: "billing")] = c.addressNode(p.address)
    o[c.literal("customer")] = customer.node
    o[c.literal("lines")] = .array(
      (0..<c.int(1...4)).map { _ in
        .object([
          (
            c.literal("description"),
            .s(c.pick(["Pro plan (monthly)", "Extra seats x5", "Storage 100 GB", "Support add-on"]))
          ),
          (c.literal("period start"), c.plainDate(years: 2024...2026)),
          (c.literal("period end"), c.plainDate(years: 2024...2026)),
          (c.key("amount"), c.price()),
        ])
      })
    o[c.literal("subtotal")] = c.price()
    o[c.literal("tax rate")] = .n(c.pick(["0.19", "0.2", "0.21", "0.23", "0.0725"]))
    o[c.key("currency")] = .s(c.locale.currency)
    o[c.literal("due date")] = c.plainDate(years: 2024...2027)
    var method = ObjectBuilder()
    if c.chance(0.6) {
      method[c.key("masked_card")] = c.maskedCard()
      method[c.literal("brand")] = .s(c.cardBrand())
    } else {
      method[c.literal("type")] = .s("sepa_debit")
      method[c.key("iban")] = .s(c.iban(), .iban)
      method[c.literal("mandate reference")] = .s("MD-" + c.string(10, Alphabet.upperAlphanumeric))
    }
    o[c.literal("payment method")] = method.node
    o[c.literal("pdf")] = .s(c.url())
    c.addNoise(&o, c.int(2...5))
    return c.envelope(o.node)
  }

  static func evChargingSession(_ c: inout DocumentContext) -> DocumentNode {
    var o = ObjectBuilder()
    o[c.literal("session id")] = .s(c.uuid())
    o[c.literal("charge point")] = .object([
      (c.literal("id"), .s(c.pick(["DE*ION*E", "NL*ALF*E", "FR*TOT*E"]) + c.digits(6))), (c.key("geo"), c.geoNode()),
      (c.literal("connector"), .s(c.pick(["CCS", "Type2", "CHAdeMO"]))),
      (c.literal("power kw"), .n(c.pick([11, 22, 50, 150, 350]))),
    ])
    var driver = ObjectBuilder()
    driver[c.literal("rfid uid")] = .s(c.string(8, Alphabet.upperHex))
    driver[c.literal("contract id")] = .s(c.locale.countryCode + "-" + c.string(3, Alphabet.upper) + "-C" + c.digits(8))
    if c.chance(0.6) { driver[c.key("email")] = .s(c.email(), .email) }
    if c.chance(0.4) { driver[c.key("full_name")] = .s(c.fullName(), .personName) }
    o[c.literal("driver")] = driver.node
    o[c.literal("vehicle")] = .object([
      (c.literal("model"), .s(c.pick(["ID.4", "Model Y", "Ioniq 5", "Zoe", "e-208"]))),
      (c.literal("soc start"), .n(c.int(5...60))),
      (c.literal("soc end"), .n(c.int(60...100))),
      (c.key("mac", context: "vehicle"), .s(c.macAddress(bareAllowed: false), .macAddress)),
    ])
    o[c.literal("energy kwh")] = .n("\(c.int(3...90)).\(c.int(0...999))")
    o[c.literal("started at")] = c.timestamp()
    o[c.literal("ended at")] = c.timestamp()
    o[c.literal("payment")] = .object([(c.key("masked_card"), c.maskedCard()), (c.key("amount"), c.price())])
    if c.chance(0.5) {
      o[c.literal("meter values")] = .array((0..<c.int(3...8)).map { _ in .n("\(c.int(0...90)).\(c.int(0...99))") })
    }
    c.addNoise(&o, c.int(2...5))
    return c.envelope(o.node)
  }

  static func pharmacyPrescription(_ c: inout DocumentContext) -> DocumentNode {
    let p = c.person()
    var o = ObjectBuilder()
    o[c.literal("rx number")] = .s("RX" + c.digits(8))
    var patient = ObjectBuilder()
    c.addName(&patient, p, context: "patient")
    patient[c.key("dob")] = c.birthDate(p.birth)
    patient[c.key("gender")] = .s(c.genderValue(female: p.isFemale), .gender)
    patient[c.key("mrn")] = .s(c.medicalRecordNumber(), .medicalRecordNumber)
    patient[c.key("insurance_id")] = .s(c.healthInsuranceID(), .healthInsuranceID)
    if c.chance(0.6) { patient[c.key("phone")] = c.phoneNode(p) }
    if c.chance(0.4) { patient[c.key("full_address")] = c.addressNode(p.address) }
    o[c.literal("patient")] = patient.node
    o[c.literal("prescriber")] = .object([
      (c.literal("name"), .s("Dr. " + c.fullName(), .personName)), (c.literal("npi"), .s(c.digits(10))),
      (c.literal("clinic"), .s(c.company())),
    ])
    o[c.literal("medications")] = .array(
      (0..<c.int(1...3)).map { _ in
        .object([
          (
            c.literal("drug"),
            .s(
              c.pick([
                "Metformin 500 mg", "Atorvastatin 20 mg", "Lisinopril 10 mg", "Amoxicillin 875 mg", "Sertraline 50 mg",
              ]))
          ),
          (c.literal("ndc"), .s(c.digits(5) + "-" + c.digits(4) + "-" + c.digits(2))),
          (c.literal("quantity"), .n(c.pick([30, 60, 90]))),
          (c.literal("refills"), .n(c.int(0...5))),
          (c.literal("sig"), .s(c.pick(["1 tab PO daily", "1 tab PO BID", "2 caps PO TID x10d"]))),
        ])
      })
    o[c.key("diagnosis")] = .s(c.icd10(), .diagnosisCode)
    o[c.literal("written on")] = c.plainDate(years: 2024...2026)
    if c.chance(0.4) { o[c.literal("pharmacist note")] = c.freeText(person: p) }
    c.addNoise(&o, c.int(2...5))
    return c.envelope(o.node)
  }

  static func jobApplication(_ c: inout DocumentContext) -> DocumentNode {
    let p = c.person()
    var o = ObjectBuilder()
    o[c.literal("application id")] = .s(c.uuid())
    o[c.literal("job")] = .object([
      (
        c.literal("title"),
        .s(c.pick(["Backend Engineer", "Store Manager", "Nurse", "Data Analyst", "Warehouse Associate"]))
      ),
      (c.literal("requisition"), .s("REQ-" + c.digits(5))), (c.key("company"), .s(c.company())),
    ])
    var candidate = ObjectBuilder()
    c.addName(&candidate, p, context: "candidate")
    candidate[c.key("email")] = .s(p.email, .email)
    candidate[c.key("phone")] = c.phoneNode(p)
    if c.chance(0.5) { candidate[c.key("full_address")] = c.addressNode(p.address) }
    if c.chance(0.3) { candidate[c.key("dob")] = c.birthDate(p.birth) }
    if c.chance(0.3) { candidate[c.key("gender")] = .s(c.genderValue(female: p.isFemale), .gender) }
    candidate[c.literal("portfolio")] = .s(c.url())
    candidate[c.literal("resume")] = .s(c.fileName())
    o[c.literal("candidate")] = candidate.node
    o[c.literal("cover letter")] = c.freeText(person: p)
    o[c.literal("expected salary")] = .n(c.int(30...150) * 1000)
    o[c.literal("stage")] = .s(c.pick(["applied", "screen", "interview", "offer", "rejected"]))
    if c.locale == .enUS, c.chance(0.4) {
      o[c.literal("background check")] = .object([
        (c.key("ssn"), .s(c.ssn(), .usSSN)), (c.literal("consent"), .bool(true)),
      ])
    }
    c.addNoise(&o, c.int(2...5))
    return c.envelope(o.node)
  }

  static func tenantScreening(_ c: inout DocumentContext) -> DocumentNode {
    let p = c.person()
    var o = ObjectBuilder()
    o[c.literal("screening id")] = .s(c.objectID("scr"))
    var applicant = ObjectBuilder()
    c.addName(&applicant, p, context: "applicant")
    applicant[c.key("dob")] = c.birthDate(p.birth)
    applicant[c.key("email")] = .s(p.email, .email)
    applicant[c.key("phone")] = c.phoneNode(p)
    if c.locale == .enUS || c.chance(0.2) {
      applicant[c.key("ssn")] = .s(c.ssn(formatted: c.chance(0.6)), .usSSN)
    } else {
      applicant[c.key("passport")] = .s(c.passportNumber(), .passportNumber)
    }
    if c.chance(0.6) { applicant[c.key("drivers_license")] = .s(c.driversLicense(person: p), .driversLicense) }
    o[c.literal("applicant")] = applicant.node
    let shape = c.chance(0.5)
    o[c.literal("previous addresses")] = .array(
      (0..<c.int(1...3)).map { _ in
        let address = c.address()
        return .object([
          (c.key("full_address"), shape ? .s(address.full, .address) : .s(address.line1, .address)),
          (c.literal("from"), c.plainDate(years: 2005...2024)), (c.literal("to"), c.plainDate(years: 2006...2025)),
        ])
      })
    o[c.literal("employment")] = .object([
      (c.key("company"), .s(c.company())), (c.literal("monthly income"), .n(c.int(15...150) * 100)),
      (c.literal("since"), c.plainDate(years: 2000...2025)),
    ])
    o[c.literal("credit score")] = .n(c.int(450...850))
    o[c.literal("decision")] = .s(c.pick(["approved", "conditional", "declined"]))
    c.addNoise(&o, c.int(2...5))
    return c.envelope(o.node)
  }

  /// A public certificate (not a secret) travels beside the private key (a secret).
  static func certificateUpload(_ c: inout DocumentContext) -> DocumentNode {
    var o = ObjectBuilder()
    o[c.literal("domain")] = .s(
      c.pick(["shop", "api", "www", "auth"]) + "." + c.pick(["example.com", "acme.io", "brightline.dev"]))
    var certificate = "-----BEGIN CERTIFICATE-----\n"
    for _ in 0..<c.int(8...14) { certificate += c.string(64, Alphabet.base64) + "\n" }
    certificate += c.string(c.int(8...60), Alphabet.base64) + "=\n-----END CERTIFICATE-----\n"
    o[c.literal("certificate")] = .s(certificate)
    if c.chance(0.85) { o[c.key("private_key")] = .s(c.privateKey(), .privateKey) }
    o[c.literal("fingerprint sha256")] = .s(c.string(64, Alphabet.upperHex))
    o[c.literal("serial")] = .s(c.string(32, Alphabet.lowerHex))
    o[c.literal("not after")] = c.timestamp()
    o[c.literal("issuer")] = .s(c.pick(["R3", "E1", "DigiCert TLS RSA SHA256 2020 CA1", "Sectigo RSA DV"]))
    if c.chance(0.4) {
      o[c.literal("ssh public key")] = .s(
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + c.string(43, Alphabet.base64) + " deploy@ci")
    }
    c.addNoise(&o, c.int(1...3))
    return c.envelope(o.node)
  }
}
