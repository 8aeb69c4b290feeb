import Foundation
import KubeModel
import TestSupport
import Testing

@testable import FakeKube

/// Events as `kubectl describe` finds them, and the kubectl workflows around custom resources and
/// kustomizations: status patches, `wait`, `get -w`, `apply -k`.
@Suite("kubectl workflows against FakeKube", .serialized)
struct KubectlWorkflowTests {
  /// A core/v1 Event about one object, stamped now.
  static func event(
    _ name: String, about kind: String, _ object: String, uid: String, apiVersion: String = "v1",
    reason: String, message: String, type: String = "Normal", component: String
  ) -> String {
    let now = Date().formatted(.iso8601)
    return """
      apiVersion: v1
      kind: Event
      metadata:
        name: \(name)
      involvedObject:
        apiVersion: \(apiVersion)
        kind: \(kind)
        name: \(object)
        namespace: default
        uid: \(uid)
      reason: \(reason)
      message: \(message)
      type: \(type)
      source:
        component: \(component)
      count: 1
      firstTimestamp: "\(now)"
      lastTimestamp: "\(now)"
      """
  }

  static let pod = """
    apiVersion: v1
    kind: Pod
    metadata:
      name: web
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
    """

  func rows(_ text: String) -> [[String]] {
    text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
  }

  @Test func describeShowsThePodsEventsAndOnlyThem() async throws {
    try await withFakeKube { kubectl, _ in
      try await kubectl.succeed("apply", "-f", try kubectl.file("pod.yaml", Self.pod))
      let uid = try await kubectl.succeed("get", "pod", "web", "-o", "jsonpath={.metadata.uid}")
      let events = [
        Self.event(
          "web.1", about: "Pod", "web", uid: uid, reason: "Scheduled",
          message: "Successfully assigned default/web to node-1", component: "default-scheduler"),
        Self.event(
          "web.2", about: "Pod", "web", uid: uid, reason: "BackOff", message: "Back-off pulling image",
          type: "Warning", component: "kubelet"),
        Self.event(
          "web.old", about: "Pod", "web", uid: "an-earlier-pod", reason: "StaleEvent", message: "from before",
          component: "kubelet"),
        Self.event(
          "other.1", about: "Pod", "other", uid: "another-pod", reason: "Unrelated", message: "not this pod",
          component: "kubelet"),
      ]
      let created = try await kubectl.succeed(
        "create", "-f", try kubectl.file("events.yaml", events.joined(separator: "\n---\n")))
      #expect(created.contains("event/web.1 created") && created.contains("event/other.1 created"))

      let described = try await kubectl.succeed("describe", "pod", "web")
      let eventLines = described.split(separator: "\n").drop { !$0.hasPrefix("Events:") }.map(String.init)
      #expect(rows(eventLines.dropFirst().first ?? "").first == ["Type", "Reason", "Age", "From", "Message"])
      let scheduled = eventLines.first { $0.contains("Scheduled") }.map { rows($0).first ?? [] } ?? []
      #expect(scheduled.first == "Normal")
      #expect(scheduled.suffix(6) == ["default-scheduler", "Successfully", "assigned", "default/web", "to", "node-1"])
      let backOff = eventLines.first { $0.contains("BackOff") }.map { rows($0).first ?? [] } ?? []
      #expect(backOff.first == "Warning" && backOff.suffix(4) == ["kubelet", "Back-off", "pulling", "image"])
      #expect(!described.contains("StaleEvent") && !described.contains("Unrelated"))
      let forPod = rows(try await kubectl.succeed("events", "--for", "pod/web"))
      #expect(forPod.first == ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"])
      // `kubectl events --for` selects by kind and name only, so an earlier pod's event shows too.
      #expect(
        Set(forPod.dropFirst().compactMap { $0.dropFirst(2).first }) == ["Scheduled", "BackOff", "StaleEvent"])

      // The same fields select events for `kubectl get`, and other kinds reject them.
      let warnings = try await kubectl.succeed(
        "get", "events", "--field-selector", "involvedObject.name=web,type=Warning", "-o", "name")
      #expect(warnings == "event/web.2\n")
      let bySource = try await kubectl.succeed("get", "events", "--field-selector", "source=kubelet", "-o", "name")
      #expect(bySource == "event/other.1\nevent/web.2\nevent/web.old\n")
      let unsupported = try await kubectl.run("get", "pods", "--field-selector", "involvedObject.name=web")
      #expect(unsupported.status != 0)
      #expect(unsupported.stderr.contains("field label not supported: involvedObject.name"))
      let podsOnNode = try await kubectl.succeed("get", "pods", "--field-selector", "spec.nodeName=", "-o", "name")
      #expect(podsOnNode == "pod/web\n")
    }
  }

  @Test func describeShowsACustomResourcesAndAConfigMapsEvents() async throws {
    try await withFakeKube { kubectl, _ in
      try await kubectl.succeed("apply", "-f", try kubectl.file("crd.yaml", SensorFixtures.definition))
      try await kubectl.succeed("apply", "-f", try kubectl.file("sensor.yaml", SensorFixtures.sensor("edge")))
      try await kubectl.succeed("create", "configmap", "settings", "--from-literal=color=blue")
      let sensorUID = try await kubectl.succeed("get", "sensor", "edge", "-o", "jsonpath={.metadata.uid}")
      let configMapUID = try await kubectl.succeed("get", "cm", "settings", "-o", "jsonpath={.metadata.uid}")
      let events = [
        Self.event(
          "edge.1", about: "SovrenSensor", "edge", uid: sensorUID, apiVersion: "sovren.io/v1alpha1",
          reason: "Synced", message: "Interceptors ready on 3 nodes", component: "sensor-controller"),
        Self.event(
          "settings.1", about: "ConfigMap", "settings", uid: configMapUID, reason: "Reloaded",
          message: "Configuration reloaded", component: "sensor-controller"),
      ]
      try await kubectl.succeed("create", "-f", try kubectl.file("events.yaml", events.joined(separator: "\n---\n")))

      let sensor = try await kubectl.succeed("describe", "sensor", "edge")
      #expect(sensor.contains("Kind:         SovrenSensor"))
      let sensorEvent = sensor.split(separator: "\n").first { $0.contains("Synced") }.map {
        rows(String($0)).first ?? []
      }
      #expect(sensorEvent?.first == "Normal")
      #expect(sensorEvent?.suffix(6) == ["sensor-controller", "Interceptors", "ready", "on", "3", "nodes"])
      #expect(!sensor.contains("Reloaded"))

      let configMap = try await kubectl.succeed("describe", "cm", "settings")
      let configMapEvent = configMap.split(separator: "\n").first { $0.contains("Reloaded") }
        .map { rows(String($0)).first ?? [] }
      #expect(configMapEvent?.suffix(3) == ["sensor-controller", "Configuration", "reloaded"])
      #expect(!configMap.contains("Synced"))
    }
  }

  @Test func aStatusPatchChangesOnlyStatusAndReleasesAWaitForTheCondition() async throws {
    try await withFakeKube { kubectl, store in
      try await kubectl.succeed("apply", "-f", try kubectl.file("crd.yaml", SensorFixtures.definition))
      try await kubectl.succeed("apply", "-f", try kubectl.file("sensor.yaml", SensorFixtures.sensor("edge")))
      let before = try await kubectl.succeed(
        "get", "sensor", "edge", "-o", "jsonpath={.spec} {.metadata.generation}")

      let wait = try kubectl.start(["wait", "--for=condition=Ready", "sensor/edge", "--timeout=20s"])
      defer { wait.stop() }
      // The wait watches the sensor before its condition is set by another process.
      try await waitUntil(timeout: .seconds(20), "kubectl wait to watch the sensor") {
        store.state.withLock { state in
          state.watchers.values.contains { $0.filter.type.plural == "sovrensensors" }
        } || !wait.isRunning
      }
      #expect(wait.isRunning)
      let patched = try await kubectl.succeed(
        "patch", "sensor", "edge", "--subresource=status", "--type=merge", "-p",
        #"{"status":{"conditions":[{"type":"Ready","status":"True"}]},"spec":{"replicas":5}}"#)
      #expect(patched.contains("sovrensensor.sovren.io/edge patched"))
      #expect(try await wait.waitForExit(timeout: .seconds(20)) == 0)
      #expect(wait.stdout == "sovrensensor.sovren.io/edge condition met\n")

      let after = try await kubectl.succeed(
        "get", "sensor", "edge", "-o", "jsonpath={.spec} {.metadata.generation}")
      #expect(after == before)
      let status = try await kubectl.succeed(
        "get", "sensor", "edge", "-o", #"jsonpath={.status.conditions[?(@.type=="Ready")].status}"#)
      #expect(status == "True")
      // The patch is recorded as kubectl-patch's, through the status subresource.
      let owners = try JSONValue(
        parsing: Array(try await kubectl.succeed("get", "sensor", "edge", "-o", "json", "--show-managed-fields").utf8))
      let statusEntry = owners[path: ["metadata", "managedFields"]]?.arrayValue?.first { $0["subresource"] == "status" }
      #expect(statusEntry?["manager"] == "kubectl-patch" && statusEntry?["operation"] == "Update")
    }
  }

  @Test func aWatchOnACustomResourcePrintsRowsAsTheyChange() async throws {
    try await withFakeKube { kubectl, _ in
      try await kubectl.succeed("apply", "-f", try kubectl.file("crd.yaml", SensorFixtures.definition))
      try await kubectl.succeed("apply", "-f", try kubectl.file("sensor.yaml", SensorFixtures.sensor("edge")))
      let watch = try kubectl.start(["get", "sensor", "-w"])
      defer { watch.stop() }
      try await waitUntil(timeout: .seconds(20), "the watch to list the sensor") { watch.stdout.contains("edge") }
      try await kubectl.succeed(
        "patch", "sensor", "edge", "--subresource=status", "--type=merge", "-p",
        #"{"status":{"conditions":[{"type":"Ready","status":"True"}],"interceptor":{"ready":3}}}"#)
      try await waitUntil(timeout: .seconds(20), "the watch to show the new status") {
        rows(watch.stdout).contains { $0.prefix(3) == ["edge", "True", "3"] }
      }
      try await kubectl.succeed("apply", "-f", try kubectl.file("core.yaml", SensorFixtures.sensor("core")))
      try await waitUntil(timeout: .seconds(20), "the watch to show the new sensor") {
        rows(watch.stdout).contains { $0.first == "core" }
      }
      #expect(watch.isRunning)
      watch.stop()
      let printed = rows(watch.stdout)
      #expect(printed.first == ["NAME", "READY", "INTERCEPTORS", "AGE"])
      #expect(printed.dropFirst().map(\.first) == ["edge", "edge", "core"])
    }
  }

  @Test func applyKustomizeCreatesTheGeneratedConfigMapWithItsHashAndLabels() async throws {
    try await withFakeKube { kubectl, _ in
      let directory = kubectl.directory.appendingPathComponent("overlay")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      let files = [
        "kustomization.yaml": """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        namespace: shop
        labels:
        - pairs:
            team: edge
          includeSelectors: true
        configMapGenerator:
        - name: settings
          literals:
          - color=blue
        resources:
        - deployment.yaml
        - service.yaml
        """,
        "deployment.yaml": """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 1
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: web
                image: nginx:1.27
                envFrom:
                - configMapRef:
                    name: settings
        """,
        "service.yaml": """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          selector: {app: web}
          ports:
          - port: 80
        """,
      ]
      for (name, contents) in files {
        try contents.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
      }
      try await kubectl.succeed("create", "namespace", "shop")
      let applied = try await kubectl.succeed("apply", "-k", directory.path)
      #expect(applied.contains("service/web created") && applied.contains("deployment.apps/web created"))

      let configMaps = try JSONValue(
        parsing: Array(try await kubectl.succeed("get", "cm", "-n", "shop", "-o", "json").utf8))
      let generated = try #require(configMaps["items"]?.arrayValue?.first)
      #expect(configMaps["items"]?.arrayValue?.count == 1)
      let name = generated[path: ["metadata", "name"]]?.stringValue ?? ""
      #expect(name.hasPrefix("settings-") && name.count == "settings-".count + 10)
      #expect(applied.contains("configmap/\(name) created"))
      #expect(generated[path: ["metadata", "labels", "team"]] == "edge")
      #expect(generated[path: ["data", "color"]] == "blue")

      let deployment = try JSONValue(
        parsing: Array(try await kubectl.succeed("get", "deploy", "web", "-n", "shop", "-o", "json").utf8))
      #expect(deployment[path: ["metadata", "labels"]] == ["team": "edge"])
      #expect(deployment[path: ["spec", "selector", "matchLabels"]] == ["app": "web", "team": "edge"])
      let reference = deployment[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?["envFrom"]
      #expect(reference == [["configMapRef": ["name": .string(name)]]])
      let service = try await kubectl.succeed(
        "get", "svc", "web", "-n", "shop", "-o", "jsonpath={.metadata.labels.team} {.spec.selector.team}")
      #expect(service == "edge edge")
    }
  }
}
