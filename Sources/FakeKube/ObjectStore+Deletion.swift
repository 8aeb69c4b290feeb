import Foundation
import KubeModel

/// How a deletion treats the objects that name the deleted one in `metadata.ownerReferences`.
public enum PropagationPolicy: String, Sendable, CaseIterable {
  /// The owner goes at once; its dependents are deleted right after.
  case background = "Background"
  /// The owner waits, terminating with the `foregroundDeletion` finalizer, until its dependents
  /// with `blockOwnerDeletion` are gone; every dependent is deleted.
  case foreground = "Foreground"
  /// The dependents stay and lose their reference to the owner; the owner waits with the `orphan`
  /// finalizer until that is done.
  case orphan = "Orphan"

  /// Reads `propagationPolicy` as a DeleteOptions body or query string carries it.
  public init(parsing text: String) throws(FakeKubeError) {
    guard let policy = Self(rawValue: text) else {
      throw .badRequest(
        "propagationPolicy: Unsupported value: \"\(text)\": supported values: \"Foreground\", \"Background\", \"Orphan\""
      )
    }
    self = policy
  }
}

/// `DeleteOptions.preconditions`: what the object must still be for the deletion to go ahead.
public struct DeletePreconditions: Sendable, Equatable {
  public var uid: String?
  public var resourceVersion: String?

  public init(uid: String? = nil, resourceVersion: String? = nil) {
    self.uid = uid
    self.resourceVersion = resourceVersion
  }

  /// 409 Conflict, worded as the API server words it, when the object is not what they require.
  func check(_ object: JSONValue, type: ResourceType, name: String) throws(FakeKubeError) {
    let uid = object.uid ?? ""
    if let wanted = self.uid, wanted != uid {
      throw .preconditionFailed(
        group: type.group, resource: type.plural, name: name,
        detail: "Precondition failed: UID in precondition: \(wanted), UID in object meta: \(uid)")
    }
    let version = object[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
    if let wanted = resourceVersion, wanted != version {
      throw .preconditionFailed(
        group: type.group, resource: type.plural, name: name,
        detail: "Precondition failed: ResourceVersion in precondition: \(wanted), ResourceVersion in object meta: "
          + version)
    }
  }
}

/// What a DELETE did: removed the object, or marked it as terminating until its finalizers are gone.
public struct Deletion: Sendable {
  /// The object as removed, or as it now stands with its `deletionTimestamp`.
  public var object: JSONValue
  /// False while the object waits for its finalizers.
  public var isComplete: Bool
}

/// Deletion as a real API server and its garbage collector perform it: finalizers hold an object
/// with a `deletionTimestamp` until they are removed, and owner references propagate a deletion to
/// dependents. The collector runs synchronously inside each write, so by the time a request is
/// answered every consequence it has is visible, and its watch events are already in order.
///
/// Two kinds are finalized by the server itself: a Namespace goes once everything in it is gone,
/// and a CustomResourceDefinition waits, with the `customresourcecleanup.apiextensions.k8s.io`
/// finalizer and a `Terminating` condition, until its custom resources are gone.
extension ObjectStore {
  static let orphanFinalizer = "orphan"
  static let foregroundFinalizer = "foregroundDeletion"
  static let customResourceCleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io"

  /// Deletes an object. With finalizers (its own, or the one the policy adds) it is only marked
  /// with a `deletionTimestamp`; otherwise it is removed. A second deletion of an object already
  /// terminating changes nothing. Deleting a namespace deletes everything in it first.
  ///
  /// - Parameters:
  ///   - propagation: what happens to dependents; nil means `Background`.
  ///   - preconditions: the uid and resourceVersion the object must have: 409 Conflict otherwise.
  @discardableResult
  public func delete(
    _ type: ResourceType, namespace: String, name: String, propagation: PropagationPolicy? = nil,
    preconditions: DeletePreconditions = DeletePreconditions()
  ) throws(FakeKubeError) -> Deletion {
    let key = ObjectKey(type, namespace: namespace, name: name)
    let timestamp = now().formatted(.iso8601)
    return try state.withLock { state throws(FakeKubeError) in
      if let existing = state.objects[key] { try preconditions.check(existing, type: type, name: name) }
      guard let deletion = requestDeletion(key, propagation ?? .background, at: timestamp, in: &state) else {
        throw .notFound(group: type.group, resource: type.plural, name: name)
      }
      collectGarbage(at: timestamp, in: &state)
      return deletion
    }
  }

  /// Marks or removes one object, without yet following the consequences.
  func requestDeletion(
    _ key: ObjectKey, _ policy: PropagationPolicy, at timestamp: String, in state: inout State
  ) -> Deletion? {
    guard let existing = state.objects[key] else { return nil }
    if existing.isTerminating { return Deletion(object: existing, isComplete: false) }
    var finalizers = existing.finalizers
    if garbageCollection {
      switch policy {
      case .background: break
      case .foreground where !finalizers.contains(Self.foregroundFinalizer):
        finalizers.append(Self.foregroundFinalizer)
      case .orphan where !finalizers.contains(Self.orphanFinalizer): finalizers.append(Self.orphanFinalizer)
      case .foreground, .orphan: break
      }
    }
    let isNamespace = ObjectKey.isNamespace(key)
    let isDefinition = ObjectKey.isCustomResourceDefinition(key)
    if isDefinition, !finalizers.contains(Self.customResourceCleanupFinalizer) {
      finalizers.append(Self.customResourceCleanupFinalizer)
    }
    if finalizers.isEmpty, !isNamespace {
      guard let removed = remove(key, in: &state) else { return nil }
      return Deletion(object: removed, isComplete: true)
    }
    var marked = existing
    marked.set(.string(timestamp), at: ["metadata", "deletionTimestamp"])
    marked.set(0, at: ["metadata", "deletionGracePeriodSeconds"])
    marked.set(finalizers.isEmpty ? nil : .array(finalizers.map { .string($0) }), at: ["metadata", "finalizers"])
    if isNamespace { marked.set("Terminating", at: ["status", "phase"]) }
    if isDefinition { marked = Self.markedTerminating(definition: marked, at: timestamp) }
    let written = write(key, marked, replacing: existing, in: &state)
    if isNamespace {
      for contained in state.objects.keys.filter({ $0.namespace == key.name }).sorted() {
        _ = requestDeletion(contained, .background, at: timestamp, in: &state)
      }
    }
    return Deletion(object: written, isComplete: false)
  }

  /// Follows deletions to their end: dependents of removed owners are deleted (or let go of owners
  /// that are gone while others remain), the `orphan` and `foregroundDeletion` finalizers do their
  /// work and are removed, and terminating objects with no finalizers left are removed. Repeats
  /// until nothing changes, which takes one round per level of ownership.
  func collectGarbage(at timestamp: String, in state: inout State) {
    var progressed = true
    while progressed {
      progressed = false
      let vanished = state.vanishedOwners
      state.vanishedOwners = []
      if garbageCollection, !vanished.isEmpty {
        progressed = deleteDependents(of: vanished, at: timestamp, in: &state) || progressed
      }
      for key in state.objects.keys.sorted() where state.objects[key]?.isTerminating == true {
        progressed = settle(key, at: timestamp, in: &state) || progressed
      }
      progressed = progressed || !state.vanishedOwners.isEmpty
    }
  }

  /// Deletes the dependents whose every owner is gone; a dependent that still has a live owner
  /// only loses its references to the vanished ones.
  private func deleteDependents(of vanished: Set<String>, at timestamp: String, in state: inout State) -> Bool {
    let liveUIDs = Set(state.objects.values.compactMap(\.uid))
    var changed = false
    for key in state.objects.keys.sorted() {
      guard let object = state.objects[key], !object.isTerminating else { continue }
      let owners = object.ownerUIDs
      guard !vanished.isDisjoint(with: owners) else { continue }
      changed = true
      if owners.contains(where: liveUIDs.contains) {
        write(key, object.droppingOwners(vanished), replacing: object, in: &state)
      } else {
        _ = requestDeletion(key, .background, at: timestamp, in: &state)
      }
    }
    return changed
  }

  /// Does what a terminating object's system finalizers ask, and removes the object once no
  /// finalizer holds it (a namespace once it is also empty). Returns whether anything changed.
  private func settle(_ key: ObjectKey, at timestamp: String, in state: inout State) -> Bool {
    guard let existing = state.objects[key], let uid = existing.uid else { return false }
    var changed = false
    var finalizers = existing.finalizers
    if finalizers.contains(Self.orphanFinalizer) {
      for dependent in dependents(of: uid, in: state) {
        guard let object = state.objects[dependent] else { continue }
        write(dependent, object.droppingOwners([uid]), replacing: object, in: &state)
      }
      finalizers.removeAll { $0 == Self.orphanFinalizer }
    }
    if finalizers.contains(Self.foregroundFinalizer) {
      for dependent in dependents(of: uid, in: state) where state.objects[dependent]?.isTerminating == false {
        // A dependent with dependents of its own is deleted in the foreground too, so that its
        // own blocking dependents also go before the owner.
        let hasDependents = state.objects[dependent]?.uid.map { !dependents(of: $0, in: state).isEmpty } ?? false
        _ = requestDeletion(dependent, hasDependents ? .foreground : .background, at: timestamp, in: &state)
        changed = true
      }
      let blocked = dependents(of: uid, in: state).contains { dependent in
        state.objects[dependent]?.blocksDeletion(ofOwner: uid) == true
      }
      if !blocked { finalizers.removeAll { $0 == Self.foregroundFinalizer } }
    }
    if finalizers.contains(Self.customResourceCleanupFinalizer) {
      let instances = Self.instances(of: existing, in: state)
      for instance in instances where state.objects[instance]?.isTerminating == false {
        _ = requestDeletion(instance, .background, at: timestamp, in: &state)
        changed = true
      }
      if Self.instances(of: existing, in: state).isEmpty {
        finalizers.removeAll { $0 == Self.customResourceCleanupFinalizer }
      }
    }
    // Deleting dependents never touches the owner, unless ownership runs in a cycle.
    guard let current = state.objects[key] else { return true }
    if finalizers.isEmpty {
      if ObjectKey.isNamespace(key), state.objects.keys.contains(where: { $0.namespace == key.name }) {
        return changed
      }
      var final = current
      final.set(nil, at: ["metadata", "finalizers"])
      _ = remove(key, as: final, in: &state)
      return true
    }
    guard finalizers != current.finalizers else { return changed }
    var updated = current
    updated.set(.array(finalizers.map { .string($0) }), at: ["metadata", "finalizers"])
    write(key, updated, replacing: current, in: &state)
    return true
  }

  /// The custom resources a CustomResourceDefinition defines, in every version.
  private static func instances(of definition: JSONValue, in state: State) -> [ObjectKey] {
    guard let group = definition[path: ["spec", "group"]]?.stringValue,
      let plural = definition[path: ["spec", "names", "plural"]]?.stringValue
    else { return [] }
    return state.objects.keys.filter { $0.group == group && $0.resource == plural }.sorted()
  }

  /// A CRD being deleted says so in its `Terminating` condition.
  private static func markedTerminating(definition: JSONValue, at timestamp: String) -> JSONValue {
    var conditions = (definition[path: ["status", "conditions"]]?.arrayValue ?? []).filter {
      $0["type"] != "Terminating"
    }
    conditions.append([
      "type": "Terminating", "status": "True", "reason": "InstanceDeletionInProgress",
      "message": "CustomResource deletion is in progress", "lastTransitionTime": .string(timestamp),
    ])
    var result = definition
    result.set(.array(conditions), at: ["status", "conditions"])
    return result
  }

  private func dependents(of uid: String, in state: State) -> [ObjectKey] {
    state.objects.filter { $0.value.ownerUIDs.contains(uid) }.keys.sorted()
  }

  /// An update may remove finalizers from an object being deleted, never add one: 422 as on a
  /// real server.
  static func checkNoFinalizersAdded(
    to existing: JSONValue, by updated: JSONValue, type: ResourceType
  ) throws(FakeKubeError) {
    let added = updated.finalizers.filter { !existing.finalizers.contains($0) }
    guard !added.isEmpty else { return }
    let list = added.map { "\"\($0)\"" }.joined(separator: ", ")
    throw .invalid(
      kind: type.kind, name: updated[path: ["metadata", "name"]]?.stringValue ?? "", field: "metadata.finalizers",
      detail: "Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers "
        + "[]string{\(list)}")
  }
}

extension ObjectKey {
  static func isNamespace(_ key: ObjectKey) -> Bool {
    key.group.isEmpty && key.resource == "namespaces"
  }

  static func isCustomResourceDefinition(_ key: ObjectKey) -> Bool {
    key.group == CustomResourceDefinitions.group && key.resource == CustomResourceDefinitions.plural
  }
}

extension JSONValue {
  var uid: String? { self[path: ["metadata", "uid"]]?.stringValue }

  /// `metadata.finalizers`.
  var finalizers: [String] {
    (self[path: ["metadata", "finalizers"]]?.arrayValue ?? []).compactMap(\.stringValue)
  }

  /// Whether the object has a `deletionTimestamp`: it is being deleted and waits for finalizers.
  var isTerminating: Bool {
    if let timestamp = self[path: ["metadata", "deletionTimestamp"]], timestamp != .null { return true }
    return false
  }

  private var ownerReferences: [JSONValue] {
    self[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []
  }

  /// The uids in `metadata.ownerReferences`.
  var ownerUIDs: Set<String> { Set(ownerReferences.compactMap { $0["uid"]?.stringValue }) }

  func blocksDeletion(ofOwner uid: String) -> Bool {
    ownerReferences.contains { $0["uid"]?.stringValue == uid && $0["blockOwnerDeletion"] == true }
  }

  /// The object without its references to these owners; without `ownerReferences` when none is left.
  func droppingOwners(_ uids: Set<String>) -> JSONValue {
    let kept = ownerReferences.filter { !uids.contains($0["uid"]?.stringValue ?? "") }
    var object = self
    object.set(kept.isEmpty ? nil : .array(kept), at: ["metadata", "ownerReferences"])
    return object
  }
}
