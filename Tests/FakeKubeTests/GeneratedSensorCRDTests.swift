import Foundation
import TestSupport
import Testing

/// The committed `crds/` file, generated from the Swift SovrenSensor API, works as a user meets
/// it: installed with `kubectl apply -f crds/`, it defaults, prints and rejects sensors.
@Suite struct GeneratedSensorCRDTests {
  static let crds = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("crds").path

  func rows(_ table: String) -> [[String]] {
    table.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
  }

  @Test func theGeneratedCRDDefaultsPrintsAndValidatesSensors() async throws {
    try await withFakeKube { kubectl, _ in
      let installed = try await kubectl.succeed("apply", "-f", Self.crds)
      #expect(installed.contains("customresourcedefinition.apiextensions.k8s.io/sovrensensors.sovren.io created"))

      let minimal = try kubectl.file(
        "sensor.yaml",
        """
        apiVersion: sovren.io/v1alpha1
        kind: SovrenSensor
        metadata:
          name: edge
          namespace: default
        spec:
          image: sovren:dev
        """)
      #expect(try await kubectl.succeed("apply", "-f", minimal).contains("sovrensensor.sovren.io/edge created"))

      // The schema's defaults are stored, down to the nested ones of a defaulted object.
      let yaml = try await kubectl.succeed("get", "sensor", "edge", "-o", "yaml")
      for line in [
        "bodyLimit: 1048576", "responseTimeoutSeconds: 30", "maxTotalBuffer: 67108864", "- /api/v2/detect",
        "- operator: Exists", "topic: sovren.pairs", "partitions: 12", "retentionHours: 24", "type: EmptyDir",
        "size: 10Gi", "samplingBudget: 60", "- kube-system", "deploy: false", "memory: 128Mi",
      ] {
        #expect(yaml.contains(line), "kubectl get sensor -o yaml lacks \(line)")
      }

      let table = rows(try await kubectl.succeed("get", "sensor"))
      #expect(table.first == ["NAME", "READY", "INTERCEPTORS", "KAFKA", "DIGGER", "DETECTOR", "AGE"])
      #expect(table.dropFirst().first?.first == "edge")
      let wide = rows(try await kubectl.succeed("get", "sensor", "-o", "wide"))
      #expect(
        wide.first == [
          "NAME", "READY", "INTERCEPTORS", "KAFKA", "DIGGER", "DETECTOR", "AGE", "UPDATED", "MAP", "IMAGE",
        ])

      // The status subresource feeds the columns.
      try await kubectl.succeed(
        "patch", "sensor", "edge", "--subresource=status", "--type=merge", "-p",
        #"{"status":{"conditions":[{"type":"Ready","status":"True","reason":"AllReady","message":"ready","#
          + #""lastTransitionTime":"2026-01-01T00:00:00Z"}],"interceptor":{"desired":3,"ready":2,"updated":3,"summary":"2/3"},"kafka":{"ready":true},"#
          + #""digger":{"desired":1,"ready":1,"summary":"1/1"},"detector":{"desired":1,"ready":0,"summary":"0/1"}}}"#)
      let filled = rows(try await kubectl.succeed("get", "sensor"))
      #expect(filled.dropFirst().first?.prefix(6) == ["edge", "True", "2/3", "true", "1/1", "0/1"])

      let invalid = try kubectl.file(
        "invalid.yaml",
        """
        apiVersion: sovren.io/v1alpha1
        kind: SovrenSensor
        metadata:
          name: broken
          namespace: default
        spec:
          image: sovren:dev
          digger:
            replicas: -1
          kafka:
            embedded:
              storage:
                type: HostPath
        """)
      let rejected = try await kubectl.run("apply", "-f", invalid)
      #expect(rejected.status != 0)
      #expect(rejected.stderr.contains(#"The SovrenSensor "broken" is invalid"#))
      #expect(
        rejected.stderr.contains(
          "spec.digger.replicas: Invalid value: -1: spec.digger.replicas in body should be greater than or equal to 0"))
      #expect(
        rejected.stderr.contains(
          #"spec.kafka.embedded.storage.type: Unsupported value: "HostPath": supported values: "EmptyDir", "PersistentVolumeClaim""#
        ))
      let missing = try await kubectl.run("get", "sensor", "broken")
      #expect(missing.status != 0)
    }
  }
}
