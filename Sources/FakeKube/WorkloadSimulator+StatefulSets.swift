import Foundation
import KubeModel
import Logging

/// The StatefulSet controller, simplified: Pods `<name>-<ordinal>` created in ordinal order, the
/// highest removed first on scale-down, and a Pod of an older revision replaced (same name) at once.
/// Revisions are named `<name>-<template hash>`; no ControllerRevision objects are kept.
extension WorkloadReconciler {
  func reconcileStatefulSet(namespace: String, name: String) throws(FakeKubeError) -> ReconcileOutcome {
    guard let statefulSet = try existing(types.statefulSets, namespace, name), !statefulSet.isTerminating,
      let uid = statefulSet.uid
    else { return .done }
    let template = statefulSet[path: ["spec", "template"]] ?? [:]
    let revision = "\(name)-\(Self.templateHash(template))"
    let replicas = desiredReplicas(of: statefulSet)
    let firstOrdinal = Int(clamping: max(0, statefulSet[path: ["spec", "ordinals", "start"]]?.intValue ?? 0))
    let wantedNames = (firstOrdinal..<(firstOrdinal + replicas)).map { "\(name)-\($0)" }
    var pods = try controlled(types.pods, in: namespace, by: uid)

    // Pods beyond the replicas, of an older revision, or finished (to be started again); the
    // highest ordinal first, as the controller scales down and rolls out.
    let replaced = pods.filter {
      !wantedNames.contains($0.metadataName) || $0.labels[Self.revisionHashLabel] != revision || !$0.isActivePod
    }
    for pod in replaced.sorted(by: { Self.ordinal(of: $0) > Self.ordinal(of: $1) }) {
      guard budget > 0 else { return .continueNow }
      try deleteDependent(types.pods, pod)
    }
    pods.removeAll { pod in replaced.contains { $0.uid == pod.uid } }

    var outcome = ReconcileOutcome.done
    if acceptsNewObjects(namespace) {
      let present = Set(pods.map(\.metadataName))
      let nodes = try schedulableNodes()
      for (offset, podName) in wantedNames.enumerated() where !present.contains(podName) {
        guard budget > 0 else {
          outcome = .continueNow
          break
        }
        // The name is still held by a Pod being deleted: its deletion brings this back.
        guard try existing(types.pods, namespace, podName) == nil else { continue }
        let labels = [
          Self.revisionHashLabel: revision, "statefulset.kubernetes.io/pod-name": podName,
          "apps.kubernetes.io/pod-index": String(firstOrdinal + offset),
        ]
        var overrides: [String: JSONValue] = ["hostname": .string(podName)]
        if let service = statefulSet[path: ["spec", "serviceName"]]?.stringValue, !service.isEmpty {
          overrides["subdomain"] = .string(service)
        }
        let pod = podObject(
          from: template, name: podName, owner: statefulSet, ownerType: types.statefulSets, extraLabels: labels,
          nodeName: chooseNode(for: template["spec"] ?? [:], among: nodes), specOverrides: overrides)
        try createPod(pod, of: statefulSet, ownerType: types.statefulSets)
      }
      pods = try controlled(types.pods, in: namespace, by: uid)
    }
    pods = try pods.map { pod throws(FakeKubeError) in try start(pod) }

    let ready = Int64(pods.filter(\.isPodReady).count)
    let updated = Int64(pods.filter { $0.labels[Self.revisionHashLabel] == revision }.count)
    let rolledOut = updated == Int64(replicas) && pods.count == replicas
    let previousRevision = statefulSet[path: ["status", "currentRevision"]]?.stringValue ?? revision
    let currentRevision = rolledOut ? revision : previousRevision
    let current = Int64(pods.filter { $0.labels[Self.revisionHashLabel] == currentRevision }.count)
    let status: JSONValue = [
      "observedGeneration": .int(statefulSet.metadataGeneration), "replicas": .int(Int64(pods.count)),
      "readyReplicas": .int(ready), "currentReplicas": .int(current), "updatedReplicas": .int(updated),
      "availableReplicas": .int(ready), "currentRevision": .string(currentRevision),
      "updateRevision": .string(revision), "collisionCount": 0,
    ]
    try writeStatus(types.statefulSets, of: statefulSet, status)
    return outcome
  }

  /// The number after the last `-` of a StatefulSet Pod's name.
  static func ordinal(of pod: JSONValue) -> Int {
    Int(pod.metadataName.split(separator: "-").last ?? "") ?? 0
  }
}
