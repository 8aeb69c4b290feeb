import FakeKube
import Foundation
import KubeModel
import TestSupport
import Testing

/// The real kubectl against an in-process FakeKube: each test checks what kubectl prints.
@Suite("kubectl against FakeKube", .serialized)
struct KubectlTests {
  static let configMap = """
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: settings
      labels: {app: web}
    data:
      color: blue
      size: large
    """

  static let deployment = """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      labels: {app: web}
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
            - containerPort: 80
          - name: sidecar
            image: busybox:1.36
    """

  @Test func versionAndDiscovery() async throws {
    try await withFakeKube { kubectl, _ in
      let version = try await kubectl.succeed("version")
      #expect(version.contains("Server Version: v1.32.0-fakekube"))
      let resources = try await kubectl.succeed("api-resources")
      let deploymentLine = resources.split(separator: "\n").first { $0.hasPrefix("deployments ") }
      let columns = deploymentLine?.split(separator: " ").map(String.init) ?? []
      #expect(columns == ["deployments", "deploy", "apps/v1", "true", "Deployment"])
      #expect(resources.contains("customresourcedefinitions"))
      // The legacy documents, for clients that do not ask for aggregated discovery.
      let apis = try JSONValue(parsing: Array(try await kubectl.succeed("get", "--raw", "/apis").utf8))
      #expect(apis["kind"] == "APIGroupList")
      #expect(apis["groups"]?.arrayValue?.contains { $0["name"] == "apps" } == true)
      let apps = try JSONValue(parsing: Array(try await kubectl.succeed("get", "--raw", "/apis/apps/v1").utf8))
      let deployments = apps["resources"]?.arrayValue?.first { $0["name"] == "deployments" }
      #expect(deployments?["shortNames"] == ["deploy"] && deployments?["namespaced"] == true)
      let core = try JSONValue(parsing: Array(try await kubectl.succeed("get", "--raw", "/api").utf8))
      #expect(core["kind"] == "APIVersions" && core["versions"] == ["v1"])
      let namespaces = try await kubectl.succeed("get", "namespaces")
      #expect(namespaces.contains("kube-system") && namespaces.contains("Active"))
    }
  }

  @Test func applyReapplyAndGet() async throws {
    try await withFakeKube { kubectl, _ in
      #expect(try await kubectl.succeed("create", "namespace", "demo").contains("namespace/demo created"))
      let configMap = try kubectl.file("cm.yaml", Self.configMap)
      let deployment = try kubectl.file("deploy.yaml", Self.deployment)
      let created = try await kubectl.succeed("apply", "-n", "demo", "-f", configMap, "-f", deployment)
      #expect(created.contains("configmap/settings created"))
      #expect(created.contains("deployment.apps/web created"))

      // Edit both and apply again: kubectl sends strategic merge patches.
      _ = try kubectl.file("cm.yaml", Self.configMap.replacingOccurrences(of: "blue", with: "green"))
      _ = try kubectl.file("deploy.yaml", Self.deployment.replacingOccurrences(of: "nginx:1.27", with: "nginx:1.28"))
      // Default (strict) validation: kubectl finds `fieldValidation` in /openapi/v3 and warns of nothing.
      let reapplied = try await kubectl.run("apply", "-n", "demo", "-f", configMap, "-f", deployment)
      #expect(reapplied.status == 0)
      #expect(reapplied.stderr == "")
      #expect(reapplied.stdout.contains("configmap/settings configured"))
      #expect(reapplied.stdout.contains("deployment.apps/web configured"))
      let unchanged = try await kubectl.succeed("apply", "-n", "demo", "-f", configMap)
      #expect(unchanged.contains("configmap/settings unchanged"))

      let yaml = try await kubectl.succeed("get", "cm", "settings", "-n", "demo", "-o", "yaml")
      #expect(yaml.contains("color: green"))
      #expect(yaml.contains("size: large"))
      #expect(yaml.contains("namespace: demo"))
      #expect(yaml.contains("kubectl.kubernetes.io/last-applied-configuration"))

      let images = try await kubectl.succeed(
        "get", "deploy", "web", "-n", "demo", "-o",
        "jsonpath={.spec.template.spec.containers[*].image} {.spec.template.spec.containers[0].ports[0].containerPort} {.metadata.generation}"
      )
      #expect(images == "nginx:1.28 busybox:1.36 80 2")

      let table = try await kubectl.succeed("get", "deploy", "-n", "demo")
      let lines = table.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
      #expect(lines.first == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"])
      #expect(lines.dropFirst().first?.prefix(4) == ["web", "0/2", "0", "0"])
      #expect(try await kubectl.succeed("scale", "deploy/web", "-n", "demo", "--replicas=4").contains("scaled"))
      let scaled = try await kubectl.succeed(
        "get", "deploy", "web", "-n", "demo", "-o", "jsonpath={.spec.replicas} {.metadata.generation}")
      #expect(scaled == "4 3")
      let configMaps = try await kubectl.succeed("get", "cm", "-n", "demo")
      #expect(configMaps.contains("DATA") && configMaps.contains("settings"))
    }
  }

  @Test func labelPatchDeleteAndNotFound() async throws {
    try await withFakeKube { kubectl, _ in
      let configMap = try kubectl.file("cm.yaml", Self.configMap)
      try await kubectl.succeed("apply", "-f", configMap)
      #expect(try await kubectl.succeed("label", "cm", "settings", "tier=gold").contains("configmap/settings labeled"))
      let selected = try await kubectl.succeed("get", "cm", "-l", "tier in (gold,silver),app=web", "-o", "name")
      #expect(selected == "configmap/settings\n")
      let none = try await kubectl.run("get", "cm", "-l", "tier!=gold")
      #expect(none.stderr.contains("No resources found in default namespace."))

      let patched = try await kubectl.succeed(
        "patch", "cm", "settings", "--type=merge", "-p", #"{"data":{"color":"red"}}"#)
      #expect(patched.contains("configmap/settings patched"))
      let color = try await kubectl.succeed(
        "get", "cm", "settings", "-o", "jsonpath={.data.color}/{.metadata.labels.tier}")
      #expect(color == "red/gold")

      #expect(try await kubectl.succeed("delete", "cm", "settings").contains(#"configmap "settings" deleted"#))
      let missing = try await kubectl.run("get", "cm", "settings")
      #expect(missing.status != 0)
      #expect(missing.stderr.contains(#"Error from server (NotFound): configmaps "settings" not found"#))
    }
  }

  @Test func watchShowsChangesAsTheyHappen() async throws {
    try await withFakeKube { kubectl, _ in
      let configMap = try kubectl.file("cm.yaml", Self.configMap)
      try await kubectl.succeed("apply", "-f", configMap)
      let watch = try kubectl.start([
        "get", "cm", "settings", "-w", "-o", "custom-columns=NAME:.metadata.name,COLOR:.data.color",
      ])
      defer { watch.stop() }
      try await waitUntil(timeout: .seconds(20), "the watch to list the ConfigMap") { watch.stdout.contains("blue") }
      try await kubectl.succeed("patch", "cm", "settings", "--type=merge", "-p", #"{"data":{"color":"purple"}}"#)
      try await waitUntil(timeout: .seconds(20), "the watch to show the change") { watch.stdout.contains("purple") }
      #expect(watch.isRunning)
      watch.stop()
      let rows = watch.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
      #expect(rows == [["NAME", "COLOR"], ["settings", "blue"], ["settings", "purple"]])
    }
  }

  @Test func tableWatchPrintsRows() async throws {
    try await withFakeKube { kubectl, _ in
      try await kubectl.succeed("create", "configmap", "plain", "--from-literal=a=b")
      let watch = try kubectl.start(["get", "cm", "-w"])
      defer { watch.stop() }
      try await waitUntil(timeout: .seconds(20), "the watch to list") { watch.stdout.contains("plain") }
      try await kubectl.succeed("create", "configmap", "second", "--from-literal=a=b", "--from-literal=c=d")
      try await waitUntil(timeout: .seconds(20), "the new ConfigMap's row") { watch.stdout.contains("second") }
      let row = watch.stdout.split(separator: "\n").first { $0.hasPrefix("second") }
      #expect(row?.split(separator: " ").dropFirst().first == "2")
    }
  }
}

/// Watches read raw with `kubectl get --raw`: the JSON lines themselves.
@Suite("Watch protocol", .serialized)
struct WatchProtocolTests {
  func lines(_ text: String) throws -> [JSONValue] {
    try text.split(separator: "\n").map { try JSONValue(parsing: Array($0.utf8)) }
  }

  @Test func aWatchReplaysFromItsResourceVersionFiltersByFieldAndEndsAtItsTimeout() async throws {
    try await withFakeKube { kubectl, store in
      let start = store.currentResourceVersion
      try await kubectl.succeed("create", "configmap", "one", "--from-literal=a=b")
      try await kubectl.succeed("create", "configmap", "two", "--from-literal=a=b")
      try await kubectl.succeed("label", "configmap", "one", "x=y")
      let clock = ContinuousClock.now
      let output = try await kubectl.succeed(
        "get", "--raw",
        "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=\(start)&timeoutSeconds=1&fieldSelector=metadata.name%3Done"
      )
      #expect(ContinuousClock.now - clock < .seconds(10))
      let events = try lines(output)
      #expect(events.map { $0["type"] } == ["ADDED", "MODIFIED"])
      #expect(events.last?[path: ["object", "metadata", "labels", "x"]] == "y")
    }
  }

  @Test func aWatchFromBeforeTheHistoryGetsAnErrorEventWithStatus410() async throws {
    try await withFakeKube(historyLimit: 5) { kubectl, store in
      let configMaps = try #require(ResourceType.builtIn.first { $0.kind == "ConfigMap" })
      for index in 0..<10 {
        try store.create(configMaps, namespace: "default", object: ["metadata": ["name": .string("cm\(index)")]])
      }
      let output = try await kubectl.succeed(
        "get", "--raw", "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=2&timeoutSeconds=1")
      let events = try lines(output)
      #expect(events.count == 1)
      #expect(events.first?["type"] == "ERROR")
      #expect(events.first?[path: ["object", "code"]] == 410)
      #expect(events.first?[path: ["object", "reason"]] == "Expired")
    }
  }

  @Test func aWatchThatAllowsBookmarksGetsThem() async throws {
    try await withFakeKube { kubectl, store in
      let now = store.currentResourceVersion
      let output = try await kubectl.succeed(
        "get", "--raw",
        "/apis/apps/v1/deployments?watch=1&allowWatchBookmarks=true&resourceVersion=\(now)&timeoutSeconds=2")
      let events = try lines(output)
      #expect(!events.isEmpty)
      #expect(events.allSatisfy { $0["type"] == "BOOKMARK" })
      #expect(events.first?[path: ["object", "kind"]] == "Deployment")
      #expect(events.first?[path: ["object", "metadata", "resourceVersion"]] == .string(String(now)))
    }
  }
}

/// `sovren fake-apiserver` as a user runs it.
@Suite("sovren fake-apiserver", .serialized)
struct FakeAPIServerCommandTests {
  @Test func writesAKubeconfigKubectlUsesAndStopsOnSIGTERMWithAWatchOpen() async throws {
    let scratch = try Kubectl(server: "http://127.0.0.1:1")
    defer { scratch.removeFiles() }
    let kubeconfig = scratch.directory.appendingPathComponent("written-kubeconfig").path
    let output = scratch.directory.appendingPathComponent("server").path
    let server = try ChildProcess.launch(
      try builtExecutable(named: "sovren"), ["fake-apiserver", "--port", "0", "--kubeconfig", kubeconfig],
      stdout: output + ".out", stderr: output + ".err", environment: ["PATH": "/usr/bin:/bin"])
    defer { server.stop() }
    try await waitUntil(timeout: .seconds(20), "the kubeconfig to be written") {
      FileManager.default.fileExists(atPath: kubeconfig) || !server.isRunning
    }
    #expect(server.stdout.contains("FakeKube listening on http://127.0.0.1:"))
    var environment = scratch.environment
    environment["KUBECONFIG"] = kubeconfig
    let kubectl = Kubectl(executable: scratch.executable, directory: scratch.directory, environment: environment)
    let namespaces = try await kubectl.succeed("get", "namespaces", "-o", "name")
    #expect(namespaces.contains("namespace/default"))

    let watch = try kubectl.start(["get", "cm", "-w"])
    defer { watch.stop() }
    try await Task.sleep(for: .milliseconds(500))
    kill(server.pid, SIGTERM)
    #expect(try await server.waitForExit(timeout: .seconds(10)) == 0)
  }
}
