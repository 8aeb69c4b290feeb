import AsyncHTTPClient
import Detection
import DetectorService
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import TestSupport
import Testing

private let email = #"{"email":"jane.doe@example.org"}"#
private let card = #"{"card":"4111 1111 1111 1111"}"#

@Suite struct DetectorServerTests {
  @Test func oneDocumentGetsOneResultWithItsFields() async throws {
    try await DetectorHarness.with { detector in
      let answer = try await detector.detect(email)
      #expect(answer.status == 200)
      #expect(answer.headers["Content-Type"] == ["application/json"])
      #expect(try answer.fields == [[.init(path: "$.email", types: ["email"])]])
      #expect(answer.body == DocumentFindings.response([try Detector().detect(json: Array(email.utf8))]))
    }
  }

  @Test func aBatchGetsOneResultPerDocumentInOrder() async throws {
    try await DetectorHarness.with { detector in
      let answer = try await detector.detect(#"{"documents":[\#(email),\#(card),{"count":3}]}"#)
      #expect(answer.status == 200)
      #expect(
        try answer.fields == [
          [.init(path: "$.email", types: ["email"])], [.init(path: "$.card", types: ["card_number"])], [],
        ])
      let results = try #require(try answer.object["results"] as? [[String: Any]])
      #expect(results.map { $0["sensitivity"] as? String } == ["medium", "critical", "none"])
    }
  }

  @Test func anEmptyBatchGetsNoResults() async throws {
    try await DetectorHarness.with { detector in
      let answer = try await detector.detect(#" {"documents": []} "#)
      #expect(answer.status == 200)
      #expect(answer.body == #"{"results":[]}"#)
    }
  }

  @Test func anObjectWithDocumentsBesideOtherKeysIsOneDocument() async throws {
    try await DetectorHarness.with { detector in
      let answer = try await detector.detect(#"{"documents":[\#(email)],"owner":"x"}"#)
      #expect(answer.status == 200)
      #expect(try answer.fields == [[.init(path: "$.documents[*].email", types: ["email"])]])
    }
  }

  @Test(arguments: [
    #"{"email":"jane.doe@example.org""#, #"{"email":}"#, #"{"documents":[{"a":1},]}"#, "[1,2", "nope", "{} {}",
    "   ",
  ])
  func malformedJSONIsRefusedWithTheParsersMessage(body: String) async throws {
    let expected: String
    do {
      _ = try DetectRequest.documents(in: Array(body.utf8))
      Issue.record("\(body) parsed")
      return
    } catch {
      expected = error.description
    }
    try await DetectorHarness.with { detector in
      let answer = try await detector.detect(body)
      #expect(answer.status == 400)
      #expect(answer.headers["Content-Type"] == ["application/json"])
      #expect(answer.error == expected)
      #expect(answer.error?.contains("at byte") == true)
    }
  }

  @Test func anEmptyBodyIsRefused() async throws {
    try await DetectorHarness.with { detector in
      let answer = try await detector.send(body: .bytes(ByteBuffer()))
      #expect(answer.status == 400)
      #expect(answer.error?.contains("empty") == true)
      let none = try await detector.send()
      #expect(none.status == 400)
    }
  }

  /// A valid document of exactly `size` bytes: `{"a":"xxx…"}`.
  static func document(ofSize size: Int) -> ByteBuffer {
    ByteBuffer(string: #"{"a":""# + String(repeating: "x", count: size - 8) + #""}"#)
  }

  @Test func aBodyAtTheLimitIsRead() async throws {
    try await DetectorHarness.with { detector in
      let answer = try await detector.send(body: .bytes(Self.document(ofSize: 1_048_576)))
      #expect(answer.status == 200)
      #expect(detector.metric("sovren_detector_request_body_bytes_total") == 1_048_576)
    }
  }

  @Test func aBodyPastTheLimitIsRefusedFromItsLength() async throws {
    try await DetectorHarness.with { detector in
      let answer = try await detector.send(body: .bytes(Self.document(ofSize: 1_048_577)))
      #expect(answer.status == 413)
      #expect(answer.error == "the request body is larger than 1048576 bytes; send fewer documents per request")
      #expect(detector.metric("sovren_detector_request_body_bytes_total") == 0)
      // The connection still serves.
      #expect(try await detector.detect(email).status == 200)
    }
  }

  @Test func aStreamedBodyPastTheLimitIsRefusedOnceItPassesIt() async throws {
    try await DetectorHarness.with(maxBodyBytes: 1000) { detector in
      let (chunks, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
      for _ in 0..<20 { continuation.yield(ByteBuffer(repeating: UInt8(ascii: " "), count: 100)) }
      continuation.finish()
      let answer = try await detector.send(body: .stream(chunks, length: .unknown))
      #expect(answer.status == 413)
      #expect(answer.error?.contains("larger than 1000 bytes") == true)
    }
  }

  @Test func unknownPathsAre404AndOtherMethods405() async throws {
    try await DetectorHarness.with { detector in
      let missing = try await detector.send(.GET, "/api/v1/detect")
      #expect(missing.status == 404)
      #expect(missing.error == "no such path: /api/v1/detect")
      let get = try await detector.send(.GET, "/api/v2/detect")
      #expect(get.status == 405)
      #expect(get.headers["Allow"] == ["POST"])
      #expect(get.error == "/api/v2/detect does not accept GET; use POST")
      let post = try await detector.send(.POST, "/api/v2/alive", body: .bytes(ByteBuffer(string: email)))
      #expect(post.status == 405)
      #expect(post.error != nil)
    }
  }

  @Test func aliveAnswersForProbes() async throws {
    try await DetectorHarness.with { detector in
      let answer = try await detector.send(.GET, "/api/v2/alive")
      #expect(answer.status == 200)
      #expect(answer.body == #"{"status":"alive"}"#)
    }
  }

  @Test func metricsCountRequestsDocumentsAndFields() async throws {
    try await DetectorHarness.with { detector in
      let batch = #"{"documents":[\#(email),\#(card),\#(email)]}"#
      #expect(try await detector.detect(batch).status == 200)
      #expect(try await detector.detect(email).status == 200)
      #expect(try await detector.detect("{").status == 400)
      #expect(try await detector.send(.GET, "/nowhere").status == 404)
      let answer = try await detector.send(.GET, "/metrics")
      #expect(answer.status == 200)
      let text = answer.body
      func value(_ sample: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(sample + " ") }.flatMap {
          Double($0.dropFirst(sample.count + 1))
        }
      }
      #expect(value(#"sovren_detector_requests_total{code="200"}"#) == 2)
      #expect(value(#"sovren_detector_requests_total{code="400"}"#) == 1)
      #expect(value(#"sovren_detector_requests_total{code="404"}"#) == 1)
      #expect(value("sovren_detector_documents_total") == 4)
      #expect(value(#"sovren_detector_fields_total{type="email"}"#) == 3)
      #expect(value(#"sovren_detector_fields_total{type="card_number"}"#) == 1)
      #expect(value("sovren_detector_request_body_bytes_total") == Double(batch.utf8.count + email.utf8.count + 1))
      // Detections that succeeded.
      #expect(value("sovren_detector_detection_duration_seconds_count") == 2)
      // The /metrics request itself.
      #expect(value("sovren_detector_requests_in_flight") == 1)
    }
  }

  @Test func gracefulShutdownFinishesTheRequestInFlightThenStops() async throws {
    let metrics = DetectorMetrics()
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let server = DetectorServer(
      configuration: DetectorConfiguration(host: "127.0.0.1", port: 0), metrics: metrics,
      logger: DetectorHarness.logger, onListening: { portContinuation.yield($0) })
    let group = ServiceGroup(
      configuration: ServiceGroupConfiguration(services: [server], logger: DetectorHarness.logger))
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    let (chunks, chunkContinuation) = AsyncStream.makeStream(of: ByteBuffer.self)
    try await withThrowingTaskGroup(of: Void.self) { tasks in
      tasks.addTask {
        defer { portContinuation.finish() }
        try await group.run()
      }
      let port = try #require(try await first(of: ports, timeout: .seconds(20)))
      let detector = DetectorHarness(port: port, metrics: metrics)
      let request = Task {
        try await detector.send(body: .stream(chunks, length: .unknown), client: client)
      }
      // Half the body sent: the request is in flight.
      chunkContinuation.yield(ByteBuffer(string: #"{"email":"jane.doe@"#))
      try await eventually("the request to be in flight", timeout: .seconds(20)) {
        detector.metric("sovren_detector_requests_in_flight") == 1
      }
      await group.triggerGracefulShutdown()
      chunkContinuation.yield(ByteBuffer(string: #"example.org"}"#))
      chunkContinuation.finish()
      let answer = try await request.value
      #expect(answer.status == 200)
      #expect(try answer.fields == [[.init(path: "$.email", types: ["email"])]])
      // The server stops: the group's run returns.
      try await tasks.next()
    }
    try await client.shutdown()
  }
}
