import Foundation
import Kube
import KubeModel
import Logging
import Synchronization

/// Writes Kubernetes Events about sensors (`kubectl describe sensor` lists them): what the
/// operator created, repaired or failed to do.
///
/// The same event again within `aggregationWindow` raises the first one's count instead of
/// creating another, as client-go's recorder does, so a failure retried every few seconds does not
/// flood the namespace. Events are best effort: one the server still refuses after a few tries is
/// logged, and the reconcile goes on.
public final class EventRecorder: Sendable {
  public enum Kind: String, Sendable {
    case normal = "Normal"
    case warning = "Warning"
  }

  struct Key: Hashable {
    var uid: String
    var kind: Kind
    var reason: String
    var message: String
  }

  struct Written {
    var name: String
    var count: Int32
    var last: ContinuousClock.Instant
  }

  let client: KubeClient
  let metrics: OperatorMetrics
  let instance: String
  let aggregationWindow: Duration
  let logger: Logger
  /// At most `capacity` remembered events; the least recently written go first.
  let capacity = 4096
  /// Tries to create one event (100 ms, 200 ms, … apart) when the server fails or throttles.
  let maximumAttempts = 5
  private let written = Mutex([Key: Written]())

  /// - Parameter instance: this replica's identity, as `reportingInstance`.
  public init(
    client: KubeClient, metrics: OperatorMetrics, instance: String, aggregationWindow: Duration = .seconds(600),
    logger: Logger
  ) {
    self.client = client
    self.metrics = metrics
    self.instance = instance
    self.aggregationWindow = aggregationWindow
    self.logger = logger
  }

  /// Records an event on `sensor`.
  public func record(_ kind: Kind, on sensor: SovrenSensor, reason: String, message: String) async {
    guard let uid = sensor.metadata.uid, let namespace = sensor.metadata.namespace else { return }
    let key = Key(uid: uid, kind: kind, reason: reason, message: message)
    let now = ContinuousClock.now
    let previous = written.withLock { written in
      guard let entry = written[key], now - entry.last < aggregationWindow else { return Written?.none }
      written[key]?.count += 1
      written[key]?.last = now
      return written[key]
    }
    if let previous, await bump(previous, namespace: namespace) { return }
    await create(key, on: sensor, namespace: namespace, at: now)
  }

  /// Raises an aggregated event's count; false when it is gone and a new one must be created.
  private func bump(_ entry: Written, namespace: String) async -> Bool {
    let patch: JSONValue = [
      "count": .int(Int64(entry.count)), "lastTimestamp": .string(Timestamp.now().description),
    ]
    metrics.requested(.patchEvent)
    do {
      _ = try await client.patch(Event.self, name: entry.name, namespace: namespace, .merge(patch))
      return true
    } catch {
      if !error.isNotFound { logger.warning("could not update an event", metadata: ["error": "\(error)"]) }
      return !error.isNotFound
    }
  }

  private func create(_ key: Key, on sensor: SovrenSensor, namespace: String, at now: ContinuousClock.Instant) async {
    let timestamp = Timestamp.now()
    let name = "\(sensor.name).\(String(UInt64.random(in: 0...0xffff_ffff_ffff), radix: 16))"
    let event = Event(
      metadata: ObjectMeta(name: name, namespace: namespace),
      involvedObject: ObjectReference(
        apiVersion: SovrenSensor.apiVersion, kind: SovrenSensor.kind, namespace: namespace, name: sensor.name,
        uid: key.uid, resourceVersion: sensor.metadata.resourceVersion),
      reason: key.reason, message: key.message, type: key.kind.rawValue,
      source: Event.Source(component: SensorLayout.fieldManager), firstTimestamp: timestamp,
      lastTimestamp: timestamp, count: 1, reportingComponent: SensorLayout.fieldManager,
      reportingInstance: instance)
    var attempt = 1
    while true {
      metrics.requested(.createEvent)
      do {
        _ = try await client.create(event, namespace: namespace)
        break
      } catch {
        // A failing or throttling server is tried again a few times, as client-go's recorder does.
        guard error.isRetryable, attempt < maximumAttempts, !Task.isCancelled else {
          logger.warning(
            "could not record an event", metadata: ["event.reason": "\(key.reason)", "error": "\(error)"])
          return
        }
        try? await Task.sleep(for: .milliseconds(50 << attempt))
        attempt += 1
      }
    }
    written.withLock { written in
      if written.count >= capacity, let oldest = written.min(by: { $0.value.last < $1.value.last })?.key {
        written[oldest] = nil
      }
      written[key] = Written(name: name, count: 1, last: now)
    }
  }
}
