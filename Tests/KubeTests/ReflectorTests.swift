import KubeModel
import Synchronization
import Testing

@testable import Kube

/// The cache, fed events by hand.
@Suite("Reflector")
struct ReflectorTests {
  func map(_ name: String, namespace: String = "default", uid: String? = nil, value: String = "1") -> ConfigMap {
    ConfigMap(metadata: ObjectMeta(name: name, namespace: namespace, uid: uid ?? "uid-\(name)"), data: ["v": value])
  }

  func names(_ cache: Reflector<ConfigMap>) -> [String] { cache.objects.map { NamespacedName(of: $0).description } }

  @Test("a list is gathered aside and swapped in whole at initDone")
  func swapAtInitDone() {
    let cache = Reflector<ConfigMap>()
    #expect(!cache.isReady)
    cache.apply(.initStart)
    cache.apply(.initApply(map("b")))
    cache.apply(.initApply(map("a", namespace: "shop")))
    // Half a list is never visible.
    #expect(cache.count == 0)
    #expect(!cache.isReady)
    cache.apply(.initDone)
    #expect(cache.isReady)
    #expect(names(cache) == ["default/b", "shop/a"])
    #expect(cache.get(name: "a", namespace: "shop")?.data == ["v": "1"])
    #expect(cache.get(NamespacedName(namespace: "default", name: "b")) != nil)

    // A relist: the old objects stay readable until the new list is complete; then the objects
    // missing from it (deleted while the watcher was away) are gone.
    cache.apply(.initStart)
    cache.apply(.initApply(map("b", value: "2")))
    cache.apply(.initApply(map("c")))
    #expect(names(cache) == ["default/b", "shop/a"])
    #expect(cache.get(name: "b", namespace: "default")?.data == ["v": "1"])
    cache.apply(.initDone)
    #expect(names(cache) == ["default/b", "default/c"])
    #expect(cache.get(name: "b", namespace: "default")?.data == ["v": "2"])
    #expect(cache.get(name: "a", namespace: "shop") == nil)
    #expect(cache.isReady)
  }

  @Test("apply adds and replaces; delete removes")
  func applyAndDelete() {
    let cache = Reflector<ConfigMap>()
    cache.apply(.initStart)
    cache.apply(.initDone)
    #expect(cache.isReady)
    #expect(cache.count == 0)
    cache.apply(.apply(map("a")))
    cache.apply(.apply(map("a", value: "2")))
    cache.apply(.apply(map("b")))
    #expect(cache.count == 2)
    #expect(cache.get(name: "a", namespace: "default")?.data == ["v": "2"])
    cache.apply(.delete(map("a")))
    #expect(names(cache) == ["default/b"])
    // A delete of something not cached changes nothing.
    cache.apply(.delete(map("zzz")))
    #expect(names(cache) == ["default/b"])
  }

  @Test("a delete of an older incarnation (another uid) does not remove its successor")
  func olderIncarnation() {
    let cache = Reflector<ConfigMap>()
    cache.apply(.initStart)
    cache.apply(.initDone)
    cache.apply(.apply(map("web", uid: "second")))
    cache.apply(.delete(map("web", uid: "first")))
    #expect(cache.get(name: "web", namespace: "default")?.metadata.uid == "second")
    cache.apply(.delete(map("web", uid: "second")))
    #expect(cache.get(name: "web", namespace: "default") == nil)
    // Without a uid to compare, the delete wins.
    cache.apply(.apply(map("web", uid: "third")))
    var anonymous = map("web")
    anonymous.metadata.uid = nil
    cache.apply(.delete(anonymous))
    #expect(cache.count == 0)
  }

  @Test("unstructured objects are cached by their metadata")
  func unstructured() {
    let cache = Reflector<JSONValue>()
    cache.apply(.initStart)
    cache.apply(.initApply(["metadata": ["name": "node-1", "uid": "u1"]]))
    cache.apply(.initDone)
    #expect(cache.get(name: "node-1")?[path: ["metadata", "uid"]] == "u1")
  }

  @Test("waitUntilReady returns once the first list is in, for every waiter")
  func waitUntilReady() async throws {
    let cache = Reflector<ConfigMap>()
    let woken = Counter()
    try await withThrowingTaskGroup(of: Void.self) { group in
      for _ in 0..<3 {
        group.addTask {
          await cache.waitUntilReady()
          #expect(cache.isReady)
          woken.add()
        }
      }
      cache.apply(.initStart)
      cache.apply(.initApply(map("a")))
      // Give the waiters a chance to (wrongly) return before the list is complete.
      for _ in 0..<10 { await Task.yield() }
      #expect(woken.value == 0)
      cache.apply(.initDone)
      try await group.waitForAll()
    }
    #expect(woken.value == 3)
    // Once ready, it returns at once.
    await cache.waitUntilReady()
  }

  @Test("waitUntilReady returns when its task is cancelled, and leaves other waiters waiting")
  func waitUntilReadyCancelled() async throws {
    let cache = Reflector<ConfigMap>()
    let waiting = Task { await cache.waitUntilReady() }
    let patient = Task {
      await cache.waitUntilReady()
      return cache.isReady
    }
    waiting.cancel()
    try await within(.seconds(20), "the cancelled wait to return") { await waiting.value }
    #expect(!cache.isReady)
    // Cancelled before it even started waiting.
    let early = Task {
      withUnsafeCurrentTask { $0?.cancel() }
      await cache.waitUntilReady()
    }
    try await within(.seconds(20), "the wait cancelled up front to return") { await early.value }
    cache.apply(.initStart)
    cache.apply(.initDone)
    #expect(try await within(.seconds(20), "the other waiter to return") { await patient.value })
  }
}

/// A count shared between tasks.
final class Counter: Sendable {
  private let count = Mutex(0)
  var value: Int { count.withLock { $0 } }
  func add() { count.withLock { $0 += 1 } }
}
