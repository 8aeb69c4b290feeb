import Crypto
import Foundation
import KubeModel
import Logging

/// Pods: made from a workload's template, then scheduled and started as the scheduler and a
/// kubelet would, every container running and ready at once.
extension WorkloadReconciler {
  /// A Pod from a template, controlled by `owner`: the template's labels and annotations plus
  /// `extraLabels`, its spec, on `nodeName` when given. With `name` nil, the store names it
  /// `<owner>-<five random characters>`.
  func podObject(
    from template: JSONValue, name: String?, owner: JSONValue, ownerType: ResourceType,
    extraLabels: [String: String] = [:], nodeName: String?, specOverrides: [String: JSONValue] = [:]
  ) -> JSONValue {
    var metadata: [String: JSONValue] = [
      "ownerReferences": [Self.controllerReference(to: owner, of: ownerType)]
    ]
    if let name {
      metadata["name"] = .string(name)
    } else {
      metadata["generateName"] = .string("\(owner.metadataName)-")
    }
    var labels = template[path: ["metadata", "labels"]]?.objectValue ?? [:]
    for (key, value) in extraLabels { labels[key] = .string(value) }
    if !labels.isEmpty { metadata["labels"] = .object(labels) }
    if let annotations = template[path: ["metadata", "annotations"]], annotations.objectValue?.isEmpty == false {
      metadata["annotations"] = annotations
    }
    var spec = template["spec"]?.objectValue ?? [:]
    if let nodeName { spec["nodeName"] = .string(nodeName) }
    for (key, value) in specOverrides { spec[key] = value }
    return ["apiVersion": "v1", "kind": "Pod", "metadata": .object(metadata), "spec": .object(spec)]
  }

  /// Creates a Pod for `owner` and starts it at once.
  func createPod(_ pod: JSONValue, of owner: JSONValue, ownerType: ResourceType) throws(FakeKubeError) {
    let created = try createDependent(types.pods, pod, of: owner, ownerType: ownerType)
    logger.debug(
      "pod created",
      metadata: ["k8s.namespace": "\(created.metadataNamespace)", "k8s.name": "\(created.metadataName)"])
    _ = try start(created)
  }

  /// The scheduler's and kubelet's work on one Pod found in the store.
  func reconcilePod(namespace: String, name: String) throws(FakeKubeError) -> ReconcileOutcome {
    guard let pod = try existing(types.pods, namespace, name) else { return .done }
    _ = try start(pod)
    return .done
  }

  /// Schedules a Pod that has no Node, and reports a Pending one as running with every container
  /// ready. A Pod stays Pending while no Node fits it or its Node has no free address; one that
  /// is running, finished or being deleted is left as it is. Returns the Pod as it now stands.
  func start(_ pod: JSONValue) throws(FakeKubeError) -> JSONValue {
    let phase = pod[path: ["status", "phase"]]?.stringValue ?? "Pending"
    guard phase == "Pending", !pod.isTerminating else { return pod }
    var pod = pod
    if pod[path: ["spec", "nodeName"]]?.stringValue?.isEmpty ?? true {
      let nodes = try schedulableNodes()
      guard let nodeName = chooseNode(for: pod["spec"] ?? [:], among: nodes) else {
        logger.debug("no node fits the pod", metadata: ["k8s.name": "\(pod.metadataName)"])
        return pod
      }
      pod = try store.modify(types.pods, namespace: pod.metadataNamespace, name: pod.metadataName) { current in
        var updated = current
        updated.set(.string(nodeName), at: ["spec", "nodeName"])
        return updated
      }
    }
    let nodeName = pod[path: ["spec", "nodeName"]]?.stringValue ?? ""
    guard let node = try existing(types.nodes, "", nodeName), let hostIP = node.nodeAddress("InternalIP") else {
      return pod
    }
    let podIP: String
    if pod[path: ["spec", "hostNetwork"]] == true {
      podIP = hostIP
    } else if let free = try allocatePodIP(on: node) {
      podIP = free
    } else {
      logger.warning("no free pod address on the node", metadata: ["k8s.node": "\(nodeName)"])
      return pod
    }
    let status = runningStatus(of: pod, hostIP: hostIP, podIP: podIP)
    try writeStatus(types.pods, of: pod, status)
    pod["status"] = status
    return pod
  }

  /// The status a kubelet reports once every container started and passed its readiness checks.
  func runningStatus(of pod: JSONValue, hostIP: String, podIP: String) -> JSONValue {
    let now = timestamp
    let started = pod[path: ["status", "startTime"]] ?? .string(now)
    let uid = pod.uid ?? pod.metadataName
    let conditions: [JSONValue] = [
      "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled",
    ]
    .map { type in ["type": .string(type), "status": "True", "lastProbeTime": .null, "lastTransitionTime": started] }
    func containerStatus(_ container: JSONValue, finished: Bool) -> JSONValue {
      let name = container["name"]?.stringValue ?? ""
      let image = container["image"]?.stringValue ?? ""
      let state: JSONValue =
        finished
        ? ["terminated": ["exitCode": 0, "reason": "Completed", "startedAt": started, "finishedAt": started]]
        : ["running": ["startedAt": started]]
      return [
        "name": .string(name), "image": .string(image), "imageID": .string("sha256:" + Self.digest(image)),
        "containerID": .string("containerd://" + Self.digest("\(uid)/\(name)")), "ready": .bool(!finished),
        "started": .bool(!finished), "restartCount": 0, "state": state, "lastState": [:],
      ]
    }
    var status: JSONValue = [
      "phase": "Running", "conditions": .array(conditions), "hostIP": .string(hostIP),
      "hostIPs": [["ip": .string(hostIP)]], "podIP": .string(podIP), "podIPs": [["ip": .string(podIP)]],
      "startTime": started, "qosClass": .string(Self.qosClass(of: pod)),
      "containerStatuses": .array(
        (pod[path: ["spec", "containers"]]?.arrayValue ?? []).map { containerStatus($0, finished: false) }),
    ]
    if let initContainers = pod[path: ["spec", "initContainers"]]?.arrayValue, !initContainers.isEmpty {
      status["initContainerStatuses"] = .array(initContainers.map { containerStatus($0, finished: true) })
    }
    return status
  }

  /// `Guaranteed` when every container limits cpu and memory to what it requests, `BestEffort`
  /// when none asks for anything, `Burstable` otherwise.
  static func qosClass(of pod: JSONValue) -> String {
    let containers = pod[path: ["spec", "containers"]]?.arrayValue ?? []
    let resources = containers.map { $0["resources"] ?? [:] }
    let asksNothing = resources.allSatisfy {
      ($0["requests"]?.objectValue ?? [:]).isEmpty && ($0["limits"]?.objectValue ?? [:]).isEmpty
    }
    if asksNothing { return "BestEffort" }
    let guaranteed = resources.allSatisfy { resource in
      let limits = resource["limits"]?.objectValue ?? [:]
      let requests = resource["requests"]?.objectValue ?? limits
      return ["cpu", "memory"].allSatisfy { limits[$0] != nil && requests[$0] == limits[$0] }
    }
    return guaranteed ? "Guaranteed" : "Burstable"
  }

  /// A stable 64-hex-digit identifier derived from `text`, like a container or image id.
  static func digest(_ text: String) -> String {
    SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
  }
}
