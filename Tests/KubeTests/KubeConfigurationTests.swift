import Foundation
import KubeModel
import Synchronization
import Testing

@testable import Kube

/// Kubeconfig files written by the tests, loaded as kubectl would load them.
@Suite("Kubeconfig loading")
struct KubeconfigTests {
  /// A kubeconfig with two contexts; `cluster` and `user` are spliced in as YAML.
  static func kubeconfig(
    current: String? = "main", cluster: String = "server: https://main.example:6443",
    user: String = "token: main-token", namespace: String? = "shop"
  ) -> String {
    """
    apiVersion: v1
    kind: Config
    \(current.map { "current-context: \($0)" } ?? "")
    clusters:
    - name: main
      cluster:
        \(cluster.replacingOccurrences(of: "\n", with: "\n    "))
    - name: other
      cluster:
        server: http://other.example:8080
    contexts:
    - name: main
      context:
        cluster: main
        user: main
        \(namespace.map { "namespace: \($0)" } ?? "")
    - name: other
      context:
        cluster: other
        user: other
    users:
    - name: main
      user:
        \(user.replacingOccurrences(of: "\n", with: "\n    "))
    - name: other
      user:
        token: other-token

    """
  }

  @Test("the current context's server, token, namespace and CA data")
  func currentContext() throws {
    let certificate = try CertificateFixture()
    let configuration = try KubeConfiguration.kubeconfig(
      yaml: Self.kubeconfig(
        cluster: """
          server: https://main.example:6443
          certificate-authority-data: \(certificate.certificateBase64)
          """))
    #expect(configuration.server == "https://main.example:6443")
    #expect(configuration.namespace == "shop")
    #expect(configuration.credentials == .bearerToken("main-token"))
    #expect(configuration.tls.certificateAuthorityPEM == Array(certificate.certificatePEM.utf8))
    #expect(!configuration.tls.insecureSkipVerify)
    #expect(configuration.source.contains("context main"))
    _ = try configuration.tls.makeNIOConfiguration()
  }

  @Test("a named context overrides current-context; no namespace means default")
  func contextOverride() throws {
    let configuration = try KubeConfiguration.kubeconfig(yaml: Self.kubeconfig(), context: "other")
    #expect(configuration.server == "http://other.example:8080")
    #expect(configuration.credentials == .bearerToken("other-token"))
    #expect(configuration.namespace == "default")
  }

  @Test("CA, client certificate and key files are read relative to the kubeconfig's directory")
  func relativeFiles() throws {
    let directory = try TemporaryDirectory()
    let certificate = try CertificateFixture()
    try directory.write("certs/ca.crt", certificate.certificatePEM)
    try directory.write("certs/client.crt", certificate.certificatePEM)
    try directory.write("certs/client.key", certificate.keyPEM)
    let path = try directory.write(
      "config",
      Self.kubeconfig(
        cluster: """
          server: https://main.example:6443
          certificate-authority: certs/ca.crt
          """,
        user: """
          client-certificate: certs/client.crt
          client-key: \(directory.path)/certs/client.key
          """))
    let configuration = try KubeConfiguration.kubeconfig(files: [path])
    #expect(configuration.tls.certificateAuthorityPEM == Array(certificate.certificatePEM.utf8))
    #expect(configuration.tls.clientCertificatePEM == Array(certificate.certificatePEM.utf8))
    #expect(configuration.tls.clientKeyPEM == Array(certificate.keyPEM.utf8))
    #expect(configuration.credentials == .none)
    let tls = try configuration.tls.makeNIOConfiguration()
    #expect(tls.certificateChain.count == 1)
  }

  @Test("client certificate and key as data")
  func clientCertificateData() throws {
    let certificate = try CertificateFixture()
    let configuration = try KubeConfiguration.kubeconfig(
      yaml: Self.kubeconfig(
        user: """
          client-certificate-data: \(certificate.certificateBase64)
          client-key-data: \(certificate.keyBase64)
          """))
    #expect(configuration.tls.clientKeyPEM == Array(certificate.keyPEM.utf8))
    _ = try configuration.tls.makeNIOConfiguration()
  }

  @Test("tokenFile becomes a token read from that file; username and password become basic auth")
  func tokenFileAndBasic() throws {
    let directory = try TemporaryDirectory()
    try directory.write("token", "file-token\n")
    let withFile = try KubeConfiguration.kubeconfig(
      yaml: Self.kubeconfig(user: "tokenFile: token"), directory: directory.path)
    #expect(withFile.credentials == .bearerTokenFile(path: directory.url.appendingPathComponent("token").path))

    let basic = try KubeConfiguration.kubeconfig(yaml: Self.kubeconfig(user: "username: ada\npassword: lovelace"))
    #expect(basic.credentials == .basic(username: "ada", password: "lovelace"))
    #expect(!"\(basic)".contains("lovelace"))
  }

  @Test("insecure-skip-tls-verify turns verification off")
  func insecure() throws {
    let configuration = try KubeConfiguration.kubeconfig(
      yaml: Self.kubeconfig(cluster: "server: https://main.example:6443\ninsecure-skip-tls-verify: true"))
    #expect(configuration.tls.insecureSkipVerify)
    let tls = try configuration.tls.makeNIOConfiguration()
    #expect(tls.certificateVerification == .none)
  }

  @Test("descriptions never show the token")
  func redaction() throws {
    let configuration = try KubeConfiguration.kubeconfig(yaml: Self.kubeconfig(user: "token: s3cr3t-value"))
    #expect(!"\(configuration)".contains("s3cr3t"))
    #expect(!String(reflecting: configuration.credentials).contains("s3cr3t"))
    var dumped = ""
    dump(configuration, to: &dumped)
    #expect(!dumped.contains("s3cr3t"))
  }

  @Test("KUBECONFIG lists files to merge: the first to define a name or current-context wins")
  func mergedList() throws {
    let directory = try TemporaryDirectory()
    let first = try directory.write(
      "first",
      """
      clusters:
      - name: main
        cluster: {server: "https://first.example"}
      users:
      - name: main
        user: {token: first-token}

      """)
    let second = try directory.write("second", Self.kubeconfig(current: "main"))
    let third = try directory.write("third", Self.kubeconfig(current: "other"))
    let missing = directory.url.appendingPathComponent("missing").path
    let configuration = try KubeConfiguration.kubeconfig(
      environment: ["KUBECONFIG": [missing, first, second, third].joined(separator: ":")])
    // The context comes from the second file, the cluster and user it names from the first.
    #expect(configuration.server == "https://first.example")
    #expect(configuration.credentials == .bearerToken("first-token"))
    #expect(configuration.namespace == "shop")

    let onlyThird = try KubeConfiguration.kubeconfig(environment: ["KUBECONFIG": "\(third):\(second)"])
    #expect(onlyThird.server == "http://other.example:8080")
  }

  @Test("without KUBECONFIG, ~/.kube/config")
  func homeDefault() throws {
    let home = try TemporaryDirectory()
    try home.write(".kube/config", Self.kubeconfig())
    let configuration = try KubeConfiguration.kubeconfig(environment: ["HOME": home.path])
    #expect(configuration.server == "https://main.example:6443")
  }

  @Test("detect uses the kubeconfig outside a pod")
  func detectKubeconfig() throws {
    let home = try TemporaryDirectory()
    try home.write(".kube/config", Self.kubeconfig())
    let configuration = try KubeConfiguration.detect(environment: ["HOME": home.path])
    #expect(configuration.server == "https://main.example:6443")
  }

  // MARK: Errors

  @Test("no kubeconfig anywhere names the places looked at")
  func noKubeconfig() throws {
    let home = try TemporaryDirectory()
    #expect(throws: KubeConfigurationError.noKubeconfig(searched: ["\(home.path)/.kube/config"])) {
      try KubeConfiguration.kubeconfig(environment: ["HOME": home.path])
    }
    #expect(throws: KubeConfigurationError.noKubeconfig(searched: ["/nonexistent/a", "/nonexistent/b"])) {
      try KubeConfiguration.kubeconfig(environment: ["KUBECONFIG": "/nonexistent/a::/nonexistent/b"])
    }
    let error = #expect(throws: KubeConfigurationError.self) {
      try KubeConfiguration.kubeconfig(files: ["/nonexistent/config"])
    }
    #expect(error == .unreadableFile(path: "/nonexistent/config", reason: "no such file"))
    #expect(error?.description == "The kubeconfig /nonexistent/config cannot be read: no such file.")
  }

  @Test("malformed YAML and wrong shapes name the file and the field")
  func malformed() throws {
    let directory = try TemporaryDirectory()
    let broken = try directory.write("broken", "clusters: [ {name: x\n")
    let error = #expect(throws: KubeConfigurationError.self) { try KubeConfiguration.kubeconfig(files: [broken]) }
    guard case .malformedKubeconfig(let path, _) = error else {
      Issue.record("expected malformedKubeconfig, got \(String(describing: error))")
      return
    }
    #expect(path == broken)

    let wrongShape = try directory.write(
      "shape", "clusters:\n- name: x\n  cluster:\n    insecure-skip-tls-verify: [1]\n")
    let shapeError = #expect(throws: KubeConfigurationError.self) {
      try KubeConfiguration.kubeconfig(files: [wrongShape])
    }
    #expect(shapeError?.description.contains("clusters[0].cluster.insecure-skip-tls-verify") == true)
  }

  @Test("missing pieces of the chosen context are named")
  func missingPieces() throws {
    #expect(throws: KubeConfigurationError.noCurrentContext(files: ["t"])) {
      try KubeConfiguration.kubeconfig(yaml: Self.kubeconfig(current: nil), name: "t")
    }
    #expect(throws: KubeConfigurationError.contextNotFound(name: "nope", files: ["t"])) {
      try KubeConfiguration.kubeconfig(yaml: Self.kubeconfig(), context: "nope", name: "t")
    }
    #expect(throws: KubeConfigurationError.missingField(field: "clusters[\"main\"].cluster.server", file: "t")) {
      try KubeConfiguration.kubeconfig(yaml: Self.kubeconfig(cluster: "insecure-skip-tls-verify: true"), name: "t")
    }
    let noCluster = """
      current-context: c
      contexts:
      - name: c
        context: {cluster: gone, user: u}
      """
    #expect(throws: KubeConfigurationError.clusterNotFound(name: "gone", context: "c", files: ["t"])) {
      try KubeConfiguration.kubeconfig(yaml: noCluster, name: "t")
    }
    let noUser = """
      current-context: c
      clusters:
      - name: k
        cluster: {server: "https://k"}
      contexts:
      - name: c
        context: {cluster: k, user: gone}
      """
    #expect(throws: KubeConfigurationError.userNotFound(name: "gone", context: "c", files: ["t"])) {
      try KubeConfiguration.kubeconfig(yaml: noUser, name: "t")
    }
  }

  @Test("unusable fields are refused with the reason")
  func unusableFields() throws {
    let badData = #expect(throws: KubeConfigurationError.self) {
      try KubeConfiguration.kubeconfig(
        yaml: Self.kubeconfig(cluster: "server: https://k\ncertificate-authority-data: '%%%'"), name: "t")
    }
    #expect(
      badData
        == .invalidField(
          field: "clusters[\"main\"].cluster.certificate-authority-data", file: "t", reason: "it is not base64"))

    let missingCA = #expect(throws: KubeConfigurationError.self) {
      try KubeConfiguration.kubeconfig(
        yaml: Self.kubeconfig(cluster: "server: https://k\ncertificate-authority: /nonexistent/ca.crt"), name: "t")
    }
    #expect(
      missingCA
        == .invalidField(
          field: "clusters[\"main\"].cluster.certificate-authority", file: "t",
          reason: "/nonexistent/ca.crt: no such file"))

    #expect(
      throws: KubeConfigurationError.invalidField(
        field: "clusters[\"main\"].cluster.server", file: "t",
        reason: "\"ftp://k\" is not an http or https URL with a host")
    ) {
      try KubeConfiguration.kubeconfig(yaml: Self.kubeconfig(cluster: "server: ftp://k"), name: "t")
    }

    let exec = #expect(throws: KubeConfigurationError.self) {
      try KubeConfiguration.kubeconfig(
        yaml: Self.kubeconfig(user: "exec:\n  command: aws\n  apiVersion: client.authentication.k8s.io/v1"),
        name: "t")
    }
    guard case .unsupportedField(let field, _, _) = exec else {
      Issue.record("expected unsupportedField, got \(String(describing: exec))")
      return
    }
    #expect(field == "users[\"main\"].user.exec")

    let certificate = try CertificateFixture()
    #expect(throws: KubeConfigurationError.missingField(field: "users[\"main\"].user.client-key", file: "t")) {
      try KubeConfiguration.kubeconfig(
        yaml: Self.kubeconfig(user: "client-certificate-data: \(certificate.certificateBase64)"), name: "t")
    }
    let directory = try TemporaryDirectory()
    let missingToken = #expect(throws: KubeConfigurationError.self) {
      try KubeConfiguration.kubeconfig(
        yaml: Self.kubeconfig(user: "tokenFile: absent"), directory: directory.path, name: "t")
    }
    guard case .invalidField(let tokenField, _, _) = missingToken else {
      Issue.record("expected invalidField, got \(String(describing: missingToken))")
      return
    }
    #expect(tokenField == "users[\"main\"].user.tokenFile")
  }
}

/// In-cluster configuration from a service account directory made by the test.
@Suite("In-cluster configuration")
struct InClusterTests {
  static let environment = ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"]

  func serviceAccount(namespace: String? = "sovren") throws -> (TemporaryDirectory, CertificateFixture) {
    let directory = try TemporaryDirectory()
    let certificate = try CertificateFixture()
    try directory.write("token", "token-1\n")
    try directory.write("ca.crt", certificate.certificatePEM)
    if let namespace { try directory.write("namespace", namespace) }
    return (directory, certificate)
  }

  @Test("server from the environment, token file, CA and namespace from the directory")
  func inCluster() throws {
    let (directory, certificate) = try serviceAccount()
    let configuration = try KubeConfiguration.inCluster(
      environment: Self.environment, serviceAccountDirectory: directory.path)
    #expect(configuration.server == "https://10.96.0.1:443")
    #expect(configuration.namespace == "sovren")
    #expect(configuration.credentials == .bearerTokenFile(path: "\(directory.path)/token"))
    #expect(configuration.tls.certificateAuthorityPEM == Array(certificate.certificatePEM.utf8))
    _ = try configuration.tls.makeNIOConfiguration()
  }

  @Test("an IPv6 service host is bracketed; no namespace file means default")
  func ipv6AndDefaultNamespace() throws {
    let (directory, _) = try serviceAccount(namespace: nil)
    let configuration = try KubeConfiguration.inCluster(
      environment: ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "6443"],
      serviceAccountDirectory: directory.path)
    #expect(configuration.server == "https://[fd00::1]:6443")
    #expect(configuration.namespace == "default")
  }

  @Test("detect prefers the service account when the environment says it runs in a pod")
  func detectPrefersInCluster() throws {
    let (directory, _) = try serviceAccount()
    let home = try TemporaryDirectory()
    try home.write(".kube/config", KubeconfigTests.kubeconfig())
    var environment = Self.environment
    environment["HOME"] = home.path
    let detected = try KubeConfiguration.detect(environment: environment, serviceAccountDirectory: directory.path)
    #expect(detected.server == "https://10.96.0.1:443")
    let withContext = try KubeConfiguration.detect(
      environment: environment, context: "main", serviceAccountDirectory: directory.path)
    #expect(withContext.server == "https://main.example:6443")
  }

  @Test("missing environment or files are named")
  func errors() throws {
    let (directory, _) = try serviceAccount()
    #expect(throws: KubeConfigurationError.notInCluster(missing: "KUBERNETES_SERVICE_HOST")) {
      try KubeConfiguration.inCluster(environment: [:], serviceAccountDirectory: directory.path)
    }
    #expect(throws: KubeConfigurationError.notInCluster(missing: "KUBERNETES_SERVICE_PORT")) {
      try KubeConfiguration.inCluster(
        environment: ["KUBERNETES_SERVICE_HOST": "10.0.0.1"], serviceAccountDirectory: directory.path)
    }
    #expect(throws: KubeConfigurationError.invalidEnvironment(variable: "KUBERNETES_SERVICE_PORT", value: "https")) {
      try KubeConfiguration.inCluster(
        environment: ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "https"],
        serviceAccountDirectory: directory.path)
    }
    let empty = try TemporaryDirectory()
    #expect(
      throws: KubeConfigurationError.unreadableServiceAccountFile(path: "\(empty.path)/token", reason: "no such file")
    ) {
      try KubeConfiguration.inCluster(environment: Self.environment, serviceAccountDirectory: empty.path)
    }
    try empty.write("token", "t")
    #expect(
      throws: KubeConfigurationError.unreadableServiceAccountFile(path: "\(empty.path)/ca.crt", reason: "no such file")
    ) {
      try KubeConfiguration.inCluster(environment: Self.environment, serviceAccountDirectory: empty.path)
    }
  }
}

/// Token files that rotate under the client.
@Suite("Token rotation")
struct TokenRotationTests {
  /// A clock the test moves by hand.
  final class ManualClock: Sendable {
    private let offset = Mutex(Duration.zero)
    private let start = ContinuousClock.now
    func advance(by duration: Duration) { offset.withLock { $0 += duration } }
    var now: ContinuousClock.Instant { start + offset.withLock { $0 } }
  }

  func setModificationDate(_ path: String, _ date: Date) throws {
    try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: path)
  }

  @Test("a changed file is read again at once; an unchanged one after the refresh interval")
  func rotation() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("token", "first\n")
    let fixed = Date(timeIntervalSince1970: 1_700_000_000)
    try setModificationDate(path, fixed)
    let clock = ManualClock()
    let file = TokenFile(path: path, refreshInterval: .seconds(60), now: { clock.now })
    #expect(try file.token() == "first")

    // Same size, same modification time (and, written in place, the same inode): not noticed…
    let handle = try #require(FileHandle(forWritingAtPath: path))
    try handle.write(contentsOf: Data("third\n".utf8))
    try handle.close()
    try setModificationDate(path, fixed)
    #expect(try file.token() == "first")
    // …until the refresh interval has passed.
    clock.advance(by: .seconds(61))
    #expect(try file.token() == "third")

    // A new modification time is noticed at once.
    try directory.write("token", "second-token")
    try setModificationDate(path, fixed.addingTimeInterval(10))
    #expect(try file.token() == "second-token")

    // A file gone after a good read keeps the last token.
    try FileManager.default.removeItem(atPath: path)
    clock.advance(by: .seconds(61))
    #expect(try file.token() == "second-token")
  }

  @Test("a file that never could be read fails")
  func unreadable() throws {
    let file = TokenFile(path: "/nonexistent/token")
    #expect(throws: FileAccess.Failure.self) { try file.token() }
  }

  @Test("requests carry the current token as it rotates")
  func requestsFollowRotation() async throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("token", "token-one")
    try withKnownDate(path, offset: 0)
    try await withCannedServer(
      configure: { $0.credentials = .bearerTokenFile(path: path) },
      answer: { _ in .body(status: 200, #"{"metadata":{"name":"p"}}"#) }
    ) { client, server in
      _ = try await client.get(Pod.self, name: "p")
      try directory.write("token", "token-two")
      try withKnownDate(path, offset: 30)
      _ = try await client.get(Pod.self, name: "p")
      #expect(server.requests.map { $0.headers["authorization"] } == ["Bearer token-one", "Bearer token-two"])
    }
  }

  private func withKnownDate(_ path: String, offset: TimeInterval) throws {
    try setModificationDate(path, Date(timeIntervalSince1970: 1_700_000_000 + offset))
  }
}

/// Building NIOSSL configurations from PEM.
@Suite("TLS configuration")
struct TLSConfigurationTests {
  @Test("PEM that is not a certificate is refused, naming which one")
  func badCertificates() throws {
    #expect(
      throws: KubeConfigurationError.invalidCertificate(
        source: "the certificate authority", reason: "it is not PEM (no -----BEGIN line)")
    ) {
      try KubeConfiguration.TLS(certificateAuthorityPEM: Array("garbage".utf8)).makeNIOConfiguration()
    }
    let broken = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n"
    let error = #expect(throws: KubeConfigurationError.self) {
      try KubeConfiguration.TLS(certificateAuthorityPEM: Array(broken.utf8)).makeNIOConfiguration()
    }
    guard case .invalidCertificate(let source, _) = error else {
      Issue.record("expected invalidCertificate, got \(String(describing: error))")
      return
    }
    #expect(source == "the certificate authority")
  }

  @Test("a client key must parse and come with its certificate")
  func clientKeys() throws {
    let certificate = try CertificateFixture()
    let badKey = #expect(throws: KubeConfigurationError.self) {
      try KubeConfiguration.TLS(
        clientCertificatePEM: Array(certificate.certificatePEM.utf8), clientKeyPEM: Array("nope".utf8)
      ).makeNIOConfiguration()
    }
    guard case .invalidPrivateKey = badKey else {
      Issue.record("expected invalidPrivateKey, got \(String(describing: badKey))")
      return
    }
    #expect(throws: KubeConfigurationError.self) {
      try KubeConfiguration.TLS(clientKeyPEM: Array(certificate.keyPEM.utf8)).makeNIOConfiguration()
    }
  }

  @Test("a client cannot be built from unusable TLS material")
  func clientInit() throws {
    #expect(throws: KubeConfigurationError.self) {
      try KubeClient(
        configuration: KubeConfiguration(
          server: "https://k", tls: .init(certificateAuthorityPEM: Array("garbage".utf8))))
    }
  }
}
