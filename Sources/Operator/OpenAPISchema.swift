import KubeModel

/// One node of an OpenAPI v3 structural schema, as a CustomResourceDefinition carries it.
///
/// The CRD is described once with these values; `json` renders the node for the API server and
/// `applyingDefaults(to:)` fills in defaults the way the API server does (top-down: a defaulted
/// object is itself defaulted), so tests and the operator can see what a stored object holds.
public struct OpenAPISchema: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable {
    case object, array, string, integer, boolean
  }

  public var kind: Kind
  public var description: String?
  /// Properties in the order they are declared.
  public var properties: [(name: String, schema: OpenAPISchema)] = []
  public var required: [String] = []
  /// A map's value schema (`additionalProperties`).
  public var values: Box?
  /// An array's element schema.
  public var items: Box?
  public var defaultValue: JSONValue?
  public var allowed: [String]?
  public var minimum: Int64?
  public var maximum: Int64?
  public var minLength: Int?
  public var maxLength: Int?
  public var minItems: Int?
  public var pattern: String?
  public var format: String?

  /// Indirection for the recursive members.
  public final class Box: Sendable, Hashable {
    public let schema: OpenAPISchema
    init(_ schema: OpenAPISchema) { self.schema = schema }
    public static func == (lhs: Box, rhs: Box) -> Bool { lhs.schema == rhs.schema }
    public func hash(into hasher: inout Hasher) { hasher.combine(schema) }
  }

  init(_ kind: Kind, _ description: String?) {
    self.kind = kind
    self.description = description
  }

  public static func == (lhs: OpenAPISchema, rhs: OpenAPISchema) -> Bool { lhs.json == rhs.json }
  public func hash(into hasher: inout Hasher) { hasher.combine(json) }

  // MARK: Building

  static func object(
    _ description: String?, required: [String] = [], defaultValue: JSONValue? = nil,
    _ properties: KeyValuePairs<String, OpenAPISchema>
  ) -> OpenAPISchema {
    var node = OpenAPISchema(.object, description)
    node.properties = properties.map { (name: $0.key, schema: $0.value) }
    node.required = required
    node.defaultValue = defaultValue
    return node
  }

  /// An object whose keys are free and whose values all follow `values`.
  static func map(_ description: String?, of values: OpenAPISchema, defaultValue: JSONValue? = nil) -> OpenAPISchema {
    var node = OpenAPISchema(.object, description)
    node.values = Box(values)
    node.defaultValue = defaultValue
    return node
  }

  static func array(
    _ description: String?, of items: OpenAPISchema, minItems: Int? = nil, defaultValue: JSONValue? = nil
  ) -> OpenAPISchema {
    var node = OpenAPISchema(.array, description)
    node.items = Box(items)
    node.minItems = minItems
    node.defaultValue = defaultValue
    return node
  }

  static func string(
    _ description: String?, defaultValue: String? = nil, allowed: [String]? = nil, pattern: String? = nil,
    minLength: Int? = nil, maxLength: Int? = nil, format: String? = nil
  ) -> OpenAPISchema {
    var node = OpenAPISchema(.string, description)
    node.defaultValue = defaultValue.map(JSONValue.string)
    node.allowed = allowed
    node.pattern = pattern
    node.minLength = minLength
    node.maxLength = maxLength
    node.format = format
    return node
  }

  static func integer(
    _ description: String?, defaultValue: Int64? = nil, minimum: Int64? = nil, maximum: Int64? = nil,
    format: String? = nil
  ) -> OpenAPISchema {
    var node = OpenAPISchema(.integer, description)
    node.defaultValue = defaultValue.map(JSONValue.int)
    node.minimum = minimum
    node.maximum = maximum
    node.format = format
    return node
  }

  static func boolean(_ description: String?, defaultValue: Bool? = nil) -> OpenAPISchema {
    var node = OpenAPISchema(.boolean, description)
    node.defaultValue = defaultValue.map(JSONValue.bool)
    return node
  }

  // MARK: Reading

  /// The schema of property `name`, nil when the object does not declare it.
  public func property(_ name: String) -> OpenAPISchema? {
    properties.first { $0.name == name }?.schema
  }

  /// The schema at a path of property names; `[]` steps into array items and `{}` into map
  /// values. Nil when the schema has no such place.
  public func schema(at path: [String]) -> OpenAPISchema? {
    var node = self
    for step in path {
      switch step {
      case "[]":
        guard let items = node.items else { return nil }
        node = items.schema
      case "{}":
        guard let values = node.values else { return nil }
        node = values.schema
      default:
        guard let next = node.property(step) else { return nil }
        node = next
      }
    }
    return node
  }

  /// The node as the CRD carries it under `openAPIV3Schema`.
  public var json: JSONValue {
    var members: [String: JSONValue] = ["type": .string(kind.rawValue)]
    if let description { members["description"] = .string(description) }
    if !properties.isEmpty {
      members["properties"] = .object(Dictionary(uniqueKeysWithValues: properties.map { ($0.name, $0.schema.json) }))
    }
    if !required.isEmpty { members["required"] = .array(required.map(JSONValue.string)) }
    if let values { members["additionalProperties"] = values.schema.json }
    if let items { members["items"] = items.schema.json }
    if let defaultValue { members["default"] = defaultValue }
    if let allowed { members["enum"] = .array(allowed.map(JSONValue.string)) }
    if let minimum { members["minimum"] = .int(minimum) }
    if let maximum { members["maximum"] = .int(maximum) }
    if let minLength { members["minLength"] = .int(Int64(minLength)) }
    if let maxLength { members["maxLength"] = .int(Int64(maxLength)) }
    if let minItems { members["minItems"] = .int(Int64(minItems)) }
    if let pattern { members["pattern"] = .string(pattern) }
    if let format { members["format"] = .string(format) }
    return .object(members)
  }

  // MARK: Defaulting

  /// `value` with this schema's defaults filled in where properties are missing, then each
  /// present member defaulted by its own schema, as the API server does before storing.
  public func applyingDefaults(to value: JSONValue) -> JSONValue {
    switch value {
    case .object(var members):
      for (name, schema) in properties where members[name] == nil {
        if let defaultValue = schema.defaultValue { members[name] = defaultValue }
      }
      for (name, member) in members {
        if let schema = property(name) {
          members[name] = schema.applyingDefaults(to: member)
        } else if let values {
          members[name] = values.schema.applyingDefaults(to: member)
        }
      }
      return .object(members)
    case .array(let elements):
      guard let items else { return value }
      return .array(elements.map { items.schema.applyingDefaults(to: $0) })
    default:
      return value
    }
  }
}
