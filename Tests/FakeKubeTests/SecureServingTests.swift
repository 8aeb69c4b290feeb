import FakeKube
import Foundation
import KubeModel
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// HTTPS and bearer-token authentication, checked with the real kubectl and curl.
@Suite("FakeKube over HTTPS with a bearer token", .serialized)
struct SecureServingTests {
  static let token = "s3cret-token.for_tests"

  @Test func kubectlAppliesAndReadsBackAConfigMapOverHTTPSWithItsToken() async throws {
    try await withFakeKube(tls: true, token: Self.token) { kubectl, _ in
      #expect(kubectl.server.hasPrefix("https://127.0.0.1:"))
      #expect(kubectl.kubeconfig.contains("certificate-authority-data: "))
      #expect(kubectl.kubeconfig.contains("token: \"\(Self.token)\""))
      let manifest = try kubectl.file(
        "cm.yaml",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: secure
        data:
          color: green
        """)
      let applied = try await kubectl.succeed("apply", "-f", manifest)
      #expect(applied.contains("configmap/secure created"))
      let yaml = try await kubectl.succeed("get", "configmap", "secure", "-o", "yaml")
      #expect(yaml.contains("color: green"))
      #expect(yaml.contains("name: secure"))
      let version = try await kubectl.succeed("get", "--raw", "/version")
      #expect(try JSONValue(parsing: Array(version.utf8))["gitVersion"]?.stringValue?.hasPrefix("v1.") == true)
    }
  }

  @Test func aWrongTokenIsUnauthorizedButHealthProbesNeedNone() async throws {
    try await withFakeKube(tls: true, token: Self.token) { kubectl, _ in
      let intruder = try kubectl.using(
        kubeconfig: Kubeconfig.yaml(
          server: kubectl.server, certificateAuthorityPEM: kubectl.certificateAuthorityPEM, token: "wrong"))
      let raw = try await intruder.run("get", "--raw", "/api/v1/namespaces/default/configmaps")
      #expect(raw.status != 0)
      #expect(raw.stderr.contains("error: You must be logged in to the server (Unauthorized)"), "stderr: \(raw.stderr)")
      // Through discovery, kubectl words the same 401 in its own way, as against a real cluster.
      let listed = try await intruder.run("get", "configmaps")
      #expect(listed.status != 0)
      #expect(listed.stderr.contains("You must be logged in to the server"), "stderr: \(listed.stderr)")

      let anonymous = try await kubectl.curl("/api/v1/namespaces", authorized: false)
      #expect(anonymous.status == 401)
      #expect(anonymous.json?["kind"] == "Status")
      #expect(anonymous.json?["reason"] == "Unauthorized")
      #expect(anonymous.json?["code"] == 401)
      for probe in ["/healthz", "/livez", "/readyz"] {
        #expect(try await kubectl.curl(probe, authorized: false).status == 200)
      }
      #expect(try await kubectl.curl("/api/v1/namespaces").status == 200)
    }
  }

  @Test func aTokenOfTheRightLengthButWrongIsRefused() async throws {
    try await withFakeKube(tls: true, token: Self.token) { kubectl, _ in
      var almost = Array(Self.token)
      almost[almost.count - 1] = "X"
      let intruder = try kubectl.using(
        kubeconfig: Kubeconfig.yaml(
          server: kubectl.server, certificateAuthorityPEM: kubectl.certificateAuthorityPEM, token: String(almost)))
      let result = try await intruder.run("get", "--raw", "/version")
      #expect(result.status != 0)
      #expect(result.stderr.contains("(Unauthorized)"), "stderr: \(result.stderr)")
      #expect(try await kubectl.succeed("get", "--raw", "/version").contains("gitVersion"))
    }
  }

  @Test func overPlainHTTPTheTokenIsCheckedForClientsThatSendIt() async throws {
    try await withFakeKube(token: Self.token) { kubectl, _ in
      #expect(kubectl.kubeconfig.contains("token: "))
      let anonymous = try await kubectl.curl("/version", authorized: false)
      #expect(anonymous.status == 401)
      let authorized = try await kubectl.curl("/version")
      #expect(authorized.status == 200)
    }
  }

  @Test func aKubeconfigForHTTPSWithoutATokenCarriesAClientIdentitySoKubectlDoesNotPrompt() async throws {
    try await withFakeKube(tls: true) { kubectl, _ in
      #expect(kubectl.kubeconfig.contains("client-certificate-data: "))
      #expect(kubectl.kubeconfig.contains("client-key-data: "))
      #expect(!kubectl.kubeconfig.contains("token:"))
      let namespaces = try await kubectl.succeed("get", "namespaces", "-o", "name")
      #expect(namespaces.contains("namespace/default"))
    }
  }

  @Test func kubectlTrustingAnotherAuthorityRefusesTheCertificate() async throws {
    try await withFakeKube(tls: true) { kubectl, _ in
      let stranger = try FakeKubeCertificates.generate()
      let misled = try kubectl.using(
        kubeconfig: Kubeconfig.yaml(server: kubectl.server, certificates: stranger))
      let result = try await misled.run("get", "--raw", "/version")
      #expect(result.status != 0)
      #expect(result.stderr.contains("certificate"), "stderr: \(result.stderr)")
      #expect(try await kubectl.succeed("get", "--raw", "/version").contains("gitVersion"))
    }
  }

  @Test func generatedCertificatesNameTheLoopbackAndExtraHostsAndChainToTheirAuthority() async throws {
    let certificates = try FakeKubeCertificates.generate(extraHosts: ["fakekube.test", "10.1.2.3", "::1"])
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("certs-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let authority = directory.appendingPathComponent("ca.crt").path
    let server = directory.appendingPathComponent("server.crt").path
    try certificates.certificateAuthorityPEM.write(toFile: authority, atomically: true, encoding: .utf8)
    try certificates.serverCertificatePEM.write(toFile: server, atomically: true, encoding: .utf8)
    #expect(certificates.serverKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))

    let names = try await openssl(["x509", "-in", server, "-noout", "-ext", "subjectAltName"], in: directory)
    for name in [
      "IP Address:127.0.0.1", "IP Address:0:0:0:0:0:0:0:1", "DNS:localhost", "DNS:fakekube.test", "IP Address:10.1.2.3",
    ] {
      #expect(names.contains(name), "subjectAltName: \(names)")
    }
    // `::1` given twice is named once.
    #expect(names.components(separatedBy: "0:0:0:0:0:0:0:1").count == 2)
    let verified = try await openssl(
      ["verify", "-purpose", "sslserver", "-CAfile", authority, server], in: directory)
    #expect(verified.contains("OK"))
    let dates = try await openssl(["x509", "-in", server, "-noout", "-checkend", "\(300 * 24 * 3600)"], in: directory)
    #expect(dates.contains("will not expire"))

    #expect(throws: CertificateError.invalidHost("bad host")) {
      try FakeKubeCertificates.generate(extraHosts: ["bad host"])
    }
  }

  @Test func certificatesLoadFromFilesAndServe() async throws {
    let generated = try FakeKubeCertificates.generate()
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("certs-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let paths = ["server.crt", "server.key", "ca.crt"].map { directory.appendingPathComponent($0).path }
    try generated.serverCertificatePEM.write(toFile: paths[0], atomically: true, encoding: .utf8)
    try generated.serverKeyPEM.write(toFile: paths[1], atomically: true, encoding: .utf8)
    try generated.certificateAuthorityPEM.write(toFile: paths[2], atomically: true, encoding: .utf8)
    let loaded = try FakeKubeCertificates.load(
      certificateFile: paths[0], keyFile: paths[1], certificateAuthorityFile: paths[2])
    #expect(loaded.certificateAuthorityPEM == generated.certificateAuthorityPEM)
    _ = try loaded.serverTLSConfiguration()

    #expect(throws: CertificateError.self) {
      try FakeKubeCertificates.load(certificateFile: paths[1], keyFile: paths[1])
    }
    #expect(throws: CertificateError.self) {
      try FakeKubeCertificates.load(certificateFile: paths[0], keyFile: directory.appendingPathComponent("none").path)
    }
  }

  private func openssl(_ arguments: [String], in directory: URL) async throws -> String {
    let prefix = directory.appendingPathComponent("openssl-\(UUID().uuidString)").path
    let process = try ChildProcess.launch(
      "/usr/bin/openssl", arguments, stdout: prefix + ".out", stderr: prefix + ".err",
      environment: ["PATH": "/usr/bin:/bin"])
    defer { process.stop() }
    let status = try await process.waitForExit(timeout: .seconds(20))
    guard status == 0 else {
      throw SupportFailure("openssl \(arguments.joined(separator: " ")) exited \(status): \(process.stderr)")
    }
    return process.stdout
  }
}

/// `sovren fake-apiserver --tls --token` as a user runs it.
@Suite("sovren fake-apiserver with TLS and a token", .serialized)
struct SecureFakeAPIServerCommandTests {
  @Test func writesAPrivateKubeconfigWithTheAuthorityAndTokenThatKubectlUses() async throws {
    let scratch = try Kubectl(server: "http://127.0.0.1:1")
    defer { scratch.removeFiles() }
    let kubeconfig = scratch.directory.appendingPathComponent("written-kubeconfig").path
    let output = scratch.directory.appendingPathComponent("server").path
    let server = try ChildProcess.launch(
      try builtExecutable(named: "sovren"),
      ["fake-apiserver", "--tls", "--token", "cli-token", "--port", "0", "--kubeconfig", kubeconfig],
      stdout: output + ".out", stderr: output + ".err", environment: ["PATH": "/usr/bin:/bin"])
    defer { server.stop() }
    try await waitUntil(timeout: .seconds(20), "the kubeconfig to be written") {
      FileManager.default.fileExists(atPath: kubeconfig) || !server.isRunning
    }
    #expect(server.stdout.contains("FakeKube listening on https://127.0.0.1:"), "stdout: \(server.stdout)")
    #expect(!server.stdout.contains("cli-token"))
    let attributes = try FileManager.default.attributesOfItem(atPath: kubeconfig)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    let written = try String(contentsOfFile: kubeconfig, encoding: .utf8)
    #expect(written.contains("certificate-authority-data: "))
    #expect(written.contains("token: \"cli-token\""))

    var environment = scratch.environment
    environment["KUBECONFIG"] = kubeconfig
    let kubectl = Kubectl(executable: scratch.executable, directory: scratch.directory, environment: environment)
    let namespaces = try await kubectl.succeed("get", "namespaces", "-o", "name")
    #expect(namespaces.contains("namespace/default"))
    try await kubectl.succeed("create", "configmap", "from-cli", "--from-literal=a=b")
    #expect(try await kubectl.succeed("get", "configmap", "from-cli", "-o", "name") == "configmap/from-cli\n")

    kill(server.pid, SIGTERM)
    #expect(try await server.waitForExit(timeout: .seconds(10)) == 0)
  }

  @Test(arguments: [
    (["--fault-error-rate", "2"], "--fault-error-rate must be a fraction from 0 to 1"),
    (["--fault-latency-ms", "300-100"], "--fault-latency-ms must be milliseconds"),
    (["--tls-host", "example.test"], "--tls-host needs --tls"),
    (["--tls", "--tls-host", "not a host"], "is neither an IP address nor a DNS name"),
    (["--tls", "--token", "a b"], "--token must be printable ASCII"),
    (["--token", "abc"], "--token needs --tls: kubectl sends a token only over HTTPS"),
    (["--generate-token"], "--generate-token needs --tls"),
    (["--token", "x", "--generate-token"], "--token and --generate-token"),
    (["--fault-error-rate", "0.6", "--fault-throttle-rate", "0.6"], "add up to more than 1"),
    (["--tls-cert-file", "/nonexistent"], "--tls-cert-file needs --tls-key-file"),
    (["--fault-seed", "many"], "--fault-seed must be a whole number"),
    (["--nodes", "2"], "--nodes needs --simulate-workloads"),
    (["--simulate-workloads", "--nodes", "many"], "--nodes must be a whole number"),
    (["--simulate-workloads", "--nodes", "900"], "--simulate-workloads: the node count must be between 0 and 250"),
    (["--simulate-workloads", "--reconcile-delay", "soon"], "--reconcile-delay must be a number of seconds"),
  ])
  func badOptionsAreRefusedWithAMessageNamingThem(arguments: [String], message: String) async throws {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)").path
    defer {
      try? FileManager.default.removeItem(atPath: scratch + ".out")
      try? FileManager.default.removeItem(atPath: scratch + ".err")
    }
    let process = try ChildProcess.launch(
      try builtExecutable(named: "sovren"), ["fake-apiserver", "--port", "0"] + arguments, stdout: scratch + ".out",
      stderr: scratch + ".err", environment: ["PATH": "/usr/bin:/bin"])
    defer { process.stop() }
    let status = try await process.waitForExit(timeout: .seconds(20))
    #expect(status != 0)
    #expect(process.stderr.contains(message), "stderr: \(process.stderr)")
  }

  @Test func environmentFallbacksAreValidatedByName() async throws {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)").path
    defer {
      try? FileManager.default.removeItem(atPath: scratch + ".out")
      try? FileManager.default.removeItem(atPath: scratch + ".err")
    }
    let process = try ChildProcess.launch(
      try builtExecutable(named: "sovren"), ["fake-apiserver", "--port", "0"], stdout: scratch + ".out",
      stderr: scratch + ".err",
      environment: ["PATH": "/usr/bin:/bin", "SOVREN_FAKE_APISERVER_FAULT_THROTTLE_RATE": "lots"])
    defer { process.stop() }
    #expect(try await process.waitForExit(timeout: .seconds(20)) != 0)
    #expect(process.stderr.contains("SOVREN_FAKE_APISERVER_FAULT_THROTTLE_RATE must be a fraction"))
  }
}
