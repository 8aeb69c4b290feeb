import Foundation
import KubeModel
import Logging

/// The DaemonSet controller, simplified: one Pod on every Node its `nodeSelector` admits, bound to
/// the Node directly; a Pod of an older template is replaced at once.
extension WorkloadReconciler {
  static let revisionHashLabel = "controller-revision-hash"

  func reconcileDaemonSet(namespace: String, name: String) throws(FakeKubeError) -> ReconcileOutcome {
    guard let daemonSet = try existing(types.daemonSets, namespace, name), !daemonSet.isTerminating,
      let uid = daemonSet.uid
    else { return .done }
    let template = daemonSet[path: ["spec", "template"]] ?? [:]
    let hash = Self.templateHash(template)
    let nodes = try store.list(WatchFilter(type: types.nodes)).items.filter {
      !$0.isTerminating && $0.matchesNodeSelector(of: template["spec"] ?? [:])
    }
    let eligible = Set(nodes.map(\.metadataName))
    var outcome = ReconcileOutcome.done
    var pods = try controlled(types.pods, in: namespace, by: uid).filter(\.isActivePod)

    // Pods on Nodes that no longer admit them, extra Pods on one Node, Pods of an older template.
    var keptNodes: Set<String> = []
    var surplus: [JSONValue] = []
    for pod in pods.sorted(by: { $0.creationTime < $1.creationTime }) {
      let node = pod[path: ["spec", "nodeName"]]?.stringValue ?? ""
      if !eligible.contains(node) || keptNodes.contains(node) || pod.labels[Self.revisionHashLabel] != hash {
        surplus.append(pod)
      } else {
        keptNodes.insert(node)
      }
    }
    for pod in surplus {
      guard budget > 0 else { return .continueNow }
      try deleteDependent(types.pods, pod)
    }
    pods.removeAll { pod in surplus.contains { $0.uid == pod.uid } }

    if acceptsNewObjects(namespace) {
      for node in nodes where !keptNodes.contains(node.metadataName) {
        guard budget > 0 else {
          outcome = .continueNow
          break
        }
        let labels = [
          Self.revisionHashLabel: hash, "pod-template-generation": String(daemonSet.metadataGeneration),
        ]
        let pod = podObject(
          from: template, name: nil, owner: daemonSet, ownerType: types.daemonSets, extraLabels: labels,
          nodeName: node.metadataName)
        try createPod(pod, of: daemonSet, ownerType: types.daemonSets)
      }
      pods = try controlled(types.pods, in: namespace, by: uid).filter(\.isActivePod)
    }
    pods = try pods.map { pod throws(FakeKubeError) in try start(pod) }

    let scheduled = Set(pods.compactMap { $0[path: ["spec", "nodeName"]]?.stringValue }).intersection(eligible)
    let misscheduled = pods.filter { !eligible.contains($0[path: ["spec", "nodeName"]]?.stringValue ?? "") }
    let ready = Int64(pods.filter(\.isPodReady).count)
    let updated = Int64(pods.filter { $0.labels[Self.revisionHashLabel] == hash }.count)
    var status: JSONValue = [
      "desiredNumberScheduled": .int(Int64(eligible.count)), "currentNumberScheduled": .int(Int64(scheduled.count)),
      "numberMisscheduled": .int(Int64(misscheduled.count)), "numberReady": .int(ready),
      "numberAvailable": .int(ready), "updatedNumberScheduled": .int(updated),
      "observedGeneration": .int(daemonSet.metadataGeneration),
    ]
    let unavailable = Int64(eligible.count) - ready
    if unavailable > 0 { status["numberUnavailable"] = .int(unavailable) }
    try writeStatus(types.daemonSets, of: daemonSet, status)
    return outcome
  }
}
