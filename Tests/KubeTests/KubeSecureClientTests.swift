import FakeKube
import Foundation
import KubeModel
import Testing

@testable import Kube

/// The client over HTTPS against FakeKube, configured only by the kubeconfig FakeKube writes for
/// kubectl: its certificate authority, and its bearer token or client certificate.
@Suite("Kube client over HTTPS with a bearer token")
struct KubeSecureClientTests {
  static let token = "client-test-token.v1"

  /// `kubeconfig` with its user's credentials swapped for `user` (YAML under `user:`).
  func kubeconfig(_ fake: RunningFakeKube, cluster: String? = nil, user: String) throws -> String {
    let certificates = try #require(fake.certificates)
    let authority = Data(certificates.certificateAuthorityPEM.utf8).base64EncodedString()
    return """
      apiVersion: v1
      kind: Config
      clusters:
      - name: fakekube
        cluster:
          \(cluster ?? "server: \(fake.url)\n    certificate-authority-data: \(authority)")
      contexts:
      - name: fakekube
        context: {cluster: fakekube, user: fakekube, namespace: default}
      current-context: fakekube
      users:
      - name: fakekube
        user:
          \(user)

      """
  }

  @Test("every verb works over HTTPS with the token from FakeKube's own kubeconfig, as text or as a file")
  func everyVerb() async throws {
    try await withFakeKubeServer(tls: true, token: Self.token) { fake in
      #expect(fake.url.hasPrefix("https://127.0.0.1:"))
      #expect(fake.kubeconfig.contains("certificate-authority-data: "))
      #expect(fake.kubeconfig.contains("token: \"\(Self.token)\""))
      let client = try fake.client()
      #expect(client.configuration.server == fake.url)
      #expect(client.configuration.credentials == .bearerToken(Self.token))
      #expect(client.configuration.tls.certificateAuthorityPEM != nil)

      let created = try await client.create(ConfigMap(metadata: ObjectMeta(name: "a"), data: ["k": "1"]))
      #expect(try await client.get(ConfigMap.self, name: "a") == created)
      var changed = created
      changed.data = ["k": "2"]
      let updated = try await client.update(changed)
      #expect(updated.data == ["k": "2"])
      let patched = try await client.patch(ConfigMap.self, name: "a", .merge(["data": ["p": "3"]]))
      #expect(patched.data == ["k": "2", "p": "3"])
      let applied = try await client.apply(
        ConfigMap(metadata: ObjectMeta(name: "b"), data: ["x": "y"]), fieldManager: "tls-test")
      #expect(applied.data == ["x": "y"])
      #expect(try await client.list(ConfigMap.self).items.map(\.name) == ["a", "b"])
      #expect(try await client.listAll(ConfigMap.self, options: ListOptions(limit: 1)).items.count == 2)
      let namespace = try await client.getStatus(Namespace.self, name: "default")
      #expect(namespace.status?.phase == "Active")
      let version = try await client.send(KubeRequest(path: "/version"))
      #expect(version.statusCode == 200)

      var events = try await client.watch(
        ConfigMap.self, options: WatchOptions(resourceVersion: updated.metadata.resourceVersion, timeoutSeconds: 10)
      ).makeAsyncIterator()
      _ = try await client.delete(ConfigMap.self, name: "a")
      #expect(summary(try await nextChange(&events)) == "MODIFIED a")
      #expect(summary(try await nextChange(&events)) == "ADDED b")
      #expect(summary(try await nextChange(&events)) == "DELETED a")

      // The same kubeconfig read from a file.
      let directory = try TemporaryDirectory()
      let path = try directory.write("kubeconfig", fake.kubeconfig)
      let fromFile = try fake.client(configuration: try KubeConfiguration.kubeconfig(files: [path]))
      #expect(fromFile.configuration.source.contains(path))
      #expect(try await fromFile.get(ConfigMap.self, name: "b").name == "b")
    }
  }

  @Test("a wrong or missing token is unauthorized")
  func wrongToken() async throws {
    try await withFakeKubeServer(tls: true, token: Self.token) { fake in
      let certificates = try #require(fake.certificates)
      for token in ["wrong", nil] as [String?] {
        let intruder = try fake.client(
          kubeconfig: Kubeconfig.yaml(
            server: fake.url, certificateAuthorityPEM: certificates.certificateAuthorityPEM, token: token))
        let error = await #expect(throws: KubeError.self) { try await intruder.list(ConfigMap.self) }
        #expect(error?.kind == .unauthorized)
        #expect(error?.code == 401)
        #expect(error?.isRetryable == false)
        // Watches are refused the same way, before any event.
        let watchError = await #expect(throws: KubeError.self) { try await intruder.watch(ConfigMap.self) }
        #expect(watchError?.isUnauthorized == true)
      }
    }
  }

  @Test("a server whose certificate another authority signed fails the handshake with a clear transport error")
  func wrongAuthority() async throws {
    try await withFakeKubeServer(tls: true, token: Self.token) { fake in
      let stranger = try FakeKubeCertificates.generate()
      // The HTTP client retries failed connections until the deadline, then reports the last failure.
      let misled = try fake.client(
        kubeconfig: Kubeconfig.yaml(server: fake.url, certificates: stranger, token: Self.token)
      ) { $0.requestTimeout = .seconds(2) }
      let error = await #expect(throws: KubeError.self) { try await misled.get(Namespace.self, name: "default") }
      #expect(error?.kind == .transport)
      #expect(error?.code == nil)
      #expect(error?.isRetryable == true)
      let description = error?.description ?? ""
      #expect(
        description.hasPrefix(
          "GET /api/v1/namespaces/default could not reach the API server: the TLS handshake failed: the server's "
            + "certificate is not signed by a certificate authority the client trusts"), "\(description)")
      #expect(description.contains("CERTIFICATE_VERIFY_FAILED"), "\(description)")
      // The same client with the right authority gets through.
      let trusting = try fake.client()
      #expect(try await trusting.get(Namespace.self, name: "default").name == "default")
    }
  }

  @Test("insecure-skip-tls-verify talks to a server no authority vouches for")
  func insecureSkipVerify() async throws {
    try await withFakeKubeServer(tls: true, token: Self.token) { fake in
      let insecure = try fake.client(
        kubeconfig: kubeconfig(
          fake, cluster: "server: \(fake.url)\n    insecure-skip-tls-verify: true", user: "token: \(Self.token)"))
      #expect(insecure.configuration.tls.insecureSkipVerify)
      #expect(insecure.configuration.tls.certificateAuthorityPEM == nil)
      #expect(try await insecure.get(Namespace.self, name: "default").name == "default")
      // Without it (and without the authority), the system's roots do not know FakeKube's CA.
      let strict = try fake.client(
        kubeconfig: kubeconfig(fake, cluster: "server: \(fake.url)", user: "token: \(Self.token)")
      ) { $0.requestTimeout = .seconds(2) }
      let error = await #expect(throws: KubeError.self) { try await strict.get(Namespace.self, name: "default") }
      #expect(error?.kind == .transport)
    }
  }

  @Test("FakeKube's kubeconfig without a token carries a client certificate, which the client presents")
  func clientCertificate() async throws {
    try await withFakeKubeServer(tls: true) { fake in
      #expect(fake.kubeconfig.contains("client-certificate-data: "))
      let client = try fake.client()
      #expect(client.configuration.credentials == .none)
      #expect(client.configuration.tls.clientCertificatePEM != nil)
      #expect(client.configuration.tls.clientKeyPEM != nil)
      _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "by-certificate")))
      #expect(try await client.list(ConfigMap.self).items.map(\.name) == ["by-certificate"])
    }
  }

  @Test("a token file is read again when it changes: the server sees each token in turn")
  func tokenFileRotation() async throws {
    try await withFakeKubeServer(tls: true, token: Self.token) { fake in
      let directory = try TemporaryDirectory()
      let tokenPath = try directory.write("token", Self.token + "\n")
      let client = try fake.client(kubeconfig: kubeconfig(fake, user: "tokenFile: \(tokenPath)"))
      #expect(client.configuration.credentials == .bearerTokenFile(path: tokenPath))
      #expect(try await client.get(Namespace.self, name: "default").name == "default")

      // Rotated to a token the server does not know (written whole, as the kubelet swaps files).
      try directory.write("token", "rotated-to-something-else")
      let error = await #expect(throws: KubeError.self) { try await client.get(Namespace.self, name: "default") }
      #expect(error?.isUnauthorized == true)

      try directory.write("token", Self.token)
      #expect(try await client.get(Namespace.self, name: "default").name == "default")
    }
  }
}

/// Faults FakeKube injects, as the client reports them.
@Suite("Kube client under injected faults")
struct KubeClientFaultTests {
  @Test("an injected 500 is a retryable serverError with the server's message")
  func internalError() async throws {
    let faults = FaultInjection(seed: 1)
    try await withFakeKubeServer(tls: true, token: "t", faults: faults) { fake in
      let client = try fake.client()
      faults.errorRate = 1
      let error = await #expect(throws: KubeError.self) { try await client.list(ConfigMap.self) }
      #expect(error?.kind == .serverError)
      #expect(error?.code == 500)
      #expect(error?.reason == "InternalError")
      #expect(error?.message == "Internal error occurred: injected fault")
      #expect(error?.isRetryable == true)
      let watchError = await #expect(throws: KubeError.self) { try await client.watch(ConfigMap.self) }
      #expect(watchError?.kind == .serverError)
      faults.errorRate = 0
      #expect(try await client.list(ConfigMap.self).items.isEmpty)
    }
  }

  @Test("an injected 429 is tooManyRequests with the Retry-After the server asked for")
  func throttled() async throws {
    let faults = FaultInjection(seed: 2)
    try await withFakeKubeServer(faults: faults) { fake in
      let client = try fake.client()
      faults.throttleRate = 1
      faults.retryAfterSeconds = 3
      let error = await #expect(throws: KubeError.self) {
        try await client.create(ConfigMap(metadata: ObjectMeta(name: "x")))
      }
      #expect(error?.kind == .tooManyRequests)
      #expect(error?.isTooManyRequests == true)
      #expect(error?.retryAfter == .seconds(3))
      #expect(error?.description.hasSuffix("retry after 3 s.") == true, "\(String(describing: error))")
      faults.reset()
      _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "x")))
    }
  }

  @Test("latency slows requests and watches down without breaking them")
  func latency() async throws {
    let faults = FaultInjection(seed: 3)
    try await withFakeKubeServer(tls: true, token: "t", faults: faults) { fake in
      let client = try fake.client()
      faults.latency = .milliseconds(20) ... .milliseconds(120)
      for index in 0..<5 { _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "m\(index)"))) }
      let list = try await client.listAll(ConfigMap.self, options: ListOptions(limit: 2))
      #expect(list.items.map(\.name) == ["m0", "m1", "m2", "m3", "m4"])
      var events = try await client.watch(
        ConfigMap.self, options: WatchOptions(resourceVersion: list.metadata.resourceVersion, timeoutSeconds: 10)
      ).makeAsyncIterator()
      _ = try await client.delete(ConfigMap.self, name: "m0")
      #expect(summary(try await nextChange(&events)) == "DELETED m0")
      #expect(faults.injected.delayed >= 9)
    }
  }

  @Test("a connection dropped mid-watch ends the stream cleanly, and the client carries on")
  func droppedWatch() async throws {
    let faults = FaultInjection(seed: 4)
    try await withFakeKubeServer(tls: true, token: "t", faults: faults) { fake in
      let client = try fake.client()
      let list = try await client.list(ConfigMap.self)
      var events = try await client.watch(
        ConfigMap.self, options: WatchOptions(resourceVersion: list.metadata.resourceVersion, timeoutSeconds: 30)
      ).makeAsyncIterator()
      _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "before")))
      #expect(summary(try await nextChange(&events)) == "ADDED before")
      #expect(faults.cutWatches() == 1)
      do {
        #expect(try await nextChange(&events) == nil)
      } catch let error as KubeError {
        #expect(error.kind == .transport)
      }
      // Over: the iterator stays finished.
      #expect(try await events.next() == nil)
      _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "after")))
      #expect(try await client.list(ConfigMap.self).items.count == 2)
    }
  }
}
