import Foundation
import KubeModel
import Logging
import Synchronization

/// How a candidate takes and keeps a `coordination.k8s.io/v1` Lease.
public struct LeaderElectionConfiguration: Sendable {
  public var leaseName: String
  /// Nil for the client's namespace.
  public var namespace: String?
  /// This candidate's name in `holderIdentity`: unique per process (pod name plus a random part).
  public var identity: String
  /// How long others wait after the holder's last renewal before taking the lease.
  public var leaseDuration: Duration
  /// How long the leader keeps trying to renew before it gives up leading.
  public var renewDeadline: Duration
  /// How often candidates try to take the lease, and the leader renews it.
  public var retryPeriod: Duration

  public init(
    leaseName: String, namespace: String? = nil, identity: String, leaseDuration: Duration = .seconds(15),
    renewDeadline: Duration = .seconds(10), retryPeriod: Duration = .seconds(2)
  ) {
    self.leaseName = leaseName
    self.namespace = namespace
    self.identity = identity
    self.leaseDuration = leaseDuration
    self.renewDeadline = renewDeadline
    self.retryPeriod = retryPeriod
  }

  /// Refuses timings under which two leaders could overlap: the leader must give up
  /// (`renewDeadline`) before others may take over (`leaseDuration`), with a retry in between.
  public func validate() throws(LeaderElectionError) {
    guard !leaseName.isEmpty else { throw .invalidConfiguration("the lease name is empty") }
    guard !identity.isEmpty else { throw .invalidConfiguration("the candidate identity is empty") }
    guard retryPeriod > .zero else { throw .invalidConfiguration("the retry period must be positive") }
    guard renewDeadline > retryPeriod * 1.2 else {
      throw .invalidConfiguration("the renew deadline (\(renewDeadline)) must exceed 1.2 × the retry period")
    }
    guard leaseDuration > renewDeadline else {
      throw .invalidConfiguration("the lease duration (\(leaseDuration)) must exceed the renew deadline")
    }
    guard leaseDuration >= .seconds(1) else { throw .invalidConfiguration("the lease duration must be 1 s or more") }
  }
}

public enum LeaderElectionError: Error, Sendable, CustomStringConvertible {
  case invalidConfiguration(String)

  public var description: String {
    switch self {
    case .invalidConfiguration(let reason): "Leader election is misconfigured: \(reason)."
    }
  }
}

/// Leader election on a Lease, as client-go's leaderelection package does it: candidates try to
/// take the lease every `retryPeriod`; the holder renews it; a lease whose record has not changed
/// for its `leaseDurationSeconds` (timed on this process's clock from when this candidate last saw
/// it change, so clock skew between nodes does not matter) is free to take. Every write carries
/// the resourceVersion read, so when two candidates race, the API server accepts one and answers
/// the other 409 Conflict, which only means "not this time".
///
/// `lead(_:)` runs `work` only while this process holds the lease: it waits to acquire it, runs
/// `work`, cancels `work` when renewing has failed for `renewDeadline` (a renewal still under way
/// then is abandoned) or at once when the lease turns out to have another holder, and then stands
/// for election again. When the task running `lead` is cancelled (graceful shutdown), `work` is
/// cancelled and the lease released, so the next leader takes over at once instead of after
/// `leaseDuration`.
///
/// ```swift
/// let elector = try LeaderElector(
///   client: client, configuration: LeaderElectionConfiguration(leaseName: "sovren-operator", identity: podName))
/// try await elector.lead { try await reconciler.run() }
/// ```
public final class LeaderElector: Sendable {
  public let configuration: LeaderElectionConfiguration
  let client: KubeClient
  let logger: Logger
  private let state = Mutex(Observation())

  /// The lease record as last seen, and when (on this process's clock) it last changed.
  struct Observation {
    var spec: Lease.Spec?
    var changedAt: ContinuousClock.Instant?
    var leading = false
  }

  /// What one attempt to take or renew the lease found.
  enum Attempt: Equatable {
    /// The lease is ours, until `leaseDuration` after the attempt started.
    case acquired
    /// Another candidate holds the lease and it has not expired.
    case heldByOther(String)
    /// No answer, an error, or a race lost (409): nothing is known; try again later.
    case failed
  }

  public init(
    client: KubeClient, configuration: LeaderElectionConfiguration, logger: Logger? = nil
  )
    throws(LeaderElectionError)
  {
    try configuration.validate()
    self.client = client
    self.configuration = configuration
    var logger = logger ?? client.logger
    logger[metadataKey: "k8s.lease"] = "\(configuration.namespace ?? client.namespace)/\(configuration.leaseName)"
    logger[metadataKey: "leader.identity"] = "\(configuration.identity)"
    self.logger = logger
  }

  /// Whether this candidate leads now: its `work` runs.
  public var isLeader: Bool { state.withLock { $0.leading } }

  /// Runs `work` whenever, and only while, this candidate leads, and stands for election again
  /// after losing the lease; returns when the task is cancelled, after releasing the lease.
  /// When `work` returns or throws on its own, leadership ends too: the lease is released and
  /// `lead` returns, or rethrows the error. Call it from one task at a time.
  public func lead(_ work: @escaping @Sendable () async throws -> Void) async throws {
    defer { state.withLock { $0.leading = false } }
    while !Task.isCancelled {
      guard let acquiredAt = await acquire() else { break }
      state.withLock { $0.leading = true }
      logger.info("became the leader")
      let outcome = await runWhileRenewing(work, acquiredAt: acquiredAt)
      state.withLock { $0.leading = false }
      switch outcome {
      case .lost:
        if !Task.isCancelled { logger.warning("lost the lease; standing for election again") }
      case .finished(let error):
        await releaseDetached()
        if let error { throw error }
        return
      }
    }
    await releaseDetached()
  }

  enum Outcome {
    case lost
    /// `work` ended (nil) or failed, or the task was cancelled.
    case finished((any Error)?)
  }

  private func runWhileRenewing(
    _ work: @escaping @Sendable () async throws -> Void, acquiredAt: ContinuousClock.Instant
  ) async -> Outcome {
    await withTaskGroup(of: Outcome?.self) { group in
      group.addTask {
        do {
          try await work()
          return .finished(nil)
        } catch is CancellationError {
          return nil
        } catch {
          return .finished(error)
        }
      }
      group.addTask { await self.keepRenewing(from: acquiredAt) ? nil : .lost }
      // The first to end decides; the other is cancelled.
      var outcome: Outcome?
      for await result in group {
        if outcome == nil { outcome = result ?? .finished(nil) }
        group.cancelAll()
      }
      return outcome ?? .finished(nil)
    }
  }

  /// Tries every `retryPeriod` (plus up to a fifth, so that candidates started together drift
  /// apart) until the lease is ours, and returns when the successful attempt started; nil when
  /// cancelled first. An attempt still unanswered after `renewDeadline` is abandoned: a lease
  /// won that late could be about to expire for the others already.
  private func acquire() async -> ContinuousClock.Instant? {
    while !Task.isCancelled {
      let started = ContinuousClock.now
      if await attempt(before: started + configuration.renewDeadline) == .acquired { return started }
      let pause = configuration.retryPeriod * Double.random(in: 1...1.2)
      do { try await Task.sleep(for: pause) } catch { return nil }
    }
    return nil
  }

  /// Renews every `retryPeriod`; returns false once renewals have failed for `renewDeadline`
  /// (counted from the start of the last successful attempt, `acquiredAt` at first, since the
  /// record it wrote is no older than that) or another candidate turns out to hold the lease;
  /// true when cancelled.
  private func keepRenewing(from acquiredAt: ContinuousClock.Instant) async -> Bool {
    var deadline = acquiredAt + configuration.renewDeadline
    while true {
      do { try await Task.sleep(for: configuration.retryPeriod) } catch { return true }
      let started = ContinuousClock.now
      guard started < deadline else { return false }
      switch await attempt(before: deadline) {
      case .acquired?:
        deadline = started + configuration.renewDeadline
      case .heldByOther(let holder)?:
        logger.warning("another candidate holds the lease", metadata: ["leader.holder": "\(holder)"])
        return false
      case .failed?:
        continue
      case nil:
        return false
      }
    }
  }

  /// One attempt, abandoned at `deadline`: nil when the deadline came first. Cancellation counts
  /// as a failed attempt.
  private func attempt(before deadline: ContinuousClock.Instant) async -> Attempt? {
    await withTaskGroup(of: Attempt?.self) { group in
      group.addTask { await self.tryAcquireOrRenew() }
      group.addTask {
        do {
          try await Task.sleep(until: deadline)
          return nil
        } catch {
          return .failed
        }
      }
      let first = await group.next() ?? .failed
      group.cancelAll()
      return first
    }
  }

  /// One attempt: create the lease, renew it, or take it over once expired or released. Never
  /// throws: a failure is a "no" for this round.
  func tryAcquireOrRenew() async -> Attempt {
    let now = ContinuousClock.now
    let namespace = configuration.namespace
    let leaseName = configuration.leaseName
    let lease: Lease
    do {
      lease = try await client.get(Lease.self, name: leaseName, namespace: namespace)
    } catch let error where error.kind == .notFound {
      let created = Lease(
        metadata: ObjectMeta(name: leaseName, namespace: namespace),
        spec: newRecord(previous: nil, now: .now()))
      do {
        let stored = try await client.create(created, namespace: namespace)
        observe(stored.spec, at: now)
        return .acquired
      } catch {
        // alreadyExists: another candidate created it first.
        logger.debug("could not create the lease", metadata: ["k8s.error": "\(error)"])
        return .failed
      }
    } catch {
      logger.debug("could not read the lease", metadata: ["k8s.error": "\(error)"])
      return .failed
    }

    let record = lease.spec ?? Lease.Spec()
    let changedAt = state.withLock { observed in
      if observed.spec != record || observed.changedAt == nil {
        observed.spec = record
        observed.changedAt = now
      }
      return observed.changedAt ?? now
    }
    let holder = record.holderIdentity ?? ""
    let duration = Duration.seconds(Int64(record.leaseDurationSeconds ?? 0))
    if !holder.isEmpty, holder != configuration.identity, now < changedAt + duration {
      return .heldByOther(holder)
    }
    var updated = lease
    updated.spec = newRecord(previous: record, now: .now())
    do {
      let stored = try await client.update(updated, namespace: namespace)
      observe(stored.spec, at: now)
      return .acquired
    } catch {
      // 409 Conflict: another candidate wrote first. Anything else: try again next round.
      logger.debug("could not write the lease", metadata: ["k8s.error": "\(error)"])
      return .failed
    }
  }

  /// The record this candidate writes to hold the lease.
  private func newRecord(previous: Lease.Spec?, now: MicroTimestamp) -> Lease.Spec {
    let previousHolder = previous?.holderIdentity ?? ""
    let keepsIt = previousHolder == configuration.identity
    // Whole seconds on the wire, rounded up: a shorter lease than configured could let another
    // candidate in before this one's renew deadline has passed.
    let (seconds, attoseconds) = configuration.leaseDuration.components
    return Lease.Spec(
      holderIdentity: configuration.identity,
      leaseDurationSeconds: Int32(clamping: max(1, seconds + (attoseconds > 0 ? 1 : 0))),
      acquireTime: keepsIt ? (previous?.acquireTime ?? now) : now, renewTime: now,
      leaseTransitions: (previous?.leaseTransitions ?? 0) + (keepsIt || previous == nil ? 0 : 1))
  }

  private func observe(_ spec: Lease.Spec?, at now: ContinuousClock.Instant) {
    state.withLock {
      $0.spec = spec
      $0.changedAt = now
    }
  }

  /// Gives the lease up if this candidate still holds it, in a task of its own so that the
  /// cancellation which ended leadership does not cancel the release too.
  private func releaseDetached() async {
    await Task { await self.release() }.value
  }

  /// Empties `holderIdentity` and shortens the lease to one second, so the next candidate takes
  /// over at its next try.
  func release() async {
    let namespace = configuration.namespace
    do {
      var lease = try await client.get(Lease.self, name: configuration.leaseName, namespace: namespace)
      guard lease.spec?.holderIdentity == configuration.identity else { return }
      let now = MicroTimestamp.now()
      lease.spec = Lease.Spec(
        holderIdentity: nil, leaseDurationSeconds: 1, acquireTime: now, renewTime: now,
        leaseTransitions: lease.spec?.leaseTransitions)
      _ = try await client.update(lease, namespace: namespace)
      logger.info("released the lease")
    } catch {
      logger.warning("could not release the lease", metadata: ["k8s.error": "\(error)"])
    }
  }
}
