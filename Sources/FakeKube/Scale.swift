import KubeModel

/// The `scale` subresource of Deployments, StatefulSets and ReplicaSets: an `autoscaling/v1`
/// Scale view of `spec.replicas`, as `kubectl scale` reads and patches it.
enum Scale {
  static func of(_ object: JSONValue) -> JSONValue {
    var metadata: [String: JSONValue] = [:]
    for field in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] {
      metadata[field] = object[path: ["metadata", field]]
    }
    let matchLabels = object[path: ["spec", "selector", "matchLabels"]]?.objectValue ?? [:]
    let selector = matchLabels.keys.sorted().map { "\($0)=\(matchLabels[$0]?.stringValue ?? "")" }
    return [
      "kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": .object(metadata),
      "spec": ["replicas": object[path: ["spec", "replicas"]] ?? 1],
      "status": [
        "replicas": object[path: ["status", "replicas"]] ?? 0, "selector": .string(selector.joined(separator: ",")),
      ],
    ]
  }

  /// The object with `spec.replicas` taken from a Scale; the Scale's resourceVersion, if any,
  /// becomes the update's precondition.
  static func applying(_ scale: JSONValue, to object: JSONValue) throws(FakeKubeError) -> JSONValue {
    guard let replicas = scale[path: ["spec", "replicas"]]?.intValue, replicas >= 0 else {
      throw .invalid(
        kind: "Scale", name: object[path: ["metadata", "name"]]?.stringValue ?? "", field: "spec.replicas",
        detail: "Invalid value: must be a non-negative integer")
    }
    var updated = object
    updated.set(.int(replicas), at: ["spec", "replicas"])
    updated.set(scale[path: ["metadata", "resourceVersion"]], at: ["metadata", "resourceVersion"])
    return updated
  }
}
