import Foundation
import KubeModel

/// A label selector in the query-string syntax kubectl sends: `app=web,tier!=db`,
/// `env in (prod,staging)`, `env notin (dev)`, `track` (exists), `!track` (does not exist).
public struct LabelSelector: Sendable, Equatable {
  public enum Requirement: Sendable, Equatable {
    case equals(String, String)
    case notEquals(String, String)
    case isIn(String, Set<String>)
    case notIn(String, Set<String>)
    case exists(String)
    case doesNotExist(String)
  }

  public var requirements: [Requirement]

  public static let everything = LabelSelector(requirements: [])

  public init(requirements: [Requirement]) {
    self.requirements = requirements
  }

  /// Parses the selector syntax; an empty string selects everything.
  public init(parsing text: String) throws(FakeKubeError) {
    var requirements: [Requirement] = []
    for clause in Self.splitClauses(text) {
      let clause = clause.trimmed
      if clause.isEmpty { continue }
      requirements.append(try Self.parseClause(clause, in: text))
    }
    self.requirements = requirements
  }

  /// Reads a `metav1.LabelSelector` object (`matchLabels` and `matchExpressions`), as workloads
  /// carry it in `spec.selector`.
  public init(labelSelector selector: JSONValue) throws(FakeKubeError) {
    var requirements: [Requirement] = []
    for key in (selector["matchLabels"]?.objectValue ?? [:]).keys.sorted() {
      requirements.append(.equals(key, selector[path: ["matchLabels", key]]?.stringValue ?? ""))
    }
    for expression in selector["matchExpressions"]?.arrayValue ?? [] {
      let key = expression["key"]?.stringValue ?? ""
      let values = Set((expression["values"]?.arrayValue ?? []).compactMap(\.stringValue))
      let requirement: Requirement
      switch expression["operator"]?.stringValue ?? "" {
      case "In": requirement = .isIn(key, values)
      case "NotIn": requirement = .notIn(key, values)
      case "Exists": requirement = .exists(key)
      case "DoesNotExist": requirement = .doesNotExist(key)
      case let other: throw .badRequest("\(JSONValue.string(other).serialized) is not a valid label selector operator")
      }
      requirements.append(requirement)
    }
    self.requirements = requirements
  }

  /// Whether an object with these labels is selected.
  public func matches(_ labels: [String: String]) -> Bool {
    requirements.allSatisfy { requirement in
      switch requirement {
      case .equals(let key, let value): labels[key] == value
      case .notEquals(let key, let value): labels[key] != value
      case .isIn(let key, let values): labels[key].map(values.contains) ?? false
      case .notIn(let key, let values): !(labels[key].map(values.contains) ?? false)
      case .exists(let key): labels[key] != nil
      case .doesNotExist(let key): labels[key] == nil
      }
    }
  }

  /// Splits on commas that are not inside the parentheses of `in (…)`.
  private static func splitClauses(_ text: String) -> [String] {
    var clauses: [String] = []
    var current = ""
    var depth = 0
    for character in text {
      switch character {
      case "(": depth += 1
      case ")": depth -= 1
      case "," where depth == 0:
        clauses.append(current)
        current = ""
        continue
      default: break
      }
      current.append(character)
    }
    clauses.append(current)
    return clauses
  }

  private static func parseClause(_ clause: String, in text: String) throws(FakeKubeError) -> Requirement {
    let invalid = FakeKubeError.badRequest("unable to parse requirement: \(clause) in label selector \(text)")
    if clause.hasPrefix("!") {
      let key = String(clause.dropFirst()).trimmed
      guard isValidKey(key) else { throw invalid }
      return .doesNotExist(key)
    }
    for (op, make) in [("!=", Requirement.notEquals), ("==", Requirement.equals), ("=", Requirement.equals)] {
      if let range = clause.range(of: op) {
        let key = String(clause[..<range.lowerBound]).trimmed
        let value = String(clause[range.upperBound...]).trimmed
        guard isValidKey(key) else { throw invalid }
        return make(key, value)
      }
    }
    for (word, isIn) in [(" notin ", false), (" in ", true)] {
      if let range = clause.range(of: word) {
        let key = String(clause[..<range.lowerBound]).trimmed
        var list = String(clause[range.upperBound...]).trimmed
        guard isValidKey(key), list.hasPrefix("("), list.hasSuffix(")") else { throw invalid }
        list = String(list.dropFirst().dropLast())
        let values = Set(list.split(separator: ",").map { String($0).trimmed })
        return isIn ? .isIn(key, values) : .notIn(key, values)
      }
    }
    guard isValidKey(clause) else { throw invalid }
    return .exists(clause)
  }

  private static func isValidKey(_ key: String) -> Bool {
    !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || "-_./".contains($0) }
  }
}

/// A field selector: `metadata.name=x,metadata.namespace!=kube-system`, values escaped with `\\`
/// where they hold `,`, `=` or `\\`. Each kind supports the fields a real API server lets it be
/// selected by (see `supportedFields(of:)`); any other is a 400, as there.
public struct FieldSelector: Sendable, Equatable {
  public struct Requirement: Sendable, Equatable {
    /// The field label, such as `involvedObject.name`.
    public var field: String
    public var value: String
    public var negated: Bool

    public init(field: String, value: String, negated: Bool) {
      self.field = field
      self.value = value
      self.negated = negated
    }
  }

  public var requirements: [Requirement]

  public static let everything = FieldSelector(requirements: [])

  public init(requirements: [Requirement]) {
    self.requirements = requirements
  }

  public init(parsing text: String) throws(FakeKubeError) {
    var requirements: [Requirement] = []
    for clause in Self.splitUnescaped(text, on: ",").map(\.trimmed) where !clause.isEmpty {
      var parsed: Requirement?
      for (op, negated) in [("!=", true), ("==", false), ("=", false)] {
        if let range = Self.unescapedRange(of: op, in: clause) {
          parsed = Requirement(
            field: clause[..<range.lowerBound].trimmed,
            value: Self.unescape(String(clause[range.upperBound...]).trimmed), negated: negated)
          break
        }
      }
      guard let parsed, !parsed.field.isEmpty else {
        throw .badRequest("invalid field selector: \(clause) is not of the form key=value")
      }
      requirements.append(parsed)
    }
    self.requirements = requirements
  }

  /// Throws 400 for a field the kind cannot be selected by, with the API server's message.
  public func check(supportedBy type: ResourceType) throws(FakeKubeError) {
    let supported = Self.supportedFields(of: type)
    for requirement in requirements where !supported.contains(requirement.field) {
      throw .badRequest("field label not supported: \(requirement.field)")
    }
  }

  /// The fields a kind can be selected by: `metadata.name` always, `metadata.namespace` when it is
  /// namespaced, and the kind's own selectable fields for the built-in kinds that have them.
  public static func supportedFields(of type: ResourceType) -> Set<String> {
    var fields: Set<String> = ["metadata.name"]
    if type.namespaced { fields.insert("metadata.namespace") }
    switch (type.group, type.plural) {
    case ("", "events"):
      fields.formUnion([
        "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
        "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
        "reportingComponent", "source", "type",
      ])
    case ("", "pods"):
      fields.formUnion([
        "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork",
        "status.phase", "status.podIP", "status.nominatedNodeName",
      ])
    case ("", "secrets"): fields.insert("type")
    case ("", "namespaces"): fields.formUnion(["status.phase", "name"])
    case ("", "nodes"): fields.insert("spec.unschedulable")
    case ("apps", "replicasets"): fields.insert("status.replicas")
    case ("batch", "jobs"): fields.insert("status.successful")
    default: break
    }
    return fields
  }

  public func matches(_ object: JSONValue) -> Bool {
    requirements.allSatisfy { requirement in
      (Self.value(of: requirement.field, in: object) == requirement.value) != requirement.negated
    }
  }

  /// A field's value as a selector compares it: text, with the server's defaults for absent fields.
  static func value(of field: String, in object: JSONValue) -> String {
    switch field {
    case "source":
      // An event's source is its `source.component`, else its `reportingComponent`.
      let component = text(object[path: ["source", "component"]])
      return component.isEmpty ? text(object["reportingComponent"]) : component
    case "name": return text(object[path: ["metadata", "name"]])
    case "status.podIP": return text(object[path: ["status", "podIP"]])
    case "spec.hostNetwork", "spec.unschedulable":
      let flag = text(object[path: field.split(separator: ".").map(String.init)])
      return flag.isEmpty ? "false" : flag
    case "status.replicas", "status.successful":
      let count = text(object[path: field.split(separator: ".").map(String.init)])
      return count.isEmpty ? "0" : count
    default: return text(object[path: field.split(separator: ".").map(String.init)])
    }
  }

  private static func text(_ value: JSONValue?) -> String {
    switch value {
    case .string(let text): text
    case .int(let number): String(number)
    case .bool(let flag): String(flag)
    default: ""
    }
  }

  // MARK: Escaping

  /// Splits on separators not preceded by a backslash.
  private static func splitUnescaped(_ text: String, on separator: Character) -> [String] {
    var parts: [String] = []
    var current = ""
    var escaped = false
    for character in text {
      if escaped {
        current.append(character)
        escaped = false
      } else if character == "\\" {
        current.append(character)
        escaped = true
      } else if character == separator {
        parts.append(current)
        current = ""
      } else {
        current.append(character)
      }
    }
    parts.append(current)
    return parts
  }

  /// The first occurrence of an operator outside escapes.
  private static func unescapedRange(of op: String, in clause: String) -> Range<String.Index>? {
    var index = clause.startIndex
    while index < clause.endIndex {
      if clause[index] == "\\" {
        index = clause.index(after: index)
        if index < clause.endIndex { index = clause.index(after: index) }
        continue
      }
      if clause[index...].hasPrefix(op) { return index..<clause.index(index, offsetBy: op.count) }
      index = clause.index(after: index)
    }
    return nil
  }

  private static func unescape(_ value: String) -> String {
    var result = ""
    var escaped = false
    for character in value {
      if !escaped, character == "\\" {
        escaped = true
        continue
      }
      result.append(character)
      escaped = false
    }
    return result
  }
}

extension StringProtocol {
  var trimmed: String {
    String(self).trimmingCharacters(in: .whitespaces)
  }
}
