import Foundation
import KubeModel
import Testing

@testable import FakeKube

/// Server-side apply and managedFields at the store level: ownership, conflicts, forcing, removal
/// of fields no longer applied, updates taking fields over, and the status subresource.
@Suite("Server-side apply semantics")
struct ServerSideApplyTests {
  let deployments: ResourceType
  let configMaps: ResourceType

  init() throws {
    deployments = try #require(ResourceType.builtIn.first { $0.kind == "Deployment" })
    configMaps = try #require(ResourceType.builtIn.first { $0.kind == "ConfigMap" })
  }

  func makeStore() -> ObjectStore {
    let store = ObjectStore(historyLimit: 100)
    FakeAPIServer.seedNamespaces(in: store)
    return store
  }

  /// A Deployment configuration with these replicas, labels and containers (name → image).
  func deployment(
    replicas: Int64? = 2, labels: [String: JSONValue] = ["app": "web"],
    containers: KeyValuePairs<String, String> = ["web": "nginx:1.27"]
  ) -> JSONValue {
    var spec: JSONValue = [
      "selector": ["matchLabels": ["app": "web"]],
      "template": [
        "metadata": ["labels": ["app": "web"]],
        "spec": ["containers": .array(containers.map { ["name": .string($0.key), "image": .string($0.value)] })],
      ],
    ]
    if let replicas { spec["replicas"] = .int(replicas) }
    return [
      "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "labels": .object(labels)],
      "spec": spec,
    ]
  }

  func apply(
    _ store: ObjectStore, _ configuration: JSONValue, as manager: String, force: Bool = false
  ) throws(FakeKubeError) -> JSONValue {
    try store.apply(
      deployments, namespace: "default", name: "web", configuration: configuration, fieldManager: manager,
      force: force
    ).object
  }

  func entries(_ object: JSONValue) throws -> [ManagedFieldsEntry] {
    try ManagedFields.entries(of: object, kind: "Deployment")
  }

  func fields(
    of manager: String, _ operation: ManagedFieldsEntry.Operation = .apply, in object: JSONValue
  ) throws
    -> FieldSet?
  {
    try entries(object).first { $0.manager == manager && $0.operation == operation }?.fields
  }

  static let replicas = FieldPath(fields: "spec", "replicas")
  static let webImage = FieldPath([
    .field("spec"), .field("template"), .field("spec"), .field("containers"), .key(["name": "web"]),
    .field("image"),
  ])

  @Test func aFirstApplyCreatesTheObjectAndMakesItsManagerTheOwnerOfWhatItSet() throws {
    let store = makeStore()
    let result = try store.apply(
      deployments, namespace: "default", name: "web", configuration: deployment(), fieldManager: "alice")
    #expect(result.created)
    let object = try store.get(deployments, namespace: "default", name: "web")
    #expect(object[path: ["spec", "replicas"]] == 2)
    #expect(object[path: ["metadata", "uid"]] != nil && object[path: ["metadata", "generation"]] == 1)
    let entry = try #require(try entries(object).first)
    #expect(try entries(object).count == 1)
    #expect(entry.manager == "alice" && entry.operation == .apply && entry.apiVersion == "apps/v1")
    #expect(entry.time != nil && entry.subresource == nil)
    #expect(entry.fields.contains(Self.replicas) && entry.fields.contains(Self.webImage))
    // The server's own fields belong to nobody.
    #expect(!entry.fields.covers(FieldPath(fields: "metadata", "name")))
    #expect(!entry.fields.covers(FieldPath(fields: "kind")))
    // As FieldsV1: an element of a keyed list is a member (`.`) with its fields beneath it.
    let document = try #require(object[path: ["metadata", "managedFields"]]?.arrayValue?.first)
    #expect(document["fieldsType"] == "FieldsV1" && document["operation"] == "Apply")
    let container = document[
      path: ["fieldsV1", "f:spec", "f:template", "f:spec", "f:containers", #"k:{"name":"web"}"#]]
    #expect(container == [".": [:], "f:name": [:], "f:image": [:]])
    #expect(document[path: ["fieldsV1", "f:metadata", "f:labels", "f:app"]] == [:])

    let again = try store.apply(
      deployments, namespace: "default", name: "web", configuration: deployment(replicas: 3), fieldManager: "alice")
    #expect(!again.created && again.object[path: ["spec", "replicas"]] == 3)
    #expect(again.object[path: ["metadata", "generation"]] == 2)
  }

  @Test func aConflictingApplyFailsWithOneCausePerFieldUnlessForced() throws {
    let store = makeStore()
    try apply(store, deployment(), as: "alice")
    let change = deployment(replicas: 5, containers: ["web": "nginx:1.28"])
    do {
      try apply(store, change, as: "bob")
      Issue.record("a conflicting apply succeeded")
    } catch {
      #expect(
        error
          == .applyConflict([
            FieldConflict(manager: #""alice""#, field: ".spec.replicas"),
            FieldConflict(manager: #""alice""#, field: #".spec.template.spec.containers[name="web"].image"#),
          ]))
      #expect(error.httpStatus == .conflict && error.reason == "Conflict")
      #expect(
        error.description == """
          Apply failed with 2 conflicts: conflicts with "alice":
          - .spec.replicas
          - .spec.template.spec.containers[name="web"].image
          """)
      let causes = error.statusObject[path: ["details", "causes"]]?.arrayValue ?? []
      #expect(
        causes.first == [
          "reason": "FieldManagerConflict", "message": #"conflict with "alice""#, "field": ".spec.replicas",
        ])
    }
    // Nothing changed.
    #expect(try store.get(deployments, namespace: "default", name: "web")[path: ["spec", "replicas"]] == 2)

    let forced = try apply(store, change, as: "bob", force: true)
    #expect(forced[path: ["spec", "replicas"]] == 5)
    let alice = try #require(try fields(of: "alice", in: forced))
    let bob = try #require(try fields(of: "bob", in: forced))
    #expect(!alice.contains(Self.replicas) && !alice.contains(Self.webImage))
    #expect(bob.contains(Self.replicas) && bob.contains(Self.webImage))
    // Fields with equal values stay shared.
    let appLabel = FieldPath(fields: "metadata", "labels", "app")
    #expect(alice.contains(appLabel) && bob.contains(appLabel))
  }

  @Test func managersApplyingTheSameValueShareItAndItGoesOnlyWhenBothLetGo() throws {
    let store = makeStore()
    try apply(store, deployment(), as: "alice")
    let shared = try apply(store, deployment(), as: "bob")
    #expect(try fields(of: "alice", in: shared)?.contains(Self.replicas) == true)
    #expect(try fields(of: "bob", in: shared)?.contains(Self.replicas) == true)
    // A shared field cannot be changed by one of its owners without forcing.
    #expect(throws: FakeKubeError.applyConflict([FieldConflict(manager: #""bob""#, field: ".spec.replicas")])) {
      try apply(store, deployment(replicas: 4), as: "alice")
    }
    let aliceLetGo = try apply(store, deployment(replicas: nil), as: "alice")
    #expect(aliceLetGo[path: ["spec", "replicas"]] == 2)
    #expect(try fields(of: "alice", in: aliceLetGo)?.contains(Self.replicas) == false)
    // Once nobody applies it, the field goes, and the server's default takes its place.
    let bothLetGo = try apply(store, deployment(replicas: nil), as: "bob")
    #expect(bothLetGo[path: ["spec", "replicas"]] == 1)
    #expect(try fields(of: "bob", in: bothLetGo)?.contains(Self.replicas) == false)
  }

  @Test func fieldsAManagerNoLongerAppliesAreRemoved() throws {
    let store = makeStore()
    try apply(
      store, deployment(labels: ["app": "web", "tier": "front"], containers: ["web": "nginx", "sidecar": "busybox"]),
      as: "alice")
    let trimmed = try apply(store, deployment(), as: "alice")
    #expect(trimmed[path: ["metadata", "labels"]] == ["app": "web"])
    let containers = trimmed[path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? []
    #expect(containers.compactMap { $0["name"]?.stringValue } == ["web"])
    let alice = try #require(try fields(of: "alice", in: trimmed))
    #expect(
      !alice.covers(
        FieldPath([
          .field("spec"), .field("template"), .field("spec"), .field("containers"),
          .key(["name": "sidecar"]),
        ])))
    // A map emptied by the removal goes with its last member.
    try store.apply(
      configMaps, namespace: "default", name: "cm",
      configuration: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "cm"], "data": ["a": "1"]],
      fieldManager: "alice")
    let emptied = try store.apply(
      configMaps, namespace: "default", name: "cm",
      configuration: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "cm"]], fieldManager: "alice")
    #expect(emptied.object.objectValue?.keys.contains("data") == false)
    #expect(emptied.object[path: ["metadata", "managedFields"]] == nil)
  }

  @Test func updatesRecordTheirManagerAndTakeOverTheFieldsTheyChange() throws {
    let store = makeStore()
    try apply(store, deployment(), as: "alice")
    let edited = try store.modify(deployments, namespace: "default", name: "web", fieldManager: "kubectl-edit") {
      var object = $0
      object.set(7, at: ["spec", "replicas"])
      return object
    }
    let editor = try #require(try fields(of: "kubectl-edit", .update, in: edited))
    #expect(editor == FieldSet([Self.replicas]))
    #expect(try fields(of: "alice", in: edited)?.contains(Self.replicas) == false)
    // alice's apply now conflicts with the editor, named with its API version.
    #expect(
      throws: FakeKubeError.applyConflict([
        FieldConflict(manager: #""kubectl-edit" using apps/v1"#, field: ".spec.replicas")
      ])
    ) { try apply(store, deployment(replicas: 2), as: "alice") }

    // A write that changes nothing records nothing; one without a manager records nothing either.
    let same = try store.update(
      deployments, namespace: "default", name: "web", object: edited, fieldManager: "someone")
    #expect(same == edited)
    let untracked = try store.modify(deployments, namespace: "default", name: "web") {
      var object = $0
      object.set(8, at: ["spec", "replicas"])
      return object
    }
    #expect(untracked[path: ["metadata", "managedFields"]] == edited[path: ["metadata", "managedFields"]])

    // A create records its manager as the owner of everything it set.
    let created = try store.create(
      configMaps, namespace: "default",
      object: ["metadata": ["name": "made", "labels": ["a": "b"]], "data": ["k": "v"]], fieldManager: "kubectl-create")
    let entry = try #require(try ManagedFields.entries(of: created, kind: "ConfigMap").first)
    #expect(entry.operation == .update && entry.manager == "kubectl-create")
    #expect(entry.fields == FieldSet([FieldPath(fields: "data", "k"), FieldPath(fields: "metadata", "labels", "a")]))
  }

  @Test func updatersBeyondTenAreMergedIntoAncientChanges() throws {
    let store = makeStore()
    try store.create(configMaps, namespace: "default", object: ["metadata": ["name": "busy"]])
    for index in 0..<13 {
      try store.modify(configMaps, namespace: "default", name: "busy", fieldManager: "writer-\(index)") {
        var object = $0
        object.set(.string("v"), at: ["data", "key\(index)"])
        return object
      }
    }
    let entries = try ManagedFields.entries(
      of: try store.get(configMaps, namespace: "default", name: "busy"), kind: "ConfigMap")
    #expect(entries.count == 10)
    let ancient = try #require(entries.first { $0.manager == "ancient-changes" })
    #expect(ancient.fields == FieldSet((0..<4).map { FieldPath(fields: "data", "key\($0)") }))
    #expect(entries.contains { $0.manager == "writer-12" } && !entries.contains { $0.manager == "writer-3" })
  }

  @Test func aClientMayRewriteOrClearManagedFieldsButNotSendThemInAnApply() throws {
    let store = makeStore()
    let applied = try apply(store, deployment(), as: "alice")
    var renamed = try entries(applied)
    renamed[0].manager = "carol"
    let rewritten = try store.modify(deployments, namespace: "default", name: "web", fieldManager: "tool") {
      ManagedFields.setting(renamed, on: $0)
    }
    #expect(try entries(rewritten).map(\.manager) == ["carol"])
    let kept = try store.modify(deployments, namespace: "default", name: "web", fieldManager: "tool") {
      var object = $0
      object.set([], at: ["metadata", "managedFields"])
      return object
    }
    #expect(try entries(kept).map(\.manager) == ["carol"])
    let cleared = try store.modify(deployments, namespace: "default", name: "web", fieldManager: "tool") {
      var object = $0
      object.set([[:]], at: ["metadata", "managedFields"])
      return object
    }
    #expect(cleared[path: ["metadata", "managedFields"]] == nil)

    var withManagedFields = deployment()
    withManagedFields.set([["manager": "x"]], at: ["metadata", "managedFields"])
    #expect(throws: FakeKubeError.badRequest("metadata.managedFields must be nil")) {
      try apply(store, withManagedFields, as: "alice")
    }
    #expect(throws: FakeKubeError.self) {
      try store.modify(deployments, namespace: "default", name: "web", fieldManager: "tool") {
        var object = $0
        object.set(
          [["manager": "x", "operation": "Patch", "fieldsType": "FieldsV1"]], at: ["metadata", "managedFields"])
        return object
      }
    }
  }

  @Test func anApplyToTheStatusSubresourceChangesOnlyStatus() throws {
    let store = makeStore()
    let type = StructuralSchemaTests().sensorType()
    #expect(type.hasStatusSubresource == false)
    var sensors = type
    sensors.subresources = ["status"]
    let sensor: JSONValue = [
      "apiVersion": "sovren.io/v1alpha1", "kind": "SovrenSensor", "metadata": ["name": "edge"],
      "spec": ["kafka": "k:1"],
    ]
    let created = try store.apply(
      sensors, namespace: "default", name: "edge", configuration: sensor, fieldManager: "kubectl"
    ).object
    #expect(created[path: ["metadata", "generation"]] == 1)
    var statusConfiguration = sensor
    statusConfiguration.set("k:2", at: ["spec", "kafka"])
    statusConfiguration["status"] = ["ready": 3]
    let (updated, wasCreated) = try store.apply(
      sensors, namespace: "default", name: "edge", subresource: "status", configuration: statusConfiguration,
      fieldManager: "controller")
    #expect(!wasCreated)
    #expect(updated[path: ["status", "ready"]] == 3)
    #expect(updated[path: ["spec", "kafka"]] == "k:1" && updated[path: ["metadata", "generation"]] == 1)
    let entries = try ManagedFields.entries(of: updated, kind: "SovrenSensor")
    let controller = try #require(entries.first { $0.manager == "controller" })
    #expect(controller.subresource == "status" && controller.fields == FieldSet([FieldPath(fields: "status", "ready")]))
    #expect(controller.json["subresource"] == "status")
    // The main resource's applier does not own status, and cannot be made to.
    let main = try #require(entries.first { $0.manager == "kubectl" })
    #expect(!main.fields.covers(FieldPath(fields: "status")))
    // A status apply to an object that does not exist does not create it.
    statusConfiguration.set("other", at: ["metadata", "name"])
    #expect(throws: FakeKubeError.notFound(group: "sovren.io", resource: "sovrensensors", name: "other")) {
      try store.apply(
        sensors, namespace: "default", name: "other", subresource: "status", configuration: statusConfiguration,
        fieldManager: "controller")
    }
  }

  @Test func aDryRunReturnsTheResultAndStoresNothing() throws {
    let store = makeStore()
    let version = store.currentResourceVersion
    let planned = try store.apply(
      deployments, namespace: "default", name: "web", configuration: deployment(), fieldManager: "alice",
      dryRun: true)
    #expect(planned.created && planned.object[path: ["spec", "replicas"]] == 2)
    #expect(throws: FakeKubeError.self) { try store.get(self.deployments, namespace: "default", name: "web") }
    let made = try store.create(
      configMaps, namespace: "default", object: ["metadata": ["name": "x"]], dryRun: true)
    #expect(made[path: ["metadata", "name"]] == "x")
    #expect(store.currentResourceVersion == version)
    try apply(store, deployment(), as: "alice")
    let changed = try store.apply(
      deployments, namespace: "default", name: "web", configuration: deployment(replicas: 9), fieldManager: "alice",
      dryRun: true)
    #expect(changed.object[path: ["spec", "replicas"]] == 9)
    #expect(try store.get(deployments, namespace: "default", name: "web")[path: ["spec", "replicas"]] == 2)
  }

  @Test func customResourceListsAreAtomicUnlessTheSchemaSaysOtherwise() {
    let schema: JSONValue = [
      "type": "object",
      "properties": [
        "spec": [
          "type": "object",
          "properties": [
            "interfaces": ["type": "array", "items": ["type": "string"]],
            "ports": [
              "type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["port", "protocol"],
              "items": ["type": "object"],
            ],
            "tags": ["type": "array", "x-kubernetes-list-type": "set", "items": ["type": "string"]],
            "selector": ["type": "object", "x-kubernetes-map-type": "atomic"],
          ],
        ]
      ],
    ]
    var type = ResourceType(group: "x.io", version: "v1", kind: "Thing", plural: "things", namespaced: true)
    type.custom = CustomResourceVersion(
      definitionName: "things.x.io", schema: StructuralSchema(schema), printerColumns: [])
    let object: JSONValue = [
      "spec": [
        "interfaces": ["eth0", "eth1"], "ports": [["port": 80, "protocol": "TCP", "name": "http"]],
        "tags": ["a"], "selector": ["app": "web"],
      ]
    ]
    let fields = FieldShape.of(type).fields(of: object)
    let spec = FieldPath(fields: "spec")
    let port = spec.appending(.field("ports")).appending(.key(["port": 80, "protocol": "TCP"]))
    #expect(
      fields
        == FieldSet([
          spec.appending(.field("interfaces")), port, port.appending(.field("port")),
          port.appending(.field("protocol")), port.appending(.field("name")),
          spec.appending(.field("tags")).appending(.value("a")), spec.appending(.field("selector")),
        ]))
    #expect(port.description == #".spec.ports[port=80,protocol="TCP"]"#)
  }

  @Test func fieldsV1RoundTrips() throws {
    let document: JSONValue = [
      "f:metadata": ["f:labels": [".": [:], "f:app": [:]], "f:finalizers": [#"v:"example.com/hold""#: [:]]],
      "f:spec": ["f:containers": [#"k:{"name":"web"}"#: [".": [:], "f:image": [:]]]],
    ]
    let set = try FieldSet(fieldsV1: document)
    #expect(set.paths.count == 5)
    #expect(set.contains(FieldPath(fields: "metadata", "labels")))
    #expect(set.contains(FieldPath([.field("metadata"), .field("finalizers"), .value("example.com/hold")])))
    #expect(set.fieldsV1 == document)
    #expect(throws: FakeKubeError.self) { try FieldSet(fieldsV1: ["x:bad": [:]]) }
  }

  @Test func applyBodiesMayBeYAML() throws {
    let yaml = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        annotations: {note: "007", when: 2026-01-01T00:00:00Z}
      spec:
        replicas: 2
        paused: false
        ratio: 0.5
        strategy: ~
        template:
          spec:
            containers:
            - name: web
              args: ["--port", "80"]
      """
    let parsed = try YAMLBody.parse(Array(yaml.utf8))
    #expect(parsed[path: ["spec", "replicas"]] == 2 && parsed[path: ["spec", "paused"]] == false)
    #expect(parsed[path: ["spec", "ratio"]] == .double(0.5) && parsed[path: ["spec", "strategy"]] == .null)
    #expect(parsed[path: ["metadata", "annotations"]] == ["note": "007", "when": "2026-01-01T00:00:00Z"])
    #expect(parsed[path: ["spec", "template", "spec", "containers"]] == [["name": "web", "args": ["--port", "80"]]])
    #expect(try YAMLBody.parse(Array(#"{"kind":"Deployment"}"#.utf8)) == ["kind": "Deployment"])
    #expect(throws: FakeKubeError.self) { try YAMLBody.parse(Array("- a\n- b\n".utf8)) }
    #expect(throws: FakeKubeError.self) { try YAMLBody.parse(Array("a: [unclosed".utf8)) }
  }

  @Test func anApplyNeedsAFieldManagerAndOnlyAnApplyMayForce() throws {
    do {
      _ = try WriteOptions(method: .patch, userAgent: nil, query: Query(""), patchType: .apply)
      Issue.record("an apply without a field manager was accepted")
    } catch {
      #expect(error.httpStatus == .unprocessableContent)
      #expect(
        error.description
          == #"PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch"#
      )
    }
    #expect(throws: FakeKubeError.self) {
      try WriteOptions(method: .patch, userAgent: nil, query: Query("force=true"), patchType: .merge)
    }
    #expect(throws: FakeKubeError.self) { try WriteOptions(method: .post, userAgent: nil, query: Query("dryRun=Some")) }
    let fromAgent = try WriteOptions(
      method: .put, userAgent: "kubectl/v1.32.0 (linux/amd64) kubernetes/abc", query: Query("dryRun=All"))
    #expect(fromAgent.fieldManager == "kubectl" && fromAgent.dryRun)
    let named = try WriteOptions(
      method: .patch, userAgent: "x", query: Query("fieldManager=kubectl-edit"), patchType: .strategicMerge)
    #expect(named.fieldManager == "kubectl-edit" && !named.dryRun)
    #expect(try WriteOptions(method: .post, userAgent: nil, query: Query("")).fieldManager == "unknown")
  }
}

/// Field selectors: what each kind can be selected by, and how events are matched.
@Suite("Field selectors")
struct FieldSelectorTests {
  let event: JSONValue = [
    "metadata": ["name": "edge.1", "namespace": "default"],
    "involvedObject": [
      "kind": "SovrenSensor", "name": "edge", "namespace": "default", "uid": "u-1", "apiVersion": "sovren.io/v1alpha1",
    ],
    "reason": "Synced", "type": "Normal", "reportingComponent": "sensor-controller",
  ]

  static let events = ResourceType(group: "", version: "v1", kind: "Event", plural: "events", namespaced: true)

  @Test func eventsAreSelectedByTheirInvolvedObjectReasonTypeAndSource() throws {
    let describe = try FieldSelector(
      parsing: "involvedObject.kind=SovrenSensor,involvedObject.name=edge,involvedObject.namespace=default,"
        + "involvedObject.uid=u-1")
    try describe.check(supportedBy: Self.events)
    #expect(describe.matches(event))
    #expect(try FieldSelector(parsing: "involvedObject.uid=u-2").matches(event) == false)
    #expect(try FieldSelector(parsing: "type=Normal,reason!=Failed").matches(event))
    // `source` is the source component, or else the reporting component.
    #expect(try FieldSelector(parsing: "source=sensor-controller").matches(event))
    var withSource = event
    withSource["source"] = ["component": "kubelet"]
    #expect(try FieldSelector(parsing: "source=kubelet").matches(withSource))
    // An absent field is the empty string.
    #expect(try FieldSelector(parsing: "involvedObject.fieldPath=").matches(event))
    // Escaped commas and equals signs are part of the value.
    #expect(
      try FieldSelector(parsing: #"reason=a\,b\=c"#).requirements == [
        .init(field: "reason", value: "a,b=c", negated: false)
      ])
  }

  @Test func anUnsupportedFieldIsABadRequestAsOnARealServer() throws {
    let pods = try #require(ResourceType.builtIn.first { $0.kind == "Pod" })
    let secrets = try #require(ResourceType.builtIn.first { $0.kind == "Secret" })
    let configMaps = try #require(ResourceType.builtIn.first { $0.kind == "ConfigMap" })
    try FieldSelector(parsing: "spec.nodeName=n1,status.phase!=Running,metadata.namespace=a").check(supportedBy: pods)
    try FieldSelector(parsing: "type=kubernetes.io/tls").check(supportedBy: secrets)
    try FieldSelector(parsing: "metadata.name=a").check(supportedBy: .namespaces)
    #expect(throws: FakeKubeError.badRequest("field label not supported: data.color")) {
      try FieldSelector(parsing: "data.color=blue").check(supportedBy: configMaps)
    }
    #expect(throws: FakeKubeError.badRequest("field label not supported: involvedObject.name")) {
      try FieldSelector(parsing: "involvedObject.name=x").check(supportedBy: pods)
    }
    #expect(throws: FakeKubeError.badRequest("field label not supported: metadata.namespace")) {
      try FieldSelector(parsing: "metadata.namespace=x").check(supportedBy: .namespaces)
    }
    let hostNetwork = try FieldSelector(parsing: "spec.hostNetwork=false")
    #expect(hostNetwork.matches(["spec": [:]]))
  }
}
