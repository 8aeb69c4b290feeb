import FakeKube
import KubeModel
import Synchronization
import TestSupport
import Testing

@testable import Kube

/// `initStart`, `initApply a`, `apply a`, …: watcher events as the tests compare them.
func describe(_ event: WatcherEvent<ConfigMap>?) -> String {
  switch event {
  case nil: "end"
  case .initStart: "initStart"
  case .initApply(let object): "initApply \(object.name)"
  case .initDone: "initDone"
  case .apply(let object): "apply \(object.name)"
  case .delete(let object): "delete \(object.name)"
  }
}

/// Collects the events of a watcher that runs in a child task, for tests that act while it runs.
final class EventCollector: Sendable {
  private let events = Mutex<[WatcherEvent<ConfigMap>]>([])

  func append(_ event: WatcherEvent<ConfigMap>) { events.withLock { $0.append(event) } }

  var all: [WatcherEvent<ConfigMap>] { events.withLock { $0 } }
  var seen: [String] { all.map(describe) }

  /// Waits until an event with this description has arrived.
  func waitFor(_ description: String, count: Int = 1) async throws {
    try await eventually("the watcher to report \(description)") {
      self.seen.filter { $0 == description }.count >= count
    }
  }
}

/// Runs the watcher in a child task while `body` runs, then cancels it and waits for its
/// iteration to end, which it must do promptly (the test's time limit catches one that hangs).
func collecting(
  _ watcher: Watcher<ConfigMap>, _ body: (EventCollector) async throws -> Void
) async throws {
  let collector = EventCollector()
  try await withThrowingTaskGroup(of: Void.self) { group in
    group.addTask {
      for await event in watcher { collector.append(event) }
    }
    do {
      try await body(collector)
    } catch {
      group.cancelAll()
      throw error
    }
    group.cancelAll()
  }
}

/// The watcher against FakeKube: lists, watches, resumes, relists and retries as a controller
/// needs, with faults injected on demand. Backoff is kept short so that retries are quick.
@Suite("Watcher against FakeKube", .timeLimit(.minutes(1)))
struct WatcherTests {
  static let fast = Backoff(initial: .milliseconds(20), maximum: .milliseconds(200), resetAfter: .seconds(60))

  func configuration(
    labelSelector: String? = nil, fieldSelector: String? = nil, pageSize: Int = 500,
    watchTimeout: Duration = .seconds(30), bookmarks: Bool = true
  ) -> WatcherConfiguration {
    WatcherConfiguration(
      labelSelector: labelSelector, fieldSelector: fieldSelector, pageSize: pageSize, watchTimeout: watchTimeout,
      bookmarks: bookmarks, backoff: Self.fast)
  }

  func map(_ name: String, labels: [String: String]? = nil, data: [String: String] = ["k": "v"]) -> ConfigMap {
    ConfigMap(metadata: ObjectMeta(name: name, labels: labels), data: data)
  }

  /// The next `count` events, described.
  func next(_ count: Int, _ events: inout Watcher<ConfigMap>.Iterator) async -> [String] {
    var seen: [String] = []
    for _ in 0..<count { seen.append(describe(await events.next())) }
    return seen
  }

  @Test("the initial list, then live changes in order")
  func listThenChanges() async throws {
    try await withFakeKubeServer { fake in
      let client = try fake.client()
      _ = try await client.create(map("a"))
      _ = try await client.create(map("b"))
      _ = try await client.create(map("elsewhere"), namespace: "kube-system")
      var events = Watcher(client: client, type: ConfigMap.self, configuration: configuration()).makeAsyncIterator()
      #expect(await next(4, &events) == ["initStart", "initApply a", "initApply b", "initDone"])

      _ = try await client.create(map("c"))
      _ = try await client.patch(ConfigMap.self, name: "a", .merge(["data": ["k": "changed"]]))
      _ = try await client.delete(ConfigMap.self, name: "b")
      _ = try await client.create(map("ignored"), namespace: "kube-system")
      let c = await events.next()
      let a = await events.next()
      let b = await events.next()
      #expect([c, a, b].map(describe) == ["apply c", "apply a", "delete b"])
      guard case .apply(let changed) = a, case .delete(let deleted) = b else { return }
      #expect(changed.data == ["k": "changed"])
      #expect(deleted.metadata.uid?.isEmpty == false)
    }
  }

  @Test("every namespace, through a descriptor, as unstructured objects")
  func allNamespacesUnstructured() async throws {
    try await withFakeKubeServer { fake in
      let client = try fake.client()
      _ = try await client.create(map("here"))
      _ = try await client.create(map("there"), namespace: "kube-system")
      var events = Watcher(
        client: client, resource: ConfigMap.resource, as: JSONValue.self, namespace: KubeClient.allNamespaces,
        configuration: configuration()
      ).makeAsyncIterator()
      guard case .initStart? = await events.next() else {
        Issue.record("expected initStart first")
        return
      }
      var names: [String] = []
      while case .initApply(let object)? = await events.next() { names.append(NamespacedName(of: object).description) }
      #expect(names == ["default/here", "kube-system/there"])
      _ = try await client.create(map("later"), namespace: "kube-public")
      guard case .apply(let later)? = await events.next() else {
        Issue.record("expected an apply")
        return
      }
      #expect(later.objectNamespace == "kube-public")
      #expect(later[path: ["kind"]] == "ConfigMap")
    }
  }

  @Test("label and field selectors narrow the list and the watch")
  func selectors() async throws {
    try await withFakeKubeServer { fake in
      let client = try fake.client()
      _ = try await client.create(map("web-1", labels: ["app": "web"]))
      _ = try await client.create(map("db-1", labels: ["app": "db"]))
      var web = Watcher(client: client, type: ConfigMap.self, configuration: configuration(labelSelector: "app=web"))
        .makeAsyncIterator()
      #expect(await next(3, &web) == ["initStart", "initApply web-1", "initDone"])
      _ = try await client.create(map("db-2", labels: ["app": "db"]))
      _ = try await client.create(map("web-2", labels: ["app": "web"]))
      // Leaving the selection is a delete for this watcher; entering it an apply.
      _ = try await client.patch(ConfigMap.self, name: "web-1", .merge(["metadata": ["labels": ["app": "db"]]]))
      _ = try await client.patch(ConfigMap.self, name: "db-1", .merge(["metadata": ["labels": ["app": "web"]]]))
      #expect(await next(3, &web) == ["apply web-2", "delete web-1", "apply db-1"])

      var named = Watcher(
        client: client, type: ConfigMap.self, configuration: configuration(fieldSelector: "metadata.name=db-2")
      ).makeAsyncIterator()
      #expect(await next(3, &named) == ["initStart", "initApply db-2", "initDone"])
      _ = try await client.create(map("db-3", labels: ["app": "db"]))
      _ = try await client.delete(ConfigMap.self, name: "db-2")
      #expect(await next(1, &named) == ["delete db-2"])
    }
  }

  @Test("a list in small pages hands out every object once, in order")
  func pagination() async throws {
    let requests = LogRecorder()
    try await withFakeKubeServer { fake in
      let client = try fake.client(logger: requests.logger())
      for index in 0..<10 { _ = try await client.create(map("map-\(index)")) }
      var events = Watcher(client: client, type: ConfigMap.self, configuration: configuration(pageSize: 3))
        .makeAsyncIterator()
      let listed = await next(12, &events)
      #expect(listed == ["initStart"] + (0..<10).map { "initApply map-\($0)" } + ["initDone"])
      let lists = requests.values("k8s.request", of: "Kubernetes API request").filter {
        $0 == "GET /api/v1/namespaces/default/configmaps"
      }
      // Four pages of at most three (no watch has started yet).
      #expect(lists.count == 4)
    }
  }

  @Test(
    "bookmarks advance the resume point past changes the watcher does not select",
    arguments: [true, false])
  func bookmarksAdvanceTheResumePoint(bookmarks: Bool) async throws {
    let log = LogRecorder()
    let faults = FaultInjection(seed: 1)
    try await withFakeKubeServer(faults: faults, historyLimit: 4, bookmarkInterval: .milliseconds(100)) { fake in
      let client = try fake.client()
      let watcher = Watcher(
        client: client, type: ConfigMap.self,
        configuration: configuration(labelSelector: "app=watched", bookmarks: bookmarks), logger: log.logger())
      try await collecting(watcher) { events in
        try await events.waitFor("initDone")
        try await eventually("the first watch to start") { log.entries("watch started").count == 1 }
        let listedAt = try #require(log.values("k8s.resource_version", of: "listed").first)
        // More unselected changes than the server's history holds: the list's version expires.
        for index in 0..<6 { _ = try await client.create(map("noise-\(index)")) }
        let current = fake.store.currentResourceVersion
        if bookmarks {
          try await eventually("a bookmark at or past \(current)") {
            log.values("k8s.resource_version", of: "bookmark").contains { (Int64($0) ?? 0) >= current }
          }
        }
        #expect(faults.cutWatches() == 1)
        // Without bookmarks, the next watch fails (its version expired) and a relist and a third
        // watch follow: wait for all of it, so that the change below is a live one either way.
        if bookmarks {
          try await eventually("the next watch to start") { log.entries("watch started").count >= 2 }
        } else {
          try await events.waitFor("initDone", count: 2)
          try await eventually("the watch after the relist to start") { log.entries("watch started").count >= 3 }
        }
        let resumedAt = try #require(log.values("k8s.resource_version", of: "watch started").dropFirst().first)
        _ = try await client.create(map("seen", labels: ["app": "watched"]))
        try await events.waitFor("apply seen")
        if bookmarks {
          #expect((Int64(resumedAt) ?? 0) >= current)
          #expect(events.seen == ["initStart", "initDone", "apply seen"])
          #expect(log.entries("listed").count == 1)
        } else {
          // Without bookmarks the watch resumes from the list's version, which has expired.
          #expect(resumedAt == listedAt)
          #expect(events.seen == ["initStart", "initDone", "initStart", "initDone", "apply seen"])
        }
      }
    }
  }

  @Test(
    "a cut watch resumes from the last resourceVersion without a relist, missing and repeating nothing",
    arguments: ["faults", "store"])
  func cutWatchResumes(cutBy: String) async throws {
    let log = LogRecorder()
    let faults = FaultInjection(seed: 2)
    try await withFakeKubeServer(faults: faults) { fake in
      let client = try fake.client()
      _ = try await client.create(map("a"))
      var events = Watcher(client: client, type: ConfigMap.self, configuration: configuration(), logger: log.logger())
        .makeAsyncIterator()
      #expect(await next(3, &events) == ["initStart", "initApply a", "initDone"])
      let b = try await client.create(map("b"))
      #expect(await next(1, &events) == ["apply b"])
      // Cut while nobody pulls, then change things: the watcher learns of the cut only when it
      // reads on, and must pick up every change made meanwhile, once.
      let cut = cutBy == "faults" ? faults.cutWatches() : fake.store.cutWatches()
      #expect(cut == 1)
      _ = try await client.create(map("c"))
      _ = try await client.patch(ConfigMap.self, name: "a", .merge(["data": ["k": "new"]]))
      _ = try await client.delete(ConfigMap.self, name: "b")
      #expect(await next(3, &events) == ["apply c", "apply a", "delete b"])
      _ = try await client.create(map("d"))
      #expect(await next(1, &events) == ["apply d"])
      #expect(log.entries("listed").count == 1)
      let starts = log.values("k8s.resource_version", of: "watch started")
      #expect(starts.count == 2)
      #expect(starts.last == b.metadata.resourceVersion)
    }
  }

  @Test(
    "a forced 410 leads to a relist; the cache drops what was deleted meanwhile and has what was added",
    arguments: [FaultInjection.ExpiredAnswer.errorEvent, .httpGone])
  func goneRelists(answer: FaultInjection.ExpiredAnswer) async throws {
    let faults = FaultInjection(seed: 3)
    try await withFakeKubeServer(faults: faults) { fake in
      let client = try fake.client()
      _ = try await client.create(map("a"))
      _ = try await client.create(map("b"))
      let cache = Reflector<ConfigMap>()
      var events = Watcher(client: client, type: ConfigMap.self, configuration: configuration())
        .reflect(into: cache).makeAsyncIterator()
      var seen: [String] = []
      for _ in 0..<4 { seen.append(describe(await events.next(isolation: #isolation))) }
      #expect(seen == ["initStart", "initApply a", "initApply b", "initDone"])
      #expect(cache.objects.map(\.name) == ["a", "b"])

      // While no watch is open: a goes, c comes, and the next watch is told its version expired.
      _ = try await client.delete(ConfigMap.self, name: "a")
      _ = try await client.create(map("c"))
      faults.expireNextWatches(1, answer: answer)
      seen = []
      for _ in 0..<3 { seen.append(describe(await events.next(isolation: #isolation))) }
      #expect(seen == ["initStart", "initApply b", "initApply c"])
      // Until the relist is complete, the cache still shows the old list.
      #expect(cache.objects.map(\.name) == ["a", "b"])
      #expect(describe(await events.next(isolation: #isolation)) == "initDone")
      #expect(cache.objects.map(\.name) == ["b", "c"])
      #expect(faults.injected.expiredWatches == 1)

      _ = try await client.create(map("d"))
      #expect(describe(await events.next(isolation: #isolation)) == "apply d")
      #expect(cache.objects.map(\.name) == ["b", "c", "d"])
    }
  }

  @Test("a 410 again right after a relist backs off before listing once more")
  func repeatedGoneBacksOff() async throws {
    let log = LogRecorder()
    let faults = FaultInjection(seed: 4)
    try await withFakeKubeServer(faults: faults) { fake in
      let client = try fake.client()
      faults.expireNextWatches(3, answer: .httpGone)
      let watcher = Watcher(client: client, type: ConfigMap.self, configuration: configuration(), logger: log.logger())
      try await collecting(watcher) { events in
        try await events.waitFor("initDone", count: 4)
        _ = try await client.create(map("after"))
        try await events.waitFor("apply after")
        #expect(faults.injected.expiredWatches == 3)
        // The first 410 relists at once; the two that follow it without progress wait first.
        #expect(log.values("k8s.step", of: "watcher failed; retrying") == ["starting a watch", "starting a watch"])
        #expect(log.entries("resourceVersion expired; listing again").count == 3)
      }
    }
  }

  @Test("500s and 429s on list and watch are retried with backoff until the faults stop")
  func retriesServerErrorsAndThrottling() async throws {
    let log = LogRecorder()
    let faults = FaultInjection(seed: 5)
    try await withFakeKubeServer(faults: faults) { fake in
      let client = try fake.client()
      _ = try await client.create(map("a"))
      faults.errorRate = 1
      let watcher = Watcher(client: client, type: ConfigMap.self, configuration: configuration(), logger: log.logger())
      try await collecting(watcher) { events in
        try await eventually("three failed lists") {
          log.values("k8s.step", of: "watcher failed; retrying").filter { $0 == "listing" }.count >= 3
        }
        #expect(events.seen.isEmpty)
        faults.errorRate = 0
        try await events.waitFor("initDone")
        #expect(events.seen == ["initStart", "initApply a", "initDone"])
        try await eventually("the watch to open") { faults.openWatchCount == 1 }

        // Throttled watches: 429 with Retry-After (1 s, held to the backoff's 200 ms maximum).
        faults.throttleRate = 1
        faults.cutWatches()
        let throttledStarts: @Sendable () -> [LogRecorder.Entry] = {
          log.entries("watcher failed; retrying").filter {
            $0.metadata["k8s.step"] == "starting a watch" && $0.metadata["k8s.error"]?.contains("HTTP 429") == true
          }
        }
        try await eventually("two throttled watch starts") { throttledStarts().count >= 2 }
        faults.throttleRate = 0
        let throttled = throttledStarts()
        // Retry-After (1 s) is longer than the backoff delay, so the wait is the most the backoff allows.
        #expect(throttled.allSatisfy { $0.metadata["k8s.retry_in"] == "\(Duration.milliseconds(200))" })
        _ = try await client.create(map("b"))
        try await events.waitFor("apply b")
        // Failed watch starts resume where they were: no relist.
        #expect(events.seen == ["initStart", "initApply a", "initDone", "apply b"])
        // Attempts grew while failing.
        let attempts = log.values("k8s.attempt", of: "watcher failed; retrying").compactMap { Int($0) }
        #expect(attempts.prefix(3) == [1, 2, 3])
      }
    }
  }

  @Test("a watch's connection is announced as closing, so the request after it gets a fresh one")
  func aWatchConnectionIsNotReused() async throws {
    try await withFakeKubeServer { fake in
      let client = try fake.client()
      let watch = try await client.send(
        KubeRequest(
          method: "GET", path: "/api/v1/namespaces/default/configmaps",
          query: [("watch", "true"), ("timeoutSeconds", "1")]))
      #expect(watch.statusCode == 200)
      // The server closes a watch's connection when the watch ends (that is how it notices a
      // client leaving early); without this header a pooled connection fails the next request.
      #expect(watch.header("connection")?.lowercased() == "close")
      for name in ["a", "b", "c"] { _ = try await client.create(map(name)) }
      #expect(try await client.list(ConfigMap.self).items.count == 3)
    }
  }

  @Test("a short watchTimeout restarts watches from where they were, losing nothing")
  func shortWatchTimeout() async throws {
    let log = LogRecorder()
    try await withFakeKubeServer { fake in
      let client = try fake.client()
      var events = Watcher(
        client: client, type: ConfigMap.self, configuration: configuration(watchTimeout: .seconds(1), bookmarks: false),
        logger: log.logger()
      ).makeAsyncIterator()
      #expect(await next(2, &events) == ["initStart", "initDone"])
      let a = try await client.create(map("a"))
      #expect(await next(1, &events) == ["apply a"])
      // The server ends the watch after its one second; changes made before the watcher reads
      // on come with the next watch.
      try await eventually("the server to end the watch") { fake.store.openWatchCount == 0 }
      _ = try await client.create(map("b"))
      _ = try await client.delete(ConfigMap.self, name: "a")
      #expect(await next(2, &events) == ["apply b", "delete a"])
      let starts = log.values("k8s.resource_version", of: "watch started")
      #expect(starts.count == 2)
      #expect(starts.last == a.metadata.resourceVersion)
      #expect(log.entries("listed").count == 1)
      #expect(log.entries("watch ended early without events; retrying").isEmpty)
    }
  }

  @Test("a watch the server ends at once without events is retried after a growing delay")
  func emptyWatchesBackOff() async throws {
    let log = LogRecorder()
    let faults = FaultInjection(seed: 6)
    try await withFakeKubeServer(faults: faults) { fake in
      let client = try fake.client()
      faults.watchDurationLimit = .zero
      let watcher = Watcher(
        client: client, type: ConfigMap.self, configuration: configuration(bookmarks: false), logger: log.logger())
      try await collecting(watcher) { events in
        try await eventually("three empty watches") {
          log.entries("watch ended early without events; retrying").count >= 3
        }
        let attempts = log.values("k8s.attempt", of: "watch ended early without events; retrying").compactMap {
          Int($0)
        }
        #expect(attempts.prefix(3) == [1, 2, 3])
        faults.watchDurationLimit = nil
        _ = try await client.create(map("late"))
        try await events.waitFor("apply late")
        #expect(events.seen == ["initStart", "initDone", "apply late"])
      }
    }
  }

  @Test("cancelling the task ends the iteration, while watching and while backing off")
  func cancellation() async throws {
    let log = LogRecorder()
    let faults = FaultInjection(seed: 7)
    try await withFakeKubeServer(faults: faults) { fake in
      let client = try fake.client()
      let watching = Task {
        var count = 0
        for await _ in Watcher(client: client, type: ConfigMap.self, configuration: configuration()) { count += 1 }
        return count
      }
      try await eventually("the watch to open") { faults.openWatchCount == 1 }
      watching.cancel()
      #expect(try await within(.seconds(20), "the watcher to end") { await watching.value } == 2)

      faults.errorRate = 1
      var patient = configuration()
      patient.backoff = Backoff(initial: .seconds(3600), maximum: .seconds(3600))
      let backingOff = Task {
        var count = 0
        for await _ in Watcher(client: client, type: ConfigMap.self, configuration: patient, logger: log.logger()) {
          count += 1
        }
        return count
      }
      try await eventually("the first failure") { !log.entries("watcher failed; retrying").isEmpty }
      backingOff.cancel()
      // An hour's backoff is cut short.
      #expect(try await within(.seconds(20), "the watcher to end") { await backingOff.value } == 0)

      // A cancelled task gets nothing at all.
      let cancelled = Task {
        withUnsafeCurrentTask { $0?.cancel() }
        var events = Watcher(client: client, type: ConfigMap.self).makeAsyncIterator()
        return await events.next() == nil
      }
      #expect(await cancelled.value)
    }
  }
}
