import KubeModel
import Operator
import Testing

/// `DesiredState.needsApply`: a live object needs the desired one applied again when it lacks a
/// desired field or holds another value there, and not for what the server adds or respells.
@Suite struct NeedsApplyTests {
  static let hashKey = SensorLayout.appliedHashAnnotation

  static let desired: JSONValue = [
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": [
      "name": "edge-detector", "namespace": "sovren", "labels": ["app.kubernetes.io/name": "sovren"],
      "annotations": [.init(stringLiteral: hashKey): "0123456789abcdef"],
      "ownerReferences": [["kind": "SovrenSensor", "name": "edge", "uid": "u-1", "controller": true]],
    ],
    "spec": [
      "replicas": 2,
      "template": [
        "spec": [
          "containers": [
            [
              "name": "detector", "args": ["detector", "--listen", "0.0.0.0:8000"],
              "resources": ["requests": ["cpu": "500m", "memory": "1Gi"], "limits": ["memory": "2Gi"]],
            ]
          ],
          "volumes": [["name": "data", "emptyDir": ["sizeLimit": "10Gi"]]],
        ]
      ],
    ],
  ]

  /// `desired` with `change` made to it.
  static func live(_ change: (inout JSONValue) -> Void = { _ in }) -> JSONValue {
    var object = desired
    change(&object)
    return object
  }

  static let containerPath = ["spec", "template", "spec", "containers"]

  static func editContainer(_ object: inout JSONValue, _ change: (inout JSONValue) -> Void) {
    var containers = object[path: containerPath]?.arrayValue ?? []
    change(&containers[0])
    object.set(.array(containers), at: containerPath)
  }

  struct Row: Sendable, CustomTestStringConvertible {
    var label: String
    var live: JSONValue
    var needsApply: Bool
    var testDescription: String { label }
  }

  static let table: [Row] = [
    Row(label: "equal", live: live(), needsApply: false),
    Row(
      label: "server defaults and status added",
      live: live { object in
        object.set(10, at: ["spec", "revisionHistoryLimit"])
        object.set(["replicas": 2], at: ["status"])
        object.set("123", at: ["metadata", "resourceVersion"])
        object.set("other", at: ["metadata", "uid"])
        object.set([["manager": "kube-controller-manager"]], at: ["metadata", "managedFields"])
        object.set("kubectl", at: ["metadata", "labels", "edited-by"])
        object.set("1", at: ["metadata", "annotations", "deployment.kubernetes.io/revision"])
        editContainer(&object) { container in
          container["imagePullPolicy"] = "IfNotPresent"
          container["terminationMessagePath"] = "/dev/termination-log"
        }
      }, needsApply: false),
    Row(
      label: "a list without kind and apiVersion",
      live: live { object in
        object["kind"] = nil
        object["apiVersion"] = nil
      }, needsApply: false),
    Row(label: "changed value", live: live { $0.set(3, at: ["spec", "replicas"]) }, needsApply: true),
    Row(label: "missing field", live: live { $0.set(nil, at: ["spec", "replicas"]) }, needsApply: true),
    Row(label: "field turned null", live: live { $0.set(.null, at: ["spec", "replicas"]) }, needsApply: true),
    Row(label: "number as a double", live: live { $0.set(.double(2), at: ["spec", "replicas"]) }, needsApply: false),
    Row(
      label: "number as another double", live: live { $0.set(.double(2.5), at: ["spec", "replicas"]) }, needsApply: true
    ),
    Row(label: "number as a string", live: live { $0.set("2", at: ["spec", "replicas"]) }, needsApply: true),
    Row(
      label: "array one longer",
      live: live { object in
        editContainer(&object) { $0["args"] = ["detector", "--listen", "0.0.0.0:8000", "--verbose"] }
      }, needsApply: true),
    Row(
      label: "array one shorter",
      live: live { object in editContainer(&object) { $0["args"] = ["detector", "--listen"] } }, needsApply: true),
    Row(
      label: "array reordered",
      live: live { object in editContainer(&object) { $0["args"] = ["detector", "0.0.0.0:8000", "--listen"] } },
      needsApply: true),
    Row(
      label: "a container and a volume another manager added (keyed lists keep them)",
      live: live { object in
        var containers = object[path: containerPath]?.arrayValue ?? []
        containers.insert(["name": "sidecar", "image": "example.com/proxy:1"], at: 0)
        object.set(.array(containers), at: containerPath)
        object.set(
          [["name": "cache", "emptyDir": [:]], ["name": "data", "emptyDir": ["sizeLimit": "10Gi"]]],
          at: ["spec", "template", "spec", "volumes"])
      }, needsApply: false),
    Row(
      label: "the operator's container replaced by another",
      live: live { object in object.set([["name": "sidecar", "image": "example.com/proxy:1"]], at: containerPath) },
      needsApply: true),
    Row(
      label: "quantities respelled",
      live: live { object in
        editContainer(&object) {
          $0["resources"] = ["requests": ["cpu": "0.5", "memory": "1024Mi"], "limits": ["memory": "2048Mi"]]
        }
        object.set(
          [["name": "data", "emptyDir": ["sizeLimit": "10240Mi"]]], at: ["spec", "template", "spec", "volumes"])
      }, needsApply: false),
    Row(
      label: "quantity changed",
      live: live { object in
        editContainer(&object) {
          $0["resources"] = ["requests": ["cpu": "0.6", "memory": "1Gi"], "limits": ["memory": "2Gi"]]
        }
      }, needsApply: true),
    Row(
      label: "size limit changed",
      live: live { object in
        object.set([["name": "data", "emptyDir": ["sizeLimit": "1Gi"]]], at: ["spec", "template", "spec", "volumes"])
      }, needsApply: true),
    Row(
      label: "quantity-like text outside quantities compared as text",
      live: live { object in editContainer(&object) { $0["name"] = "detector " } }, needsApply: true),
    Row(
      label: "another hash", live: live { $0.set("fedcba9876543210", at: ["metadata", "annotations", hashKey]) },
      needsApply: true),
    Row(label: "no hash", live: live { $0.set(nil, at: ["metadata", "annotations"]) }, needsApply: true),
    Row(label: "label removed", live: live { $0.set(nil, at: ["metadata", "labels"]) }, needsApply: true),
    Row(
      label: "label changed", live: live { $0.set("other", at: ["metadata", "labels", "app.kubernetes.io/name"]) },
      needsApply: true),
    Row(
      label: "owner reference completed by the server and another owner added",
      live: live { object in
        object.set(
          [
            ["kind": "Other", "name": "x", "uid": "u-2"],
            [
              "apiVersion": "sovren.io/v1alpha1", "kind": "SovrenSensor", "name": "edge", "uid": "u-1",
              "controller": true, "blockOwnerDeletion": true,
            ],
          ], at: ["metadata", "ownerReferences"])
      }, needsApply: false),
    Row(
      label: "owner reference removed", live: live { $0.set(nil, at: ["metadata", "ownerReferences"]) },
      needsApply: true),
    Row(
      label: "owner reference of another uid",
      live: live { object in
        object.set(
          [["kind": "SovrenSensor", "name": "edge", "uid": "u-9", "controller": true]],
          at: ["metadata", "ownerReferences"])
      }, needsApply: true),
    Row(
      label: "name differs (ignored: the caller read it by name)",
      live: live { $0.set("x", at: ["metadata", "name"]) }, needsApply: false),
  ]

  @Test(arguments: table)
  func needsApplyTruthTable(_ row: Row) {
    #expect(DesiredState.needsApply(Self.desired, live: row.live) == row.needsApply)
  }

  @Test func everyBuiltChildCoversItself() {
    for child in DesiredState.children(of: SensorFixtures.sample) {
      #expect(!DesiredState.needsApply(child.object, live: child.object), "\(child.kind) \(child.name)")
    }
  }

  @Test func aChildOfAChangedSpecNeedsApplyOverTheOldOne() throws {
    let old = DesiredState.children(of: SensorFixtures.sample)
    var spec = SensorFixtures.sampleSpec
    // Only removes a field: the hash is what notices.
    spec.interceptor.nodeSelector = nil
    let new = DesiredState.children(of: SensorFixtures.sensor(spec))
    let before = try #require(old.child(.daemonSet, "edge-interceptor"))
    let after = try #require(new.child(.daemonSet, "edge-interceptor"))
    #expect(DesiredState.needsApply(after, live: before))
    #expect(
      !DesiredState.needsApply(
        try #require(new.child(.deployment, "edge-digger")), live: try #require(old.child(.deployment, "edge-digger"))))
  }
}
