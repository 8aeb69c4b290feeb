import Foundation
import KubeModel
import Testing

@testable import FakeKube

@Suite("Built-in validation")
struct BuiltInValidationTests {
  /// The causes of the 422 a write fails with; fails the test when it does not fail so.
  func causes(_ write: () throws -> Void) -> [JSONValue] {
    do {
      try write()
      Issue.record("the write succeeded")
      return []
    } catch let error as FakeKubeError {
      #expect(error.httpStatus == .unprocessableContent && error.reason == "Invalid")
      return error.statusObject[path: ["details", "causes"]]?.arrayValue ?? []
    } catch {
      Issue.record("the write failed otherwise: \(error)")
      return []
    }
  }

  static let badNames: [(kind: String, name: String, problem: String)] = [
    ("ConfigMap", "Bad_Name", "a lowercase RFC 1123 subdomain must consist of"),
    ("ConfigMap", String(repeating: "a", count: 254), "must be no more than 253 characters"),
    ("Deployment", "-web", "a lowercase RFC 1123 subdomain must consist of"),
    ("Namespace", "team.a", "must not contain dots"),
    ("Namespace", "Team", "a lowercase RFC 1123 label must consist of"),
    ("Service", "1web", "a DNS-1035 label must consist of"),
    ("Role", "a/b", "may not contain '/'"),
  ]

  @Test(arguments: badNames)
  func aNameMustFollowItsKindsRule(kind: String, name: String, problem: String) throws {
    let store = BuiltInFixtures.store()
    let type = try BuiltInFixtures.type(kind)
    var object: JSONValue = kind == "Deployment" ? BuiltInFixtures.workload("x") : [:]
    object.set(.string(name), at: ["metadata", "name"])
    let found = causes { _ = try store.create(type, namespace: type.namespaced ? "default" : "", object: object) }
    #expect(found.first?["field"] == "metadata.name")
    #expect(found.first?["message"]?.stringValue?.contains(problem) == true, "\(found)")
  }

  @Test(arguments: ["web", "a.b.c", "x1", "system:controller:node"])
  func aGoodNameIsAccepted(name: String) throws {
    let store = BuiltInFixtures.store()
    let type = try BuiltInFixtures.type(name.contains(":") ? "ClusterRole" : "ConfigMap")
    try store.create(type, namespace: type.namespaced ? "default" : "", object: ["metadata": ["name": .string(name)]])
  }

  @Test func theNameMessageReadsAsARealServersWithTheRegex() throws {
    let store = BuiltInFixtures.store()
    let configMaps = try BuiltInFixtures.type("ConfigMap")
    do {
      try store.create(configMaps, namespace: "default", object: ["metadata": ["name": "A"]])
      Issue.record("an invalid name was accepted")
    } catch {
      #expect(
        error.description
          == #"ConfigMap "A" is invalid: metadata.name: Invalid value: "A": a lowercase RFC 1123 subdomain must "#
          + "consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
          + #"character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]"#
          + "([-a-z0-9]*[a-z0-9])?)*')")
      #expect(error.statusObject[path: ["details", "kind"]] == "ConfigMap")
    }
  }

  @Test func aWorkloadNeedsASelectorThatMatchesItsTemplate() throws {
    let store = BuiltInFixtures.store()
    let deployments = try BuiltInFixtures.type("Deployment")
    var unselected = BuiltInFixtures.workload("web")
    unselected.set(nil as JSONValue?, at: ["spec", "selector"])
    #expect(
      causes { _ = try store.create(deployments, namespace: "default", object: unselected) }.first == [
        "reason": "FieldValueRequired", "field": "spec.selector", "message": "Required value",
      ])

    var mismatched = BuiltInFixtures.workload("web")
    mismatched.set(["tier": "front"], at: ["spec", "template", "metadata", "labels"])
    let found = causes { _ = try store.create(deployments, namespace: "default", object: mismatched) }
    #expect(
      found == [
        [
          "reason": "FieldValueInvalid", "field": "spec.template.metadata.labels",
          "message": #"Invalid value: map[string]string{"tier":"front"}: `selector` does not match template `labels`"#,
        ]
      ])

    var empty = BuiltInFixtures.workload("web")
    empty.set([:], at: ["spec", "selector"])
    let emptyMessage = causes { _ = try store.create(deployments, namespace: "default", object: empty) }.first?[
      "message"]?.stringValue
    #expect(
      emptyMessage
        == "Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
        + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment")

    var byExpression = BuiltInFixtures.workload("web")
    byExpression.set(
      ["matchExpressions": [["key": "app", "operator": "In", "values": ["web", "api"]]]], at: ["spec", "selector"])
    try store.create(deployments, namespace: "default", object: byExpression)
  }

  @Test func aPodTemplateNeedsNamedContainersWithImagesAndTheRightRestartPolicy() throws {
    let store = BuiltInFixtures.store()
    var none = BuiltInFixtures.workload("web")
    none.set([], at: ["spec", "template", "spec", "containers"])
    #expect(
      causes { _ = try store.create(try BuiltInFixtures.type("DaemonSet"), namespace: "default", object: none) }
        .compactMap { $0["field"] } == ["spec.template.spec.containers"])

    var unnamed = BuiltInFixtures.workload("web")
    unnamed.set(
      [
        ["image": "a"], ["name": "Side_Car", "image": "b"], ["name": "x", "image": "c"], ["name": "x", "image": "d"],
      ],
      at: ["spec", "template", "spec", "containers"])
    unnamed.set("Never", at: ["spec", "template", "spec", "restartPolicy"])
    let found = causes {
      _ = try store.create(try BuiltInFixtures.type("Deployment"), namespace: "default", object: unnamed)
    }
    #expect(
      found.compactMap { $0["field"]?.stringValue } == [
        "spec.template.spec.containers[0].name", "spec.template.spec.containers[1].name",
        "spec.template.spec.containers[3].name", "spec.template.spec.restartPolicy",
      ])
    #expect(found.compactMap { $0["reason"]?.stringValue }.last == "FieldValueNotSupported")
    #expect(found.last?["message"] == #"Unsupported value: "Never": supported values: "Always""#)
    #expect(found[2]["message"] == #"Duplicate value: "x""#)

    var imageless = BuiltInFixtures.workload("web")
    imageless.set([["name": "web"], ["name": "side", "image": " "]], at: ["spec", "template", "spec", "containers"])
    let missing = causes {
      _ = try store.create(try BuiltInFixtures.type("Deployment"), namespace: "default", object: imageless)
    }
    #expect(
      missing.compactMap { $0["field"]?.stringValue } == [
        "spec.template.spec.containers[0].image", "spec.template.spec.containers[1].image",
      ])
    #expect(missing.first?["message"] == "Required value")

    let pod: JSONValue = ["metadata": ["name": "p"], "spec": ["containers": []]]
    #expect(
      causes { _ = try store.create(try BuiltInFixtures.type("Pod"), namespace: "default", object: pod) }.first?[
        "field"] == "spec.containers")
  }

  @Test func aJobRestartsOnFailureOrNeverAndItsTemplateNeverChanges() throws {
    let store = BuiltInFixtures.store()
    let jobs = try BuiltInFixtures.type("Job")
    let job: JSONValue = ["metadata": ["name": "once"], "spec": ["template": BuiltInFixtures.podTemplate("once")]]
    #expect(
      causes { _ = try store.create(jobs, namespace: "default", object: job) }.first == [
        "reason": "FieldValueNotSupported", "field": "spec.template.spec.restartPolicy",
        "message": #"Unsupported value: "Always": supported values: "OnFailure", "Never""#,
      ])
    var valid = job
    valid.set("OnFailure", at: ["spec", "template", "spec", "restartPolicy"])
    try store.create(jobs, namespace: "default", object: valid)
    let found = causes {
      _ = try store.modify(jobs, namespace: "default", name: "once") { stored in
        var changed = stored
        changed.set([["name": "main", "image": "busybox"]], at: ["spec", "template", "spec", "containers"])
        return changed
      }
    }
    #expect(found.compactMap { $0["field"] } == ["spec.template"])
    #expect(found.first?["message"]?.stringValue?.hasSuffix(": field is immutable") == true)
  }

  @Test func aWorkloadsSelectorIsImmutable() throws {
    let store = BuiltInFixtures.store()
    let deployments = try BuiltInFixtures.type("Deployment")
    try store.create(deployments, namespace: "default", object: BuiltInFixtures.workload("web"))
    var changed = BuiltInFixtures.workload("web")
    changed.set(["matchLabels": ["app": "web", "tier": "front"]], at: ["spec", "selector"])
    changed.set(["app": "web", "tier": "front"], at: ["spec", "template", "metadata", "labels"])
    do {
      try store.update(deployments, namespace: "default", name: "web", object: changed)
      Issue.record("the selector changed")
    } catch {
      #expect(
        error.description
          == #"Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:"#
          + #"map[string]string{"app":"web", "tier":"front"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: "#
          + "field is immutable")
    }
    // Anything else may change.
    var scaled = BuiltInFixtures.workload("web")
    scaled.set(4, at: ["spec", "replicas"])
    try store.update(deployments, namespace: "default", name: "web", object: scaled)
  }

  @Test func aStatefulSetMayChangeOnlyItsMutableFields() throws {
    let store = BuiltInFixtures.store()
    let statefulSets = try BuiltInFixtures.type("StatefulSet")
    try store.create(statefulSets, namespace: "default", object: BuiltInFixtures.workload("db"))
    var renamed = BuiltInFixtures.workload("db")
    renamed.set("db-headless", at: ["spec", "serviceName"])
    let found = causes { _ = try store.update(statefulSets, namespace: "default", name: "db", object: renamed) }
    #expect(found.first?["field"] == "spec" && found.first?["reason"] == "FieldValueForbidden")
    #expect(
      found.first?["message"]?.stringValue?.hasPrefix("Forbidden: updates to statefulset spec for fields other than")
        == true)
    var scaled = BuiltInFixtures.workload("db", image: "postgres:18")
    scaled.set(3, at: ["spec", "replicas"])
    try store.update(statefulSets, namespace: "default", name: "db", object: scaled)
  }

  @Test func statusWritesAndFinalizerRemovalsAreNotHeldUpByValidation() throws {
    let store = BuiltInFixtures.store()
    let deployments = try BuiltInFixtures.type("Deployment")
    var held = BuiltInFixtures.workload("web")
    held.set(["example.com/hold"], at: ["metadata", "finalizers"])
    try store.create(deployments, namespace: "default", object: held)
    try store.modify(deployments, namespace: "default", name: "web", subresource: "status") {
      var object = $0
      object.set(1, at: ["status", "readyReplicas"])
      return object
    }
    try store.delete(deployments, namespace: "default", name: "web")
    try store.modify(deployments, namespace: "default", name: "web") {
      var object = $0
      object.set(nil as JSONValue?, at: ["metadata", "finalizers"])
      return object
    }
    #expect(throws: FakeKubeError.self) { try store.get(deployments, namespace: "default", name: "web") }
  }
}
