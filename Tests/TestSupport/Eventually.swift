/// Polls an asynchronous condition every `interval` until it holds; throws when `timeout` passes
/// first, naming what was awaited and the last error the condition threw, if any. A condition
/// that throws is polled again: an API that fails now and then must not end the wait.
///
/// Poll in-process state often (the 20 ms default); pass a longer `every` when each poll starts a
/// process such as kubectl.
public func eventually(
  _ what: String, timeout: Duration = .seconds(60), every interval: Duration = .milliseconds(20),
  _ condition: () async throws -> Bool
) async throws {
  let deadline = ContinuousClock.now + timeout
  var lastError: (any Error)?
  while ContinuousClock.now < deadline {
    do {
      if try await condition() { return }
      lastError = nil
    } catch {
      lastError = error
    }
    try await Task.sleep(for: interval)
  }
  throw SupportFailure("timed out after \(timeout) waiting for \(what)" + (lastError.map { ": \($0)" } ?? ""))
}
