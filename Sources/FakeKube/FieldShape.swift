import KubeModel

/// How server-side apply sees the structure of one kind: which lists are associative (their
/// elements merged and owned one by one, by key), which are sets of scalars, and which are atomic
/// (replaced and owned whole); which maps are atomic.
///
/// Built-in kinds use the merge keys strategic merge patches use (`PatchType.mergeKeys`); custom
/// resources use their schema's `x-kubernetes-list-type`, `x-kubernetes-list-map-keys` and
/// `x-kubernetes-map-type`, and without them every list is atomic, as on a real server. An object's
/// `metadata` is always read as a built-in's.
struct FieldShape: Sendable {
  enum ListKind: Equatable {
    case atomic
    case set
    case associative(keys: [String])
  }

  private enum Source {
    /// The field's name, for the merge-key table.
    case builtIn(field: String?)
    /// The schema node of the field; nil where the schema says nothing.
    case schema(JSONValue?)
  }

  private let source: Source
  private let isRoot: Bool

  private init(_ source: Source, isRoot: Bool = false) {
    self.source = source
    self.isRoot = isRoot
  }

  /// The shape of a whole object of this kind.
  static func of(_ type: ResourceType) -> FieldShape {
    guard type.custom != nil else { return FieldShape(.builtIn(field: nil), isRoot: true) }
    return FieldShape(.schema(type.custom?.schema?.root), isRoot: true)
  }

  /// The shape of a map member.
  func member(_ name: String) -> FieldShape {
    if isRoot, name == "metadata" { return FieldShape(.builtIn(field: nil)) }
    switch source {
    case .builtIn: return FieldShape(.builtIn(field: name))
    case .schema(let node):
      let additional = node?["additionalProperties"].flatMap { $0.objectValue != nil ? $0 : nil }
      return FieldShape(.schema(node?[path: ["properties", name]] ?? additional))
    }
  }

  /// The shape of a list's elements.
  var element: FieldShape {
    switch source {
    case .builtIn: FieldShape(.builtIn(field: nil))
    case .schema(let node): FieldShape(.schema(node?["items"]))
    }
  }

  /// Whether a map is owned whole, like a scalar.
  var isAtomicMap: Bool {
    guard case .schema(let node) = source else { return false }
    return node?["x-kubernetes-map-type"]?.stringValue == "atomic"
  }

  /// How the list here, with these elements, merges. A list whose elements do not all carry the
  /// keys (or are not all scalars, for a set) is atomic.
  func listKind(of elements: [JSONValue]) -> ListKind {
    let declared: ListKind
    switch source {
    case .builtIn(let field?):
      if PatchType.mergedPrimitiveLists.contains(field) {
        declared = .set
      } else if var key = PatchType.mergeKeys[field] {
        if field == "ports", elements.contains(where: { $0["containerPort"] != nil }) { key = "containerPort" }
        declared = .associative(keys: [key])
      } else {
        declared = .atomic
      }
    case .builtIn(nil): declared = .atomic
    case .schema(let node):
      switch node?["x-kubernetes-list-type"]?.stringValue {
      case "set": declared = .set
      case "map":
        let keys = (node?["x-kubernetes-list-map-keys"]?.arrayValue ?? []).compactMap(\.stringValue)
        declared = keys.isEmpty ? .atomic : .associative(keys: keys)
      default: declared = .atomic
      }
    }
    switch declared {
    case .atomic: return .atomic
    case .set:
      return elements.allSatisfy { $0.objectValue == nil && $0.arrayValue == nil } ? .set : .atomic
    case .associative(let keys):
      let keyed = elements.allSatisfy { element in
        keys.allSatisfy { key in
          guard let value = element[key] else { return false }
          return value.objectValue == nil && value.arrayValue == nil && value != .null
        }
      }
      return keyed ? declared : .atomic
    }
  }

  /// The path element naming one element of an associative list.
  static func keyElement(_ element: JSONValue, keys: [String]) -> FieldPathElement {
    var fields: [String: JSONValue] = [:]
    for key in keys { fields[key] = element[key] }
    return .key(.object(fields))
  }

  // MARK: Field sets of values

  /// The paths a value sets: every scalar, empty map, atomic list or atomic map, and every element
  /// of an associative list or set (as a member of its own, besides the fields inside it).
  func fields(of value: JSONValue, at path: FieldPath = FieldPath()) -> FieldSet {
    var set = FieldSet()
    collect(value, at: path, into: &set)
    return set
  }

  private func collect(_ value: JSONValue, at path: FieldPath, into set: inout FieldSet) {
    switch value {
    case .object(let members) where !members.isEmpty && !isAtomicMap:
      for (name, child) in members {
        member(name).collect(child, at: path.appending(.field(name)), into: &set)
      }
    case .array(let elements) where !elements.isEmpty:
      switch listKind(of: elements) {
      case .atomic: set.insert(path)
      case .set:
        for element in elements { set.insert(path.appending(.value(element))) }
      case .associative(let keys):
        for element in elements {
          let elementPath = path.appending(Self.keyElement(element, keys: keys))
          set.insert(elementPath)
          self.element.collectMembers(of: element, at: elementPath, into: &set)
        }
      }
    default:
      if !path.elements.isEmpty { set.insert(path) }
    }
  }

  /// The fields inside a map, without the map itself.
  private func collectMembers(of value: JSONValue, at path: FieldPath, into set: inout FieldSet) {
    guard let members = value.objectValue, !isAtomicMap else { return }
    for (name, child) in members {
      member(name).collect(child, at: path.appending(.field(name)), into: &set)
    }
  }

  /// The paths whose values differ between two versions of a value: fields added, changed or
  /// removed, and elements of associative lists and sets added or removed.
  func changes(from old: JSONValue?, to new: JSONValue?, at path: FieldPath = FieldPath()) -> FieldSet {
    var set = FieldSet()
    collectChanges(from: old, to: new, at: path, into: &set)
    return set
  }

  private func collectChanges(from old: JSONValue?, to new: JSONValue?, at path: FieldPath, into set: inout FieldSet) {
    if old == new { return }
    switch (old, new) {
    case (.object(let before)?, .object(let after)?) where !isAtomicMap && !before.isEmpty && !after.isEmpty:
      for name in Set(before.keys).union(after.keys) {
        member(name).collectChanges(from: before[name], to: after[name], at: path.appending(.field(name)), into: &set)
      }
      return
    case (.array(let before)?, .array(let after)?) where !before.isEmpty && !after.isEmpty:
      let kind = listKind(of: before + after)
      if case .associative(let keys) = kind {
        var elementsBefore: [FieldPathElement: JSONValue] = [:]
        for element in before { elementsBefore[Self.keyElement(element, keys: keys)] = element }
        var elementsAfter: [FieldPathElement: JSONValue] = [:]
        for element in after { elementsAfter[Self.keyElement(element, keys: keys)] = element }
        for key in Set(elementsBefore.keys).union(elementsAfter.keys) {
          let elementPath = path.appending(key)
          let (was, now) = (elementsBefore[key], elementsAfter[key])
          if was == nil || now == nil { set.insert(elementPath) }
          element.collectMemberChanges(from: was, to: now, at: elementPath, into: &set)
        }
        return
      }
      if kind == .set {
        let changed = Set(before).symmetricDifference(after)
        for value in changed { set.insert(path.appending(.value(value))) }
        return
      }
    default:
      break
    }
    // Replaced whole, appeared or went away: everything set on either side changed.
    for side in [old, new] {
      guard let side else { continue }
      let sideFields = fields(of: side, at: path)
      for changed in sideFields.paths { set.insert(changed) }
      if sideFields.isEmpty, !path.elements.isEmpty { set.insert(path) }
    }
  }

  private func collectMemberChanges(
    from old: JSONValue?, to new: JSONValue?, at path: FieldPath, into set: inout FieldSet
  ) {
    let before = old?.objectValue ?? [:]
    let after = new?.objectValue ?? [:]
    if isAtomicMap {
      if old != new { set.insert(path) }
      return
    }
    for name in Set(before.keys).union(after.keys) {
      member(name).collectChanges(from: before[name], to: after[name], at: path.appending(.field(name)), into: &set)
    }
  }
}

// MARK: - Values at field paths

extension JSONValue {
  /// The value a field path leads to, or nil.
  func value(at path: FieldPath) -> JSONValue? {
    var current: JSONValue? = self
    for element in path.elements {
      guard let node = current else { return nil }
      switch element {
      case .field(let name): current = node[name]
      case .key, .value: current = node.arrayValue?.first { $0.isElement(element) }
      }
    }
    return current
  }

  /// Removes what a field path leads to; a map or list left empty by it goes too, unless
  /// `keepEmpty` says the path to it must stay.
  mutating func remove(at path: FieldPath, keepEmpty: (FieldPath) -> Bool) {
    guard let head = path.elements.first else { return }
    let rest = FieldPath(Array(path.elements.dropFirst()))
    let here = FieldPath([head])
    switch (self, head) {
    case (.object(var members), .field(let name)):
      guard var child = members[name] else { return }
      if rest.elements.isEmpty {
        members[name] = nil
      } else {
        child.remove(at: rest, keepEmpty: { keepEmpty(FieldPath([head] + $0.elements)) })
        // Not a ternary: `nil` there would be JSONValue's null literal, not an absent member.
        if child.isEmptyContainer, !keepEmpty(here) {
          members[name] = nil
        } else {
          members[name] = child
        }
      }
      self = .object(members)
    case (.array(var elements), .key), (.array(var elements), .value):
      guard let index = elements.firstIndex(where: { $0.isElement(head) }) else { return }
      if rest.elements.isEmpty {
        elements.remove(at: index)
      } else {
        elements[index].remove(at: rest, keepEmpty: { keepEmpty(FieldPath([head] + $0.elements)) })
      }
      self = .array(elements)
    default:
      return
    }
  }

  /// Whether this list element is the one a `.key` or `.value` path element names.
  func isElement(_ element: FieldPathElement) -> Bool {
    switch element {
    case .field: false
    case .key(let fields): (fields.objectValue ?? [:]).allSatisfy { self[$0.key] == $0.value }
    case .value(let value): self == value
    }
  }

  private var isEmptyContainer: Bool {
    objectValue?.isEmpty == true || arrayValue?.isEmpty == true
  }
}
