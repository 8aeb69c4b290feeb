/// `application/x-www-form-urlencoded` bodies and URL query strings read as flat objects:
/// `email=jane%40x.org&plan=pro` → [("email", "jane@x.org"), ("plan", "pro")].
public enum FormFields {
  /// At most this many pairs are read; the rest are ignored.
  public static let maximumPairs = 1_000

  /// The pairs of a whole value that is a form body, nil when it is not one: no whitespace, every
  /// piece `key=value` (a bare `key` is allowed once another piece has `=`), keys of letters,
  /// digits and `_.-[]` or percent escapes.
  public static func pairs(of text: String) -> [(key: String, value: String)]? {
    Validators.withUTF8(of: text, atMost: maximumBytes, orElse: nil) { pairs(of: $0[...]) }
  }

  /// The query of a URL or path (`/search?q=x&email=…`, `https://h/p?…#frag`), read as pairs.
  public static func query(of text: String) -> [(key: String, value: String)]? {
    Validators.withUTF8(of: text, atMost: Int.max, orElse: nil) { bytes in
      guard let question = bytes.firstIndex(of: UInt8(ascii: "?")) else { return nil }
      let afterQuestion = bytes[(question + 1)...]
      let query = afterQuestion[..<(afterQuestion.firstIndex(of: UInt8(ascii: "#")) ?? bytes.endIndex)]
      guard query.count <= maximumBytes else { return nil }
      return pairs(of: query)
    }
  }

  /// The longest form body read.
  static let maximumBytes = 1 << 20

  /// ``pairs(of:)-(String)`` of at most ``maximumBytes`` UTF-8 bytes, read in place: only the keys
  /// and values are copied out.
  static func pairs(of bytes: ByteSlice) -> [(key: String, value: String)]? {
    guard bytes.count >= 3, bytes.contains(UInt8(ascii: "=")),
      !bytes.contains(where: { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == UInt8(ascii: "\"") })
    else { return nil }
    var pairs: [(key: String, value: String)] = []
    var pieceStart = bytes.startIndex
    // The pieces between `&`s; empty ones are skipped.
    while pieceStart <= bytes.endIndex {
      let pieceEnd = bytes[pieceStart...].firstIndex(of: UInt8(ascii: "&")) ?? bytes.endIndex
      let piece = bytes[pieceStart..<pieceEnd]
      pieceStart = pieceEnd + 1
      if piece.isEmpty { continue }
      guard pairs.count < maximumPairs else { break }
      let equals = piece.firstIndex(of: UInt8(ascii: "="))
      let rawKey = equals.map { piece[piece.startIndex..<$0] } ?? piece
      guard !rawKey.isEmpty, rawKey.allSatisfy(isKeyByte) else { return nil }
      let rawValue = equals.map { piece[($0 + 1)...] } ?? piece[piece.endIndex...]
      pairs.append((decode(rawKey), decode(rawValue)))
    }
    return pairs.isEmpty ? nil : pairs
  }

  static func isKeyByte(_ byte: UInt8) -> Bool {
    byte.isASCIIAlphanumeric || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
      || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "%")
  }

  /// Percent escapes resolved and `+` read as a space; a broken escape is kept as written.
  static func decode(_ bytes: ByteSlice) -> String {
    guard bytes.contains(UInt8(ascii: "%")) || bytes.contains(UInt8(ascii: "+")) else {
      return String(decoding: bytes, as: UTF8.self)
    }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var index = bytes.startIndex
    while index < bytes.endIndex {
      let byte = bytes[index]
      if byte == UInt8(ascii: "+") {
        out.append(0x20)
      } else if byte == UInt8(ascii: "%"), index + 2 < bytes.endIndex, bytes[index + 1].isASCIIHexDigit,
        bytes[index + 2].isASCIIHexDigit
      {
        out.append(UInt8(bytes[index + 1].hexValue << 4 | bytes[index + 2].hexValue))
        index += 3
        continue
      } else {
        out.append(byte)
      }
      index += 1
    }
    return String(decoding: out, as: UTF8.self)
  }
}
