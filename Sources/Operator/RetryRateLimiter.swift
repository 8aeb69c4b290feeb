/// How long a key waits before it is retried after a failed reconcile: a per-key exponential
/// backoff with jitter, combined with an overall token bucket that keeps a storm of failures from
/// flooding the API server. The later of the two wins, as in client-go's default controller rate
/// limiter.
///
/// The struct holds parameters only, so `delay(failures:jitterSample:)` is a pure function a test
/// can check; the bucket's running state lives in `TokenBucket`, owned by the `WorkQueue`.
public struct RetryRateLimiter: Sendable, Hashable {
  /// The backoff after the first failure.
  public var base: Duration
  /// The backoff never exceeds this, jitter included.
  public var maximum: Duration
  /// The fraction (0 to 1) of the backoff that jitter may take away, so that keys failing together
  /// do not retry together. Jitter only ever shortens the wait, so `maximum` holds and keys at the
  /// cap still spread out.
  public var jitter: Double
  /// Retries across all keys per second, in the long run.
  public var bucketRate: Double
  /// Retries across all keys that may go at once before `bucketRate` applies.
  public var bucketBurst: Int

  /// - Parameters:
  ///   - base: the first backoff; it doubles with each further failure of the key.
  ///   - maximum: the cap of the per-key backoff.
  ///   - jitter: the fraction of the backoff jitter may take away; clamped to 0...1.
  ///   - bucketRate: retries per second across all keys; at least a tiny positive rate.
  ///   - bucketBurst: retries across all keys that may go at once; at least 1.
  public init(
    base: Duration = .milliseconds(100), maximum: Duration = .seconds(60), jitter: Double = 0.1,
    bucketRate: Double = 10, bucketBurst: Int = 100
  ) {
    self.base = max(base, .zero)
    self.maximum = max(maximum, self.base)
    self.jitter = jitter.isFinite ? min(max(jitter, 0), 1) : 0
    self.bucketRate = bucketRate.isFinite && bucketRate > 1e-9 ? bucketRate : 1e-9
    self.bucketBurst = max(bucketBurst, 1)
  }

  /// The backoff after a key's `failures`-th consecutive failure, before jitter: `base` after
  /// the first, doubling after each further one, capped at `maximum`; zero for no failure.
  public func backoff(failures: Int) -> Duration {
    guard failures > 0 else { return .zero }
    let maximumSeconds = Self.seconds(maximum)
    // Any cap is passed long before 2^128; stopping there keeps the exponent small.
    let doubling = Double(sign: .plus, exponent: min(failures - 1, 128), significand: 1)
    let seconds = Self.seconds(base) * doubling
    return seconds >= maximumSeconds ? maximum : .seconds(seconds)
  }

  /// The per-key wait after the `failures`-th consecutive failure, with jitter: `backoff(failures:)`
  /// shortened by `jitter × jitterSample` of itself.
  ///
  /// - Parameter jitterSample: a random number in 0..<1 (outside it, clamped); 0 gives the full
  ///   backoff, values near 1 the shortest wait, `backoff × (1 − jitter)`.
  public func delay(failures: Int, jitterSample: Double) -> Duration {
    let sample = jitterSample.isFinite ? min(max(jitterSample, 0), 1) : 0
    let full = backoff(failures: failures)
    return .seconds(Self.seconds(full) * (1 - jitter * sample))
  }

  /// A fresh bucket, full, as of `now`.
  public func makeBucket(now: ContinuousClock.Instant) -> TokenBucket {
    TokenBucket(rate: bucketRate, burst: bucketBurst, now: now)
  }

  static func seconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) + Double(attoseconds) / 1e18
  }
}

/// A token bucket in the style of Go's `rate.Limiter.Reserve`: every retry takes a token, now or
/// in the future; the answer is how long the caller waits for its token. Tokens may go negative,
/// which is the queue of reservations already promised.
public struct TokenBucket: Sendable, Hashable {
  public let rate: Double
  public let burst: Int
  /// Tokens available at `updated`; negative when reservations wait for tokens not yet refilled.
  public private(set) var tokens: Double
  public private(set) var updated: ContinuousClock.Instant

  public init(rate: Double, burst: Int, now: ContinuousClock.Instant) {
    self.rate = rate.isFinite && rate > 1e-9 ? rate : 1e-9
    self.burst = max(burst, 1)
    tokens = Double(self.burst)
    updated = now
  }

  /// Takes one token and returns how long after `now` it is available: zero while the burst
  /// lasts, then `1 / rate` per token already promised.
  public mutating func reserve(now: ContinuousClock.Instant) -> Duration {
    if now > updated {
      tokens = min(Double(burst), tokens + RetryRateLimiter.seconds(updated.duration(to: now)) * rate)
      updated = now
    }
    tokens -= 1
    return tokens >= 0 ? .zero : .seconds(-tokens / rate)
  }
}
