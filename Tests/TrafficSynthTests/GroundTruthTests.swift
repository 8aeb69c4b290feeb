import SovrenModel
import Testing

@testable import TrafficSynth

@Suite("Ground truth rules")
struct GroundTruthTests {
  @Test(
    "accepted content types",
    arguments: [
      ("application/json", true), ("Application/JSON; charset=utf-8", true), ("application/problem+json", true),
      ("application/vnd.api+json ; v=1", true), ("application/x-www-form-urlencoded;charset=UTF-8", true),
      ("text/json", false), ("text/html", false), ("application/jsonl", false),
      ("multipart/form-data; boundary=x", false),
      ("application/json-seq", false),
    ])
  func contentTypes(value: String, accepted: Bool) {
    #expect(PairRules.isAcceptedContentType(value) == accepted)
  }

  @Test(
    "paths ignore the query and the absolute-form authority",
    arguments: [
      ("/metrics?x=1", "/metrics"), ("/a/b", "/a/b"), ("http://h:8080/healthz?y", "/healthz"), ("http://h", "/"),
      ("*", "*"),
    ])
  func paths(target: String, path: String) {
    #expect(PairRules.path(of: target) == path)
  }

  @Test("header values are trimmed and obs-fold lines joined by one space")
  func headerForms() {
    #expect(HeaderLine("A", "  x y \t").expected == HTTPHeader(name: "A", value: "x y"))
    #expect(
      HeaderLine("B", "one", continuations: ["   two  ", "\tthree"]).expected
        == HTTPHeader(name: "B", value: "one two three"))
    #expect(HeaderLine("B", "one", continuations: ["   two"]).wire == "B: one\r\n   two\r\n")
  }

  @Test("chunked encoding carries extensions and trailers, and the pair keeps neither")
  func chunkedEncoding() {
    let response = SynthResponse(
      headers: [HeaderLine("Content-Type", "application/json")], body: Array("0123456789".utf8),
      framing: .chunked(chunkSize: 4, extensions: true, trailers: [HeaderLine("X-T", "1")]))
    let encoded = response.encoded()
    #expect(
      String(decoding: encoded.body, as: UTF8.self)
        == "4;ext=1\r\n0123\r\n4;ext=1\r\n4567\r\n2;ext=1\r\n89\r\n0;ext=1\r\nX-T: 1\r\n\r\n")
    #expect(encoded.expectedHeaders.map(\.name) == ["Content-Type", "Transfer-Encoding"])
    #expect(encoded.decodedBody == Array("0123456789".utf8))
    #expect(encoded.sentBodyLength == 10)
  }

  @Test("a compressed body's sent length is the compressed size; HEAD sends a length and no body")
  func lengths() {
    let body = SyntheticJSON.document(size: 3_000, seed: 1)
    let gzip = SynthResponse(body: body, coding: .gzip).encoded()
    #expect(gzip.sentBodyLength == gzip.body.count && gzip.sentBodyLength < body.count)
    #expect(gzip.expectedHeaders.contains(HTTPHeader(name: "Content-Encoding", value: "gzip")))
    let head = SynthResponse(body: body, framing: .headResponse).encoded()
    #expect(head.body.isEmpty && head.decodedBody.isEmpty)
    #expect(head.expectedHeaders.contains(HTTPHeader(name: "Content-Length", value: "\(body.count)")))
  }

  @Test("exact-size documents have the requested size")
  func exactSizes() {
    for size in [12, 100, 999, 1_000, 1_001, 65_536] { #expect(SyntheticJSON.exact(size: size).count == size) }
  }

  @Test("size rules: at the limit kept, one over dropped, several rules at once ambiguous")
  func sizeRules() {
    let limits = ScenarioLimits(bodyLimit: 100)
    var session = HTTPSession(client: .client(1), server: .server(1), start: .epoch2023)
    func verdict(
      _ request: Int, _ response: Int, coding: ContentCoding = .identity, contentType: String? = "application/json"
    ) -> PairVerdict {
      let record = session.exchange(
        Message.post(
          "/x", server: .server(1), body: SyntheticJSON.exact(size: max(12, request)),
          contentType: contentType ?? "text/plain"),
        Message.ok(
          response == 0 ? [] : SyntheticJSON.exact(size: max(12, response)), contentType: contentType, coding: coding))
      return PairRules.verdict(for: record, limits: limits)
    }
    #expect(verdict(50, 50) == .kept)
    #expect(verdict(50, 51) == .dropped(.pairTooLarge))
    #expect(verdict(101, 0) == .dropped(.bodyTooLarge))
    #expect(verdict(101, 101) == .ambiguous([.bodyTooLarge, .bodyTooLarge]))
    #expect(verdict(101, 0, contentType: nil) == .ambiguous([.bodyTooLarge, .contentType]))
  }
}
