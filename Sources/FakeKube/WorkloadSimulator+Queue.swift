import Synchronization

/// One object to reconcile.
struct WorkKey: Hashable, Sendable, CustomStringConvertible {
  enum Kind: String, Sendable {
    case deployment = "Deployment"
    case replicaSet = "ReplicaSet"
    case daemonSet = "DaemonSet"
    case statefulSet = "StatefulSet"
    /// The scheduler's and kubelet's part: a Pod without a Node or not yet running.
    case pod = "Pod"
    /// The Endpoints controller's part: the Endpoints of a Service.
    case service = "Service"
  }

  var kind: Kind
  var namespace: String
  var name: String

  init(_ kind: Kind, _ namespace: String, _ name: String) {
    self.kind = kind
    self.namespace = namespace
    self.name = name
  }

  var description: String { "\(kind.rawValue) \(namespace)/\(name)" }
}

/// Keys waiting to be reconciled, each with the time it is due. A key is held once: a change to
/// an object already waiting does not postpone it, and many changes make one reconcile.
final class WorkQueue: Sendable {
  private struct State {
    var due: [WorkKey: ContinuousClock.Instant] = [:]
    /// Set when work arrived while nobody waited, so the next wait returns at once.
    var rung = false
    var waiter: CheckedContinuation<Void, Never>?
  }

  private let state = Mutex(State())

  func add(_ key: WorkKey, after delay: Duration) {
    let due = ContinuousClock.now + delay
    let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
      if let existing = state.due[key], existing <= due { return nil }
      state.due[key] = due
      guard let waiter = state.waiter else {
        state.rung = true
        return nil
      }
      state.waiter = nil
      return waiter
    }
    waiter?.resume()
  }

  /// Removes and returns the keys due by `now`, earliest first, and when the next one is due.
  func takeDue(at now: ContinuousClock.Instant) -> (due: [WorkKey], next: ContinuousClock.Instant?) {
    state.withLock { state in
      let ready = state.due.filter { $0.value <= now }.sorted { $0.value < $1.value }.map(\.key)
      for key in ready { state.due[key] = nil }
      return (ready, state.due.values.min())
    }
  }

  var isEmpty: Bool { state.withLock { $0.due.isEmpty } }

  /// Returns when work is added, when `deadline` (if any) passes, or when the task is cancelled.
  /// Only one task waits at a time: the simulator's worker.
  func waitForWork(until deadline: ContinuousClock.Instant?) async {
    guard let deadline else {
      await waitForWork()
      return
    }
    await withTaskGroup(of: Void.self) { group in
      group.addTask { await self.waitForWork() }
      group.addTask { try? await Task.sleep(until: deadline, clock: .continuous) }
      _ = await group.next()
      group.cancelAll()
    }
  }

  private func waitForWork() async {
    await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        // Checked under the lock the cancellation handler takes: either the handler finds the
        // waiter, or this sees the task already cancelled.
        let resumeNow = state.withLock { state -> Bool in
          if state.rung || Task.isCancelled {
            state.rung = false
            return true
          }
          state.waiter = continuation
          return false
        }
        if resumeNow { continuation.resume() }
      }
    } onCancel: {
      let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
        defer { state.waiter = nil }
        return state.waiter
      }
      waiter?.resume()
    }
  }
}
