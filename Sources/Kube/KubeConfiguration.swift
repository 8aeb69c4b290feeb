import Foundation

/// Everything the client needs to reach one API server: where it is, how to trust it, who to be,
/// and which namespace requests default to.
///
/// Most programs call `detect()`: inside a pod it reads the service account the kubelet mounts
/// (`inCluster()`), elsewhere the kubeconfig kubectl would use (`kubeconfig()`). Every loader
/// fails with a `KubeConfigurationError` that names the file and the field at fault.
///
/// A configuration holds certificates and keys as bytes (files are read when it is loaded) and
/// credentials as given; its `description` never shows a token, password or key.
public struct KubeConfiguration: Sendable, CustomStringConvertible {
  /// The API server's base URL, such as `https://10.96.0.1:443`; it may end in a path prefix
  /// (`https://proxy/k8s/clusters/c-1`), which every request path is appended to.
  public var server: String
  /// The namespace requests use when they name none.
  public var namespace: String
  public var tls: TLS
  public var credentials: Credentials
  /// Sent as `User-Agent` on every request.
  public var userAgent: String
  /// How long a request (other than a watch's stream) may take from start to last byte.
  public var requestTimeout: Duration
  /// The largest response body read into memory; larger ones fail with `responseTooLarge`.
  /// Page large lists (`ListOptions.limit`) rather than raising it.
  public var maximumResponseSize: Int
  /// How many HTTP/1.1 connections the client opens to the server at most. Each running watch
  /// holds one for its lifetime (over HTTP/2, with TLS, they share connections).
  public var maximumConnections: Int
  /// Where the configuration came from, such as `kubeconfig /home/me/.kube/config, context kind-kind`
  /// or `in-cluster service account`; for logs and errors.
  public var source: String

  public static let defaultUserAgent = "sovren/0.1 (swift; kube)"

  public init(
    server: String, namespace: String = "default", tls: TLS = TLS(), credentials: Credentials = .none,
    userAgent: String = KubeConfiguration.defaultUserAgent, requestTimeout: Duration = .seconds(30),
    maximumResponseSize: Int = 64 * 1024 * 1024, maximumConnections: Int = 32, source: String = "explicit"
  ) {
    self.server = server
    self.namespace = namespace
    self.tls = tls
    self.credentials = credentials
    self.userAgent = userAgent
    self.requestTimeout = requestTimeout
    self.maximumResponseSize = maximumResponseSize
    self.maximumConnections = maximumConnections
    self.source = source
  }

  /// How the client trusts the server and proves itself with a certificate. All PEM.
  public struct TLS: Sendable, Hashable, CustomStringConvertible {
    /// The certificate authorities that sign the server's certificate; nil trusts the system's roots.
    public var certificateAuthorityPEM: [UInt8]?
    /// The client certificate (chain) for mutual TLS; needs `clientKeyPEM`.
    public var clientCertificatePEM: [UInt8]?
    public var clientKeyPEM: [UInt8]?
    /// Accept any server certificate. For throwaway clusters only: anyone on the path can
    /// impersonate the server and read the credentials.
    public var insecureSkipVerify: Bool

    public init(
      certificateAuthorityPEM: [UInt8]? = nil, clientCertificatePEM: [UInt8]? = nil, clientKeyPEM: [UInt8]? = nil,
      insecureSkipVerify: Bool = false
    ) {
      self.certificateAuthorityPEM = certificateAuthorityPEM
      self.clientCertificatePEM = clientCertificatePEM
      self.clientKeyPEM = clientKeyPEM
      self.insecureSkipVerify = insecureSkipVerify
    }

    public var description: String {
      var parts: [String] = []
      if insecureSkipVerify { parts.append("insecure (no server verification)") }
      parts.append(certificateAuthorityPEM == nil ? "system roots" : "custom CA")
      if clientCertificatePEM != nil { parts.append("client certificate") }
      return parts.joined(separator: ", ")
    }
  }

  /// Who the client is to the API server. Descriptions and mirrors never show the secret.
  public enum Credentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
  {
    /// None beyond a client certificate, if any.
    case none
    /// `Authorization: Bearer <token>`.
    case bearerToken(String)
    /// A bearer token read from a file and read again when the file changes (or a minute has
    /// passed), as projected service account tokens rotate.
    case bearerTokenFile(path: String)
    /// HTTP basic authentication.
    case basic(username: String, password: String)

    public var description: String {
      switch self {
      case .none: "none"
      case .bearerToken: "bearer token (redacted)"
      case .bearerTokenFile(let path): "bearer token from \(path)"
      case .basic(let username, _): "basic authentication as \(username)"
      }
    }

    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["credentials": description]) }
  }

  public var description: String {
    "\(server) (namespace \(namespace); TLS: \(tls); credentials: \(credentials); from \(source))"
  }
}

// MARK: - Detection

extension KubeConfiguration {
  /// Where the kubelet mounts a pod's service account.
  public static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

  /// The configuration a program should use where it runs: in a pod (when
  /// `KUBERNETES_SERVICE_HOST` is set) its service account, otherwise the kubeconfig from
  /// `KUBECONFIG` or `~/.kube/config`. Naming a `context` always uses the kubeconfig.
  public static func detect(
    environment: [String: String] = ProcessInfo.processInfo.environment, context: String? = nil,
    serviceAccountDirectory: String = KubeConfiguration.serviceAccountDirectory
  ) throws(KubeConfigurationError) -> KubeConfiguration {
    if context == nil, let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty {
      return try inCluster(environment: environment, serviceAccountDirectory: serviceAccountDirectory)
    }
    return try kubeconfig(environment: environment, context: context)
  }

  /// The configuration of a pod's service account: the API server from `KUBERNETES_SERVICE_HOST`
  /// and `KUBERNETES_SERVICE_PORT`, and from the mounted directory the token (`token`, read again
  /// as it rotates), the cluster CA (`ca.crt`) and the pod's namespace (`namespace`).
  ///
  /// - Parameter serviceAccountDirectory: replaceable for tests.
  public static func inCluster(
    environment: [String: String] = ProcessInfo.processInfo.environment,
    serviceAccountDirectory: String = KubeConfiguration.serviceAccountDirectory
  ) throws(KubeConfigurationError) -> KubeConfiguration {
    guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty else {
      throw .notInCluster(missing: "KUBERNETES_SERVICE_HOST")
    }
    guard let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty else {
      throw .notInCluster(missing: "KUBERNETES_SERVICE_PORT")
    }
    guard let portNumber = Int(port), (1...65535).contains(portNumber) else {
      throw .invalidEnvironment(variable: "KUBERNETES_SERVICE_PORT", value: port)
    }
    let directory = URL(fileURLWithPath: serviceAccountDirectory)
    let tokenPath = directory.appendingPathComponent("token").path
    // Read once now so that a missing mount fails at start-up, not at the first request.
    do {
      _ = try TokenFile.read(tokenPath)
    } catch {
      throw .unreadableServiceAccountFile(path: tokenPath, reason: error.reason)
    }
    let caPath = directory.appendingPathComponent("ca.crt").path
    let certificateAuthority: [UInt8]
    do {
      certificateAuthority = try FileAccess.readBytes(caPath)
    } catch {
      throw .unreadableServiceAccountFile(path: caPath, reason: error.reason)
    }
    let namespacePath = directory.appendingPathComponent("namespace").path
    let namespace =
      (try? FileAccess.readBytes(namespacePath)).map { String(decoding: $0, as: UTF8.self) }?
      .trimmingCharacters(in: .whitespacesAndNewlines)
    // An IPv6 address goes in brackets in a URL.
    let hostInURL = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    return KubeConfiguration(
      server: "https://\(hostInURL):\(portNumber)",
      namespace: namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default",
      tls: TLS(certificateAuthorityPEM: certificateAuthority), credentials: .bearerTokenFile(path: tokenPath),
      source: "in-cluster service account (\(serviceAccountDirectory))")
  }
}

/// Reading small files (certificates, tokens) whole, with errors that say why.
enum FileAccess {
  struct Failure: Error {
    var reason: String
  }

  static let maximumSize = 4 * 1024 * 1024

  static func readBytes(_ path: String) throws(Failure) -> [UInt8] {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      let exists = FileManager.default.fileExists(atPath: path)
      throw Failure(reason: exists ? "it cannot be opened for reading" : "no such file")
    }
    defer { try? handle.close() }
    do {
      let data = try handle.read(upToCount: maximumSize + 1) ?? Data()
      guard data.count <= maximumSize else { throw Failure(reason: "it is larger than \(maximumSize) bytes") }
      return Array(data)
    } catch let failure as Failure {
      throw failure
    } catch {
      throw Failure(reason: "reading it failed: \(error.localizedDescription)")
    }
  }
}
