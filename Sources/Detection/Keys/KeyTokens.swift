/// Splits a JSON key into lower-case word tokens, whatever its case style:
/// `DateOfBirth`, `date_of_birth`, `BIRTH-DATE`, `customer.email`, `line1`, `HTTPServerIP`,
/// and run-together words from the hint vocabulary (`dateofbirth`, `firstname`, `ccnumber`).
enum KeyTokens {
  /// Tokens of one key; keys longer than 128 bytes are read only for their first 128.
  static func of(_ key: String) -> [String] {
    var tokens: [String] = []
    var current: [UInt8] = []
    var previous: UInt8 = 0
    func flush() {
      guard !current.isEmpty else { return }
      let word = String(decoding: current, as: UTF8.self)
      current.removeAll(keepingCapacity: true)
      if KeyVocabulary.words.contains(word) {
        tokens.append(word)
      } else if let singular = singular(of: word) {
        tokens.append(singular)
      } else if word.utf8.count >= 5, let pieces = segment(word) {
        tokens.append(contentsOf: pieces)
      } else {
        tokens.append(word)
      }
    }
    let bytes = Array(key.utf8.prefix(128))
    for (index, byte) in bytes.enumerated() {
      if byte.isASCIIUpper {
        // camelCase boundary (`dateOf`), or the last capital of an acronym before a word (`HTTPServer`).
        let nextIsLower = index + 1 < bytes.count && bytes[index + 1].isASCIILower
        if previous.isASCIILower || previous.isASCIIDigit || (previous.isASCIIUpper && nextIsLower) { flush() }
        current.append(byte | 0x20)
      } else if byte.isASCIILower {
        if previous.isASCIIDigit { flush() }
        current.append(byte)
      } else if byte.isASCIIDigit {
        if previous.isASCIILetter { flush() }
        current.append(byte)
      } else if byte >= 0x80 {
        current.append(byte)
      } else {
        flush()
      }
      previous = byte
    }
    flush()
    return tokens
  }

  /// The vocabulary word a plural stands for (`diagnoses` → `diagnosis`, `emails` → `email`,
  /// `addresses` → `address`), nil when there is none.
  static func singular(of word: String) -> String? {
    guard word.utf8.count >= 4, word.hasSuffix("s") else { return nil }
    var candidates = [String(word.dropLast())]
    if word.hasSuffix("es") { candidates.append(String(word.dropLast(2))) }
    if word.hasSuffix("ses") { candidates.append(String(word.dropLast(2)) + "is") }
    return candidates.first(where: KeyVocabulary.words.contains)
  }

  /// Splits a run-together lower-case word into vocabulary words (`dateofbirth` → date, of,
  /// birth), the fewest pieces winning; nil when it cannot be split entirely.
  static func segment(_ word: String) -> [String]? {
    let bytes = Array(word.utf8)
    guard bytes.count <= 40 else { return nil }
    // best[i]: fewest words covering bytes[..<i], and where the last word starts.
    var best = [(count: Int, start: Int)](repeating: (Int.max, -1), count: bytes.count + 1)
    best[0] = (0, 0)
    for end in 1...bytes.count {
      for start in Swift.max(0, end - 14)..<end where best[start].count != Int.max {
        let length = end - start
        guard length >= 2 || bytes[start].isASCIIDigit else { continue }
        let piece = String(decoding: bytes[start..<end], as: UTF8.self)
        guard KeyVocabulary.words.contains(piece) || Validators.allDigits(bytes[start..<end]) else { continue }
        if best[start].count + 1 < best[end].count { best[end] = (best[start].count + 1, start) }
      }
    }
    guard best[bytes.count].count != Int.max, best[bytes.count].count > 1 else { return nil }
    var pieces: [String] = []
    var end = bytes.count
    while end > 0 {
      let start = best[end].start
      pieces.append(String(decoding: bytes[start..<end], as: UTF8.self))
      end = start
    }
    return pieces.reversed()
  }
}
