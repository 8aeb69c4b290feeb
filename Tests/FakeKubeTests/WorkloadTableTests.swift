import Foundation
import KubeModel
import TestSupport
import Testing

@testable import FakeKube

/// The columns `kubectl get` shows for Nodes, workloads, Pods and Endpoints, as a real server computes them.
@Suite("Workload table columns")
struct WorkloadTableTests {
  let now = Date(timeIntervalSince1970: 1_767_225_600 + 3600)  // 2026-01-01T01:00:00Z
  let created = "2026-01-01T00:00:00Z"

  func type(_ kind: String) throws -> ResourceType {
    try #require(ResourceType.builtIn.first { $0.kind == kind })
  }

  /// Column names (`*` marks the ones only `-o wide` shows) and the first row's cells.
  func render(_ kind: String, _ object: JSONValue) throws -> (columns: [String], cells: [JSONValue]) {
    let table = Tables.table(try type(kind), objects: [object], resourceVersion: 1, include: .none, now: now)
    let columns = (table["columnDefinitions"]?.arrayValue ?? []).map { column in
      (column["name"]?.stringValue ?? "") + (column["priority"] == 1 ? "*" : "")
    }
    return (columns, table["rows"]?.arrayValue?.first?["cells"]?.arrayValue ?? [])
  }

  @Test func nodesShowStatusRolesAgeVersionAndWideDetails() throws {
    let node: JSONValue = [
      "metadata": [
        "name": "worker-1", "creationTimestamp": .string(created),
        "labels": [
          "node-role.kubernetes.io/worker": "", "node-role.kubernetes.io/edge": "", "kubernetes.io/role": "gpu",
        ],
      ],
      "spec": ["unschedulable": true],
      "status": [
        "conditions": [["type": "MemoryPressure", "status": "False"], ["type": "Ready", "status": "True"]],
        "addresses": [["type": "Hostname", "address": "worker-1"], ["type": "InternalIP", "address": "172.18.0.2"]],
        "nodeInfo": [
          "kubeletVersion": "v1.32.0", "osImage": "Debian GNU/Linux 12 (bookworm)", "kernelVersion": "6.8.0",
        ],
      ],
    ]
    let (columns, cells) = try render("Node", node)
    #expect(
      columns == [
        "Name", "Status", "Roles", "Age", "Version", "Internal-IP*", "External-IP*", "OS-Image*", "Kernel-Version*",
        "Container-Runtime*",
      ])
    #expect(
      cells == [
        "worker-1", "Ready,SchedulingDisabled", "edge,gpu,worker", "60m", "v1.32.0", "172.18.0.2", "<none>",
        "Debian GNU/Linux 12 (bookworm)", "6.8.0", "<unknown>",
      ])
    let bare = try render("Node", ["metadata": ["name": "x", "creationTimestamp": .string(created)]])
    #expect(bare.cells.prefix(3) == ["x", "Unknown", "<none>"])
  }

  @Test func replicaSetsShowCountsAndTheirTemplateWhenWide() throws {
    let replicaSet: JSONValue = [
      "metadata": ["name": "web-7c5ddbdf54", "creationTimestamp": .string(created)],
      "spec": [
        "replicas": 3,
        "selector": [
          "matchLabels": ["app": "web", "pod-template-hash": "7c5ddbdf54"],
          "matchExpressions": [["key": "tier", "operator": "In", "values": ["front", "api"]]],
        ],
        "template": [
          "spec": ["containers": [["name": "web", "image": "nginx:1.27"], ["name": "log", "image": "busybox"]]]
        ],
      ],
      "status": ["replicas": 3, "readyReplicas": 2],
    ]
    let (columns, cells) = try render("ReplicaSet", replicaSet)
    #expect(columns == ["Name", "Desired", "Current", "Ready", "Age", "Containers*", "Images*", "Selector*"])
    #expect(
      cells == [
        "web-7c5ddbdf54", 3, 3, 2, "60m", "web,log", "nginx:1.27,busybox",
        "app=web,pod-template-hash=7c5ddbdf54,tier in (api,front)",
      ])
  }

  @Test func workloadsHaveTheirWideColumns() throws {
    let workload: JSONValue = [
      "metadata": ["name": "w", "creationTimestamp": .string(created)],
      "spec": [
        "replicas": 2, "selector": ["matchLabels": ["app": "w"]],
        "template": ["spec": ["containers": [["name": "c", "image": "i"]], "nodeSelector": ["disk": "ssd"]]],
      ],
      "status": [
        "readyReplicas": 2, "updatedReplicas": 2, "availableReplicas": 2, "desiredNumberScheduled": 3,
        "currentNumberScheduled": 3, "numberReady": 3, "updatedNumberScheduled": 3, "numberAvailable": 3,
      ],
    ]
    let deployment = try render("Deployment", workload)
    #expect(
      deployment.columns == ["Name", "Ready", "Up-to-date", "Available", "Age", "Containers*", "Images*", "Selector*"])
    #expect(deployment.cells == ["w", "2/2", 2, 2, "60m", "c", "i", "app=w"])
    let statefulSet = try render("StatefulSet", workload)
    #expect(statefulSet.columns == ["Name", "Ready", "Age", "Containers*", "Images*"])
    #expect(statefulSet.cells == ["w", "2/2", "60m", "c", "i"])
    let daemonSet = try render("DaemonSet", workload)
    #expect(
      daemonSet.columns == [
        "Name", "Desired", "Current", "Ready", "Up-to-date", "Available", "Node Selector", "Age", "Containers*",
        "Images*", "Selector*",
      ])
    #expect(daemonSet.cells == ["w", 3, 3, 3, 3, 3, "disk=ssd", "60m", "c", "i", "app=w"])
  }

  @Test func podsShowIPAndNodeWhenWide() throws {
    let pod: JSONValue = [
      "metadata": ["name": "web-1", "creationTimestamp": .string(created)],
      "spec": [
        "nodeName": "fakekube-node-2", "containers": [["name": "c"]],
        "readinessGates": [["conditionType": "example.com/ready"]],
      ],
      "status": [
        "phase": "Running", "podIP": "10.244.2.5", "podIPs": [["ip": "10.244.2.5"]],
        "conditions": [["type": "example.com/ready", "status": "True"]],
        "containerStatuses": [
          [
            "ready": true, "restartCount": 2, "state": ["running": [:]],
            "lastState": ["terminated": ["finishedAt": "2026-01-01T00:55:00Z"]],
          ]
        ],
      ],
    ]
    let (columns, cells) = try render("Pod", pod)
    #expect(columns.suffix(4) == ["IP*", "Node*", "Nominated Node*", "Readiness Gates*"])
    #expect(
      cells == ["web-1", "1/1", "Running", "2 (5m ago)", "60m", "10.244.2.5", "fakekube-node-2", "<none>", "1/1"])
  }

  static let statuses: [(status: JSONValue, shown: String)] = [
    (["phase": "Pending"], "Pending"),
    (
      ["phase": "Running", "containerStatuses": [["state": ["waiting": ["reason": "CrashLoopBackOff"]]]]],
      "CrashLoopBackOff"
    ),
    (
      [
        "phase": "Succeeded", "containerStatuses": [["state": ["terminated": ["reason": "Completed", "exitCode": 0]]]],
      ], "Completed"
    ),
    (["phase": "Failed", "containerStatuses": [["state": ["terminated": ["exitCode": 2]]]]], "ExitCode:2"),
    (
      ["phase": "Pending", "initContainerStatuses": [["state": ["waiting": ["reason": "PodInitializing"]]]]], "Init:0/1"
    ),
    (["phase": "Failed", "reason": "Evicted"], "Evicted"),
  ]

  @Test(arguments: statuses)
  func podStatusReadsAsKubectlShowsIt(status: JSONValue, shown: String) {
    let pod: JSONValue = [
      "metadata": ["name": "p"], "spec": ["initContainers": [["name": "setup"]], "containers": [["name": "c"]]],
      "status": status,
    ]
    #expect(Tables.podStatus(pod) == shown)
  }

  @Test func aPodBeingDeletedIsTerminating() {
    let pod: JSONValue = ["metadata": ["deletionTimestamp": "2026-01-01T00:00:00Z"], "status": ["phase": "Running"]]
    #expect(Tables.podStatus(pod) == "Terminating")
  }

  @Test func servicesAndEndpoints() throws {
    let service: JSONValue = [
      "metadata": ["name": "web", "creationTimestamp": .string(created)],
      "spec": [
        "type": "NodePort", "clusterIP": "10.96.0.10", "selector": ["app": "web"],
        "ports": [["port": 80, "nodePort": 30080, "protocol": "TCP"]],
      ],
    ]
    let rendered = try render("Service", service)
    #expect(rendered.columns.last == "Selector*")
    #expect(rendered.cells == ["web", "NodePort", "10.96.0.10", "<none>", "80:30080/TCP", "60m", "app=web"])
    let pending = try render("Service", ["metadata": ["name": "lb"], "spec": ["type": "LoadBalancer"]])
    #expect(pending.cells[3] == "<pending>")

    let endpoints: JSONValue = [
      "metadata": ["name": "web", "creationTimestamp": .string(created)],
      "subsets": [
        [
          "addresses": [["ip": "10.244.1.2"], ["ip": "10.244.2.2"], ["ip": "10.244.3.2"], ["ip": "10.244.1.3"]],
          "ports": [["port": 8080]],
        ]
      ],
    ]
    #expect(
      try render("Endpoints", endpoints).cells == [
        "web", "10.244.1.2:8080,10.244.2.2:8080,10.244.3.2:8080 + 1 more...", "60m",
      ])
    #expect(try render("Endpoints", ["metadata": ["name": "none"]]).cells[1] == "<none>")
  }
}
