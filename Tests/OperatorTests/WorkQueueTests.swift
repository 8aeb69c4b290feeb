import Operator
import Synchronization
import TestSupport
import Testing

@Suite struct WorkQueueTests {
  @Test func addingAWaitingKeyAgainKeepsOneEntryInItsPlace() async throws {
    let queue = WorkQueue<String>()
    await queue.add("a")
    await queue.add("b")
    await queue.add("a")
    #expect(await queue.depth == 2)
    #expect(try await take(queue) == "a")
    #expect(try await take(queue) == "b")
    #expect(await queue.depth == 0)
    #expect(await queue.processingCount == 2)
  }

  @Test func readyKeysGoOutInTheOrderTheyWereAdded() async throws {
    let queue = WorkQueue<Int>()
    for key in [5, 3, 9, 1, 7] { await queue.add(key) }
    var taken: [Int] = []
    for _ in 0..<5 { taken.append(try await take(queue) ?? -1) }
    #expect(taken == [5, 3, 9, 1, 7])
  }

  @Test func aKeyAddedWhileProcessingIsHeldBackAndRequeuedWhenDone() async throws {
    let queue = WorkQueue<String>()
    await queue.add("a")
    #expect(try await take(queue) == "a")
    await queue.add("a")
    await queue.add("b")
    // "a" is dirty but being processed: the next worker gets "b", never a second "a".
    #expect(await queue.depth == 1)
    #expect(try await take(queue) == "b")
    #expect(await queue.depth == 0)
    await queue.done("a")
    #expect(await queue.depth == 1)
    #expect(try await take(queue) == "a")
    await queue.done("a")
    await queue.done("b")
    #expect(await queue.depth == 0)
    #expect(await queue.processingCount == 0)
  }

  @Test func aKeyDoneWithoutANewAddIsNotRequeued() async throws {
    let queue = WorkQueue<String>()
    await queue.add("a")
    #expect(try await take(queue) == "a")
    await queue.done("a")
    await queue.done("a")
    #expect(await queue.depth == 0)
    #expect(await queue.processingCount == 0)
  }

  /// Many workers, many adds of few keys: no key is ever processed by two workers at once, and
  /// every add is followed by a reconcile that started after it.
  @Test func concurrentWorkersNeverProcessOneKeyTwiceAtOnce() async throws {
    let queue = WorkQueue<Int>()
    let tally = Tally()
    let keys = 0..<16
    try await withThrowingTaskGroup(of: Void.self) { group in
      for _ in 0..<6 {
        group.addTask {
          while let key = await queue.next() {
            tally.start(key)
            await Task.yield()
            tally.finish(key)
            await queue.done(key)
          }
        }
      }
      for round in 0..<400 {
        let key = keys.randomElement() ?? 0
        tally.added(key)
        await queue.add(key)
        if round % 7 == 0 { await Task.yield() }
      }
      // Shut down whatever happens, so that the workers end and the group does not hang.
      do {
        try await eventually("the queue to drain") {
          let (depth, processing) = (await queue.depth, await queue.processingCount)
          return depth == 0 && processing == 0
        }
      } catch {
        await queue.shutDown()
        throw error
      }
      await queue.shutDown()
      try await group.waitForAll()
    }
    let result = tally.snapshot
    #expect(result.maximumConcurrency == 1)
    for (key, added) in result.lastAdded {
      #expect((result.lastStarted[key] ?? -1) > added, "key \(key) was added after its last reconcile started")
    }
  }

  @Test func delayedKeysBecomeReadyInDeadlineOrderAfterReadyOnes() async throws {
    let queue = WorkQueue<String>()
    await queue.add("late", after: .milliseconds(300))
    await queue.add("soon", after: .milliseconds(60))
    await queue.add("now")
    #expect(await queue.depth == 1)
    #expect(await queue.delayedCount == 2)
    #expect(try await take(queue) == "now")
    #expect(try await take(queue) == "soon")
    #expect(try await take(queue) == "late")
    #expect(await queue.delayedCount == 0)
  }

  @Test func anEarlierDelayReplacesAPendingLaterOne() async throws {
    let queue = WorkQueue<String>()
    await queue.add("a", after: .seconds(3600))
    await queue.add("a", after: .milliseconds(20))
    #expect(await queue.delayedCount == 1)
    #expect(try await take(queue) == "a")
    #expect(await queue.delayedCount == 0)
  }

  @Test func aLaterDelayLeavesAPendingEarlierOne() async throws {
    let queue = WorkQueue<String>()
    await queue.add("a", after: .milliseconds(20))
    await queue.add("a", after: .seconds(3600))
    #expect(await queue.delayedCount == 1)
    #expect(try await take(queue) == "a")
    #expect(await queue.delayedCount == 0)
  }

  @Test func anImmediateAddWinsOverADelayedOne() async throws {
    let queue = WorkQueue<String>()
    await queue.add("a", after: .seconds(3600))
    await queue.add("a")
    #expect(await queue.depth == 1)
    #expect(await queue.delayedCount == 0)
    // A key already ready is due before any delay.
    await queue.add("a", after: .milliseconds(1))
    #expect(await queue.delayedCount == 0)
    #expect(try await take(queue) == "a")
  }

  @Test func aDelayedKeyThatComesDueWhileProcessingRunsAgainAfterDone() async throws {
    let queue = WorkQueue<String>()
    await queue.add("a")
    #expect(try await take(queue) == "a")
    await queue.add("a", after: .milliseconds(20))
    try await eventually("the delay to pass") { await queue.delayedCount == 0 }
    #expect(await queue.depth == 0)
    await queue.done("a")
    #expect(try await take(queue) == "a")
  }

  // MARK: Rate limiting

  @Test func backoffDoublesFromBaseAndStopsAtTheCap() {
    let limiter = RetryRateLimiter(base: .milliseconds(100), maximum: .seconds(60))
    #expect(limiter.backoff(failures: 0) == .zero)
    #expect(limiter.backoff(failures: 1) == .milliseconds(100))
    #expect(limiter.backoff(failures: 2) == .milliseconds(200))
    #expect(limiter.backoff(failures: 3) == .milliseconds(400))
    #expect(approximately(limiter.backoff(failures: 10), .milliseconds(51_200)))
    #expect(limiter.backoff(failures: 11) == .seconds(60))
    #expect(limiter.backoff(failures: 10_000) == .seconds(60))
    #expect(limiter.backoff(failures: Int.max) == .seconds(60))
  }

  @Test(arguments: [1, 2, 5, 12, 40])
  func jitterOnlyShortensTheBackoffAndByAtMostItsFraction(failures: Int) {
    let limiter = RetryRateLimiter(base: .milliseconds(100), maximum: .seconds(60), jitter: 0.25)
    let full = limiter.backoff(failures: failures)
    #expect(limiter.delay(failures: failures, jitterSample: 0) == full)
    let shortest = full * 0.75
    for sample in [0.0, 0.1, 0.5, 0.999_999, 1.0, -3, 7, .nan] {
      let delay = limiter.delay(failures: failures, jitterSample: sample)
      #expect(delay <= full)
      #expect(delay <= .seconds(60))
      #expect(approximately(delay, shortest) || delay > shortest)
    }
    var spread: Set<Duration> = []
    for _ in 0..<20 { spread.insert(limiter.delay(failures: failures, jitterSample: Double.random(in: 0..<1))) }
    #expect(spread.count > 1)
  }

  @Test func theBucketAllowsItsBurstThenOneTokenPerInterval() {
    let start = ContinuousClock.now
    var bucket = TokenBucket(rate: 10, burst: 2, now: start)
    #expect(bucket.reserve(now: start) == .zero)
    #expect(bucket.reserve(now: start) == .zero)
    #expect(approximately(bucket.reserve(now: start), .milliseconds(100)))
    #expect(approximately(bucket.reserve(now: start), .milliseconds(200)))
    // A second later the promised tokens are paid and the bucket refilled to its burst, no more.
    let later = start.advanced(by: .seconds(10))
    #expect(bucket.reserve(now: later) == .zero)
    #expect(bucket.reserve(now: later) == .zero)
    #expect(approximately(bucket.reserve(now: later), .milliseconds(100)))
  }

  @Test func rateLimitedAddsCountFailuresAndWaitTheirBackoff() async throws {
    let limiter = RetryRateLimiter(base: .seconds(10), maximum: .seconds(600), jitter: 0.1)
    let queue = WorkQueue<String>(rateLimiter: limiter)
    for failures in 1...4 {
      let wait = await queue.addRateLimited("a")
      #expect(await queue.failures(of: "a") == failures)
      #expect(wait <= limiter.backoff(failures: failures))
      #expect(wait >= limiter.backoff(failures: failures) * 0.9 - .milliseconds(1))
    }
    #expect(await queue.failures(of: "b") == 0)
    // The key waits once, at its first (earliest) retry time.
    #expect(await queue.delayedCount == 1)
    #expect(await queue.depth == 0)
    await queue.shutDown()
  }

  @Test func theOverallBucketDelaysRetriesBeyondTheirBackoff() async throws {
    let limiter = RetryRateLimiter(base: .milliseconds(1), jitter: 0, bucketRate: 1, bucketBurst: 1)
    let queue = WorkQueue<String>(rateLimiter: limiter)
    #expect(await queue.addRateLimited("a") == .milliseconds(1))
    // The only token is spent: "b" waits for the next one, about a second, not its 1 ms backoff.
    let wait = await queue.addRateLimited("b")
    #expect(wait > .milliseconds(900))
    #expect(wait <= .seconds(1))
    await queue.shutDown()
  }

  @Test func forgetResetsTheBackoff() async throws {
    let limiter = RetryRateLimiter(base: .seconds(1), maximum: .seconds(600), jitter: 0)
    let queue = WorkQueue<String>(rateLimiter: limiter)
    await queue.addRateLimited("a")
    await queue.addRateLimited("a")
    #expect(await queue.addRateLimited("a") == .seconds(4))
    await queue.forget("a")
    #expect(await queue.failures(of: "a") == 0)
    #expect(await queue.addRateLimited("a") == .seconds(1))
    #expect(await queue.failures(of: "a") == 1)
    await queue.shutDown()
  }

  // MARK: Shutdown and cancellation

  @Test func shutDownWakesEveryWaiterWithNilAndDropsDelayedKeys() async throws {
    let queue = WorkQueue<String>()
    await queue.add("later", after: .seconds(3600))
    try await withThrowingTaskGroup(of: String?.self) { group in
      for _ in 0..<3 { group.addTask { await queue.next() } }
      try await eventually("three waiters") { await queue.waitingCount == 3 }
      await queue.shutDown()
      for try await key in group { #expect(key == nil) }
    }
    #expect(await queue.delayedCount == 0)
    #expect(await queue.waitingCount == 0)
    await queue.add("a")
    #expect(await queue.depth == 0)
    #expect(try await take(queue) == nil)
  }

  @Test func aCancelledWaiterReturnsNilAndTakesNoKey() async throws {
    let queue = WorkQueue<String>()
    let waiter = Task { await queue.next() }
    try await eventually("the waiter to wait") { await queue.waitingCount == 1 }
    waiter.cancel()
    #expect(try await within(.seconds(5), orElse: { await queue.shutDown() }) { await waiter.value } == nil)
    try await eventually("the waiter to leave") { await queue.waitingCount == 0 }
    await queue.add("a")
    #expect(await queue.depth == 1)
    #expect(try await take(queue) == "a")
  }

  @Test func aNextCalledFromACancelledTaskTakesNothing() async throws {
    let queue = WorkQueue<String>()
    await queue.add("a")
    let waiter = Task {
      withUnsafeCurrentTask { $0?.cancel() }
      return await queue.next()
    }
    #expect(try await within(.seconds(5), orElse: { await queue.shutDown() }) { await waiter.value } == nil)
    #expect(await queue.depth == 1)
    #expect(await queue.processingCount == 0)
  }

  /// A key handed over while the waiter is being cancelled is either returned to it or left in
  /// the queue: never taken and dropped.
  @Test func aKeyRacingACancellationIsNeverLost() async throws {
    for _ in 0..<200 {
      let queue = WorkQueue<String>()
      let waiter = Task { await queue.next() }
      try await eventually("the waiter to wait") { await queue.waitingCount == 1 }
      async let added: Void = queue.add("a")
      waiter.cancel()
      await added
      let taken = try await within(.seconds(5), orElse: { await queue.shutDown() }) { await waiter.value }
      if taken == "a" {
        #expect(await queue.processingCount == 1)
        #expect(await queue.depth == 0)
      } else {
        #expect(taken == nil)
        #expect(await queue.processingCount == 0)
        #expect(await queue.depth == 1)
        #expect(try await take(queue) == "a")
      }
    }
  }
}

// MARK: - Helpers

/// What the workers of the concurrency test saw, behind a lock.
private final class Tally: Sendable {
  struct State {
    var clock = 0
    var inFlight: [Int: Int] = [:]
    var maximumConcurrency = 0
    var lastAdded: [Int: Int] = [:]
    var lastStarted: [Int: Int] = [:]
  }

  private let state = Mutex(State())

  func added(_ key: Int) {
    state.withLock {
      $0.clock += 1
      $0.lastAdded[key] = $0.clock
    }
  }

  func start(_ key: Int) {
    state.withLock {
      $0.clock += 1
      $0.lastStarted[key] = $0.clock
      let running = ($0.inFlight[key] ?? 0) + 1
      $0.inFlight[key] = running
      $0.maximumConcurrency = max($0.maximumConcurrency, running)
    }
  }

  func finish(_ key: Int) {
    state.withLock { $0.inFlight[key, default: 0] -= 1 }
  }

  var snapshot: State { state.withLock { $0 } }
}

private struct TimedOut: Error, CustomStringConvertible {
  let description: String
}

/// The queue's next key, failing instead of hanging when none comes within 5 seconds.
private func take<Key>(_ queue: WorkQueue<Key>) async throws -> Key? {
  try await within(.seconds(5), orElse: { await queue.shutDown() }) { await queue.next() }
}

/// The result of `operation`, or an error if it takes longer than `limit`: the operation is then
/// cancelled and `orElse` runs, to end an operation that ignores cancellation (such as waiting for
/// a task's value).
private func within<T: Sendable>(
  _ limit: Duration, orElse: @escaping @Sendable () async -> Void = {},
  _ operation: @escaping @Sendable () async -> T
) async throws -> T {
  try await withThrowingTaskGroup(of: T?.self) { group in
    group.addTask { await operation() }
    group.addTask {
      try await Task.sleep(for: limit)
      await orElse()
      return nil
    }
    defer { group.cancelAll() }
    guard let first = try await group.next(), let value = first else {
      throw TimedOut(description: "the operation did not finish within \(limit)")
    }
    return value
  }
}

private func approximately(_ left: Duration, _ right: Duration) -> Bool {
  let difference = left > right ? left - right : right - left
  return difference <= .microseconds(1)
}
