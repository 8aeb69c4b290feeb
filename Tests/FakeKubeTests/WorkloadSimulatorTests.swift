import Foundation
import KubeModel
import Logging
import ServiceLifecycle
import TestSupport
import Testing

@testable import FakeKube

/// The simulated controllers, scheduler and kubelets against a store, with no reconcile delay.
@Suite("Workload simulator", .timeLimit(.minutes(2)))
struct WorkloadSimulatorTests {
  let types: SimulatedTypes

  init() throws {
    types = try SimulatedTypes(registry: ResourceRegistry())
  }

  static let logger = {
    var logger = Logger(label: "simulator-test")
    logger.logLevel = .warning
    return logger
  }()

  /// Runs the simulator on a fresh store for `body`, then cancels it and waits for it to stop.
  func withSimulator(
    nodes: Int = 3, _ body: (ObjectStore) async throws -> Void
  ) async throws {
    let store = ObjectStore(historyLimit: 10_000)
    FakeAPIServer.seedNamespaces(in: store)
    let configuration = WorkloadSimulator.Configuration(nodeCount: nodes, reconcileDelay: .zero)
    let simulator = try WorkloadSimulator(store: store, configuration: configuration, logger: Self.logger)
    let task = Task { try await simulator.run() }
    do {
      try await body(store)
    } catch {
      task.cancel()
      _ = await task.result
      throw error
    }
    task.cancel()
    try await task.value
  }

  static func deployment(_ name: String, replicas: Int64, image: String = "nginx:1.27") -> JSONValue {
    [
      "metadata": ["name": .string(name)],
      "spec": [
        "replicas": .int(replicas), "selector": ["matchLabels": ["app": .string(name)]],
        "template": [
          "metadata": ["labels": ["app": .string(name)]],
          "spec": [
            "containers": [
              ["name": "main", "image": .string(image), "ports": [["name": "http", "containerPort": 8080]]]
            ]
          ],
        ],
      ],
    ]
  }

  static func daemonSet(_ name: String, nodeSelector: JSONValue? = nil) -> JSONValue {
    var podSpec: JSONValue = ["containers": [["name": "agent", "image": "sovren/agent:1"]]]
    if let nodeSelector { podSpec["nodeSelector"] = nodeSelector }
    return [
      "metadata": ["name": .string(name)],
      "spec": [
        "selector": ["matchLabels": ["app": .string(name)]],
        "template": ["metadata": ["labels": ["app": .string(name)]], "spec": podSpec],
      ],
    ]
  }

  static func statefulSet(_ name: String, replicas: Int64) -> JSONValue {
    [
      "metadata": ["name": .string(name)],
      "spec": [
        "replicas": .int(replicas), "serviceName": .string(name), "selector": ["matchLabels": ["app": .string(name)]],
        "template": [
          "metadata": ["labels": ["app": .string(name)]],
          "spec": ["containers": [["name": "db", "image": "postgres:17"]]],
        ],
      ],
    ]
  }

  func pods(_ store: ObjectStore, labeled app: String) -> [JSONValue] {
    let selector = LabelSelector(requirements: [.equals("app", app)])
    return (try? store.list(WatchFilter(type: types.pods, namespace: "default", labels: selector)).items) ?? []
  }

  func object(_ store: ObjectStore, _ type: ResourceType, _ name: String) -> JSONValue? {
    try? store.get(type, namespace: type.namespaced ? "default" : "", name: name)
  }

  func status(_ object: JSONValue?, _ field: String) -> Int64? {
    object?[path: ["status", field]]?.intValue
  }

  func replicaSets(_ store: ObjectStore) -> [JSONValue] {
    (try? store.list(WatchFilter(type: types.replicaSets, namespace: "default")).items) ?? []
  }

  func rolledOut(_ store: ObjectStore, _ name: String, replicas: Int64) -> Bool {
    let deployment = object(store, types.deployments, name)
    let generation = deployment?[path: ["metadata", "generation"]]?.intValue
    return status(deployment, "observedGeneration") == generation && status(deployment, "replicas") == replicas
      && status(deployment, "updatedReplicas") == replicas && status(deployment, "availableReplicas") == replicas
      && pods(store, labeled: name).count == replicas
  }

  // MARK: Nodes

  @Test func nodesAreRegisteredReadyWithAddressesAndPodRanges() async throws {
    try await withSimulator { store in
      try await waitUntil(timeout: .seconds(10), "three nodes") {
        ((try? store.list(WatchFilter(type: types.nodes)).items.count) ?? 0) == 3
      }
      let nodes = try store.list(WatchFilter(type: types.nodes)).items
      #expect(nodes.map(\.metadataName) == ["fakekube-node-1", "fakekube-node-2", "fakekube-node-3"])
      let second = try #require(nodes.dropFirst().first)
      #expect(second.isNodeReady)
      #expect(second.nodeAddress("InternalIP") == "172.18.0.3")
      #expect(second.nodeAddress("Hostname") == "fakekube-node-2")
      #expect(second[path: ["spec", "podCIDR"]] == "10.244.2.0/24")
      #expect(second[path: ["status", "nodeInfo", "kubeletVersion"]] == "v1.32.0")
      #expect(second[path: ["status", "capacity", "pods"]] == "110")
      #expect(second[path: ["status", "allocatable", "cpu"]] == "8")
    }
  }

  @Test func anExistingNodeIsLeftAsItIs() async throws {
    let store = ObjectStore()
    try store.create(
      types.nodes, namespace: "",
      object: ["metadata": ["name": "fakekube-node-1", "labels": ["kept": "yes"]]])
    let simulator = try WorkloadSimulator(
      store: store, configuration: .init(nodeCount: 2, reconcileDelay: .zero), logger: Self.logger)
    let task = Task { try await simulator.run() }
    try await waitUntil(timeout: .seconds(10), "the second node") {
      (try? store.get(types.nodes, namespace: "", name: "fakekube-node-2")) != nil
    }
    task.cancel()
    try await task.value
    let first = try store.get(types.nodes, namespace: "", name: "fakekube-node-1")
    #expect(first.labels["kept"] == "yes")
    #expect(first[path: ["status", "nodeInfo"]] == nil)
  }

  // MARK: Deployments

  @Test func aDeploymentGetsAReplicaSetAndRunningPodsWithAddresses() async throws {
    try await withSimulator { store in
      let deployment = try store.create(
        types.deployments, namespace: "default", object: Self.deployment("web", replicas: 3))
      try await waitUntil(timeout: .seconds(10), "web rolled out") { rolledOut(store, "web", replicas: 3) }

      let sets = replicaSets(store)
      #expect(sets.count == 1)
      let replicaSet = try #require(sets.first)
      let hash = try #require(replicaSet.labels["pod-template-hash"])
      #expect(replicaSet.metadataName == "web-\(hash)")
      #expect(replicaSet.labels["app"] == "web")
      let owner = try #require(replicaSet.controllerReference)
      #expect(owner["kind"] == "Deployment" && owner["name"] == "web" && owner["uid"] == deployment["metadata"]?["uid"])
      #expect(owner["blockOwnerDeletion"] == true)
      #expect(replicaSet[path: ["spec", "selector", "matchLabels", "pod-template-hash"]] == .string(hash))
      #expect(status(replicaSet, "replicas") == 3 && status(replicaSet, "readyReplicas") == 3)
      #expect(status(replicaSet, "availableReplicas") == 3 && status(replicaSet, "fullyLabeledReplicas") == 3)
      #expect(status(replicaSet, "observedGeneration") == 1)

      let pods = pods(store, labeled: "web")
      #expect(Set(pods.compactMap { $0[path: ["spec", "nodeName"]]?.stringValue }).count == 3)
      let addresses = pods.compactMap { $0[path: ["status", "podIP"]]?.stringValue }
      #expect(Set(addresses).count == 3)
      for pod in pods {
        #expect(pod.metadataName.hasPrefix("web-\(hash)-") && pod.metadataName.count == "web-\(hash)-".count + 5)
        #expect(pod.labels["pod-template-hash"] == hash)
        #expect(pod.controllerReference?["uid"] == replicaSet["metadata"]?["uid"])
        #expect(pod[path: ["status", "phase"]] == "Running" && pod.isPodReady)
        let node = try #require(pod[path: ["spec", "nodeName"]]?.stringValue)
        let number = try #require(node.split(separator: "-").last)
        let ip = try #require(pod[path: ["status", "podIP"]]?.stringValue)
        #expect(ip.hasPrefix("10.244.\(number)."))
        #expect(pod[path: ["status", "podIPs"]] == [["ip": .string(ip)]])
        #expect(pod[path: ["status", "hostIP"]]?.stringValue == "172.18.0.\((Int(number) ?? 0) + 1)")
        #expect(pod[path: ["status", "startTime"]] != nil)
        let container = pod[path: ["status", "containerStatuses"]]?.arrayValue?.first
        #expect(container?["ready"] == true && container?["restartCount"] == 0 && container?["name"] == "main")
        #expect(container?[path: ["state", "running", "startedAt"]] != nil)
        let conditions = Set(
          pod[path: ["status", "conditions"]]?.arrayValue?.compactMap { $0["type"]?.stringValue } ?? [])
        #expect(conditions.isSuperset(of: ["Ready", "ContainersReady", "PodScheduled", "Initialized"]))
      }

      let current = try #require(object(store, types.deployments, "web"))
      #expect(status(current, "readyReplicas") == 3 && status(current, "observedGeneration") == 1)
      let conditions = current[path: ["status", "conditions"]]?.arrayValue ?? []
      let available = conditions.first { $0["type"] == "Available" }
      let progressing = conditions.first { $0["type"] == "Progressing" }
      #expect(available?["status"] == "True")
      #expect(progressing?["status"] == "True" && progressing?["reason"] == "NewReplicaSetAvailable")
      #expect(current[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]] == "1")
      // Status writes leave the generation alone.
      #expect(current[path: ["metadata", "generation"]] == 1)

      // Converged: nothing more is written.
      let settled = store.currentResourceVersion
      try await Task.sleep(for: .milliseconds(300))
      #expect(store.currentResourceVersion == settled)
    }
  }

  @Test func theSimulatorResumesItsWatchesWhenTheStoreEndsThem() async throws {
    try await withSimulator { store in
      // One per watched kind, once the simulator has started them all.
      try await waitUntil(timeout: .seconds(10), "the simulator to watch") {
        store.openWatchCount == types.watched.count
      }
      #expect(store.cutWatches() == types.watched.count)
      try store.create(types.deployments, namespace: "default", object: Self.deployment("web", replicas: 2))
      try await waitUntil(timeout: .seconds(10), "web rolled out") { rolledOut(store, "web", replicas: 2) }
      #expect(store.openWatchCount == types.watched.count)
    }
  }

  @Test func scalingDownDeletesSurplusPodsAndStatusFollowsTheGeneration() async throws {
    try await withSimulator { store in
      try store.create(types.deployments, namespace: "default", object: Self.deployment("web", replicas: 3))
      try await waitUntil(timeout: .seconds(10), "web rolled out") { rolledOut(store, "web", replicas: 3) }
      let before = Set(pods(store, labeled: "web").map(\.metadataName))
      try store.modify(types.deployments, namespace: "default", name: "web") { object in
        var scaled = object
        scaled.set(1, at: ["spec", "replicas"])
        return scaled
      }
      try await waitUntil(timeout: .seconds(10), "web scaled to 1") { rolledOut(store, "web", replicas: 1) }
      let remaining = pods(store, labeled: "web")
      #expect(remaining.count == 1 && before.isSuperset(of: remaining.map(\.metadataName)))
      let deployment = object(store, types.deployments, "web")
      #expect(deployment?[path: ["metadata", "generation"]] == 2)
      #expect(status(deployment, "observedGeneration") == 2)
      #expect(replicaSets(store).first?[path: ["spec", "replicas"]] == 1)
      #expect(status(replicaSets(store).first, "replicas") == 1)
    }
  }

  @Test func aTemplateChangeRollsToANewReplicaSet() async throws {
    try await withSimulator { store in
      try store.create(types.deployments, namespace: "default", object: Self.deployment("web", replicas: 2))
      try await waitUntil(timeout: .seconds(10), "web rolled out") { rolledOut(store, "web", replicas: 2) }
      let oldHash = try #require(replicaSets(store).first?.labels["pod-template-hash"])
      try store.modify(types.deployments, namespace: "default", name: "web") { object in
        var updated = object
        var containers = updated[path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? []
        containers[0]["image"] = "nginx:1.28"
        updated.set(.array(containers), at: ["spec", "template", "spec", "containers"])
        return updated
      }
      try await waitUntil(timeout: .seconds(10), "the new template rolled out") {
        rolledOut(store, "web", replicas: 2)
          && pods(store, labeled: "web").allSatisfy { $0.labels["pod-template-hash"] != oldHash }
      }
      let sets = replicaSets(store)
      #expect(sets.count == 2)
      let old = sets.first { $0.labels["pod-template-hash"] == oldHash }
      let new = sets.first { $0.labels["pod-template-hash"] != oldHash }
      #expect(old?[path: ["spec", "replicas"]] == 0 && status(old, "replicas") == 0)
      #expect(new?[path: ["spec", "replicas"]] == 2 && status(new, "readyReplicas") == 2)
      #expect(new?[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]] == "2")
      let images = pods(store, labeled: "web").compactMap {
        $0[path: ["spec", "containers"]]?.arrayValue?.first?["image"]?.stringValue
      }
      #expect(images == ["nginx:1.28", "nginx:1.28"])
      let deployment = object(store, types.deployments, "web")
      #expect(deployment?[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]] == "2")
      #expect(status(deployment, "observedGeneration") == 2)

      // Back to the first template, as `kubectl rollout undo` does: its ReplicaSet returns as revision 3.
      try store.modify(types.deployments, namespace: "default", name: "web") { object in
        var updated = object
        updated.set(Self.deployment("web", replicas: 2)[path: ["spec", "template"]], at: ["spec", "template"])
        return updated
      }
      try await waitUntil(timeout: .seconds(10), "the first template back") {
        rolledOut(store, "web", replicas: 2)
          && pods(store, labeled: "web").allSatisfy { $0.labels["pod-template-hash"] == oldHash }
      }
      let restored = replicaSets(store).first { $0.labels["pod-template-hash"] == oldHash }
      #expect(replicaSets(store).count == 2)
      #expect(restored?[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]] == "3")
      #expect(
        object(store, types.deployments, "web")?[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]]
          == "3")
    }
  }

  @Test func aDeletedPodIsReplaced() async throws {
    try await withSimulator { store in
      try store.create(types.deployments, namespace: "default", object: Self.deployment("web", replicas: 2))
      try await waitUntil(timeout: .seconds(10), "web rolled out") { rolledOut(store, "web", replicas: 2) }
      let victim = try #require(pods(store, labeled: "web").first)
      try store.delete(types.pods, namespace: "default", name: victim.metadataName)
      try await waitUntil(timeout: .seconds(10), "a replacement pod") {
        let current = pods(store, labeled: "web")
        return current.count == 2 && !current.contains { $0.metadataName == victim.metadataName }
          && current.allSatisfy(\.isPodReady)
      }
    }
  }

  @Test func deletingTheDeploymentCollectsItsReplicaSetsAndPods() async throws {
    try await withSimulator { store in
      try store.create(types.deployments, namespace: "default", object: Self.deployment("web", replicas: 2))
      try await waitUntil(timeout: .seconds(10), "web rolled out") { rolledOut(store, "web", replicas: 2) }
      try store.delete(types.deployments, namespace: "default", name: "web")
      #expect(replicaSets(store).isEmpty)
      #expect(pods(store, labeled: "web").isEmpty)
      // Another workload coming up shows the simulator has gone past the deletion's events.
      try store.create(types.deployments, namespace: "default", object: Self.deployment("api", replicas: 1))
      try await waitUntil(timeout: .seconds(10), "api rolled out") { rolledOut(store, "api", replicas: 1) }
      #expect(pods(store, labeled: "web").isEmpty)
      #expect(replicaSets(store).map { $0.labels["app"] } == ["api"])
    }
  }

  // MARK: DaemonSets and StatefulSets

  @Test func aDaemonSetGetsOnePodPerNode() async throws {
    try await withSimulator { store in
      try store.create(types.daemonSets, namespace: "default", object: Self.daemonSet("agent"))
      try await waitUntil(timeout: .seconds(10), "agent on every node") {
        status(object(store, types.daemonSets, "agent"), "numberReady") == 3
      }
      let pods = pods(store, labeled: "agent")
      #expect(pods.count == 3)
      #expect(Set(pods.compactMap { $0[path: ["spec", "nodeName"]]?.stringValue }).count == 3)
      #expect(pods.allSatisfy { $0.metadataName.hasPrefix("agent-") && $0.labels["controller-revision-hash"] != nil })
      #expect(pods.allSatisfy { $0.controllerReference?["kind"] == "DaemonSet" && $0.isPodReady })
      let daemonSet = object(store, types.daemonSets, "agent")
      for field in ["desiredNumberScheduled", "currentNumberScheduled", "numberAvailable", "updatedNumberScheduled"] {
        #expect(status(daemonSet, field) == 3, "\(field)")
      }
      #expect(status(daemonSet, "numberMisscheduled") == 0 && status(daemonSet, "observedGeneration") == 1)
    }
  }

  @Test func aDaemonSetNodeSelectorPicksItsNodes() async throws {
    try await withSimulator { store in
      let selector: JSONValue = ["kubernetes.io/hostname": "fakekube-node-2"]
      try store.create(types.daemonSets, namespace: "default", object: Self.daemonSet("probe", nodeSelector: selector))
      try await waitUntil(timeout: .seconds(10), "probe on its node") {
        status(object(store, types.daemonSets, "probe"), "numberReady") == 1
      }
      #expect(pods(store, labeled: "probe").map { $0[path: ["spec", "nodeName"]] } == ["fakekube-node-2"])
      #expect(status(object(store, types.daemonSets, "probe"), "desiredNumberScheduled") == 1)
    }
  }

  @Test func aStatefulSetGetsOrderedPodsAndScalesDownFromTheTop() async throws {
    try await withSimulator { store in
      try store.create(types.statefulSets, namespace: "default", object: Self.statefulSet("db", replicas: 3))
      try await waitUntil(timeout: .seconds(10), "db ready") {
        status(object(store, types.statefulSets, "db"), "readyReplicas") == 3
      }
      let pods = pods(store, labeled: "db")
      #expect(pods.map(\.metadataName) == ["db-0", "db-1", "db-2"])
      #expect(pods.map { $0.labels["apps.kubernetes.io/pod-index"] } == ["0", "1", "2"])
      #expect(pods.allSatisfy { $0[path: ["spec", "subdomain"]] == "db" && $0.isPodReady })
      let statefulSet = object(store, types.statefulSets, "db")
      let revision = statefulSet?[path: ["status", "updateRevision"]]?.stringValue
      #expect(revision?.hasPrefix("db-") == true)
      #expect(statefulSet?[path: ["status", "currentRevision"]]?.stringValue == revision)
      #expect(pods.allSatisfy { $0.labels["controller-revision-hash"] == revision })
      for field in ["replicas", "currentReplicas", "updatedReplicas", "availableReplicas"] {
        #expect(status(statefulSet, field) == 3, "\(field)")
      }

      try store.modify(types.statefulSets, namespace: "default", name: "db") { object in
        var scaled = object
        scaled.set(1, at: ["spec", "replicas"])
        return scaled
      }
      try await waitUntil(timeout: .seconds(10), "db scaled to 1") {
        status(object(store, types.statefulSets, "db"), "replicas") == 1
          && status(object(store, types.statefulSets, "db"), "observedGeneration") == 2
      }
      #expect(self.pods(store, labeled: "db").map(\.metadataName) == ["db-0"])
    }
  }

  // MARK: Pods, Services

  @Test func aBarePodIsScheduledAndStarted() async throws {
    try await withSimulator { store in
      try store.create(
        types.pods, namespace: "default",
        object: [
          "metadata": ["name": "debug", "labels": ["app": "debug"]],
          "spec": ["containers": [["name": "sh", "image": "busybox:1.36"]]],
        ])
      try await waitUntil(timeout: .seconds(10), "debug running") {
        object(store, types.pods, "debug")?[path: ["status", "phase"]] == "Running"
      }
      let pod = object(store, types.pods, "debug")
      #expect(pod?[path: ["spec", "nodeName"]]?.stringValue?.hasPrefix("fakekube-node-") == true)
      #expect(pod?[path: ["status", "podIP"]]?.stringValue?.hasPrefix("10.244.") == true)
    }
  }

  @Test func podsWaitForANode() async throws {
    try await withSimulator(nodes: 0) { store in
      try store.create(types.deployments, namespace: "default", object: Self.deployment("web", replicas: 2))
      try await waitUntil(timeout: .seconds(10), "web's status") {
        status(object(store, types.deployments, "web"), "replicas") == 2
      }
      let deployment = object(store, types.deployments, "web")
      let available = deployment?[path: ["status", "conditions"]]?.arrayValue?.first { $0["type"] == "Available" }
      #expect(available?["status"] == "False")
      #expect(pods(store, labeled: "web").allSatisfy { $0[path: ["status", "podIP"]] == nil })

      let reconciler = WorkloadReconciler(
        store: store, types: types, configuration: .init(), logger: Self.logger)
      try store.create(types.nodes, namespace: "", object: reconciler.nodeObject(number: 7))
      try await waitUntil(timeout: .seconds(10), "web rolled out on the new node") {
        rolledOut(store, "web", replicas: 2)
      }
      let addresses = pods(store, labeled: "web").compactMap { $0[path: ["status", "podIP"]]?.stringValue }
      #expect(addresses.sorted() == ["10.244.7.2", "10.244.7.3"])
    }
  }

  @Test func aServiceGetsEndpointsForThePodsItSelects() async throws {
    try await withSimulator { store in
      try store.create(types.deployments, namespace: "default", object: Self.deployment("web", replicas: 2))
      try store.create(
        types.services, namespace: "default",
        object: [
          "metadata": ["name": "web"],
          "spec": [
            "selector": ["app": "web"],
            "ports": [["name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"]],
          ],
        ])
      try await waitUntil(timeout: .seconds(10), "two endpoints") {
        object(store, types.endpoints, "web")?[path: ["subsets"]]?.arrayValue?.first?["addresses"]?.arrayValue?.count
          == 2
      }
      let subset = object(store, types.endpoints, "web")?["subsets"]?.arrayValue?.first
      #expect(subset?["ports"] == [["name": "http", "port": 8080, "protocol": "TCP"]])
      let pods = pods(store, labeled: "web")
      for address in subset?["addresses"]?.arrayValue ?? [] {
        let pod = pods.first { $0.metadataName == address[path: ["targetRef", "name"]]?.stringValue }
        #expect(pod != nil)
        #expect(
          address["ip"] == pod?[path: ["status", "podIP"]] && address["nodeName"] == pod?[path: ["spec", "nodeName"]])
        #expect(
          address[path: ["targetRef", "kind"]] == "Pod"
            && address[path: ["targetRef", "uid"]] == pod?["metadata"]?["uid"])
      }

      try store.delete(types.services, namespace: "default", name: "web")
      try await waitUntil(timeout: .seconds(10), "the endpoints gone") { object(store, types.endpoints, "web") == nil }
    }
  }

  // MARK: Service lifecycle and configuration

  @Test func gracefulShutdownStopsIt() async throws {
    let store = ObjectStore()
    let simulator = try WorkloadSimulator(
      store: store, configuration: .init(nodeCount: 1, reconcileDelay: .zero), logger: Self.logger)
    let group = ServiceGroup(configuration: .init(services: [simulator], logger: Logger(label: "test")))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
      tasks.addTask { try await group.run() }
      try await waitUntil(timeout: .seconds(10), "the node") {
        (try? store.get(types.nodes, namespace: "", name: "fakekube-node-1")) != nil
      }
      await group.triggerGracefulShutdown()
      try await tasks.waitForAll()
    }
  }

  @Test func badConfigurationIsRejectedWithTheOptionNamed() {
    #expect(throws: WorkloadSimulator.ConfigurationError.nodeCount(-1)) {
      try WorkloadSimulator(store: ObjectStore(), configuration: .init(nodeCount: -1))
    }
    #expect(throws: WorkloadSimulator.ConfigurationError.nodeNamePrefix("Node_")) {
      try WorkloadSimulator(store: ObjectStore(), configuration: .init(nodeNamePrefix: "Node_"))
    }
    #expect(WorkloadSimulator.ConfigurationError.nodeCount(300).description.contains("300"))
    #expect(throws: WorkloadSimulator.ConfigurationError.self) {
      try WorkloadSimulator(store: ObjectStore(), registry: ResourceRegistry(types: []))
    }
  }

  @Test func templateHashesAreStableAndSpelledWithoutVowels() {
    let template: JSONValue = ["spec": ["containers": [["name": "a", "image": "b"]]]]
    let hash = WorkloadReconciler.templateHash(template)
    #expect(hash == WorkloadReconciler.templateHash(template))
    #expect(hash != WorkloadReconciler.templateHash(["spec": ["containers": [["name": "a", "image": "c"]]]]))
    #expect(!hash.isEmpty && hash.allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) })
  }
}
