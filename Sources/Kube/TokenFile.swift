import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A bearer token kept in a file that is replaced under the running program: the kubelet
/// rotates projected service account tokens (hourly by default), swapping the file in through a
/// symlink.
///
/// Each request asks for the token. The file is `stat`ed every time (following symlinks, so a
/// swapped target counts as a change) and read again when its modification time, size or inode
/// changed, or when `refreshInterval` has passed since the last read (in case a replacement kept
/// all three). If a read fails after one succeeded, the last token is kept: a rotation caught
/// half-way must not fail requests that the old token still authorizes.
final class TokenFile: Sendable {
  let path: String
  let refreshInterval: Duration
  private let now: @Sendable () -> ContinuousClock.Instant

  private struct Snapshot {
    var token: String
    var fingerprint: Fingerprint?
    var readAt: ContinuousClock.Instant
  }

  private let snapshot = Mutex<Snapshot?>(nil)

  /// - Parameter now: the clock deciding when `refreshInterval` has passed; replaceable in tests.
  init(
    path: String, refreshInterval: Duration = .seconds(60),
    now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
  ) {
    self.path = path
    self.refreshInterval = refreshInterval
    self.now = now
  }

  /// The current token.
  func token() throws(FileAccess.Failure) -> String {
    let fingerprint = Fingerprint(path: path)
    let instant = now()
    let cached = snapshot.withLock { $0 }
    if let cached, let fingerprint, cached.fingerprint == fingerprint, instant - cached.readAt < refreshInterval {
      return cached.token
    }
    do {
      let token = try Self.read(path)
      snapshot.withLock { $0 = Snapshot(token: token, fingerprint: fingerprint, readAt: instant) }
      return token
    } catch {
      if let cached { return cached.token }
      throw error
    }
  }

  /// Reads a token file: its text without surrounding whitespace, which must not be empty.
  static func read(_ path: String) throws(FileAccess.Failure) -> String {
    let bytes = try FileAccess.readBytes(path)
    let token = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    guard !token.isEmpty else { throw FileAccess.Failure(reason: "it is empty") }
    return token
  }

  /// What `stat` says about the file the path finally points to.
  struct Fingerprint: Equatable {
    var seconds: Int
    var nanoseconds: Int
    var size: Int64
    var inode: UInt64

    init?(path: String) {
      var info = stat()
      guard stat(path, &info) == 0 else { return nil }
      #if canImport(Darwin)
        seconds = Int(info.st_mtimespec.tv_sec)
        nanoseconds = Int(info.st_mtimespec.tv_nsec)
      #else
        seconds = Int(info.st_mtim.tv_sec)
        nanoseconds = Int(info.st_mtim.tv_nsec)
      #endif
      size = Int64(info.st_size)
      inode = UInt64(info.st_ino)
    }
  }
}
