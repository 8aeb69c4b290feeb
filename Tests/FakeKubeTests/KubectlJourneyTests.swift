import Foundation
import KubeModel
import TestSupport
import Testing

@testable import FakeKube

/// One user's session with kubectl against `sovren fake-apiserver`, run over plain HTTP and over
/// HTTPS with a bearer token: every kubectl workflow the operator's users and tests depend on, in
/// the order a user meets them, each checked by what kubectl prints.
@Suite("A kubectl session against FakeKube, over HTTP and HTTPS", .serialized)
struct KubectlJourneyTests {
  enum Transport: String, CaseIterable, CustomTestStringConvertible {
    case http
    case httpsWithToken

    var testDescription: String { rawValue }
  }

  func rows(_ text: String) -> [[String]] {
    text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
  }

  @Test(arguments: Transport.allCases)
  func aSessionFromCRDToGarbageCollection(_ transport: Transport) async throws {
    let token = transport == .httpsWithToken ? "journey-\(UUID().uuidString)" : nil
    try await withFakeKube(
      tls: transport == .httpsWithToken, token: token,
      workloads: .init(nodeCount: 2, reconcileDelay: .milliseconds(50))
    ) { kubectl, store in
      if transport == .httpsWithToken {
        #expect(kubectl.server.hasPrefix("https://"))
      }

      // apply -f: a CRD, then a custom resource of it; printer columns in `get`.
      let crd = try await kubectl.succeed("apply", "-f", try kubectl.file("crd.yaml", SensorFixtures.definition))
      #expect(crd.contains("customresourcedefinition.apiextensions.k8s.io/sovrensensors.sovren.io created"))
      let sensorFile = try kubectl.file("sensor.yaml", SensorFixtures.sensor("edge"))
      #expect(try await kubectl.succeed("apply", "-f", sensorFile).contains("sovrensensor.sovren.io/edge created"))
      let table = rows(try await kubectl.succeed("get", "sensor"))
      #expect(table.first == ["NAME", "READY", "INTERCEPTORS", "AGE"])
      #expect(table.dropFirst().first?.first == "edge")

      // Re-apply after editing: kubectl sends a merge patch; only the spec change bumps the generation.
      _ = try kubectl.file("sensor.yaml", SensorFixtures.sensor("edge", spec: "kafka: kafka:9092\nreplicas: 2"))
      #expect(try await kubectl.succeed("apply", "-f", sensorFile).contains("sovrensensor.sovren.io/edge configured"))
      let yaml = try await kubectl.succeed("get", "sensor", "edge", "-o", "yaml")
      #expect(yaml.contains("replicas: 2") && yaml.contains("generation: 2") && yaml.contains("name: edge"))

      // apply --server-side: kubectl becomes the manager of what it applied.
      let settings = try kubectl.file(
        "settings.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: blue\n")
      let applied = try await kubectl.succeed("apply", "--server-side", "-f", settings)
      #expect(applied.contains("configmap/settings serverside-applied"))
      let managed = try await kubectl.succeed("get", "configmap", "settings", "-o", "yaml", "--show-managed-fields")
      #expect(managed.contains("manager: kubectl") && managed.contains("operation: Apply"))
      #expect(managed.contains("f:color: {}"))

      // get -w prints a row for each change, as it happens.
      let watch = try kubectl.start(["get", "sensor", "-w"])
      defer { watch.stop() }
      try await waitUntil(timeout: .seconds(20), "kubectl get -w to print the sensor") {
        watch.stdout.contains("edge") || !watch.isRunning
      }
      try await kubectl.succeed("apply", "-f", try kubectl.file("late.yaml", SensorFixtures.sensor("late")))
      try await waitUntil(timeout: .seconds(20), "kubectl get -w to print the new sensor") {
        watch.stdout.contains("late") || !watch.isRunning
      }
      #expect(rows(watch.stdout).contains { $0.first == "late" })
      watch.stop()

      // describe shows the events recorded about the object.
      let uid = try await kubectl.succeed("get", "sensor", "edge", "-o", "jsonpath={.metadata.uid}")
      let event = KubectlWorkflowTests.event(
        "edge.1", about: "SovrenSensor", "edge", uid: uid, apiVersion: "sovren.io/v1alpha1", reason: "Reconciled",
        message: "interceptors scheduled on 2 nodes", component: "sovren-operator")
      try await kubectl.succeed("create", "-f", try kubectl.file("event.yaml", event))
      let described = try await kubectl.succeed("describe", "sensor", "edge")
      #expect(described.contains("Events:"))
      #expect(described.contains("Reconciled") && described.contains("interceptors scheduled on 2 nodes"))

      // wait --for=condition=Ready returns once a status patch sets the condition.
      let wait = try kubectl.start(["wait", "--for=condition=Ready", "sensor/edge", "--timeout=30s"])
      defer { wait.stop() }
      try await waitUntil(timeout: .seconds(20), "kubectl wait to watch the sensor") {
        store.state.withLock { state in
          state.watchers.values.contains { $0.filter.type.plural == "sovrensensors" }
        } || !wait.isRunning
      }
      let patched = try await kubectl.succeed(
        "patch", "sensor", "edge", "--subresource=status", "--type=merge", "-p",
        #"{"status":{"conditions":[{"type":"Ready","status":"True","reason":"Running","message":"ok","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}"#
      )
      #expect(patched.contains("sovrensensor.sovren.io/edge patched"))
      #expect(try await wait.waitForExit(timeout: .seconds(30)) == 0)
      #expect(wait.stdout.contains("sovrensensor.sovren.io/edge condition met"))
      #expect(
        try await kubectl.succeed("get", "sensor", "edge", "-o", "jsonpath={.metadata.generation}") == "2")

      // delete: what the sensor owns goes with it.
      let owned = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: edge-config
          ownerReferences:
          - {apiVersion: sovren.io/v1alpha1, kind: SovrenSensor, name: edge, uid: \(uid), controller: true}
        data:
          mode: capture
        """
      try await kubectl.succeed("apply", "-f", try kubectl.file("owned.yaml", owned))
      let deleted = try await kubectl.succeed("delete", "sensor", "edge", "--wait=true", timeout: .seconds(40))
      #expect(deleted.contains(#"sovrensensor.sovren.io "edge" deleted"#))
      var dependent = try await kubectl.run("get", "configmap", "edge-config")
      for _ in 0..<100 where dependent.status == 0 {
        try await Task.sleep(for: .milliseconds(50))
        dependent = try await kubectl.run("get", "configmap", "edge-config")
      }
      #expect(dependent.status != 0)
      #expect(dependent.stderr.contains(#"configmaps "edge-config" not found"#))

      // apply -k of a kustomization: generated names and common labels.
      let overlay = kubectl.directory.appendingPathComponent("overlay")
      try FileManager.default.createDirectory(at: overlay, withIntermediateDirectories: true)
      try """
      apiVersion: kustomize.config.k8s.io/v1beta1
      kind: Kustomization
      labels:
      - pairs: {team: edge}
      configMapGenerator:
      - name: tuning
        literals: [batch=100]
      resources: [sensor.yaml]
      """.write(to: overlay.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)
      try SensorFixtures.sensor("kustomized").write(
        to: overlay.appendingPathComponent("sensor.yaml"), atomically: true, encoding: .utf8)
      let kustomized = try await kubectl.succeed("apply", "-k", overlay.path)
      #expect(kustomized.contains("sovrensensor.sovren.io/kustomized created"))
      let generated = try await kubectl.succeed(
        "get", "configmap", "-l", "team=edge", "-o", "jsonpath={.items[*].metadata.name}")
      #expect(generated.hasPrefix("tuning-") && generated.count == "tuning-".count + 10)
      #expect(
        try await kubectl.succeed("get", "sensor", "kustomized", "-o", "jsonpath={.metadata.labels.team}") == "edge")

      // Simulated workloads: kubectl sees them come up with pods on nodes.
      try await kubectl.succeed(
        "apply", "-f",
        try kubectl.file(
          "workloads.yaml", WorkloadSimulatorKubectlTests.manifests(databaseReplicas: 1)))
      try await kubectl.succeed("rollout", "status", "deployment/web", "--timeout=30s", timeout: .seconds(40))
      var listing: [[String]] = []
      for _ in 0..<200 {
        listing = rows(try await kubectl.succeed("get", "ds,deploy,sts,pods"))
        let running = listing.filter { $0.first?.hasPrefix("pod/") == true && $0.dropFirst(2).first == "Running" }
        if running.count == 2 + 2 + 1 { break }
        try await Task.sleep(for: .milliseconds(50))
      }
      func row(_ name: String) -> [String]? { listing.first { $0.first == name } }
      #expect(row("daemonset.apps/agent")?.prefix(6) == ["daemonset.apps/agent", "2", "2", "2", "2", "2"])
      #expect(row("deployment.apps/web")?.prefix(4) == ["deployment.apps/web", "2/2", "2", "2"])
      #expect(row("statefulset.apps/db")?.prefix(2) == ["statefulset.apps/db", "1/1"])
      #expect(row("pod/db-0")?.prefix(3) == ["pod/db-0", "1/1", "Running"])
      #expect(listing.filter { $0.first?.hasPrefix("pod/web-") == true }.count == 2)
      #expect(listing.filter { $0.first?.hasPrefix("pod/agent-") == true }.count == 2)
    }
  }
}
