import Foundation
import Testing

@testable import TrafficSynth

@Suite("Content codings")
struct ContentCodingTests {
  static let body = SyntheticJSON.document(size: 5_000, seed: 42)

  @Test("each coding round-trips through zlib inflate", arguments: ContentCoding.allCases)
  func roundTrip(coding: ContentCoding) throws {
    let encoded = coding.encode(Self.body)
    if coding != .identity { #expect(encoded.count < Self.body.count) }
    #expect(try coding.decode(encoded) == Self.body)
  }

  @Test("wrappers are the ones each header value promises")
  func wrappers() {
    #expect(ContentCoding.gzip.encode(Self.body).prefix(2) == [0x1f, 0x8b])
    #expect(ContentCoding.xGzip.encode(Self.body).prefix(2) == [0x1f, 0x8b])
    let zlib = ContentCoding.deflate.encode(Self.body)
    #expect(zlib.first == 0x78 && (UInt16(zlib[0]) << 8 | UInt16(zlib[1])) % 31 == 0)
    #expect(ContentCoding.rawDeflate.encode(Self.body).first != 0x78)
    #expect(ContentCoding.deflate.headerValue == "deflate" && ContentCoding.rawDeflate.headerValue == "deflate")
    #expect(ContentCoding.xGzip.headerValue == "x-gzip")
  }

  @Test("python's zlib decodes what we send", arguments: [ContentCoding.gzip, .deflate, .rawDeflate])
  func pythonDecodes(coding: ContentCoding) throws {
    let bits = coding == .gzip ? 31 : coding == .deflate ? 15 : -15
    let output = try ExternalTool.run(
      "python3", ["-c", "import sys,zlib; sys.stdout.buffer.write(zlib.decompress(sys.stdin.buffer.read(), \(bits)))"],
      stdin: Data(coding.encode(Self.body)))
    #expect(output.status == 0)
    #expect(Array(output.stdout.utf8) == Self.body)
  }

  @Test("corrupt input is an error, not a crash")
  func corrupt() {
    #expect(throws: SynthError.self) { try ContentCoding.gzip.decode([0x1f, 0x8b, 0, 1, 2, 3]) }
  }
}
