import KubeModel
import Yams

/// Reads the YAML bodies of server-side apply requests (`application/apply-patch+yaml`). kubectl
/// sends JSON, which is YAML too and is read as JSON first; other clients send YAML.
enum YAMLBody {
  /// The most values one document may expand to: aliases can make a small document huge.
  static let maximumValues = 1_000_000
  /// The deepest nesting accepted.
  static let maximumDepth = 256

  /// The document in `bytes`, which must be one mapping.
  static func parse(_ bytes: some Collection<UInt8>) throws(FakeKubeError) -> JSONValue {
    if let json = try? JSONValue(parsing: bytes) { return json }
    guard let text = String(validating: Array(bytes), as: UTF8.self) else {
      throw .badRequest("the applied configuration is not UTF-8 text")
    }
    let root: Yams.Node?
    do {
      root = try Yams.compose(yaml: text)
    } catch {
      throw .badRequest("the applied configuration is not valid YAML: \(error)")
    }
    guard let root else { throw .badRequest("the applied configuration is empty") }
    var budget = maximumValues
    let value = try convert(root, depth: 0, budget: &budget)
    guard value.objectValue != nil else { throw .badRequest("the applied configuration must be a YAML mapping") }
    return value
  }

  private static func convert(_ node: Yams.Node, depth: Int, budget: inout Int) throws(FakeKubeError) -> JSONValue {
    budget -= 1
    guard budget >= 0 else {
      throw .badRequest("the applied configuration expands to more than \(maximumValues) values")
    }
    guard depth < maximumDepth else {
      throw .badRequest("the applied configuration nests deeper than \(maximumDepth) levels")
    }
    switch node {
    case .scalar(let scalar):
      switch node.tag.rawValue {
      case Tag.Name.null.rawValue: return .null
      case Tag.Name.bool.rawValue: return node.bool.map(JSONValue.bool) ?? .string(scalar.string)
      case Tag.Name.int.rawValue: return Int64.construct(from: scalar).map(JSONValue.int) ?? .string(scalar.string)
      case Tag.Name.float.rawValue: return node.float.map(JSONValue.double) ?? .string(scalar.string)
      default: return .string(scalar.string)
      }
    case .mapping(let mapping):
      var members: [String: JSONValue] = [:]
      for (key, value) in mapping {
        guard let name = key.scalar?.string else {
          throw .badRequest("the applied configuration has a mapping key that is not a string")
        }
        members[name] = try convert(value, depth: depth + 1, budget: &budget)
      }
      return .object(members)
    case .sequence(let sequence):
      var elements: [JSONValue] = []
      for element in sequence { elements.append(try convert(element, depth: depth + 1, budget: &budget)) }
      return .array(elements)
    case .alias:
      throw .badRequest("the applied configuration has an alias that names no anchor")
    }
  }
}
