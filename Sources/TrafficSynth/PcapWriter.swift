import SovrenModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The pcap `LINKTYPE_*` values the generator can write. Each one is a different way real
/// captures wrap IP packets, and each one is a decoder path the interceptor must get right.
public enum LinkType: UInt32, Sendable, CaseIterable {
  /// BSD loopback: a 4-byte address family in the capturing host's byte order.
  case null = 0
  /// Ethernet II, optionally with 802.1Q or 802.1ad (QinQ) tags.
  case ethernet = 1
  /// Bare IPv4 or IPv6, the version nibble tells which.
  case raw = 101
  /// OpenBSD loopback: like `null`, but the family is in network byte order.
  case loop = 108
  /// Linux cooked capture v1 (`tcpdump -i any` before libpcap 1.10).
  case linuxSLL = 113
  /// Linux cooked capture v2 (`tcpdump -i any` on libpcap 1.10 and later).
  case linuxSLL2 = 276
}

/// Microsecond or nanosecond record timestamps; the file's magic number tells readers which.
public enum TimestampPrecision: Sendable {
  case microseconds
  case nanoseconds

  var magic: UInt32 {
    switch self {
    case .microseconds: 0xa1b2_c3d4
    case .nanoseconds: 0xa1b2_3c4d
    }
  }
}

/// One packet as the capture recorded it: the bytes kept (at most the snap length) and the
/// length the packet had on the wire.
public struct CapturedPacket: Sendable, Hashable {
  public var time: PacketTime
  /// Link-layer bytes as captured; shorter than `originalLength` when truncated.
  public var bytes: [UInt8]
  public var originalLength: Int

  public init(time: PacketTime, bytes: [UInt8], originalLength: Int? = nil) {
    self.time = time
    self.bytes = bytes
    self.originalLength = originalLength ?? bytes.count
  }

  /// True when the capture kept fewer bytes than were sent.
  public var isTruncated: Bool { bytes.count < originalLength }
}

/// Writes a classic pcap file record by record, so that files of any size (the benchmark
/// writes hundreds of megabytes) stream through a small buffer instead of memory.
///
/// The file header and record headers are written in this machine's byte order, as libpcap
/// does; readers detect the order from the magic number.
public final class PcapWriter {
  public let path: String
  public let linkType: LinkType
  public let snapLength: Int
  public let precision: TimestampPrecision
  /// Records written so far.
  public private(set) var packetsWritten: UInt64 = 0
  /// File bytes written so far, headers included.
  public private(set) var bytesWritten: UInt64 = 0

  private var file: UnsafeMutablePointer<FILE>?

  /// Creates (or truncates) `path` and writes the pcap file header.
  public init(
    path: String, linkType: LinkType, snapLength: Int = 262_144,
    precision: TimestampPrecision = .microseconds
  ) throws(SynthError) {
    guard snapLength > 0, snapLength <= Int(Int32.max) else { throw .invalidSnapLength(snapLength) }
    self.path = path
    self.linkType = linkType
    self.snapLength = snapLength
    self.precision = precision
    guard let file = fopen(path, "wb") else { throw .cannotOpen(path: path, errno: errno) }
    self.file = file
    // A large stdio buffer keeps the number of write(2) calls low for multi-gigabyte files.
    setvbuf(file, nil, _IOFBF, 1 << 20)
    var header: [UInt8] = []
    header.reserveCapacity(24)
    header.appendHostOrder(precision.magic)
    withUnsafeBytes(of: UInt16(2)) { header.append(contentsOf: $0) }  // version major
    withUnsafeBytes(of: UInt16(4)) { header.append(contentsOf: $0) }  // version minor
    header.appendHostOrder(0)  // thiszone
    header.appendHostOrder(0)  // sigfigs
    header.appendHostOrder(UInt32(snapLength))
    header.appendHostOrder(linkType.rawValue)
    try writeRaw(header)
  }

  deinit {
    if let file { fclose(file) }
  }

  /// Appends one record. Bytes beyond the snap length are cut off, and the record keeps the
  /// packet's original length, as a capture with a small snap length would.
  public func write(time: PacketTime, bytes: [UInt8], originalLength: Int? = nil) throws(SynthError) {
    guard time.nanoseconds >= 0 else { throw .timeBeforeEpoch(nanoseconds: time.nanoseconds) }
    let captured = min(bytes.count, snapLength)
    let original = max(originalLength ?? bytes.count, bytes.count)
    let seconds = time.nanoseconds / 1_000_000_000
    let fraction = time.nanoseconds % 1_000_000_000
    var header: [UInt8] = []
    header.reserveCapacity(16)
    header.appendHostOrder(UInt32(truncatingIfNeeded: seconds))
    header.appendHostOrder(
      UInt32(truncatingIfNeeded: precision == .microseconds ? fraction / 1_000 : fraction))
    header.appendHostOrder(UInt32(captured))
    header.appendHostOrder(UInt32(truncatingIfNeeded: original))
    try writeRaw(header)
    if captured == bytes.count {
      try writeRaw(bytes)
    } else {
      try writeRaw(bytes[0..<captured])
    }
    packetsWritten += 1
  }

  /// Appends one captured packet.
  public func write(_ packet: CapturedPacket) throws(SynthError) {
    try write(time: packet.time, bytes: packet.bytes, originalLength: packet.originalLength)
  }

  /// Flushes and closes the file; later writes fail. Closing twice is harmless.
  public func close() throws(SynthError) {
    guard let file else { return }
    self.file = nil
    if fclose(file) != 0 { throw .writeFailed(path: path, errno: errno) }
  }

  private func writeRaw(_ bytes: some ContiguousCollection) throws(SynthError) {
    guard let file else { throw .writerClosed(path: path) }
    let count = bytes.withContiguousBytes { raw -> Int in
      guard let base = raw.baseAddress, raw.count > 0 else { return 0 }
      return fwrite(base, 1, raw.count, file)
    }
    let expected = bytes.withContiguousBytes { $0.count }
    guard count == expected else { throw .writeFailed(path: path, errno: errno) }
    bytesWritten += UInt64(count)
  }
}

/// Collections whose bytes can be handed to C without a copy.
protocol ContiguousCollection {
  func withContiguousBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension Array: ContiguousCollection where Element == UInt8 {
  func withContiguousBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try withUnsafeBytes(body)
  }
}

extension ArraySlice: ContiguousCollection where Element == UInt8 {
  func withContiguousBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try withUnsafeBytes(body)
  }
}
