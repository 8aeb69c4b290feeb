import Foundation
import KubeModel
import TestSupport
import Testing

@testable import FakeKube

/// `kubectl apply --server-side` against FakeKube: what kubectl prints, and what the objects hold.
@Suite("Server-side apply through kubectl", .serialized)
struct ServerSideApplyKubectlTests {
  static func deployment(
    replicas: Int? = 2, image: String = "nginx:1.27", tier: Bool = true, sidecar: Bool = true
  )
    -> String
  {
    var lines = [
      "apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: web", "  labels:", "    app: web",
    ]
    if tier { lines.append("    tier: front") }
    lines.append("spec:")
    if let replicas { lines.append("  replicas: \(replicas)") }
    lines += [
      "  selector:", "    matchLabels: {app: web}", "  template:", "    metadata:", "      labels: {app: web}",
      "    spec:", "      containers:", "      - name: web", "        image: \(image)",
    ]
    if sidecar { lines += ["      - name: sidecar", "        image: busybox:1.36"] }
    return lines.joined(separator: "\n") + "\n"
  }

  func json(_ text: String) throws -> JSONValue {
    try JSONValue(parsing: Array(text.utf8))
  }

  @Test func aDeploymentIsAppliedReappliedConflictsIsForcedAndLosesWhatItNoLongerApplies() async throws {
    try await withFakeKube { kubectl, _ in
      let manifest = try kubectl.file("deploy.yaml", Self.deployment())
      let created = try await kubectl.succeed("apply", "--server-side", "-f", manifest)
      #expect(created == "deployment.apps/web serverside-applied\n")

      _ = try kubectl.file("deploy.yaml", Self.deployment(image: "nginx:1.28"))
      #expect(try await kubectl.succeed("apply", "--server-side", "-f", manifest).contains("serverside-applied"))
      let state = try await kubectl.succeed(
        "get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image} {.metadata.generation}")
      #expect(state == "nginx:1.28 2")

      let plain = try await kubectl.succeed("get", "deploy", "web", "-o", "yaml")
      #expect(!plain.contains("managedFields"))
      let yaml = try await kubectl.succeed("get", "deploy", "web", "-o", "yaml", "--show-managed-fields")
      #expect(yaml.contains("managedFields:"))
      #expect(yaml.contains("manager: kubectl\n"))
      #expect(yaml.contains("operation: Apply"))
      #expect(yaml.contains("fieldsType: FieldsV1"))
      #expect(yaml.contains("f:replicas: {}"))
      #expect(yaml.contains(#"k:{"name":"sidecar"}:"#))

      // A second manager that wants other replicas conflicts with kubectl, and kubectl says so.
      let autoscaler = try kubectl.file(
        "replicas.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 5\n")
      let conflict = try await kubectl.run("apply", "--server-side", "--field-manager=autoscaler", "-f", autoscaler)
      #expect(conflict.status != 0)
      #expect(conflict.stderr.contains(#"Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas"#))
      #expect(conflict.stderr.contains("--force-conflicts"))
      #expect(try await kubectl.succeed("get", "deploy", "web", "-o", "jsonpath={.spec.replicas}") == "2")

      let forced = try await kubectl.succeed(
        "apply", "--server-side", "--field-manager=autoscaler", "--force-conflicts", "-f", autoscaler)
      #expect(forced.contains("deployment.apps/web serverside-applied"))
      #expect(try await kubectl.succeed("get", "deploy", "web", "-o", "jsonpath={.spec.replicas}") == "5")
      let owners = try json(try await kubectl.succeed("get", "deploy", "web", "-o", "json", "--show-managed-fields"))
      let entries = owners[path: ["metadata", "managedFields"]]?.arrayValue ?? []
      let autoscalerEntry = entries.first { $0["manager"] == "autoscaler" }
      #expect(autoscalerEntry?[path: ["fieldsV1", "f:spec"]] == ["f:replicas": [:]])
      let kubectlEntry = entries.first { $0["manager"] == "kubectl" }
      #expect(kubectlEntry?[path: ["fieldsV1", "f:spec", "f:replicas"]] == nil)

      // kubectl's manifest drops the tier label, the sidecar and replicas: the first two go; replicas
      // stays, as the autoscaler owns it.
      _ = try kubectl.file(
        "deploy.yaml", Self.deployment(replicas: nil, image: "nginx:1.28", tier: false, sidecar: false))
      try await kubectl.succeed("apply", "--server-side", "-f", manifest)
      let trimmed = try json(try await kubectl.succeed("get", "deploy", "web", "-o", "json"))
      #expect(trimmed[path: ["metadata", "labels"]] == ["app": "web"])
      let containers = trimmed[path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? []
      #expect(containers.compactMap { $0["name"]?.stringValue } == ["web"])
      #expect(trimmed[path: ["spec", "replicas"]] == 5)
    }
  }

  @Test func aCustomResourceIsAppliedWithItsSchemaAndOwnership() async throws {
    try await withFakeKube { kubectl, _ in
      let definition = try kubectl.file("crd.yaml", SensorFixtures.definition)
      let crd = try await kubectl.succeed("apply", "--server-side", "-f", definition)
      #expect(crd == "customresourcedefinition.apiextensions.k8s.io/sovrensensors.sovren.io serverside-applied\n")
      let sensor = try kubectl.file(
        "sensor.yaml", SensorFixtures.sensor("edge", spec: "kafka: kafka:9092\nreplicas: 2\ninterfaces: [eth0]"))
      let created = try await kubectl.succeed("apply", "--server-side", "-f", sensor)
      #expect(created == "sovrensensor.sovren.io/edge serverside-applied\n")
      let first = try await kubectl.succeed(
        "get", "sensor", "edge", "-o",
        "jsonpath={.spec.mode} {.spec.replicas} {.spec.interfaces} {.metadata.generation}")
      #expect(first == #"capture 2 ["eth0"] 1"#)

      _ = try kubectl.file("sensor.yaml", SensorFixtures.sensor("edge", spec: "kafka: kafka:9092\nreplicas: 3"))
      try await kubectl.succeed("apply", "--server-side", "-f", sensor)
      let second = try json(try await kubectl.succeed("get", "sensor", "edge", "-o", "json", "--show-managed-fields"))
      #expect(second[path: ["spec", "replicas"]] == 3)
      #expect(second[path: ["spec", "interfaces"]] == nil)
      #expect(second[path: ["spec", "mode"]] == "capture")
      #expect(second[path: ["metadata", "generation"]] == 2)
      let entries = second[path: ["metadata", "managedFields"]]?.arrayValue ?? []
      #expect(entries.count == 1)
      #expect(entries.first?["manager"] == "kubectl" && entries.first?["operation"] == "Apply")
      #expect(entries.first?["apiVersion"] == "sovren.io/v1alpha1")
      // Defaults the schema filled in belong to nobody.
      #expect(entries.first?[path: ["fieldsV1", "f:spec"]] == ["f:kafka": [:], "f:replicas": [:]])

      let rival = try kubectl.file(
        "rival.yaml", SensorFixtures.sensor("edge", spec: "kafka: kafka:9092\nreplicas: 4"))
      let conflict = try await kubectl.run("apply", "--server-side", "--field-manager=operator", "-f", rival)
      #expect(conflict.status != 0)
      #expect(conflict.stderr.contains(#"Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas"#))

      let unknown = try kubectl.file(
        "unknown.yaml", SensorFixtures.sensor("edge", spec: "kafka: kafka:9092\nbogus: true"))
      let strict = try await kubectl.run("apply", "--server-side", "-f", unknown)
      #expect(strict.status != 0)
      #expect(strict.stderr.contains(#"strict decoding error: unknown field "spec.bogus""#))

      // Through the status subresource an apply sets status only, as another manager.
      let status = try kubectl.file(
        "status.yaml",
        SensorFixtures.sensor("edge", spec: "kafka: elsewhere:9092")
          + "\nstatus:\n  interceptor: {ready: 2}\n  conditions: [{type: Ready, status: \"True\"}]\n")
      let statusApplied = try await kubectl.succeed(
        "apply", "--server-side", "--subresource=status", "--field-manager=sensor-controller", "-f", status)
      #expect(statusApplied.contains("sovrensensor.sovren.io/edge serverside-applied"))
      let withStatus = try json(
        try await kubectl.succeed("get", "sensor", "edge", "-o", "json", "--show-managed-fields"))
      #expect(withStatus[path: ["status", "interceptor", "ready"]] == 2)
      #expect(withStatus[path: ["spec", "kafka"]] == "kafka:9092")
      #expect(withStatus[path: ["metadata", "generation"]] == 2)
      let controller = withStatus[path: ["metadata", "managedFields"]]?.arrayValue?.first {
        $0["manager"] == "sensor-controller"
      }
      #expect(controller?["subresource"] == "status" && controller?["operation"] == "Apply")
      #expect(controller?[path: ["fieldsV1", "f:status", "f:interceptor"]] == ["f:ready": [:]])
      #expect(try await kubectl.succeed("get", "sensor").contains("True"))

      let invalid = try kubectl.file(
        "invalid.yaml", SensorFixtures.sensor("edge", spec: "kafka: kafka:9092\nreplicas: 20"))
      let rejected = try await kubectl.run("apply", "--server-side", "-f", invalid)
      #expect(rejected.status != 0)
      #expect(rejected.stderr.contains("spec.replicas in body should be less than or equal to 10"))
    }
  }

  @Test func clientSideApplyMovesToServerSideApplyAndBack() async throws {
    try await withFakeKube { kubectl, _ in
      let manifest = try kubectl.file("cm.yaml", KubectlTests.configMap)
      #expect(try await kubectl.succeed("apply", "-f", manifest).contains("configmap/settings created"))
      let clientSide = try await kubectl.succeed("get", "cm", "settings", "-o", "yaml", "--show-managed-fields")
      #expect(clientSide.contains("manager: kubectl-client-side-apply"))
      #expect(clientSide.contains("operation: Update"))

      // Fields the last-applied-configuration still describes move to server-side apply without
      // conflict; a field another command changed since does conflict.
      try await kubectl.succeed("label", "--overwrite", "cm", "settings", "app=api")
      _ = try kubectl.file("cm.yaml", KubectlTests.configMap.replacingOccurrences(of: "blue", with: "green"))
      let relabelled = try await kubectl.run("apply", "--server-side", "-f", manifest)
      #expect(relabelled.status != 0)
      #expect(
        relabelled.stderr.contains(
          #"Apply failed with 1 conflict: conflict with "kubectl-label" using v1: .metadata.labels.app"#))
      try await kubectl.succeed("label", "--overwrite", "cm", "settings", "app=web")
      let serverSide = try await kubectl.run("apply", "--server-side", "-f", manifest)
      #expect(serverSide.status == 0)
      #expect(serverSide.stdout.contains("configmap/settings serverside-applied"))
      let moved = try json(try await kubectl.succeed("get", "cm", "settings", "-o", "json", "--show-managed-fields"))
      #expect(moved[path: ["data", "color"]] == "green")
      // The annotation follows what kubectl applied last, so client-side apply can take over again.
      let annotation =
        moved[
          path: ["metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"]]?.stringValue ?? ""
      let lastApplied = try json(annotation)
      #expect(lastApplied[path: ["data", "color"]] == "green")
      let managers = (moved[path: ["metadata", "managedFields"]]?.arrayValue ?? []).compactMap {
        $0["manager"]?.stringValue
      }
      #expect(managers.contains("kubectl"))

      _ = try kubectl.file("cm.yaml", KubectlTests.configMap.replacingOccurrences(of: "blue", with: "red"))
      let back = try await kubectl.run("apply", "-f", manifest)
      #expect(back.status == 0)
      #expect(back.stdout.contains("configmap/settings configured"))
      #expect(try await kubectl.succeed("get", "cm", "settings", "-o", "jsonpath={.data.color}") == "red")

      // A server-side dry run shows the result and stores nothing.
      _ = try kubectl.file("cm.yaml", KubectlTests.configMap.replacingOccurrences(of: "blue", with: "teal"))
      let dryRun = try await kubectl.succeed(
        "apply", "--server-side", "--force-conflicts", "--dry-run=server", "-f", manifest, "-o",
        "jsonpath={.data.color}")
      #expect(dryRun == "teal")
      #expect(try await kubectl.succeed("get", "cm", "settings", "-o", "jsonpath={.data.color}") == "red")
    }
  }
}
