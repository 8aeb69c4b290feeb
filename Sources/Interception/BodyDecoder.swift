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
    // Room for one byte past the limit, so that passing it is seen.
    let ceiling = limit + 1
    var output: [UInt8] = []
    var room = min(ceiling, max(4096, input.count * 4))
    var status = Z_OK
    input.withUnsafeBufferPointer { inputBuffer in
      stream.next_in = UnsafeMutablePointer(mutating: inputBuffer.baseAddress)
      stream.avail_in = uInt(inputBuffer.count)
      while output.count < ceiling {
        // Uninitialized storage: zlib writes it, nothing needs zeroing first.
        let piece = [UInt8](unsafeUninitializedCapacity: room) { buffer, initialized in
          stream.next_out = buffer.baseAddress
          stream.avail_out = uInt(buffer.count)
          status = CZlib.inflate(&stream, Z_NO_FLUSH)
          initialized = buffer.count - Int(stream.avail_out)
        }
        if output.isEmpty { output = piece } else { output.append(contentsOf: piece) }
        switch status {
        case Z_STREAM_END:
          return
        case Z_OK, Z_BUF_ERROR:
          // Out of input before the end of the stream: it was cut short.
          if stream.avail_in == 0 && stream.avail_out != 0 {
            status = Z_BUF_ERROR
            return
          }
        default:
          return
        }
        room = min(ceiling - output.count, max(4096, output.count))
      }
    }
    if output.count > limit { throw .tooLarge }
    guard status == Z_STREAM_END else { throw .corrupt }
    return output
  }
}
