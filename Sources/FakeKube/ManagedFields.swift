import KubeModel

/// One step of a field path as server-side apply names it: a member of a map (`f:replicas`), the
/// element of an associative list with these key fields (`k:{"name":"web"}`), or the element of a
/// set (`v:"example.com/hold"`).
public enum FieldPathElement: Hashable, Sendable {
  case field(String)
  /// The key fields of the element, as an object.
  case key(JSONValue)
  case value(JSONValue)

  /// The element as a key of a FieldsV1 document.
  public var fieldsV1Key: String {
    switch self {
    case .field(let name): "f:" + name
    case .key(let fields): "k:" + fields.serialized
    case .value(let value): "v:" + value.serialized
    }
  }

  /// Reads a FieldsV1 key; nil for anything else.
  public init?(fieldsV1Key key: String) {
    let body = String(key.dropFirst(2))
    switch key.prefix(2) {
    case "f:": self = .field(body)
    case "k:":
      guard let fields = try? JSONValue(parsing: Array(body.utf8)), fields.objectValue != nil else { return nil }
      self = .key(fields)
    case "v:":
      guard let value = try? JSONValue(parsing: Array(body.utf8)) else { return nil }
      self = .value(value)
    default: return nil
    }
  }
}

/// The path of one field from the root of an object.
public struct FieldPath: Hashable, Sendable, Comparable {
  public var elements: [FieldPathElement]

  public init(_ elements: [FieldPathElement] = []) {
    self.elements = elements
  }

  /// A path of map members only, such as `["spec", "replicas"]`.
  public init(fields: String...) {
    elements = fields.map(FieldPathElement.field)
  }

  public func appending(_ element: FieldPathElement) -> FieldPath {
    FieldPath(elements + [element])
  }

  /// Whether the path ends at an element of a list (by key or by value) rather than a map member.
  public var isListElement: Bool {
    switch elements.last {
    case .key?, .value?: true
    default: false
    }
  }

  /// Whether this path is `other` or leads into it.
  public func isPrefix(of other: FieldPath) -> Bool {
    other.elements.count >= elements.count && Array(other.elements.prefix(elements.count)) == elements
  }

  public static func < (lhs: FieldPath, rhs: FieldPath) -> Bool {
    lhs.description < rhs.description
  }
}

extension FieldPath: CustomStringConvertible {
  /// As the API server writes a path in conflicts: `.spec.template.spec.containers[name="web"].image`.
  public var description: String {
    elements.map { element in
      switch element {
      case .field(let name): "." + name
      case .key(let fields):
        "["
          + (fields.objectValue ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.serialized)" }
          .joined(separator: ",") + "]"
      case .value(let value): "[=\(value.serialized)]"
      }
    }.joined()
  }
}

/// A set of field paths: what one manager owns, or what a write changed.
public struct FieldSet: Hashable, Sendable {
  public private(set) var paths: Set<FieldPath>

  public init(_ paths: some Sequence<FieldPath> = [FieldPath]()) {
    self.paths = Set(paths)
  }

  public var isEmpty: Bool { paths.isEmpty }

  public func contains(_ path: FieldPath) -> Bool { paths.contains(path) }

  /// Whether the set holds `path` or any path beneath it.
  public func covers(_ path: FieldPath) -> Bool {
    paths.contains { path.isPrefix(of: $0) }
  }

  public mutating func insert(_ path: FieldPath) { paths.insert(path) }

  public func union(_ other: FieldSet) -> FieldSet { FieldSet(paths.union(other.paths)) }
  public func subtracting(_ other: FieldSet) -> FieldSet { FieldSet(paths.subtracting(other.paths)) }
  public func intersection(_ other: FieldSet) -> FieldSet { FieldSet(paths.intersection(other.paths)) }

  /// The paths for which `keep` is true.
  public func filter(_ keep: (FieldPath) -> Bool) -> FieldSet { FieldSet(paths.filter(keep)) }

  // MARK: FieldsV1

  /// Reads a FieldsV1 document: nested objects keyed by path elements, `{}` for a member, and `.`
  /// inside an object for a member that also has members of its own beneath it.
  public init(fieldsV1 document: JSONValue) throws(FakeKubeError) {
    var paths: Set<FieldPath> = []
    try Self.read(document, at: FieldPath(), into: &paths)
    self.paths = paths
  }

  private static func read(
    _ node: JSONValue, at path: FieldPath, into paths: inout Set<FieldPath>
  ) throws(FakeKubeError) {
    guard let members = node.objectValue else {
      throw .badRequest("metadata.managedFields: fieldsV1 must be a JSON object, found \(node.serialized)")
    }
    for (key, child) in members {
      if key == "." {
        if !path.elements.isEmpty { paths.insert(path) }
        continue
      }
      guard let element = FieldPathElement(fieldsV1Key: key) else {
        throw .badRequest("metadata.managedFields: fieldsV1 has the key \(key), which is not f:, k:, v: or .")
      }
      let childPath = path.appending(element)
      if child.objectValue?.isEmpty == true {
        paths.insert(childPath)
      } else {
        try read(child, at: childPath, into: &paths)
      }
    }
  }

  /// The set as a FieldsV1 document.
  public var fieldsV1: JSONValue {
    Self.document(paths.map(\.elements))
  }

  private static func document(_ paths: [[FieldPathElement]]) -> JSONValue {
    var groups: [FieldPathElement: [[FieldPathElement]]] = [:]
    for path in paths {
      guard let head = path.first else { continue }
      groups[head, default: []].append(Array(path.dropFirst()))
    }
    var members: [String: JSONValue] = [:]
    for (head, rests) in groups {
      let deeper = rests.filter { !$0.isEmpty }
      guard !deeper.isEmpty else {
        members[head.fieldsV1Key] = .object([:])
        continue
      }
      var child = document(deeper)
      if rests.contains(where: \.isEmpty) { child["."] = .object([:]) }
      members[head.fieldsV1Key] = child
    }
    return .object(members)
  }
}

/// One entry of `metadata.managedFields`: what one manager owns through one kind of operation.
public struct ManagedFieldsEntry: Sendable, Equatable {
  public enum Operation: String, Sendable {
    case apply = "Apply"
    case update = "Update"
  }

  public var manager: String
  public var operation: Operation
  public var apiVersion: String
  /// RFC 3339, to the second.
  public var time: String?
  /// `status` for writes to the status subresource; nil for the main resource.
  public var subresource: String?
  public var fields: FieldSet

  public init(
    manager: String, operation: Operation, apiVersion: String, time: String?, subresource: String? = nil,
    fields: FieldSet
  ) {
    self.manager = manager
    self.operation = operation
    self.apiVersion = apiVersion
    self.time = time
    self.subresource = subresource
    self.fields = fields
  }

  /// Whether the entry is the one `manager` writes through `operation` at `subresource`: managers
  /// are told apart by all three.
  func belongs(to manager: String, _ operation: Operation, subresource: String?) -> Bool {
    self.manager == manager && self.operation == operation && (self.subresource ?? "") == (subresource ?? "")
  }

  /// How a conflict message names the manager: `"kubectl"` for an applier, `"kubectl-edit" using
  /// apps/v1` for an updater, as the API server writes it.
  var conflictName: String {
    var name = JSONValue.string(manager).serialized
    if let subresource, !subresource.isEmpty {
      name += " with subresource " + JSONValue.string(subresource).serialized
    }
    return operation == .update ? "\(name) using \(apiVersion)" : name
  }

  public var json: JSONValue {
    var entry: JSONValue = [
      "manager": .string(manager), "operation": .string(operation.rawValue), "apiVersion": .string(apiVersion),
      "fieldsType": "FieldsV1", "fieldsV1": fields.fieldsV1,
    ]
    if let time { entry["time"] = .string(time) }
    if let subresource, !subresource.isEmpty { entry["subresource"] = .string(subresource) }
    return entry
  }

  /// Reads one entry; `index` is its place in the list, for the error's field path.
  init(json entry: JSONValue, index: Int, kind: String, name: String) throws(FakeKubeError) {
    func invalid(_ field: String, _ detail: String) -> FakeKubeError {
      .invalid(kind: kind, name: name, field: "metadata.managedFields[\(index)].\(field)", detail: detail)
    }
    let operationText = entry["operation"]?.stringValue ?? ""
    guard let operation = Operation(rawValue: operationText) else {
      throw invalid(
        "operation",
        "Unsupported value: \(JSONValue.string(operationText).serialized): supported values: "
          + "\"Apply\", \"Update\"")
    }
    let fieldsType = entry["fieldsType"]?.stringValue ?? ""
    guard fieldsType == "FieldsV1" else {
      throw invalid("fieldsType", "Unsupported value: \(JSONValue.string(fieldsType).serialized): must be `FieldsV1`")
    }
    self.manager = entry["manager"]?.stringValue ?? ""
    self.operation = operation
    self.apiVersion = entry["apiVersion"]?.stringValue ?? ""
    self.time = entry["time"]?.stringValue
    self.subresource = entry["subresource"]?.stringValue
    self.fields = try FieldSet(fieldsV1: entry["fieldsV1"] ?? .object([:]))
  }
}

/// Reading and writing `metadata.managedFields` on objects.
enum ManagedFields {
  static let path = ["metadata", "managedFields"]

  /// The entries of an object; an absent list is empty.
  static func entries(of object: JSONValue?, kind: String) throws(FakeKubeError) -> [ManagedFieldsEntry] {
    guard let list = object?[path: path], list != .null else { return [] }
    guard let elements = list.arrayValue else {
      throw .badRequest("metadata.managedFields must be a list of ManagedFieldsEntry")
    }
    let name = object?[path: ["metadata", "name"]]?.stringValue ?? ""
    var entries: [ManagedFieldsEntry] = []
    for (index, element) in elements.enumerated() {
      entries.append(try ManagedFieldsEntry(json: element, index: index, kind: kind, name: name))
    }
    return entries
  }

  /// The object with these entries as its managedFields; none removes the list.
  static func setting(_ entries: [ManagedFieldsEntry], on object: JSONValue) -> JSONValue {
    var result = object
    let list: JSONValue? = entries.isEmpty ? .none : .array(entries.map(\.json))
    result.set(list, at: path)
    return result
  }

  /// The entries a write starts from: the ones the client sent when they differ from the stored
  /// ones (a client may rewrite managedFields, as kubectl does when it moves from client-side to
  /// server-side apply), else the stored ones. As on a real server, an absent or empty list keeps
  /// the stored entries and a list of one empty entry clears them.
  static func base(
    sent: JSONValue?, stored: JSONValue?, kind: String, name: String
  ) throws(FakeKubeError) -> [ManagedFieldsEntry] {
    let storedEntries = try entries(of: stored, kind: kind)
    guard let sent, sent != .null, sent != stored?[path: path] else { return storedEntries }
    if sent == [[:]] { return [] }
    if sent.arrayValue?.isEmpty == true { return storedEntries }
    var carrier: JSONValue = ["metadata": ["name": .string(name)]]
    carrier.set(sent, at: path)
    return try entries(of: carrier, kind: kind)
  }
}
