import CPcap

/// Owns one libpcap handle. Reading is synchronous and single-threaded: a handle belongs to the
/// task that reads it.
public final class PcapHandle {
  private let handle: OpaquePointer
  /// What the handle reads from, for errors and logs: a file path or an interface name.
  public let source: String

  /// Opens a capture file (pcap or pcapng) with nanosecond timestamps.
  public init(offlineFile path: String) throws(CaptureError) {
    var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
    guard
      let opened = pcap_open_offline_with_tstamp_precision(
        path, UInt32(PCAP_TSTAMP_PRECISION_NANO), &errorBuffer)
    else {
      throw .openFailed(source: path, message: String(cString: errorBuffer))
    }
    handle = opened
    source = path
  }

  deinit {
    pcap_close(handle)
  }

  /// The pcap link-layer type (`DLT_*`) of every packet this handle yields.
  public var linkType: Int32 {
    pcap_datalink(handle)
  }

  /// Calls `body` for each packet until the capture ends, `body` returns false, or libpcap fails.
  /// The bytes passed to `body` are libpcap's own buffer: valid only during the call.
  ///
  /// A file that ends in the middle of a record throws `.truncatedFile` after every complete
  /// record has been delivered.
  public func readPackets(
    _ body: (_ header: PacketHeader, _ bytes: UnsafeRawBufferPointer) throws -> Bool
  ) throws -> PacketCount {
    var count = PacketCount()
    var headerPointer: UnsafeMutablePointer<pcap_pkthdr>?
    var dataPointer: UnsafePointer<UInt8>?
    while true {
      let result = pcap_next_ex(handle, &headerPointer, &dataPointer)
      switch result {
      case 1:
        guard let header = headerPointer?.pointee, let data = dataPointer else { continue }
        let captured = Int(header.caplen)
        count.packets += 1
        count.bytes += UInt64(captured)
        let packetHeader = PacketHeader(
          seconds: Int64(header.ts.tv_sec), nanoseconds: Int64(header.ts.tv_usec),
          capturedLength: captured, originalLength: Int(header.len))
        let keepGoing = try body(packetHeader, UnsafeRawBufferPointer(start: data, count: captured))
        if !keepGoing { return count }
      case 0:
        // Live capture: the read timeout expired with no packet.
        continue
      case PCAP_ERROR_BREAK:
        return count
      default:
        let message = String(cString: pcap_geterr(handle))
        if message.contains("truncated") {
          throw CaptureError.truncatedFile(source: source, packetsRead: count.packets, message: message)
        }
        throw CaptureError.readFailed(source: source, message: message)
      }
    }
  }
}

/// What libpcap says about one packet.
public struct PacketHeader: Sendable {
  public var seconds: Int64
  /// Nanoseconds within the second (handles are opened with nanosecond precision).
  public var nanoseconds: Int64
  /// Bytes present in the capture (at most the snap length).
  public var capturedLength: Int
  /// Bytes the packet had on the wire.
  public var originalLength: Int

  public init(seconds: Int64, nanoseconds: Int64, capturedLength: Int, originalLength: Int) {
    self.seconds = seconds
    self.nanoseconds = nanoseconds
    self.capturedLength = capturedLength
    self.originalLength = originalLength
  }

  /// Nanoseconds since the Unix epoch.
  public var timestampNanoseconds: Int64 {
    seconds &* 1_000_000_000 &+ nanoseconds
  }
}

public struct PacketCount: Sendable, Equatable {
  public var packets: UInt64 = 0
  /// Captured bytes, link-layer headers included.
  public var bytes: UInt64 = 0

  public init() {}
}

public enum CaptureError: Error, CustomStringConvertible, Equatable {
  case openFailed(source: String, message: String)
  case readFailed(source: String, message: String)
  case truncatedFile(source: String, packetsRead: UInt64, message: String)

  public var description: String {
    switch self {
    case .openFailed(let source, let message):
      "cannot open capture '\(source)': \(message)"
    case .readFailed(let source, let message):
      "reading capture '\(source)' failed: \(message)"
    case .truncatedFile(let source, let packets, _):
      "capture '\(source)' ends in the middle of a packet record after \(packets) complete packets (was it still being written?)"
    }
  }
}
