import CRdKafka
import Logging

/// Where librdkafka's own log lines and the clients' warnings go: swift-log, label `sovren.kafka`
/// (made per use, so it follows however the process set up swift-log, whenever it did).
var kafkaLogger: Logger { Logger(label: "sovren.kafka") }

/// Sends librdkafka's log lines of `configuration` to `kafkaLogger`.
func routeLogs(of configuration: OpaquePointer) {
  rd_kafka_conf_set_log_cb(configuration, logLine)
}

/// librdkafka's log callback; it may run on any of librdkafka's threads.
private func logLine(
  _ handle: OpaquePointer?, _ level: Int32, _ facility: UnsafePointer<CChar>?, _ text: UnsafePointer<CChar>?
) {
  let message = text.map { String(cString: $0) } ?? ""
  let facilityName = facility.map { String(cString: $0) } ?? ""
  let client = handle.map { String(cString: rd_kafka_name($0)) } ?? ""
  let swiftLevel: Logger.Level =
    switch level {
    case ...2: .critical
    case 3: .error
    case 4: .warning
    case 5, 6: .info
    default: .debug
    }
  kafkaLogger.log(level: swiftLevel, "\(message)", metadata: ["facility": "\(facilityName)", "client": "\(client)"])
}
