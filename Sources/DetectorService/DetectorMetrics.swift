import Detection
import Prometheus

/// The detector's Prometheus metrics, served on `/metrics`: requests by status code, documents
/// detected, fields found by type, request body bytes, how long detection took, requests in flight.
public final class DetectorMetrics: Sendable {
  public let registry: PrometheusCollectorRegistry
  /// Counters for the codes the service answers with, made once; others are made on first use.
  private let requestsByCode: [Int: Counter]
  private let documents: Counter
  private let fieldsByType: [DataType: Counter]
  private let bodyBytes: Counter
  private let detectionDuration: DurationHistogram
  private let inFlight: Gauge

  static var requests: MetricNameDescriptor {
    descriptor("requests", "total", "HTTP requests answered, by status code.")
  }

  /// `sovren_detector_<name>_<unit>`.
  static func descriptor(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
    MetricNameDescriptor(namespace: "sovren", subsystem: "detector", metricName: name, unitName: unit, helpText: help)
  }

  public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
    self.registry = registry
    var requestsByCode: [Int: Counter] = [:]
    for code in [200, 400, 404, 405, 413, 500] {
      requestsByCode[code] = registry.makeCounter(descriptor: Self.requests, labels: [("code", String(code))])
    }
    self.requestsByCode = requestsByCode
    documents = registry.makeCounter(
      descriptor: Self.descriptor("documents", "total", "JSON documents detected (each of a batch counts)."))
    let fields = Self.descriptor(
      "fields", "total", "Fields found holding sensitive data, by data type (a field of two types counts for each).")
    var fieldsByType: [DataType: Counter] = [:]
    for type in DataType.allCases {
      fieldsByType[type] = registry.makeCounter(descriptor: fields, labels: [("type", type.id)])
    }
    self.fieldsByType = fieldsByType
    bodyBytes = registry.makeCounter(
      descriptor: Self.descriptor("request_body_bytes", "total", "Bytes of detect request bodies read."))
    detectionDuration = registry.makeDurationHistogram(
      descriptor: Self.descriptor("detection_duration", "seconds", "Time to read and detect one request's documents."),
      buckets: [
        .microseconds(10), .microseconds(50), .microseconds(100), .microseconds(500), .milliseconds(1),
        .milliseconds(5), .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(500),
        .seconds(1),
      ])
    inFlight = registry.makeGauge(descriptor: Self.descriptor("requests_in_flight", "", "Requests being answered."))
  }

  /// The Prometheus text exposition of every metric.
  public func exposition() -> String {
    registry.emitToString()
  }

  func requestStarted() {
    inFlight.increment()
  }

  func requestEnded(code: Int) {
    inFlight.decrement()
    if let counter = requestsByCode[code] {
      counter.increment()
    } else {
      registry.makeCounter(descriptor: Self.requests, labels: [("code", String(code))]).increment()
    }
  }

  func read(bodyBytes count: Int) {
    bodyBytes.increment(by: Int64(count))
  }

  func detected(_ results: [DocumentFindings], in duration: Duration) {
    documents.increment(by: Int64(results.count))
    for result in results {
      for field in result.fields {
        for type in field.types { fieldsByType[type]?.increment() }
      }
    }
    detectionDuration.record(duration)
  }
}
