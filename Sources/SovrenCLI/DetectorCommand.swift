import ArgumentParser
import Detection
import DetectorService
import Foundation
import Logging
import ServiceLifecycle

/// `sovren detector`: the detection HTTP service.
struct DetectorCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "detector",
    abstract: "Serve detection over HTTP: POST /api/v2/detect, GET /api/v2/alive, GET /metrics.",
    discussion: """
      POST /api/v2/detect takes {"documents":[…]} or one JSON document and answers \
      {"results":[…]}, one result per document. Stops gracefully on SIGINT or SIGTERM: requests in \
      flight finish. Request bodies and their values are never logged.
      """)

  @Option(name: .long, help: "host:port to listen on; 0.0.0.0:8000 by default. (env: SOVREN_DETECTOR_LISTEN)")
  var listen: String?

  @Option(
    name: .long,
    help: "Longest detect request body, in bytes; 1048576 by default. (env: SOVREN_DETECTOR_MAX_BODY_BYTES)")
  var maxBodyBytes: String?

  @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical. (env: SOVREN_LOG_LEVEL)")
  var logLevel: String?

  /// Every option resolved and checked.
  struct Settings {
    var server = DetectorConfiguration()
    var logLevel = Logger.Level.info
  }

  func settings(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Settings {
    let options = OptionEnvironment(environment: environment)
    let given = options.given
    var settings = Settings()
    if let (text, source) = given(listen, "--listen", "SOVREN_DETECTOR_LISTEN") {
      (settings.server.host, settings.server.port) = try OptionEnvironment.hostPort(
        text, source: source, example: "0.0.0.0:8000")
    }
    if let (text, source) = given(maxBodyBytes, "--max-body-bytes", "SOVREN_DETECTOR_MAX_BODY_BYTES") {
      guard let bytes = Int(text), (1...1_073_741_824).contains(bytes) else {
        throw ValidationError("\(source) must be a number of bytes from 1 to 1073741824, not \(text)")
      }
      settings.server.maxBodyBytes = bytes
    }
    if let level = try options.logLevel(logLevel) { settings.logLevel = level }
    return settings
  }

  func run() async throws {
    let settings = try settings()
    bootstrapLogging(level: settings.logLevel)
    let logger = Logger(label: "sovren.detector")
    let host = settings.server.host
    let server = DetectorServer(
      configuration: settings.server, metrics: DetectorMetrics(), logger: logger,
      onListening: { port in
        logger.info("detector listening", metadata: ["http.host": "\(host)", "http.port": "\(port)"])
      })
    logger.info("detector starting", metadata: ["http.max_body_bytes": "\(settings.server.maxBodyBytes)"])
    let group = ServiceGroup(
      configuration: ServiceGroupConfiguration(
        services: [.init(service: server)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    try await group.run()
    logger.info("detector stopped")
  }
}
