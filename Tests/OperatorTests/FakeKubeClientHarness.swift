import FakeKube
import Foundation
import Kube
import Logging
import TestSupport

/// Runs `body` with a `KubeClient` for a FakeKube server started in-process on a free loopback
/// port, then shuts both down.
func withFakeKubeClient(_ body: (KubeClient) async throws -> Void) async throws {
  let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
  let server = FakeAPIServer(
    host: "127.0.0.1", port: 0, logger: Logger(label: "operator-test"),
    onListening: { port in portContinuation.yield(port) })
  try await withServiceGroup(server, ports: ports, portContinuation: portContinuation) { port in
    let client = try KubeClient(
      configuration: try KubeConfiguration.kubeconfig(yaml: server.kubeconfig(port: port)),
      logger: Logger(label: "operator-test"))
    do {
      try await body(client)
    } catch {
      try? await client.shutdown()
      throw error
    }
    try await client.shutdown()
  }
}
