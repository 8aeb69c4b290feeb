import AsyncHTTPClient
import Detection
import DetectorService
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import TestSupport

/// A detector server on 127.0.0.1 (ephemeral port) for one test, and a client for it.
struct DetectorHarness {
  let port: Int
  let metrics: DetectorMetrics

  /// A detector's answer: status, JSON body as text, headers.
  struct Answer {
    let status: Int
    let body: String
    let headers: HTTPHeaders

    /// The body parsed as a JSON object.
    var object: [String: Any] {
      get throws {
        guard let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
          throw SupportFailure("not a JSON object: \(body)")
        }
        return object
      }
    }

    /// `{"error": "…"}`'s message.
    var error: String? { (try? object)?["error"] as? String }

    /// Each result's fields as (path, types) pairs.
    var fields: [[Field]] {
      get throws {
        guard let results = try object["results"] as? [[String: Any]] else {
          throw SupportFailure("no results in \(body)")
        }
        return results.map { result in
          ((result["fields"] as? [[String: Any]]) ?? []).map { field in
            Field(path: field["path"] as? String ?? "", types: field["types"] as? [String] ?? [])
          }
        }
      }
    }
  }

  struct Field: Equatable, CustomStringConvertible {
    let path: String
    let types: [String]
    var description: String { "\(path) \(types)" }
  }

  static let logger = Logger(label: "detector-test", factory: { _ in SwiftLogNoOpLogHandler() })

  /// Runs a detector for `body`, then shuts it down gracefully.
  static func with(
    maxBodyBytes: Int = DetectorConfiguration.defaultMaxBodyBytes, _ body: (DetectorHarness) async throws -> Void
  ) async throws {
    let metrics = DetectorMetrics()
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let server = DetectorServer(
      configuration: DetectorConfiguration(host: "127.0.0.1", port: 0, maxBodyBytes: maxBodyBytes), metrics: metrics,
      logger: logger, onListening: { continuation.yield($0) })
    try await withServiceGroup(server, ports: ports, portContinuation: continuation) { port in
      try await body(DetectorHarness(port: port, metrics: metrics))
    }
  }

  func send(
    _ method: HTTPMethod = .POST, _ path: String = "/api/v2/detect", body: HTTPClientRequest.Body? = nil,
    client: HTTPClient = .shared
  ) async throws -> Answer {
    var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
    request.method = method
    if let body {
      request.headers.add(name: "Content-Type", value: "application/json")
      request.body = body
    }
    let response = try await client.execute(request, timeout: .seconds(30))
    let bytes = try await response.body.collect(upTo: 16 << 20)
    return Answer(status: Int(response.status.code), body: String(buffer: bytes), headers: response.headers)
  }

  func detect(_ text: String) async throws -> Answer {
    try await send(body: .bytes(ByteBuffer(string: text)))
  }

  /// The value of one sample line of the metrics exposition, such as
  /// `sovren_detector_fields_total{type="email"}`; nil when absent.
  func metric(_ sample: String) -> Double? {
    for line in metrics.exposition().split(separator: "\n") where line.hasPrefix(sample + " ") {
      return Double(line.dropFirst(sample.count + 1))
    }
    return nil
  }
}
