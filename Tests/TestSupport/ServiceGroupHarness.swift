import Logging
import ServiceLifecycle

/// Runs `service` in a `ServiceGroup`, waits for the port it reports on `ports`, runs `body` with
/// it, then shuts the group down gracefully (as SIGTERM would) and waits for it to end.
public func withServiceGroup(
  _ service: some ServiceLifecycle.Service, ports: AsyncStream<Int>, portContinuation: AsyncStream<Int>.Continuation,
  _ body: (Int) async throws -> Void
) async throws {
  var configuration = ServiceGroupConfiguration(services: [service], logger: Logger(label: "sovren-test"))
  configuration.maximumGracefulShutdownDuration = .seconds(10)
  let services = ServiceGroup(configuration: configuration)
  try await withThrowingTaskGroup(of: Void.self) { group in
    group.addTask {
      defer { portContinuation.finish() }
      try await services.run()
    }
    guard let port = try await first(of: ports, timeout: .seconds(20)) else {
      group.cancelAll()
      throw SupportFailure("the server did not start listening")
    }
    do {
      try await body(port)
    } catch {
      await services.triggerGracefulShutdown()
      group.cancelAll()
      throw error
    }
    await services.triggerGracefulShutdown()
    try await group.waitForAll()
  }
}

/// The first element of `stream`, or nil when it ends or `timeout` passes first.
public func first<Element: Sendable>(of stream: AsyncStream<Element>, timeout: Duration) async throws -> Element? {
  try await withThrowingTaskGroup(of: Element?.self) { group in
    group.addTask {
      var iterator = stream.makeAsyncIterator()
      return await iterator.next()
    }
    group.addTask {
      try await Task.sleep(for: timeout)
      return nil
    }
    let value = try await group.next() ?? nil
    group.cancelAll()
    return value
  }
}
