import Kube
import KubeModel
import Operator
import Testing

/// The children applied to a real API server (FakeKube, with its defaulting and validation) come
/// back as they were applied: `needsApply` says no for each, and yes once a field the operator
/// sets is edited behind its back.
@Suite struct DesiredStateRoundTripTests {
  static let sensors: [SovrenSensor] = [
    SensorFixtures.sample,
    SensorFixtures.sensor(),
    SensorFixtures.sensor { spec in
      spec.kafka = SovrenSensor.Kafka(embedded: nil, external: .init(bootstrapServers: ["kafka.example:9092"]))
      spec.map = SovrenSensor.Map(endpoint: "map.example:443", tokenSecretRef: .init(name: "map", key: "jwt"))
    },
  ]

  /// Applies every child as the reconciler does and reads each back.
  static func applyAll(_ children: [DesiredChild], with client: KubeClient) async throws -> [JSONValue] {
    var live: [JSONValue] = []
    for child in children {
      _ = try await client.apply(
        child.object, in: child.kind.resource, namespace: child.kind.namespaced ? child.namespace : nil,
        fieldManager: SensorLayout.fieldManager, force: true)
      live.append(try await read(child, with: client))
    }
    return live
  }

  static func read(_ child: DesiredChild, with client: KubeClient) async throws -> JSONValue {
    try await client.get(
      child.kind.resource, as: JSONValue.self, name: child.name,
      namespace: child.kind.namespaced ? child.namespace : nil)
  }

  @Test(arguments: sensors)
  func appliedChildrenReadBackNeedNoApply(sensor: SovrenSensor) async throws {
    #expect(DesiredState.problems(in: sensor) == [])
    try await withFakeKubeClient { client in
      _ = try await client.create(Namespace(metadata: ObjectMeta(name: "sovren")))
      let children = DesiredState.children(of: sensor)
      let live = try await Self.applyAll(children, with: client)
      for (child, object) in zip(children, live) {
        #expect(!DesiredState.needsApply(child.object, live: object), "\(child.kind) \(child.name) drifted on apply")
        #expect(object[path: ["metadata", "uid"]] != nil)
        #expect(SensorLayout.owningSensor(of: object) == NamespacedName(namespace: "sovren", name: "edge"))
      }
      // Applying again changes nothing.
      for child in children {
        let before = try await Self.read(child, with: client)
        _ = try await client.apply(
          child.object, in: child.kind.resource, namespace: child.kind.namespaced ? child.namespace : nil,
          fieldManager: SensorLayout.fieldManager, force: true)
        let after = try await Self.read(child, with: client)
        #expect(before["metadata"]?["resourceVersion"] == after["metadata"]?["resourceVersion"], "\(child.name)")
      }
    }
  }

  struct Edit: Sendable, CustomTestStringConvertible {
    var kind: ChildKind
    var name: String
    var patch: JSONValue
    var testDescription: String { "\(kind) \(name)" }
  }

  static let edits: [Edit] = [
    Edit(kind: .deployment, name: "edge-detector", patch: ["spec": ["replicas": 7]]),
    Edit(kind: .daemonSet, name: "edge-interceptor", patch: ["spec": ["template": ["spec": ["hostPID": false]]]]),
    Edit(
      kind: .deployment, name: "edge-digger",
      patch: ["spec": ["template": ["spec": ["containers": [["name": "digger", "args": ["digger"]]]]]]]),
    Edit(kind: .service, name: "edge-kafka-headless", patch: ["spec": ["publishNotReadyAddresses": false]]),
    Edit(kind: .service, name: "edge-detector", patch: ["spec": ["selector": ["app.kubernetes.io/component": "map"]]]),
    Edit(
      kind: .statefulSet, name: "edge-kafka", patch: ["metadata": ["labels": ["app.kubernetes.io/part-of": "other"]]]),
    Edit(
      kind: .clusterRole, name: "sovren-sovren-edge-digger",
      patch: ["rules": [["apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]]]]),
    Edit(
      kind: .serviceAccount, name: "edge-digger",
      patch: ["metadata": ["annotations": [.init(stringLiteral: SensorLayout.appliedHashAnnotation): "0"]]]),
  ]

  @Test(arguments: edits)
  func anEditOfAFieldTheOperatorSetsNeedsApplyAndApplyRestoresIt(_ edit: Edit) async throws {
    try await withFakeKubeClient { client in
      _ = try await client.create(Namespace(metadata: ObjectMeta(name: "sovren")))
      let children = DesiredState.children(of: SensorFixtures.sensor())
      _ = try await Self.applyAll(children, with: client)
      let child = try #require(children.first { $0.kind == edit.kind && $0.name == edit.name })
      let namespace = child.kind.namespaced ? child.namespace : nil
      // As `kubectl patch` would: another manager, an update of the stored object.
      _ = try await client.patch(
        child.kind.resource, as: JSONValue.self, name: child.name, namespace: namespace, .strategicMerge(edit.patch))
      #expect(DesiredState.needsApply(child.object, live: try await Self.read(child, with: client)))
      _ = try await client.apply(
        child.object, in: child.kind.resource, namespace: namespace, fieldManager: SensorLayout.fieldManager,
        force: true)
      #expect(!DesiredState.needsApply(child.object, live: try await Self.read(child, with: client)))
    }
  }

  /// The server may store a quantity in another spelling; the same amount is no drift.
  @Test func aQuantityRespelledOnTheServerIsNoDrift() async throws {
    try await withFakeKubeClient { client in
      _ = try await client.create(Namespace(metadata: ObjectMeta(name: "sovren")))
      let children = DesiredState.children(of: SensorFixtures.sensor())
      _ = try await Self.applyAll(children, with: client)
      let child = try #require(children.first { $0.kind == .deployment && $0.name == "edge-detector" })
      _ = try await client.patch(
        child.kind.resource, as: JSONValue.self, name: child.name, namespace: "sovren",
        .strategicMerge([
          "spec": [
            "template": [
              "spec": [
                "containers": [
                  [
                    "name": "detector",
                    "resources": ["requests": ["memory": "0.25Gi"], "limits": ["memory": "1024Mi"]],
                  ]
                ]
              ]
            ]
          ]
        ]))
      let live = try await Self.read(child, with: client)
      #expect(
        live[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?[path: [
          "resources", "limits", "memory",
        ]] == "1024Mi")
      #expect(!DesiredState.needsApply(child.object, live: live))
    }
  }
}
