import ArgumentParser
import Foundation
import Kube
import Logging
import Operator
import ServiceLifecycle

/// `sovren operator`: reconciles SovrenSensor resources into running sensors.
struct OperatorCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "operator",
    abstract: "Reconcile SovrenSensor resources into interceptors, Kafka, diggers, detectors and the map.",
    discussion: """
      Finds the cluster as kubectl does (in a pod: its service account; otherwise KUBECONFIG or \
      ~/.kube/config), or from --kubeconfig. With --leader-election (the default) several replicas \
      may run: one leads through a Lease and reconciles, the others stand by and take over when it \
      stops. Serves /healthz, /readyz and /metrics on --metrics-address. Stops gracefully on SIGINT \
      or SIGTERM: reconciles in progress finish and the lease is released.
      """)

  @Option(name: .long, help: "The kubeconfig to use instead of the usual search. (env: SOVREN_KUBECONFIG)")
  var kubeconfig: String?

  @Option(name: .long, help: "The kubeconfig context; its current one by default. (env: SOVREN_CONTEXT)")
  var context: String?

  @Option(
    name: .long,
    help: "Reconcile only the sensors of this namespace; every namespace by default. (env: SOVREN_WATCH_NAMESPACE)")
  var namespace: String?

  @Flag(
    inversion: .prefixedNo,
    help:
      "Stand for election on a Lease so that only one replica reconciles. (env: SOVREN_LEADER_ELECTION=0 to disable)")
  var leaderElection = true

  @Option(name: .long, help: "The Lease's name. (env: SOVREN_LEASE_NAME)")
  var leaseName: String?

  @Option(
    name: .long,
    help: "The Lease's namespace; POD_NAMESPACE, else the kubeconfig's namespace. (env: SOVREN_LEASE_NAMESPACE)")
  var leaseNamespace: String?

  @Option(
    name: .long, help: "This replica's name in the Lease; POD_NAME, else host name and pid. (env: SOVREN_IDENTITY)")
  var identity: String?

  @Option(name: .long, help: "Seconds a Lease holds without renewal. (env: SOVREN_LEASE_DURATION)")
  var leaseDuration: Double?

  @Option(
    name: .long, help: "Seconds the leader keeps trying to renew before it gives up. (env: SOVREN_RENEW_DEADLINE)")
  var renewDeadline: Double?

  @Option(name: .long, help: "Seconds between attempts to take or renew the Lease. (env: SOVREN_RETRY_PERIOD)")
  var retryPeriod: Double?

  @Option(
    name: .long, help: "Seconds between reconciles of every sensor when nothing changed. (env: SOVREN_RESYNC_PERIOD)")
  var resyncPeriod: Double?

  @Option(name: .long, help: "Sensors reconciled at once. (env: SOVREN_WORKERS)")
  var workers: Int?

  @Option(name: .long, help: "host:port of /healthz, /readyz and /metrics. (env: SOVREN_METRICS_ADDRESS)")
  var metricsAddress: String?

  @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical. (env: SOVREN_LOG_LEVEL)")
  var logLevel: String?

  /// Every option resolved and checked.
  struct Settings {
    var kubeconfig: String?
    var context: String?
    var controller = ControllerConfiguration()
    var election: LeaderElectionConfiguration?
    var metricsHost = "0.0.0.0"
    var metricsPort = 8080
    var logLevel = Logger.Level.info
  }

  func settings(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Settings {
    let options = OptionEnvironment(environment: environment)
    let given = options.given
    func seconds(_ flag: Double?, _ option: String, _ variable: String, default value: Duration) throws -> Duration {
      let text = flag.map { String($0) } ?? environment[variable]
      guard let text, !text.isEmpty else { return value }
      let source = flag != nil ? option : variable
      guard let number = Double(text), number > 0, number <= 86_400 else {
        throw ValidationError("\(source) must be a number of seconds above 0 and at most 86400, not \(text)")
      }
      return .milliseconds(Int64((number * 1000).rounded()))
    }
    var settings = Settings()
    settings.kubeconfig = given(kubeconfig, "--kubeconfig", "SOVREN_KUBECONFIG")?.text
    settings.context = given(context, "--context", "SOVREN_CONTEXT")?.text
    if let (text, source) = given(namespace, "--namespace", "SOVREN_WATCH_NAMESPACE") {
      guard Self.isDNSLabel(text) else { throw ValidationError("\(source) must be a namespace name, not \(text)") }
      settings.controller.namespace = text
    }
    settings.controller.resyncPeriod = try seconds(
      resyncPeriod, "--resync-period", "SOVREN_RESYNC_PERIOD", default: .seconds(300))
    if let (text, source) = given(workers.map { String($0) }, "--workers", "SOVREN_WORKERS") {
      guard let count = Int(text), (1...64).contains(count) else {
        throw ValidationError("\(source) must be a whole number from 1 to 64, not \(text)")
      }
      settings.controller.workers = count
    }
    if let (text, source) = given(metricsAddress, "--metrics-address", "SOVREN_METRICS_ADDRESS") {
      (settings.metricsHost, settings.metricsPort) = try OptionEnvironment.hostPort(
        text, source: source, example: "0.0.0.0:8080")
    }
    if let level = try options.logLevel(logLevel) { settings.logLevel = level }
    let electionDisabled = ["0", "false"].contains(environment["SOVREN_LEADER_ELECTION"]?.lowercased() ?? "")
    if leaderElection && !electionDisabled {
      let identity =
        given(identity, "--identity", "SOVREN_IDENTITY")?.text ?? environment["POD_NAME"]
        ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
      var election = LeaderElectionConfiguration(
        leaseName: given(leaseName, "--lease-name", "SOVREN_LEASE_NAME")?.text ?? "sovren-operator",
        namespace: given(leaseNamespace, "--lease-namespace", "SOVREN_LEASE_NAMESPACE")?.text
          ?? environment["POD_NAMESPACE"],
        identity: identity)
      election.leaseDuration = try seconds(
        leaseDuration, "--lease-duration", "SOVREN_LEASE_DURATION", default: election.leaseDuration)
      election.renewDeadline = try seconds(
        renewDeadline, "--renew-deadline", "SOVREN_RENEW_DEADLINE", default: election.renewDeadline)
      election.retryPeriod = try seconds(
        retryPeriod, "--retry-period", "SOVREN_RETRY_PERIOD", default: election.retryPeriod)
      do {
        try election.validate()
      } catch {
        throw ValidationError("\(error)")
      }
      settings.election = election
    }
    return settings
  }

  static func isDNSLabel(_ text: String) -> Bool {
    !text.isEmpty && text.count <= 63 && text.first != "-" && text.last != "-"
      && text.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
  }

  func run() async throws {
    let settings = try settings()
    bootstrapLogging(level: settings.logLevel)
    let logger = Logger(label: "sovren.operator")
    let configuration: KubeConfiguration
    do {
      if let path = settings.kubeconfig {
        configuration = try KubeConfiguration.kubeconfig(files: [path], context: settings.context)
      } else {
        configuration = try KubeConfiguration.detect(context: settings.context)
      }
    } catch {
      throw ValidationError("\(error)")
    }
    var clientConfiguration = configuration
    clientConfiguration.userAgent = "sovren-operator"
    let client = try KubeClient(configuration: clientConfiguration, logger: logger)
    let metrics = OperatorMetrics()
    let identity = settings.election?.identity ?? ProcessInfo.processInfo.hostName
    let events = EventRecorder(client: client, metrics: metrics, instance: identity, logger: logger)
    let controller = SensorController(
      client: client, configuration: settings.controller, events: events, metrics: metrics, logger: logger)
    let elector = try settings.election.map { try LeaderElector(client: client, configuration: $0, logger: logger) }
    let service = OperatorService(controller: controller, elector: elector, metrics: metrics, logger: logger)
    let endpoints = HealthEndpoints.application(
      host: settings.metricsHost, port: settings.metricsPort, service: service, metrics: metrics, logger: logger,
      onListening: { port in logger.info("serving health and metrics", metadata: ["port": "\(port)"]) })
    logger.info(
      "operator starting",
      metadata: [
        "k8s.server": "\(configuration.server)", "k8s.namespace": "\(settings.controller.namespace ?? "<all>")",
        "leader.identity": "\(settings.election?.identity ?? "<no election>")",
      ])
    // Shut down in reverse order: the operator stops, then the endpoints, then the client.
    let group = ServiceGroup(
      configuration: ServiceGroupConfiguration(
        services: [
          .init(service: client), .init(service: endpoints), .init(service: service),
        ], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    try await group.run()
  }
}
