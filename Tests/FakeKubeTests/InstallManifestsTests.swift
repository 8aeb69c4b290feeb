import Foundation
import KubeModel
import TestSupport
import Testing

@testable import FakeKube

/// `manifests/` installs the operator as its comments say: `kubectl apply -f crds/`, then
/// `kubectl apply -k manifests/`, with RBAC that grants what the operator uses and nothing more.
@Suite("Install manifests", .serialized)
struct InstallManifestsTests {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let manifests = root.appendingPathComponent("manifests").path
  static let crds = root.appendingPathComponent("crds").path

  /// One permission: a verb on a resource (or `resource/subresource`) of an API group.
  struct Grant: Hashable, CustomStringConvertible {
    var group: String
    var resource: String
    var verb: String

    var description: String { "\(verb) \(group.isEmpty ? "core" : group)/\(resource)" }
  }

  static let allVerbs = ["get", "list", "watch", "create", "update", "patch", "delete"]
  static let readVerbs = ["get", "list", "watch"]

  static func grants(_ group: String, _ resources: [String], _ verbs: [String]) -> Set<Grant> {
    Set(resources.flatMap { resource in verbs.map { Grant(group: group, resource: resource, verb: $0) } })
  }

  /// The contract: every call the operator makes across the cluster. The operator's author keeps
  /// this list in step with the code, and `manifests/cluster-role.yaml` with this list.
  static let operatorUses: Set<Grant> = grants(
    "sovren.io", ["sovrensensors"], ["get", "list", "watch", "update", "patch"]
  )
  .union(grants("sovren.io", ["sovrensensors/status"], ["get", "update", "patch"]))
  .union(grants("sovren.io", ["sovrensensors/finalizers"], ["update"]))
  .union(grants("apps", ["daemonsets", "deployments", "statefulsets"], allVerbs))
  .union(grants("", ["services", "serviceaccounts"], allVerbs))
  .union(grants("rbac.authorization.k8s.io", ["clusterroles", "clusterrolebindings"], allVerbs))
  .union(grants("", ["secrets"], ["get"]))
  .union(grants("", ["events"], ["create", "patch"]))
  .union(grants("events.k8s.io", ["events"], ["create", "patch"]))

  /// What the digger's ClusterRole (created by the operator) grants: the operator must hold it
  /// too, or the API server refuses to create that ClusterRole (escalation prevention).
  static let diggerGrants: Set<Grant> = grants("", ["pods", "services", "namespaces", "nodes"], readVerbs)
    .union(grants("discovery.k8s.io", ["endpointslices"], readVerbs))
    .union(grants("apps", ["replicasets", "deployments", "statefulsets", "daemonsets"], readVerbs))
    .union(grants("batch", ["jobs", "cronjobs"], readVerbs))

  /// Leader election, in the operator's own namespace only.
  static let leaseGrants = grants("coordination.k8s.io", ["leases"], ["get", "create", "update"])

  /// Every (group, resource, verb) the rules grant; a wildcard stays a literal `*`.
  static func granted(by rules: [JSONValue]) -> Set<Grant> {
    var result: Set<Grant> = []
    for rule in rules {
      let groups = rule["apiGroups"]?.arrayValue?.compactMap(\.stringValue) ?? []
      let resources = rule["resources"]?.arrayValue?.compactMap(\.stringValue) ?? []
      let verbs = rule["verbs"]?.arrayValue?.compactMap(\.stringValue) ?? []
      for group in groups { result.formUnion(grants(group, resources, verbs)) }
    }
    return result
  }

  /// The documents `kubectl kustomize manifests/` prints.
  func kustomized(_ kubectl: Kubectl) async throws -> [JSONValue] {
    let output = try await kubectl.succeed("kustomize", Self.manifests)
    return try output.components(separatedBy: "\n---\n").map { try YAMLBody.parse(Array($0.utf8)) }
  }

  @Test func kustomizeBuildsEveryObjectOfTheInstall() async throws {
    let kubectl = try Kubectl(server: "http://127.0.0.1:1")
    defer { kubectl.removeFiles() }
    let objects = try await kustomized(kubectl)
    let names = objects.map {
      "\($0["kind"]?.stringValue ?? "?")/\($0[path: ["metadata", "name"]]?.stringValue ?? "?")"
    }
    #expect(
      Set(names) == [
        "Namespace/sovren-system", "ServiceAccount/sovren-operator", "ClusterRole/sovren-operator",
        "ClusterRoleBinding/sovren-operator", "Role/sovren-operator-leader-election",
        "RoleBinding/sovren-operator-leader-election", "Deployment/sovren-operator", "SovrenSensor/sample",
      ])
    #expect(names.count == 8)
    for object in objects
    where object["kind"] != "Namespace" && !(object["kind"]?.stringValue ?? "").hasPrefix("Cluster") {
      #expect(object[path: ["metadata", "namespace"]] == "sovren-system", "\(object["kind"] ?? "?") namespace")
    }
  }

  @Test func theClusterRoleGrantsWhatTheOperatorUsesAndNothingElse() async throws {
    let kubectl = try Kubectl(server: "http://127.0.0.1:1")
    defer { kubectl.removeFiles() }
    let objects = try await kustomized(kubectl)
    let clusterRole = try #require(objects.first { $0["kind"] == "ClusterRole" })
    let granted = Self.granted(by: clusterRole["rules"]?.arrayValue ?? [])
    let needed = Self.operatorUses.union(Self.diggerGrants)
    for grant in needed.subtracting(granted).sorted(by: { $0.description < $1.description }) {
      Issue.record("the ClusterRole lacks \(grant)")
    }
    for grant in granted.subtracting(needed).sorted(by: { $0.description < $1.description }) {
      Issue.record("the ClusterRole grants \(grant), which the operator does not use")
    }
    #expect(granted.allSatisfy { $0.group != "*" && $0.resource != "*" && $0.verb != "*" })
    #expect(granted.allSatisfy { !["escalate", "bind", "impersonate"].contains($0.verb) })
    #expect(granted.allSatisfy { $0.group != "coordination.k8s.io" }, "Leases belong in the namespaced Role")

    let role = try #require(objects.first { $0["kind"] == "Role" })
    #expect(Self.granted(by: role["rules"]?.arrayValue ?? []) == Self.leaseGrants)
    let roleBinding = try #require(objects.first { $0["kind"] == "RoleBinding" })
    #expect(roleBinding[path: ["roleRef", "name"]] == role[path: ["metadata", "name"]])
    let clusterRoleBinding = try #require(objects.first { $0["kind"] == "ClusterRoleBinding" })
    #expect(clusterRoleBinding[path: ["roleRef", "name"]] == "sovren-operator")
    for binding in [roleBinding, clusterRoleBinding] {
      #expect(
        binding["subjects"] == [["kind": "ServiceAccount", "name": "sovren-operator", "namespace": "sovren-system"]])
    }
  }

  @Test func kubectlInstallsTheOperatorAndReapplyingChangesNothing() async throws {
    let log = RequestLog()
    try await withFakeKube(requestLog: log) { kubectl, _ in
      try await kubectl.succeed("apply", "-f", Self.crds)
      try await kubectl.succeed(
        "wait", "--for", "condition=established", "crd/sovrensensors.sovren.io", "--timeout=20s")
      let installed = try await kubectl.succeed("apply", "-k", Self.manifests)
      for line in [
        "namespace/sovren-system created", "serviceaccount/sovren-operator created",
        "clusterrole.rbac.authorization.k8s.io/sovren-operator created",
        "clusterrolebinding.rbac.authorization.k8s.io/sovren-operator created",
        "role.rbac.authorization.k8s.io/sovren-operator-leader-election created",
        "rolebinding.rbac.authorization.k8s.io/sovren-operator-leader-election created",
        "deployment.apps/sovren-operator created", "sovrensensor.sovren.io/sample created",
      ] {
        #expect(installed.contains(line), "kubectl apply -k printed: \(installed)")
      }

      let deployment = try await json(kubectl, "get", "deployment", "sovren-operator", "-n", "sovren-system")
      #expect(deployment[path: ["spec", "replicas"]] == 2)
      let pod = try #require(deployment[path: ["spec", "template", "spec"]])
      #expect(pod["serviceAccountName"] == "sovren-operator")
      #expect(pod["terminationGracePeriodSeconds"] == 30)
      #expect(pod[path: ["securityContext", "runAsNonRoot"]] == true)
      let container = try #require(pod["containers"]?.arrayValue?.first)
      #expect(container["image"] == "ghcr.io/sovren/sovren:0.1.0")
      #expect(
        container["args"] == [
          "operator", "--leader-election", "--lease-namespace", "$(POD_NAMESPACE)", "--metrics-address",
          "0.0.0.0:8080",
        ])
      let environment = container["env"]?.arrayValue ?? []
      for (name, field) in [("POD_NAMESPACE", "metadata.namespace"), ("POD_NAME", "metadata.name")] {
        let variable = environment.first { $0["name"]?.stringValue == name }
        #expect(variable?[path: ["valueFrom", "fieldRef", "fieldPath"]] == .string(field), "env \(name)")
      }
      #expect(container[path: ["livenessProbe", "httpGet", "path"]] == "/healthz")
      #expect(container[path: ["readinessProbe", "httpGet", "path"]] == "/readyz")
      #expect(container["ports"]?.arrayValue?.first?["containerPort"] == 8080)
      #expect(container[path: ["securityContext", "readOnlyRootFilesystem"]] == true)
      #expect(container[path: ["securityContext", "allowPrivilegeEscalation"]] == false)
      #expect(container[path: ["securityContext", "capabilities", "drop"]] == ["ALL"])
      #expect(container[path: ["securityContext", "seccompProfile", "type"]] == "RuntimeDefault")
      #expect(container[path: ["resources", "requests", "memory"]] != nil)
      let antiAffinity = pod[path: ["affinity", "podAntiAffinity", "preferredDuringSchedulingIgnoredDuringExecution"]]
      #expect(
        antiAffinity?.arrayValue?.first?[path: ["podAffinityTerm", "topologyKey"]] == "kubernetes.io/hostname")

      let clusterRole = try await json(kubectl, "get", "clusterrole", "sovren-operator")
      let granted = Self.granted(by: clusterRole["rules"]?.arrayValue ?? [])
      #expect(Self.diggerGrants.isSubset(of: granted))
      #expect(Self.operatorUses.isSubset(of: granted))

      let sensor = try await json(kubectl, "get", "sovrensensor", "sample", "-n", "sovren-system")
      #expect(sensor[path: ["spec", "image"]] == "ghcr.io/sovren/sovren:0.1.0")
      // Stored with the schema's defaults.
      #expect(sensor[path: ["spec", "kafka", "topic"]] == "sovren.pairs")
      try await kubectl.succeed("get", "serviceaccount", "sovren-operator", "-n", "sovren-system")
      try await kubectl.succeed("get", "rolebinding", "sovren-operator-leader-election", "-n", "sovren-system")

      // Applying again finds everything as it is: no object changes, and kubectl sends no write.
      let mark = log.lastSequence
      let again = try await kubectl.succeed("apply", "-k", Self.manifests)
      let lines = again.split(separator: "\n")
      #expect(lines.count == 8)
      #expect(lines.allSatisfy { $0.hasSuffix(" unchanged") }, "kubectl apply -k again printed: \(again)")
      #expect(log.entries(since: mark).filter(\.isMutating).isEmpty)

      let dryRun = try await kubectl.succeed("apply", "-k", Self.manifests, "--dry-run=server")
      #expect(dryRun.split(separator: "\n").count == 8)
      #expect(log.entries(since: mark).filter { $0.isMutating && !$0.isDryRun }.isEmpty)
    }
  }

  /// `kubectl <arguments> -o json`, parsed.
  private func json(_ kubectl: Kubectl, _ arguments: String...) async throws -> JSONValue {
    let process = try kubectl.start(arguments + ["-o", "json"])
    defer { process.stop() }
    guard try await process.waitForExit(timeout: .seconds(30)) == 0 else {
      throw SupportFailure("kubectl \(arguments.joined(separator: " ")) failed: \(process.stderr)")
    }
    return try JSONValue(parsing: Array(process.stdout.utf8))
  }
}
