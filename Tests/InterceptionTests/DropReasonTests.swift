import Interception
import SovrenModel
import Testing
import TrafficSynth

/// Every drop reason has an input that makes its counter move, and only where expected. The
/// switch is exhaustive: a new reason does not compile until it has a test here.
@Suite("Drop reasons")
struct DropReasonTests {
  @Test("the counter moves", arguments: DropReason.allCases)
  func counterMoves(_ reason: DropReason) throws {
    let statistics: InterceptorStatistics
    switch trigger(for: reason) {
    case .scenario(let name):
      let scenario = try #require(Scenarios.named(name))
      statistics = try intercept(scenario).statistics
    case .direct(let configuration, let feed):
      let target = try RawInterceptor(configuration: configuration)
      feed(target)
      target.finish()
      statistics = target.statistics
    }
    #expect(statistics.drops[reason] >= 1, "\(reason.label) did not move")
    #expect(statistics.bufferedBytes == 0)
  }

  enum Trigger {
    case scenario(String)
    case direct(InterceptorConfiguration, (RawInterceptor) -> Void)
  }

  func trigger(for reason: DropReason) -> Trigger {
    switch reason {
    case .truncatedPacket: return .scenario("snaplen-truncated")
    case .malformedPacket:
      return .direct(InterceptorConfiguration()) { target in
        var packet = RawPackets().segment(
          from: RawPackets().client, to: RawPackets().server, sequence: 1, flags: .ack, payload: bytes("x"))
        packet[0] = 0x42
        target.feed(packet)
      }
    case .ipFragment: return .scenario("ip-fragments")
    case .streamGap: return .scenario("lost-segment-request")
    case .connectionLimit:
      var configuration = InterceptorConfiguration()
      configuration.maxConnections = 1
      return .direct(configuration) { target in
        Conversation(target, clientPort: 1).opened()
        Conversation(target, clientPort: 2).opened()
      }
    case .connectionBufferLimit:
      var configuration = InterceptorConfiguration()
      configuration.maxBufferedBytesPerConnection = 8_192
      return .direct(configuration) { target in
        var conversation = Conversation(target)
        conversation.open()
        conversation.clientSends(
          bytes("POST /a HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 20000\r\n\r\n")
            + Array(repeating: 0x20, count: 20_000))
      }
    case .totalBufferLimit:
      var configuration = InterceptorConfiguration()
      configuration.maxBufferedBytesPerConnection = 8_192
      configuration.maxBufferedBytesTotal = 10_000
      return .direct(configuration) { target in
        for port: UInt16 in 1...3 {
          var conversation = Conversation(target, clientPort: port)
          conversation.open()
          conversation.clientSends(
            bytes("POST /a HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 6000\r\n\r\n")
              + Array(repeating: 0x20, count: 6_000))
        }
      }
    case .notHTTP: return .scenario("not-http")
    case .malformedHTTP: return .scenario("malformed-http")
    case .headerTooLarge:
      var configuration = InterceptorConfiguration()
      configuration.maxHeaderBytes = 100
      return .direct(configuration) { target in
        var conversation = Conversation(target)
        conversation.open()
        conversation.clientSends(bytes("GET /a HTTP/1.1\r\nX-Long: \(String(repeating: "y", count: 200))\r\n\r\n"))
      }
    case .bodyTooLarge: return .scenario("size-limit-request")
    case .decodedBodyTooLarge: return .scenario("size-limit-decoded")
    case .pairTooLarge: return .scenario("size-limit-pair")
    case .unsupportedEncoding:
      return .direct(InterceptorConfiguration()) { target in
        exchange(target, responseHead: "Content-Encoding: br\r\n", responseBody: [1, 2, 3])
      }
    case .corruptEncoding:
      return .direct(InterceptorConfiguration()) { target in
        exchange(target, responseHead: "Content-Encoding: gzip\r\n", responseBody: [0x1F, 0x8B, 8, 0, 1, 2, 3, 4, 5])
      }
    case .incompleteMessage: return .scenario("reset-mid-message")
    case .tooManyPending:
      var configuration = InterceptorConfiguration()
      configuration.maxPendingRequests = 1
      return .direct(configuration) { target in
        var conversation = Conversation(target)
        conversation.open()
        conversation.clientSends(bytes("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n"))
        conversation.serverSends(jsonResponse("{}") + jsonResponse("{}"))
      }
    case .responseTimeout: return .scenario("response-timeout")
    case .unansweredRequest: return .scenario("pending-at-close-and-end")
    case .unmatchedResponse: return .scenario("mid-stream-start")
    case .contentType: return .scenario("filter-content-type")
    case .kubeProbe: return .scenario("filter-kube-probe")
    case .sovrenRequest: return .scenario("filter-sovren-request")
    case .status: return .scenario("filter-status")
    case .excludedPath: return .scenario("filter-excluded-paths")
    }
  }
}

/// One JSON GET answered by a response with extra head lines and a raw body.
private func exchange(_ target: RawInterceptor, responseHead: String, responseBody: [UInt8]) {
  var conversation = Conversation(target)
  conversation.open()
  conversation.clientSends(bytes("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"))
  conversation.serverSends(
    bytes(
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\(responseHead)Content-Length: \(responseBody.count)\r\n\r\n"
    )
      + responseBody)
}

extension Conversation {
  /// Opens the connection and sends one byte of a request, so it is tracked.
  func opened() {
    var copy = self
    copy.open()
    copy.clientSends(bytes("G"))
  }
}

@Suite("Metrics")
struct MetricsTests {
  @Test("every drop reason is a Prometheus series, with its count")
  func exposition() throws {
    let scenario = try #require(Scenarios.named("filter-status"))
    let text = try intercept(scenario).statistics.prometheusText(labels: ["node": "n\"1"])
    for reason in DropReason.allCases {
      #expect(text.contains("sovren_interceptor_drops_total{node=\"n\\\"1\",reason=\"\(reason.label)\"} "))
    }
    #expect(text.contains("sovren_interceptor_drops_total{node=\"n\\\"1\",reason=\"status\"} 9\n"))
    #expect(text.contains("sovren_interceptor_pairs_total{node=\"n\\\"1\"} 5\n"))
    #expect(text.contains("# TYPE sovren_interceptor_drops_total counter"))
  }
}
