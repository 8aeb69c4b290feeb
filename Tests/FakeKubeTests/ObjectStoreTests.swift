import Foundation
import KubeModel
import Testing

@testable import FakeKube

@Suite("Object store semantics")
struct ObjectStoreTests {
  let configMaps: ResourceType
  let deployments: ResourceType

  init() throws {
    configMaps = try #require(ResourceType.builtIn.first { $0.kind == "ConfigMap" })
    deployments = try #require(ResourceType.builtIn.first { $0.kind == "Deployment" })
  }

  func makeStore(historyLimit: Int = 100) -> ObjectStore {
    let store = ObjectStore(historyLimit: historyLimit)
    FakeAPIServer.seedNamespaces(in: store)
    return store
  }

  func configMap(_ name: String, labels: [String: JSONValue] = [:], data: JSONValue = [:]) -> JSONValue {
    ["metadata": ["name": .string(name), "labels": .object(labels)], "data": data]
  }

  /// A valid Deployment: a selector that matches its template, one container.
  func deployment(_ name: String, replicas: Int64 = 1, labels: [String: JSONValue] = [:]) -> JSONValue {
    [
      "metadata": ["name": .string(name), "labels": .object(labels)],
      "spec": [
        "replicas": .int(replicas), "selector": ["matchLabels": ["app": .string(name)]],
        "template": [
          "metadata": ["labels": ["app": .string(name)]],
          "spec": ["containers": [["name": "main", "image": "nginx:1.27"]]],
        ],
      ],
    ]
  }

  @Test func everyWriteTakesTheNextValueOfOneGlobalResourceVersion() throws {
    let store = makeStore()
    let start = store.currentResourceVersion
    let first = try store.create(configMaps, namespace: "default", object: configMap("a"))
    let second = try store.create(deployments, namespace: "kube-system", object: deployment("b"))
    let updated = try store.update(
      configMaps, namespace: "default", name: "a", object: configMap("a", data: ["k": "v"]))
    #expect(first[path: ["metadata", "resourceVersion"]] == .string(String(start + 1)))
    #expect(second[path: ["metadata", "resourceVersion"]] == .string(String(start + 2)))
    #expect(updated[path: ["metadata", "resourceVersion"]] == .string(String(start + 3)))
    #expect(updated[path: ["metadata", "uid"]] == first[path: ["metadata", "uid"]])
    #expect(updated[path: ["metadata", "creationTimestamp"]] == first[path: ["metadata", "creationTimestamp"]])
    #expect(first["kind"] == "ConfigMap" && first["apiVersion"] == "v1")
    #expect(second["apiVersion"] == "apps/v1")
  }

  @Test func anUpdateWithAStaleResourceVersionIsAConflict() throws {
    let store = makeStore()
    let created = try store.create(configMaps, namespace: "default", object: configMap("a"))
    try store.update(configMaps, namespace: "default", name: "a", object: configMap("a", data: ["k": "1"]))
    var stale = created
    stale["data"] = ["k": "2"]
    #expect(throws: FakeKubeError.conflict(group: "", resource: "configmaps", name: "a")) {
      try store.update(configMaps, namespace: "default", name: "a", object: stale)
    }
    let status = FakeKubeError.conflict(group: "", resource: "configmaps", name: "a").statusObject
    #expect(status["code"] == 409 && status["reason"] == "Conflict")
    #expect(status["message"]?.stringValue?.hasPrefix("Operation cannot be fulfilled on configmaps \"a\"") == true)
  }

  @Test func generationMovesOnlyWhenTheSpecChanges() throws {
    let store = makeStore()
    try store.create(deployments, namespace: "default", object: deployment("web"))
    let relabelled = try store.update(
      deployments, namespace: "default", name: "web", object: deployment("web", labels: ["a": "b"]))
    #expect(relabelled[path: ["metadata", "generation"]] == 1)
    let scaled = try store.update(
      deployments, namespace: "default", name: "web", object: deployment("web", replicas: 3))
    #expect(scaled[path: ["metadata", "generation"]] == 2)
    var withStatus = deployment("web", replicas: 3)
    withStatus["status"] = ["readyReplicas": 3]
    let statusOnly = try store.update(
      deployments, namespace: "default", name: "web", object: withStatus, subresource: "status")
    #expect(statusOnly[path: ["metadata", "generation"]] == 2)
    #expect(statusOnly[path: ["status", "readyReplicas"]] == 3)
    // The main endpoint leaves status alone.
    withStatus["status"] = ["readyReplicas": 0]
    let ignored = try store.update(deployments, namespace: "default", name: "web", object: withStatus)
    #expect(ignored[path: ["status", "readyReplicas"]] == 3)
  }

  @Test func anUnchangedUpdateKeepsTheResourceVersion() throws {
    let store = makeStore()
    let created = try store.create(configMaps, namespace: "default", object: configMap("a", data: ["k": "v"]))
    let again = try store.update(configMaps, namespace: "default", name: "a", object: created)
    #expect(again == created)
  }

  @Test func notFoundAndAlreadyExistsAreStatusDocuments() throws {
    let store = makeStore()
    try store.create(deployments, namespace: "default", object: deployment("web"))
    #expect(throws: FakeKubeError.alreadyExists(group: "apps", resource: "deployments", name: "web")) {
      try store.create(deployments, namespace: "default", object: deployment("web"))
    }
    #expect(throws: FakeKubeError.notFound(group: "", resource: "configmaps", name: "nope")) {
      try store.get(configMaps, namespace: "default", name: "nope")
    }
    #expect(throws: FakeKubeError.notFound(group: "", resource: "namespaces", name: "absent")) {
      try store.create(configMaps, namespace: "absent", object: configMap("a"))
    }
    let exists = FakeKubeError.alreadyExists(group: "apps", resource: "deployments", name: "web").statusObject
    #expect(
      exists == [
        "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
        "message": "deployments.apps \"web\" already exists", "reason": "AlreadyExists",
        "details": ["name": "web", "group": "apps", "kind": "deployments"], "code": 409,
      ])
    let missing = FakeKubeError.notFound(group: "", resource: "configmaps", name: "nope").statusObject
    #expect(missing["message"] == "configmaps \"nope\" not found")
    #expect(missing["code"] == 404 && missing["reason"] == "NotFound")
    #expect(missing["details"] == ["name": "nope", "kind": "configmaps"])
  }

  @Test func generateNameAddsFiveCharacters() throws {
    let store = makeStore()
    let created = try store.create(configMaps, namespace: "default", object: ["metadata": ["generateName": "job-"]])
    let name = try #require(created[path: ["metadata", "name"]]?.stringValue)
    #expect(name.hasPrefix("job-") && name.count == 9)
  }

  @Test func listsPageWithContinueTokensAndFilterByLabels() throws {
    let store = makeStore()
    for index in 0..<5 {
      try store.create(
        configMaps, namespace: "default",
        object: configMap("cm\(index)", labels: ["parity": index % 2 == 0 ? "even" : "odd"]))
    }
    let all = WatchFilter(type: configMaps, namespace: "default")
    let first = try store.list(all, limit: 2)
    #expect(first.items.compactMap { $0[path: ["metadata", "name"]]?.stringValue } == ["cm0", "cm1"])
    #expect(first.remainingItemCount == 3)
    let second = try store.list(all, limit: 2, continueToken: first.continueToken)
    #expect(second.items.compactMap { $0[path: ["metadata", "name"]]?.stringValue } == ["cm2", "cm3"])
    let last = try store.list(all, limit: 2, continueToken: second.continueToken)
    #expect(last.items.count == 1 && last.continueToken == nil)

    var even = all
    even.labels = try LabelSelector(parsing: "parity=even")
    #expect(try store.list(even).items.count == 3)
    var everywhere = WatchFilter(type: configMaps)
    everywhere.fields = try FieldSelector(parsing: "metadata.name=cm4")
    #expect(try store.list(everywhere).items.count == 1)
  }

  @Test func aWatchReplaysHistoryAfterItsResourceVersionThenFollowsLiveChanges() async throws {
    let store = makeStore()
    let created = try store.create(configMaps, namespace: "default", object: configMap("a"))
    let since = try #require(Int64(created[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""))
    try store.update(configMaps, namespace: "default", name: "a", object: configMap("a", data: ["k": "1"]))
    let subscription = try store.watch(WatchFilter(type: configMaps, namespace: "default"), since: since)
    try store.delete(configMaps, namespace: "default", name: "a")
    store.stopWatch(subscription.id)
    var kinds: [WatchEvent.Kind] = []
    for await event in subscription.events { kinds.append(event.kind) }
    #expect(kinds == [.modified, .deleted])
  }

  @Test func aWatchWithASelectorSeesObjectsEnterAndLeaveIt() async throws {
    let store = makeStore()
    try store.create(configMaps, namespace: "default", object: configMap("a"))
    let filter = WatchFilter(type: configMaps, labels: try LabelSelector(parsing: "team in (blue)"))
    let subscription = try store.watch(filter, since: store.currentResourceVersion)
    try store.update(configMaps, namespace: "default", name: "a", object: configMap("a", labels: ["team": "blue"]))
    try store.update(configMaps, namespace: "default", name: "a", object: configMap("a", labels: ["team": "red"]))
    store.stopWatch(subscription.id)
    var kinds: [WatchEvent.Kind] = []
    for await event in subscription.events { kinds.append(event.kind) }
    #expect(kinds == [.added, .deleted])
  }

  @Test func aWatchOlderThanTheHistoryIsGone() throws {
    let store = makeStore(historyLimit: 3)
    let start = store.currentResourceVersion
    for index in 0..<5 { try store.create(configMaps, namespace: "default", object: configMap("cm\(index)")) }
    #expect(throws: FakeKubeError.expired(requested: start, oldest: start + 3)) {
      try store.watch(WatchFilter(type: configMaps), since: start)
    }
    let status = FakeKubeError.expired(requested: start, oldest: start + 3).statusObject
    #expect(status["code"] == 410 && status["reason"] == "Expired")
    // The most recent changes are still there.
    let recent = try store.watch(WatchFilter(type: configMaps), since: start + 2)
    store.stopWatch(recent.id)
  }

  @Test func deletingANamespaceDeletesItsObjects() throws {
    let store = makeStore()
    try store.create(.namespaces, namespace: "", object: ["metadata": ["name": "team"]])
    try store.create(configMaps, namespace: "team", object: configMap("a"))
    try store.delete(.namespaces, namespace: "", name: "team")
    #expect(throws: FakeKubeError.self) { try store.get(configMaps, namespace: "team", name: "a") }
  }
}

@Suite("Selectors and patches")
struct SelectorAndPatchTests {
  @Test(arguments: [
    ("app=web", true), ("app==web", true), ("app!=web", false), ("app in (web,api)", true),
    ("app notin (web)", false), ("tier", true), ("!tier", false), ("!missing", true), ("app=web,tier=gold", true),
    ("app in (api), tier", false), ("", true),
  ])
  func labelSelectors(selector: String, selected: Bool) throws {
    let labels = ["app": "web", "tier": "gold"]
    #expect(try LabelSelector(parsing: selector).matches(labels) == selected)
  }

  @Test func malformedLabelSelectorsAreBadRequests() {
    #expect(throws: FakeKubeError.self) { try LabelSelector(parsing: "app in web") }
  }

  @Test func mergePatchMergesObjectsAndNullRemoves() throws {
    let target: JSONValue = ["data": ["a": "1", "b": "2"], "list": [1, 2]]
    let patched = try PatchType.merge.apply(["data": ["a": nil, "c": "3"], "list": [3]], to: target)
    #expect(patched == ["data": ["b": "2", "c": "3"], "list": [3]])
  }

  @Test func strategicMergeMergesContainersByNameAndHonoursDirectives() throws {
    let target: JSONValue = [
      "spec": [
        "containers": [
          ["name": "web", "image": "nginx:1", "ports": [["containerPort": 80]]],
          ["name": "sidecar", "image": "busybox"],
        ],
        "tolerations": [["key": "a"]],
      ]
    ]
    let patch: JSONValue = [
      "spec": [
        "$setElementOrder/containers": [["name": "sidecar"], ["name": "web"]],
        "containers": [["name": "web", "image": "nginx:2"], ["name": "gone", "$patch": "delete"]],
        "tolerations": [["key": "b"]],
      ]
    ]
    let patched = try PatchType.strategicMerge.apply(patch, to: target)
    #expect(
      patched == [
        "spec": [
          "containers": [
            ["name": "sidecar", "image": "busybox"],
            ["name": "web", "image": "nginx:2", "ports": [["containerPort": 80]]],
          ],
          "tolerations": [["key": "b"]],
        ]
      ])
  }

  @Test func jsonPatchReplacesAddsAndRemoves() throws {
    let target: JSONValue = ["spec": ["replicas": 1, "list": ["a"]]]
    let patch: JSONValue = [
      ["op": "replace", "path": "/spec/replicas", "value": 3], ["op": "add", "path": "/spec/list/-", "value": "b"],
      ["op": "remove", "path": "/spec/list/0"],
    ]
    #expect(try PatchType.json.apply(patch, to: target) == ["spec": ["replicas": 3, "list": ["b"]]])
  }

  @Test func protobufNamespaceBodiesAreRead() throws {
    // k8s\0 + Unknown{typeMeta{apiVersion "v1", kind "Namespace"}, raw: Namespace{metadata{name "demo"}}}
    let name: [UInt8] = [0x0a, 4] + Array("demo".utf8)
    let raw: [UInt8] = [0x0a, UInt8(name.count)] + name
    let typeMeta: [UInt8] = [0x0a, 2] + Array("v1".utf8) + [0x12, 9] + Array("Namespace".utf8)
    let body = ProtobufBody.magic + [0x0a, UInt8(typeMeta.count)] + typeMeta + [0x12, UInt8(raw.count)] + raw
    let object = try ProtobufBody.decode(body, contentType: "application/vnd.kubernetes.protobuf")
    #expect(object == ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "demo"]])
  }
}
