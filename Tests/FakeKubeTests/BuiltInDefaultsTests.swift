import Foundation
import KubeModel
import Testing

@testable import FakeKube

/// Fixtures for built-in kinds, small and valid unless a test breaks them on purpose.
enum BuiltInFixtures {
  static func type(_ kind: String) throws -> ResourceType {
    try #require(ResourceType.builtIn.first { $0.kind == kind })
  }

  static func store() -> ObjectStore {
    let store = ObjectStore(historyLimit: 1000)
    FakeAPIServer.seedNamespaces(in: store)
    return store
  }

  static func podTemplate(_ app: String, image: String = "nginx:1.27") -> JSONValue {
    [
      "metadata": ["labels": ["app": .string(app)]],
      "spec": ["containers": [["name": "main", "image": .string(image), "ports": [["containerPort": 8080]]]]],
    ]
  }

  /// A Deployment, DaemonSet, StatefulSet or ReplicaSet selecting `app=<name>`.
  static func workload(_ name: String, image: String = "nginx:1.27") -> JSONValue {
    [
      "metadata": ["name": .string(name)],
      "spec": ["selector": ["matchLabels": ["app": .string(name)]], "template": podTemplate(name, image: image)],
    ]
  }

  static func service(
    _ name: String, type: String? = nil, clusterIP: String? = nil, nodePort: Int64? = nil
  )
    -> JSONValue
  {
    var port: JSONValue = ["name": "http", "port": 80]
    if let nodePort { port["nodePort"] = .int(nodePort) }
    var spec: JSONValue = ["selector": ["app": .string(name)], "ports": [port]]
    if let type { spec["type"] = .string(type) }
    if let clusterIP { spec["clusterIP"] = .string(clusterIP) }
    return ["metadata": ["name": .string(name)], "spec": spec]
  }
}

@Suite("Built-in defaults")
struct BuiltInDefaultsTests {
  @Test func aDeploymentGetsTheDefaultsControllersReadBack() throws {
    let store = BuiltInFixtures.store()
    let created = try store.create(
      try BuiltInFixtures.type("Deployment"), namespace: "default", object: BuiltInFixtures.workload("web"))
    #expect(created[path: ["spec", "replicas"]] == 1)
    #expect(
      created[path: ["spec", "strategy"]] == [
        "type": "RollingUpdate", "rollingUpdate": ["maxSurge": "25%", "maxUnavailable": "25%"],
      ])
    #expect(created[path: ["spec", "revisionHistoryLimit"]] == 10)
    #expect(created[path: ["spec", "progressDeadlineSeconds"]] == 600)
    let pod = try #require(created[path: ["spec", "template", "spec"]])
    #expect(pod["restartPolicy"] == "Always" && pod["dnsPolicy"] == "ClusterFirst")
    #expect(pod["schedulerName"] == "default-scheduler" && pod["terminationGracePeriodSeconds"] == 30)
    #expect(pod["securityContext"] == [:])
    let container = try #require(pod["containers"]?.arrayValue?.first)
    #expect(container["imagePullPolicy"] == "IfNotPresent")
    #expect(container["terminationMessagePath"] == "/dev/termination-log")
    #expect(container["terminationMessagePolicy"] == "File" && container["resources"] == [:])
    #expect(container["ports"] == [["containerPort": 8080, "protocol": "TCP"]])
  }

  @Test func aRecreateStrategyGetsNoRollingUpdate() throws {
    let store = BuiltInFixtures.store()
    var deployment = BuiltInFixtures.workload("web")
    deployment.set(["type": "Recreate"], at: ["spec", "strategy"])
    deployment.set(3, at: ["spec", "replicas"])
    let created = try store.create(try BuiltInFixtures.type("Deployment"), namespace: "default", object: deployment)
    #expect(created[path: ["spec", "strategy"]] == ["type": "Recreate"])
    #expect(created[path: ["spec", "replicas"]] == 3)
  }

  @Test func daemonSetsStatefulSetsAndReplicaSetsGetTheirs() throws {
    let store = BuiltInFixtures.store()
    let daemonSet = try store.create(
      try BuiltInFixtures.type("DaemonSet"), namespace: "default", object: BuiltInFixtures.workload("agent"))
    #expect(
      daemonSet[path: ["spec", "updateStrategy"]] == [
        "type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": 1, "maxSurge": 0],
      ])
    #expect(daemonSet[path: ["spec", "revisionHistoryLimit"]] == 10)
    #expect(daemonSet[path: ["spec", "replicas"]] == nil)

    let statefulSet = try store.create(
      try BuiltInFixtures.type("StatefulSet"), namespace: "default", object: BuiltInFixtures.workload("db"))
    #expect(statefulSet[path: ["spec", "replicas"]] == 1)
    #expect(
      statefulSet[path: ["spec", "updateStrategy"]] == ["type": "RollingUpdate", "rollingUpdate": ["partition": 0]])
    #expect(statefulSet[path: ["spec", "podManagementPolicy"]] == "OrderedReady")
    #expect(statefulSet[path: ["spec", "revisionHistoryLimit"]] == 10)
    #expect(
      statefulSet[path: ["spec", "persistentVolumeClaimRetentionPolicy"]] == [
        "whenDeleted": "Retain", "whenScaled": "Retain",
      ])
    #expect(statefulSet[path: ["spec", "template", "spec", "restartPolicy"]] == "Always")

    let replicaSet = try store.create(
      try BuiltInFixtures.type("ReplicaSet"), namespace: "default", object: BuiltInFixtures.workload("rs"))
    #expect(replicaSet[path: ["spec", "replicas"]] == 1)
  }

  @Test(arguments: [
    ("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.27", "IfNotPresent"),
    ("registry.local:5000/team/app", "Always"), ("registry.local:5000/team/app:v2", "IfNotPresent"),
    ("nginx@sha256:0123abcd", "IfNotPresent"), ("nginx:latest@sha256:0123abcd", "Always"), ("", "IfNotPresent"),
  ])
  func theImagePullPolicyFollowsTheTag(image: String, policy: String) {
    #expect(BuiltInDefaults.imagePullPolicy(for: image) == policy)
  }

  @Test func aPodGetsPodDefaultsAndProbesAndVolumesTheirs() throws {
    let store = BuiltInFixtures.store()
    let pod: JSONValue = [
      "metadata": ["name": "p"],
      "spec": [
        "containers": [
          [
            "name": "c", "image": "busybox", "readinessProbe": ["httpGet": ["port": 8080]],
            "env": [["name": "NODE", "valueFrom": ["fieldRef": ["fieldPath": "spec.nodeName"]]]],
          ]
        ],
        "volumes": [["name": "settings", "configMap": ["name": "settings"]]],
      ],
    ]
    let created = try store.create(try BuiltInFixtures.type("Pod"), namespace: "default", object: pod)
    #expect(created[path: ["spec", "enableServiceLinks"]] == true)
    #expect(created[path: ["spec", "restartPolicy"]] == "Always")
    let container = try #require(created[path: ["spec", "containers"]]?.arrayValue?.first)
    #expect(container["imagePullPolicy"] == "Always")
    #expect(
      container["readinessProbe"] == [
        "httpGet": ["port": 8080, "path": "/", "scheme": "HTTP"], "timeoutSeconds": 1, "periodSeconds": 10,
        "successThreshold": 1, "failureThreshold": 3,
      ])
    #expect(container[path: ["env"]]?.arrayValue?.first?[path: ["valueFrom", "fieldRef", "apiVersion"]] == "v1")
    #expect(created[path: ["spec", "volumes"]]?.arrayValue?.first?[path: ["configMap", "defaultMode"]] == 420)
  }

  @Test func aJobGetsCompletionsBackoffAndAGeneratedSelector() throws {
    let store = BuiltInFixtures.store()
    var template = BuiltInFixtures.podTemplate("batch")
    template.set("Never", at: ["spec", "restartPolicy"])
    template.set(nil as JSONValue?, at: ["metadata"])
    let created = try store.create(
      try BuiltInFixtures.type("Job"), namespace: "default",
      object: ["metadata": ["name": "once"], "spec": ["template": template]])
    let spec = try #require(created["spec"])
    #expect(spec["backoffLimit"] == 6 && spec["completions"] == 1 && spec["parallelism"] == 1)
    #expect(spec["completionMode"] == "NonIndexed" && spec["suspend"] == false)
    let uid = try #require(created.uid)
    #expect(spec["selector"] == ["matchLabels": ["batch.kubernetes.io/controller-uid": .string(uid)]])
    let labels = spec[path: ["template", "metadata", "labels"]]
    #expect(labels?["batch.kubernetes.io/controller-uid"] == .string(uid))
    #expect(labels?["job-name"] == "once" && labels?["batch.kubernetes.io/job-name"] == "once")
    // A Job without labels of its own takes its pods'.
    #expect(created[path: ["metadata", "labels"]] == labels)
  }

  @Test func namespacesGetTheirFinalizerPhaseAndNameLabel() throws {
    let store = BuiltInFixtures.store()
    let created = try store.create(
      .namespaces, namespace: "",
      object: ["metadata": ["name": "team", "labels": ["kubernetes.io/metadata.name": "x"]]])
    #expect(created[path: ["spec", "finalizers"]] == ["kubernetes"])
    #expect(created[path: ["status", "phase"]] == "Active")
    #expect(created[path: ["metadata", "labels", "kubernetes.io/metadata.name"]] == "team")
  }

  @Test func writingBackWhatWasReadChangesNothing() throws {
    let store = BuiltInFixtures.store()
    let deployments = try BuiltInFixtures.type("Deployment")
    let services = try BuiltInFixtures.type("Service")
    let deployment = try store.create(deployments, namespace: "default", object: BuiltInFixtures.workload("web"))
    let service = try store.create(services, namespace: "default", object: BuiltInFixtures.service("web"))
    let version = store.currentResourceVersion
    #expect(try store.update(deployments, namespace: "default", name: "web", object: deployment) == deployment)
    #expect(try store.update(services, namespace: "default", name: "web", object: service) == service)
    // Sending the original body again (defaults and cluster IP left out) changes nothing either.
    #expect(
      try store.update(deployments, namespace: "default", name: "web", object: BuiltInFixtures.workload("web"))
        == deployment)
    #expect(
      try store.update(services, namespace: "default", name: "web", object: BuiltInFixtures.service("web")) == service)
    #expect(store.currentResourceVersion == version)
  }

  @Test func anApplierDoesNotOwnWhatTheServerDefaulted() throws {
    let store = BuiltInFixtures.store()
    let deployments = try BuiltInFixtures.type("Deployment")
    var configuration = BuiltInFixtures.workload("web")
    configuration["apiVersion"] = "apps/v1"
    configuration["kind"] = "Deployment"
    let applied = try store.apply(
      deployments, namespace: "default", name: "web", configuration: configuration, fieldManager: "alice"
    ).object
    #expect(applied[path: ["spec", "revisionHistoryLimit"]] == 10)
    let entries = try ManagedFields.entries(of: applied, kind: "Deployment")
    #expect(entries.map(\.manager) == ["alice"])
    let alice = try #require(entries.first?.fields)
    for defaulted in [
      FieldPath(fields: "spec", "replicas"), FieldPath(fields: "spec", "strategy"),
      FieldPath(fields: "spec", "revisionHistoryLimit"), FieldPath(fields: "spec", "progressDeadlineSeconds"),
      FieldPath(fields: "spec", "template", "spec", "dnsPolicy"),
      FieldPath([
        .field("spec"), .field("template"), .field("spec"), .field("containers"), .key(["name": "main"]),
        .field("imagePullPolicy"),
      ]),
    ] {
      #expect(!alice.covers(defaulted), "alice owns \(defaulted)")
    }
    #expect(alice.contains(FieldPath(fields: "spec", "selector", "matchLabels", "app")))
    // Applying the same configuration again is not a change.
    let again = try store.apply(
      deployments, namespace: "default", name: "web", configuration: configuration, fieldManager: "alice"
    ).object
    #expect(again[path: ["metadata", "resourceVersion"]] == applied[path: ["metadata", "resourceVersion"]])
  }

  @Test func aCreatorThroughUpdateOwnsTheDefaultsAsOnARealServer() throws {
    let store = BuiltInFixtures.store()
    let created = try store.create(
      try BuiltInFixtures.type("Deployment"), namespace: "default", object: BuiltInFixtures.workload("web"),
      fieldManager: "kubectl-create")
    let entry = try #require(try ManagedFields.entries(of: created, kind: "Deployment").first)
    #expect(entry.operation == .update)
    #expect(entry.fields.contains(FieldPath(fields: "spec", "progressDeadlineSeconds")))
  }
}

@Suite("Service cluster IPs and node ports")
struct ServiceAddressTests {
  let services: ResourceType

  init() throws {
    services = try BuiltInFixtures.type("Service")
  }

  @Test func aServiceGetsItsTypeAffinityFamiliesTargetPortAndAClusterIP() throws {
    let store = BuiltInFixtures.store()
    let created = try store.create(services, namespace: "default", object: BuiltInFixtures.service("web"))
    let spec = try #require(created["spec"])
    #expect(spec["type"] == "ClusterIP" && spec["sessionAffinity"] == "None")
    #expect(spec["ipFamilies"] == ["IPv4"] && spec["ipFamilyPolicy"] == "SingleStack")
    #expect(spec["internalTrafficPolicy"] == "Cluster")
    #expect(spec["ports"] == [["name": "http", "port": 80, "targetPort": 80, "protocol": "TCP"]])
    let ip = try #require(spec["clusterIP"]?.stringValue)
    #expect(spec["clusterIPs"] == [.string(ip)])
    let address = try #require(ServiceAddresses.parse(ip))
    #expect(address >> 20 == ServiceAddresses.rangeStart >> 20, "\(ip) is not in 10.96.0.0/12")
    #expect(created[path: ["status", "loadBalancer"]] == [:])
  }

  @Test func clusterIPsAreUniqueAndReleasedWithTheirService() throws {
    let store = BuiltInFixtures.store()
    var seen: Set<String> = []
    for index in 0..<50 {
      let created = try store.create(services, namespace: "default", object: BuiltInFixtures.service("s\(index)"))
      seen.insert(created[path: ["spec", "clusterIP"]]?.stringValue ?? "")
    }
    #expect(seen.count == 50)
    #expect(store.state.withLock { $0.serviceAddresses.counts.clusterIPs } == 50)
    let taken = try #require(seen.first)
    #expect(throws: FakeKubeError.self) {
      try store.create(services, namespace: "default", object: BuiltInFixtures.service("copy", clusterIP: taken))
    }
    let holder = try #require(
      try store.list(WatchFilter(type: services)).items.first { $0[path: ["spec", "clusterIP"]] == .string(taken) })
    try store.delete(services, namespace: "default", name: holder.metadataName)
    #expect(store.state.withLock { $0.serviceAddresses.counts.clusterIPs } == 49)
    let reused = try store.create(
      services, namespace: "default", object: BuiltInFixtures.service("copy", clusterIP: taken))
    #expect(reused[path: ["spec", "clusterIP"]] == .string(taken))
  }

  @Test func aRequestedClusterIPMustBeInTheRangeAndFree() throws {
    let store = BuiltInFixtures.store()
    try store.create(services, namespace: "default", object: BuiltInFixtures.service("dns", clusterIP: "10.96.0.10"))
    do {
      try store.create(
        services, namespace: "default", object: BuiltInFixtures.service("again", clusterIP: "10.96.0.10"))
      Issue.record("a taken cluster IP was given out twice")
    } catch {
      #expect(error.httpStatus == .unprocessableContent)
      #expect(
        error.description
          == #"Service "again" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to "#
          + "allocate IP 10.96.0.10: provided IP is already allocated")
    }
    #expect(throws: FakeKubeError.self) {
      try store.create(services, namespace: "default", object: BuiltInFixtures.service("far", clusterIP: "10.0.0.1"))
    }
    let headless = try store.create(
      services, namespace: "default", object: BuiltInFixtures.service("headless", clusterIP: "None"))
    #expect(headless[path: ["spec", "clusterIPs"]] == ["None"])
    // A failed or dry-run create holds nothing.
    #expect(store.state.withLock { $0.serviceAddresses.counts.clusterIPs } == 1)
    try store.create(
      services, namespace: "default", object: BuiltInFixtures.service("planned", clusterIP: "10.96.0.11"), dryRun: true)
    try store.create(services, namespace: "default", object: BuiltInFixtures.service("real", clusterIP: "10.96.0.11"))
  }

  @Test func nodePortsAreAllocatedInTheirRangeAndKeptAcrossUpdates() throws {
    let store = BuiltInFixtures.store()
    let created = try store.create(
      services, namespace: "default", object: BuiltInFixtures.service("web", type: "NodePort"))
    #expect(created[path: ["spec", "externalTrafficPolicy"]] == "Cluster")
    let nodePort = try #require(created[path: ["spec", "ports"]]?.arrayValue?.first?["nodePort"]?.intValue)
    #expect(ServiceAddresses.nodePortRange.contains(nodePort))
    let updated = try store.update(
      services, namespace: "default", name: "web", object: BuiltInFixtures.service("web", type: "NodePort"))
    #expect(updated[path: ["spec", "ports"]]?.arrayValue?.first?["nodePort"]?.intValue == nodePort)
    #expect(updated[path: ["spec", "clusterIP"]] == created[path: ["spec", "clusterIP"]])
    #expect(throws: FakeKubeError.self) {
      try store.create(
        services, namespace: "default", object: BuiltInFixtures.service("clash", type: "NodePort", nodePort: nodePort))
    }
    #expect(throws: FakeKubeError.self) {
      try store.create(
        services, namespace: "default", object: BuiltInFixtures.service("low", type: "NodePort", nodePort: 80))
    }
    // Back to ClusterIP: the node port goes with the type that needed it.
    let plain = try store.update(
      services, namespace: "default", name: "web", object: BuiltInFixtures.service("web", type: "ClusterIP"))
    #expect(plain[path: ["spec", "ports"]]?.arrayValue?.first?["nodePort"] == nil)
    #expect(store.state.withLock { $0.serviceAddresses.counts.nodePorts } == 0)
    let balancer = try store.create(
      services, namespace: "default", object: BuiltInFixtures.service("lb", type: "LoadBalancer"))
    #expect(balancer[path: ["spec", "allocateLoadBalancerNodePorts"]] == true)
    #expect(balancer[path: ["spec", "ports"]]?.arrayValue?.first?["nodePort"]?.intValue != nil)
  }

  @Test func theClusterIPCannotChange() throws {
    let store = BuiltInFixtures.store()
    let created = try store.create(services, namespace: "default", object: BuiltInFixtures.service("web"))
    let ip = try #require(created[path: ["spec", "clusterIP"]]?.stringValue)
    let other = ip == "10.96.7.7" ? "10.96.7.8" : "10.96.7.7"
    do {
      try store.update(
        services, namespace: "default", name: "web", object: BuiltInFixtures.service("web", clusterIP: other))
      Issue.record("the cluster IP changed")
    } catch {
      #expect(error.httpStatus == .unprocessableContent)
      let causes = error.statusObject[path: ["details", "causes"]]?.arrayValue ?? []
      #expect(causes.first?["field"] == "spec.clusterIP")
      #expect(causes.first?["message"] == .string("Invalid value: \"\(other)\": field is immutable"))
    }
    #expect(try store.get(services, namespace: "default", name: "web")[path: ["spec", "clusterIP"]] == .string(ip))
    #expect(store.state.withLock { $0.serviceAddresses.counts.clusterIPs } == 1)
  }
}
