import CZlib

/// A structurally valid PNG (signature, IHDR, IDAT, IEND with correct CRCs) whose pixel data
/// is noise: non-JSON payload that dissectors accept as an image.
enum SyntheticImage {
  static func png(size: Int, random: inout SeededGenerator) -> [UInt8] {
    var bytes: [UInt8] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
    var header: [UInt8] = []
    header.appendBigEndian(UInt32(64))
    header.appendBigEndian(UInt32(64))
    header += [8, 2, 0, 0, 0]
    appendChunk("IHDR", header, to: &bytes)
    let noise = (0..<max(16, size - 57)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    appendChunk("IDAT", noise, to: &bytes)
    appendChunk("IEND", [], to: &bytes)
    return bytes
  }

  private static func appendChunk(_ type: String, _ data: [UInt8], to bytes: inout [UInt8]) {
    bytes.appendBigEndian(UInt32(data.count))
    let typed = Array(type.utf8) + data
    bytes += typed
    let crc = typed.withUnsafeBufferPointer { CZlib.crc32(0, $0.baseAddress, uInt($0.count)) }
    bytes.appendBigEndian(UInt32(truncatingIfNeeded: crc))
  }
}
