/// Why no usable configuration could be loaded. Each case names the file, field or environment
/// variable at fault; `description` is one sentence saying what to fix.
public enum KubeConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// None of the kubeconfig files looked for exists.
  case noKubeconfig(searched: [String])
  /// A kubeconfig file exists but could not be read.
  case unreadableFile(path: String, reason: String)
  /// A kubeconfig file is not valid YAML or not shaped like a kubeconfig.
  case malformedKubeconfig(path: String, detail: String)
  /// No context was asked for and the kubeconfig sets no `current-context`.
  case noCurrentContext(files: [String])
  case contextNotFound(name: String, files: [String])
  case clusterNotFound(name: String, context: String, files: [String])
  case userNotFound(name: String, context: String, files: [String])
  /// A field the configuration needs is absent, such as `clusters["kind"].cluster.server`.
  case missingField(field: String, file: String)
  /// A field is present but unusable: bad base64, a bad URL, a file it names cannot be read.
  case invalidField(field: String, file: String, reason: String)
  /// A field asks for something this client does not do, such as exec credential plugins.
  case unsupportedField(field: String, file: String, reason: String)
  /// In-cluster configuration was asked for outside a pod.
  case notInCluster(missing: String)
  case invalidEnvironment(variable: String, value: String)
  case unreadableServiceAccountFile(path: String, reason: String)
  /// PEM that holds no certificate, or one that does not parse; `source` says which.
  case invalidCertificate(source: String, reason: String)
  case invalidPrivateKey(source: String, reason: String)

  public var description: String {
    switch self {
    case .noKubeconfig(let searched):
      "No kubeconfig file was found (looked for \(searched.joined(separator: ", "))); set KUBECONFIG or run inside a pod."
    case .unreadableFile(let path, let reason):
      "The kubeconfig \(path) cannot be read: \(reason)."
    case .malformedKubeconfig(let path, let detail):
      "The kubeconfig \(path) is malformed: \(detail)."
    case .noCurrentContext(let files):
      "The kubeconfig \(Self.list(files)) sets no current-context; name a context."
    case .contextNotFound(let name, let files):
      "The kubeconfig \(Self.list(files)) has no context named \"\(name)\"."
    case .clusterNotFound(let name, let context, let files):
      "The context \"\(context)\" names the cluster \"\(name)\", which the kubeconfig \(Self.list(files)) does not define."
    case .userNotFound(let name, let context, let files):
      "The context \"\(context)\" names the user \"\(name)\", which the kubeconfig \(Self.list(files)) does not define."
    case .missingField(let field, let file):
      "The kubeconfig \(file) lacks \(field)."
    case .invalidField(let field, let file, let reason):
      "The kubeconfig \(file) has an unusable \(field): \(reason)."
    case .unsupportedField(let field, let file, let reason):
      "The kubeconfig \(file) uses \(field), which this client does not support: \(reason)."
    case .notInCluster(let missing):
      "In-cluster configuration needs \(missing), which is not set; this does not run in a pod."
    case .invalidEnvironment(let variable, let value):
      "The environment variable \(variable) has the unusable value \"\(value)\"."
    case .unreadableServiceAccountFile(let path, let reason):
      "The service account file \(path) cannot be read: \(reason)."
    case .invalidCertificate(let source, let reason):
      "The certificate from \(source) is unusable: \(reason)."
    case .invalidPrivateKey(let source, let reason):
      "The private key from \(source) is unusable: \(reason)."
    }
  }

  private static func list(_ files: [String]) -> String {
    files.joined(separator: ":")
  }
}
