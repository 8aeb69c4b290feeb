import FakeKube
import Foundation
import KubeModel
import TestSupport
import Testing

/// What a user does, end to end: FakeKube with simulated workloads on three nodes, the operator as
/// its own process, and the real kubectl installing it from `crds/` and `manifests/`, waiting for
/// the sample sensor, changing it, breaking its children and deleting it.
@Suite(.serialized) struct OperatorEndToEndTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let workloads = WorkloadSimulator.Configuration(nodeCount: 3, reconcileDelay: .milliseconds(50))
  static let namespace = "sovren-system"

  @Test func aUserInstallsChangesRepairsAndDeletesASensor() async throws {
    try await withFakeKube(workloads: Self.workloads) { kubectl, _ in
      try await Self.scenario(kubectl)
    }
  }

  /// The same with the API failing under the operator once it is installed: 10% of requests
  /// answered 500, every watch cut after two seconds, and every three seconds a watch told its
  /// resourceVersion expired (410). kubectl meets the same faults and runs a failed command again.
  @Test func itConvergesAnywayWhenTheAPIFails() async throws {
    let faults = FaultInjection(seed: 42)
    try await withFakeKube(faults: faults, workloads: Self.workloads) { kubectl, _ in
      let expiring = Task {
        try await Task.sleep(for: .seconds(3))
        while !Task.isCancelled {
          faults.expireNextWatches(1, answer: .httpGone)
          try await Task.sleep(for: .seconds(3))
        }
      }
      defer { expiring.cancel() }
      try await Self.scenario(kubectl.retrying) {
        faults.errorRate = 0.1
        faults.watchDurationLimit = .seconds(2)
      }
      let injected = faults.injected
      #expect(injected.internalErrors > 0)
      #expect(injected.cutWatches > 0)
      #expect(injected.expiredWatches > 0)
    }
  }

  /// - Parameter installed: runs once the CRD and manifests are in, before the operator starts.
  static func scenario(_ kubectl: Kubectl, installed: () -> Void = {}) async throws {
    try await install(kubectl)
    installed()
    let operatorProcess = try OperatorProcess(kubectl: kubectl, identity: "operator-0", resyncPeriod: 5)
    try await waitForReady(kubectl)
    let row = try await sensorRow(kubectl)
    #expect(row["READY"] == "True")
    #expect(row["INTERCEPTORS"] == "3/3")
    #expect(row["KAFKA"] == "true")
    #expect(row["DIGGER"] == "1/1")
    #expect(row["DETECTOR"] == "1/1")
    #expect(row["AGE"]?.isEmpty == false)

    // Scale the diggers.
    try await kubectl.succeed(
      "patch", "sensor", "sample", "-n", namespace, "--type", "merge", "-p", #"{"spec":{"digger":{"replicas":3}}}"#)
    try await eventually("three diggers", every: .milliseconds(250)) {
      let diggers = try await sensorRow(kubectl)["DIGGER"]
      let replicas = try await jsonPath(kubectl, "deployment/sample-digger", "{.spec.replicas}")
      return diggers == "3/3" && replicas == "3"
    }
    try await waitForReady(kubectl)

    // Kafka: embedded → external → embedded.
    try await kubectl.succeed(
      "patch", "sensor", "sample", "-n", namespace, "--type", "merge", "-p",
      #"{"spec":{"kafka":{"embedded":null,"external":{"bootstrapServers":["kafka-0.example:9092","kafka-1.example:9092"]}}}}"#
    )
    try await eventually(
      "the embedded Kafka to go and the diggers to use the external brokers", every: .milliseconds(250)
    ) {
      let statefulSets = try await kubectl.succeed("get", "statefulsets", "-n", namespace, "-o", "name")
      let arguments = try await jsonPath(
        kubectl, "deployment/sample-digger", "{.spec.template.spec.containers[0].args}")
      return !statefulSets.contains("sample-kafka") && arguments.contains("kafka-0.example:9092,kafka-1.example:9092")
    }
    try await waitForReady(kubectl)
    let kafka = try await sensorRow(kubectl)["KAFKA"]
    #expect(kafka == "" || kafka == "<none>", "an external Kafka shows as \(kafka ?? "nothing")")
    try await kubectl.succeed(
      "patch", "sensor", "sample", "-n", namespace, "--type", "merge", "-p",
      #"{"spec":{"kafka":{"external":null,"embedded":{}}}}"#)
    try await eventually("the embedded Kafka back", every: .milliseconds(250)) {
      try await jsonPath(kubectl, "statefulset/sample-kafka", "{.status.readyReplicas}") == "1"
    }
    try await waitForReady(kubectl)
    let kafkaBack = try await sensorRow(kubectl)["KAFKA"]
    #expect(kafkaBack == "true")

    // Kafka's storage from emptyDir to a claim: the StatefulSet cannot change that in place, so it is made anew.
    let kafkaUID = try await jsonPath(kubectl, "statefulset/sample-kafka", "{.metadata.uid}")
    try await kubectl.succeed(
      "patch", "sensor", "sample", "-n", namespace, "--type", "merge", "-p",
      #"{"spec":{"kafka":{"embedded":{"storage":{"type":"PersistentVolumeClaim","size":"5Gi"}}}}}"#)
    try await eventually("Kafka on a claim", every: .milliseconds(250)) {
      let uid = try await jsonPath(kubectl, "statefulset/sample-kafka", "{.metadata.uid}")
      let claim = try await jsonPath(
        kubectl, "statefulset/sample-kafka", "{.spec.volumeClaimTemplates[0].spec.resources.requests.storage}")
      return !uid.isEmpty && uid != kafkaUID && claim == "5Gi"
    }
    try await waitForReady(kubectl)

    // Deploy the map here: its Deployment and Service come, the wide output shows it ready.
    try await kubectl.succeed(
      "patch", "sensor", "sample", "-n", namespace, "--type", "merge", "-p", #"{"spec":{"map":{"deploy":true}}}"#)
    try await eventually("the map ready", every: .milliseconds(250)) {
      let wide = tableRows(try await kubectl.succeed("get", "sensor", "sample", "-n", namespace, "-o", "wide"))
      let service = try await jsonPath(kubectl, "service/sample-map", "{.metadata.name}")
      return wide.first?["MAP"] == "true" && service == "sample-map"
    }
    try await waitForReady(kubectl)

    // Delete the DaemonSet by hand: it comes back.
    let oldUID = try await jsonPath(kubectl, "daemonset/sample-interceptor", "{.metadata.uid}")
    try await kubectl.succeed("delete", "daemonset", "sample-interceptor", "-n", namespace, "--wait=false")
    try await eventually("the DaemonSet back", every: .milliseconds(250)) {
      let uid = try await jsonPath(kubectl, "daemonset/sample-interceptor", "{.metadata.uid}")
      return !uid.isEmpty && uid != oldUID
    }
    try await waitForReady(kubectl)

    // Edit an owned Deployment: the edit is reverted.
    try await kubectl.succeed("scale", "deployment", "sample-detector", "-n", namespace, "--replicas=4")
    try await kubectl.succeed(
      "set", "image", "deployment/sample-detector", "-n", namespace, "detector=example.com/not-sovren:1")
    try await eventually("the Deployment edit reverted", every: .milliseconds(250)) {
      let replicas = try await jsonPath(kubectl, "deployment/sample-detector", "{.spec.replicas}")
      let image = try await jsonPath(kubectl, "deployment/sample-detector", "{.spec.template.spec.containers[0].image}")
      return replicas == "1" && !image.contains("not-sovren")
    }
    try await waitForReady(kubectl)
    let events = try await kubectl.succeed(
      "get", "events", "-n", namespace, "--field-selector", "involvedObject.name=sample", "-o",
      "jsonpath={range .items[*]}{.reason} {end}")
    for reason in ["Created", "Updated", "Repaired", "Deleted", "Recreated", "Ready"] {
      #expect(events.contains(reason), "no \(reason) event among: \(events)")
    }

    // Delete the sensor: every child goes, cluster-scoped ones included.
    try await kubectl.succeed("delete", "sensor", "sample", "-n", namespace, "--timeout=60s", timeout: .seconds(90))
    try await eventually("every child gone", every: .milliseconds(250)) {
      let namespaced = try await kubectl.succeed(
        "get", "daemonsets,deployments,statefulsets,services,serviceaccounts", "-n", namespace, "-l",
        "app.kubernetes.io/instance=sample", "-o", "name")
      let clusterWide = try await kubectl.succeed(
        "get", "clusterroles,clusterrolebindings", "-l", "app.kubernetes.io/instance=sample", "-o", "name")
      return namespaced.isEmpty && clusterWide.isEmpty
    }
    #expect(operatorProcess.process.isRunning, "the operator exited: \(operatorProcess.log.suffix(2000))")
  }

  /// `kubectl apply -f crds/` and `kubectl apply -k manifests/`, as the README says.
  static func install(_ kubectl: Kubectl) async throws {
    try await kubectl.succeed("apply", "-f", repository.appendingPathComponent("crds").path)
    try await kubectl.succeed(
      "wait", "--for=condition=Established", "crd/sovrensensors.sovren.io", "--timeout=30s", timeout: .seconds(40))
    try await kubectl.succeed("apply", "-k", repository.appendingPathComponent("manifests").path)
  }

  static func waitForReady(_ kubectl: Kubectl, name: String = "sample") async throws {
    try await eventually("sensor \(name) Ready", every: .milliseconds(250)) {
      let ready = try await jsonPath(
        kubectl, "sovrensensor/\(name)", #"{.status.conditions[?(@.type=="Ready")].status}"#)
      let observed = try await jsonPath(kubectl, "sovrensensor/\(name)", "{.status.observedGeneration}")
      let generation = try await jsonPath(kubectl, "sovrensensor/\(name)", "{.metadata.generation}")
      return ready == "True" && observed == generation
    }
  }

  static func sensorRow(_ kubectl: Kubectl, name: String = "sample") async throws -> [String: String] {
    let rows = tableRows(try await kubectl.succeed("get", "sensor", name, "-n", namespace))
    guard let row = rows.first else { throw SupportFailure("kubectl get sensor printed no row") }
    return row
  }

  /// One JSONPath of one object; empty when the object does not exist.
  static func jsonPath(_ kubectl: Kubectl, _ object: String, _ path: String) async throws -> String {
    do {
      return try await kubectl.succeed("get", object, "-n", namespace, "-o", "jsonpath=\(path)")
    } catch let failure as SupportFailure where failure.description.contains("(NotFound)") {
      return ""
    }
  }
}
