import Foundation
import KubeModel

/// What a served CRD version adds to a `ResourceType`: the definition it came from, its schema and
/// its printer columns.
public struct CustomResourceVersion: Sendable, Hashable {
  /// The CRD's name (`plural.group`), so its types can be found again when it changes or goes.
  public var definitionName: String
  /// Nil when the version declares no schema (only possible for CRDs written by hand in tests).
  public var schema: StructuralSchema?
  /// The declared `additionalPrinterColumns`; empty means NAME and AGE.
  public var printerColumns: [PrinterColumn]

  public init(definitionName: String, schema: StructuralSchema?, printerColumns: [PrinterColumn]) {
    self.definitionName = definitionName
    self.schema = schema
    self.printerColumns = printerColumns
  }
}

/// One of a CRD version's `additionalPrinterColumns`.
public struct PrinterColumn: Sendable, Hashable {
  public var name: String
  /// `integer`, `number`, `string`, `boolean` or `date`.
  public var type: String
  public var format: String
  public var description: String
  /// Columns above 0 are shown only by `kubectl get -o wide`.
  public var priority: Int64
  public var jsonPath: JSONPath
}

/// How a write treats fields the schema does not declare: the `fieldValidation` query parameter.
enum FieldValidation: String {
  /// 400 BadRequest naming the unknown fields.
  case strict = "Strict"
  /// Prune them and say so in a `Warning` header.
  case warn = "Warn"
  /// Prune them silently.
  case ignore = "Ignore"

  /// The server's default when the client sends none is `Warn`.
  init(query: String?) {
    self = query.flatMap(FieldValidation.init(rawValue:)) ?? .warn
  }
}

/// Turns CustomResourceDefinitions into served resource types and keeps the registry in step with
/// them, as the apiextensions-apiserver's controllers do; and admits custom resources through
/// their schemas.
enum CustomResourceDefinitions {
  static let group = "apiextensions.k8s.io"
  static let plural = "customresourcedefinitions"

  static func isDefinition(_ type: ResourceType) -> Bool {
    type.group == group && type.plural == plural
  }

  // MARK: Definitions

  /// A CRD as the server stores it: checked, with the defaults a real server fills in
  /// (`names.singular`, `names.listKind`, `conversion`).
  static func admitted(_ crd: JSONValue) throws(FakeKubeError) -> JSONValue {
    let name = crd[path: ["metadata", "name"]]?.stringValue ?? ""
    func invalid(_ field: String, _ detail: String) -> FakeKubeError {
      .invalid(kind: "CustomResourceDefinition.\(group)", name: name, field: field, detail: detail)
    }
    guard let specGroup = crd[path: ["spec", "group"]]?.stringValue, !specGroup.isEmpty else {
      throw invalid("spec.group", "Required value")
    }
    guard let kind = crd[path: ["spec", "names", "kind"]]?.stringValue, !kind.isEmpty else {
      throw invalid("spec.names.kind", "Required value")
    }
    guard let plural = crd[path: ["spec", "names", "plural"]]?.stringValue, !plural.isEmpty else {
      throw invalid("spec.names.plural", "Required value")
    }
    guard name == "\(plural).\(specGroup)" else {
      throw invalid("metadata.name", "Invalid value: \"\(name)\": must be spec.names.plural+\".\"+spec.group")
    }
    let scope = crd[path: ["spec", "scope"]]?.stringValue ?? ""
    guard ["Namespaced", "Cluster"].contains(scope) else {
      throw invalid("spec.scope", "Unsupported value: \"\(scope)\": supported values: \"Cluster\", \"Namespaced\"")
    }
    let versions = crd[path: ["spec", "versions"]]?.arrayValue ?? []
    guard !versions.isEmpty else {
      throw invalid("spec.versions", "Invalid value: null: must have exactly one version marked as storage version")
    }
    guard versions.filter({ $0["storage"]?.boolValue == true }).count == 1 else {
      throw invalid(
        "spec.versions",
        "Invalid value: \(JSONValue.array(versions).serialized): must have exactly one version marked as storage version"
      )
    }
    var result = crd
    if result[path: ["spec", "names", "singular"]] == nil {
      result.set(.string(kind.lowercased()), at: ["spec", "names", "singular"])
    }
    if result[path: ["spec", "names", "listKind"]] == nil {
      result.set(.string("\(kind)List"), at: ["spec", "names", "listKind"])
    }
    if result[path: ["spec", "conversion"]] == nil {
      result.set(["strategy": "None"], at: ["spec", "conversion"])
    }
    // Printer columns whose JSONPath cannot be read are rejected now rather than on the first `get`.
    _ = try resourceTypes(of: result)
    return result
  }

  /// The resource types a CRD serves, one per served version.
  static func resourceTypes(of crd: JSONValue) throws(FakeKubeError) -> [ResourceType] {
    let name = crd[path: ["metadata", "name"]]?.stringValue ?? ""
    let spec = crd["spec"] ?? [:]
    let names = spec["names"] ?? [:]
    let strings = { (key: String) in (names[key]?.arrayValue ?? []).compactMap(\.stringValue) }
    var types: [ResourceType] = []
    for version in spec["versions"]?.arrayValue ?? [] where version["served"]?.boolValue != false {
      guard let versionName = version["name"]?.stringValue else { continue }
      var columns: [PrinterColumn] = []
      for column in version["additionalPrinterColumns"]?.arrayValue ?? [] {
        let path = column["jsonPath"]?.stringValue ?? ""
        columns.append(
          PrinterColumn(
            name: column["name"]?.stringValue ?? "", type: column["type"]?.stringValue ?? "string",
            format: column["format"]?.stringValue ?? "", description: column["description"]?.stringValue ?? "",
            priority: column["priority"]?.intValue ?? 0, jsonPath: try JSONPath(parsing: path)))
      }
      var subresources: [String] = []
      if version[path: ["subresources", "status"]] != nil { subresources.append("status") }
      let kind = names["kind"]?.stringValue ?? ""
      var type = ResourceType(
        group: spec["group"]?.stringValue ?? "", version: versionName, kind: kind,
        plural: names["plural"]?.stringValue ?? "", singular: names["singular"]?.stringValue ?? kind.lowercased(),
        shortNames: strings("shortNames"), namespaced: spec["scope"]?.stringValue != "Cluster",
        categories: strings("categories"), subresources: subresources)
      type.custom = CustomResourceVersion(
        definitionName: name, schema: version[path: ["schema", "openAPIV3Schema"]].map(StructuralSchema.init),
        printerColumns: columns)
      types.append(type)
    }
    return types
  }

  /// The status a CRD gets once its names are accepted: `NamesAccepted` and `Established` True,
  /// `acceptedNames` as asked, and the storage version recorded. Transition times already set for
  /// the same condition status are kept, so computing it twice changes nothing.
  static func acceptedStatus(of crd: JSONValue, now: Date) -> JSONValue {
    let previous = crd[path: ["status", "conditions"]]?.arrayValue ?? []
    let timestamp = now.formatted(.iso8601)
    func condition(_ type: String, reason: String, message: String) -> JSONValue {
      let earlier = previous.first { $0["type"]?.stringValue == type && $0["status"] == "True" }
      return [
        "type": .string(type), "status": "True", "reason": .string(reason), "message": .string(message),
        "lastTransitionTime": earlier?["lastTransitionTime"] ?? .string(timestamp),
      ]
    }
    var storedVersions = crd[path: ["status", "storedVersions"]]?.arrayValue ?? []
    let storage = (crd[path: ["spec", "versions"]]?.arrayValue ?? []).first { $0["storage"]?.boolValue == true }
    if let version = storage?["name"], !storedVersions.contains(version) { storedVersions.append(version) }
    return [
      "acceptedNames": crd[path: ["spec", "names"]] ?? [:],
      "conditions": [
        condition("NamesAccepted", reason: "NoConflicts", message: "no conflicts found"),
        condition("Established", reason: "InitialNamesAccepted", message: "the initial names have been accepted"),
      ],
      "storedVersions": .array(storedVersions),
    ]
  }

  // MARK: Custom resources

  /// A custom resource as it is stored: defaulted, pruned (or rejected under `Strict` when it has
  /// unknown fields), then validated. Returns the warnings `Warn` asks for.
  static func admit(
    _ object: JSONValue, as type: ResourceType, validation: FieldValidation
  ) throws(FakeKubeError) -> (object: JSONValue, warnings: [String]) {
    guard let schema = type.custom?.schema else { return (object, []) }
    let (pruned, removed) = schema.pruned(object)
    if validation == .strict, !removed.isEmpty {
      throw .unknownFields(kind: type.kind, version: type.version, fields: removed)
    }
    let defaulted = schema.defaulted(pruned)
    let causes = schema.validate(defaulted)
    if !causes.isEmpty {
      let name = defaulted[path: ["metadata", "name"]]?.stringValue ?? ""
      throw .invalidFields(kind: type.kind, group: type.group, name: name, causes: causes)
    }
    let warnings = validation == .warn ? removed.map { "unknown field \"\($0)\"" } : []
    return (defaulted, warnings)
  }
}
