import Foundation
import KubeModel
import Logging

/// The Nodes, and the scheduler's part: which Node a Pod goes to, and which IP it gets there.
extension WorkloadReconciler {
  /// Node *k* (from 1): InternalIP `172.18.0.<k+1>` (as on a kind network, whose gateway is .1),
  /// pod CIDR `10.244.<k>.0/24`.
  func nodeObject(number: Int) -> JSONValue {
    let name = "\(configuration.nodeNamePrefix)-\(number)"
    let now = timestamp
    let resources: JSONValue = ["cpu": "8", "memory": "16Gi", "pods": "110", "ephemeral-storage": "100Gi"]
    let conditions: [JSONValue] = [
      ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
      ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
      ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
      ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ].map { type, status, reason, message in
      [
        "type": .string(type), "status": .string(status), "reason": .string(reason), "message": .string(message),
        "lastHeartbeatTime": .string(now), "lastTransitionTime": .string(now),
      ]
    }
    let identity = UUID().uuidString.lowercased()
    return [
      "apiVersion": "v1", "kind": "Node",
      "metadata": [
        "name": .string(name),
        "labels": [
          "kubernetes.io/hostname": .string(name), "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
          "beta.kubernetes.io/os": "linux", "beta.kubernetes.io/arch": "amd64",
        ],
        "annotations": [
          "node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true",
        ],
      ],
      "spec": [
        "podCIDR": .string("10.244.\(number).0/24"), "podCIDRs": [.string("10.244.\(number).0/24")],
        "providerID": .string("fakekube://\(name)"),
      ],
      "status": [
        "addresses": [
          ["type": "InternalIP", "address": .string("172.18.0.\(number + 1)")],
          ["type": "Hostname", "address": .string(name)],
        ],
        "capacity": resources, "allocatable": resources, "conditions": .array(conditions),
        "daemonEndpoints": ["kubeletEndpoint": ["Port": 10250]],
        "nodeInfo": [
          "architecture": "amd64", "bootID": .string(identity), "containerRuntimeVersion": "containerd://1.7.24",
          "kernelVersion": "6.8.0-fakekube", "kubeProxyVersion": "v1.32.0", "kubeletVersion": "v1.32.0",
          "machineID": .string(identity.replacingOccurrences(of: "-", with: "")), "operatingSystem": "linux",
          "osImage": "Debian GNU/Linux 12 (bookworm)", "systemUUID": .string(identity),
        ],
      ],
    ]
  }

  /// Registers the configured Nodes that do not exist yet, as their kubelets would on start.
  func createMissingNodes() {
    guard configuration.nodeCount > 0 else { return }
    for number in 1...configuration.nodeCount {
      let node = nodeObject(number: number)
      do {
        guard try existing(types.nodes, "", node.metadataName) == nil else { continue }
        let created = try store.create(types.nodes, namespace: "", object: node)
        // Status goes through its own subresource, should the create have left it out.
        try writeStatus(types.nodes, of: created, node["status"] ?? [:])
        logger.info("node registered", metadata: ["k8s.node": "\(node.metadataName)"])
      } catch {
        logger.error("cannot register a node", metadata: ["k8s.node": "\(node.metadataName)", "error": "\(error)"])
      }
    }
  }

  /// The Nodes that take Pods: Ready, schedulable, sorted by name.
  func schedulableNodes() throws(FakeKubeError) -> [JSONValue] {
    try store.list(WatchFilter(type: types.nodes)).items.filter { node in
      node.isNodeReady && node[path: ["spec", "unschedulable"]] != true && !node.isTerminating
    }
  }

  /// The next Node, round robin, among those whose labels the pod spec's `nodeSelector` matches.
  func chooseNode(for podSpec: JSONValue, among nodes: [JSONValue]) -> String? {
    let candidates = nodes.filter { $0.matchesNodeSelector(of: podSpec) }
    guard !candidates.isEmpty else { return nil }
    defer { nextNode &+= 1 }
    return candidates[Int(UInt(bitPattern: nextNode) % UInt(candidates.count))].metadataName
  }

  /// A free address in the Node's pod CIDR (a /24: hosts .2 to .254, .1 being the bridge), or nil
  /// when all are taken or the Node has no CIDR of that form.
  func allocatePodIP(on node: JSONValue) throws(FakeKubeError) -> String? {
    guard let cidr = node[path: ["spec", "podCIDR"]]?.stringValue, cidr.hasSuffix(".0/24") else { return nil }
    let base = String(cidr.dropLast("0/24".count))
    let onNode = FieldSelector(requirements: [
      .init(field: "spec.nodeName", value: node.metadataName, negated: false)
    ])
    let used = Set(
      try store.list(WatchFilter(type: types.pods, fields: onNode)).items.compactMap {
        $0[path: ["status", "podIP"]]?.stringValue
      })
    return (2...254).lazy.map { "\(base)\($0)" }.first { !used.contains($0) }
  }
}

extension JSONValue {
  var isNodeReady: Bool {
    let conditions = self[path: ["status", "conditions"]]?.arrayValue ?? []
    return conditions.contains { $0["type"] == "Ready" && $0["status"] == "True" }
  }

  /// The Node's first address of this type (`InternalIP`, `ExternalIP`, `Hostname`).
  func nodeAddress(_ type: String) -> String? {
    let addresses = self[path: ["status", "addresses"]]?.arrayValue ?? []
    return addresses.first { $0["type"]?.stringValue == type }?["address"]?.stringValue
  }

  /// Whether this Node's labels have every pair of the pod spec's `nodeSelector`.
  func matchesNodeSelector(of podSpec: JSONValue) -> Bool {
    let selector = podSpec["nodeSelector"]?.objectValue ?? [:]
    let labels = self.labels
    return selector.allSatisfy { labels[$0.key] == $0.value.stringValue }
  }
}
