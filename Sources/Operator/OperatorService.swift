import Hummingbird
import Kube
import KubeModel
import Logging
import ServiceLifecycle

/// The operator as a `Service`: stands for election on a Lease (when configured) and runs the
/// controller only while it leads. On graceful shutdown the controller stops after the reconciles
/// in progress, and the lease is released so another replica takes over at once rather than
/// after it expires.
public struct OperatorService: ServiceLifecycle.Service {
  public let controller: SensorController
  /// Nil runs the controller without election: one replica only.
  public let elector: LeaderElector?
  let metrics: OperatorMetrics
  let logger: Logger

  public init(controller: SensorController, elector: LeaderElector?, metrics: OperatorMetrics, logger: Logger) {
    self.controller = controller
    self.elector = elector
    self.metrics = metrics
    self.logger = logger
  }

  public func run() async throws {
    let controller = controller
    let metrics = metrics
    try await cancelWhenGracefulShutdown {
      guard let elector = self.elector else {
        metrics.setLeader(true)
        await controller.run()
        return
      }
      try await elector.lead {
        metrics.setLeader(true)
        defer { metrics.setLeader(false) }
        await controller.run()
      }
    }
    metrics.setLeader(false)
    logger.info("operator stopped")
  }

  /// Ready when it can do its part: leading with every cache listed, or standing by.
  public var isReady: Bool {
    if let elector, !elector.isLeader { return true }
    return controller.isSynced
  }
}

/// `/healthz`, `/readyz` and `/metrics` for the kubelet's probes and Prometheus.
public enum HealthEndpoints {
  public static func application(
    host: String, port: Int, service: OperatorService, metrics: OperatorMetrics, logger: Logger,
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
  ) -> some ApplicationProtocol {
    let router = Router()
    router.get("/healthz") { _, _ in "ok\n" }
    router.get("/readyz") { _, _ -> Response in
      let ready = service.isReady
      return Response(
        status: ready ? .ok : .serviceUnavailable,
        body: ResponseBody(byteBuffer: ByteBuffer(string: ready ? "ok\n" : "caches not synced\n")))
    }
    router.get("/metrics") { _, _ -> Response in
      Response(
        status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
        body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.exposition())))
    }
    return Application(
      router: router,
      configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "sovren-operator"),
      onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
      logger: logger)
  }
}
