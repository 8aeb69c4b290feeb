import SovrenModel
import Testing
import TrafficSynth

@testable import Interception

@Suite("Body decoding")
struct BodyDecoderTests {
  let body = Array(String(repeating: "{\"email\":\"a@b.example\"},", count: 200).utf8)

  @Test(
    "gzip, x-gzip, zlib and raw deflate decode; identity passes",
    arguments: [
      ("gzip", ContentCoding.gzip), ("x-gzip", .xGzip), ("deflate", .deflate), ("deflate", .rawDeflate),
    ])
  func decodes(name: String, coding: ContentCoding) throws {
    let encoded = try coding.encode(body)
    #expect(try BodyDecoder.decode(encoded, encodings: [name], limit: 1 << 20) == body)
    #expect(try BodyDecoder.decode(encoded, encodings: ["identity", name], limit: 1 << 20) == body)
  }

  @Test("stacked codings are undone in reverse order")
  func stacked() throws {
    let twice = try ContentCoding.gzip.encode(try ContentCoding.deflate.encode(body))
    #expect(try BodyDecoder.decode(twice, encodings: ["deflate", "gzip"], limit: 1 << 20) == body)
  }

  @Test("the limit is exact: at it decodes, one past it fails")
  func limit() throws {
    let encoded = try ContentCoding.gzip.encode(body)
    #expect(try BodyDecoder.decode(encoded, encodings: ["gzip"], limit: body.count) == body)
    #expect(throws: BodyDecoder.Failure.tooLarge) {
      try BodyDecoder.decode(encoded, encodings: ["gzip"], limit: body.count - 1)
    }
    // A bomb: a megabyte of zeros in a few kilobytes, against a small limit.
    let bomb = try ContentCoding.gzip.encode(Array(repeating: 0, count: 1 << 20))
    #expect(throws: BodyDecoder.Failure.tooLarge) { try BodyDecoder.decode(bomb, encodings: ["gzip"], limit: 4096) }
  }

  @Test("cut or corrupt streams and unknown codings fail with their reason")
  func failures() throws {
    let encoded = try ContentCoding.gzip.encode(body)
    #expect(throws: BodyDecoder.Failure.corrupt) {
      try BodyDecoder.decode(Array(encoded.prefix(encoded.count / 2)), encodings: ["gzip"], limit: 1 << 20)
    }
    #expect(throws: BodyDecoder.Failure.corrupt) {
      try BodyDecoder.decode([0x1F, 0x8B, 0x08, 0, 0xFF, 0xFF], encodings: ["gzip"], limit: 1 << 20)
    }
    #expect(throws: BodyDecoder.Failure.unsupported("br")) {
      try BodyDecoder.decode(encoded, encodings: ["br"], limit: 10)
    }
    #expect(try BodyDecoder.decode([], encodings: ["gzip"], limit: 10) == [])
  }
}

@Suite("Message heads")
struct MessageHeadTests {
  func parse(_ text: String) throws -> MessageHead {
    try Array(text.utf8).withUnsafeBytes { try MessageHeadParser.parse($0) }
  }

  @Test("framing facts come from the headers, whatever their case")
  func framing() throws {
    let head = try parse(
      "POST /a HTTP/1.1\r\ncontent-LENGTH: 5 , 5\r\nTransfer-Encoding: gzip\r\ntransfer-encoding: Chunked\r\n"
        + "Content-Encoding: GZIP, identity\r\nConnection: Keep-Alive, close\r\n\r\n")
    // Connection options are kept as headers; framing never depends on them (a FIN ends a stream).
    #expect(head.headers.first(named: "connection") == "Keep-Alive, close")
    #expect(head.contentLength == 5)
    #expect(head.isChunked)
    #expect(!head.hasOtherTransferEncoding)
    #expect(head.contentEncodings == ["gzip", "identity"])
  }

  @Test(
    "malformed heads are refused",
    arguments: [
      "POST /a HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
      "POST /a HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
      "POST /a HTTP/1.1\r\nContent-Length: 1234567890123456789\r\n\r\n",
      "POST /a HTTP/1.1\r\nBad Name: x\r\n\r\n",
      "POST /a HTTP/1.1\r\n folded-first: x\r\n\r\n",
      "POST /a b HTTP/1.1\r\n\r\n", "GET /a HTTP/2.0\r\n\r\n", "HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 200OK\r\n\r\n",
      "GET\u{1}/ HTTP/1.1\r\n\r\n", "PRI * HTTP/2.0\r\n\r\n",
    ])
  func malformed(text: String) {
    #expect(throws: HeadParseError.self) { try parse(text) }
  }

  @Test(
    "content types that count as JSON or form",
    arguments: [
      ("application/json", true), ("Application/JSON; charset=utf-8", true), ("application/problem+json", true),
      ("application/vnd.api+json ;v=1", true), ("application/x-www-form-urlencoded", true),
      ("application/+json", false),
      ("text/json", false), ("application/jsonp", false), ("application/json-seq", false),
      ("multipart/form-data", false),
      ("", false), (" application/json ", true),
    ])
  func contentTypes(value: String, accepted: Bool) throws {
    let head = try parse("HTTP/1.1 200 OK\r\nContent-Type: \(value)\r\n\r\n")
    #expect(head.hasJSONOrFormContentType == accepted)
  }

  @Test("kube-probe is a prefix match and our own headers are found in any case")
  func markers() throws {
    #expect(try parse("GET / HTTP/1.1\r\nUser-Agent: kube-probe/1.30\r\n\r\n").isKubeProbe)
    #expect(try !parse("GET / HTTP/1.1\r\nUser-Agent: not-kube-probe/1.30\r\n\r\n").isKubeProbe)
    #expect(try parse("GET / HTTP/1.1\r\nx-soveren-REQUEST:\r\n\r\n").hasSovrenHeader)
    #expect(try parse("GET / HTTP/1.1\r\nX-Sovren-Request: 1\r\n\r\n").hasSovrenHeader)
  }

  @Test("folded values join with one space; bare LF line ends are accepted")
  func folding() throws {
    let head = try parse("GET / HTTP/1.1\nX-A: one\n   two\n\tthree\nX-B:  b \n\n")
    #expect(head.headers == [HTTPHeader(name: "X-A", value: "one two three"), HTTPHeader(name: "X-B", value: "b")])
  }
}

@Suite("Request paths")
struct RequestPathTests {
  @Test(
    "the path of a target, without query or fragment",
    arguments: [
      ("/metrics", "/metrics"), ("/metrics?x=1", "/metrics"), ("/a#f", "/a"), ("http://h:8080/healthz?x", "/healthz"),
      ("https://h", "/"), ("*", "*"), ("h:443", "h:443"), ("/a/../b", "/a/../b"), ("/é?q", "/é"),
    ])
  func paths(target: String, path: String) {
    #expect(PairFilter.path(of: target) == path)
  }
}
