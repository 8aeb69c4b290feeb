/// Common given names and surnames across the locales Sovren meets most (English, German, French,
/// Spanish, Italian, Polish, Dutch, plus frequent names of other origins), written for this
/// project from general knowledge of which names are common; no list was copied. Lower case.
/// Used as evidence, never alone: a name in free text needs a capitalised word after it, and a
/// field's name-likeness is the classifier's call.
enum NameDictionary {
  static let firstNames: Set<String> = words(
    """
    james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony
    mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan
    jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander
    frank patrick raymond jack dennis jerry tyler aaron jose adam nathan henry douglas zachary peter kyle
    ethan walter noah jeremy christian keith roger terry gerald harold sean austin carl arthur lawrence dylan
    jesse jordan bryan billy joe bruce gabriel logan albert willie alan juan wayne elijah randy roy vincent
    ralph eugene russell bobby mason philip louis mary patricia jennifer linda elizabeth barbara susan
    jessica sarah karen lisa nancy betty margaret sandra ashley kimberly emily donna michelle carol amanda
    dorothy melissa deborah stephanie rebecca sharon laura cynthia kathleen amy angela shirley anna brenda
    pamela emma nicole helen samantha katherine christine debra rachel carolyn janet catherine maria heather
    diane ruth julie olivia joyce virginia victoria kelly lauren christina joan evelyn judith megan andrea
    cheryl hannah jacqueline martha gloria teresa ann sara madison frances kathryn janice jean abigail alice
    judy sophia grace denise amber doris marilyn danielle beverly isabella theresa diana natalie brittany
    charlotte marie kayla alexis lori oliver harry george jack charlie leo freddie archie alfie theo oscar
    arthur lucas liam mia ava amelia isla ella poppy lily evie ivy freya florence sienna willow chloe jessica
    lena lukas leon finn jonas paul luis felix maximilian elias ben noah julian moritz jan niklas tim tobias
    sebastian florian stefan andreas markus thomas michael martin klaus jurgen uwe wolfgang dieter hans
    sabine petra monika ursula andrea claudia susanne birgit katrin julia laura lea hannah lina emilia
    sophie marie johanna greta clara frieda mathilde anke heike jutta karin gisela helga ingrid renate
    jean pierre michel philippe alain nicolas christophe laurent francois eric frederic olivier julien
    antoine guillaume hugo louis gabriel raphael arthur jules adam mathis nathan theo mael nathalie isabelle
    sylvie catherine francoise valerie sandrine stephanie celine camille manon chloe lea ines jade louise
    alice juliette margaux pauline elodie aurelie amandine clementine brigitte monique veronique
    antonio manuel jose francisco david juan javier daniel carlos jesus alejandro miguel rafael pablo pedro
    angel sergio fernando jorge luis alberto alvaro diego adrian raul enrique ramon vicente andres joaquin
    maria carmen ana isabel dolores pilar teresa rosa lucia paula cristina marta elena sara laura raquel
    beatriz rocio alba nuria silvia irene patricia sofia martina valeria ximena
    giuseppe giovanni francesco mario luigi roberto stefano marco andrea alessandro paolo sergio massimo
    luca matteo lorenzo leonardo riccardo tommaso gabriele davide simone federico giulia chiara francesca
    alessia sara valentina anna elisa silvia federica martina aurora ginevra beatrice giorgia
    piotr krzysztof andrzej tomasz jan pawel michal marcin marek grzegorz jakub adam lukasz mateusz
    wojciech kacper szymon bartosz anna maria katarzyna malgorzata agnieszka barbara ewa krystyna
    magdalena joanna aleksandra zofia monika natalia wiktoria julia zuzanna oliwia maja
    daan sem lucas levi bram jesse thijs ruben lars stijn tim sander bas joost pieter jeroen sanne
    emma julia anouk lotte fleur lisa iris eva femke sophie esther marloes ingrid
    mohammed muhammad ahmed ali omar hassan fatima aisha yusuf ibrahim mustafa mehmet ayse emre can
    wei li ming hiroshi yuki kenji haruto sakura priya rahul amit anil sunita deepak arjun ananya
    raj vikram olga ivan dmitri sergei natasha svetlana igor tatiana elena nikolai kwame amara chidi
    """)

  static let surnames: Set<String> = words(
    """
    smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson
    anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis
    robinson walker young allen king wright scott torres nguyen hill flores green adams nelson baker hall
    rivera campbell mitchell carter roberts evans turner phillips parker collins edwards stewart morris
    murphy cook rogers morgan cooper peterson reed bailey bell kelly howard ward cox richardson wood watson
    brooks bennett gray james hughes price sanders patel myers long ross foster jenkins powell perry russell
    muller schmidt schneider fischer weber meyer wagner becker schulz hoffmann schafer koch bauer richter
    klein wolf schroder neumann schwarz zimmermann braun kruger hofmann hartmann lange schmitt werner krause
    martin bernard dubois thomas robert richard petit durand leroy moreau simon laurent lefebvre michel
    garcia david bertrand roux vincent fournier morel girard andre lefevre mercier dupont lambert bonnet
    fernandez gonzalez rodriguez lopez martinez sanchez perez gomez martin jimenez ruiz hernandez diaz
    moreno alvarez munoz romero alonso gutierrez navarro torres dominguez vazquez ramos gil ramirez serrano
    rossi russo ferrari esposito bianchi romano colombo ricci marino greco bruno gallo conti deluca
    mancini costa giordano rizzo lombardi moretti barbieri fontana santoro mariani rinaldi caruso
    nowak kowalski wisniewski wojcik kowalczyk kaminski lewandowski zielinski szymanski wozniak dabrowski
    kozlowski jankowski mazur kwiatkowski krawczyk piotrowski grabowski nowakowski pawlowski michalski
    de jong jansen de vries van den berg van dijk bakker janssen visser smit meijer de boer mulder
    de groot bos vos peters hendriks van leeuwen dekker brouwer de wit dijkstra
    """)

  static func words(_ text: String) -> Set<String> {
    Set(text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
  }
}

/// Words that end or begin street names across the supported locales.
enum StreetVocabulary {
  static let words: Set<String> = NameDictionary.words(
    """
    street st str avenue ave av road rd lane ln drive dr boulevard blvd way court ct place pl square sq
    terrace close crescent highway hwy parkway pkwy circle cir alley row walk grove gardens hill mews
    strasse straße weg gasse allee platz ring damm ufer chaussee
    rue boulevard bd chemin impasse allée quai cours
    calle avenida avda plaza paseo camino carrera
    via viale piazza corso vicolo largo
    ulica ul aleja al plac osiedle
    straat laan plein gracht kade singel dreef
    """)

  static let suffixes = [
    "strasse", "straße", "str.", "weg", "gasse", "allee", "platz", "straat", "laan", "gracht", "plein",
  ]

  /// The ASCII `suffixes` as bytes: the ones a word of ASCII letters can end with.
  static let asciiSuffixes: [[UInt8]] = suffixes.filter { $0.utf8.allSatisfy { $0 < 0x80 } }.map { Array($0.utf8) }

  /// Whether a word (its UTF-8 bytes, whole characters) is a street word, a final `.` allowed.
  static func isStreetWord(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    // An ASCII word (one byte per character) is looked up without a copy, a final `.` dropped.
    let stem = bytes.last == UInt8(ascii: ".") ? UnsafeBufferPointer(rebasing: bytes.dropLast()) : bytes
    if let key = ASCIIWordKey(lowercasing: stem) {
      // The stem is ASCII; so is a final `.`.
      return ProseVocabulary.shared[key].contains(.street)
    }
    guard ASCIIWordKey.isASCII(bytes) else {
      // A Latin word not ending in `.` is looked up by the table; the rest through `String`.
      if bytes.last != UInt8(ascii: "."), let roles = NonASCIIVocabulary.shared.roles(ofLatin: bytes) {
        return roles.contains(.street)
      }
      var lowered = String(decoding: bytes, as: UTF8.self).lowercased()
      if lowered.hasSuffix(".") { lowered.removeLast() }
      return words.contains(lowered)
    }
    return ProseVocabulary.shared.roles(ofASCII: stem).contains(.street)
  }

  static func endsInStreetWord(_ word: Substring) -> Bool {
    guard word.utf8.count >= 6, word.utf8.first?.isASCIIUpper == true else { return false }
    let lowered = word.lowercased()
    return suffixes.contains { lowered.hasSuffix($0) && lowered.count > $0.count + 2 }
  }
}

/// What the vocabularies free text reacts to say of one lower-cased word: a first name, a word that
/// introduces a name, an organisation word, a street word, a word that announces a value.
struct WordRoles: OptionSet, Sendable {
  let rawValue: UInt16

  static let firstName = WordRoles(rawValue: 1 << 0)
  static let nameContext = WordRoles(rawValue: 1 << 1)
  static let organisation = WordRoles(rawValue: 1 << 2)
  static let street = WordRoles(rawValue: 1 << 3)
  /// `exp`, `expiry`, `valid`: a card expiry follows.
  static let expiryContext = WordRoles(rawValue: 1 << 4)
  /// `tel`, `phone`, `mobile`: a phone number follows.
  static let phoneContext = WordRoles(rawValue: 1 << 5)
  /// `bic`, `swift`: a BIC follows.
  static let bicContext = WordRoles(rawValue: 1 << 6)
  /// `password`, `pwd`: a password follows, perhaps after `for <user> is`.
  static let passwordContext = WordRoles(rawValue: 1 << 7)
  /// `user`, `login`, `ping`: a handle follows.
  static let userContext = WordRoles(rawValue: 1 << 8)
  /// `for`, as in `password for jdoe`.
  static let forWord = WordRoles(rawValue: 1 << 9)
  /// `is`, `ist`, `es`, as in `password is hunter2`.
  static let isWord = WordRoles(rawValue: 1 << 10)
  /// `dob`, `d.o.b`.
  static let birthAbbreviation = WordRoles(rawValue: 1 << 11)
  /// A common surname (the features of short values read it).
  static let surname = WordRoles(rawValue: 1 << 12)

  /// The roles of words that announce a value after them.
  static let announcesValue: WordRoles = [.expiryContext, .phoneContext, .bicContext, .passwordContext, .userContext]

  /// The roles of a word already lower-cased, from the vocabularies themselves: the definition that
  /// ``ProseVocabulary/roles(ofUTF8:)`` answers faster.
  static func of(lowercased word: String) -> WordRoles {
    var roles: WordRoles = []
    if NameDictionary.firstNames.contains(word) { roles.insert(.firstName) }
    if NameDictionary.surnames.contains(word) { roles.insert(.surname) }
    if FreeText.nameContext.contains(word) { roles.insert(.nameContext) }
    if KeyVocabulary.organisationWords.contains(word) { roles.insert(.organisation) }
    if StreetVocabulary.words.contains(word) { roles.insert(.street) }
    if let context = FreeText.contextWords[word] { roles.insert(context) }
    if word == "for" { roles.insert(.forWord) }
    if word == "is" || word == "ist" || word == "es" { roles.insert(.isWord) }
    if word == "dob" || word == "d.o.b" { roles.insert(.birthAbbreviation) }
    return roles
  }
}

/// A word of at most 15 ASCII bytes, lower-cased and packed into two integers, so that looking it
/// up neither builds nor compares a `String`.
struct ASCIIWordKey: Equatable, Sendable {
  static let maximumLength = 15

  /// Bytes 0–7.
  let low: UInt64
  /// Bytes 8–14, and the length in the top byte (so that `ab` and `ab\0` differ, and no word is
  /// all zeros).
  let high: UInt64

  /// Nil when the bytes are more than ``maximumLength`` or not all ASCII. Inlined: it is a few
  /// instructions, on the path of every word looked up.
  @inline(__always)
  init?(lowercasing bytes: UnsafeBufferPointer<UInt8>) {
    let count = bytes.count
    guard count <= Self.maximumLength else { return nil }
    let low = Self.packed(bytes, from: 0, count: Swift.min(count, 8))
    let high = count > 8 ? Self.packed(bytes, from: 8, count: count - 8) : 0
    guard (low | high) & Self.highBits == 0 else { return nil }
    self.low = Self.lowercased(low)
    self.high = Self.lowercased(high) | UInt64(count) << 56
  }

  /// Each byte's top bit.
  static let highBits: UInt64 = 0x8080_8080_8080_8080

  /// Whether no byte is beyond ASCII: eight bytes at a time, since the words that are no key are
  /// the long ones.
  static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let raw = UnsafeRawPointer(base)
    var union: UInt64 = 0
    var offset = 0
    while offset + 8 <= bytes.count {
      union |= raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
      offset += 8
    }
    while offset < bytes.count {
      union |= UInt64(bytes[offset])
      offset += 1
    }
    return union & highBits == 0
  }

  /// `count` (at most 8) bytes from `start`, the first in the lowest byte; zeros above them.
  /// Two loads of the same width cover any count from that width to twice it: the bytes where they
  /// overlap are equal, so or-ing them together is exact.
  @inline(__always)
  static func packed(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, count: Int) -> UInt64 {
    guard count > 0, let base = bytes.baseAddress else { return 0 }
    let raw = UnsafeRawPointer(base + start)
    func load<Chunk: FixedWidthInteger & UnsignedInteger>(_: Chunk.Type, at offset: Int) -> UInt64 {
      UInt64(Chunk(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Chunk.self)))
    }
    switch count {
    case 4...: return load(UInt32.self, at: 0) | load(UInt32.self, at: count - 4) << (8 * (count - 4))
    case 2...: return load(UInt16.self, at: 0) | load(UInt16.self, at: count - 2) << (8 * (count - 2))
    default: return UInt64(raw.load(as: UInt8.self))
    }
  }

  /// Eight ASCII bytes with `A`–`Z` lower-cased, all at once: adding `0x3F` to a byte sets its
  /// top bit when it is `A` or above, adding `0x25` when it is above `Z`, and no byte below `0x80`
  /// carries into the next.
  static func lowercased(_ packed: UInt64) -> UInt64 {
    let atLeastA = packed &+ 0x3F3F_3F3F_3F3F_3F3F
    let aboveZ = packed &+ 0x2525_2525_2525_2525
    let upper = atLeastA & ~aboveZ & highBits
    return packed | upper >> 2
  }
}

/// The free-text vocabularies indexed for ASCII words, the common case: roles by ``ASCIIWordKey``
/// in an open-addressing table built once, so that a lookup is a multiply and a compare or two
/// where `Dictionary` would run SipHash on every word of every text.
struct ProseVocabulary: Sendable {
  /// Every word some role is defined by (see ``WordRoles/of(lowercased:)``).
  static let entries: Set<String> = {
    var entries = NameDictionary.firstNames.union(FreeText.nameContext).union(KeyVocabulary.organisationWords)
    entries.formUnion(NameDictionary.surnames)
    entries.formUnion(StreetVocabulary.words)
    entries.formUnion(FreeText.contextWords.keys)
    entries.formUnion(["for", "is", "ist", "es", "dob", "d.o.b"])
    return entries
  }()

  /// The table of ``entries``. Fetch it once per text: each read of a `static let` pays a check.
  static let shared = ProseVocabulary(entries)

  private var keys: [ASCIIWordKey?]
  private var roles: [WordRoles]
  /// How far right a 64-bit hash is shifted to index `keys`, whose count is a power of two.
  private let shift: UInt64
  /// The length of the longest lower-case ASCII entry: no longer word has a role.
  private let longestEntry: Int
  /// Bit `b` (of 128) set when some entry starts with the ASCII byte `b`.
  private let firstBytes: (low: UInt64, high: UInt64)

  /// Indexes the entries that are ASCII and their own lower case. A lower-cased ASCII word that is
  /// not one of them has no role: a `String` equal to it would be one of them.
  init(_ entries: Set<String>) {
    let indexed = entries.filter { $0.utf8.allSatisfy { $0 < 0x80 } && $0 == $0.lowercased() }
    longestEntry = indexed.map(\.utf8.count).max() ?? 0
    var firstBytes: (low: UInt64, high: UInt64) = (0, 0)
    for first in entries.compactMap(\.utf8.first) where first < 0x80 {
      if first < 64 { firstBytes.low |= 1 << first } else { firstBytes.high |= 1 << (first - 64) }
    }
    self.firstBytes = firstBytes
    let keyed = indexed.compactMap { entry in
      Array(entry.utf8).withUnsafeBufferPointer(ASCIIWordKey.init(lowercasing:)).map {
        ($0, WordRoles.of(lowercased: entry))
      }
    }
    // At most a quarter full, so that probes stay short.
    var bits: UInt64 = 4
    while 1 << bits < keyed.count * 4 { bits += 1 }
    shift = 64 - bits
    keys = Array(repeating: nil, count: 1 << bits)
    roles = Array(repeating: [], count: 1 << bits)
    for (key, value) in keyed {
      var slot = self.slot(of: key)
      while let occupant = keys[slot], occupant != key { slot = (slot + 1) & (keys.count - 1) }
      keys[slot] = key
      roles[slot] = value
    }
  }

  /// The roles of ASCII bytes, lower-cased: `WordRoles.of(lowercased:)` without building a string
  /// for the words short enough to be looked up by key (all the vocabularies' words are).
  func roles(ofASCII bytes: UnsafeBufferPointer<UInt8>) -> WordRoles {
    if let key = ASCIIWordKey(lowercasing: bytes) { return self[key] }
    guard bytes.count <= longestEntry else { return [] }
    return WordRoles.of(lowercased: String(decoding: bytes, as: UTF8.self).lowercased())
  }

  /// The roles of a word (its UTF-8 bytes, whole characters) lower-cased, as
  /// `WordRoles.of(lowercased: word.lowercased())` gives them: without a copy for an ASCII word.
  /// A caller looking up many words fetches ``shared`` once (each read of a `static let` pays a
  /// `swift_once` call).
  func roles(ofUTF8 bytes: UnsafeBufferPointer<UInt8>) -> WordRoles {
    // Most words are short ASCII ones, which the key alone settles.
    if let key = ASCIIWordKey(lowercasing: bytes) { return self[key] }
    if ASCIIWordKey.isASCII(bytes) { return roles(ofASCII: bytes) }
    if let roles = NonASCIIVocabulary.shared.roles(ofLatin: bytes) { return roles }
    let lowered = String(decoding: bytes, as: UTF8.self).lowercased()
    return Self.entries.contains(lowered) ? WordRoles.of(lowercased: lowered) : []
  }

  /// Whether a word whose lower case starts with `byte` may be an entry: false for an ASCII byte
  /// no entry starts with, such as a digit. An ASCII first byte lower-cases to an ASCII first byte.
  func mayStartEntry(_ byte: UInt8) -> Bool {
    let first = byte.isASCIIUpper ? byte | 0x20 : byte
    if first >= 0x80 { return true }
    return (first < 64 ? firstBytes.low >> first : firstBytes.high >> (first - 64)) & 1 != 0
  }

  /// The key's roles; none for a key not in the table.
  subscript(key: ASCIIWordKey) -> WordRoles {
    var slot = slot(of: key)
    while let occupant = keys[slot] {
      if occupant == key { return roles[slot] }
      slot = (slot + 1) & (keys.count - 1)
    }
    return []
  }

  /// Where probing for the key starts: the top bits of a multiplicative hash of both halves.
  private func slot(of key: ASCIIWordKey) -> Int {
    let mixed = (key.low ^ (key.high &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9
    return Int(truncatingIfNeeded: mixed >> shift)
  }
}

/// The vocabularies' entries with letters beyond ASCII (`straße`, `café`, `teléfono`), and a table
/// that lower-cases the Latin letters beyond ASCII, so that a word like `Müller` is found to be no
/// entry without building its lower case as a `String` (thousands of instructions a word).
///
/// `String.lowercased()` lower-cases scalar by scalar (each scalar's `lowercaseMapping`), and
/// compares canonically. For a word of ASCII and of scalars from U+0080 to U+02FF (Latin-1, Latin
/// Extended-A and -B, IPA), none of which combines or decomposes, the lower case is in normal form,
/// so comparing its bytes is comparing the strings; and since every such scalar but `İ` (U+0130,
/// left to `String`) lower-cases to one scalar beyond ASCII, the lower case is beyond ASCII and no
/// shorter than the word.
struct NonASCIIVocabulary: Sendable {
  static let shared = NonASCIIVocabulary(ProseVocabulary.entries)

  /// The first scalar after the table: U+0300 starts the combining marks.
  static let tableEnd: UInt32 = 0x300

  struct Entry: Sendable {
    let utf8: [UInt8]
    let roles: WordRoles
  }

  /// The entries beyond ASCII; empty when one of them has a scalar beyond the table, whose bytes
  /// this type could not compare (then every word is left to `String`).
  private let entries: [Entry]
  /// The most UTF-8 bytes of an entry beyond ASCII: a longer word's lower case is none of them.
  private let longestEntry: Int
  /// The lower case of each scalar from U+0080 below ``tableEnd``, at index `scalar - 0x80`; 0
  /// where it is not one scalar in that range beyond ASCII (then the word is left to `String`).
  private let lowercase: [UInt32]

  init(_ entries: Set<String>) {
    lowercase = (0x80..<Self.tableEnd).map { value in
      guard let scalar = Unicode.Scalar(value) else { return 0 }
      let mapped = scalar.properties.lowercaseMapping.unicodeScalars
      guard mapped.count == 1, let lower = mapped.first, lower.value >= 0x80, lower.value < Self.tableEnd
      else { return 0 }
      return lower.value
    }
    let beyondASCII = entries.filter { $0.utf8.contains { $0 >= 0x80 } }
    let comparable = beyondASCII.allSatisfy { $0.unicodeScalars.allSatisfy { $0.value < Self.tableEnd } }
    self.entries =
      comparable ? beyondASCII.map { Entry(utf8: Array($0.utf8), roles: WordRoles.of(lowercased: $0)) } : []
    longestEntry = self.entries.map(\.utf8.count).max() ?? 0
  }

  /// `WordRoles.of(lowercased:)` of the word's lower case when that is an entry, none when not; nil
  /// for a word with a scalar the table does not lower-case, which the caller lower-cases as a
  /// `String`. `bytes` are whole UTF-8 scalars with one beyond ASCII at least.
  func roles(ofLatin bytes: UnsafeBufferPointer<UInt8>) -> WordRoles? {
    guard !entries.isEmpty, isLatin(bytes) else { return nil }
    guard bytes.count <= longestEntry else { return [] }
    // Two bytes a scalar at most, each lower-cased to two bytes at most: twice the word's bytes.
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * bytes.count) { buffer in
      var count = 0
      var index = 0
      while index < bytes.count {
        let byte = bytes[index]
        if byte < 0x80 {
          buffer[count] = byte.isASCIIUpper ? byte | 0x20 : byte
          count += 1
          index += 1
          continue
        }
        let scalar = UInt32(byte & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
        let lower = lowercase[Int(scalar) - 0x80]
        buffer[count] = 0xC0 | UInt8(lower >> 6)
        buffer[count + 1] = 0x80 | UInt8(lower & 0x3F)
        count += 2
        index += 2
      }
      let lowered = UnsafeBufferPointer(rebasing: buffer[..<count])
      return entries.first { $0.utf8.elementsEqual(lowered) }?.roles ?? []
    }
  }

  /// Whether the bytes are ASCII and two-byte scalars that the table lower-cases.
  private func isLatin(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if byte < 0x80 {
        index += 1
        continue
      }
      // A two-byte scalar below U+0300 has a lead byte from 0xC2 to 0xCB.
      guard byte >= 0xC2, byte <= 0xCB, index + 1 < bytes.count else { return false }
      let scalar = UInt32(byte & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
      guard lowercase[Int(scalar) - 0x80] != 0 else { return false }
      index += 2
    }
    return true
  }
}
