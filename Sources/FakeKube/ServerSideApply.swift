import KubeModel

/// One field an apply would change that another manager owns.
public struct FieldConflict: Sendable, Equatable {
  /// The other manager as the API server names it: `"kubectl"`, or `"kubectl-edit" using apps/v1`.
  public var manager: String
  /// The field's path, such as `.spec.replicas`.
  public var field: String

  public init(manager: String, field: String) {
    self.manager = manager
    self.field = field
  }
}

/// Server-side apply (`PATCH` with `application/apply-patch+yaml`) and the field ownership every
/// write records in `metadata.managedFields`, in the simplified but faithful form FakeKube serves:
///
/// - An apply merges the applied configuration into the live object (maps member by member, lists
///   as `FieldShape` says) and makes its manager the owner of every field the configuration sets.
/// - A field the configuration would change that another manager owns is a conflict: 409 with one
///   cause per field, unless the apply is forced, which moves the field to the applier.
/// - A field the manager applied before and applies no more is removed from the object, unless
///   another manager owns it too.
/// - Any other write (create, update, patch) is an `Update` by its manager, who becomes the owner
///   of the fields it changed; the other managers lose them.
enum ServerSideApply {
  /// Fields the server keeps for itself, which no manager owns.
  static let serverOwnedMetadata: Set<String> = [
    "name", "namespace", "uid", "creationTimestamp", "generation", "resourceVersion", "managedFields", "selfLink",
    "deletionTimestamp", "deletionGracePeriodSeconds",
  ]

  /// The live object after `manager` applies `configuration` to it (to nothing, when it is being
  /// created), with its managedFields brought up to date.
  static func apply(
    _ configuration: JSONValue, to live: JSONValue?, type: ResourceType, subresource: String?, manager: String,
    force: Bool, time: String
  ) throws(FakeKubeError) -> JSONValue {
    try checkConfiguration(configuration, type)
    let config = scoped(withoutNulls(configuration), type: type, subresource: subresource)
    let shape = FieldShape.of(type)
    let applied = managed(shape.fields(of: config), type: type, subresource: subresource)
    var entries = try ManagedFields.entries(of: live, kind: type.kind)
    let own = entries.firstIndex { $0.belongs(to: manager, .apply, subresource: subresource) }
    let previous = own.map { entries[$0].fields } ?? FieldSet()
    let others = entries.indices.filter { $0 != own }
    let ownedByOthers = others.reduce(FieldSet()) { $0.union(entries[$1].fields) }

    var merged = merge(live ?? .object([:]), config, shape: shape)
    // What this manager applied before and no longer applies goes, unless another manager still
    // owns it or something beneath it: list elements first, whole (with what the server filled in
    // inside them, and found by their keys before those go), then other fields, deepest first.
    let abandonedPaths = previous.subtracting(applied).paths
    let abandoned =
      abandonedPaths.filter(\.isListElement).sorted { $0.elements.count < $1.elements.count }
      + abandonedPaths.filter { !$0.isListElement }.sorted { $0.elements.count > $1.elements.count }
    for path in abandoned where !ownedByOthers.covers(path) && !applied.covers(path) {
      merged.remove(at: path) { ownedByOthers.contains($0) || applied.covers($0) }
    }

    let changed = managed(shape.changes(from: live, to: merged), type: type, subresource: subresource)
    var conflicts: [(path: FieldPath, conflict: FieldConflict)] = []
    for other in others {
      for path in entries[other].fields.intersection(changed).paths.sorted() {
        conflicts.append((path, FieldConflict(manager: entries[other].conflictName, field: path.description)))
      }
    }
    if !force, manager == kubectl, let live {
      // kubectl's own apply moves from client-side to server-side apply without conflicts over
      // the fields its last-applied-configuration still describes.
      let allowed = fieldsStillAsLastApplied(live, shape: shape)
      conflicts.removeAll { allowed.contains($0.path) }
    }
    if !conflicts.isEmpty, !force { throw .applyConflict(conflicts.map(\.conflict)) }
    for other in others { entries[other].fields = entries[other].fields.subtracting(changed) }
    let entry = ManagedFieldsEntry(
      manager: manager, operation: .apply, apiVersion: type.apiVersion, time: time, subresource: subresource,
      fields: applied)
    if let own { entries[own] = entry } else { entries.append(entry) }
    entries.removeAll { $0.fields.isEmpty }
    if manager == kubectl, let live, live[path: lastAppliedPath]?.stringValue?.isEmpty == false {
      // Keeps client-side apply working after server-side apply: the annotation follows the
      // configuration kubectl applied last.
      var lastApplied = configuration
      if var annotations = configuration[path: ["metadata", "annotations"]]?.objectValue {
        annotations[lastAppliedPath[2]] = nil
        lastApplied.set(annotations.isEmpty ? .none : .object(annotations), at: ["metadata", "annotations"])
      }
      merged.set(.string(lastApplied.serialized), at: lastAppliedPath)
    }
    return ManagedFields.setting(entries, on: merged)
  }

  /// The manager kubectl applies as by default, the only one whose applies follow its
  /// client-side apply annotation.
  static let kubectl = "kubectl"
  static let lastAppliedPath = ["metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"]

  /// The fields of an object's last-applied-configuration whose values are still the live ones.
  private static func fieldsStillAsLastApplied(_ live: JSONValue, shape: FieldShape) -> FieldSet {
    guard let text = live[path: lastAppliedPath]?.stringValue,
      let lastApplied = try? JSONValue(parsing: Array(text.utf8))
    else { return FieldSet() }
    return shape.fields(of: lastApplied).filter { live.value(at: $0) == lastApplied.value(at: $0) }
  }

  /// The entries after `manager` changed `old` into `new` by any write but apply: it owns what it
  /// changed, and the other managers lose it.
  static func recordingUpdate(
    _ entries: [ManagedFieldsEntry], from old: JSONValue?, to new: JSONValue, type: ResourceType,
    subresource: String?, manager: String, time: String
  ) -> [ManagedFieldsEntry] {
    let shape = FieldShape.of(type)
    let changed = managed(shape.changes(from: old, to: new), type: type, subresource: subresource)
    guard !changed.isEmpty else { return entries }
    var result = entries
    let own = result.firstIndex { $0.belongs(to: manager, .update, subresource: subresource) }
    for index in result.indices where index != own {
      result[index].fields = result[index].fields.subtracting(changed)
    }
    let kept = own.map { result[$0].fields.subtracting(changed) } ?? FieldSet()
    let entry = ManagedFieldsEntry(
      manager: manager, operation: .update, apiVersion: type.apiVersion, time: time, subresource: subresource,
      fields: kept.union(changed.intersection(shape.fields(of: new))))
    if let own { result[own] = entry } else { result.append(entry) }
    result.removeAll { $0.fields.isEmpty }
    return cappingUpdaters(result, type: type, time: time)
  }

  /// The most `Update` entries an object keeps, as on a real server: the oldest beyond it are
  /// merged into one entry named `ancient-changes`, so managedFields stay bounded however many
  /// clients write.
  static let maximumUpdaters = 10
  static let ancientChanges = "ancient-changes"

  private static func cappingUpdaters(
    _ entries: [ManagedFieldsEntry], type: ResourceType, time: String
  ) -> [ManagedFieldsEntry] {
    var result = entries
    while result.filter({ $0.operation == .update }).count > maximumUpdaters {
      let updaters = result.indices.filter { result[$0].operation == .update && result[$0].manager != ancientChanges }
      guard let oldest = updaters.min(by: { (result[$0].time ?? "") < (result[$1].time ?? "") }) else { break }
      let merged = result.remove(at: oldest).fields
      if let bucket = result.firstIndex(where: { $0.manager == ancientChanges && $0.operation == .update }) {
        result[bucket].fields = result[bucket].fields.union(merged)
      } else {
        result.append(
          ManagedFieldsEntry(
            manager: ancientChanges, operation: .update, apiVersion: type.apiVersion, time: time, fields: merged))
      }
    }
    return result
  }

  // MARK: Merging

  /// The applied configuration merged into a live value: maps member by member, associative lists
  /// element by element (new elements at the end), sets as unions, anything else replaced.
  static func merge(_ live: JSONValue?, _ applied: JSONValue, shape: FieldShape) -> JSONValue {
    switch (live, applied) {
    case (.object(var result)?, .object(let members)) where !shape.isAtomicMap:
      for (name, value) in members {
        result[name] = merge(result[name], value, shape: shape.member(name))
      }
      return .object(result)
    case (.array(let current)?, .array(let elements)):
      switch shape.listKind(of: current + elements) {
      case .associative(let keys):
        var result = current
        for element in elements {
          let key = FieldShape.keyElement(element, keys: keys)
          if let index = result.firstIndex(where: { $0.isElement(key) }) {
            result[index] = merge(result[index], element, shape: shape.element)
          } else {
            result.append(element)
          }
        }
        return .array(result)
      case .set:
        var result = current
        for element in elements where !result.contains(element) { result.append(element) }
        return .array(result)
      case .atomic:
        return applied
      }
    default:
      return applied
    }
  }

  // MARK: Scope

  /// The part of a configuration an apply at this endpoint writes: only `status` through the
  /// status subresource; everything but `status` through the main resource of a kind that has one.
  static func scoped(_ configuration: JSONValue, type: ResourceType, subresource: String?) -> JSONValue {
    var result = configuration
    if subresource == "status" {
      result = .object(configuration.objectValue?.filter { ["apiVersion", "kind", "status"].contains($0.key) } ?? [:])
    } else if type.hasStatusSubresource {
      result["status"] = nil
    }
    return result
  }

  /// The paths of a field set that managers can own through this endpoint: not `apiVersion`, `kind`
  /// or the metadata the server keeps; only `status` through the status subresource, and never
  /// `status` through the main resource of a kind that has a status subresource.
  static func managed(_ set: FieldSet, type: ResourceType, subresource: String?) -> FieldSet {
    set.filter { path in
      guard case .field(let top)? = path.elements.first, top != "apiVersion", top != "kind" else { return false }
      if top == "metadata" {
        guard path.elements.count > 1 else { return false }
        if case .field(let name) = path.elements[1], serverOwnedMetadata.contains(name) { return false }
      }
      if subresource == "status" { return top == "status" }
      return !(type.hasStatusSubresource && top == "status")
    }
  }

  // MARK: Checks

  /// An applied configuration names the kind it is applied to and carries no managedFields.
  private static func checkConfiguration(_ configuration: JSONValue, _ type: ResourceType) throws(FakeKubeError) {
    guard configuration.objectValue != nil else {
      throw .badRequest("the applied configuration must be an object")
    }
    let apiVersion = configuration["apiVersion"]?.stringValue ?? ""
    let kind = configuration["kind"]?.stringValue ?? ""
    guard !apiVersion.isEmpty, !kind.isEmpty else {
      throw .badRequest("the applied configuration must set apiVersion and kind")
    }
    guard apiVersion == type.apiVersion, kind == type.kind else {
      throw .badRequest(
        "the applied configuration is a \(kind) of \(apiVersion), but the request is for a \(type.kind) of "
          + type.apiVersion)
    }
    if let sent = configuration[path: ManagedFields.path], sent != .null {
      throw .badRequest("metadata.managedFields must be nil")
    }
  }

  /// A configuration's `null` members mean nothing to an apply: they are dropped.
  private static func withoutNulls(_ value: JSONValue) -> JSONValue {
    switch value {
    case .object(let members): .object(members.filter { $0.value != .null }.mapValues(withoutNulls))
    case .array(let elements): .array(elements.map(withoutNulls))
    default: value
    }
  }
}

extension FakeKubeError {
  /// The message the API server gives an apply's conflicts, one line per field when there are several.
  static func applyConflictMessage(_ conflicts: [FieldConflict]) -> String {
    if conflicts.count == 1, let conflict = conflicts.first {
      return "Apply failed with 1 conflict: conflict with \(conflict.manager): \(conflict.field)"
    }
    var lines: [String] = []
    for manager in Set(conflicts.map(\.manager)).sorted() {
      lines.append("conflicts with \(manager):")
      lines += conflicts.filter { $0.manager == manager }.map { "- \($0.field)" }
    }
    return "Apply failed with \(conflicts.count) conflicts: " + lines.joined(separator: "\n")
  }
}
