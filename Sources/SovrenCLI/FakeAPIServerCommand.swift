import ArgumentParser
import FakeKube
import Foundation
import Logging
import ServiceLifecycle

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `sovren fake-apiserver`: an in-memory Kubernetes API server to try Sovren, or kubectl, without a cluster.
struct FakeAPIServerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fake-apiserver",
    abstract: "Run an in-memory Kubernetes API server that kubectl works against.",
    discussion: """
      Prints the server's URL and a kubeconfig for it (or writes the kubeconfig to --kubeconfig). \
      Plain HTTP without authentication by default; --tls serves HTTPS with a certificate authority \
      generated at start-up (its certificate goes into the kubeconfig), --token requires a bearer \
      token. The --fault-* options inject latency, 500s and 429s for resilience tests. Every request \
      answered is recorded: GET /fakekube/requests serves the last 100000, --request-log appends them \
      all to a file. Objects live in memory and are gone when it stops. Stops gracefully on SIGINT or \
      SIGTERM.
      """)

  @Option(name: .long, help: "The port to listen on; 0 picks a free one. (env: SOVREN_FAKE_APISERVER_PORT)")
  var port: Int = Int(ProcessInfo.processInfo.environment["SOVREN_FAKE_APISERVER_PORT"] ?? "") ?? 6443

  @Option(name: .long, help: "The address to listen on. (env: SOVREN_FAKE_APISERVER_HOST)")
  var host: String = ProcessInfo.processInfo.environment["SOVREN_FAKE_APISERVER_HOST"] ?? "127.0.0.1"

  @Option(name: .long, help: "Write the kubeconfig to this file (mode 0600) instead of printing it.")
  var kubeconfig: String?

  @Flag(
    name: .long,
    help: """
      Do not propagate deletions through ownerReferences: dependents stay when their owner goes. \
      (env: SOVREN_FAKE_APISERVER_NO_GARBAGE_COLLECTION=1)
      """)
  var noGarbageCollection = false

  @Flag(
    name: .long,
    help: """
      Serve HTTPS with a certificate authority and server certificate generated at start-up; the \
      kubeconfig trusts that authority. (env: SOVREN_FAKE_APISERVER_TLS=1)
      """)
  var tls = false

  @Option(
    name: .customLong("tls-host"),
    help: ArgumentHelp(
      """
      An extra IP address or DNS name for the generated server certificate, besides 127.0.0.1, ::1 \
      and localhost; repeatable. (env: SOVREN_FAKE_APISERVER_TLS_HOSTS, comma-separated)
      """, valueName: "host"))
  var tlsHosts: [String] = []

  @Option(
    name: .customLong("tls-cert-file"),
    help: ArgumentHelp(
      """
      Serve HTTPS with the certificate (chain) in this PEM file instead of a generated one; the \
      kubeconfig trusts this file. Needs --tls-key-file. (env: SOVREN_FAKE_APISERVER_TLS_CERT_FILE)
      """, valueName: "file"))
  var tlsCertificateFile: String?

  @Option(
    name: .customLong("tls-key-file"),
    help: ArgumentHelp(
      "The private key, PEM, of --tls-cert-file. (env: SOVREN_FAKE_APISERVER_TLS_KEY_FILE)", valueName: "file"))
  var tlsKeyFile: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      """
      Require 'Authorization: Bearer TOKEN' on every request but /healthz, /livez and /readyz; the \
      kubeconfig carries it. Needs --tls, as kubectl sends a token only over HTTPS. \
      (env: SOVREN_FAKE_APISERVER_TOKEN)
      """, valueName: "token"))
  var token: String?

  @Flag(
    name: .long,
    help: """
      Require a random bearer token, written into the kubeconfig. Needs --tls. \
      (env: SOVREN_FAKE_APISERVER_GENERATE_TOKEN=1)
      """)
  var generateToken = false

  @Option(
    name: .long,
    help: ArgumentHelp(
      """
      Delay every request by this many milliseconds, or by a random amount in a range such as \
      100-300. (env: SOVREN_FAKE_APISERVER_FAULT_LATENCY_MS)
      """, valueName: "ms"))
  var faultLatencyMs: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Answer this fraction (0 to 1) of requests 500 InternalError. (env: SOVREN_FAKE_APISERVER_FAULT_ERROR_RATE)",
      valueName: "fraction"))
  var faultErrorRate: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      """
      Answer this fraction (0 to 1) of requests 429 TooManyRequests with Retry-After: 1. \
      (env: SOVREN_FAKE_APISERVER_FAULT_THROTTLE_RATE)
      """, valueName: "fraction"))
  var faultThrottleRate: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Seed the random choices of the fault options, for a run that repeats. (env: SOVREN_FAKE_APISERVER_FAULT_SEED)",
      valueName: "number"))
  var faultSeed: String?

  @Flag(
    name: .long,
    help: """
      Stand in for a cluster's controllers: Nodes exist; Deployments, ReplicaSets, DaemonSets and \
      StatefulSets get running Pods with IPs and a status that follows their spec; Services get \
      Endpoints. (env: SOVREN_FAKE_APISERVER_SIMULATE_WORKLOADS=1)
      """)
  var simulateWorkloads = false

  @Option(
    name: .long,
    help: ArgumentHelp(
      "How many Nodes --simulate-workloads creates (0 to 250). (env: SOVREN_FAKE_APISERVER_NODES)", valueName: "count"))
  var nodes: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      """
      Seconds the simulated controllers wait before acting on a change, like a cluster's \
      reaction time. (env: SOVREN_FAKE_APISERVER_RECONCILE_DELAY)
      """, valueName: "seconds"))
  var reconcileDelay: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      """
      Append every request answered to this file as JSON Lines (sequence, time, method, path, query, \
      userAgent, status, mutating, watch, dryRun), one line as each completes; a watch when it \
      starts. (env: SOVREN_FAKE_APISERVER_REQUEST_LOG)
      """, valueName: "file"))
  var requestLog: String?

  /// The flag, or else its environment fallback.
  var garbageCollection: Bool {
    let fromEnvironment = ProcessInfo.processInfo.environment["SOVREN_FAKE_APISERVER_NO_GARBAGE_COLLECTION"]
    return !noGarbageCollection && !["1", "true"].contains(fromEnvironment?.lowercased() ?? "")
  }

  func validate() throws {
    guard (0...65535).contains(port) else {
      throw ValidationError("--port must be between 0 and 65535, not \(port)")
    }
    _ = try settings()
  }

  /// What the options and their environment fallbacks ask for, checked.
  struct Settings {
    enum CertificateSource {
      case generated(extraHosts: [String])
      case files(certificate: String, key: String)
    }

    var certificates: CertificateSource?
    var token: String?
    var latencyMilliseconds: ClosedRange<Int>?
    var errorRate = 0.0
    var throttleRate = 0.0
    var seed: UInt64?
    var workloads: WorkloadSimulator.Configuration?
    /// The file to append the request log to, and the option or variable that named it.
    var requestLog: (path: String, source: String)?

    var injectsFaults: Bool { latencyMilliseconds != nil || errorRate > 0 || throttleRate > 0 }

    /// What the server does beyond plain HTTP, one line each; never the token itself.
    var summary: String {
      var lines: [String] = []
      if token != nil { lines.append("bearer token required (see the kubeconfig)") }
      if let range = latencyMilliseconds {
        let amount =
          range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound)"
        lines.append("fault: latency \(amount) ms")
      }
      if errorRate > 0 { lines.append("fault: error rate \(errorRate)") }
      if throttleRate > 0 { lines.append("fault: throttle rate \(throttleRate)") }
      if let workloads { lines.append("simulating workloads on \(workloads.nodeCount) nodes") }
      if let requestLog { lines.append("request log appended to \(requestLog.path)") }
      return lines.map { $0 + "\n" }.joined()
    }
  }

  func settings(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Settings {
    let given = OptionEnvironment(environment: environment).given
    func enabled(_ flag: Bool, _ variable: String) -> Bool {
      flag || ["1", "true"].contains(environment[variable]?.lowercased() ?? "")
    }
    var settings = Settings()

    var hosts = tlsHosts
    if hosts.isEmpty, let text = environment["SOVREN_FAKE_APISERVER_TLS_HOSTS"] {
      hosts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
    let certificateFile = given(tlsCertificateFile, "--tls-cert-file", "SOVREN_FAKE_APISERVER_TLS_CERT_FILE")
    let keyFile = given(tlsKeyFile, "--tls-key-file", "SOVREN_FAKE_APISERVER_TLS_KEY_FILE")
    switch (certificateFile, keyFile) {
    case (let certificate?, let key?):
      guard hosts.isEmpty else {
        throw ValidationError("--tls-host names hosts in a generated certificate; it cannot change --tls-cert-file")
      }
      settings.certificates = .files(certificate: certificate.text, key: key.text)
    case (let certificate?, nil):
      throw ValidationError("\(certificate.source) needs --tls-key-file, the private key of that certificate")
    case (nil, let key?):
      throw ValidationError("\(key.source) needs --tls-cert-file, the certificate of that key")
    case (nil, nil):
      if enabled(tls, "SOVREN_FAKE_APISERVER_TLS") {
        for host in hosts {
          do {
            try FakeKubeCertificates.checkHost(host)
          } catch {
            throw ValidationError("--tls-host: \(error)")
          }
        }
        settings.certificates = .generated(extraHosts: hosts)
      } else if !hosts.isEmpty {
        throw ValidationError("--tls-host needs --tls: a plain HTTP server has no certificate to name hosts in")
      }
    }

    let generatesToken = enabled(generateToken, "SOVREN_FAKE_APISERVER_GENERATE_TOKEN")
    if case let (text, source)? = given(token, "--token", "SOVREN_FAKE_APISERVER_TOKEN") {
      guard !generatesToken else {
        throw ValidationError("\(source) and --generate-token both set the token; give one of them")
      }
      guard settings.certificates != nil else {
        throw ValidationError("\(source) needs --tls: kubectl sends a token only over HTTPS")
      }
      guard text.unicodeScalars.allSatisfy({ (0x21..<0x7F).contains($0.value) }), text.count <= 4096 else {
        throw ValidationError(
          "\(source) must be printable ASCII without spaces (at most 4096 characters), as an Authorization header carries it"
        )
      }
      settings.token = text
    } else if generatesToken {
      guard settings.certificates != nil else {
        throw ValidationError("--generate-token needs --tls: kubectl sends a token only over HTTPS")
      }
      settings.token = Self.randomToken()
    }

    if case let (text, source)? = given(faultLatencyMs, "--fault-latency-ms", "SOVREN_FAKE_APISERVER_FAULT_LATENCY_MS")
    {
      let bounds = text.split(separator: "-", omittingEmptySubsequences: false).map {
        Int($0.trimmingCharacters(in: .whitespaces))
      }
      guard (1...2).contains(bounds.count), let low = bounds.first ?? nil, let high = bounds.last ?? nil,
        0 <= low, low <= high, high <= 60_000
      else {
        throw ValidationError("\(source) must be milliseconds (0 to 60000) or a range such as 100-300, not \(text)")
      }
      settings.latencyMilliseconds = low...high
    }
    func rate(_ flag: String?, _ option: String, _ variable: String) throws -> Double {
      guard case let (text, source)? = given(flag, option, variable) else { return 0 }
      guard let rate = Double(text), (0...1).contains(rate) else {
        throw ValidationError("\(source) must be a fraction from 0 to 1, such as 0.1, not \(text)")
      }
      return rate
    }
    settings.errorRate = try rate(faultErrorRate, "--fault-error-rate", "SOVREN_FAKE_APISERVER_FAULT_ERROR_RATE")
    settings.throttleRate = try rate(
      faultThrottleRate, "--fault-throttle-rate", "SOVREN_FAKE_APISERVER_FAULT_THROTTLE_RATE")
    if settings.errorRate + settings.throttleRate > 1 {
      throw ValidationError(
        "the error rate (\(settings.errorRate)) and the throttle rate (\(settings.throttleRate)) add up to more than 1")
    }
    if case let (text, source)? = given(faultSeed, "--fault-seed", "SOVREN_FAKE_APISERVER_FAULT_SEED") {
      guard let seed = UInt64(text) else {
        throw ValidationError("\(source) must be a whole number from 0 to \(UInt64.max), not \(text)")
      }
      settings.seed = seed
    }

    let nodeCount = given(nodes, "--nodes", "SOVREN_FAKE_APISERVER_NODES")
    let delay = given(reconcileDelay, "--reconcile-delay", "SOVREN_FAKE_APISERVER_RECONCILE_DELAY")
    if enabled(simulateWorkloads, "SOVREN_FAKE_APISERVER_SIMULATE_WORKLOADS") {
      var workloads = WorkloadSimulator.Configuration()
      if case let (text, source)? = nodeCount {
        guard let count = Int(text) else { throw ValidationError("\(source) must be a whole number, not \(text)") }
        workloads.nodeCount = count
      }
      if case let (text, source)? = delay {
        guard let seconds = Double(text), seconds.isFinite, seconds >= 0 else {
          throw ValidationError("\(source) must be a number of seconds, 0 or more, not \(text)")
        }
        workloads.reconcileDelay = .milliseconds(Int64((seconds * 1000).rounded()))
      }
      do {
        try workloads.validate()
      } catch {
        throw ValidationError("--simulate-workloads: \(error)")
      }
      settings.workloads = workloads
    } else if let (_, source) = nodeCount ?? delay {
      throw ValidationError("\(source) needs --simulate-workloads")
    }

    if case let (text, source)? = given(requestLog, "--request-log", "SOVREN_FAKE_APISERVER_REQUEST_LOG") {
      guard !text.isEmpty, !text.hasSuffix("/") else {
        throw ValidationError("\(source) must name a file to append to, not '\(text)'")
      }
      settings.requestLog = (text, source)
    }
    return settings
  }

  func run() async throws {
    let settings = try settings()
    let certificates: FakeKubeCertificates?
    switch settings.certificates {
    case .generated(let extraHosts)?: certificates = try FakeKubeCertificates.generate(extraHosts: extraHosts)
    case .files(let certificate, let key)?:
      certificates = try FakeKubeCertificates.load(certificateFile: certificate, keyFile: key)
    case nil: certificates = nil
    }
    var faults: FaultInjection?
    if settings.injectsFaults {
      let injection = FaultInjection(seed: settings.seed)
      injection.latency = settings.latencyMilliseconds.map {
        .milliseconds($0.lowerBound) ... .milliseconds($0.upperBound)
      }
      injection.errorRate = settings.errorRate
      injection.throttleRate = settings.throttleRate
      faults = injection
    }
    var requestLogFile: RequestLogFile?
    if let (path, source) = settings.requestLog {
      do {
        requestLogFile = try RequestLogFile(path: path)
      } catch {
        throw ValidationError("\(source): \(error)")
      }
    }
    defer { requestLogFile?.close() }
    let requestLog: RequestLog
    if let requestLogFile {
      requestLog = RequestLog { requestLogFile.append($0) }
    } else {
      requestLog = RequestLog()
    }
    let kubeconfigPath = kubeconfig
    let scheme = certificates == nil ? "http" : "https"
    let urlHost = host.contains(":") ? "[\(host)]" : host
    let token = settings.token
    let summary = settings.summary
    let server = FakeAPIServer(
      host: host, port: port, store: ObjectStore(garbageCollection: garbageCollection), certificates: certificates,
      token: token, faults: faults, workloads: settings.workloads,
      requestLog: requestLog
    ) { boundPort in
      let url = "\(scheme)://\(urlHost):\(boundPort)"
      let config = Kubeconfig.yaml(server: url, certificates: certificates, token: token)
      var message = "FakeKube listening on \(url)\n" + summary
      if let kubeconfigPath {
        do {
          try Self.writePrivately(config, to: kubeconfigPath)
          message += "kubeconfig written to \(kubeconfigPath)\n"
        } catch {
          message += "cannot write the kubeconfig to \(kubeconfigPath): \(error)\n"
        }
      } else {
        message += "# kubeconfig:\n\(config)"
      }
      // Written in one piece and unbuffered, so a script waiting for the URL sees it at once.
      FileHandle.standardOutput.write(Data(message.utf8))
    }
    let group = ServiceGroup(
      configuration: .init(
        services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: Logger(label: "sovren.fake-apiserver")
      ))
    try await group.run()
  }

  // MARK: Helpers

  /// 32 random bytes as hex: 256 bits, printable, no character that needs quoting.
  static func randomToken() -> String {
    var generator = SystemRandomNumberGenerator()
    return (0..<32).map { _ in
      let byte = UInt8.random(in: 0...255, using: &generator)
      return String(byte >> 4, radix: 16) + String(byte & 0x0F, radix: 16)
    }.joined()
  }

  /// Writes a file only its owner can read: a kubeconfig may carry a token. Written beside the
  /// target and renamed over it, so a reader never sees half a file.
  static func writePrivately(_ text: String, to path: String) throws {
    let temporary = path + ".tmp-\(getpid())"
    guard
      FileManager.default.createFile(
        atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
    else { throw ValidationError("cannot create \(temporary)") }
    guard rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw ValidationError("cannot move the kubeconfig into place at \(path): \(reason)")
    }
  }
}
