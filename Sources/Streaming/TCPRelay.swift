import Dispatch
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Forwards every TCP connection accepted on a loopback port to another IPv4 address, bytes
/// unchanged both ways: a fixed bootstrap address in front of the mock cluster, whose brokers
/// take whatever ports are free. (Kafka clients then reach each broker at the address the
/// cluster's metadata names, directly.)
///
/// One dispatch thread accepts; each connection has two threads copying, blocked in `read`.
/// Meant for development and tests, not for many connections.
public final class TCPRelay: @unchecked Sendable {
  /// The port it listens on (the one asked for, or the one the system chose for 0).
  public let port: Int
  private let listener: Int32
  private let stopped = Atomic<Bool>(false)
  private let acceptorDone = DispatchSemaphore(value: 0)

  /// Listens on 127.0.0.1:`port` (0: any free port) and forwards to `targetHost` (an IPv4
  /// address) port `targetPort`.
  public init(port: Int, targetHost: String, targetPort: Int) throws(KafkaError) {
    guard (0...65535).contains(port) else { throw KafkaError("port \(port) is not from 0 to 65535") }
    guard let target = Self.address(targetHost, targetPort), var local = Self.address("127.0.0.1", port) else {
      throw KafkaError("\(targetHost):\(targetPort) is not an IPv4 address and port")
    }
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard listener >= 0 else { throw KafkaError("cannot open a socket: \(Self.lastError())") }
    var yes: Int32 = 1
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    let bound = withUnsafePointer(to: &local) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0, listen(listener, 64) == 0 else {
      let reason = Self.lastError()
      close(listener)
      throw KafkaError("cannot listen on 127.0.0.1:\(port): \(reason)")
    }
    var actual = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &actual) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
    }
    self.port = Int(UInt16(bigEndian: actual.sin_port))
    self.listener = listener
    let done = acceptorDone
    // Ends when `stop` shuts the listener down: `accept` fails then.
    DispatchQueue(label: "sovren.tcp-relay.accept").async {
      while true {
        let client = accept(listener, nil, nil)
        guard client >= 0 else {
          if errno == EINTR || errno == ECONNABORTED { continue }
          break
        }
        Self.forward(client, to: target)
      }
      done.signal()
    }
  }

  deinit { stop() }

  /// Stops accepting (connections already forwarded go on until either side closes).
  public func stop() {
    guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
    shutdown(listener, Int32(SHUT_RDWR))
    acceptorDone.wait()
    close(listener)
  }

  /// Connects to `target` and copies both ways; without a target, drops the client.
  private static func forward(_ client: Int32, to target: sockaddr_in) {
    let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    var address = target
    let connected =
      upstream >= 0
      && withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      } == 0
    guard connected else {
      if upstream >= 0 { close(upstream) }
      close(client)
      return
    }
    let connection = Connection(client: client, upstream: upstream)
    DispatchQueue.global().async { connection.copy(from: client, to: upstream) }
    DispatchQueue.global().async { connection.copy(from: upstream, to: client) }
  }

  /// One forwarded connection: its two sockets, closed when both directions have ended.
  private final class Connection: Sendable {
    let client: Int32
    let upstream: Int32
    private let directionsLeft = Atomic<Int>(2)

    init(client: Int32, upstream: Int32) {
      self.client = client
      self.upstream = upstream
    }

    func copy(from source: Int32, to destination: Int32) {
      var buffer = [UInt8](repeating: 0, count: 64 * 1024)
      copying: while true {
        let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { break }
        var sent = 0
        while sent < count {
          let written = buffer.withUnsafeBytes { bytes in
            send(destination, bytes.baseAddress.map { $0 + sent }, count - sent, Int32(MSG_NOSIGNAL))
          }
          if written < 0 && errno == EINTR { continue }
          guard written > 0 else {
            // The other side is gone: end both directions.
            shutdown(source, Int32(SHUT_RDWR))
            break copying
          }
          sent += written
        }
      }
      shutdown(destination, Int32(SHUT_WR))
      if directionsLeft.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
        close(client)
        close(upstream)
      }
    }
  }

  private static func address(_ host: String, _ port: Int) -> sockaddr_in? {
    guard (0...65535).contains(port) else { return nil }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return nil }
    return address
  }

  private static func lastError() -> String { String(cString: strerror(errno)) }
}
