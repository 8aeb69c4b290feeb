import Foundation
import KubeModel

/// The PATCH bodies the server understands.
public enum PatchType: String, Sendable {
  case merge = "application/merge-patch+json"
  case strategicMerge = "application/strategic-merge-patch+json"
  case json = "application/json-patch+json"
  /// Server-side apply: the body is the applied configuration, in YAML or JSON. `ServerSideApply`
  /// handles it, with field ownership; `apply(_:to:)` does not.
  case apply = "application/apply-patch+yaml"

  /// The patch type named by a Content-Type header, parameters ignored.
  public init(contentType: String) throws(FakeKubeError) {
    let mediaType = contentType.split(separator: ";").first.map { String($0).trimmed.lowercased() } ?? ""
    guard let known = PatchType(rawValue: mediaType) else { throw .unsupportedMediaType(contentType) }
    self = known
  }

  /// Applies `patch` to `target`.
  public func apply(_ patch: JSONValue, to target: JSONValue) throws(FakeKubeError) -> JSONValue {
    switch self {
    case .merge: return Self.mergePatch(target, patch)
    case .strategicMerge: return Self.strategicMerge(target, patch, field: nil)
    case .json: return try JSONPatch(patch).apply(to: target)
    case .apply: throw .unsupportedMediaType("\(rawValue) (server-side apply is not served here)")
    }
  }

  /// RFC 7386: objects merge member by member, `null` removes, anything else replaces.
  static func mergePatch(_ target: JSONValue, _ patch: JSONValue) -> JSONValue {
    guard case .object(let patchMembers) = patch else { return patch }
    var result = target.objectValue ?? [:]
    for (key, value) in patchMembers {
      if value == .null {
        result[key] = nil
      } else {
        result[key] = mergePatch(result[key] ?? .null, value)
      }
    }
    return .object(result)
  }

  /// The list fields of built-in kinds that strategic merge patches merge element by element, and
  /// the key that identifies an element. `ports` is keyed by `containerPort` in containers and by
  /// `port` in Services; the elements tell which.
  static let mergeKeys: [String: String] = [
    "containers": "name", "initContainers": "name", "ephemeralContainers": "name", "env": "name",
    "volumes": "name", "volumeMounts": "mountPath", "volumeDevices": "devicePath", "imagePullSecrets": "name",
    "hostAliases": "ip", "conditions": "type", "ownerReferences": "uid", "ports": "port",
  ]

  /// Lists of strings that strategic merge patches treat as sets.
  static let mergedPrimitiveLists: Set<String> = ["finalizers"]

  /// The subset of strategic merge patch that kubectl sends when re-applying built-in kinds:
  /// maps merge, keyed lists (see `mergeKeys`) merge by key, other lists replace, and the
  /// directives `$patch` (replace, delete), `$setElementOrder/…`, `$deleteFromPrimitiveList/…`
  /// and `$retainKeys` are honoured.
  static func strategicMerge(_ target: JSONValue, _ patch: JSONValue, field: String?) -> JSONValue {
    guard case .object(var patchMembers) = patch else { return patch }
    if let directive = patchMembers.removeValue(forKey: "$patch")?.stringValue, directive == "replace" {
      return .object(patchMembers)
    }
    var result = target.objectValue ?? [:]
    let retainKeys = patchMembers.removeValue(forKey: "$retainKeys")?.arrayValue?.compactMap(\.stringValue)
    var elementOrders: [String: [JSONValue]] = [:]
    for (key, value) in patchMembers {
      if key.hasPrefix("$setElementOrder/") {
        elementOrders[String(key.dropFirst("$setElementOrder/".count))] = value.arrayValue ?? []
      } else if key.hasPrefix("$deleteFromPrimitiveList/") {
        let listField = String(key.dropFirst("$deleteFromPrimitiveList/".count))
        let removed = value.arrayValue ?? []
        if let current = result[listField]?.arrayValue {
          result[listField] = .array(current.filter { !removed.contains($0) })
        }
      } else if value == .null {
        result[key] = nil
      } else if case .object(let members) = value, members["$patch"]?.stringValue == "delete" {
        result[key] = nil
      } else if case .array(let elements) = value {
        result[key] = mergeList(result[key]?.arrayValue ?? [], elements, field: key)
      } else if case .object = value {
        result[key] = strategicMerge(result[key] ?? .object([:]), value, field: key)
      } else {
        result[key] = value
      }
    }
    for (listField, order) in elementOrders {
      guard let elements = result[listField]?.arrayValue else { continue }
      result[listField] = .array(reorder(elements, by: order, field: listField))
    }
    if let retainKeys {
      result = result.filter { retainKeys.contains($0.key) }
    }
    return .object(result)
  }

  private static func mergeList(_ current: [JSONValue], _ patch: [JSONValue], field: String) -> JSONValue {
    if patch.contains(where: { $0["$patch"]?.stringValue == "replace" }) {
      return .array(patch.filter { $0["$patch"] == nil })
    }
    if mergedPrimitiveLists.contains(field) {
      return .array(current + patch.filter { !current.contains($0) })
    }
    guard var mergeKey = mergeKeys[field], patch.allSatisfy({ $0.objectValue != nil }) else { return .array(patch) }
    if field == "ports", patch.contains(where: { $0["containerPort"] != nil }) { mergeKey = "containerPort" }
    var merged = current
    for element in patch {
      guard let identity = element[mergeKey] else {
        merged.append(element)
        continue
      }
      let index = merged.firstIndex { $0[mergeKey] == identity }
      if element["$patch"]?.stringValue == "delete" {
        if let index { merged.remove(at: index) }
      } else if let index {
        merged[index] = strategicMerge(merged[index], element, field: nil)
      } else {
        merged.append(strategicMerge(.object([:]), element, field: nil))
      }
    }
    return .array(merged)
  }

  /// Orders elements as `$setElementOrder` lists them; elements it does not name keep their place at the end.
  private static func reorder(_ elements: [JSONValue], by order: [JSONValue], field: String) -> [JSONValue] {
    let key: String? =
      mergeKeys[field].map { key in
        field == "ports" && elements.contains(where: { $0["containerPort"] != nil }) ? "containerPort" : key
      }
    func identity(_ value: JSONValue) -> JSONValue { key.flatMap { value[$0] } ?? value }
    let wanted = order.map(identity)
    var ordered: [JSONValue] = []
    for identityValue in wanted {
      if let element = elements.first(where: { identity($0) == identityValue }) { ordered.append(element) }
    }
    ordered += elements.filter { !wanted.contains(identity($0)) }
    return ordered
  }
}

/// RFC 6902 JSON Patch: add, remove, replace, move, copy and test on RFC 6901 pointers.
struct JSONPatch {
  struct Operation {
    var op: String
    var path: [String]
    var from: [String]?
    var value: JSONValue?
  }

  var operations: [Operation]

  init(_ document: JSONValue) throws(FakeKubeError) {
    guard let elements = document.arrayValue else { throw .badRequest("a JSON patch must be an array of operations") }
    var operations: [Operation] = []
    for element in elements {
      guard let op = element["op"]?.stringValue, let path = element["path"]?.stringValue else {
        throw .badRequest("a JSON patch operation needs \"op\" and \"path\"")
      }
      operations.append(
        Operation(
          op: op, path: Self.pointer(path), from: element["from"]?.stringValue.map(Self.pointer),
          value: element["value"]))
    }
    self.operations = operations
  }

  func apply(to target: JSONValue) throws(FakeKubeError) -> JSONValue {
    var document = target
    for operation in operations {
      switch operation.op {
      case "add": try Self.put(operation.value ?? .null, at: operation.path, in: &document, inserting: true)
      case "replace":
        _ = try Self.take(operation.path, from: &document)
        try Self.put(operation.value ?? .null, at: operation.path, in: &document, inserting: true)
      case "remove": _ = try Self.take(operation.path, from: &document)
      case "move":
        let value = try Self.take(operation.from ?? [], from: &document)
        try Self.put(value, at: operation.path, in: &document, inserting: true)
      case "copy":
        guard let value = Self.value(at: operation.from ?? [], in: document) else {
          throw .badRequest("JSON patch copy: nothing at the \"from\" path")
        }
        try Self.put(value, at: operation.path, in: &document, inserting: true)
      case "test":
        guard Self.value(at: operation.path, in: document) == operation.value else {
          throw .badRequest("JSON patch test failed at /\(operation.path.joined(separator: "/"))")
        }
      default: throw .badRequest("unknown JSON patch operation \(operation.op)")
      }
    }
    return document
  }

  static func pointer(_ text: String) -> [String] {
    text.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
      $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
    }
  }

  static func value(at path: [String], in document: JSONValue) -> JSONValue? {
    var current: JSONValue? = document
    for token in path {
      switch current {
      case .object(let members): current = members[token]
      case .array(let elements): current = Int(token).flatMap { elements.indices.contains($0) ? elements[$0] : nil }
      default: return nil
      }
    }
    return current
  }

  static func put(
    _ value: JSONValue, at path: [String], in document: inout JSONValue, inserting: Bool
  )
    throws(FakeKubeError)
  {
    guard let token = path.first else {
      document = value
      return
    }
    let rest = Array(path.dropFirst())
    switch document {
    case .object(var members):
      if rest.isEmpty {
        members[token] = value
      } else {
        guard var child = members[token] else { throw missing(path) }
        try put(value, at: rest, in: &child, inserting: inserting)
        members[token] = child
      }
      document = .object(members)
    case .array(var elements):
      let index = token == "-" ? elements.count : Int(token) ?? -1
      guard index >= 0, index <= elements.count else { throw missing(path) }
      if rest.isEmpty {
        elements.insert(value, at: index)
      } else {
        guard index < elements.count else { throw missing(path) }
        try put(value, at: rest, in: &elements[index], inserting: inserting)
      }
      document = .array(elements)
    default: throw missing(path)
    }
  }

  static func take(_ path: [String], from document: inout JSONValue) throws(FakeKubeError) -> JSONValue {
    guard let token = path.first else { throw .badRequest("JSON patch cannot remove the whole document") }
    let rest = Array(path.dropFirst())
    switch document {
    case .object(var members):
      guard var child = members[token] else { throw missing(path) }
      let taken: JSONValue
      if rest.isEmpty {
        taken = child
        members[token] = nil
      } else {
        taken = try take(rest, from: &child)
        members[token] = child
      }
      document = .object(members)
      return taken
    case .array(var elements):
      guard let index = Int(token), elements.indices.contains(index) else { throw missing(path) }
      let taken: JSONValue
      if rest.isEmpty {
        taken = elements.remove(at: index)
      } else {
        taken = try take(rest, from: &elements[index])
      }
      document = .array(elements)
      return taken
    default: throw missing(path)
    }
  }

  private static func missing(_ path: [String]) -> FakeKubeError {
    .badRequest("JSON patch: the path /\(path.joined(separator: "/")) does not exist")
  }
}
