import Kube
import KubeModel

/// Deleting a sensor: namespaced children go with it through their owner references (the API
/// server's garbage collector); cluster-scoped ones cannot have an owner in a namespace, so the
/// sensor carries a finalizer until the operator has deleted them.
extension Reconciler {
  func addFinalizer(to sensor: SovrenSensor) async throws(OperatorError) {
    try await setFinalizers((sensor.metadata.finalizers ?? []) + [SensorLayout.finalizer], of: sensor)
  }

  /// Deletes the cluster-scoped children, then lets the sensor go.
  func finalize(_ sensor: SovrenSensor) async throws(OperatorError) {
    let finalizers = sensor.metadata.finalizers ?? []
    guard finalizers.contains(SensorLayout.finalizer) else { return }
    try await deleteClusterChildren(of: NamespacedName(of: sensor), sensor: sensor)
    try await setFinalizers(finalizers.filter { $0 != SensorLayout.finalizer }, of: sensor)
  }

  /// Deletes the cluster-scoped children of the sensor `key`.
  func deleteClusterChildren(of key: NamespacedName, sensor: SovrenSensor?) async throws(OperatorError) {
    for (kind, object) in view.children(of: key) where !kind.namespaced {
      try await delete(kind, object)
      if let sensor {
        await events.record(.normal, on: sensor, reason: "Deleted", message: "Deleted \(kind) \(object.objectName).")
      }
    }
  }

  /// A merge patch conditional on the sensor's resourceVersion, so a finalizer list changed by
  /// someone else meanwhile is not overwritten (409, retried with the newer sensor).
  private func setFinalizers(_ finalizers: [String], of sensor: SovrenSensor) async throws(OperatorError) {
    let patch: JSONValue = [
      "metadata": [
        "resourceVersion": .string(sensor.metadata.resourceVersion ?? ""),
        "finalizers": .array(finalizers.map(JSONValue.string)),
      ]
    ]
    metrics.requested(.patch)
    do {
      _ = try await client.patch(
        SovrenSensor.resource, as: JSONValue.self, name: sensor.name, namespace: sensor.metadata.namespace,
        .merge(patch))
    } catch {
      // Deleted meanwhile: nothing left to hold or release.
      if error.isNotFound { return }
      throw OperatorError("update the finalizers of sensor \(NamespacedName(of: sensor))", error)
    }
  }
}
