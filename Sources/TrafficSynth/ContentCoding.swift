import CZlib

/// The `Content-Encoding`s the generator sends. "deflate" exists in two forms in the wild:
/// zlib-wrapped as RFC 9110 says, and raw deflate as several servers send it.
public enum ContentCoding: Sendable, Hashable, CaseIterable {
  case identity
  case gzip
  /// `x-gzip`, the legacy name for gzip.
  case xGzip
  /// `deflate` with the zlib wrapper (RFC 1950).
  case deflate
  /// `deflate` as raw RFC 1951 data, without the zlib wrapper.
  case rawDeflate

  /// The header value, or nil for identity (no header sent).
  public var headerValue: String? {
    switch self {
    case .identity: nil
    case .gzip: "gzip"
    case .xGzip: "x-gzip"
    case .deflate, .rawDeflate: "deflate"
    }
  }

  /// zlib's `windowBits` selecting the wrapper.
  var windowBits: Int32 {
    switch self {
    case .identity: 15
    case .gzip, .xGzip: 31
    case .deflate: 15
    case .rawDeflate: -15
    }
  }

  /// The body as sent for this coding.
  public func encode(_ body: [UInt8]) -> [UInt8] {
    if self == .identity { return body }
    return Zlib.deflate(body, windowBits: windowBits)
  }

  /// The decoded body; used by tests to check what the generator sent.
  public func decode(_ body: [UInt8]) throws(SynthError) -> [UInt8] {
    if self == .identity { return body }
    return try Zlib.inflate(body, windowBits: windowBits)
  }
}

/// One-shot zlib compression and decompression. The `z_stream` lives at a fixed heap address
/// because zlib keeps a pointer back to it between calls.
enum Zlib {
  /// Compresses in one call into a buffer of `deflateBound` bytes, which zlib guarantees is
  /// enough; the only failures left are a bad parameter or no memory, both programming errors.
  static func deflate(_ input: [UInt8], windowBits: Int32, level: Int32 = 6) -> [UInt8] {
    let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    stream.initialize(to: z_stream())
    defer {
      CZlib.deflateEnd(stream)
      stream.deinitialize(count: 1)
      stream.deallocate()
    }
    let initCode = sovren_deflateInit2(stream, level, windowBits)
    guard initCode == Z_OK else { preconditionFailure("deflateInit2 failed with \(initCode)") }
    var output = [UInt8](repeating: 0, count: Int(CZlib.deflateBound(stream, uLong(input.count))) + 64)
    var input = input
    let code = input.withUnsafeMutableBufferPointer { inBuffer in
      output.withUnsafeMutableBufferPointer { outBuffer in
        stream.pointee.next_in = inBuffer.baseAddress
        stream.pointee.avail_in = uInt(inBuffer.count)
        stream.pointee.next_out = outBuffer.baseAddress
        stream.pointee.avail_out = uInt(outBuffer.count)
        return CZlib.deflate(stream, Z_FINISH)
      }
    }
    guard code == Z_STREAM_END else { preconditionFailure("deflate into deflateBound bytes failed with \(code)") }
    output.removeSubrange(Int(stream.pointee.total_out)...)
    return output
  }

  static func inflate(_ input: [UInt8], windowBits: Int32) throws(SynthError) -> [UInt8] {
    let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    stream.initialize(to: z_stream())
    defer {
      CZlib.inflateEnd(stream)
      stream.deinitialize(count: 1)
      stream.deallocate()
    }
    let initCode = sovren_inflateInit2(stream, windowBits)
    guard initCode == Z_OK else { throw .zlib(operation: "inflateInit2", code: initCode) }
    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    var input = input
    var code: Int32 = Z_OK
    input.withUnsafeMutableBufferPointer { inBuffer in
      stream.pointee.next_in = inBuffer.baseAddress
      stream.pointee.avail_in = uInt(inBuffer.count)
      repeat {
        let produced = chunk.withUnsafeMutableBufferPointer { outBuffer -> Int in
          stream.pointee.next_out = outBuffer.baseAddress
          stream.pointee.avail_out = uInt(outBuffer.count)
          code = CZlib.inflate(stream, Z_NO_FLUSH)
          return outBuffer.count - Int(stream.pointee.avail_out)
        }
        output += chunk[0..<produced]
      } while code == Z_OK && (stream.pointee.avail_in > 0 || stream.pointee.avail_out == 0)
    }
    guard code == Z_STREAM_END else { throw .zlib(operation: "inflate", code: code) }
    return output
  }
}
