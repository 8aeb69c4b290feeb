/// Everything that can go wrong while generating or writing synthetic traffic.
public enum SynthError: Error, CustomStringConvertible, Equatable {
  /// `fopen` failed; `errno` says why.
  case cannotOpen(path: String, errno: Int32)
  /// `fwrite` or `fclose` wrote fewer bytes than asked.
  case writeFailed(path: String, errno: Int32)
  /// A write after `close()`.
  case writerClosed(path: String)
  /// A packet time before the Unix epoch cannot be stored in a pcap record.
  case timeBeforeEpoch(nanoseconds: Int64)
  /// The snap length must be between 1 and 2^31 - 1.
  case invalidSnapLength(Int)
  /// zlib refused to initialise or failed mid-stream.
  case zlib(operation: String, code: Int32)

  public var description: String {
    switch self {
    case .cannotOpen(let path, let errno):
      "could not open '\(path)' for writing (errno \(errno)); check the directory exists and is writable"
    case .writeFailed(let path, let errno):
      "writing to '\(path)' failed (errno \(errno)); check free disk space"
    case .writerClosed(let path):
      "the pcap writer for '\(path)' was already closed"
    case .timeBeforeEpoch(let nanoseconds):
      "packet time \(nanoseconds) ns is before 1970 and cannot be written to a pcap file"
    case .invalidSnapLength(let length):
      "snap length \(length) is out of range; use a value between 1 and 2147483647"
    case .zlib(let operation, let code):
      "zlib \(operation) failed with code \(code)"
    }
  }
}
