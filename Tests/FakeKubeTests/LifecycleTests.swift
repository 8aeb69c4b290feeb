import Foundation
import KubeModel
import TestSupport
import Testing

@testable import FakeKube

/// Namespaces being deleted, deletion preconditions, CRDs taking their custom resources with them,
/// and watches that end when their client cannot keep up or goes away.
@Suite("Lifecycles at the store")
struct LifecycleTests {
  let configMaps: ResourceType

  init() throws {
    configMaps = try BuiltInFixtures.type("ConfigMap")
  }

  @Test func nothingNewMayBeCreatedInANamespaceBeingDeleted() throws {
    let store = BuiltInFixtures.store()
    try store.create(.namespaces, namespace: "", object: ["metadata": ["name": "team"]])
    try store.create(configMaps, namespace: "team", object: ["metadata": ["name": "held", "finalizers": ["hold"]]])
    try store.delete(.namespaces, namespace: "", name: "team")
    #expect(try store.get(.namespaces, namespace: "", name: "team")[path: ["status", "phase"]] == "Terminating")
    do {
      try store.create(configMaps, namespace: "team", object: ["metadata": ["name": "late"]])
      Issue.record("an object was created in a terminating namespace")
    } catch {
      #expect(error.httpStatus == .forbidden && error.reason == "Forbidden")
      #expect(
        error.description
          == #"configmaps "late" is forbidden: unable to create new content in namespace team because it is being "#
          + "terminated")
      #expect(
        error.statusObject["details"] == [
          "name": "late", "kind": "configmaps",
          "causes": [
            [
              "reason": "NamespaceTerminating", "message": "namespace team is being terminated",
              "field": "metadata.namespace",
            ]
          ],
        ])
    }
    // What is there may still change: its finalizer goes, then the namespace.
    try store.modify(configMaps, namespace: "team", name: "held") {
      var object = $0
      object.set(nil as JSONValue?, at: ["metadata", "finalizers"])
      return object
    }
    #expect(throws: FakeKubeError.notFound(group: "", resource: "namespaces", name: "team")) {
      try store.create(configMaps, namespace: "team", object: ["metadata": ["name": "late"]])
    }
  }

  @Test func aDeletionWhosePreconditionsFailIsAConflict() throws {
    let store = BuiltInFixtures.store()
    let created = try store.create(configMaps, namespace: "default", object: ["metadata": ["name": "cm"]])
    let uid = try #require(created.uid)
    let version = try #require(created[path: ["metadata", "resourceVersion"]]?.stringValue)
    do {
      try store.delete(configMaps, namespace: "default", name: "cm", preconditions: DeletePreconditions(uid: "other"))
      Issue.record("a deletion with the wrong uid went ahead")
    } catch {
      #expect(error.httpStatus == .conflict && error.reason == "Conflict")
      #expect(
        error.description
          == #"Operation cannot be fulfilled on configmaps "cm": Precondition failed: UID in precondition: other, "#
          + "UID in object meta: \(uid)")
    }
    #expect(throws: FakeKubeError.self) {
      try store.delete(
        configMaps, namespace: "default", name: "cm", preconditions: DeletePreconditions(resourceVersion: "1"))
    }
    try store.delete(
      configMaps, namespace: "default", name: "cm",
      preconditions: DeletePreconditions(uid: uid, resourceVersion: version))
    #expect(throws: FakeKubeError.self) { try store.get(configMaps, namespace: "default", name: "cm") }
  }

  @Test func aDeletedCRDWaitsForItsCustomResourcesAndTakesThemWithIt() throws {
    let store = BuiltInFixtures.store()
    let definitions = try BuiltInFixtures.type("CustomResourceDefinition")
    let crd = try JSONValue(parsing: Array(SensorCRDJSON.text.utf8))
    try store.create(definitions, namespace: "", object: crd)
    let sensors = try #require(try CustomResourceDefinitions.resourceTypes(of: crd).first)
    let sensor: JSONValue = ["metadata": ["name": "free"], "spec": ["kafka": "k:1"]]
    try store.create(sensors, namespace: "default", object: sensor)
    var held = sensor
    held.set("held", at: ["metadata", "name"])
    held.set(["example.com/hold"], at: ["metadata", "finalizers"])
    try store.create(sensors, namespace: "default", object: held)

    try store.delete(definitions, namespace: "", name: "sovrensensors.sovren.io")
    let terminating = try store.get(definitions, namespace: "", name: "sovrensensors.sovren.io")
    #expect(terminating.isTerminating)
    #expect(terminating.finalizers == ["customresourcecleanup.apiextensions.k8s.io"])
    let condition = terminating[path: ["status", "conditions"]]?.arrayValue?.first { $0["type"] == "Terminating" }
    #expect(condition?["status"] == "True")
    #expect(throws: FakeKubeError.self) { try store.get(sensors, namespace: "default", name: "free") }
    #expect(try store.get(sensors, namespace: "default", name: "held").isTerminating)

    try store.modify(sensors, namespace: "default", name: "held") {
      var object = $0
      object.set(nil as JSONValue?, at: ["metadata", "finalizers"])
      return object
    }
    #expect(throws: FakeKubeError.self) { try store.get(sensors, namespace: "default", name: "held") }
    #expect(throws: FakeKubeError.self) { try store.get(definitions, namespace: "", name: "sovrensensors.sovren.io") }
  }

  @Test func aWatchThatFallsTooFarBehindIsEndedAfterWhatItHad() async throws {
    let store = ObjectStore(historyLimit: 1000, watchBufferLimit: 5)
    FakeAPIServer.seedNamespaces(in: store)
    try store.create(configMaps, namespace: "default", object: ["metadata": ["name": "before"]])
    let subscription = try store.watch(WatchFilter(type: configMaps), since: nil)
    for index in 0..<20 {
      try store.create(configMaps, namespace: "default", object: ["metadata": ["name": .string("cm\(index)")]])
    }
    #expect(store.openWatchCount == 0)
    var names: [String] = []
    var last: Int64 = 0
    for await event in subscription.events {
      names.append(event.object.metadataName)
      last = event.resourceVersion
    }
    // The opening event, then as many as the buffer held; the rest is replayed from history.
    #expect(names == ["before", "cm0", "cm1", "cm2", "cm3", "cm4"])
    let resumed = try store.watch(WatchFilter(type: configMaps), since: last)
    var replayed: [String] = []
    for await event in resumed.events {
      replayed.append(event.object.metadataName)
      if replayed.count == 5 { break }
    }
    #expect(replayed == ["cm5", "cm6", "cm7", "cm8", "cm9"])
  }

  /// Forgotten soon rather than at once: the store lets go of the watch outside the stream's
  /// termination handler, which may run under the runtime's task locks.
  @Test func aWatchWhoseStreamIsDroppedIsForgotten() async throws {
    let store = BuiltInFixtures.store()
    var subscription: WatchSubscription? = try store.watch(WatchFilter(type: configMaps), since: nil)
    #expect(store.openWatchCount == 1)
    #expect(subscription != nil)
    subscription = nil
    try await waitUntil(timeout: .seconds(10), "the dropped watch to be forgotten") { store.openWatchCount == 0 }
  }
}
