import Foundation
import KubeModel
import TestSupport
import Testing

@testable import FakeKube

/// Injected faults, seen by curl and the real kubectl, switched on and off while the server runs.
@Suite("Fault injection", .serialized)
struct FaultInjectionTests {
  static let configMaps = "/api/v1/namespaces/default/configmaps"

  func lines(_ text: String) throws -> [JSONValue] {
    try text.split(separator: "\n").map { try JSONValue(parsing: Array($0.utf8)) }
  }

  @Test func anErrorRateOfOneAnswers500WithAnInternalErrorStatusUntilTurnedOff() async throws {
    let faults = FaultInjection(seed: 1)
    try await withFakeKube(faults: faults) { kubectl, _ in
      faults.errorRate = 1
      let failed = try await kubectl.curl("/api/v1/namespaces")
      #expect(failed.status == 500)
      #expect(failed.json?["kind"] == "Status")
      #expect(failed.json?["reason"] == "InternalError")
      #expect(failed.json?["code"] == 500)
      #expect(faults.injected.internalErrors == 1)
      #expect(try await kubectl.curl("/healthz").status == 200)
      let result = try await kubectl.run("get", "--raw", "/api/v1/namespaces")
      #expect(result.status != 0)
      #expect(result.stderr.contains("Internal error occurred"), "stderr: \(result.stderr)")

      faults.errorRate = 0
      let recovered = try await kubectl.curl("/api/v1/namespaces")
      #expect(recovered.status == 200)
    }
  }

  @Test func errorsScopedToNonWatchRequestsLeaveWatchesAlone() async throws {
    let faults = FaultInjection(seed: 2)
    try await withFakeKube(faults: faults) { kubectl, _ in
      faults.errorRate = 1
      faults.scope = .nonWatch
      let watch = try await kubectl.curl(Self.configMaps + "?watch=1&timeoutSeconds=1")
      #expect(watch.status == 200)
      #expect(try await kubectl.curl(Self.configMaps).status == 500)
    }
  }

  @Test func throttlingAnswers429WithRetryAfterAndATooManyRequestsStatus() async throws {
    let faults = FaultInjection(seed: 3)
    try await withFakeKube(faults: faults) { kubectl, _ in
      faults.throttleRate = 1
      faults.retryAfterSeconds = 3
      let throttled = try await kubectl.curl(Self.configMaps)
      #expect(throttled.status == 429)
      #expect(throttled.headers["retry-after"] == "3")
      #expect(throttled.json?["reason"] == "TooManyRequests")
      #expect(throttled.json?["code"] == 429)
      #expect(throttled.json?[path: ["details", "retryAfterSeconds"]] == 3)
      faults.reset()
      #expect(try await kubectl.curl(Self.configMaps).status == 200)
    }
  }

  @Test func latencyDelaysARequestByAtLeastTheConfiguredAmount() async throws {
    let faults = FaultInjection(seed: 4)
    try await withFakeKube(faults: faults) { kubectl, _ in
      faults.latency = .milliseconds(400) ... .milliseconds(400)
      let start = ContinuousClock.now
      let answer = try await kubectl.curl("/version")
      #expect(ContinuousClock.now - start >= .milliseconds(400))
      #expect(answer.status == 200)
      #expect(faults.injected.delayed == 1)
    }
  }

  @Test func authenticationComesBeforeFaults() async throws {
    let faults = FaultInjection(seed: 5)
    try await withFakeKube(token: "secret", faults: faults) { kubectl, _ in
      faults.errorRate = 1
      let anonymous = try await kubectl.curl("/version", authorized: false)
      #expect(anonymous.status == 401)
      let authorized = try await kubectl.curl("/version")
      #expect(authorized.status == 500)
    }
  }

  @Test func cuttingWatchesEndsAnOpenKubectlGetWatchAndLaterWatchesWork() async throws {
    let faults = FaultInjection(seed: 6)
    try await withFakeKube(faults: faults) { kubectl, _ in
      try await kubectl.succeed("create", "configmap", "watched", "--from-literal=a=b")
      let watch = try kubectl.start(["get", "configmaps", "-w"])
      defer { watch.stop() }
      try await waitUntil(timeout: .seconds(20), "kubectl to open its watch") {
        faults.openWatchCount == 1 || !watch.isRunning
      }
      #expect(watch.isRunning)
      #expect(faults.cutWatches() == 1)
      _ = try await watch.waitForExit(timeout: .seconds(20))
      #expect(watch.stdout.contains("watched"))
      #expect(faults.injected.cutWatches == 1)

      let later = try await kubectl.succeed("get", "--raw", Self.configMaps + "?watch=1&timeoutSeconds=1")
      #expect(try lines(later).map { $0["type"] } == ["ADDED"])
    }
  }

  @Test func cuttingWatchesEndsARawWatchBodyCleanly() async throws {
    let faults = FaultInjection(seed: 7)
    try await withFakeKube(faults: faults) { kubectl, store in
      let watch = try kubectl.startCurl(Self.configMaps + "?watch=1&resourceVersion=\(store.currentResourceVersion)")
      defer { watch.stop() }
      try await waitUntil(timeout: .seconds(20), "the watch to open") { faults.openWatchCount == 1 }
      try await kubectl.succeed("create", "configmap", "seen", "--from-literal=a=b")
      try await waitUntil(timeout: .seconds(20), "the watch to see the configmap") { watch.stdout.contains("seen") }
      faults.cutWatches()
      // curl exits 0 only when the chunked body ended properly.
      #expect(try await watch.waitForExit(timeout: .seconds(20)) == 0)
      #expect(try lines(watch.stdout).map { $0["type"] } == ["ADDED"])
      try await waitUntil(timeout: .seconds(20), "the store to drop the watch") { store.openWatchCount == 0 }
    }
  }

  @Test func theStoreCanCutItsWatchesWithoutClosingToNewOnes() async throws {
    try await withFakeKube { kubectl, store in
      let watch = try kubectl.startCurl(Self.configMaps + "?watch=1")
      defer { watch.stop() }
      try await waitUntil(timeout: .seconds(20), "the watch to open") { store.openWatchCount == 1 }
      #expect(store.cutWatches() == 1)
      #expect(try await watch.waitForExit(timeout: .seconds(20)) == 0)
      try await kubectl.succeed("create", "configmap", "after", "--from-literal=a=b")
      let later = try await kubectl.succeed("get", "--raw", Self.configMaps + "?watch=1&timeoutSeconds=1")
      #expect(try lines(later).map { $0["type"] } == ["ADDED"])
    }
  }

  @Test func aWatchEndsAfterItsEventLimit() async throws {
    let faults = FaultInjection(seed: 8)
    try await withFakeKube(faults: faults) { kubectl, _ in
      for name in ["a", "b", "c"] { try await kubectl.succeed("create", "configmap", name) }
      faults.watchEventLimit = 2
      let output = try await kubectl.succeed("get", "--raw", Self.configMaps + "?watch=1")
      let events = try lines(output)
      #expect(events.map { $0["type"] } == ["ADDED", "ADDED"])
      #expect(events.map { $0[path: ["object", "metadata", "name"]] } == ["a", "b"])
      #expect(faults.injected.cutWatches == 1)
    }
  }

  @Test func aWatchEndsAfterItsDurationLimit() async throws {
    let faults = FaultInjection(seed: 9)
    try await withFakeKube(faults: faults) { kubectl, _ in
      faults.watchDurationLimit = .milliseconds(300)
      let watch = try kubectl.startCurl(Self.configMaps + "?watch=1&timeoutSeconds=600")
      defer { watch.stop() }
      #expect(try await watch.waitForExit(timeout: .seconds(20)) == 0)
      #expect(faults.injected.cutWatches == 1)
      #expect(faults.openWatchCount == 0)
    }
  }

  @Test func aForcedExpiryGivesTheNextWatchAnErrorEventWith410() async throws {
    let faults = FaultInjection(seed: 10)
    try await withFakeKube(faults: faults) { kubectl, store in
      let now = store.currentResourceVersion
      faults.expireNextWatches(1)
      let output = try await kubectl.succeed(
        "get", "--raw", Self.configMaps + "?watch=1&resourceVersion=\(now)&timeoutSeconds=5")
      let events = try lines(output)
      #expect(events.count == 1)
      #expect(events.first?["type"] == "ERROR")
      #expect(events.first?[path: ["object", "kind"]] == "Status")
      #expect(events.first?[path: ["object", "code"]] == 410)
      #expect(events.first?[path: ["object", "reason"]] == "Expired")

      let next = try await kubectl.succeed(
        "get", "--raw", Self.configMaps + "?watch=1&resourceVersion=\(now)&timeoutSeconds=1")
      #expect(try lines(next).allSatisfy { $0["type"] != "ERROR" })
      #expect(faults.injected.expiredWatches == 1)
    }
  }

  @Test func aForcedExpiryCanAnswerWatchesAndListsWithHTTP410() async throws {
    let faults = FaultInjection(seed: 11)
    try await withFakeKube(faults: faults) { kubectl, _ in
      faults.expireNextWatches(1, answer: .httpGone)
      let watch = try await kubectl.curl(Self.configMaps + "?watch=1&resourceVersion=1")
      #expect(watch.status == 410)
      #expect(watch.json?["reason"] == "Expired")

      faults.expireNextLists(1)
      #expect(try await kubectl.curl(Self.configMaps + "?resourceVersion=0").status == 200)
      #expect(try await kubectl.curl("/api/v1/namespaces/default?resourceVersion=3").status == 200)
      let list = try await kubectl.curl(Self.configMaps + "?resourceVersion=3")
      #expect(list.status == 410)
      #expect(list.json?["code"] == 410)
      #expect(try await kubectl.curl(Self.configMaps + "?resourceVersion=3").status == 200)
    }
  }

  @Test func theSameSeedGivesTheSameFaults() {
    func outcomes(_ faults: FaultInjection) -> [FaultInjection.Plan.Outcome] {
      (0..<200).map { _ in faults.plan(isWatch: false, isListAtResourceVersion: false).outcome }
    }
    let first = FaultInjection(seed: 42)
    let second = FaultInjection(seed: 42)
    for faults in [first, second] {
      faults.errorRate = 0.3
      faults.throttleRate = 0.3
    }
    let sequence = outcomes(first)
    #expect(sequence == outcomes(second))
    #expect(sequence.contains(.internalError))
    #expect(sequence.contains(.throttled(retryAfterSeconds: 1)))
    #expect(sequence.contains(.proceed))
    first.reseed(42)
    #expect(outcomes(first) == sequence)
  }

  @Test(arguments: [
    ("/api/v1/configmaps", true), ("/api/v1/namespaces", true), ("/api/v1/namespaces/default", false),
    ("/api/v1/namespaces/default/pods", true), ("/api/v1/namespaces/default/pods/web", false),
    ("/apis/apps/v1/namespaces/default/deployments", true), ("/apis/apps/v1", false), ("/version", false),
  ])
  func collectionsAreToldFromObjectsByTheirPath(path: String, isCollection: Bool) {
    #expect(APIPath.isCollection(path) == isCollection)
  }
}
