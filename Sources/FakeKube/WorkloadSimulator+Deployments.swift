import Foundation
import KubeModel
import Logging

/// The Deployment and ReplicaSet controllers, simplified: a Deployment has one ReplicaSet per pod
/// template (`<deployment>-<pod-template-hash>`); the one for the current template gets all the
/// replicas and the others none (the rollout is immediate), and each ReplicaSet keeps as many
/// Pods as it wants.
extension WorkloadReconciler {
  static let templateHashLabel = "pod-template-hash"
  static let revisionAnnotation = "deployment.kubernetes.io/revision"

  func reconcileDeployment(namespace: String, name: String) throws(FakeKubeError) -> ReconcileOutcome {
    guard let deployment = try existing(types.deployments, namespace, name), !deployment.isTerminating,
      let uid = deployment.uid
    else { return .done }
    let replicas = Int64(desiredReplicas(of: deployment))
    let template = deployment[path: ["spec", "template"]] ?? [:]
    let hash = Self.templateHash(template)
    var owned = try controlled(types.replicaSets, in: namespace, by: uid)
    let highestRevision = owned.map(\.deploymentRevision).max() ?? 0

    var current = owned.first { $0.labels[Self.templateHashLabel] == hash }
    if let found = current {
      current = try makeCurrent(found, replicas: replicas, highestRevision: highestRevision)
    } else if acceptsNewObjects(namespace) {
      let replicaSet = replicaSetObject(
        for: deployment, template: template, hash: hash, replicas: replicas, revision: highestRevision + 1)
      current = try createDependent(types.replicaSets, replicaSet, of: deployment, ownerType: types.deployments)
      logger.debug(
        "replica set created", metadata: ["k8s.namespace": "\(namespace)", "k8s.name": "\(replicaSet.metadataName)"])
    }
    owned = try owned.filter { $0.labels[Self.templateHashLabel] != hash }.map { old throws(FakeKubeError) in
      try scale(types.replicaSets, old, to: 0)
    }
    try pruneHistory(of: deployment, old: &owned)

    var outcome = ReconcileOutcome.done
    var statuses: [JSONValue] = []
    for replicaSet in owned {
      let (status, step) = try reconcileReplicaSet(replicaSet)
      statuses.append(status)
      if step != .done { outcome = step }
    }
    var currentStatus: JSONValue = [:]
    if let current {
      let (status, step) = try reconcileReplicaSet(current)
      currentStatus = status
      statuses.append(status)
      if step != .done { outcome = step }
    }
    if let revision = current?[path: ["metadata", "annotations", Self.revisionAnnotation]],
      deployment[path: ["metadata", "annotations", Self.revisionAnnotation]] != revision
    {
      try store.modify(types.deployments, namespace: namespace, name: name) { latest in
        var updated = latest
        updated.set(revision, at: ["metadata", "annotations", Self.revisionAnnotation])
        return updated
      }
    }
    let status = deploymentStatus(
      deployment, replicas: replicas, all: statuses, current: currentStatus, currentName: current?.metadataName)
    try writeStatus(types.deployments, of: deployment, status)
    return outcome
  }

  /// The current template's ReplicaSet with the Deployment's replicas; brought back from history
  /// (a rollback), it becomes the newest revision again.
  private func makeCurrent(
    _ replicaSet: JSONValue, replicas: Int64, highestRevision: Int64
  ) throws(FakeKubeError)
    -> JSONValue
  {
    let revision = replicaSet.deploymentRevision < highestRevision ? highestRevision + 1 : replicaSet.deploymentRevision
    let wanted = JSONValue.string(String(replicas))
    let annotations = replicaSet[path: ["metadata", "annotations"]]
    guard
      replicaSet[path: ["spec", "replicas"]]?.intValue != replicas || replicaSet.deploymentRevision != revision
        || annotations?["deployment.kubernetes.io/desired-replicas"] != wanted
    else { return replicaSet }
    return try store.modify(
      types.replicaSets, namespace: replicaSet.metadataNamespace, name: replicaSet.metadataName
    ) { latest in
      var updated = latest
      updated.set(.int(replicas), at: ["spec", "replicas"])
      updated.set(.string(String(revision)), at: ["metadata", "annotations", Self.revisionAnnotation])
      updated.set(wanted, at: ["metadata", "annotations", "deployment.kubernetes.io/desired-replicas"])
      return updated
    }
  }

  private func replicaSetObject(
    for deployment: JSONValue, template: JSONValue, hash: String, replicas: Int64, revision: Int64
  ) -> JSONValue {
    let podTemplate = template.addingLabels([Self.templateHashLabel: hash])
    var selector = deployment[path: ["spec", "selector"]] ?? [:]
    selector = selector.addingLabels([Self.templateHashLabel: hash], at: ["matchLabels"])
    var spec: JSONValue = ["replicas": .int(replicas), "selector": selector, "template": podTemplate]
    if let minReady = deployment[path: ["spec", "minReadySeconds"]] { spec["minReadySeconds"] = minReady }
    var metadata: JSONValue = [
      "name": .string("\(deployment.metadataName)-\(hash)"),
      "annotations": [
        Self.revisionAnnotation: .string(String(revision)),
        "deployment.kubernetes.io/desired-replicas": .string(String(replicas)),
      ],
      "ownerReferences": [Self.controllerReference(to: deployment, of: types.deployments)],
    ]
    metadata["labels"] = podTemplate[path: ["metadata", "labels"]]
    return ["apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": metadata, "spec": spec]
  }

  /// Deletes the oldest scaled-down ReplicaSets beyond `spec.revisionHistoryLimit` (10 by default).
  private func pruneHistory(of deployment: JSONValue, old: inout [JSONValue]) throws(FakeKubeError) {
    let limit = Int(clamping: max(0, deployment[path: ["spec", "revisionHistoryLimit"]]?.intValue ?? 10))
    let idle = old.filter {
      $0[path: ["spec", "replicas"]]?.intValue == 0 && ($0[path: ["status", "replicas"]]?.intValue ?? 0) == 0
    }.sorted { $0.deploymentRevision < $1.deploymentRevision }
    guard idle.count > limit else { return }
    for replicaSet in idle.prefix(idle.count - limit) {
      try deleteDependent(types.replicaSets, replicaSet)
      old.removeAll { $0.uid == replicaSet.uid }
    }
  }

  private func deploymentStatus(
    _ deployment: JSONValue, replicas: Int64, all: [JSONValue], current: JSONValue, currentName: String?
  ) -> JSONValue {
    func total(_ field: String) -> Int64 { all.reduce(0) { $0 + ($1[field]?.intValue ?? 0) } }
    let existing = deployment[path: ["status", "conditions"]]?.arrayValue ?? []
    let now = timestamp
    let available = total("availableReplicas")
    let updated = current["replicas"]?.intValue ?? 0
    let minimum = replicas - maximumUnavailable(of: deployment, replicas: replicas)
    let isAvailable = available >= minimum
    let complete =
      updated == replicas && total("replicas") == replicas && (current["availableReplicas"]?.intValue ?? 0) == replicas
    let name = currentName ?? deployment.metadataName
    let conditions: [JSONValue] = [
      Self.condition(
        "Available", isAvailable, reason: isAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
        message: isAvailable
          ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
        existing: existing, now: now, withUpdateTime: true),
      Self.condition(
        "Progressing", true, reason: complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
        message: complete
          ? "ReplicaSet \"\(name)\" has successfully progressed." : "ReplicaSet \"\(name)\" is progressing.",
        existing: existing, now: now, withUpdateTime: true),
    ]
    var status: JSONValue = [
      "observedGeneration": .int(deployment.metadataGeneration), "replicas": .int(total("replicas")),
      "updatedReplicas": .int(updated), "readyReplicas": .int(total("readyReplicas")),
      "availableReplicas": .int(available), "conditions": .array(conditions),
    ]
    let unavailable = max(0, replicas - available)
    if unavailable > 0 { status["unavailableReplicas"] = .int(unavailable) }
    return status
  }

  /// `spec.strategy.rollingUpdate.maxUnavailable`: a count, or a percentage rounded down (25% by default).
  private func maximumUnavailable(of deployment: JSONValue, replicas: Int64) -> Int64 {
    guard deployment[path: ["spec", "strategy", "type"]]?.stringValue != "Recreate" else { return replicas }
    switch deployment[path: ["spec", "strategy", "rollingUpdate", "maxUnavailable"]] {
    case .int(let count): return count
    case .string(let text) where text.hasSuffix("%"):
      return replicas * (Int64(text.dropLast()) ?? 25) / 100
    default: return replicas * 25 / 100
    }
  }

  // MARK: ReplicaSets

  func reconcileReplicaSet(namespace: String, name: String) throws(FakeKubeError) -> ReconcileOutcome {
    guard let replicaSet = try existing(types.replicaSets, namespace, name), !replicaSet.isTerminating else {
      return .done
    }
    return try reconcileReplicaSet(replicaSet).outcome
  }

  /// Creates or deletes Pods until the ReplicaSet has as many as it wants, then writes its status.
  /// Returns the status, for the Deployment's.
  func reconcileReplicaSet(
    _ replicaSet: JSONValue
  ) throws(FakeKubeError) -> (
    status: JSONValue, outcome: ReconcileOutcome
  ) {
    guard let uid = replicaSet.uid else { return (replicaSet["status"] ?? [:], .done) }
    let namespace = replicaSet.metadataNamespace
    let wanted = desiredReplicas(of: replicaSet)
    var pods = try controlled(types.pods, in: namespace, by: uid).filter(\.isActivePod)
    var outcome = ReconcileOutcome.done
    if pods.count > wanted {
      // As the real controller does: the Pods least far along go first, then the youngest.
      let surplus = pods.sorted { lhs, rhs in
        if lhs.isPodReady != rhs.isPodReady { return !lhs.isPodReady }
        return (lhs.creationTime, lhs.metadataName) > (rhs.creationTime, rhs.metadataName)
      }.prefix(pods.count - wanted)
      for pod in surplus {
        guard budget > 0 else { return (replicaSet["status"] ?? [:], .continueNow) }
        try deleteDependent(types.pods, pod)
      }
      pods.removeAll { pod in surplus.contains { $0.uid == pod.uid } }
    } else if pods.count < wanted, acceptsNewObjects(namespace) {
      let template = replicaSet[path: ["spec", "template"]] ?? [:]
      let nodes = try schedulableNodes()
      for _ in pods.count..<wanted {
        guard budget > 0 else {
          outcome = .continueNow
          break
        }
        let node = chooseNode(for: template["spec"] ?? [:], among: nodes)
        let pod = podObject(
          from: template, name: nil, owner: replicaSet, ownerType: types.replicaSets, nodeName: node)
        try createPod(pod, of: replicaSet, ownerType: types.replicaSets)
      }
      pods = try controlled(types.pods, in: namespace, by: uid).filter(\.isActivePod)
    }
    pods = try pods.map { pod throws(FakeKubeError) in try start(pod) }
    let ready = Int64(pods.filter(\.isPodReady).count)
    let status: JSONValue = [
      "replicas": .int(Int64(pods.count)), "fullyLabeledReplicas": .int(Int64(pods.count)),
      "readyReplicas": .int(ready), "availableReplicas": .int(ready),
      "observedGeneration": .int(replicaSet.metadataGeneration),
    ]
    try writeStatus(types.replicaSets, of: replicaSet, status)
    return (status, outcome)
  }
}

extension JSONValue {
  /// `deployment.kubernetes.io/revision` of a ReplicaSet.
  var deploymentRevision: Int64 {
    Int64(self[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]]?.stringValue ?? "") ?? 0
  }

  var creationTime: String { self[path: ["metadata", "creationTimestamp"]]?.stringValue ?? "" }
}
