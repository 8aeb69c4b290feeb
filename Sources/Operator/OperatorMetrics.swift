import Prometheus

/// The operator's Prometheus metrics, served on `/metrics`: reconciles by result and their
/// duration, the work queue's depth, API requests by verb, and whether this replica leads.
public final class OperatorMetrics: Sendable {
  /// How a reconcile ended.
  public enum Result: String, Sendable, CaseIterable {
    /// Done; waits for the next change.
    case success
    /// Done for now; runs again after a delay (a rollout still in progress).
    case requeue
    /// Failed; retried with backoff.
    case error
  }

  /// The API requests the reconciler makes, by what they do.
  public enum Verb: String, Sendable, CaseIterable {
    case get
    case apply
    case patch
    case delete
    case applyStatus = "apply_status"
    case createEvent = "create_event"
    case patchEvent = "patch_event"
  }

  public let registry: PrometheusCollectorRegistry
  private let reconciles: [Result: Counter]
  private let requests: [Verb: Counter]
  private let reconcileDuration: DurationHistogram
  private let queueDepth: Gauge
  private let leader: Gauge
  private let cachesSynced: Gauge

  public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
    self.registry = registry
    var reconciles: [Result: Counter] = [:]
    for result in Result.allCases {
      reconciles[result] = registry.makeCounter(
        name: "sovren_operator_reconciles_total", labels: [("result", result.rawValue)],
        help: "Reconciles of sensors, by how they ended.")
    }
    self.reconciles = reconciles
    var requests: [Verb: Counter] = [:]
    for verb in Verb.allCases {
      requests[verb] = registry.makeCounter(
        name: "sovren_operator_api_requests_total", labels: [("verb", verb.rawValue)],
        help: "Kubernetes API requests made while reconciling, by verb (watches not included).")
    }
    self.requests = requests
    reconcileDuration = registry.makeDurationHistogram(
      name: "sovren_operator_reconcile_duration_seconds",
      buckets: [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(50), .milliseconds(100),
        .milliseconds(500), .seconds(1), .seconds(5), .seconds(10), .seconds(30),
      ], help: "Time one reconcile of a sensor took.")
    queueDepth = registry.makeGauge(name: "sovren_operator_queue_depth", help: "Sensors waiting to be reconciled.")
    leader = registry.makeGauge(name: "sovren_operator_leader", help: "1 while this replica leads and reconciles.")
    cachesSynced = registry.makeGauge(
      name: "sovren_operator_caches_synced", help: "1 once every watched kind has been listed.")
  }

  func reconciled(_ result: Result, in duration: Duration) {
    reconciles[result]?.increment()
    reconcileDuration.record(duration)
  }

  func requested(_ verb: Verb) {
    requests[verb]?.increment()
  }

  func setQueueDepth(_ depth: Int) {
    queueDepth.set(to: Double(depth))
  }

  func setLeader(_ leading: Bool) {
    leader.set(to: leading ? 1.0 : 0.0)
  }

  func setCachesSynced(_ synced: Bool) {
    cachesSynced.set(to: synced ? 1.0 : 0.0)
  }

  /// The metrics in the Prometheus text format.
  public func exposition() -> String {
    registry.emitToString()
  }
}
