/// Jittered exponential backoff that starts over after a healthy spell.
///
/// Each failure waits longer than the one before, up to `maximum`, with a random part so that
/// many clients cut off by the same API server restart do not all come back at the same instant.
/// Once `resetAfter` has passed since the last failure, the next failure waits `initial` again:
/// a watch that ran for an hour and then broke should retry at once, not after the delay it
/// reached on the bad day it started.
public struct Backoff: Sendable, Hashable {
  /// The first delay.
  public var initial: Duration
  /// The longest delay.
  public var maximum: Duration
  /// How much each delay grows over the one before.
  public var multiplier: Double
  /// The share of each delay that is random: 0.5 waits between 50 % and 100 % of it.
  public var jitter: Double
  /// A failure this long after the previous one starts the sequence over.
  public var resetAfter: Duration

  public init(
    initial: Duration = .milliseconds(800), maximum: Duration = .seconds(30), multiplier: Double = 2,
    jitter: Double = 0.5, resetAfter: Duration = .seconds(120)
  ) {
    self.initial = initial
    self.maximum = maximum
    self.multiplier = max(1, multiplier)
    self.jitter = min(max(jitter, 0), 1)
    self.resetAfter = resetAfter
  }

  /// Where a sequence of failures stands.
  public struct State: Sendable {
    /// Failures since the sequence last started over.
    public private(set) var attempts = 0
    private var lastFailure: ContinuousClock.Instant?

    public init() {}

    /// The delay before retrying after a failure at `now`, counting that failure.
    public mutating func nextDelay(
      _ backoff: Backoff, now: ContinuousClock.Instant = .now,
      random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }
    ) -> Duration {
      if let lastFailure, now - lastFailure >= backoff.resetAfter { attempts = 0 }
      lastFailure = now
      let exponent = Double(min(attempts, 62))
      attempts += 1
      let ceiling = backoff.maximum.seconds
      let full = min(backoff.initial.seconds * pow(backoff.multiplier, exponent), ceiling)
      return .seconds(full * random((1 - backoff.jitter)...1))
    }
  }
}

extension Duration {
  /// The duration in seconds, as a floating-point number.
  var seconds: Double {
    let (seconds, attoseconds) = components
    return Double(seconds) + Double(attoseconds) / 1e18
  }
}

/// `base` to the power `exponent` without Foundation.
private func pow(_ base: Double, _ exponent: Double) -> Double {
  var result = 1.0
  var remaining = Int(exponent)
  while remaining > 0 {
    result *= base
    remaining -= 1
    if result.isInfinite { break }
  }
  return result
}
