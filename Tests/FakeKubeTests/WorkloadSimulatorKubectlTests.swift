import FakeKube
import Foundation
import KubeModel
import TestSupport
import Testing

/// The real kubectl against FakeKube with the workload simulator running beside it.
@Suite("kubectl against simulated workloads", .serialized)
struct WorkloadSimulatorKubectlTests {
  /// A Deployment (2 replicas), a DaemonSet, a StatefulSet and a Service selecting the Deployment.
  static func manifests(databaseReplicas: Int = 2) -> String {
    """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      replicas: 2
      selector:
        matchLabels: {app: web}
      template:
        metadata:
          labels: {app: web}
        spec:
          containers:
          - name: web
            image: nginx:1.27
            ports:
            - {name: http, containerPort: 80}
    ---
    apiVersion: apps/v1
    kind: DaemonSet
    metadata:
      name: agent
    spec:
      # No updateStrategy: `kubectl rollout status` relies on the server's default (RollingUpdate).
      selector:
        matchLabels: {app: agent}
      template:
        metadata:
          labels: {app: agent}
        spec:
          containers:
          - name: agent
            image: sovren/agent:0.1
    ---
    apiVersion: apps/v1
    kind: StatefulSet
    metadata:
      name: db
    spec:
      replicas: \(databaseReplicas)
      serviceName: db
      selector:
        matchLabels: {app: db}
      template:
        metadata:
          labels: {app: db}
        spec:
          containers:
          - name: db
            image: postgres:17
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: web
    spec:
      selector: {app: web}
      ports:
      - {name: http, port: 8080, targetPort: http}
    """
  }

  /// The lines of kubectl's table output, each split into its columns.
  func rows(_ output: String) -> [[String]] {
    output.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
  }

  @Test func workloadsComeUpAndKubectlShowsThem() async throws {
    try await withFakeKube { kubectl, store in
      let simulator = try WorkloadSimulator(
        store: store, configuration: .init(nodeCount: 3, reconcileDelay: .milliseconds(100)))
      let simulation = Task { try await simulator.run() }
      defer { simulation.cancel() }

      let applied = try await kubectl.succeed("apply", "-f", try kubectl.file("workloads.yaml", Self.manifests()))
      #expect(applied.contains("deployment.apps/web created") && applied.contains("statefulset.apps/db created"))
      let rollout = try await kubectl.succeed(
        "rollout", "status", "deployment/web", "--timeout=30s", timeout: .seconds(40))
      #expect(rollout.contains("deployment \"web\" successfully rolled out"))
      let waited = try await kubectl.succeed(
        "wait", "--for=condition=Available", "deployment/web", "--timeout=30s", timeout: .seconds(40))
      #expect(waited.contains("deployment.apps/web condition met"))
      try await kubectl.succeed("rollout", "status", "daemonset/agent", "--timeout=30s", timeout: .seconds(40))
      try await kubectl.succeed("rollout", "status", "statefulset/db", "--timeout=30s", timeout: .seconds(40))

      let nodes = rows(try await kubectl.succeed("get", "nodes"))
      #expect(nodes.first == ["NAME", "STATUS", "ROLES", "AGE", "VERSION"])
      #expect(nodes.dropFirst().map(\.first) == ["fakekube-node-1", "fakekube-node-2", "fakekube-node-3"])
      #expect(
        nodes.dropFirst().allSatisfy { $0.count == 5 && $0[1] == "Ready" && $0[2] == "<none>" && $0[4] == "v1.32.0" })
      let wideNodes = rows(try await kubectl.succeed("get", "nodes", "-o", "wide"))
      #expect(
        wideNodes.first?.prefix(7) == ["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP"])
      #expect(wideNodes.dropFirst().first?[5] == "172.18.0.2" && wideNodes.dropFirst().first?[6] == "<none>")

      let output = try await kubectl.succeed("get", "ds,deploy,sts,pods", "-o", "wide")
      let table = rows(output)
      func row(_ name: String) -> [String]? { table.first { $0.first == name } }
      #expect(
        table.contains([
          "NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE", "SELECTOR", "AGE", "CONTAINERS",
          "IMAGES", "SELECTOR",
        ]))
      let agent = try #require(row("daemonset.apps/agent"))
      #expect(agent.prefix(7) == ["daemonset.apps/agent", "3", "3", "3", "3", "3", "<none>"])
      #expect(agent.suffix(3) == ["agent", "sovren/agent:0.1", "app=agent"])
      #expect(table.contains(["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"]))
      let web = try #require(row("deployment.apps/web"))
      #expect(web.prefix(4) == ["deployment.apps/web", "2/2", "2", "2"])
      #expect(web.suffix(3) == ["web", "nginx:1.27", "app=web"])
      #expect(table.contains(["NAME", "READY", "AGE", "CONTAINERS", "IMAGES"]))
      let db = try #require(row("statefulset.apps/db"))
      #expect(db.prefix(2) == ["statefulset.apps/db", "2/2"] && db.suffix(2) == ["db", "postgres:17"])

      #expect(
        table.contains([
          "NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED", "NODE", "READINESS", "GATES",
        ]))
      let pods = table.filter { $0.first?.hasPrefix("pod/") == true }
      #expect(pods.count == 2 + 3 + 2)
      #expect(row("pod/db-0") != nil && row("pod/db-1") != nil)
      for pod in pods {
        #expect(pod.count == 9, "\(pod)")
        guard pod.count == 9 else { continue }
        #expect(pod[1] == "1/1" && pod[2] == "Running" && pod[3] == "0")
        let node = pod[6]
        #expect(node.hasPrefix("fakekube-node-"))
        #expect(pod[5].hasPrefix("10.244.\(node.dropFirst("fakekube-node-".count)).") == true)
        #expect(pod[7] == "<none>" && pod[8] == "<none>")
      }
      #expect(Set(pods.map { $0[5] }).count == pods.count)
      let webPods = pods.filter { $0[0].hasPrefix("pod/web-") }
      #expect(webPods.count == 2)

      let replicaSets = rows(try await kubectl.succeed("get", "rs", "-o", "wide"))
      #expect(replicaSets.first == ["NAME", "DESIRED", "CURRENT", "READY", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"])
      #expect(replicaSets.dropFirst().first?.prefix(4).dropFirst() == ["2", "2", "2"])

      let endpoints = try await kubectl.succeed(
        "get", "endpoints", "web", "-o",
        "jsonpath={range .subsets[*].addresses[*]}{.ip} {.targetRef.name}{\"\\n\"}{end}")
      let webPodIPs = Set(webPods.map { "\($0[5]) \($0[0].dropFirst("pod/".count))" })
      #expect(Set(endpoints.split(separator: "\n").map(String.init)) == webPodIPs)

      // Scaled down with kubectl, the Deployment is back to one Pod.
      try await kubectl.succeed("scale", "deployment/web", "--replicas=1")
      try await kubectl.succeed("rollout", "status", "deployment/web", "--timeout=30s", timeout: .seconds(40))
      let webLabel = LabelSelector(requirements: [.equals("app", "web")])
      try await waitUntil(timeout: .seconds(20), "one web pod") {
        (try? store.list(WatchFilter(type: podType, namespace: "default", labels: webLabel)).items.count) == 1
      }

      simulation.cancel()
      try await simulation.value
    }
  }

  let podType: ResourceType

  init() throws {
    podType = try #require(ResourceType.builtIn.first { $0.kind == "Pod" })
  }
}
