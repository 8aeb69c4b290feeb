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

/// A field selector: `metadata.name=x,metadata.namespace!=kube-system`. Any dotted path into the
/// object is accepted, which covers `involvedObject.*` and `spec.nodeName` too.
public struct FieldSelector: Sendable, Equatable {
  public struct Requirement: Sendable, Equatable {
    public var path: [String]
    public var value: String
    public var negated: Bool
  }

  public var requirements: [Requirement]

  public static let everything = FieldSelector(requirements: [])

  public init(requirements: [Requirement]) {
    self.requirements = requirements
  }

  public init(parsing text: String) throws(FakeKubeError) {
    var requirements: [Requirement] = []
    for clause in text.split(separator: ",").map({ String($0).trimmed }) where !clause.isEmpty {
      var parsed: Requirement?
      for (op, negated) in [("!=", true), ("==", false), ("=", false)] {
        if let range = clause.range(of: op) {
          let path = clause[..<range.lowerBound].trimmed.split(separator: ".").map(String.init)
          parsed = Requirement(path: path, value: String(clause[range.upperBound...]).trimmed, negated: negated)
          break
        }
      }
      guard let parsed, !parsed.path.isEmpty else {
        throw .badRequest("invalid field selector: \(clause) is not of the form key=value")
      }
      requirements.append(parsed)
    }
    self.requirements = requirements
  }

  public func matches(_ object: JSONValue) -> Bool {
    requirements.allSatisfy { requirement in
      let actual: String =
        switch object[path: requirement.path] {
        case .string(let text): text
        case .int(let number): String(number)
        case .bool(let flag): String(flag)
        default: ""
        }
      return (actual == requirement.value) != requirement.negated
    }
  }
}

extension StringProtocol {
  var trimmed: String {
    String(self).trimmingCharacters(in: .whitespaces)
  }
}
