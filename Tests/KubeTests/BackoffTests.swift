import KubeModel
import Testing

@testable import Kube

/// Backoff delays, with the random part and the clock chosen by the test.
@Suite("Backoff")
struct BackoffTests {
  static let backoff = Backoff(
    initial: .milliseconds(100), maximum: .seconds(1), multiplier: 2, jitter: 0.5, resetAfter: .seconds(10))

  /// The delays of `count` failures one second apart, with `random` choosing the share.
  func delays(
    _ count: Int, backoff: Backoff = Self.backoff, spacing: Duration = .zero,
    random: @escaping (ClosedRange<Double>) -> Double
  ) -> [Duration] {
    var state = Backoff.State()
    var now = ContinuousClock.now
    return (0..<count).map { _ in
      let delay = state.nextDelay(backoff, now: now, random: random)
      now = now + delay + spacing
      return delay
    }
  }

  @Test("each delay doubles up to the maximum and stays there")
  func growthAndCap() {
    let delays = delays(7) { $0.upperBound }
    #expect(
      delays == [
        .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1),
        .seconds(1),
      ])
  }

  @Test("the random part draws from 1 − jitter … 1 of the delay, and stays there whatever it returns")
  func jitterBounds() {
    var ranges: [ClosedRange<Double>] = []
    let lowest = delays(3) { range in
      ranges.append(range)
      return range.lowerBound
    }
    #expect(ranges == Array(repeating: 0.5...1, count: 3))
    #expect(lowest == [.milliseconds(50), .milliseconds(100), .milliseconds(200)])
    // A random source that strays out of its range is held to it.
    #expect(delays(2) { _ in 7 } == [.milliseconds(100), .milliseconds(200)])
    #expect(delays(2) { _ in -1 } == [.milliseconds(50), .milliseconds(100)])

    let none = Backoff(initial: .milliseconds(100), jitter: 0)
    var seen: [ClosedRange<Double>] = []
    _ = delays(1, backoff: none) { range in
      seen.append(range)
      return range.lowerBound
    }
    #expect(seen == [1...1])
  }

  @Test("real randomness stays within the bounds")
  func randomWithinBounds() {
    var state = Backoff.State()
    for attempt in 0..<50 {
      let delay = state.nextDelay(Self.backoff)
      let ceiling = Self.backoff.ceiling(attempt: attempt)
      #expect(delay >= ceiling * 0.5 - .nanoseconds(1) && delay <= ceiling, "attempt \(attempt): \(delay)")
    }
  }

  @Test("a healthy spell after the last wait ends starts the sequence over")
  func resetAfterHealthySpell() {
    var state = Backoff.State()
    let start = ContinuousClock.now
    let full: (ClosedRange<Double>) -> Double = { $0.upperBound }
    #expect(state.nextDelay(Self.backoff, now: start, random: full) == .milliseconds(100))
    #expect(state.nextDelay(Self.backoff, now: start + .seconds(1), random: full) == .milliseconds(200))
    #expect(state.attempts == 2)
    // 9.9 s after the last wait ended: not healthy long enough.
    let lastWaitEnds = start + .seconds(1) + .milliseconds(200)
    #expect(state.nextDelay(Self.backoff, now: lastWaitEnds + .milliseconds(9900), random: full) == .milliseconds(400))
    // 10 s after it: the next failure waits the first delay again.
    let afterThat = lastWaitEnds + .milliseconds(9900) + .milliseconds(400)
    #expect(state.nextDelay(Self.backoff, now: afterThat + .seconds(10), random: full) == .milliseconds(100))
    #expect(state.attempts == 1)
  }

  @Test("a long wait is not taken for a healthy spell")
  func longWaitsAreNotHealth() {
    let slow = Backoff(initial: .seconds(60), maximum: .seconds(600), jitter: 0, resetAfter: .seconds(120))
    // Each failure comes right after the previous wait: more time than resetAfter passed between
    // the failures, but none of it was healthy.
    let delays = delays(4, backoff: slow) { $0.upperBound }
    #expect(delays == [.seconds(60), .seconds(120), .seconds(240), .seconds(480)])
    var state = Backoff.State()
    _ = state.nextDelay(slow)
    _ = state.nextDelay(slow)
    state.reset()
    #expect(state.attempts == 0)
    #expect(state.nextDelay(slow) == .seconds(60))
  }

  @Test("out-of-range settings are brought into range")
  func clamping() {
    let odd = Backoff(initial: .seconds(-1), maximum: .seconds(5), multiplier: 0.5, jitter: 3)
    #expect(odd.initial == .zero)
    #expect(odd.multiplier == 1)
    #expect(odd.jitter == 1)
    let inverted = Backoff(initial: .seconds(10), maximum: .seconds(2))
    #expect(inverted.ceiling(attempt: 0) == .seconds(2))
    #expect(Backoff(multiplier: .nan, jitter: .nan).multiplier == 1)
    // A huge attempt count neither overflows nor loops long.
    #expect(Self.backoff.ceiling(attempt: Int.max) == .seconds(1))
  }

  @Test("Retry-After wins over a shorter backoff delay, within the maximum")
  func retryAfter() {
    var state = Backoff.State()
    let full: (ClosedRange<Double>) -> Double = { $0.upperBound }
    let throttled = KubeError(.tooManyRequests, message: "slow down", code: 429, retryAfter: .milliseconds(700))
    let delay = Watcher<ConfigMap>.Iterator.retryDelay(
      after: throttled, backoff: &state, configuration: Self.backoff, random: full)
    #expect(delay == .milliseconds(700))
    let greedy = KubeError(.tooManyRequests, message: "slow down", code: 429, retryAfter: .seconds(60))
    #expect(
      Watcher<ConfigMap>.Iterator.retryDelay(
        after: greedy, backoff: &state, configuration: Self.backoff, random: full) == .seconds(1))
    let plain = KubeError(.serverError, message: "oops", code: 500)
    #expect(
      Watcher<ConfigMap>.Iterator.retryDelay(after: plain, backoff: &state, configuration: Self.backoff, random: full)
        == .milliseconds(400))
  }
}
