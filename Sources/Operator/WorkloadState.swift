import KubeModel

/// A workload's rollout as its own status tells it: DaemonSet, Deployment or StatefulSet.
struct WorkloadState: Sendable, Hashable {
  /// Pods it should have.
  var desired: Int64
  var ready: Int64
  /// Pods on the current template.
  var updated: Int64
  /// Its controller has seen the current spec, every pod runs the current template, no old pod
  /// remains and all are ready.
  var rolledOut: Bool

  init?(kind: ChildKind, object: JSONValue) {
    let status = object["status"]
    func count(_ key: String) -> Int64 { status?[key]?.intValue ?? 0 }
    let generation = object[path: ["metadata", "generation"]]?.intValue ?? 0
    let observed = (status?["observedGeneration"]?.intValue ?? 0) >= generation
    switch kind {
    case .daemonSet:
      desired = count("desiredNumberScheduled")
      ready = count("numberReady")
      updated = count("updatedNumberScheduled")
      let scheduled = count("currentNumberScheduled")
      rolledOut = observed && updated == desired && ready == desired && scheduled == desired
    case .deployment:
      desired = object[path: ["spec", "replicas"]]?.intValue ?? 1
      ready = count("readyReplicas")
      updated = count("updatedReplicas")
      rolledOut = observed && updated == desired && count("replicas") == desired && ready == desired
    case .statefulSet:
      desired = object[path: ["spec", "replicas"]]?.intValue ?? 1
      ready = count("readyReplicas")
      updated = count("updatedReplicas")
      let revisionsMatch = status?["currentRevision"] == status?["updateRevision"]
      rolledOut = observed && revisionsMatch && count("replicas") == desired && ready == desired
    default:
      return nil
    }
  }

  /// `ready/desired`, with what is still missing when not rolled out.
  var progress: String {
    rolledOut ? "\(ready)/\(desired) ready" : "\(ready)/\(desired) ready, \(updated)/\(desired) updated"
  }
}
