/// Realistic JSON documents (people, orders, addresses, tokens) of roughly a requested size,
/// so that bodies look like what the detector will meet: emails, names, phone numbers.
public enum SyntheticJSON {
  static let firstNames = [
    "Alice", "Bruno", "Chiara", "Dmitri", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Keiko", "Liam", "Maya",
    "Nikolai", "Olga", "Pedro",
  ]
  static let lastNames = [
    "Anders", "Bianchi", "Chen", "Dubois", "Evans", "Fischer", "Garcia", "Hansen", "Ivanova", "Jensen", "Kowalski",
    "Lopez", "Müller", "Nakamura", "Okafor", "Petrov",
  ]
  static let domains = ["example.com", "mail.example.org", "corp.example.net", "example.io"]
  static let cities = ["Lisbon", "Berlin", "Osaka", "Toronto", "Nairobi", "Lyon", "Austin", "Tallinn"]
  static let products = ["widget", "gadget", "sprocket", "gizmo", "doohickey", "thingamajig"]

  /// One person object as JSON text.
  public static func person(_ random: inout SeededGenerator, id: Int) -> String {
    let first = random.pick(firstNames)
    let last = random.pick(lastNames)
    let email = "\(first.lowercased()).\(last.lowercased())\(random.below(100))@\(random.pick(domains))"
    let phone = "+1-555-\(1000 + random.below(9000))"
    return """
      {"id":\(id),"firstName":"\(first)","lastName":"\(last)","email":"\(email)","phone":"\(phone)",\
      "address":{"street":"\(1 + random.below(200)) Main St","city":"\(random.pick(cities))","zip":"\(10000 + random.below(89999))"},\
      "active":\(random.chance(0.8)),"score":\(random.below(1000)).\(random.below(100))}
      """
  }

  /// One order object as JSON text.
  public static func order(_ random: inout SeededGenerator, id: Int) -> String {
    let items = (0..<(1 + random.below(3))).map { _ in
      "{\"sku\":\"\(random.pick(products))-\(random.below(9999))\",\"qty\":\(1 + random.below(5)),\"price\":\(random.below(500)).\(random.below(100))}"
    }
    return """
      {"orderId":"ord_\(id)","customerEmail":"\(random.pick(firstNames).lowercased())@\(random.pick(domains))",\
      "items":[\(items.joined(separator: ","))],"currency":"EUR","paid":\(random.chance(0.7))}
      """
  }

  /// A document of about `size` bytes (at least one record): a list of people and orders.
  public static func document(size: Int, seed: UInt64) -> [UInt8] {
    var random = SeededGenerator(seed: seed)
    var records: [String] = []
    var length = 20
    var id = 1
    repeat {
      let record = random.chance(0.6) ? person(&random, id: id) : order(&random, id: id)
      records.append(record)
      length += record.utf8.count + 1
      id += 1
    } while length < size
    return Array("{\"data\":[\(records.joined(separator: ","))],\"page\":1}".utf8)
  }

  /// A JSON object of exactly `size` bytes (size ≥ 12), for pinning size-limit boundaries.
  public static func exact(size: Int, seed: UInt64 = 1) -> [UInt8] {
    var random = SeededGenerator(seed: seed)
    let prefix = "{\"user\":\(person(&random, id: 1)),\"pad\":\""
    let suffix = "\"}"
    if prefix.utf8.count + suffix.utf8.count > size {
      let filler = max(0, size - 8)
      return Array(("{\"p\":\"" + String(repeating: "x", count: filler) + "\"}").utf8).prefix(size).map { $0 }
    }
    let padding = size - prefix.utf8.count - suffix.utf8.count
    var text = prefix
    let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
    text.reserveCapacity(size)
    for _ in 0..<padding { text.append(alphabet[random.below(alphabet.count)]) }
    return Array((text + suffix).utf8)
  }
}
