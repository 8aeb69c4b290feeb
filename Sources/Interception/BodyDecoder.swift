import CZlib
import SovrenModel

/// Undoes `Content-Encoding`s: gzip (and x-gzip), deflate (zlib-wrapped, or raw as some servers
/// send it), identity. Output is bounded: decoding stops as soon as it would pass `limit`.
enum BodyDecoder {
  enum Failure: Error, Equatable {
    case unsupported(String)
    case corrupt
    case tooLarge

    var dropReason: DropReason {
      switch self {
      case .unsupported: .unsupportedEncoding
      case .corrupt: .corruptEncoding
      case .tooLarge: .decodedBodyTooLarge
      }
    }
  }

  /// Decodes `body` through `encodings`, given in the order the sender applied them.
  static func decode(_ body: [UInt8], encodings: [String], limit: Int) throws(Failure) -> [UInt8] {
    var current = body
    for encoding in encodings.reversed() {
      switch encoding {
      case "identity":
        continue
      case "gzip", "x-gzip":
        current = try inflate(current, windowBits: 15 + 32, limit: limit)
      case "deflate":
        // RFC 9110 says zlib format; enough servers send raw deflate that both are accepted.
        do {
          current = try inflate(current, windowBits: 15, limit: limit)
        } catch .corrupt {
          current = try inflate(current, windowBits: -15, limit: limit)
        }
      default:
        throw .unsupported(encoding)
      }
    }
    guard current.count <= limit else { throw .tooLarge }
    return current
  }

  /// One zlib stream (windowBits as `inflateInit2` takes them). Trailing garbage after the end
  /// of the stream is ignored, as browsers do; a stream that stops early is corrupt.
  private static func inflate(_ input: [UInt8], windowBits: Int32, limit: Int) throws(Failure) -> [UInt8] {
    if input.isEmpty { return [] }
    var stream = z_stream()
    guard sovren_inflateInit2(&stream, windowBits) == Z_OK else { throw .corrupt }
    defer { inflateEnd(&stream) }
    var output: [UInt8] = []
    output.reserveCapacity(min(limit, max(4096, input.count * 4)))
    var chunk = [UInt8](repeating: 0, count: 32 * 1024)
    let result: Int32 = input.withUnsafeBufferPointer { inputBuffer in
      stream.next_in = UnsafeMutablePointer(mutating: inputBuffer.baseAddress)
      stream.avail_in = uInt(inputBuffer.count)
      while true {
        let status: Int32 = chunk.withUnsafeMutableBufferPointer { chunkBuffer in
          stream.next_out = chunkBuffer.baseAddress
          stream.avail_out = uInt(chunkBuffer.count)
          return CZlib.inflate(&stream, Z_NO_FLUSH)
        }
        let produced = chunk.count - Int(stream.avail_out)
        if output.count + produced > limit { return Z_MEM_ERROR }
        output.append(contentsOf: chunk[..<produced])
        switch status {
        case Z_STREAM_END: return Z_STREAM_END
        case Z_OK:
          // No progress possible: input exhausted before the end of the stream.
          if stream.avail_in == 0 && produced == 0 { return Z_BUF_ERROR }
        case Z_BUF_ERROR:
          if stream.avail_in == 0 { return Z_BUF_ERROR }
        default:
          return status
        }
      }
    }
    switch result {
    case Z_STREAM_END: return output
    case Z_MEM_ERROR: throw .tooLarge
    default: throw .corrupt
    }
  }
}
