/// Finds the typed values embedded in free text ("reach me at jane@x.org or +44 20 7946 0958"):
/// only what validators prove, or what a dictionary and a context word make near-certain, since a
/// sentence gives no key to lean on.
///
/// Prose is most of what the detector reads, so the scan works on the text's UTF-8 bytes. A word
/// whose bytes are all ASCII has one `Character` per byte, and there byte tests answer exactly what
/// the `Character` and `String` tests of the rules would. A word with any other byte is read through
/// `Substring`, which is the definition of the rules (letters, upper case, case folding and canonical
/// equivalence beyond ASCII).
enum FreeText {
  /// Texts longer than this are read only for their first `scanLimit` bytes.
  static let scanLimit = 16_384
  /// At most this many words are read.
  static let wordLimit = 2_000

  /// Whether a value is prose worth scanning rather than one formatted value.
  /// Three words or more; when they carry neither digits nor `@`, five or more (a product or
  /// company name of a few words is not prose).
  static func isProse(_ profile: ValueProfile) -> Bool {
    profile.spaces >= 2 && profile.words >= 3 && profile.letters >= 6
      && (profile.digits > 0 || profile.hasAt || profile.words >= 5)
  }

  static func types(in text: String, referenceYear: Int) -> Set<DataType> {
    foundTypes(in: text, referenceYear: referenceYear).set
  }

  /// ``types(in:referenceYear:)-(String,_)`` as a ``FoundTypes``, which allocates nothing.
  static func foundTypes(in text: String, referenceYear: Int) -> FoundTypes {
    withProse(of: text) { types(in: $0, referenceYear: referenceYear) }
  }

  static func types(in prose: Prose, referenceYear: Int) -> FoundTypes {
    var found = FoundTypes()
    let words = prose.words
    var index = 0
    while index < words.count {
      // Most words are neither a value alone nor the start of one: they are passed over here.
      if words[index].mayProveAlone, let type = singleTokenType(prose, index) {
        found.add(type)
        index += 1
        continue
      }
      if words[index].trimmedCount == 6, starts(prose.trimmedBytes(index), with: "Bearer"),
        index + 1 < words.count,
        Validators.isJWT(utf8: prose.trimmedBytes(index + 1))
      {
        found.add(.jwt)
        index += 2
        continue
      }
      // Values written over several words: spaced card numbers, IBANs and phone numbers, all of
      // which have digits.
      if prose.hasDigit, mayStartSpacedValue(prose.trimmedBytes(index)),
        let (type, length) = spacedValue(prose, from: index)
      {
        found.add(type)
        index += length
        continue
      }
      index += 1
    }
    if let name = personName(prose) { found.add(name) }
    contextual(prose, into: &found)
    // A house number and a date start with a digit.
    if prose.hasDigit, streetAddress(prose) { found.add(.address) }
    if prose.hasDigit, birthDate(prose, referenceYear: referenceYear) { found.add(.dateOfBirth) }
    return found
  }

  /// One word of the text, as byte offsets into ``Prose/bytes``. Bounds are where `text[a..<b]`
  /// would put them: one inside a character (only possible at the scan limit) is rounded down.
  ///
  /// The offsets are stored in 32 bits (the scan limit is far below `Int32.max`), so that a word
  /// takes 24 bytes and the words of most texts fit in the stack memory ``withProse(of:_:)`` lends.
  struct Word {
    private let storedStart: Int32
    private let storedEnd: Int32
    private let storedTrimmedStart: Int32
    private let storedTrimmedEnd: Int32
    private let storedEquals: Int32
    /// No byte of the word is beyond ASCII.
    let isASCII: Bool
    /// The word has a digit, `:` or `@`, without which a word of under 20 bytes is no value.
    let mayHoldValue: Bool
    /// The roles of the trimmed word, lower-cased; `.street` as ``StreetVocabulary/isStreetWord(utf8:)``
    /// answers (a trailing `.` dropped).
    var roles: WordRoles

    init(
      start: Int, end: Int, trimmedStart: Int, trimmedEnd: Int, equals: Int, isASCII: Bool, mayHoldValue: Bool,
      roles: WordRoles
    ) {
      storedStart = Int32(truncatingIfNeeded: start)
      storedEnd = Int32(truncatingIfNeeded: end)
      storedTrimmedStart = Int32(truncatingIfNeeded: trimmedStart)
      storedTrimmedEnd = Int32(truncatingIfNeeded: trimmedEnd)
      storedEquals = Int32(truncatingIfNeeded: equals)
      self.isASCII = isASCII
      self.mayHoldValue = mayHoldValue
      self.roles = roles
    }

    var start: Int { Int(storedStart) }
    var end: Int { Int(storedEnd) }
    /// Without the punctuation prose puts around a value, and after the `key=` of a log line.
    var trimmedStart: Int { Int(storedTrimmedStart) }
    var trimmedEnd: Int { Int(storedTrimmedEnd) }
    /// Where the `=` of `key=value` is when the trimmed word is the value; -1 otherwise.
    var equals: Int { Int(storedEquals) }

    var trimmedCount: Int { trimmedEnd - trimmedStart }
    /// Whether ``FreeText/singleTokenType(_:_:)`` may find a value in the word: 7 bytes or more, and
    /// a digit, `:` or `@` when under 20.
    var mayProveAlone: Bool { trimmedCount >= 7 && (trimmedCount >= 20 || mayHoldValue) }
  }

  /// How many words ``withProse(of:_:)`` keeps on the stack: as many as fit in the 1 KB that
  /// `withUnsafeTemporaryAllocation` puts there without asking the thread for its stack bounds.
  /// Prose values seldom have more; a text that does has its words in an array.
  static var stackWordCapacity: Int { 1_024 / MemoryLayout<Word>.stride }

  /// Calls `body` with the text's scanned bytes and words. The bytes are the string's own storage,
  /// borrowed for the call: reading them neither copies nor retains. The words are in memory lent
  /// for the call too (on the stack unless there are many).
  static func withProse<Result>(of text: String, _ body: (Prose) -> Result) -> Result {
    if let result = text.utf8.withContiguousStorageIfAvailable({ withProse(of: text, utf8: $0, body) }) {
      return result
    }
    // A string not stored as contiguous UTF-8 (bridged from elsewhere) is read from a copy.
    return Array(text.utf8).withUnsafeBufferPointer { withProse(of: text, utf8: $0, body) }
  }

  /// ``withProse(of:_:)`` of a text whose UTF-8 (all of it) is `utf8`.
  static func withProse<Result>(
    of text: String, utf8: UnsafeBufferPointer<UInt8>, _ body: (Prose) -> Result
  ) -> Result {
    let count = Swift.min(scanLimit, utf8.count)
    let bytes = UnsafeBufferPointer(rebasing: utf8[..<count])
    // A character cut by the limit ends the scanned text at its start, as `text[..<limit]` would.
    var limit = count
    if count < utf8.count, utf8[count] & 0xC0 == 0x80 {
      while limit > 0, utf8[limit - 1] & 0xC0 == 0x80 { limit -= 1 }
      if limit > 0 { limit -= 1 }
    }
    var summary = WordsSummary()
    let result = withUnsafeTemporaryAllocation(of: Word.self, capacity: stackWordCapacity) { stack -> Result? in
      guard let count = words(of: text, bytes: bytes, roundingLimitTo: limit, into: stack, summary: &summary)
      else { return nil }
      return body(
        Prose(text: text, bytes: bytes, words: UnsafeBufferPointer(rebasing: stack[..<count]), summary: summary))
    }
    if let result { return result }
    // More words than the stack holds: they are read again, into an array with room for them all
    // (words are separated by whitespace: at most one in two bytes, rounded up).
    let many = [Word](unsafeUninitializedCapacity: Swift.min(wordLimit, (count + 1) / 2)) { buffer, initialized in
      summary = WordsSummary()
      initialized = words(of: text, bytes: bytes, roundingLimitTo: limit, into: buffer, summary: &summary) ?? 0
    }
    return many.withUnsafeBufferPointer { body(Prose(text: text, bytes: bytes, words: $0, summary: summary)) }
  }

  /// A text's scanned bytes and words. It borrows both: see ``withProse(of:_:)``.
  struct Prose {
    let text: String
    /// The first `scanLimit` bytes of the text.
    let bytes: UnsafeBufferPointer<UInt8>
    let words: UnsafeBufferPointer<Word>
    let summary: WordsSummary

    /// Some word has an ASCII digit: without one, no pass that reads numbers can find anything.
    var hasDigit: Bool { summary.hasDigit }

    func bytes(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: bytes[range]) }
    func textBytes(_ index: Int) -> UnsafeBufferPointer<UInt8> { bytes(words[index].start..<words[index].end) }
    func trimmedBytes(_ index: Int) -> UnsafeBufferPointer<UInt8> {
      bytes(words[index].trimmedStart..<words[index].trimmedEnd)
    }

    /// The word as the rules' `Substring`, for validators and the non-ASCII path.
    func text(_ index: Int) -> Substring { substring(words[index].start..<words[index].end) }
    func trimmed(_ index: Int) -> Substring { substring(words[index].trimmedStart..<words[index].trimmedEnd) }

    func substring(_ range: Range<Int>) -> Substring {
      let utf8 = text.utf8
      let lower = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
      return text[lower..<utf8.index(lower, offsetBy: range.count)]
    }
  }

  static func isLeadingPunctuation(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "(") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "\"")
      || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "<")
  }

  static func isTrailingPunctuation(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "!"),
      UInt8(ascii: "?"), UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: "\""),
      UInt8(ascii: "'"), UInt8(ascii: ">"):
      true
    default: false
    }
  }

  /// The words of the text (split on whitespace), each with its trimmed form; at most `wordLimit`
  /// words from the first `scanLimit` bytes.
  static func tokens(of text: String) -> [Word] { withProse(of: text) { Array($0.words) } }

  /// What the words of a text have between them: a pass that looks for what no word has is skipped.
  struct WordsSummary {
    /// Some word has an ASCII digit.
    var hasDigit = false
    /// Some word has an `@`.
    var hasAt = false
    /// Some word is split at the `=` of `key=value`.
    var hasKeyValue = false
    /// Every role of some word.
    var roles: WordRoles = []
  }

  /// Splits `bytes` into words, at most `wordLimit` of them, written at the start of `buffer`; their
  /// count, or nil when `buffer` has no room for them all (some of it is then initialized). `limit`
  /// is where the scanned text ends once a character cut by the scan limit is rounded down: a bound
  /// past it is moved back to it. `summary` gains what the words have.
  static func words(
    of text: String, bytes: UnsafeBufferPointer<UInt8>, roundingLimitTo limit: Int,
    into buffer: UnsafeMutableBufferPointer<Word>, summary: inout WordsSummary
  ) -> Int? {
    let vocabulary = ProseVocabulary.shared
    let end = bytes.count
    var count = 0
    var index = 0
    while index < end, count < wordLimit {
      while index < end, bytes[index].isASCIIWhitespace { index += 1 }
      guard index < end else { break }
      guard count < buffer.count else { return nil }
      let start = index
      var isASCII = true
      var mayHoldValue = false
      var equals = -1
      while index < end {
        let byte = bytes[index]
        // Whitespace, digits, `:`, `=` and `@` are all at most `@`: most letters take one comparison.
        if byte <= UInt8(ascii: "@") {
          if byte.isASCIIWhitespace { break }
          if byte.isASCIIDigit {
            mayHoldValue = true
            summary.hasDigit = true
          } else if byte == UInt8(ascii: ":") {
            mayHoldValue = true
          } else if byte == UInt8(ascii: "@") {
            mayHoldValue = true
            summary.hasAt = true
          } else if byte == UInt8(ascii: "="), equals < 0 {
            equals = index
          }
        } else if byte >= 0x80 {
          isASCII = false
        }
        index += 1
      }
      var trimmedStart = start
      var trimmedEnd = index
      while trimmedStart < trimmedEnd, isLeadingPunctuation(bytes[trimmedStart]) { trimmedStart += 1 }
      while trimmedEnd > trimmedStart, isTrailingPunctuation(bytes[trimmedEnd - 1]) { trimmedEnd -= 1 }
      // A log line's `key=value`: the value is the word (`pan=4111…`). Punctuation is never `=`, so
      // the word's first `=` is the trimmed word's.
      if equals >= 0, equals + 1 < trimmedEnd {
        trimmedStart = equals + 1
      } else {
        equals = -1
      }
      var word = Word(
        start: start, end: Swift.min(index, limit), trimmedStart: Swift.min(trimmedStart, limit),
        trimmedEnd: Swift.min(trimmedEnd, limit), equals: equals, isASCII: isASCII, mayHoldValue: mayHoldValue,
        roles: [])
      word.roles = roles(of: word, in: text, bytes: bytes, vocabulary: vocabulary)
      summary.roles.formUnion(word.roles)
      if equals >= 0 { summary.hasKeyValue = true }
      buffer.initializeElement(at: count, to: word)
      count += 1
    }
    return count
  }

  /// ``Word/roles`` for a word whose bounds are set. Inlined in the scan: most words are short
  /// ASCII ones, whose roles are one table lookup.
  @inline(__always)
  static func roles(
    of word: Word, in text: String, bytes: UnsafeBufferPointer<UInt8>, vocabulary: ProseVocabulary
  ) -> WordRoles {
    let trimmed = UnsafeBufferPointer(rebasing: bytes[word.trimmedStart..<word.trimmedEnd])
    // Lower-casing keeps an ASCII first byte ASCII: most numbers and symbols start no entry.
    guard let first = trimmed.first, vocabulary.mayStartEntry(first) else { return [] }
    guard word.isASCII else { return nonASCIIRoles(of: word, in: text, trimmed: trimmed) }
    var roles = vocabulary.roles(ofASCII: trimmed)
    if trimmed.last == UInt8(ascii: ".") {
      roles.remove(.street)
      let stem = UnsafeBufferPointer(rebasing: trimmed.dropLast())
      if vocabulary.roles(ofASCII: stem).contains(.street) { roles.insert(.street) }
    }
    return roles
  }

  /// ``roles(of:in:bytes:vocabulary:)`` of a word with a byte beyond ASCII; `trimmed` is its
  /// trimmed bytes.
  @inline(never)
  static func nonASCIIRoles(of word: Word, in text: String, trimmed: UnsafeBufferPointer<UInt8>) -> WordRoles {
    // A Latin word not ending in `.` (whose lower case is not cut below) needs no `String`.
    if trimmed.last != UInt8(ascii: "."), let roles = NonASCIIVocabulary.shared.roles(ofLatin: trimmed) {
      return roles
    }
    let utf8 = text.utf8
    let lower = utf8.index(utf8.startIndex, offsetBy: word.trimmedStart)
    let substring = text[lower..<utf8.index(lower, offsetBy: trimmed.count)]
    let lowered = substring.lowercased()
    var roles = ProseVocabulary.entries.contains(lowered) ? WordRoles.of(lowercased: lowered) : []
    if lowered.hasSuffix(".") {
      roles.remove(.street)
      if StreetVocabulary.words.contains(String(lowered.dropLast())) { roles.insert(.street) }
    }
    return roles
  }

  /// The type a word proves alone: an e-mail address, a card number, an IP address, a key.
  ///
  /// The word's ``TokenShape`` turns away what each validator would refuse (a card number is 12–19
  /// digits and dashes, an IPv4 address digits and three dots), and the validators read the word's
  /// bytes in place. The rules' character tests are byte tests on an
  /// ASCII word; beyond ASCII they are kept where a validator does not settle them (every validator
  /// but the masked card number's refuses a byte beyond ASCII).
  static func singleTokenType(_ prose: Prose, _ index: Int) -> DataType? {
    let bytes = prose.trimmedBytes(index)
    let count = bytes.count
    guard prose.words[index].mayProveAlone else { return nil }
    let shape = TokenShape(bytes)
    // Most words of prose have neither digits, `@` nor `:`, and are too short for a key or token.
    if count < 20, shape.digits == 0, !shape.hasAt, shape.colons == 0 { return nil }
    // The validators read the word's bytes, which are the `Substring`'s: its bounds are whole
    // scalars. The `Substring` is made only for the `Character` tests of a word beyond ASCII.
    if shape.hasAt, shape.isASCII || prose.trimmed(index).contains("@") {
      if Validators.isEmail(utf8: bytes) { return .email }
      if contains(bytes, "://"), shape.isASCII || prose.trimmed(index).contains("://"),
        Validators.isURLWithCredentials(utf8: bytes)
      {
        return .urlWithCredentials
      }
      return nil
    }
    let first = bytes[0]
    if starts(bytes, with: "eyJ"), Validators.isJWT(utf8: bytes) { return .jwt }
    if count == 20, first == UInt8(ascii: "A"), Validators.isAWSAccessKeyID(utf8: bytes) { return .awsAccessKey }
    // Vendor keys are letters, digits, `_`, `-` and `.`: a URL or a sentence fragment is none. The
    // vendors' prefixes turn most words away sooner than their bytes do.
    if count >= 20, Validators.vendorAPIKey(utf8: bytes) != nil, bytes.allSatisfy(isKeyCharacter) { return .apiKey }
    if count == 11, shape.dashes > 0, Validators.isUSSSN(utf8: bytes) { return .usSSN }
    if count >= 15, first.isASCIIUpper, bytes[1].isASCIIUpper, Validators.isIBAN(utf8: bytes) { return .iban }
    if shape.mayBeCardNumber, Validators.isCardNumber(utf8: bytes) { return .cardNumber }
    if shape.mayBeMaskedCardNumber, Validators.isMaskedCardNumber(utf8: bytes) { return .maskedCardNumber }
    if first == UInt8(ascii: "+"), Validators.isE164(utf8: bytes) { return .phone }
    if shape.dashes + shape.dots > 0, first.isASCIIDigit, shape.mayBePhoneNumber, Validators.isPhoneNumber(utf8: bytes)
    {
      return .phone
    }
    if shape.mayBeIPv4, Validators.isIPv4(utf8: bytes) { return .ipAddress }
    if shape.colons > 0 {
      if count == 12 || count == 14 || count == 17, Validators.isMACAddress(utf8: bytes) { return .macAddress }
      if shape.colons >= 2, mayBeIPv6(bytes), Validators.isIPv6(utf8: bytes) { return .ipAddress }
    }
    return nil
  }

  /// Whether the address part (before a `%zone`) is hex digits, `:` and `.`, with a `::` or six
  /// colons at least (eight groups, or six and an IPv4 tail), as `Validators.isIPv6` requires.
  static func mayBeIPv6(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var colons = 0
    var compressed = false
    var previous: UInt8 = 0
    for byte in bytes {
      if byte == UInt8(ascii: "%") { break }
      guard byte.isASCIIHexDigit || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".") else { return false }
      if byte == UInt8(ascii: ":") {
        colons += 1
        if previous == UInt8(ascii: ":") { compressed = true }
      }
      previous = byte
    }
    return compressed || colons >= 6
  }

  /// What one pass over a word's bytes says of the validators that could accept it: counts of the
  /// characters values are made of. Each `mayBe…` is a condition the validator's value must meet.
  struct TokenShape {
    let count: Int
    var digits = 0
    var dots = 0
    var dashes = 0
    var colons = 0
    /// `*`, `x`, `X`: the masks of a masked card number.
    var masks = 0
    /// `+`, `(`, `)`: what else a phone number holds.
    var phoneMarks = 0
    var hasAt = false
    var isASCII = true

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
      count = bytes.count
      // One table lookup and one addition a byte, whatever the byte: no branch on its kind, and the
      // counts in one register rather than in memory.
      Self.laneIncrements.withUnsafeBufferPointer { increments in
        var start = 0
        while start < bytes.count {
          // At most 255 bytes a round, so that no 8-bit lane overflows into the next.
          let end = Swift.min(bytes.count, start + 255)
          var lanes: UInt64 = 0
          for index in start..<end { lanes &+= increments[Int(bytes[index])] }
          add(lanes)
          start = end
        }
      }
    }

    /// Adds the counts of one round: a kind's count is in its lane, the 8 bits from
    /// `8 * (rawValue - 1)` (``Kind/other`` has none).
    private mutating func add(_ lanes: UInt64) {
      func count(_ kind: Kind) -> Int { Int(truncatingIfNeeded: lanes >> (8 * UInt64(kind.rawValue - 1))) & 0xFF }
      digits += count(.digit)
      dots += count(.dot)
      dashes += count(.dash)
      colons += count(.colon)
      masks += count(.mask)
      phoneMarks += count(.phoneMark)
      hasAt = hasAt || count(.at) > 0
      isASCII = isASCII && count(.nonASCII) == 0
    }

    /// What a byte counts as.
    enum Kind: UInt8, CaseIterable {
      case other, digit, dot, dash, colon, mask, phoneMark, at, nonASCII
    }

    /// What each byte value adds to the lanes of ``add(_:)``: one in its kind's lane.
    static let laneIncrements: [UInt64] = (0...255).map { value in
      let kind: Kind
      switch UInt8(value) {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): kind = .digit
      case UInt8(ascii: "."): kind = .dot
      case UInt8(ascii: "-"): kind = .dash
      case UInt8(ascii: ":"): kind = .colon
      case UInt8(ascii: "*"), UInt8(ascii: "x"), UInt8(ascii: "X"): kind = .mask
      case UInt8(ascii: "+"), UInt8(ascii: "("), UInt8(ascii: ")"): kind = .phoneMark
      case UInt8(ascii: "@"): kind = .at
      case 0x80...: kind = .nonASCII
      default: kind = .other
      }
      return kind == .other ? 0 : 1 << (8 * UInt64(kind.rawValue - 1))
    }

    /// `Validators.isCardNumber` of one word: 12–19 digits, in groups separated by dashes.
    var mayBeCardNumber: Bool { (12...19).contains(digits) && digits + dashes == count }
    /// `Validators.isMaskedCardNumber`: digits, dashes and at least three masks before the last four
    /// digits; beyond ASCII, `•` masks too, and only the validator can tell.
    var mayBeMaskedCardNumber: Bool { !isASCII || (masks >= 3 && digits >= 4 && digits + masks + dashes == count) }
    /// `Validators.isPhoneNumber` of one word: at most 32 of digits and `+ ( ) - .`, 7 digits or more.
    var mayBePhoneNumber: Bool { count <= 32 && digits >= 7 && digits + dots + dashes + phoneMarks == count }
    /// `Validators.isIPv4`: four groups of digits, three dots, 15 bytes at most.
    var mayBeIPv4: Bool { count <= 15 && dots == 3 && digits + dots == count }
  }

  /// A character of some vendor's API key (see `Validators.vendorKeyShapes`).
  static func isKeyCharacter(_ byte: UInt8) -> Bool {
    byte.isASCIIAlphanumeric || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
  }

  /// Whether the bytes start with `prefix`.
  static func starts(_ bytes: UnsafeBufferPointer<UInt8>, with prefix: StaticString) -> Bool {
    let pattern = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
    guard bytes.count >= pattern.count else { return false }
    for index in pattern.indices where bytes[index] != pattern[index] { return false }
    return true
  }

  /// Whether `needle` occurs in the bytes.
  static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: StaticString) -> Bool {
    let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
    guard pattern.count <= bytes.count else { return false }
    for start in 0...(bytes.count - pattern.count)
    where UnsafeBufferPointer(rebasing: bytes[start..<start + pattern.count]).elementsEqual(pattern) {
      return true
    }
    return false
  }

  /// A card number, IBAN or phone number written over 2–9 words (`4111 1111 1111 1111`,
  /// `DE89 3704 0044 0532 0130 00`, `+44 20 7946 0958`, `(555) 123-4567`): the longest that validates.
  /// The words are joined with single spaces; a validator is asked only once the joined value is
  /// long enough and has digits enough for it.
  static func spacedValue(_ prose: Prose, from start: Int) -> (DataType, Int)? {
    let first = prose.trimmedBytes(start)
    guard mayStartSpacedValue(first) else { return nil }
    // Most numbers in prose stand alone: the next word is no group of one.
    guard start + 1 < prose.words.count, mayContinueSpacedValue(prose.trimmedBytes(start + 1)) else { return nil }
    // No validator here accepts more than `joinedLimit` bytes, and the value only grows: it is
    // joined on the stack.
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: joinedLimit) { buffer in
      spacedValue(prose, from: start, first: first, joiningInto: buffer)
    }
  }

  /// The most bytes a value `spacedValue` validates has.
  static let joinedLimit = 42

  /// Whether a word may start a spaced value: a number's digit, `+` or `(`, or an IBAN's first group.
  static func mayStartSpacedValue(_ first: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let lead = first.first else { return false }
    return lead.isASCIIDigit || lead == UInt8(ascii: "+") || lead == UInt8(ascii: "(")
      || (first.count == 4 && lead.isASCIIUpper)
  }

  /// Whether a word may be a later group of a spaced value: 1–10 of digits, capitals, `-` and `)`.
  static func mayContinueSpacedValue(_ next: UnsafeBufferPointer<UInt8>) -> Bool {
    !next.isEmpty && next.count <= 10
      && next.allSatisfy {
        $0.isASCIIDigit || $0.isASCIIUpper || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ")")
      }
  }

  /// ``spacedValue(_:from:)`` of a word that may start one; `joined` has room for `joinedLimit` bytes.
  static func spacedValue(
    _ prose: Prose, from start: Int, first: UnsafeBufferPointer<UInt8>,
    joiningInto joined: UnsafeMutableBufferPointer<UInt8>
  ) -> (DataType, Int)? {
    let words = prose.words
    let lead = first[0]
    let startsIBAN = first.count == 4 && lead.isASCIIUpper
    // `Validators.isIBAN`: a country's two capitals and two check digits, then groups of four but
    // for the last.
    var mayBeIBAN = startsIBAN && first[1].isASCIIUpper && first[2].isASCIIDigit && first[3].isASCIIDigit
    var groupsOfFour = true
    var length = 0
    var digits = 0
    var best: (DataType, Int)?
    var end = start + 1
    while end < words.count, end - start < 9 {
      let next = prose.trimmedBytes(end)
      guard mayContinueSpacedValue(next) else { break }
      let joinedLength = (length == 0 ? first.count : length) + 1 + next.count
      guard joinedLength <= joinedLimit else { break }
      if length == 0 {
        length = append(first, to: joined, at: 0)
        digits = first.count(where: \.isASCIIDigit)
      }
      joined[length] = UInt8(ascii: " ")
      length = append(next, to: joined, at: length + 1)
      digits += next.count(where: \.isASCIIDigit)
      end += 1
      mayBeIBAN = mayBeIBAN && groupsOfFour && next.count <= 4
      groupsOfFour = next.count == 4
      let value = UnsafeBufferPointer(rebasing: joined[..<length])
      if startsIBAN {
        if mayBeIBAN, length >= 15, Validators.isIBAN(bytes: value) { best = (.iban, end - start) }
      } else if lead.isASCIIDigit, digits >= 12, length <= 40, Validators.isCardNumber(bytes: value) {
        best = (.cardNumber, end - start)
      } else if digits >= 7, length <= 32, Validators.isPhoneNumber(bytes: value) {
        best = (.phone, end - start)
      }
    }
    return best
  }

  /// Copies `bytes` into `buffer` at `offset`; the offset after them.
  static func append(
    _ bytes: UnsafeBufferPointer<UInt8>, to buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int
  ) -> Int {
    _ = UnsafeMutableBufferPointer(rebasing: buffer[offset..<offset + bytes.count]).initialize(from: bytes)
    return offset + bytes.count
  }

  /// The word lists behind `contextual`, by the value each announces.
  static let contextWords: [String: WordRoles] = {
    let lists: [(WordRoles, [String])] = [
      (.expiryContext, ["exp", "expiry", "expires", "expiration", "exp.", "valid"]),
      (
        .phoneContext,
        [
          "tel", "tel.", "phone", "mobile", "cell", "call", "text", "fax", "telefon", "telefono", "teléfono",
          "téléphone", "whatsapp", "sms", "mob", "mob.", "handy", "cellulare", "telefoon", "numer",
        ]
      ),
      (.bicContext, ["bic", "swift", "bic/swift", "swift/bic"]),
      (.passwordContext, ["password", "passwort", "pwd", "passcode", "contraseña", "mot"]),
      (.userContext, ["user", "username", "login", "ping", "handle", "@"]),
    ]
    var table: [String: WordRoles] = [:]
    // The first list naming a word wins, as the first case of a `switch` would.
    for (role, words) in lists { for word in words where table[word] == nil { table[word] = role } }
    return table
  }()

  /// The roles of `text[range]` lower-cased.
  static func roles(of range: Range<Int>, in prose: Prose) -> WordRoles {
    let bytes = prose.bytes(range)
    if bytes.allSatisfy({ $0 < 0x80 }) { return ProseVocabulary.shared.roles(ofASCII: bytes) }
    // Roles are the entries': a word of Latin letters that is none of them has none.
    if let roles = NonASCIIVocabulary.shared.roles(ofLatin: bytes) { return roles }
    return WordRoles.of(lowercased: prose.substring(range).lowercased())
  }

  /// Values a neighbouring word names: `Expiry 11/33`, `BIC DEUTDEFF`, `password for jdoe is
  /// hunter2`, `ping @jdoe`, `user jdoe`.
  static func contextual(_ prose: Prose, into found: inout FoundTypes) {
    // Only a word that announces a value, starts with `@` or is split at `=` is read.
    guard prose.summary.hasKeyValue || prose.summary.hasAt || !prose.summary.roles.isDisjoint(with: .announcesValue)
    else { return }
    let words = prose.words
    for index in words.indices {
      // A word not split at `=` is its own keyword, whose roles are known: most announce nothing.
      if words[index].equals < 0,
        words[index].trimmedCount < 2
          || words[index].roles.isDisjoint(with: .announcesValue)
            && prose.bytes[words[index].trimmedStart] != UInt8(ascii: "@")
      {
        continue
      }
      let (word, next) = contextPair(prose, index)
      guard (2...16).contains(word.count) else { continue }
      let roles =
        word == words[index].trimmedStart..<words[index].trimmedEnd
        ? words[index].roles : FreeText.roles(of: word, in: prose)
      if roles.contains(.expiryContext) {
        if prose.bytes(next).count <= 7, Validators.isCardExpiration(prose.substring(next)) {
          found.add(.cardExpiration)
        }
      } else if roles.contains(.phoneContext) {
        if contextualPhone(prose, from: index + 1) { found.add(.phone) }
      } else if roles.contains(.bicContext) {
        if prose.bytes(next).count <= 11, Validators.isSwiftBIC(prose.substring(next)) { found.add(.swiftBIC) }
      } else if roles.contains(.passwordContext) {
        passwordAfter(prose, index, into: &found)
      } else if roles.contains(.userContext) {
        if isHandle(prose.bytes(next)) { found.add(.username) }
      } else if prose.bytes[word.lowerBound] == UInt8(ascii: "@"), word.count >= 4 {
        if words[index].isASCII {
          if isHandle(prose.bytes(word.dropFirst())) { found.add(.username) }
        } else if isHandle(prose.substring(word).dropFirst().utf8) {
          found.add(.username)
        }
      }
    }
  }

  /// The word that may announce a value, and the value, as byte ranges: the next word after a word
  /// (`Expiry 03/30`; empty after the last word), or the two sides of `key=value` (`exp=03/30`).
  static func contextPair(_ prose: Prose, _ index: Int) -> (word: Range<Int>, next: Range<Int>) {
    let words = prose.words
    let word = words[index]
    var next = word.end..<word.end
    if index + 1 < words.count { next = words[index + 1].trimmedStart..<words[index + 1].trimmedEnd }
    // Unsplit, every `=` of the word is at or after the trimmed start (punctuation is never `=`).
    if word.equals < 0 { return (word.trimmedStart..<word.trimmedEnd, next) }
    if word.isASCII { return (word.start..<word.equals, word.trimmedStart..<word.trimmedEnd) }
    // The first `=` character of the word, which a combining mark after it would make another.
    let text = prose.text(index)
    let trimmed = prose.trimmed(index)
    if let equals = text.firstIndex(of: "="), trimmed.startIndex > equals {
      let keyCount = text.utf8[..<equals].count
      return (word.start..<word.start + keyCount, word.trimmedStart..<word.trimmedEnd)
    }
    return (word.trimmedStart..<word.trimmedEnd, next)
  }

  /// After a password word: `password for jdoe is hunter2` gives a user name and a password,
  /// `password: hunter2` a password.
  static func passwordAfter(_ prose: Prose, _ index: Int, into found: inout FoundTypes) {
    let words = prose.words
    var look = index + 1
    while look < Swift.min(words.count, index + 6) {
      let roles = words[look].roles
      if roles.contains(.forWord), look + 1 < words.count, isHandle(prose.trimmedBytes(look + 1)) {
        found.add(.username)
      }
      if roles.contains(.isWord) || textHasSuffix(prose, look - 1, ":") {
        let secret = roles.contains(.isWord) ? look + 1 : look
        if secret < words.count, words[secret].trimmedCount >= 4 { found.add(.password) }
        break
      }
      look += 1
    }
  }

  /// Whether the word, punctuation included, ends with the character `suffix`.
  static func textHasSuffix(_ prose: Prose, _ index: Int, _ suffix: Character) -> Bool {
    guard prose.words[index].isASCII, let byte = suffix.asciiValue else {
      return prose.text(index).hasSuffix(String(suffix))
    }
    return prose.textBytes(index).last == byte
  }

  /// A phone number right after a word that announces one (`Tel. 613 116 639`, `phone
  /// 07.09.89.54.77`): 1–5 words of digits and `+ ( ) - . /`, 7–15 digits in all.
  static func contextualPhone(_ prose: Prose, from start: Int) -> Bool {
    var digits = 0
    var index = start
    while index < prose.words.count, index - start < 5 {
      let bytes = prose.trimmedBytes(index)
      guard !bytes.isEmpty,
        bytes.allSatisfy({
          $0.isASCIIDigit || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "(") || $0 == UInt8(ascii: ")")
            || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "/")
        })
      else { break }
      digits += bytes.count(where: \.isASCIIDigit)
      if prose.textBytes(index).last == UInt8(ascii: ",") { break }
      index += 1
    }
    return (7...15).contains(digits)
  }

  /// A login handle: 3–32 of lower-case letters, digits, `_`, `.`, `-`, with a letter, not a
  /// plain word (a digit, `_` or `.` inside).
  static func isHandle<Bytes: Collection<UInt8>>(_ word: Bytes) -> Bool {
    let bytes = word.first == UInt8(ascii: "@") ? word.dropFirst() : word[...]
    guard (3...32).contains(bytes.count), bytes.contains(where: \.isASCIILower) else { return false }
    guard
      bytes.allSatisfy({
        $0.isASCIILower || $0.isASCIIDigit || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
          || $0 == UInt8(ascii: "-")
      })
    else { return false }
    return word.first == UInt8(ascii: "@")
      || bytes.contains(where: { $0.isASCIIDigit || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") })
  }

  /// Words after which a capitalised name is a person's: sign-offs, greetings, `by`, `from`.
  static let nameContext: Set<String> = NameDictionary.words(
    """
    by from dear hi hello hallo bonjour hola ciao cześć hej regards thanks thank cheers grüße gruesse gruß merci
    gracias grazie dank dziękuję bedankt saludos cordialement contact customer mr mrs ms miss dr mr. mrs. ms. dr.
    herr frau mme m. sr sra signor signora pan pani meneer mevrouw sincerely best
    """)

  /// A known first name followed by one or two capitalised words: `John Smith`, `Anna van Dijk`.
  static func personName(_ prose: Prose) -> DataType? {
    let words = prose.words
    for index in 0..<Swift.max(0, words.count - 1) {
      let first = prose.textBytes(index)
      guard first.first?.isASCIIUpper == true, first.count >= 2, isFirstName(prose, index) else { continue }
      let next = prose.trimmedBytes(index + 1)
      guard next.first?.isASCIIUpper == true, next.count >= 2, isName(prose, index + 1, apostrophes: true)
      else { continue }
      if !words[index + 1].roles.contains(.street) { return .personName }
    }
    // After a word that introduces a person: `Grüße, Kimberly`, `requested by Fiona Oakley`.
    guard prose.summary.roles.contains(.nameContext) else { return nil }
    for index in 0..<Swift.max(0, words.count - 1) where words[index].roles.contains(.nameContext) {
      let next = words[index + 1]
      guard startsUpperCase(prose, index + 1), next.trimmedCount >= 2, isName(prose, index + 1, apostrophes: true),
        !next.roles.contains(.organisation), !next.roles.contains(.street)
      else { continue }
      let hasFollowing = index + 2 < words.count
      if hasFollowing, words[index + 2].roles.contains(.organisation) { continue }
      let endsSentence = textHasSuffix(prose, index + 1, ".") || !hasFollowing
      let firstKnown = next.roles.contains(.firstName)
      let pair =
        hasFollowing && prose.trimmedBytes(index + 2).first?.isASCIIUpper == true
        && isName(prose, index + 2, apostrophes: false)
      if firstKnown || pair || endsSentence { return .personName }
    }
    return nil
  }

  /// Whether the word, punctuation included, lower-cased, is a known first name.
  static func isFirstName(_ prose: Prose, _ index: Int) -> Bool {
    let word = prose.words[index]
    if word.start == word.trimmedStart, word.end == word.trimmedEnd { return word.roles.contains(.firstName) }
    return FreeText.roles(of: word.start..<word.end, in: prose).contains(.firstName)
  }

  /// Whether the trimmed word is letters and `-` (and `'` when `apostrophes`), as names are.
  static func isName(_ prose: Prose, _ index: Int, apostrophes: Bool) -> Bool {
    guard prose.words[index].isASCII else {
      return prose.trimmed(index).allSatisfy { $0.isLetter || $0 == "-" || (apostrophes && $0 == "'") }
    }
    return prose.trimmedBytes(index).allSatisfy {
      $0.isASCIILetter || $0 == UInt8(ascii: "-") || (apostrophes && $0 == UInt8(ascii: "'"))
    }
  }

  /// Whether the trimmed word starts with an upper-case letter (beyond ASCII too: `Émile`, `Łukasz`).
  static func startsUpperCase(_ prose: Prose, _ index: Int) -> Bool {
    if prose.trimmedBytes(index).first?.isASCIIUpper == true { return true }
    guard !prose.words[index].isASCII else { return false }
    return prose.trimmed(index).unicodeScalars.first?.properties.isUppercase == true
  }

  /// A house number then words ending in a street word (`12 Baker Street`), or a street word
  /// then a number (`Hauptstraße 5`, `ul. Długa 7`).
  static func streetAddress(_ prose: Prose) -> Bool {
    let words = prose.words
    for index in words.indices {
      let word = prose.trimmedBytes(index)
      let isNumber = !word.isEmpty && word.count <= 5 && word.first?.isASCIIDigit == true
      if isNumber {
        var next = index + 1
        while next < words.count, next - index <= 4 {
          let isStreetWord = words[next].roles.contains(.street)
          guard prose.trimmedBytes(next).first?.isASCIIUpper == true || isStreetWord else { break }
          if isStreetWord { return true }
          next += 1
        }
      } else if index + 1 < words.count {
        // The number after is cheaper to check than the street word's suffixes.
        let following = prose.trimmedBytes(index + 1)
        if following.first?.isASCIIDigit == true, following.count <= 5, endsInStreetWord(prose, index) { return true }
      }
    }
    return false
  }

  /// ``StreetVocabulary/endsInStreetWord(_:)`` of the trimmed word, on bytes for an ASCII word.
  static func endsInStreetWord(_ prose: Prose, _ index: Int) -> Bool {
    let word = prose.trimmedBytes(index)
    guard word.count >= 6, word.first?.isASCIIUpper == true else { return false }
    guard prose.words[index].isASCII else {
      // Every suffix ends with `e`, `g`, `n`, `t`, `z` or `.`, and only those letters lower-case to them.
      guard let last = word.last, "eEgGnNtTzZ.".utf8.contains(last) else { return false }
      return StreetVocabulary.endsInStreetWord(prose.trimmed(index))
    }
    return StreetVocabulary.asciiSuffixes.contains { suffix in
      word.count > suffix.count + 2 && hasSuffix(word, lowercased: suffix)
    }
  }

  /// Whether ASCII bytes end with `suffix` (lower-case ASCII), ignoring the bytes' case.
  static func hasSuffix(_ bytes: UnsafeBufferPointer<UInt8>, lowercased suffix: [UInt8]) -> Bool {
    guard bytes.count >= suffix.count else { return false }
    let offset = bytes.count - suffix.count
    // From the end, where most words already differ.
    for index in suffix.indices.reversed() {
      let byte = bytes[offset + index]
      guard (byte.isASCIIUpper ? byte | 0x20 : byte) == suffix[index] else { return false }
    }
    return true
  }

  /// A date that a nearby word says is a birth date: `born on 1990-04-23`, `DOB: 04/23/1990`.
  static func birthDate(_ prose: Prose, referenceYear: Int) -> Bool {
    for index in prose.words.indices {
      let word = prose.trimmedBytes(index)
      // A date has 8–40 bytes (see `Validators.parseDate`). The words before it are cheaper to read
      // than the date is to parse, and seldom say `born`.
      guard word.count >= 8, word.count <= 40, word.first?.isASCIIDigit == true, mayBeDate(word),
        (Swift.max(0, index - 3)..<index).contains(where: { isBirthWord(prose, $0) })
      else { continue }
      if Validators.isPlausibleBirthDate(prose.trimmed(index), referenceYear: referenceYear) { return true }
    }
    return false
  }

  /// Whether 8 bytes or more have one of the shapes `Validators.parseDate` reads: eight digits,
  /// `YYYY-MM-DD…` or `YYYY/MM/DD…`, or at most ten bytes with `/`, `-` or `.` fifth from the end.
  static func mayBeDate(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let count = bytes.count
    if count == 8, bytes.allSatisfy(\.isASCIIDigit) { return true }
    if count >= 10, bytes[4] == UInt8(ascii: "-") || bytes[4] == UInt8(ascii: "/"), bytes[7] == bytes[4] {
      return true
    }
    let separator = bytes[count - 5]
    return count <= 10
      && (separator == UInt8(ascii: "/") || separator == UInt8(ascii: "-") || separator == UInt8(ascii: "."))
  }

  /// `born…`, `birth…`, `dob` or `d.o.b`, in any case.
  static func isBirthWord(_ prose: Prose, _ index: Int) -> Bool {
    let word = prose.words[index]
    guard word.isASCII else {
      let context = prose.trimmed(index).lowercased()
      return context.hasPrefix("born") || context.hasPrefix("birth") || context == "dob" || context == "d.o.b"
    }
    let bytes = prose.trimmedBytes(index)
    return hasPrefix(bytes, lowercased: "born") || hasPrefix(bytes, lowercased: "birth")
      || word.roles.contains(.birthAbbreviation)
  }

  /// Whether ASCII bytes start with `prefix` (lower-case ASCII), ignoring the bytes' case.
  static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, lowercased prefix: StaticString) -> Bool {
    let pattern = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
    guard bytes.count >= pattern.count else { return false }
    return zip(bytes, pattern).allSatisfy { ($0.isASCIIUpper ? $0 | 0x20 : $0) == $1 }
  }
}

/// The types found in one text, one bit per case of `DataType`: adding one allocates nothing, and
/// a `Set` is made only for a caller that asks for one. Iterated in the order of `DataType.allCases`.
struct FoundTypes: Sequence {
  /// Every type in bit order: bit `n` is `all[n]`.
  static let all = DataType.allCases
  /// The one-type sets, shared: most texts with a finding have one.
  static let singletons = all.map { Set([$0]) }

  private var bits: UInt64 = 0

  var isEmpty: Bool { bits == 0 }

  mutating func add(_ type: DataType) {
    // `allCases` holds every case, so the index is always found.
    if let bit = Self.all.firstIndex(of: type) { bits |= 1 << bit }
  }

  /// Adds every type of `other`.
  mutating func formUnion(_ other: FoundTypes) { bits |= other.bits }

  var count: Int { bits.nonzeroBitCount }

  /// Every type in id order (`DataType`'s `<`), the order findings list them in.
  static let allByID = all.sorted()
  /// Each bit's place in `allByID`.
  private static let idRanks: [UInt8] = all.map { type in UInt8(allByID.firstIndex(of: type) ?? 0) }

  /// The types in id order, read from the bits without an array.
  var sortedByID: SortedByID {
    var ranks: UInt64 = 0
    var rest = bits
    while rest != 0 {
      ranks |= 1 << Self.idRanks[rest.trailingZeroBitCount]
      rest &= rest - 1
    }
    return SortedByID(ranks: ranks)
  }

  /// Types as bits in `allByID` order.
  struct SortedByID: Sequence {
    let ranks: UInt64

    var count: Int { ranks.nonzeroBitCount }

    func makeIterator() -> Iterator { Iterator(rest: ranks, byID: true) }
  }

  func contains(_ type: DataType) -> Bool {
    guard let bit = Self.all.firstIndex(of: type) else { return false }
    return bits & (1 << bit) != 0
  }

  var set: Set<DataType> {
    if bits == 0 { return [] }
    if bits & (bits - 1) == 0 { return Self.singletons[bits.trailingZeroBitCount] }
    var set = Set<DataType>(minimumCapacity: bits.nonzeroBitCount)
    for type in self { set.insert(type) }
    return set
  }

  func makeIterator() -> Iterator { Iterator(rest: bits, byID: false) }

  struct Iterator: IteratorProtocol {
    /// The bits of the types not yet returned.
    var rest: UInt64
    /// Whether the bits are in `allByID` order, not in `all` order.
    let byID: Bool

    mutating func next() -> DataType? {
      guard rest != 0 else { return nil }
      defer { rest &= rest - 1 }
      return byID ? FoundTypes.allByID[rest.trailingZeroBitCount] : FoundTypes.all[rest.trailingZeroBitCount]
    }
  }
}
