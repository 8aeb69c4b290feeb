/// The keys (sensors) waiting for a reconcile, handed to workers so that one key is never
/// reconciled twice at once: client-go's rate-limited work queue, kube-rs's scheduler.
///
/// - A key is waiting at most once: adding a waiting key again does nothing.
/// - A key being processed is never handed out; adding it meanwhile marks it dirty, and `done`
///   puts it back at the end of the queue, so the change that came during the reconcile is seen.
/// - Ready keys go out in the order they became ready.
/// - Delayed adds (`add(_:after:)`, `addRateLimited`) wait in a heap; one timer task sleeps until
///   the earliest. The earlier of two adds of one key wins.
///
/// Memory is bounded by the number of distinct keys (plus one entry per waiting `next()`): the
/// ready queue, the dirty and processing sets and the delayed keys hold each key once, and the
/// failure counts hold one number per key until `forget`.
///
/// A worker loop:
/// ```swift
/// while let key = await queue.next() {
///   do { try await reconcile(key); await queue.forget(key) } catch { await queue.addRateLimited(key) }
///   await queue.done(key)
/// }
/// ```
public actor WorkQueue<Key: Hashable & Sendable> {
  private let rateLimiter: RetryRateLimiter
  private var bucket: TokenBucket
  private let clock = ContinuousClock()

  /// Keys ready to go, oldest first; each key once.
  private var ready = ReadyKeys<Key>()
  /// Keys that need a reconcile: those in `ready`, and those being processed that were added again.
  private var dirty: Set<Key> = []
  /// Keys handed out by `next()` and not yet `done`.
  private var processing: Set<Key> = []
  /// When each delayed key becomes ready. Never holds a dirty key: a dirty key is due already.
  private var delayed: [Key: ContinuousClock.Instant] = [:]
  /// `delayed` ordered by deadline; entries that no longer match `delayed` are skipped as they surface.
  private var deadlines = DeadlineHeap<Key>()
  private var failureCounts: [Key: Int] = [:]

  private var waiters: [Waiter] = []
  private var nextWaiterID: UInt64 = 0
  private var timer: Task<Void, Never>?
  private var timerDeadline: ContinuousClock.Instant?
  private var timerGeneration: UInt64 = 0
  private var shutDownCalled = false

  private struct Waiter {
    let id: UInt64
    let continuation: CheckedContinuation<Key?, Never>
  }

  public init(rateLimiter: RetryRateLimiter = RetryRateLimiter()) {
    self.rateLimiter = rateLimiter
    bucket = rateLimiter.makeBucket(now: ContinuousClock.now)
  }

  deinit { timer?.cancel() }

  // MARK: Adding

  /// Makes `key` ready now, unless it waits already; a key being processed is marked to run again
  /// once `done`. A pending delayed add of the key is dropped: this one is earlier.
  public func add(_ key: Key) {
    guard !shutDownCalled else { return }
    delayed[key] = nil
    guard dirty.insert(key).inserted, !processing.contains(key) else { return }
    ready.append(key)
    dispatch()
  }

  /// Makes `key` ready after `delay`, unless it is due earlier already: ready or marked to run
  /// again, or delayed until an earlier time. A zero or negative delay is `add(key)`.
  public func add(_ key: Key, after delay: Duration) {
    guard !shutDownCalled else { return }
    guard delay > .zero else { return add(key) }
    guard !dirty.contains(key) else { return }
    let deadline = clock.now.advanced(by: delay)
    if let pending = delayed[key], pending <= deadline { return }
    delayed[key] = deadline
    deadlines.insert(key, at: deadline)
    if deadlines.count > 2 * delayed.count + 32 { deadlines.rebuild(from: delayed) }
    scheduleTimer()
  }

  /// Counts a failure of `key` and adds it after its backoff or the overall bucket's wait,
  /// whichever is later. Returns the wait chosen.
  @discardableResult
  public func addRateLimited(_ key: Key) -> Duration {
    guard !shutDownCalled else { return .zero }
    let failures = (failureCounts[key] ?? 0) + 1
    failureCounts[key] = failures
    let perKey = rateLimiter.delay(failures: failures, jitterSample: Double.random(in: 0..<1))
    let overall = bucket.reserve(now: clock.now)
    let wait = max(perKey, overall)
    add(key, after: wait)
    return wait
  }

  /// Resets the failure count of `key`: call it once a reconcile succeeds, or the key is gone.
  public func forget(_ key: Key) {
    failureCounts[key] = nil
  }

  /// How many consecutive failures `addRateLimited` counted for `key` since the last `forget`.
  public func failures(of key: Key) -> Int {
    failureCounts[key] ?? 0
  }

  // MARK: Taking

  /// The oldest ready key, marked as being processed; suspends until one is ready. Returns nil
  /// once the queue is shut down, or when the calling task is cancelled: a key it would have
  /// taken stays in the queue, first in line.
  public func next() async -> Key? {
    guard !shutDownCalled, !Task.isCancelled else { return nil }
    if let key = ready.popFirst() {
      startProcessing(key)
      return key
    }
    let id = nextWaiterID
    nextWaiterID &+= 1
    let key = await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Key?, Never>) in
        // Cancelled before the handler could see this waiter: it would never be woken.
        if Task.isCancelled { return continuation.resume(returning: nil) }
        waiters.append(Waiter(id: id, continuation: continuation))
      }
    } onCancel: {
      Task { await self.cancelWaiter(id) }
    }
    // Handed a key just as the task was cancelled: nobody will process it, so it goes back.
    if let key, Task.isCancelled {
      giveBack(key)
      return nil
    }
    return key
  }

  /// Ends the processing of `key`; if it was added meanwhile, it goes to the end of the queue.
  public func done(_ key: Key) {
    guard processing.remove(key) != nil, !shutDownCalled, dirty.contains(key) else { return }
    ready.append(key)
    dispatch()
  }

  /// Wakes every waiting `next()` with nil, drops ready and delayed keys, and ignores adds from
  /// now on. Keys being processed may still be marked `done`.
  public func shutDown() {
    guard !shutDownCalled else { return }
    shutDownCalled = true
    timer?.cancel()
    timer = nil
    timerDeadline = nil
    ready.removeAll()
    dirty.removeAll()
    delayed.removeAll()
    deadlines.removeAll()
    let woken = waiters
    waiters.removeAll()
    for waiter in woken { waiter.continuation.resume(returning: nil) }
  }

  // MARK: Observing

  /// Keys ready and waiting for a worker.
  public var depth: Int { ready.count }
  /// Keys handed out and not yet `done`.
  public var processingCount: Int { processing.count }
  /// Keys waiting for their delay to pass.
  public var delayedCount: Int { delayed.count }
  /// `next()` calls suspended until a key is ready.
  public var waitingCount: Int { waiters.count }
  public var isShutDown: Bool { shutDownCalled }

  // MARK: Internals

  private func startProcessing(_ key: Key) {
    dirty.remove(key)
    processing.insert(key)
  }

  /// Hands ready keys to waiting `next()` calls, oldest to oldest.
  private func dispatch() {
    while !waiters.isEmpty, let key = ready.popFirst() {
      let waiter = waiters.removeFirst()
      startProcessing(key)
      waiter.continuation.resume(returning: key)
    }
  }

  private func cancelWaiter(_ id: UInt64) {
    guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
    waiters.remove(at: index).continuation.resume(returning: nil)
  }

  /// Puts a key taken by a cancelled `next()` back at the front, where it was.
  private func giveBack(_ key: Key) {
    processing.remove(key)
    guard !shutDownCalled else { return }
    delayed[key] = nil
    dirty.insert(key)
    ready.prepend(key)
    dispatch()
  }

  /// Makes sure one timer sleeps until the earliest deadline, and none when nothing is delayed.
  private func scheduleTimer() {
    deadlines.dropStale(keeping: delayed)
    guard let earliest = deadlines.earliest else {
      timer?.cancel()
      timer = nil
      timerDeadline = nil
      return
    }
    if timer != nil, let timerDeadline, timerDeadline <= earliest { return }
    timer?.cancel()
    timerGeneration &+= 1
    let generation = timerGeneration
    timerDeadline = earliest
    timer = Task { [weak self] in
      do {
        try await Task.sleep(until: earliest, clock: .continuous)
      } catch {
        return
      }
      await self?.timerFired(generation)
    }
  }

  private func timerFired(_ generation: UInt64) {
    if generation == timerGeneration {
      timer = nil
      timerDeadline = nil
    }
    let now = clock.now
    deadlines.dropStale(keeping: delayed)
    while let entry = deadlines.earliestEntry, entry.deadline <= now {
      deadlines.removeEarliest()
      if delayed[entry.key] == entry.deadline { add(entry.key) }
      deadlines.dropStale(keeping: delayed)
    }
    scheduleTimer()
  }
}

/// A FIFO of keys: an array read from a moving head, compacted once half of it is spent.
struct ReadyKeys<Key> {
  private var storage: [Key] = []
  private var head = 0

  var count: Int { storage.count - head }

  mutating func append(_ key: Key) { storage.append(key) }

  mutating func prepend(_ key: Key) {
    if head > 0 {
      head -= 1
      storage[head] = key
    } else {
      storage.insert(key, at: 0)
    }
  }

  mutating func popFirst() -> Key? {
    guard head < storage.count else { return nil }
    let key = storage[head]
    head += 1
    if head == storage.count {
      storage.removeAll(keepingCapacity: true)
      head = 0
    } else if head >= 32, head * 2 >= storage.count {
      storage.removeFirst(head)
      head = 0
    }
    return key
  }

  mutating func removeAll() {
    storage.removeAll()
    head = 0
  }
}

/// A binary min-heap of (deadline, key), ties broken by insertion order so keys due together
/// become ready in the order they were added.
struct DeadlineHeap<Key: Hashable> {
  struct Entry {
    var deadline: ContinuousClock.Instant
    var sequence: UInt64
    var key: Key

    func precedes(_ other: Entry) -> Bool {
      (deadline, sequence) < (other.deadline, other.sequence)
    }
  }

  private var entries: [Entry] = []
  private var sequence: UInt64 = 0

  var count: Int { entries.count }
  var earliestEntry: Entry? { entries.first }
  var earliest: ContinuousClock.Instant? { entries.first?.deadline }

  mutating func insert(_ key: Key, at deadline: ContinuousClock.Instant) {
    entries.append(Entry(deadline: deadline, sequence: sequence, key: key))
    sequence &+= 1
    siftUp(entries.count - 1)
  }

  mutating func removeEarliest() {
    guard !entries.isEmpty else { return }
    entries.swapAt(0, entries.count - 1)
    entries.removeLast()
    if !entries.isEmpty { siftDown(0) }
  }

  /// Removes entries at the top that `current` no longer holds (replaced or made ready).
  mutating func dropStale(keeping current: [Key: ContinuousClock.Instant]) {
    while let top = entries.first, current[top.key] != top.deadline { removeEarliest() }
  }

  /// Starts again from the live deadlines, dropping every stale entry; keeps their order.
  mutating func rebuild(from current: [Key: ContinuousClock.Instant]) {
    let live = entries.filter { current[$0.key] == $0.deadline }
    entries.removeAll(keepingCapacity: true)
    for entry in live {
      entries.append(entry)
      siftUp(entries.count - 1)
    }
  }

  mutating func removeAll() { entries.removeAll() }

  private mutating func siftUp(_ start: Int) {
    var child = start
    while child > 0 {
      let parent = (child - 1) / 2
      guard entries[child].precedes(entries[parent]) else { return }
      entries.swapAt(child, parent)
      child = parent
    }
  }

  private mutating func siftDown(_ start: Int) {
    var parent = start
    while true {
      let left = 2 * parent + 1
      let right = left + 1
      var first = parent
      if left < entries.count, entries[left].precedes(entries[first]) { first = left }
      if right < entries.count, entries[right].precedes(entries[first]) { first = right }
      guard first != parent else { return }
      entries.swapAt(parent, first)
      parent = first
    }
  }
}
