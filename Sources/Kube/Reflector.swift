import KubeModel
import Synchronization

/// A read-only cache of one collection, kept current by a watcher's events.
///
/// A list (`initStart` … `initDone`) is gathered aside and swapped in whole at `initDone`, so
/// readers never see half a list, and objects deleted while the watcher was away (whose `DELETED`
/// event it missed) drop out with the swap. Reads are cheap and safe from any task.
///
/// ```swift
/// let pods = Reflector<Pod>()
/// Task { for await event in Watcher(client: client, type: Pod.self) { pods.apply(event) } }
/// await pods.waitUntilReady()
/// let web = pods.get(NamespacedName(namespace: "shop", name: "web"))
/// ```
public final class Reflector<Object: KubeObject>: Sendable {
  struct State {
    var objects: [NamespacedName: Object] = [:]
    /// The list being gathered, between `initStart` and `initDone`.
    var pending: [NamespacedName: Object]?
    var ready = false
    var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    var nextWaiter: UInt64 = 0
  }

  private let state = Mutex(State())

  public init() {}

  /// Applies one watcher event.
  public func apply(_ event: WatcherEvent<Object>) {
    let woken: [CheckedContinuation<Void, Never>] = state.withLock { state in
      switch event {
      case .initStart:
        state.pending = [:]
      case .initApply(let object):
        state.pending?[NamespacedName(of: object)] = object
      case .initDone:
        state.objects = state.pending ?? [:]
        state.pending = nil
        state.ready = true
        let waiters = Array(state.waiters.values)
        state.waiters = [:]
        return waiters
      case .apply(let object):
        state.objects[NamespacedName(of: object)] = object
      case .delete(let object):
        let reference = NamespacedName(of: object)
        // A delete of an older incarnation (another uid) must not remove its successor.
        if let uid = object.objectUID, let cached = state.objects[reference]?.objectUID, cached != uid { break }
        state.objects[reference] = nil
      }
      return []
    }
    for waiter in woken { waiter.resume() }
  }

  /// Whether a whole list has arrived: before, the cache is empty and answers nothing reliably.
  public var isReady: Bool { state.withLock { $0.ready } }

  /// Returns once a whole list has arrived, or when the task is cancelled.
  public func waitUntilReady() async {
    let id = state.withLock { state in
      state.nextWaiter += 1
      return state.nextWaiter
    }
    await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let resumeNow = state.withLock { state in
          if state.ready || Task.isCancelled { return true }
          state.waiters[id] = continuation
          return false
        }
        if resumeNow { continuation.resume() }
      }
    } onCancel: {
      state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
    }
  }

  public func get(_ reference: NamespacedName) -> Object? {
    state.withLock { $0.objects[reference] }
  }

  public func get(name: String, namespace: String = "") -> Object? {
    get(NamespacedName(namespace: namespace, name: name))
  }

  /// Every cached object, ordered by namespace and name.
  public var objects: [Object] {
    state.withLock { state in state.objects.sorted { $0.key < $1.key }.map(\.value) }
  }

  public var count: Int { state.withLock { $0.objects.count } }
}

extension Watcher {
  /// The watcher's events, each applied to `cache` before it is handed on.
  public func reflect(into cache: Reflector<Object>) -> some AsyncSequence<WatcherEvent<Object>, Never> {
    map { event in
      cache.apply(event)
      return event
    }
  }
}
