import Foundation
import KubeModel
import Logging

/// What a reconcile asks of the queue.
enum ReconcileOutcome: Equatable {
  /// The object is as its spec asks, or gone.
  case done
  /// The pass used up its budget of changes: come back at once for the rest.
  case continueNow
  /// Something failed: come back after a growing delay.
  case retry
}

/// The controllers' logic, run by the simulator's single worker. Each `reconcile` reads what the
/// store holds now, compares it with what the spec asks for, and writes only the differences;
/// running it again with nothing changed writes nothing.
///
/// Writes go through `ObjectStore.modify`, which reads and writes one object atomically, so they
/// cannot conflict with a client's writes; a status write reports the generation the reconcile
/// read, so a spec changed meanwhile stays unobserved until the next pass.
final class WorkloadReconciler {
  let store: ObjectStore
  let types: SimulatedTypes
  let configuration: WorkloadSimulator.Configuration
  let logger: Logger
  /// The scheduler's round-robin position.
  var nextNode = 0
  /// How many creations and deletions one pass may still make.
  var budget = 0
  private var failures: [WorkKey: Int] = [:]

  /// Creations and deletions per pass: a workload scaled far up comes up in steps, between which
  /// other keys get their turn.
  static let changesPerPass = 100

  init(store: ObjectStore, types: SimulatedTypes, configuration: WorkloadSimulator.Configuration, logger: Logger) {
    self.store = store
    self.types = types
    self.configuration = configuration
    self.logger = logger
  }

  func reconcile(_ key: WorkKey) -> ReconcileOutcome {
    budget = Self.changesPerPass
    do {
      let outcome: ReconcileOutcome
      switch key.kind {
      case .deployment: outcome = try reconcileDeployment(namespace: key.namespace, name: key.name)
      case .replicaSet: outcome = try reconcileReplicaSet(namespace: key.namespace, name: key.name)
      case .daemonSet: outcome = try reconcileDaemonSet(namespace: key.namespace, name: key.name)
      case .statefulSet: outcome = try reconcileStatefulSet(namespace: key.namespace, name: key.name)
      case .pod: outcome = try reconcilePod(namespace: key.namespace, name: key.name)
      case .service: outcome = try reconcileEndpoints(namespace: key.namespace, name: key.name)
      }
      return outcome
    } catch {
      failures[key, default: 0] += 1
      logger.warning(
        "reconcile failed; will retry",
        metadata: [
          "k8s.kind": "\(key.kind.rawValue)", "k8s.namespace": "\(key.namespace)", "k8s.name": "\(key.name)",
          "error": "\(error)",
        ])
      return .retry
    }
  }

  /// 100 ms after the first failure, doubling up to 10 s.
  func backoff(for key: WorkKey) -> Duration {
    let attempts = min(failures[key] ?? 1, 8)
    return min(.milliseconds(100 << (attempts - 1)), .seconds(10))
  }

  func forgetFailures(of key: WorkKey) {
    failures[key] = nil
  }

  // MARK: Shared steps

  var timestamp: String { store.now().formatted(.iso8601) }

  /// The object, or nil when it is gone.
  func existing(_ type: ResourceType, _ namespace: String, _ name: String) throws(FakeKubeError) -> JSONValue? {
    do {
      return try store.get(type, namespace: namespace, name: name)
    } catch .notFound {
      return nil
    }
  }

  /// Whether new objects may go into the namespace: not while it is being deleted.
  func acceptsNewObjects(_ namespace: String) -> Bool {
    guard let object = try? store.get(types.namespaces, namespace: "", name: namespace) else { return false }
    return !object.isTerminating
  }

  /// The objects of `type` in `namespace` whose controller is the object with `uid`, not being deleted.
  func controlled(_ type: ResourceType, in namespace: String, by uid: String) throws(FakeKubeError) -> [JSONValue] {
    try store.list(WatchFilter(type: type, namespace: namespace)).items.filter {
      $0.controllerReference?["uid"]?.stringValue == uid && !$0.isTerminating
    }
  }

  /// Creates a dependent of `owner`. Should the owner vanish meanwhile, the garbage collector may
  /// have looked for its dependents before this one existed: then it is deleted here.
  @discardableResult
  func createDependent(
    _ type: ResourceType, _ object: JSONValue, of owner: JSONValue, ownerType: ResourceType
  ) throws(FakeKubeError) -> JSONValue {
    let namespace = owner.metadataNamespace
    let created = try store.create(type, namespace: namespace, object: object)
    budget -= 1
    let current = try? store.get(ownerType, namespace: namespace, name: owner.metadataName)
    if current?.uid != owner.uid || current?.isTerminating == true {
      _ = try? store.delete(type, namespace: namespace, name: created.metadataName)
    }
    return created
  }

  func deleteDependent(_ type: ResourceType, _ object: JSONValue) throws(FakeKubeError) {
    do {
      try store.delete(type, namespace: object.metadataNamespace, name: object.metadataName)
    } catch .notFound {
      // Already gone: what was wanted.
    }
    budget -= 1
  }

  /// Writes `status` through the status subresource unless it is already there.
  func writeStatus(_ type: ResourceType, of object: JSONValue, _ status: JSONValue) throws(FakeKubeError) {
    guard object["status"] != status else { return }
    do {
      try store.modify(type, namespace: object.metadataNamespace, name: object.metadataName, subresource: "status") {
        current in
        var updated = current
        updated["status"] = status
        return updated
      }
    } catch .notFound {
      // Deleted meanwhile: nothing to report on.
    }
  }

  /// Sets `spec.replicas` unless it already has that value.
  func scale(_ type: ResourceType, _ object: JSONValue, to replicas: Int64) throws(FakeKubeError) -> JSONValue {
    guard object[path: ["spec", "replicas"]]?.intValue != replicas else { return object }
    return try store.modify(type, namespace: object.metadataNamespace, name: object.metadataName) { current in
      var updated = current
      updated.set(.int(replicas), at: ["spec", "replicas"])
      return updated
    }
  }

  /// `spec.replicas` (1 when unset, as the API server defaults it), within the configured maximum.
  func desiredReplicas(of object: JSONValue) -> Int {
    let requested = object[path: ["spec", "replicas"]]?.intValue ?? 1
    let bounded = Int(clamping: max(0, requested))
    if bounded > configuration.maximumReplicas {
      logger.warning(
        "replicas above the simulator's maximum; capped",
        metadata: [
          "k8s.namespace": "\(object.metadataNamespace)", "k8s.name": "\(object.metadataName)",
          "replicas": "\(bounded)", "maximum": "\(configuration.maximumReplicas)",
        ])
      return configuration.maximumReplicas
    }
    return bounded
  }

  /// A reference from a dependent to the object that controls it.
  static func controllerReference(to owner: JSONValue, of type: ResourceType) -> JSONValue {
    [
      "apiVersion": .string(type.apiVersion), "kind": .string(type.kind), "name": .string(owner.metadataName),
      "uid": .string(owner.uid ?? ""), "controller": true, "blockOwnerDeletion": true,
    ]
  }

  /// A condition as the controllers write it: the transition time of the existing condition of
  /// that type is kept while its status stays, so an unchanged condition writes nothing.
  static func condition(
    _ type: String, _ status: Bool, reason: String, message: String, existing: [JSONValue], now: String,
    withUpdateTime: Bool = false
  ) -> JSONValue {
    let statusText = status ? "True" : "False"
    let previous = existing.first { $0["type"]?.stringValue == type }
    let sameStatus = previous?["status"]?.stringValue == statusText
    let transition = sameStatus ? previous?["lastTransitionTime"] ?? .string(now) : .string(now)
    var condition: JSONValue = [
      "type": .string(type), "status": .string(statusText), "reason": .string(reason), "message": .string(message),
      "lastTransitionTime": transition,
    ]
    if withUpdateTime {
      let unchanged = sameStatus && previous?["reason"]?.stringValue == reason
      condition["lastUpdateTime"] = unchanged ? previous?["lastUpdateTime"] ?? .string(now) : .string(now)
    }
    return condition
  }

  /// A short hash of a pod template, spelled as Kubernetes spells `pod-template-hash`: the
  /// decimal digits of a 32-bit FNV-1a hash, each mapped into an alphabet without vowels.
  static func templateHash(_ template: JSONValue) -> String {
    var hash: UInt32 = 2_166_136_261
    for byte in template.serialized.utf8 {
      hash ^= UInt32(byte)
      hash &*= 16_777_619
    }
    let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
    return String(String(hash).utf8.map { alphabet[Int($0) % alphabet.count] })
  }
}

extension JSONValue {
  var metadataName: String { self[path: ["metadata", "name"]]?.stringValue ?? "" }
  var metadataNamespace: String { self[path: ["metadata", "namespace"]]?.stringValue ?? "" }
  var metadataGeneration: Int64 { self[path: ["metadata", "generation"]]?.intValue ?? 0 }

  /// The owner reference marked `controller: true`.
  var controllerReference: JSONValue? {
    self[path: ["metadata", "ownerReferences"]]?.arrayValue?.first { $0["controller"] == true }
  }

  /// `spec.selector` of a Service: nil when it has none, for then its Endpoints are not managed.
  var serviceSelector: LabelSelector? {
    guard let members = self[path: ["spec", "selector"]]?.objectValue, !members.isEmpty else { return nil }
    return LabelSelector(
      requirements: members.keys.sorted().map { .equals($0, members[$0]?.stringValue ?? "") })
  }

  /// A Pod's `Ready` condition is true.
  var isPodReady: Bool {
    let conditions = self[path: ["status", "conditions"]]?.arrayValue ?? []
    return conditions.contains { $0["type"] == "Ready" && $0["status"] == "True" }
  }

  /// A Pod that counts towards its controller: not being deleted, not finished.
  var isActivePod: Bool {
    let phase = self[path: ["status", "phase"]]?.stringValue
    return !isTerminating && phase != "Succeeded" && phase != "Failed"
  }

  /// Labels merged into `metadata.labels` (or, with a path, into the labels under it).
  func addingLabels(_ extra: [String: String], at path: [String] = ["metadata", "labels"]) -> JSONValue {
    var labels = self[path: path]?.objectValue ?? [:]
    for (key, value) in extra { labels[key] = .string(value) }
    var object = self
    object.set(.object(labels), at: path)
    return object
  }
}
