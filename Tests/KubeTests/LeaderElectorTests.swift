import FakeKube
import KubeModel
import Synchronization
import TestSupport
import Testing

@testable import Kube

/// Who leads, as the candidates' `work` reports it: how many run at once now and at most.
final class LeadershipTracker: Sendable {
  struct State {
    var current = 0
    var maximum = 0
    /// Each start of `work`, by identity, in order.
    var starts: [String] = []
  }

  private let state = Mutex(State())

  var current: Int { state.withLock { $0.current } }
  var maximum: Int { state.withLock { $0.maximum } }
  var starts: [String] { state.withLock { $0.starts } }

  /// Work that counts itself in while it runs, until cancelled.
  func work(_ identity: String) -> @Sendable () async throws -> Void {
    { [self] in
      state.withLock { state in
        state.current += 1
        state.maximum = max(state.maximum, state.current)
        state.starts.append(identity)
      }
      defer { state.withLock { $0.current -= 1 } }
      try await Task.sleep(for: .seconds(3600))
    }
  }
}

/// Leader election against FakeKube, with short timings: several candidates, one lease.
@Suite("Leader election", .timeLimit(.minutes(1)))
struct LeaderElectorTests {
  static let leaseName = "sovren-test"

  func configuration(
    _ identity: String, leaseDuration: Duration = .seconds(2), renewDeadline: Duration = .milliseconds(1500),
    retryPeriod: Duration = .milliseconds(300)
  ) -> LeaderElectionConfiguration {
    LeaderElectionConfiguration(
      leaseName: Self.leaseName, identity: identity, leaseDuration: leaseDuration, renewDeadline: renewDeadline,
      retryPeriod: retryPeriod)
  }

  func lease(_ client: KubeClient) async throws -> Lease {
    try await client.get(Lease.self, name: Self.leaseName)
  }

  /// Waits until the lease's renewTime differs from `lease`'s.
  func waitForRenewal(_ client: KubeClient, after lease: Lease) async throws {
    let renewed = lease.spec?.renewTime
    try await eventually("a renewal") { try await self.lease(client).spec?.renewTime != renewed }
  }

  /// Writes `holder` into the lease as another candidate would, retrying when a renewal races it.
  func overwriteHolder(_ client: KubeClient, with holder: String, leaseDurationSeconds: Int32) async throws -> Lease {
    for _ in 0..<50 {
      var lease = try await self.lease(client)
      lease.spec?.holderIdentity = holder
      lease.spec?.renewTime = .now()
      lease.spec?.leaseDurationSeconds = leaseDurationSeconds
      do {
        return try await client.update(lease)
      } catch {
        guard error.isConflict else { throw error }
      }
    }
    throw SupportFailure("the lease kept changing under the test")
  }

  /// Records each holder the lease has, as a watch sees it ("" when released).
  final class HolderLog: Sendable {
    private let holders = Mutex<[String]>([])
    var all: [String] { holders.withLock { $0 } }

    func follow(_ client: KubeClient) async {
      for await event in Watcher(client: client, type: Lease.self) {
        switch event {
        case .initApply(let lease), .apply(let lease):
          let holder = lease.spec?.holderIdentity ?? ""
          holders.withLock { if $0.last != holder { $0.append(holder) } }
        default: break
        }
      }
    }
  }

  @Test("one candidate of three leads; cancelled, it releases the lease and the next takes over at once")
  func oneLeaderAndHandOver() async throws {
    try await withFakeKubeServer { fake in
      let client = try fake.client()
      let tracker = LeadershipTracker()
      let holders = HolderLog()
      // A lease long enough that only a release can explain a takeover within the test's waits,
      // and a renew deadline long enough that a slow machine does not make the leader give up.
      let identities = ["alpha", "bravo", "charlie"]
      let electors = try identities.map { identity in
        try LeaderElector(
          client: client,
          configuration: configuration(identity, leaseDuration: .seconds(60), renewDeadline: .seconds(30)))
      }
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await holders.follow(client) }
        var candidates: [String: Task<Void, any Error>] = [:]
        for (identity, elector) in zip(identities, electors) {
          candidates[identity] = Task { try await elector.lead(tracker.work(identity)) }
        }
        defer { for task in candidates.values { task.cancel() } }

        try await eventually("a leader") { tracker.starts.count == 1 }
        let first = tracker.starts[0]
        var lease = try await self.lease(client)
        #expect(lease.spec?.holderIdentity == first)
        #expect(lease.spec?.leaseTransitions == 0)
        #expect(lease.spec?.leaseDurationSeconds == 60)
        // Let the leader renew twice while the others keep trying.
        try await waitForRenewal(client, after: lease)
        try await waitForRenewal(client, after: try await self.lease(client))
        #expect(tracker.starts == [first])
        #expect(zip(identities, electors).filter { $0.1.isLeader }.map(\.0) == [first])

        // The leader shuts down: it releases the lease, and another candidate takes it long
        // before the 60-second lease could have expired.
        let leaderTask = try #require(candidates[first])
        leaderTask.cancel()
        try await within(.seconds(20), "the leader to return") { try await leaderTask.value }
        try await eventually("a second leader") { tracker.starts.count == 2 }
        let second = tracker.starts[1]
        #expect(second != first)
        lease = try await self.lease(client)
        #expect(lease.spec?.holderIdentity == second)
        #expect(lease.spec?.leaseTransitions == 1)
        #expect(lease.spec?.leaseDurationSeconds == 60)

        // Once more: the third candidate takes over from the second.
        let secondTask = try #require(candidates[second])
        secondTask.cancel()
        try await within(.seconds(20), "the second leader to return") { try await secondTask.value }
        try await eventually("a third leader") { tracker.starts.count == 3 }
        let third = tracker.starts[2]
        #expect(Set(tracker.starts) == Set(identities))
        lease = try await self.lease(client)
        #expect(lease.spec?.holderIdentity == third)
        #expect(lease.spec?.leaseTransitions == 2)

        let thirdTask = try #require(candidates[third])
        thirdTask.cancel()
        try await within(.seconds(20), "the third leader to return") { try await thirdTask.value }
        try await eventually("the lease to be released") {
          try await self.lease(client).spec?.holderIdentity == nil
        }
        #expect(tracker.maximum == 1)
        #expect(tracker.current == 0)
        #expect(electors.allSatisfy { !$0.isLeader })
        try await eventually("the watch to see the last release") { holders.all.last == "" }
        #expect(holders.all == [first, "", second, "", third, ""])
        group.cancelAll()
      }
    }
  }

  @Test(
    "a leader that cannot renew (answers fail, or do not come) stops its work after the renew deadline; another takes over",
    arguments: ["fail", "hang"])
  func leaderThatCannotRenewStepsDown(requests: String) async throws {
    let store = ObjectStore()
    let cutOff = FaultInjection(seed: 1)
    let log = LogRecorder()
    // Two doors into one cluster: the first candidate's requests can be made to fail alone.
    try await withFakeKubeServer(faults: cutOff, store: store) { first in
      try await withFakeKubeServer(store: store) { second in
        let tracker = LeadershipTracker()
        let alpha = try LeaderElector(
          client: try first.client(), configuration: configuration("alpha"), logger: log.logger())
        let bravo = try LeaderElector(client: try second.client(), configuration: configuration("bravo"))
        let observer = try second.client()
        let alphaTask = Task { try await alpha.lead(tracker.work("alpha")) }
        defer { alphaTask.cancel() }
        try await eventually("alpha to lead") { tracker.starts == ["alpha"] }
        let bravoTask = Task { try await bravo.lead(tracker.work("bravo")) }
        defer { bravoTask.cancel() }

        if requests == "fail" {
          cutOff.errorRate = 1
        } else {
          // Longer than the lease: a renewal left hanging would keep alpha working past bravo's takeover.
          cutOff.latency = .seconds(3) ... .seconds(3)
        }
        try await eventually("alpha to stop working") { tracker.current == 0 }
        try await eventually("alpha to step down") { !alpha.isLeader }
        try await eventually("bravo to take over") { tracker.starts.prefix(2) == ["alpha", "bravo"] }
        #expect(tracker.maximum == 1)
        let lease = try await self.lease(observer)
        #expect(lease.spec?.holderIdentity == "bravo")
        #expect(lease.spec?.leaseTransitions == 1)
        try await eventually("alpha to say it lost the lease") {
          !log.entries("lost the lease; standing for election again").isEmpty
        }

        // Alpha's requests work again, but bravo renews: alpha stays a candidate only.
        cutOff.reset()
        try await eventually("bravo to renew through alpha's recovery") {
          try await self.lease(observer).spec?.renewTime != lease.spec?.renewTime
        }
        // (On a starved machine bravo may miss its own deadline later on; what must hold whatever
        // the timing is that the two never worked at once.)
        #expect(tracker.starts.prefix(2) == ["alpha", "bravo"])
        #expect(tracker.maximum == 1)
      }
    }
  }

  @Test("a leader that finds another holder in the lease steps down without waiting for its deadline")
  func anotherHolderEndsLeadership() async throws {
    let log = LogRecorder()
    try await withFakeKubeServer { fake in
      let client = try fake.client()
      let tracker = LeadershipTracker()
      // A renew deadline far beyond the test's waits: only seeing the intruder can end the work.
      let alpha = try LeaderElector(
        client: client,
        configuration: configuration("alpha", leaseDuration: .seconds(120), renewDeadline: .seconds(100)),
        logger: log.logger())
      let alphaTask = Task { try await alpha.lead(tracker.work("alpha")) }
      defer { alphaTask.cancel() }
      try await eventually("alpha to lead") { tracker.current == 1 }

      // An intruder overwrites the lease, as a candidate that took it over would, for 2 s.
      let lease = try await overwriteHolder(client, with: "intruder", leaseDurationSeconds: 2)
      try await eventually("alpha to stop working") { tracker.current == 0 }
      let noticed = log.entries("another candidate holds the lease")
      #expect(noticed.first?.metadata["leader.holder"] == "intruder")
      #expect(lease.spec?.holderIdentity == "intruder")

      // The intruder never renews; once its lease runs out, alpha takes it back.
      try await eventually("alpha to lead again") { tracker.starts.count == 2 }
      let retaken = try await self.lease(client)
      #expect(retaken.spec?.holderIdentity == "alpha")
      #expect(retaken.spec?.leaseTransitions == 1)
      #expect(tracker.maximum == 1)
    }
  }

  @Test("candidates racing for a new or a free lease: exactly one wins, the others lose quietly")
  func racingCandidates() async throws {
    let faults = FaultInjection(seed: 2)
    try await withFakeKubeServer(faults: faults) { fake in
      let client = try fake.client()
      let electors = try ["alpha", "bravo", "charlie"].map {
        try LeaderElector(client: client, configuration: configuration($0))
      }
      // Every request waits, so that all three read before any writes.
      faults.latency = .milliseconds(150) ... .milliseconds(150)
      for round in ["create", "take over"] {
        let attempts = await withTaskGroup(of: LeaderElector.Attempt.self) { group in
          for elector in electors { group.addTask { await elector.tryAcquireOrRenew() } }
          return await group.reduce(into: []) { $0.append($1) }
        }
        // The losers lost the race (alreadyExists or 409), or in a slow run read after the winner wrote.
        #expect(attempts.filter { $0 == .acquired }.count == 1, "\(round): \(attempts)")
        let lease = try await self.lease(client)
        #expect(["alpha", "bravo", "charlie"].contains(lease.spec?.holderIdentity ?? ""))
        // Free the lease for the next round, as a release does.
        var released = lease
        released.spec?.holderIdentity = nil
        _ = try await client.update(released)
      }
    }
  }

  @Test("a 409 on the write is 'not this time': no leadership, and the next try goes ahead")
  func conflictIsNotThisTime() async throws {
    let lease =
      #"{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"sovren-test","namespace":"team","#
      + #""resourceVersion":"41"},"spec":{"leaseDurationSeconds":2,"leaseTransitions":3}}"#
    let writes = Mutex(0)
    try await withCannedServer(answer: { request in
      switch request.method {
      case "GET": return .body(status: 200, lease)
      default:
        let count = writes.withLock {
          $0 += 1
          return $0
        }
        if count == 1 {
          return CannedServer.status(
            code: 409, reason: "Conflict",
            message: "Operation cannot be fulfilled: the object has been modified")
        }
        return .body(status: 200, request.bodyText)
      }
    }) { client, server in
      let elector = try LeaderElector(client: client, configuration: configuration("alpha"))
      #expect(await elector.tryAcquireOrRenew() == .failed)
      #expect(!elector.isLeader)
      #expect(await elector.tryAcquireOrRenew() == .acquired)
      let puts = server.requests.filter { $0.method == "PUT" }
      #expect(puts.count == 2)
      let body = try JSONValue(parsing: Array(try #require(puts.last).body))
      // The write is conditional on the version read, and counts a takeover.
      #expect(body[path: ["metadata", "resourceVersion"]] == "41")
      #expect(body[path: ["spec", "holderIdentity"]] == "alpha")
      #expect(body[path: ["spec", "leaseTransitions"]] == 4)
      #expect(puts.last?.path == "/apis/coordination.k8s.io/v1/namespaces/team/leases/sovren-test")
    }
  }

  @Test("work that fails ends leadership: the lease is released and the error rethrown")
  func failingWork() async throws {
    struct Broken: Error {}
    try await withFakeKubeServer { fake in
      let client = try fake.client()
      let elector = try LeaderElector(
        client: client, configuration: configuration("alpha", leaseDuration: .milliseconds(2500)))
      await #expect(throws: Broken.self) {
        try await elector.lead {
          // Whole seconds on the wire, rounded up.
          #expect(try await self.lease(client).spec?.leaseDurationSeconds == 3)
          throw Broken()
        }
      }
      #expect(!elector.isLeader)
      var lease = try await self.lease(client)
      #expect(lease.spec?.holderIdentity == nil)
      #expect(lease.spec?.leaseDurationSeconds == 1)

      // Work that returns ends leadership the same way, without an error.
      try await elector.lead {}
      lease = try await self.lease(client)
      #expect(lease.spec?.holderIdentity == nil)
      #expect(lease.spec?.leaseTransitions == 1)
    }
  }

  @Test(
    "timings under which two leaders could overlap are refused",
    arguments: [
      (LeaderElectionConfiguration(leaseName: "", identity: "a"), "the lease name is empty"),
      (LeaderElectionConfiguration(leaseName: "l", identity: ""), "the candidate identity is empty"),
      (
        LeaderElectionConfiguration(leaseName: "l", identity: "a", retryPeriod: .zero),
        "the retry period must be positive"
      ),
      (
        LeaderElectionConfiguration(
          leaseName: "l", identity: "a", renewDeadline: .seconds(2), retryPeriod: .seconds(2)),
        "must exceed 1.2 × the retry period"
      ),
      (
        LeaderElectionConfiguration(
          leaseName: "l", identity: "a", leaseDuration: .seconds(10), renewDeadline: .seconds(10)),
        "must exceed the renew deadline"
      ),
      (
        LeaderElectionConfiguration(
          leaseName: "l", identity: "a", leaseDuration: .milliseconds(900), renewDeadline: .milliseconds(800),
          retryPeriod: .milliseconds(100)),
        "the lease duration must be 1 s or more"
      ),
    ])
  func validation(configuration: LeaderElectionConfiguration, reason: String) async throws {
    let error = #expect(throws: LeaderElectionError.self) { try configuration.validate() }
    #expect(error?.description.contains(reason) == true, "\(String(describing: error))")
    #expect(error?.description.hasPrefix("Leader election is misconfigured: ") == true)
    let client = try KubeClient(configuration: KubeConfiguration(server: "http://127.0.0.1:1"))
    #expect(throws: LeaderElectionError.self) { try LeaderElector(client: client, configuration: configuration) }
    try await client.shutdown()
  }

  @Test("the defaults and the short test timings are valid")
  func validTimings() throws {
    try LeaderElectionConfiguration(leaseName: "l", identity: "a").validate()
    try configuration("a").validate()
  }
}
