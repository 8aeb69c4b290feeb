import Foundation
import Yams

/// Loading kubeconfig files as kubectl does.
///
/// Which files: the `KUBECONFIG` environment variable, a colon-separated list, or else
/// `~/.kube/config`. Files of the list that do not exist are skipped. The files are merged the
/// way kubectl merges them: the first file to set `current-context` wins, and the first file to
/// define a cluster, context or user of a given name wins; later files never override. A
/// relative path inside a file (`certificate-authority: ca.crt`) is relative to that file's
/// directory.
///
/// What is read from the chosen context: the cluster's `server`, `certificate-authority-data` or
/// `certificate-authority` (data wins when both are set), `insecure-skip-tls-verify`; the user's
/// `token` or `tokenFile`, `client-certificate(-data)` and `client-key(-data)`, `username` and
/// `password`; the context's `namespace` (`default` when unset). Exec plugins, auth providers,
/// `tls-server-name` and `proxy-url` are refused with an error rather than ignored, because
/// ignoring them would fail later and less clearly.
extension KubeConfiguration {
  /// The merged kubeconfig from `KUBECONFIG` (or `~/.kube/config`), at `context` or at the
  /// files' `current-context`.
  public static func kubeconfig(
    environment: [String: String] = ProcessInfo.processInfo.environment, context: String? = nil
  ) throws(KubeConfigurationError) -> KubeConfiguration {
    if let list = environment["KUBECONFIG"], !list.isEmpty {
      let paths = list.split(separator: ":").map(String.init).filter { !$0.isEmpty }
      let existing = paths.filter { FileManager.default.fileExists(atPath: $0) }
      guard !existing.isEmpty else { throw .noKubeconfig(searched: paths) }
      return try kubeconfig(files: existing, context: context)
    }
    let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    let path = URL(fileURLWithPath: home).appendingPathComponent(".kube/config").path
    guard FileManager.default.fileExists(atPath: path) else { throw .noKubeconfig(searched: [path]) }
    return try kubeconfig(files: [path], context: context)
  }

  /// The merged kubeconfig of `files` (all of which must exist), at `context` or at the files'
  /// `current-context`.
  public static func kubeconfig(
    files: [String], context: String? = nil
  ) throws(KubeConfigurationError)
    -> KubeConfiguration
  {
    var merged = MergedKubeconfig()
    for path in files {
      let text: String
      do {
        text = String(decoding: try FileAccess.readBytes(path), as: UTF8.self)
      } catch {
        throw .unreadableFile(path: path, reason: error.reason)
      }
      merged.add(try KubeconfigDocument.parse(text, path: path), from: path)
    }
    return try merged.configuration(context: context, files: files)
  }

  /// A kubeconfig given as text; relative paths in it are relative to `directory`.
  public static func kubeconfig(
    yaml: String, context: String? = nil, directory: String = FileManager.default.currentDirectoryPath,
    name: String = "<kubeconfig text>"
  ) throws(KubeConfigurationError) -> KubeConfiguration {
    var merged = MergedKubeconfig()
    merged.add(try KubeconfigDocument.parse(yaml, path: name), from: name, directory: directory)
    return try merged.configuration(context: context, files: [name])
  }
}

// MARK: - The file format

/// A kubeconfig file as written (`kind: Config`), the fields this client reads.
struct KubeconfigDocument: Decodable {
  var currentContext: String?
  var clusters: [NamedCluster]?
  var contexts: [NamedContext]?
  var users: [NamedUser]?

  enum CodingKeys: String, CodingKey {
    case currentContext = "current-context"
    case clusters, contexts, users
  }

  struct NamedCluster: Decodable {
    var name: String
    var cluster: Cluster?
  }

  struct NamedContext: Decodable {
    var name: String
    var context: Context?
  }

  struct NamedUser: Decodable {
    var name: String
    var user: User?
  }

  struct Cluster: Decodable {
    var server: String?
    var certificateAuthority: String?
    var certificateAuthorityData: String?
    var insecureSkipTLSVerify: Bool?
    var tlsServerName: String?
    var proxyURL: String?

    enum CodingKeys: String, CodingKey {
      case server
      case certificateAuthority = "certificate-authority"
      case certificateAuthorityData = "certificate-authority-data"
      case insecureSkipTLSVerify = "insecure-skip-tls-verify"
      case tlsServerName = "tls-server-name"
      case proxyURL = "proxy-url"
    }
  }

  struct Context: Decodable {
    var cluster: String?
    var user: String?
    var namespace: String?
  }

  struct User: Decodable {
    var token: String?
    var tokenFile: String?
    var clientCertificate: String?
    var clientCertificateData: String?
    var clientKey: String?
    var clientKeyData: String?
    var username: String?
    var password: String?
    var exec: Present?
    var authProvider: Present?

    enum CodingKeys: String, CodingKey {
      case token, tokenFile, username, password, exec
      case clientCertificate = "client-certificate"
      case clientCertificateData = "client-certificate-data"
      case clientKey = "client-key"
      case clientKeyData = "client-key-data"
      case authProvider = "auth-provider"
    }
  }

  /// Any value: only its presence matters.
  struct Present: Decodable {
    init(from decoder: any Decoder) throws {}
  }

  static func parse(_ text: String, path: String) throws(KubeConfigurationError) -> KubeconfigDocument {
    // An empty file is an empty kubeconfig, as for kubectl.
    if text.allSatisfy(\.isWhitespace) { return KubeconfigDocument() }
    do {
      return try YAMLDecoder().decode(KubeconfigDocument.self, from: text)
    } catch let error as DecodingError {
      throw .malformedKubeconfig(path: path, detail: Self.explain(error))
    } catch {
      throw .malformedKubeconfig(path: path, detail: String(describing: error))
    }
  }

  /// `users[0].user.token: expected a string`, from a DecodingError's coding path.
  static func explain(_ error: DecodingError) -> String {
    func path(_ keys: [any CodingKey]) -> String {
      var text = ""
      for key in keys {
        if let index = key.intValue {
          text += "[\(index)]"
        } else {
          text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
        }
      }
      return text.isEmpty ? "the document" : text
    }
    switch error {
    case .typeMismatch(let type, let context):
      return "\(path(context.codingPath)) should be \(Self.typeName(type))"
    case .valueNotFound(let type, let context):
      return "\(path(context.codingPath)) should be \(Self.typeName(type)) but is null"
    case .keyNotFound(let key, let context):
      return "\(path(context.codingPath + [key])) is required"
    case .dataCorrupted(let context):
      return "\(path(context.codingPath)): \(context.debugDescription)"
    @unknown default:
      return String(describing: error)
    }
  }

  private static func typeName(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: "a string"
    case is Bool.Type: "true or false"
    case is Array<Any>.Type: "a list"
    default: "\(type)"
    }
  }
}

// MARK: - Merging and resolving

/// Stanzas from one or more files, first definition wins, each remembering the file it came from
/// (for relative paths and for errors).
struct MergedKubeconfig {
  struct Entry<Value> {
    var value: Value
    /// The file, for errors.
    var file: String
    /// Where its relative paths start.
    var directory: String
  }

  var currentContext: String?
  var clusters: [String: Entry<KubeconfigDocument.Cluster>] = [:]
  var contexts: [String: Entry<KubeconfigDocument.Context>] = [:]
  var users: [String: Entry<KubeconfigDocument.User>] = [:]

  mutating func add(_ document: KubeconfigDocument, from file: String, directory: String? = nil) {
    let directory = directory ?? URL(fileURLWithPath: file).deletingLastPathComponent().path
    if currentContext == nil, let current = document.currentContext, !current.isEmpty {
      currentContext = current
    }
    for named in document.clusters ?? [] where clusters[named.name] == nil {
      clusters[named.name] = Entry(value: named.cluster ?? .init(), file: file, directory: directory)
    }
    for named in document.contexts ?? [] where contexts[named.name] == nil {
      contexts[named.name] = Entry(value: named.context ?? .init(), file: file, directory: directory)
    }
    for named in document.users ?? [] where users[named.name] == nil {
      users[named.name] = Entry(value: named.user ?? .init(), file: file, directory: directory)
    }
  }

  func configuration(
    context requested: String?, files: [String]
  ) throws(KubeConfigurationError)
    -> KubeConfiguration
  {
    guard let contextName = requested ?? currentContext else { throw .noCurrentContext(files: files) }
    guard let contextEntry = contexts[contextName] else { throw .contextNotFound(name: contextName, files: files) }
    let context = contextEntry.value
    let contextField = "contexts[\"\(contextName)\"].context"
    guard let clusterName = context.cluster, !clusterName.isEmpty else {
      throw .missingField(field: "\(contextField).cluster", file: contextEntry.file)
    }
    guard let clusterEntry = clusters[clusterName] else {
      throw .clusterNotFound(name: clusterName, context: contextName, files: files)
    }
    let cluster = clusterEntry.value
    let clusterField = "clusters[\"\(clusterName)\"].cluster"
    let clusterFile = clusterEntry.file

    guard let server = cluster.server, !server.isEmpty else {
      throw .missingField(field: "\(clusterField).server", file: clusterFile)
    }
    guard let url = URL(string: server), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
      url.host != nil
    else {
      throw .invalidField(
        field: "\(clusterField).server", file: clusterFile,
        reason: "\"\(server)\" is not an http or https URL with a host")
    }
    if let name = cluster.tlsServerName, !name.isEmpty {
      throw .unsupportedField(
        field: "\(clusterField).tls-server-name", file: clusterFile,
        reason: "the server's certificate is verified against the host in the server URL")
    }
    if let proxy = cluster.proxyURL, !proxy.isEmpty {
      throw .unsupportedField(
        field: "\(clusterField).proxy-url", file: clusterFile, reason: "requests go to the server directly")
    }

    var tls = KubeConfiguration.TLS(insecureSkipVerify: cluster.insecureSkipTLSVerify ?? false)
    tls.certificateAuthorityPEM = try Self.bytes(
      data: cluster.certificateAuthorityData, file: cluster.certificateAuthority,
      field: "\(clusterField).certificate-authority", entry: clusterEntry)

    var credentials = KubeConfiguration.Credentials.none
    if let userName = context.user, !userName.isEmpty {
      guard let userEntry = users[userName] else {
        throw .userNotFound(name: userName, context: contextName, files: files)
      }
      let user = userEntry.value
      let userField = "users[\"\(userName)\"].user"
      if user.exec != nil {
        throw .unsupportedField(
          field: "\(userField).exec", file: userEntry.file,
          reason: "exec credential plugins are not run; use a token, a token file or a client certificate")
      }
      if user.authProvider != nil {
        throw .unsupportedField(
          field: "\(userField).auth-provider", file: userEntry.file,
          reason: "auth providers are not run; use a token, a token file or a client certificate")
      }
      tls.clientCertificatePEM = try Self.bytes(
        data: user.clientCertificateData, file: user.clientCertificate, field: "\(userField).client-certificate",
        entry: userEntry)
      tls.clientKeyPEM = try Self.bytes(
        data: user.clientKeyData, file: user.clientKey, field: "\(userField).client-key", entry: userEntry)
      if tls.clientCertificatePEM != nil, tls.clientKeyPEM == nil {
        throw .missingField(field: "\(userField).client-key", file: userEntry.file)
      }
      if tls.clientKeyPEM != nil, tls.clientCertificatePEM == nil {
        throw .missingField(field: "\(userField).client-certificate", file: userEntry.file)
      }
      if let token = user.token, !token.isEmpty {
        credentials = .bearerToken(token)
      } else if let tokenFile = user.tokenFile, !tokenFile.isEmpty {
        let path = Self.resolve(tokenFile, in: userEntry.directory)
        do {
          _ = try TokenFile.read(path)
        } catch {
          throw .invalidField(field: "\(userField).tokenFile", file: userEntry.file, reason: "\(path): \(error.reason)")
        }
        credentials = .bearerTokenFile(path: path)
      } else if let username = user.username, !username.isEmpty {
        credentials = .basic(username: username, password: user.password ?? "")
      }
    }

    let namespace = context.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
    let sources = files.count == 1 ? files[0] : files.joined(separator: ":")
    return KubeConfiguration(
      server: server, namespace: namespace, tls: tls, credentials: credentials,
      source: "kubeconfig \(sources), context \(contextName)")
  }

  /// The bytes of a `…-data` field (base64), or else of the file its sibling names.
  private static func bytes<Value>(
    data: String?, file: String?, field: String, entry: Entry<Value>
  )
    throws(KubeConfigurationError) -> [UInt8]?
  {
    if let data, !data.isEmpty {
      let compact = data.filter { !$0.isWhitespace }
      guard let decoded = Data(base64Encoded: compact) else {
        throw .invalidField(field: "\(field)-data", file: entry.file, reason: "it is not base64")
      }
      return Array(decoded)
    }
    guard let file, !file.isEmpty else { return nil }
    let path = resolve(file, in: entry.directory)
    do {
      return try FileAccess.readBytes(path)
    } catch {
      throw .invalidField(field: field, file: entry.file, reason: "\(path): \(error.reason)")
    }
  }

  static func resolve(_ path: String, in directory: String) -> String {
    if path.hasPrefix("/") { return path }
    if path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] {
      return URL(fileURLWithPath: home).appendingPathComponent(String(path.dropFirst(2))).path
    }
    return URL(fileURLWithPath: directory).appendingPathComponent(path).path
  }
}
