import ArgumentParser
import FakeKube
import Foundation
import Logging
import ServiceLifecycle

/// `sovren fake-apiserver`: an in-memory Kubernetes API server to try Sovren, or kubectl, without a cluster.
struct FakeAPIServerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fake-apiserver",
    abstract: "Run an in-memory Kubernetes API server that kubectl works against.",
    discussion: """
      Prints the server's URL and a kubeconfig for it (or writes the kubeconfig to --kubeconfig), \
      plain HTTP without authentication. Objects live in memory and are gone when it stops. \
      Stops gracefully on SIGINT or SIGTERM.
      """)

  @Option(name: .long, help: "The port to listen on; 0 picks a free one. (env: SOVREN_FAKE_APISERVER_PORT)")
  var port: Int = Int(ProcessInfo.processInfo.environment["SOVREN_FAKE_APISERVER_PORT"] ?? "") ?? 6443

  @Option(name: .long, help: "The address to listen on. (env: SOVREN_FAKE_APISERVER_HOST)")
  var host: String = ProcessInfo.processInfo.environment["SOVREN_FAKE_APISERVER_HOST"] ?? "127.0.0.1"

  @Option(name: .long, help: "Write the kubeconfig to this file instead of printing it.")
  var kubeconfig: String?

  @Flag(
    name: .long,
    help: """
      Do not propagate deletions through ownerReferences: dependents stay when their owner goes. \
      (env: SOVREN_FAKE_APISERVER_NO_GARBAGE_COLLECTION=1)
      """)
  var noGarbageCollection = false

  /// The flag, or else its environment fallback.
  var garbageCollection: Bool {
    let fromEnvironment = ProcessInfo.processInfo.environment["SOVREN_FAKE_APISERVER_NO_GARBAGE_COLLECTION"]
    return !noGarbageCollection && !["1", "true"].contains(fromEnvironment?.lowercased() ?? "")
  }

  func validate() throws {
    guard (0...65535).contains(port) else {
      throw ValidationError("--port must be between 0 and 65535, not \(port)")
    }
  }

  func run() async throws {
    let host = self.host
    let kubeconfigPath = kubeconfig
    let urlHost = host.contains(":") ? "[\(host)]" : host
    let store = ObjectStore(garbageCollection: garbageCollection)
    let server = FakeAPIServer(host: host, port: port, store: store) { boundPort in
      let url = "http://\(urlHost):\(boundPort)"
      let config = Kubeconfig.yaml(server: url)
      var message = "FakeKube listening on \(url)\n"
      if let kubeconfigPath {
        do {
          try config.write(toFile: kubeconfigPath, atomically: true, encoding: .utf8)
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
}
