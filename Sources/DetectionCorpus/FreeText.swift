import Detection

/// Free text as people and programs write it (notes, chat messages, log lines), some with
/// sensitive values embedded, labelled with the union of what they embed. Templates alternate
/// between the splits, so held-out text is phrased in ways train never shows.
enum FreeText {
  static let sensitive: [String] = [
    "Hi, this is {name}. Please reach me at {email} or {phone} about order {order}.",
    "Customer called from {phone}, asked to update delivery address to {address}.",
    "Please ship to {address} instead, I moved last week. Thanks, {first}",
    "Refund requested by {name} ({email}) for order {order}, amount {amount}.",
    "User {username} reported login failures from IP {ip} since {date}.",
    "My card {card} was declined twice, can you check? Expiry {expiry}.",
    "Changed payout account to {iban} as requested by {name}.",
    "Verified identity: SSN {ssn}, DOB {dob}.",
    "Call me back on {phone} after 5pm, or email {email}.",
    "Kontakt: {name}, Tel. {phone}, E-Mail {email}",
    "Merci de me rappeler au {phone}. Cordialement, {name}",
    "Per favore contattatemi a {email}, grazie. {name}",
    "Passenger {name} passport {passport} flagged for manual check.",
    "Failed login for {email} from {ip}: invalid password",
    "Patient {name} (DOB {dob}) presented with symptoms, coded {icd}.",
    "GET /api/v1/users?email={email} 200 from {ip} in 34ms",
    "Authorization header was Bearer {jwt} for request {uuid}",
    "Temporary password for {username} is {password}, change it on first login.",
    "Deploying with key {apikey} to production.",
    "Device {mac} at {ip} went offline at {date}.",
    "Driver picked up {name} at {coords}.",
    "Please wire the deposit to IBAN {iban} (BIC {bic}), reference {order}.",
    "{name} asked us to remove {email} from the mailing list.",
    "New lead: {name} from {company}, phone {phone}.",
    "Hola, soy {name}, mi teléfono es {phone}.",
    "Hallo, bitte an {address} liefern. Grüße, {first}",
    "Chargeback on card ending {masked}, cardholder {name}.",
    "sshd[2211]: Accepted password for {username} from {ip} port {port} ssh2",
    "Member {name}, policy {insurance}, claims follow-up needed.",
    "Ping {username} on Slack or text {phone}.",
    "Order placed by {name}, deliver to {address}, contact {phone}.",
    "WARN payment declined pan={card} exp={expiry} merchant=42",
    "Hi team, my new email is {email}, please update my account ({username}).",
    "Beneficiary {name}, IBAN {iban}, amount {amount}.",
    "Le client {name} a demandé la livraison au {address}.",
    "Cliente {name}, teléfono {phone}, correo {email}.",
    "Gentile {name}, la sua richiesta è stata registrata. La contatteremo al {phone}.",
    "Pan {name}, tel. {phone}, prosi o kontakt mailowy: {email}.",
    "Beste {name}, we bezorgen uw pakket op {address}.",
    "INFO login ok user={username} ip={ip} ua=okhttp",
    "Spoke with {name}, confirmed date of birth {dob} and SSN {ssn} for the background check.",
    "Reset link sent to {email}; requested from {ip}.",
    "Rider {first} waiting at {coords}, phone {phone}.",
    "Use the staging token {jwt} when testing the mobile app.",
    "Wifi password for the guest network is {password}",
    "Card on file ends in {masked}; billing contact {email}.",
    "Dear {name}, your appointment is confirmed. Diagnosis on file: {icd}.",
    "Courier could not find {address}, please call {phone}.",
  ]

  static let neutral: [String] = [
    "Order {order} shipped via UPS, tracking {tracking}.",
    "Thanks for your purchase! Your {product} will arrive within 3-5 business days.",
    "Item {sku} is back in stock at our {city} warehouse.",
    "Payment of {amount} received on {date}. Invoice {invoice} is now settled.",
    "Build {version} deployed to staging, checksum {hash}.",
    "Great product, would buy again. Five stars!",
    "The package arrived damaged, the box was crushed on one side.",
    "Request {uuid} took 1532ms, retrying with backoff.",
    "Please note our office in {city} is closed on public holidays.",
    "Upgraded plan from basic to pro, effective next billing cycle.",
    "Meeting moved to Thursday 10:00, agenda attached.",
    "Delivery window changed to 14:00-16:00 due to traffic.",
    "Lieferung erfolgt in 2-3 Werktagen. Vielen Dank für Ihre Bestellung!",
    "Commande {order} expédiée, numéro de suivi {tracking}.",
    "Cache miss for key product:{sku}, fetched from origin in 87ms.",
    "{company} renewed the annual contract for {amount}.",
    "Low battery warning, 12% remaining.",
    "Temperature exceeded threshold (28.4C) at sensor 7.",
    "Customer prefers contact by email. Gift wrap requested.",
    "Refund processed for order {order}, {amount} returned to the original payment method.",
    "Job finished: 1284 rows imported, 3 skipped (duplicate {hash}).",
    "Reminder: your subscription renews on {date}.",
    "Wrong size ordered, exchanging for a larger one.",
    "Ticket escalated to tier 2, see runbook section 4.2.",
    "Route recalculated, ETA 14 minutes.",
    "Color {color} selected for the {product}.",
    "Please leave the parcel with the neighbour if nobody is home.",
    "Ring the bell twice, the intercom is broken.",
    "Invoice {invoice} is overdue by 14 days, a reminder was sent.",
    "Price match applied: {amount} discount on {product}.",
    "ERROR upstream timeout after 30000ms (request {uuid})",
    "Added {sku} to the spring catalogue, barcode pending.",
    "Il pacco è in consegna, arriverà entro domani.",
    "El pedido {order} ha sido enviado desde {city}.",
    "Zamówienie {order} zostało wysłane.",
    "Uw bestelling {order} is onderweg.",
    "GET /api/v2/products?page=3 200 12ms",
    "Deployed {version} to eu-west-1, all health checks green.",
    "Customer asked about bulk pricing for {company}.",
    "Order {order}: 2 items backordered, ETA {date}.",
    "Looks great, fits as expected. Shipping was fast.",
    "Please call back about the warranty, no rush.",
  ]

  static func templates(_ list: [String], _ split: CorpusSplit) -> [String] {
    list.enumerated().filter { ($0.offset % 2 == 0) == (split == .train) }.map(\.element)
  }

  static let trainSensitive = templates(sensitive, .train)
  static let heldOutSensitive = templates(sensitive, .heldOut)
  static let trainNeutral = templates(neutral, .train)
  static let heldOutNeutral = templates(neutral, .heldOut)
}

extension DocumentContext {
  /// A free-text leaf: sensitive (with the embedded types as labels) or neutral.
  mutating func freeText(sensitive: Bool? = nil, person: Person? = nil) -> DocumentNode {
    freeText(template: textTemplate(sensitive: sensitive), person: person)
  }

  /// A template to fill; arrays fill one template per element so that every element of the array
  /// carries the same types.
  mutating func textTemplate(sensitive: Bool? = nil) -> String {
    let useSensitive = sensitive ?? chance(0.5)
    let list =
      useSensitive
      ? (split == .train ? FreeText.trainSensitive : FreeText.heldOutSensitive)
      : (split == .train ? FreeText.trainNeutral : FreeText.heldOutNeutral)
    return pick(list)
  }

  mutating func freeText(template: String, person: Person? = nil) -> DocumentNode {
    let (text, types) = fill(template, person: person)
    return .string(text, types)
  }

  mutating func fill(_ template: String, person: Person?) -> (String, Set<DataType>) {
    var out = ""
    var types: Set<DataType> = []
    var rest = Substring(template)
    while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
      out += rest[..<open]
      let slot = rest[rest.index(after: open)..<close]
      let (value, type) = slotValue(String(slot), person: person)
      out += value
      if let type { types.insert(type) }
      rest = rest[rest.index(after: close)...]
    }
    out += rest
    return (out, types)
  }

  private mutating func slotValue(_ slot: String, person: Person?) -> (String, DataType?) {
    switch slot {
    case "name": return (person?.full ?? fullName(), .personName)
    case "first": return (person?.first ?? pick(words.firstNames), .personName)
    case "email": return (person?.email ?? email(), .email)
    case "phone": return (person?.phone ?? phone(), .phone)
    case "address": return (person?.address.full ?? address().full, .address)
    case "username": return (person?.username ?? username(), .username)
    case "dob":
      let birth: (year: Int, month: Int, day: Int) = person?.birth ?? (int(1950...2004), int(1...12), int(1...28))
      return (date(birth.year, birth.month, birth.day), .dateOfBirth)
    case "card": return (cardNumberText(), .cardNumber)
    case "expiry": return ("\(Self.pad2(int(1...12)))/\(int(26...33))", .cardExpiration)
    case "masked":
      if case .string(let text, _) = maskedCard() { return (text, .maskedCardNumber) }
      return ("**** **** **** 4242", .maskedCardNumber)
    case "ssn": return (ssn(), .usSSN)
    case "iban": return (iban(), .iban)
    case "bic": return (bic(), .swiftBIC)
    case "ip": return (ipAddress(), .ipAddress)
    case "mac": return (macAddress(bareAllowed: false), .macAddress)
    case "passport": return (passportNumber(), .passportNumber)
    case "jwt": return (jwt(), .jwt)
    case "apikey": return (vendorAPIKey(), .apiKey)
    case "password": return (password(), .password)
    case "icd": return (icd10(), .diagnosisCode)
    case "insurance": return (healthInsuranceID(), .healthInsuranceID)
    case "coords":
      let point = coordinates()
      return ("\(point.lat), \(point.lng)", .geoCoordinates)
    case "order":
      switch orderID() {
      case .string(let text, _): return (text, nil)
      case .number(let text, _): return (text, nil)
      default: return ("ORD-1", nil)
      }
    case "invoice":
      if case .string(let text, _) = invoiceID() { return (text, nil) }
      return ("INV-1", nil)
    case "tracking": return (trackingNumber(), nil)
    case "product": return (product(), nil)
    case "company": return (company(), nil)
    case "city": return (city(), nil)
    case "sku": return (sku(), nil)
    case "amount": return ("\(int(5...900)).\(Self.pad2(int(0...99))) \(locale.currency)", nil)
    case "date": return (date(int(2021...2026), int(1...12), int(1...28)), nil)
    case "version": return (version(), nil)
    case "hash": return (hexDigest(), nil)
    case "uuid": return (uuid(), nil)
    case "color": return (hexColor(), nil)
    case "port": return (String(int(1024...65000)), nil)
    default: return (slot, nil)
    }
  }
}
