// apiextensions.k8s.io/v1: CustomResourceDefinitions, enough to install one and wait until it is
// served. Schemas stay `JSONValue`: they are written from YAML, not built field by field.

/// Teaches the API server a new kind. The kind is served once the `Established` condition is `True`.
public struct CustomResourceDefinition: KubeResource, Hashable {
  public static let group = "apiextensions.k8s.io"
  public static let version = "v1"
  public static let kind = "CustomResourceDefinition"
  public static let plural = "customresourcedefinitions"
  public static let namespaced = false

  /// `metadata.name` must be `<plural>.<group>`.
  public var metadata: ObjectMeta
  public var spec: Spec
  public var status: Status?

  public struct Spec: Codable, Sendable, Hashable {
    public var group: String
    public var names: Names
    /// `Namespaced` or `Cluster`.
    public var scope: String
    public var versions: [Version]
    public var conversion: JSONValue?
    public var preserveUnknownFields: Bool?

    public init(
      group: String, names: Names, scope: String, versions: [Version], conversion: JSONValue? = nil,
      preserveUnknownFields: Bool? = nil
    ) {
      self.group = group
      self.names = names
      self.scope = scope
      self.versions = versions
      self.conversion = conversion
      self.preserveUnknownFields = preserveUnknownFields
    }
  }

  public struct Names: Codable, Sendable, Hashable {
    public var kind: String
    public var plural: String
    public var singular: String?
    public var shortNames: [String]?
    public var listKind: String?
    public var categories: [String]?

    public init(
      kind: String, plural: String, singular: String? = nil, shortNames: [String]? = nil, listKind: String? = nil,
      categories: [String]? = nil
    ) {
      self.kind = kind
      self.plural = plural
      self.singular = singular
      self.shortNames = shortNames
      self.listKind = listKind
      self.categories = categories
    }
  }

  public struct Version: Codable, Sendable, Hashable {
    public var name: String
    public var served: Bool
    /// Exactly one version is stored.
    public var storage: Bool
    public var schema: Schema?
    /// `{"status": {}}` serves the status subresource; `{"scale": {...}}` the scale one.
    public var subresources: JSONValue?
    public var additionalPrinterColumns: [JSONValue]?
    public var deprecated: Bool?

    public init(
      name: String, served: Bool = true, storage: Bool = true, schema: Schema? = nil, subresources: JSONValue? = nil,
      additionalPrinterColumns: [JSONValue]? = nil, deprecated: Bool? = nil
    ) {
      self.name = name
      self.served = served
      self.storage = storage
      self.schema = schema
      self.subresources = subresources
      self.additionalPrinterColumns = additionalPrinterColumns
      self.deprecated = deprecated
    }
  }

  public struct Schema: Codable, Sendable, Hashable {
    public var openAPIV3Schema: JSONValue?
    public init(openAPIV3Schema: JSONValue? = nil) { self.openAPIV3Schema = openAPIV3Schema }
  }

  public struct Status: Codable, Sendable, Hashable {
    /// `NamesAccepted` and `Established`, among others.
    public var conditions: [Condition]?
    public var acceptedNames: Names?
    public var storedVersions: [String]?

    public init(conditions: [Condition]? = nil, acceptedNames: Names? = nil, storedVersions: [String]? = nil) {
      self.conditions = conditions
      self.acceptedNames = acceptedNames
      self.storedVersions = storedVersions
    }
  }

  public struct Condition: Codable, Sendable, Hashable {
    public var type: String
    public var status: String
    public var lastTransitionTime: Timestamp?
    public var reason: String?
    public var message: String?

    public init(
      type: String, status: String, reason: String? = nil, message: String? = nil,
      lastTransitionTime: Timestamp? = nil
    ) {
      self.type = type
      self.status = status
      self.reason = reason
      self.message = message
      self.lastTransitionTime = lastTransitionTime
    }
  }

  public init(metadata: ObjectMeta = ObjectMeta(), spec: Spec, status: Status? = nil) {
    self.metadata = metadata
    self.spec = spec
    self.status = status
  }

  /// Whether the API server serves the kind yet.
  public var isEstablished: Bool {
    status?.conditions?.contains { $0.type == "Established" && $0.status == "True" } ?? false
  }
}
