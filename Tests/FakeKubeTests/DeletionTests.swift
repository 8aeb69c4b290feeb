import Foundation
import KubeModel
import TestSupport
import Testing

@testable import FakeKube

/// Finalizers, `deletionTimestamp` and owner-reference garbage collection in the store.
@Suite("Deletion semantics")
struct DeletionTests {
  let configMaps: ResourceType

  init() throws {
    configMaps = try #require(ResourceType.builtIn.first { $0.kind == "ConfigMap" })
  }

  func makeStore(garbageCollection: Bool = true) -> ObjectStore {
    let store = ObjectStore(historyLimit: 1000, garbageCollection: garbageCollection)
    FakeAPIServer.seedNamespaces(in: store)
    return store
  }

  /// A ConfigMap with these finalizers, owned by these owners (`blockOwnerDeletion` as given).
  func configMap(
    _ name: String, finalizers: [String] = [], owners: [(object: JSONValue, blocks: Bool)] = []
  ) -> JSONValue {
    var metadata: JSONValue = ["name": .string(name)]
    if !finalizers.isEmpty { metadata["finalizers"] = .array(finalizers.map { .string($0) }) }
    if !owners.isEmpty {
      metadata["ownerReferences"] = .array(
        owners.map { owner in
          [
            "apiVersion": "v1", "kind": "ConfigMap", "name": owner.object[path: ["metadata", "name"]] ?? "",
            "uid": owner.object[path: ["metadata", "uid"]] ?? "", "blockOwnerDeletion": .bool(owner.blocks),
          ]
        })
    }
    return ["metadata": metadata, "data": ["k": "v"]]
  }

  func exists(_ store: ObjectStore, _ name: String) -> Bool {
    (try? store.get(configMaps, namespace: "default", name: name)) != nil
  }

  /// The events a watch saw from `since` up to now, as `KIND name` lines.
  func events(_ store: ObjectStore, since: Int64) async throws -> [String] {
    let subscription = try store.watch(WatchFilter(type: configMaps, namespace: "default"), since: since)
    store.stopWatch(subscription.id)
    var seen: [String] = []
    for await event in subscription.events {
      seen.append("\(event.kind.rawValue) \(event.object[path: ["metadata", "name"]]?.stringValue ?? "")")
    }
    return seen
  }

  @Test func aFinalizerHoldsAnObjectUntilAnUpdateRemovesIt() async throws {
    let store = makeStore()
    try store.create(configMaps, namespace: "default", object: configMap("held", finalizers: ["example.com/hold"]))
    let since = store.currentResourceVersion
    let deletion = try store.delete(configMaps, namespace: "default", name: "held")
    #expect(!deletion.isComplete)
    let terminating = try store.get(configMaps, namespace: "default", name: "held")
    #expect(terminating[path: ["metadata", "deletionTimestamp"]]?.stringValue?.isEmpty == false)
    #expect(terminating[path: ["metadata", "deletionGracePeriodSeconds"]] == 0)
    #expect(terminating.finalizers == ["example.com/hold"])

    // A second DELETE changes nothing.
    let again = try store.delete(configMaps, namespace: "default", name: "held")
    #expect(!again.isComplete && again.object == terminating)

    // Other changes are still allowed, and keep the deletionTimestamp.
    let relabelled = try store.modify(configMaps, namespace: "default", name: "held") { existing in
      var updated = existing
      updated.set(["a": "b"], at: ["metadata", "labels"])
      updated.set(nil, at: ["metadata", "deletionTimestamp"])
      return updated
    }
    #expect(
      relabelled[path: ["metadata", "deletionTimestamp"]] == terminating[path: ["metadata", "deletionTimestamp"]])

    try store.modify(configMaps, namespace: "default", name: "held") { existing in
      var updated = existing
      updated.set(nil, at: ["metadata", "finalizers"])
      return updated
    }
    #expect(!exists(store, "held"))
    #expect(try await events(store, since: since) == ["MODIFIED held", "MODIFIED held", "DELETED held"])
  }

  @Test func finalizersCannotBeAddedToAnObjectBeingDeleted() throws {
    let store = makeStore()
    try store.create(configMaps, namespace: "default", object: configMap("held", finalizers: ["a"]))
    try store.delete(configMaps, namespace: "default", name: "held")
    let error = #expect(throws: FakeKubeError.self) {
      try store.modify(configMaps, namespace: "default", name: "held") { existing in
        var updated = existing
        updated.set(["a", "b"], at: ["metadata", "finalizers"])
        return updated
      }
    }
    #expect(error?.statusObject["code"] == 422 && error?.statusObject["reason"] == "Invalid")
    #expect(error?.description.contains("no new finalizers can be added if the object is being deleted") == true)
    #expect(try store.get(configMaps, namespace: "default", name: "held").finalizers == ["a"])
  }

  @Test func backgroundDeletionRemovesTheOwnerThenItsDependentsTwoLevelsDeep() async throws {
    let store = makeStore()
    let owner = try store.create(configMaps, namespace: "default", object: configMap("owner"))
    let child = try store.create(configMaps, namespace: "default", object: configMap("child", owners: [(owner, false)]))
    try store.create(configMaps, namespace: "default", object: configMap("grandchild", owners: [(child, false)]))
    try store.create(configMaps, namespace: "default", object: configMap("bystander"))
    let since = store.currentResourceVersion
    let deletion = try store.delete(configMaps, namespace: "default", name: "owner")
    #expect(deletion.isComplete)
    #expect(!exists(store, "owner") && !exists(store, "child") && !exists(store, "grandchild"))
    #expect(exists(store, "bystander"))
    #expect(try await events(store, since: since) == ["DELETED owner", "DELETED child", "DELETED grandchild"])
  }

  @Test func aDependentWithAnotherLiveOwnerOnlyLosesTheReference() throws {
    let store = makeStore()
    let first = try store.create(configMaps, namespace: "default", object: configMap("first"))
    let second = try store.create(configMaps, namespace: "default", object: configMap("second"))
    try store.create(
      configMaps, namespace: "default", object: configMap("shared", owners: [(first, false), (second, false)]))
    try store.delete(configMaps, namespace: "default", name: "first")
    let shared = try store.get(configMaps, namespace: "default", name: "shared")
    #expect(shared.ownerUIDs == Set([second.uid ?? ""]))
  }

  @Test func aDependentWithAFinalizerWaitsForIt() throws {
    let store = makeStore()
    let owner = try store.create(configMaps, namespace: "default", object: configMap("owner"))
    try store.create(
      configMaps, namespace: "default", object: configMap("child", finalizers: ["hold"], owners: [(owner, false)]))
    try store.delete(configMaps, namespace: "default", name: "owner")
    let child = try store.get(configMaps, namespace: "default", name: "child")
    #expect(child.isTerminating)
    try store.modify(configMaps, namespace: "default", name: "child") { existing in
      var updated = existing
      updated.set(nil, at: ["metadata", "finalizers"])
      return updated
    }
    #expect(!exists(store, "child"))
  }

  @Test func foregroundDeletionRemovesBlockingDependentsBeforeTheOwner() async throws {
    let store = makeStore()
    let owner = try store.create(configMaps, namespace: "default", object: configMap("owner"))
    let child = try store.create(configMaps, namespace: "default", object: configMap("child", owners: [(owner, true)]))
    try store.create(configMaps, namespace: "default", object: configMap("grandchild", owners: [(child, true)]))
    let since = store.currentResourceVersion
    let deletion = try store.delete(configMaps, namespace: "default", name: "owner", propagation: .foreground)
    #expect(!deletion.isComplete)
    #expect(deletion.object.finalizers == ["foregroundDeletion"])
    #expect(deletion.object.isTerminating)
    #expect(!exists(store, "owner") && !exists(store, "child") && !exists(store, "grandchild"))
    #expect(
      try await events(store, since: since) == [
        "MODIFIED owner", "MODIFIED child", "DELETED grandchild", "DELETED child", "DELETED owner",
      ])
  }

  @Test func foregroundDeletionWaitsForABlockingDependentsFinalizer() throws {
    let store = makeStore()
    let owner = try store.create(configMaps, namespace: "default", object: configMap("owner"))
    try store.create(
      configMaps, namespace: "default", object: configMap("child", finalizers: ["hold"], owners: [(owner, true)]))
    try store.delete(configMaps, namespace: "default", name: "owner", propagation: .foreground)
    let waiting = try store.get(configMaps, namespace: "default", name: "owner")
    #expect(waiting.isTerminating && waiting.finalizers == ["foregroundDeletion"])
    #expect(try store.get(configMaps, namespace: "default", name: "child").isTerminating)
    try store.modify(configMaps, namespace: "default", name: "child") { existing in
      var updated = existing
      updated.set(nil, at: ["metadata", "finalizers"])
      return updated
    }
    #expect(!exists(store, "child") && !exists(store, "owner"))
  }

  @Test func orphanDeletionKeepsDependentsWithoutTheirReference() async throws {
    let store = makeStore()
    let owner = try store.create(configMaps, namespace: "default", object: configMap("owner"))
    try store.create(configMaps, namespace: "default", object: configMap("child", owners: [(owner, true)]))
    let since = store.currentResourceVersion
    let deletion = try store.delete(configMaps, namespace: "default", name: "owner", propagation: .orphan)
    #expect(deletion.object.finalizers == ["orphan"])
    #expect(!exists(store, "owner"))
    let child = try store.get(configMaps, namespace: "default", name: "child")
    #expect(child[path: ["metadata", "ownerReferences"]] == nil)
    #expect(try await events(store, since: since) == ["MODIFIED owner", "MODIFIED child", "DELETED owner"])
  }

  @Test(arguments: PropagationPolicy.allCases)
  func withGarbageCollectionOffDependentsStay(policy: PropagationPolicy) throws {
    let store = makeStore(garbageCollection: false)
    let owner = try store.create(configMaps, namespace: "default", object: configMap("owner"))
    try store.create(configMaps, namespace: "default", object: configMap("child", owners: [(owner, true)]))
    let deletion = try store.delete(configMaps, namespace: "default", name: "owner", propagation: policy)
    #expect(deletion.isComplete)
    #expect(!exists(store, "owner"))
    let child = try store.get(configMaps, namespace: "default", name: "child")
    #expect(child.ownerUIDs == Set([owner.uid ?? ""]))
  }

  @Test func deletingANamespaceWaitsForTheFinalizersOfItsObjects() throws {
    let store = makeStore()
    try store.create(.namespaces, namespace: "", object: ["metadata": ["name": "team"]])
    try store.create(configMaps, namespace: "team", object: configMap("plain"))
    try store.create(configMaps, namespace: "team", object: configMap("held", finalizers: ["hold"]))
    let deletion = try store.delete(.namespaces, namespace: "", name: "team")
    #expect(!deletion.isComplete)
    let namespace = try store.get(.namespaces, namespace: "", name: "team")
    #expect(namespace.isTerminating && namespace[path: ["status", "phase"]] == "Terminating")
    #expect((try? store.get(configMaps, namespace: "team", name: "plain")) == nil)
    #expect(try store.get(configMaps, namespace: "team", name: "held").isTerminating)
    try store.modify(configMaps, namespace: "team", name: "held") { existing in
      var updated = existing
      updated.set(nil, at: ["metadata", "finalizers"])
      return updated
    }
    #expect((try? store.get(.namespaces, namespace: "", name: "team")) == nil)
  }
}

/// The real kubectl deleting objects with finalizers and owners.
@Suite("kubectl deletion against FakeKube", .serialized)
struct KubectlDeletionTests {
  static func configMap(
    _ name: String, finalizer: String? = nil, ownerName: String? = nil, ownerUID: String? = nil
  )
    -> String
  {
    var yaml = """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: \(name)

      """
    if let finalizer { yaml += "  finalizers: [\(finalizer)]\n" }
    if let ownerName, let ownerUID {
      yaml += """
          ownerReferences:
          - {apiVersion: v1, kind: ConfigMap, name: \(ownerName), uid: \(ownerUID), blockOwnerDeletion: true}

        """
    }
    return yaml + "data: {k: v}\n"
  }

  @Test func deleteLeavesAFinalizedObjectTerminatingUntilThePatchRemovesTheFinalizer() async throws {
    try await withFakeKube { kubectl, _ in
      let file = try kubectl.file("held.yaml", Self.configMap("x", finalizer: "example.com/hold"))
      try await kubectl.succeed("apply", "-f", file)
      let deleted = try await kubectl.succeed("delete", "cm", "x", "--wait=false")
      #expect(deleted.contains(#"configmap "x" deleted"#))
      let timestamp = try await kubectl.succeed("get", "cm", "x", "-o", "jsonpath={.metadata.deletionTimestamp}")
      #expect(!timestamp.isEmpty)
      let patched = try await kubectl.succeed(
        "patch", "cm", "x", "--type=json", "-p", #"[{"op":"remove","path":"/metadata/finalizers"}]"#)
      #expect(patched.contains("configmap/x patched"))
      let gone = try await kubectl.run("get", "cm", "x")
      #expect(gone.status != 0)
      #expect(gone.stderr.contains(#"Error from server (NotFound): configmaps "x" not found"#))
    }
  }

  /// Creates ConfigMap `owner` and ConfigMap `child` owned by it.
  func createOwnerAndChild(_ kubectl: Kubectl) async throws {
    try await kubectl.succeed("create", "configmap", "owner")
    let uid = try await kubectl.succeed("get", "cm", "owner", "-o", "jsonpath={.metadata.uid}")
    let file = try kubectl.file("child.yaml", Self.configMap("child", ownerName: "owner", ownerUID: uid))
    #expect(try await kubectl.succeed("apply", "-f", file).contains("configmap/child created"))
  }

  /// With each cascade, the order of the watch events tells the policy the server received: in
  /// the foreground the owner is marked first and goes last.
  @Test(arguments: [
    ([], ["DELETED owner", "DELETED child"]), (["--cascade=background"], ["DELETED owner", "DELETED child"]),
    (["--cascade=foreground"], ["MODIFIED owner", "DELETED child", "DELETED owner"]),
  ])
  func deletingTheOwnerDeletesTheDependent(cascade: [String], events: [String]) async throws {
    try await withFakeKube { kubectl, store in
      try await createOwnerAndChild(kubectl)
      let configMaps = try #require(ResourceType.builtIn.first { $0.kind == "ConfigMap" })
      let watch = try store.watch(WatchFilter(type: configMaps), since: store.currentResourceVersion)
      let deleted = try await kubectl.run(["delete", "cm", "owner"] + cascade)
      store.stopWatch(watch.id)
      var seen: [String] = []
      for await event in watch.events {
        seen.append("\(event.kind.rawValue) \(event.object[path: ["metadata", "name"]]?.stringValue ?? "")")
      }
      #expect(seen == events)
      #expect(deleted.status == 0)
      #expect(deleted.stdout.contains(#"configmap "owner" deleted"#))
      let child = try await kubectl.run(["get", "cm", "child"])
      #expect(child.stderr.contains(#"configmaps "child" not found"#))
      let owner = try await kubectl.run(["get", "cm", "owner"])
      #expect(owner.stderr.contains(#"configmaps "owner" not found"#))
    }
  }

  @Test func orphanCascadeKeepsTheDependentWithoutItsOwnerReference() async throws {
    try await withFakeKube { kubectl, _ in
      try await createOwnerAndChild(kubectl)
      let deleted = try await kubectl.succeed("delete", "cm", "owner", "--cascade=orphan")
      #expect(deleted.contains(#"configmap "owner" deleted"#))
      let names = try await kubectl.succeed("get", "cm", "-o", "name")
      #expect(names.contains("configmap/child") && !names.contains("configmap/owner"))
      let references = try await kubectl.succeed("get", "cm", "child", "-o", "jsonpath={.metadata.ownerReferences}")
      #expect(references.isEmpty)
    }
  }

  @Test func waitForDeleteReturnsOnceTheFinalizerIsRemoved() async throws {
    try await withFakeKube { kubectl, store in
      let file = try kubectl.file("held.yaml", Self.configMap("x", finalizer: "example.com/hold"))
      try await kubectl.succeed("apply", "-f", file)
      try await kubectl.succeed("delete", "cm", "x", "--wait=false")
      let waiting = try kubectl.start(["wait", "--for=delete", "cm/x", "--timeout=20s"])
      defer { waiting.stop() }
      try await Task.sleep(for: .seconds(1))
      let configMaps = try #require(ResourceType.builtIn.first { $0.kind == "ConfigMap" })
      try store.modify(configMaps, namespace: "default", name: "x") { existing in
        var updated = existing
        updated.set(nil, at: ["metadata", "finalizers"])
        return updated
      }
      let status = try await waiting.waitForExit(timeout: .seconds(25))
      #expect(status == 0)
      #expect(waiting.stdout.contains("configmap/x condition met"))
    }
  }
}
