import FakeKube
import Foundation
import KubeModel
import TestSupport
import Testing

/// The real kubectl against FakeKube's defaulting, validation and lifecycles: what it shows and
/// what it prints when the server says no.
@Suite("Defaults, validation and lifecycles through kubectl", .serialized)
struct KubectlDefaultsTests {
  static let manifest = """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      labels: {app: web}
    spec:
      selector:
        matchLabels: {app: web}
      template:
        metadata:
          labels: {app: web}
        spec:
          containers:
          - name: web
            image: nginx:1.27
            ports:
            - containerPort: 8080
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: web
    spec:
      selector: {app: web}
      ports:
      - port: 80
        targetPort: 8080
    ---
    apiVersion: batch/v1
    kind: CronJob
    metadata:
      name: nightly
    spec:
      schedule: "0 3 * * *"
      jobTemplate:
        spec:
          template:
            spec:
              restartPolicy: OnFailure
              containers:
              - name: job
                image: busybox
    """

  func json(_ text: String) throws -> JSONValue {
    try JSONValue(parsing: Array(text.utf8))
  }

  @Test func aCreatedDeploymentShowsTheServersDefaults() async throws {
    try await withFakeKube { kubectl, _ in
      try await kubectl.succeed("create", "deployment", "web", "--image=nginx")
      let deployment = try json(try await kubectl.succeed("get", "deploy", "web", "-o", "json"))
      #expect(deployment[path: ["spec", "replicas"]] == 1)
      #expect(deployment[path: ["spec", "revisionHistoryLimit"]] == 10)
      #expect(deployment[path: ["spec", "progressDeadlineSeconds"]] == 600)
      #expect(
        deployment[path: ["spec", "strategy"]] == [
          "type": "RollingUpdate", "rollingUpdate": ["maxSurge": "25%", "maxUnavailable": "25%"],
        ])
      let pod = deployment[path: ["spec", "template", "spec"]]
      #expect(pod?["dnsPolicy"] == "ClusterFirst" && pod?["restartPolicy"] == "Always")
      #expect(pod?["schedulerName"] == "default-scheduler" && pod?["terminationGracePeriodSeconds"] == 30)
      let container = pod?["containers"]?.arrayValue?.first
      #expect(container?["imagePullPolicy"] == "Always")
      #expect(container?["terminationMessagePath"] == "/dev/termination-log")
      #expect(container?["terminationMessagePolicy"] == "File")
      let yaml = try await kubectl.succeed("get", "deploy", "web", "-o", "yaml")
      #expect(yaml.contains("maxSurge: 25%") && yaml.contains("progressDeadlineSeconds: 600"))
    }
  }

  @Test func applyingTwiceChangesNothingAndDiffFindsNothing() async throws {
    try await withFakeKube { kubectl, store in
      let file = try kubectl.file("app.yaml", Self.manifest)
      let first = try await kubectl.succeed("apply", "-f", file)
      #expect(first.contains("deployment.apps/web created") && first.contains("service/web created"))
      let version = store.currentResourceVersion
      let second = try await kubectl.succeed("apply", "-f", file)
      #expect(second.contains("deployment.apps/web unchanged") && second.contains("service/web unchanged"))
      #expect(second.contains("cronjob.batch/nightly unchanged"))
      #expect(store.currentResourceVersion == version)
      let diff = try await kubectl.run("diff", "-f", file)
      #expect(diff.status == 0, "kubectl diff: \(diff.stdout) \(diff.stderr)")

      // The diff does see a real change.
      let changed = try kubectl.file(
        "changed.yaml", Self.manifest.replacingOccurrences(of: "nginx:1.27", with: "nginx:1.28"))
      let differs = try await kubectl.run("diff", "-f", changed)
      #expect(differs.status == 1, "kubectl diff: \(differs.stderr)")
      #expect(differs.stdout.contains("+      - image: nginx:1.28"))
    }
  }

  @Test func serverSideApplyingTwiceChangesNothingAndDiffFindsNothing() async throws {
    try await withFakeKube { kubectl, store in
      let file = try kubectl.file("app.yaml", Self.manifest)
      try await kubectl.succeed("apply", "--server-side", "-f", file)
      let version = store.currentResourceVersion
      let second = try await kubectl.succeed("apply", "--server-side", "-f", file)
      #expect(second.contains("deployment.apps/web serverside-applied"))
      #expect(store.currentResourceVersion == version)
      let diff = try await kubectl.run("diff", "--server-side", "-f", file)
      #expect(diff.status == 0, "kubectl diff: \(diff.stdout) \(diff.stderr)")
      // The applier owns what it applied, not what the server filled in.
      let deployment = try json(
        try await kubectl.succeed("get", "deploy", "web", "--show-managed-fields", "-o", "json"))
      let entries = deployment[path: ["metadata", "managedFields"]]?.arrayValue ?? []
      #expect(entries.compactMap { $0["manager"] } == ["kubectl"])
      let spec = entries.first?[path: ["fieldsV1", "f:spec"]]
      #expect(spec?["f:selector"] != nil && spec?["f:progressDeadlineSeconds"] == nil)
    }
  }

  @Test func anExposedDeploymentGetsAClusterIPAndANodePortServiceItsPort() async throws {
    try await withFakeKube { kubectl, _ in
      try await kubectl.succeed("create", "deployment", "web", "--image=nginx:1.27", "--port=8080")
      try await kubectl.succeed("expose", "deployment", "web", "--port=80", "--target-port=8080")
      let table = try await kubectl.succeed("get", "svc", "web")
      let row = try #require(table.split(separator: "\n").last?.split(separator: " ").map(String.init))
      #expect(row.count >= 5 && row[0] == "web" && row[1] == "ClusterIP")
      let ip = row.count > 2 ? row[2] : ""
      #expect(ip.hasPrefix("10.") && ServiceAddressesProbe.inServiceRange(ip), "cluster IP \(ip)")
      #expect(row[4] == "80/TCP")
      let service = try json(try await kubectl.succeed("get", "svc", "web", "-o", "json"))
      #expect(service[path: ["spec", "clusterIPs"]] == [.string(ip)])
      #expect(service[path: ["spec", "sessionAffinity"]] == "None")

      try await kubectl.succeed("create", "service", "nodeport", "edge", "--tcp=80:8080")
      let edge = try await kubectl.succeed("get", "svc", "edge", "-o", "jsonpath={.spec.ports[0].nodePort}")
      let nodePort = try #require(Int(edge))
      #expect((30000...32767).contains(nodePort))
      #expect(try await kubectl.succeed("get", "svc", "edge").contains("80:\(nodePort)/TCP"))
    }
  }

  @Test func creatingInANamespaceBeingDeletedOrAbsentIsRefused() async throws {
    try await withFakeKube { kubectl, _ in
      try await kubectl.succeed("create", "namespace", "team")
      try await kubectl.succeed("create", "configmap", "held", "-n", "team")
      try await kubectl.succeed(
        "patch", "configmap", "held", "-n", "team", "--type=merge", "-p", #"{"metadata":{"finalizers":["hold"]}}"#)
      try await kubectl.succeed("delete", "namespace", "team", "--wait=false")
      #expect(try await kubectl.succeed("get", "ns", "team", "-o", "jsonpath={.status.phase}") == "Terminating")
      let late = try kubectl.file("late.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: late\n")
      let refused = try await kubectl.run("create", "-n", "team", "-f", late)
      #expect(refused.status != 0)
      #expect(refused.stderr.hasPrefix("Error from server (Forbidden)"), "\(refused.stderr)")
      #expect(
        refused.stderr.contains(
          #"configmaps "late" is forbidden: unable to create new content in namespace team because it is being "#
            + "terminated"), "\(refused.stderr)")
      let nowhere = try await kubectl.run("create", "-n", "nowhere", "-f", late)
      #expect(nowhere.stderr.hasPrefix("Error from server (NotFound)"), "\(nowhere.stderr)")
      #expect(nowhere.stderr.contains(#"namespaces "nowhere" not found"#))
    }
  }

  @Test func invalidObjectsAreRefusedWithTheRealMessages() async throws {
    try await withFakeKube { kubectl, _ in
      let badName = try await kubectl.run(
        "create", "-f", try kubectl.file("bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n"))
      #expect(badName.status != 0)
      #expect(
        badName.stderr.contains(
          #"The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 "#
            + "subdomain must consist of lower case alphanumeric characters"), "\(badName.stderr)")

      let mismatched = try kubectl.file(
        "mismatched.yaml",
        Self.manifest.replacingOccurrences(
          of: "labels: {app: web}\n    spec:\n      containers",
          with: "labels: {app: other}\n    spec:\n      containers"))
      let refused = try await kubectl.run("apply", "-f", mismatched)
      #expect(refused.status != 0)
      #expect(
        refused.stderr.contains(
          #"spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not "#
            + "match template `labels`"), "\(refused.stderr)")

      let file = try kubectl.file("app.yaml", Self.manifest)
      try await kubectl.succeed("apply", "-f", file)
      let reselected = try kubectl.file(
        "reselected.yaml", Self.manifest.replacingOccurrences(of: "{app: web}", with: "{app: other}"))
      let immutable = try await kubectl.run("apply", "-f", reselected)
      #expect(immutable.status != 0)
      #expect(
        immutable.stderr.contains(
          #"The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:"#
            + #"map[string]string{"app":"other"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: "#
            + "field is immutable"), "\(immutable.stderr)")
    }
  }

  @Test func aDeletedCRDWaitsForItsCustomResourcesThenLeavesDiscovery() async throws {
    try await withFakeKube { kubectl, _ in
      try await kubectl.succeed("apply", "-f", try kubectl.file("crd.yaml", SensorFixtures.definition))
      try await kubectl.succeed("apply", "-f", try kubectl.file("free.yaml", SensorFixtures.sensor("free")))
      try await kubectl.succeed("apply", "-f", try kubectl.file("held.yaml", SensorFixtures.sensor("held")))
      try await kubectl.succeed(
        "patch", "sensor", "held", "--type=merge", "-p", #"{"metadata":{"finalizers":["example.com/hold"]}}"#)

      try await kubectl.succeed("delete", "crd", "sovrensensors.sovren.io", "--wait=false")
      let terminating = try await kubectl.succeed(
        "get", "crd", "sovrensensors.sovren.io", "-o",
        #"jsonpath={.status.conditions[?(@.type=="Terminating")].status}"#)
      #expect(terminating == "True")
      #expect(try await kubectl.succeed("get", "sensor", "-o", "name") == "sovrensensor.sovren.io/held\n")
      let late = try await kubectl.run("create", "-f", try kubectl.file("late.yaml", SensorFixtures.sensor("late")))
      #expect(late.status != 0)
      #expect(late.stderr.contains("create not allowed while custom resource definition is terminating"))

      try await kubectl.succeed("patch", "sensor", "held", "--type=merge", "-p", #"{"metadata":{"finalizers":null}}"#)
      let gone = try await kubectl.run("get", "crd", "sovrensensors.sovren.io")
      #expect(gone.stderr.contains("NotFound"), "\(gone.stderr)")
      #expect(!(try await kubectl.succeed("api-resources")).contains("sovrensensors"))
    }
  }

  @Test func aDeletionWithStalePreconditionsIsAConflict() async throws {
    try await withFakeKube { kubectl, store in
      try await kubectl.succeed("create", "configmap", "cm")
      let path = "/api/v1/namespaces/default/configmaps/cm"
      let stale = try await kubectl.curl(
        path, method: "DELETE", body: #"{"preconditions":{"uid":"not-the-uid"}}"#)
      #expect(stale.status == 409)
      #expect(stale.json?["reason"] == "Conflict")
      #expect(
        stale.json?["message"]?.stringValue?.hasPrefix(
          #"Operation cannot be fulfilled on configmaps "cm": Precondition failed: UID in precondition: not-the-uid"#)
          == true)
      let configMap = try store.get(try BuiltInFixtures.type("ConfigMap"), namespace: "default", name: "cm")
      let uid = try #require(configMap[path: ["metadata", "uid"]]?.stringValue)
      let matching = try await kubectl.curl(path, method: "DELETE", body: #"{"preconditions":{"uid":"\#(uid)"}}"#)
      #expect(matching.status == 200)
    }
  }

  @Test func aWatchWhoseClientWentAwayIsCleanedUpWithoutAnyWrite() async throws {
    try await withFakeKube { kubectl, store in
      let watch = try kubectl.startCurl("/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=600")
      defer { watch.stop() }
      try await waitUntil(timeout: .seconds(20), "the watch to open") { store.openWatchCount == 1 }
      watch.stop()
      try await waitUntil(timeout: .seconds(20), "the store to forget the watch") { store.openWatchCount == 0 }
    }
  }
}

/// Whether a cluster IP is in the service range, for tests that only see the text.
enum ServiceAddressesProbe {
  static func inServiceRange(_ ip: String) -> Bool {
    let octets = ip.split(separator: ".").compactMap { Int($0) }
    return octets.count == 4 && octets[0] == 10 && (96...111).contains(octets[1])
  }
}
