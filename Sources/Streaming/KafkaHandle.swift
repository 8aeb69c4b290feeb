import CRdKafka
import Dispatch

/// Why a Kafka client could not be made or could not do what it was asked.
public struct KafkaError: Error, Sendable, Hashable, CustomStringConvertible {
  public var description: String

  public init(_ description: String) { self.description = description }

  /// librdkafka's words for `code`.
  static func text(of code: rd_kafka_resp_err_t) -> String { String(cString: rd_kafka_err2str(code)) }

  /// The text librdkafka wrote into an error buffer (`errstr`), up to its terminating zero.
  static func text(of buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}

/// librdkafka's settings every Sovren client shares: its name, and log lines through swift-log
/// from warnings up (librdkafka's levels are syslog's: 3 error, 4 warning, …).
func commonProperties(bootstrapServers: String) -> [(String, String)] {
  [("bootstrap.servers", bootstrapServers), ("client.id", "sovren"), ("log_level", "4")]
}

/// A user's own librdkafka settings, applied after Sovren's (so they win), in name order.
func userProperties(_ properties: [String: String]) -> [(String, String)] {
  properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
}

/// Whether a librdkafka setting's value is a secret, never to be written in a message or a log.
func isSecret(_ name: String) -> Bool {
  let lowered = name.lowercased()
  return ["password", "secret", "token", "sasl.oauthbearer.config", "ssl.key.pem"]
    .contains { lowered.contains($0) }
}

/// An `rd_kafka_conf_t` built from properties; each failing property is named in the error.
enum KafkaConfigurationBuilder {
  /// The configuration also sends librdkafka's log lines to swift-log.
  static func make(_ properties: [(String, String)]) throws(KafkaError) -> OpaquePointer {
    guard let configuration = rd_kafka_conf_new() else { throw KafkaError("librdkafka could not make a configuration") }
    routeLogs(of: configuration)
    for (name, value) in properties {
      var reason = [CChar](repeating: 0, count: 512)
      if rd_kafka_conf_set(configuration, name, value, &reason, reason.count) != RD_KAFKA_CONF_OK {
        rd_kafka_conf_destroy(configuration)
        throw KafkaError(
          "Kafka setting \(name)=\(isSecret(name) ? "(secret, not shown)" : value): \(KafkaError.text(of: reason))")
      }
    }
    return configuration
  }

  /// A client handle from `configuration`, which it takes (also when it fails).
  static func client(_ type: rd_kafka_type_t, _ configuration: OpaquePointer) throws(KafkaError) -> OpaquePointer {
    var reason = [CChar](repeating: 0, count: 512)
    guard let handle = rd_kafka_new(type, configuration, &reason, reason.count) else {
      rd_kafka_conf_destroy(configuration)
      throw KafkaError(
        "librdkafka could not make a client: \(KafkaError.text(of: reason))"
      )
    }
    return handle
  }
}

/// `body`'s answer, computed on a dispatch thread: librdkafka's blocking calls stay off Swift's
/// cooperative threads.
func onDispatchThread<Result: Sendable>(_ body: @escaping @Sendable () -> Result) async -> Result {
  await withCheckedContinuation { continuation in
    DispatchQueue.global().async { continuation.resume(returning: body()) }
  }
}
