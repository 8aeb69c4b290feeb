import Kube
import KubeModel
import Logging

/// Makes the cluster match one sensor: applies the children its spec asks for, deletes the ones
/// it no longer does, and writes what it saw into the sensor's status.
///
/// Level-triggered and idempotent: it reads the sensor and its children from the controller's
/// caches and writes only what differs, so a reconcile of an unchanged sensor sends no request at
/// all. Every write is a server-side apply by `sovren-operator` with `force`, so an edit someone
/// made to a field the operator sets is taken back, while fields it does not set are left alone.
public struct Reconciler: Sendable {
  /// What the controller does with the sensor next.
  public enum Action: Sendable, Hashable {
    /// Nothing until something changes (the sensor, a child, or the periodic resync).
    case done
    /// Look again after this long: the sensor waits on something no watch reports.
    case requeue(after: Duration)
  }

  let client: KubeClient
  let view: ClusterView
  let events: EventRecorder
  let metrics: OperatorMetrics
  let logger: Logger
  /// How soon a sensor waiting on a missing Secret is looked at again (Secrets are not watched).
  let recheckInterval: Duration

  public init(
    client: KubeClient, view: ClusterView, events: EventRecorder, metrics: OperatorMetrics, logger: Logger,
    recheckInterval: Duration = .seconds(60)
  ) {
    self.client = client
    self.view = view
    self.events = events
    self.metrics = metrics
    self.logger = logger
    self.recheckInterval = recheckInterval
  }

  public func reconcile(_ key: NamespacedName) async throws(OperatorError) -> Action {
    guard let sensor = view.sensor(key) else {
      // Gone without its finalizer having run (removed by hand): clean up what has no owner reference.
      try await deleteClusterChildren(of: key, sensor: nil)
      return .done
    }
    if sensor.metadata.deletionTimestamp != nil {
      try await finalize(sensor)
      return .done
    }
    guard (sensor.metadata.finalizers ?? []).contains(SensorLayout.finalizer) else {
      // The patch changes the sensor, whose watch event brings it back here.
      try await addFinalizer(to: sensor)
      return .done
    }

    let owned = view.children(of: key)
    let problems = try await DesiredState.problems(in: sensor) + secretProblems(of: sensor)
    guard problems.isEmpty else {
      // Nothing of a spec that cannot be honoured is applied; what runs keeps running.
      let status = status(of: sensor, expected: nil, live: owned, problems: problems, failure: nil)
      try await write(status, of: sensor)
      let waitsOnSecret = problems.contains { $0.reason == SecretProblem.reason }
      return waitsOnSecret ? .requeue(after: recheckInterval) : .done
    }

    let desired = DesiredState.children(of: sensor)
    var live = owned
    var failure: OperatorError?
    do {
      for child in desired {
        let object = try await ensure(child, of: sensor)
        live.removeAll { $0.kind == child.kind && $0.object.objectName == child.name }
        live.append((child.kind, object))
      }
      let deleted = try await deleteUnwanted(owned, desired: desired, of: sensor)
      live.removeAll { entry in deleted.contains { $0.kind == entry.kind && $0.name == entry.object.objectName } }
    } catch {
      failure = error
      await events.record(.warning, on: sensor, reason: "ApplyFailed", message: error.description)
    }
    let expected = Set(desired.map(\.component))
    try await write(status(of: sensor, expected: expected, live: live, problems: [], failure: failure), of: sensor)
    if let failure { throw failure }
    return .done
  }

  // MARK: Children

  /// Applies `child` unless the live object already matches; returns the object as it now is.
  private func ensure(_ child: DesiredChild, of sensor: SovrenSensor) async throws(OperatorError) -> JSONValue {
    let cached = view.child(child.kind, namespace: child.namespace, name: child.name)
    if let cached, !DesiredState.needsApply(child.object, live: cached) { return cached }
    if cached == nil {
      // The cache holds only labelled objects: make sure an object of this name is not someone else's.
      try await checkNotForeign(child, of: sensor)
    }
    let applied: JSONValue
    do {
      applied = try await apply(child)
    } catch {
      // A StatefulSet's claim templates (Kafka's storage) cannot change in place: make it anew.
      // Only for that refusal (the API server's own words): any other invalid apply is reported.
      guard child.kind == .statefulSet, let cached, let underlying = error.underlying, underlying.isInvalid,
        underlying.message.contains("updates to statefulset spec for fields other than")
      else { throw error }
      try await delete(child.kind, cached)
      await events.record(
        .normal, on: sensor, reason: "Recreated",
        message: "Deleted StatefulSet \(child.name) to create it again: its storage cannot change in place.")
      return try await apply(child)
    }
    let (reason, message) = Self.announcement(for: child, previous: cached)
    logger.info(
      "applied", metadata: ["k8s.kind": "\(child.kind)", "k8s.name": "\(describe(child))", "reason": "\(reason)"])
    await events.record(.normal, on: sensor, reason: reason, message: message)
    return applied
  }

  private func apply(_ child: DesiredChild) async throws(OperatorError) -> JSONValue {
    metrics.requested(.apply)
    do {
      return try await client.apply(
        child.object, in: child.kind.resource, namespace: child.kind.namespaced ? child.namespace : nil,
        fieldManager: SensorLayout.fieldManager, force: true)
    } catch {
      throw OperatorError("apply \(child.kind) \(describe(child))", error)
    }
  }

  /// Why a child was applied: created, changed to a new spec, or put back after an outside edit.
  static func announcement(for child: DesiredChild, previous: JSONValue?) -> (reason: String, message: String) {
    let hashPath = ["metadata", "annotations", SensorLayout.appliedHashAnnotation]
    guard let previous else { return ("Created", "Created \(child.kind) \(child.name).") }
    if previous[path: hashPath] != child.object[path: hashPath] {
      return ("Updated", "Updated \(child.kind) \(child.name) to the current spec.")
    }
    return ("Repaired", "Restored \(child.kind) \(child.name), which was changed outside the operator.")
  }

  /// Fails when an object with the child's name exists and belongs to something else: the
  /// operator does not take over what it did not create.
  private func checkNotForeign(_ child: DesiredChild, of sensor: SovrenSensor) async throws(OperatorError) {
    metrics.requested(.get)
    let existing: JSONValue
    do {
      existing = try await client.get(
        child.kind.resource, as: JSONValue.self, name: child.name,
        namespace: child.kind.namespaced ? child.namespace : nil
      )
    } catch {
      if error.isNotFound { return }
      throw OperatorError("read \(child.kind) \(describe(child))", error)
    }
    let owner = SensorLayout.owningSensor(of: existing)
    let ownerUIDs = (existing[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).compactMap {
      $0["uid"]?.stringValue
    }
    let ours =
      owner == NamespacedName(of: sensor) && (!child.kind.namespaced || ownerUIDs.contains(sensor.metadata.uid ?? ""))
    guard !ours else { return }
    throw OperatorError(
      "apply \(child.kind) \(describe(child))",
      because: "it already exists and does not belong to this sensor; remove that object or rename the sensor")
  }

  /// Deletes the children the spec no longer asks for (Kafka after a switch to external, the map
  /// after `deploy: false`); returns them.
  private func deleteUnwanted(
    _ owned: [(kind: ChildKind, object: JSONValue)], desired: [DesiredChild], of sensor: SovrenSensor
  ) async throws(OperatorError) -> [(kind: ChildKind, name: String)] {
    var deleted: [(kind: ChildKind, name: String)] = []
    for (kind, object) in owned where !desired.contains(where: { $0.kind == kind && $0.name == object.objectName }) {
      try await delete(kind, object)
      deleted.append((kind, object.objectName))
      await events.record(
        .normal, on: sensor, reason: "Deleted", message: "Deleted \(kind) \(object.objectName), no longer in the spec.")
    }
    return deleted
  }

  /// Deletes one child, only that incarnation of it (uid precondition), its pods in the background.
  func delete(_ kind: ChildKind, _ object: JSONValue) async throws(OperatorError) {
    metrics.requested(.delete)
    let options = DeleteOptions(
      propagationPolicy: .background, preconditions: DeleteOptions.Preconditions(uid: object.objectUID))
    do {
      _ = try await client.delete(
        kind.resource, as: JSONValue.self, name: object.objectName,
        namespace: kind.namespaced ? object.objectNamespace : nil, options: options)
      logger.info("deleted", metadata: ["k8s.kind": "\(kind)", "k8s.name": "\(NamespacedName(of: object))"])
    } catch {
      // Already gone, or replaced by a newer incarnation (the uid precondition failed): nothing to do.
      if error.isNotFound || error.isConflict { return }
      throw OperatorError("delete \(kind) \(NamespacedName(of: object))", error)
    }
  }

  func describe(_ child: DesiredChild) -> String {
    child.kind.namespaced ? "\(child.namespace)/\(child.name)" : child.name
  }

  // MARK: Secrets

  /// The map token's Secret must exist with its key before the pods that read it are applied.
  private func secretProblems(of sensor: SovrenSensor) async throws(OperatorError) -> [SpecProblem] {
    guard let reference = sensor.spec.map.tokenSecretRef, let namespace = sensor.metadata.namespace else {
      return []
    }
    metrics.requested(.get)
    let secret: Secret
    do {
      secret = try await client.get(Secret.self, name: reference.name, namespace: namespace)
    } catch {
      if error.isNotFound {
        return [
          SecretProblem.make(
            "Secret \(reference.name) does not exist in namespace \(namespace); create it with the map token under key \(reference.key)."
          )
        ]
      }
      throw OperatorError("read Secret \(namespace)/\(reference.name)", error)
    }
    let keys = Set((secret.data ?? [:]).keys).union((secret.stringData ?? [:]).keys)
    guard keys.contains(reference.key) else {
      return [
        SecretProblem.make(
          "Secret \(reference.name) has no key \(reference.key); add the map token under that key or set tokenSecretRef.key."
        )
      ]
    }
    return []
  }
}

/// The problem of a token Secret that is missing or lacks its key.
enum SecretProblem {
  static let reason = "SecretNotFound"

  static func make(_ message: String) -> SpecProblem {
    SpecProblem(field: "spec.map.tokenSecretRef", reason: reason, message: message)
  }
}
