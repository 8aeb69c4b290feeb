import FakeKube
import Foundation
import KubeModel
import TestSupport
import Testing

/// The operator's promises beyond the happy path: one leader among replicas, invalid sensors
/// reported without anything applied, and silence when nothing changes.
@Suite(.serialized) struct OperatorBehaviourTests {
  static let namespace = OperatorEndToEndTests.namespace

  @Test func nothingChangingMeansNoWritesOverTenResyncPeriods() async throws {
    let requests = RequestLog()
    try await withFakeKube(workloads: OperatorEndToEndTests.workloads, requestLog: requests) { kubectl, _ in
      try await OperatorEndToEndTests.install(kubectl)
      let resync = 0.5
      let operatorProcess = try OperatorProcess(kubectl: kubectl, identity: "operator-0", resyncPeriod: resync)
      try await OperatorEndToEndTests.waitForReady(kubectl)
      // The operator's own requests, apart from its watches and leader election's Lease renewals.
      func fromTheOperator(since sequence: UInt64) -> [RequestLog.Entry] {
        requests.entries(since: sequence).filter {
          $0.userAgent.hasPrefix("sovren-operator") && !$0.isWatch && !$0.path.contains("/leases/")
        }
      }
      // Wait for the rollout's last status changes to be reconciled.
      try await eventually("the operator to settle", every: .milliseconds(250)) {
        let mark = requests.lastSequence
        try await Task.sleep(for: .seconds(2))
        return fromTheOperator(since: mark).isEmpty
      }
      let mark = requests.lastSequence
      let reconcilesBefore = try await operatorProcess.reconciles()
      try await Task.sleep(for: .seconds(resync * 11))
      let reconciles = try await operatorProcess.reconciles() - reconcilesBefore
      let sent = fromTheOperator(since: mark)
      #expect(reconciles >= 10, "only \(reconciles) reconciles in eleven resync periods")
      #expect(sent.filter(\.isMutating).isEmpty, "writes: \(sent.map { "\($0.method) \($0.path)" })")
      #expect(sent.isEmpty, "an unchanged world needs no request at all: \(sent.map { "\($0.method) \($0.path)" })")
      let leaseWrites = requests.entries(since: mark).filter {
        $0.userAgent.hasPrefix("sovren-operator") && $0.isMutating && $0.path.contains("/leases/")
      }
      #expect(!leaseWrites.isEmpty, "the leader renews its Lease, and the log must see it")
    }
  }

  @Test func exactlyOneOfTwoReplicasReconcilesAndAnotherTakesOverWithinTheLease() async throws {
    try await withFakeKube(workloads: OperatorEndToEndTests.workloads) { kubectl, _ in
      try await OperatorEndToEndTests.install(kubectl)
      let first = try OperatorProcess(kubectl: kubectl, identity: "replica-a", resyncPeriod: 1)
      let second = try OperatorProcess(kubectl: kubectl, identity: "replica-b", resyncPeriod: 1)
      try await OperatorEndToEndTests.waitForReady(kubectl)
      // Let both run through a few resyncs: the leader reconciles, the other never does.
      try await Task.sleep(for: .seconds(3))
      let firstLeads = try await first.isLeader()
      let secondLeads = try await second.isLeader()
      #expect(firstLeads != secondLeads, "exactly one replica must lead")
      let (leader, standby) = firstLeads ? (first, second) : (second, first)
      #expect(try await leader.reconciles() > 0)
      #expect(try await standby.reconciles() == 0)
      #expect(try await standby.get("/readyz").status == 200, "a standby replica is ready to take over")
      let holder = try await OperatorEndToEndTests.jsonPath(
        kubectl, "lease/sovren-operator", "{.spec.holderIdentity}")
      #expect(holder == leader.identity)

      // Kill the leader without a chance to release the lease: the other takes over once it expires.
      leader.process.signal(SIGKILL)
      let killed = ContinuousClock.now
      try await eventually("the standby to take the lease", timeout: .seconds(30), every: .milliseconds(100)) {
        try await standby.isLeader()
      }
      let handover = ContinuousClock.now - killed
      // The lease expires at most leaseDuration after the leader's last renewal (before the kill);
      // the standby notices within a retry period or two of that.
      let bound = Duration.seconds(OperatorProcess.leaseDuration + 3 * OperatorProcess.retryPeriod)
      #expect(handover <= bound, "handover took \(handover), more than \(bound)")
      let reconcilesBefore = try await standby.reconciles()
      try await kubectl.succeed(
        "patch", "sensor", "sample", "-n", Self.namespace, "--type", "merge", "-p",
        #"{"spec":{"digger":{"replicas":2}}}"#)
      try await eventually("the new leader to apply the change", every: .milliseconds(250)) {
        try await OperatorEndToEndTests.jsonPath(kubectl, "deployment/sample-digger", "{.spec.replicas}") == "2"
      }
      #expect(try await standby.reconciles() > reconcilesBefore)
      try await OperatorEndToEndTests.waitForReady(kubectl)

      // A graceful stop releases the lease at once.
      standby.process.signal(SIGTERM)
      #expect(try await standby.process.waitForExit(timeout: .seconds(20)) == 0)
      let released = try await OperatorEndToEndTests.jsonPath(
        kubectl, "lease/sovren-operator", "{.spec.holderIdentity}")
      #expect(released.isEmpty, "the lease still names \(released) after a graceful stop")
    }
  }

  @Test func invalidSensorsAreReportedInStatusAndNothingIsApplied() async throws {
    try await withFakeKube(workloads: OperatorEndToEndTests.workloads) { kubectl, _ in
      try await OperatorEndToEndTests.install(kubectl)
      let operatorProcess = try OperatorProcess(kubectl: kubectl, identity: "operator-0", resyncPeriod: 1)
      try await OperatorEndToEndTests.waitForReady(kubectl)

      // The schema rejects what it can describe, naming the field.
      let badEnum = try await kubectl.run(
        "apply", "-f",
        try kubectl.file("bad-enum.yaml", Self.sensor("bad-enum", spec: "kafka: {embedded: {storage: {type: Disk}}}")))
      #expect(badEnum.status != 0)
      #expect(badEnum.stderr.contains("spec.kafka.embedded.storage.type"))
      let negative = try await kubectl.run(
        "apply", "-f", try kubectl.file("negative.yaml", Self.sensor("negative", spec: "digger: {replicas: -1}")))
      #expect(negative.status != 0)
      #expect(negative.stderr.contains("spec.digger.replicas"))

      // What only the operator can judge is reported in status, and nothing of it is applied.
      let conflicting = "kafka: {embedded: {}, external: {bootstrapServers: [\"kafka.example:9092\"]}}"
      let missingSecret = "map: {endpoint: \"map.example:9000\", tokenSecretRef: {name: map-token}}"
      for (name, spec, reason, words) in [
        ("both-kafkas", conflicting, "KafkaConflict", "spec.kafka"),
        ("no-secret", missingSecret, "SecretNotFound", "map-token"),
      ] {
        try await kubectl.succeed("apply", "-f", try kubectl.file("\(name).yaml", Self.sensor(name, spec: spec)))
        try await eventually("sensor \(name) Degraded", every: .milliseconds(250)) {
          try await OperatorEndToEndTests.jsonPath(
            kubectl, "sovrensensor/\(name)", #"{.status.conditions[?(@.type=="Degraded")].reason}"#) == reason
        }
        let message = try await OperatorEndToEndTests.jsonPath(
          kubectl, "sovrensensor/\(name)", #"{.status.conditions[?(@.type=="Degraded")].message}"#)
        #expect(message.contains(words), "the message should name what to fix: \(message)")
        let ready = try await OperatorEndToEndTests.jsonPath(
          kubectl, "sovrensensor/\(name)", #"{.status.conditions[?(@.type=="Ready")].status}"#)
        #expect(ready == "False")
        let children = try await kubectl.succeed(
          "get", "daemonsets,deployments,statefulsets,services,serviceaccounts", "-n", Self.namespace, "-l",
          "app.kubernetes.io/instance=\(name)", "-o", "name")
        #expect(children.isEmpty, "an invalid sensor got children: \(children)")
        let clusterWide = try await kubectl.succeed(
          "get", "clusterroles,clusterrolebindings", "-l", "app.kubernetes.io/instance=\(name)", "-o", "name")
        #expect(clusterWide.isEmpty)
        let warnings = try await kubectl.succeed(
          "get", "events", "-n", Self.namespace, "--field-selector", "involvedObject.name=\(name),type=Warning", "-o",
          "jsonpath={.items[*].reason}")
        #expect(warnings.contains(reason))
      }

      // Creating the Secret lets the sensor proceed (Secrets are not watched: the resync notices).
      try await kubectl.succeed(
        "create", "secret", "generic", "map-token", "-n", Self.namespace, "--from-literal=token=not-a-real-token")
      try await OperatorEndToEndTests.waitForReady(kubectl, name: "no-secret")
      let token = try await OperatorEndToEndTests.jsonPath(
        kubectl, "deployment/no-secret-digger", "{.spec.template.spec.containers[0].env}")
      #expect(token.contains("secretKeyRef") && !token.contains("not-a-real-token"))

      // A valid sensor made invalid keeps what runs, untouched, and says why.
      try await kubectl.succeed(
        "patch", "sensor", "sample", "-n", Self.namespace, "--type", "merge", "-p",
        #"{"spec":{"digger":{"replicas":2},"kafka":{"external":{"bootstrapServers":["kafka.example:9092"]}}}}"#)
      try await eventually("sample Degraded", every: .milliseconds(250)) {
        try await OperatorEndToEndTests.jsonPath(
          kubectl, "sovrensensor/sample", #"{.status.conditions[?(@.type=="Degraded")].reason}"#) == "KafkaConflict"
      }
      #expect(try await OperatorEndToEndTests.jsonPath(kubectl, "deployment/sample-digger", "{.spec.replicas}") == "1")
      #expect(try await OperatorEndToEndTests.jsonPath(kubectl, "statefulset/sample-kafka", "{.spec.replicas}") == "1")
      #expect(operatorProcess.process.isRunning)
    }
  }

  static func sensor(_ name: String, spec: String) -> String {
    """
    apiVersion: sovren.io/v1alpha1
    kind: SovrenSensor
    metadata: {name: \(name), namespace: \(namespace)}
    spec:
      image: ghcr.io/sovren/sovren:0.1.0
      \(spec)
    """
  }
}
