import ArgumentParser
import AsyncHTTPClient
import Dispatch
import Foundation
import NIOCore
import Synchronization

/// `sovren-detection-lab load`: drives a running detector (on this machine only) with JSON Lines
/// documents from a file, from several connections at once, for a bounded time and count, and
/// prints throughput and latency.
struct LoadCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "load",
    abstract: "Load a local detector with documents and report requests/s, documents/s, MB/s and latency.")

  @Option(name: .long, help: "The detector's base URL, on loopback, such as http://127.0.0.1:8000.")
  var url: String

  @Option(name: .long, help: "A JSON Lines file: one document a line.")
  var documents: String

  @Option(name: .long, help: "Requests in flight at once (1–256).")
  var concurrency = 4

  @Option(name: .long, help: "Seconds to run (at most 600).")
  var duration: Double = 10

  @Option(name: .long, help: "Documents per request; above 1 they are sent as {\"documents\":[…]}.")
  var batch = 1

  @Option(name: .long, help: "Stop after this many requests even if time remains.")
  var maxRequests = 1_000_000

  /// Bodies prepared in advance stop here (bytes), whatever the file holds.
  static let maxPreparedBytes = 64 << 20

  func validate() throws {
    guard let components = URLComponents(string: url), components.scheme == "http",
      let host = components.host, ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host)
    else {
      throw ValidationError("--url must be http:// on loopback (127.0.0.1, localhost or [::1]), not \(url)")
    }
    guard (1...256).contains(concurrency) else {
      throw ValidationError("--concurrency must be from 1 to 256, not \(concurrency)")
    }
    guard duration > 0, duration <= 600 else {
      throw ValidationError("--duration must be a number of seconds above 0 and at most 600, not \(duration)")
    }
    guard (1...10_000).contains(batch) else { throw ValidationError("--batch must be from 1 to 10000, not \(batch)") }
    guard (1...100_000_000).contains(maxRequests) else {
      throw ValidationError("--max-requests must be from 1 to 100000000, not \(maxRequests)")
    }
  }

  func run() throws {
    let bodies = try Self.bodies(file: documents, batch: batch)
    let plan = LoadPlan(
      endpoint: url.hasSuffix("/") ? url + "api/v2/detect" : url + "/api/v2/detect", bodies: bodies,
      concurrency: concurrency, duration: .milliseconds(Int64((duration * 1000).rounded())),
      maxRequests: maxRequests, documentsPerRequest: batch)
    // The lab's root command is synchronous: wait here for the asynchronous run.
    let outcome = Mutex<Result<LoadReport, any Error>?>(nil)
    let finished = DispatchSemaphore(value: 0)
    Task {
      do {
        let report = try await plan.run()
        outcome.withLock { $0 = .success(report) }
      } catch {
        outcome.withLock { $0 = .failure(error) }
      }
      finished.signal()
    }
    finished.wait()
    guard let result = outcome.withLock({ $0 }) else { throw ValidationError("the load run ended without a report") }
    print(try result.get().text)
  }

  /// Request bodies made from the file's documents, `batch` per body, rotating through them.
  static func bodies(file: String, batch: Int) throws -> [ByteBuffer] {
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
      let size = attributes[.size] as? Int
    else { throw ValidationError("--documents: cannot read \(file)") }
    guard size <= 1 << 30 else { throw ValidationError("--documents: \(file) is larger than 1 GiB") }
    let data = try Data(contentsOf: URL(fileURLWithPath: file))
    let lines = data.split(separator: 0x0A).filter { line in line.contains { $0 > 0x20 } }
    guard !lines.isEmpty else { throw ValidationError("--documents: \(file) holds no documents") }
    var bodies: [ByteBuffer] = []
    var prepared = 0
    var next = 0
    while bodies.count < 1024, prepared < maxPreparedBytes, bodies.count * batch < max(lines.count, batch) {
      var body = ByteBuffer()
      if batch > 1 { body.writeString("{\"documents\":[") }
      for index in 0..<batch {
        if index > 0 { body.writeString(",") }
        body.writeBytes(lines[next % lines.count])
        next += 1
      }
      if batch > 1 { body.writeString("]}") }
      prepared += body.readableBytes
      bodies.append(body)
    }
    return bodies
  }
}

/// One load run: `concurrency` tasks each sending requests one after another until the time or
/// the request count runs out.
struct LoadPlan: Sendable {
  let endpoint: String
  let bodies: [ByteBuffer]
  let concurrency: Int
  let duration: Duration
  let maxRequests: Int
  let documentsPerRequest: Int

  func run() async throws -> LoadReport {
    var configuration = HTTPClient.Configuration()
    configuration.connectionPool = .init(
      idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    let budget = RequestBudget(limit: maxRequests)
    let start = ContinuousClock.now
    let deadline = start + duration
    let outcome: Result<[WorkerTally], any Error>
    do {
      let tallies = try await withThrowingTaskGroup(of: WorkerTally.self) { group in
        for worker in 0..<concurrency {
          group.addTask {
            var tally = WorkerTally()
            var bodyIndex = worker % bodies.count
            while ContinuousClock.now < deadline, budget.take() {
              let body = bodies[bodyIndex]
              bodyIndex = (bodyIndex + 1) % bodies.count
              var request = HTTPClientRequest(url: endpoint)
              request.method = .POST
              request.headers.add(name: "Content-Type", value: "application/json")
              request.body = .bytes(body)
              let sent = ContinuousClock.now
              let response = try await client.execute(request, timeout: .seconds(30))
              _ = try await response.body.collect(upTo: 256 << 20)
              tally.latencies.append(ContinuousClock.now - sent)
              if response.status == .ok {
                tally.bytes += body.readableBytes
              } else {
                tally.errors += 1
              }
            }
            return tally
          }
        }
        var tallies: [WorkerTally] = []
        for try await tally in group { tallies.append(tally) }
        return tallies
      }
      outcome = .success(tallies)
    } catch {
      outcome = .failure(error)
    }
    try await client.shutdown()
    let elapsed = ContinuousClock.now - start
    return LoadReport(tallies: try outcome.get(), elapsed: elapsed, documentsPerRequest: documentsPerRequest)
  }
}

/// Requests left to send, shared by the workers.
final class RequestBudget: Sendable {
  private let issued = Atomic<Int>(0)
  let limit: Int

  init(limit: Int) { self.limit = limit }

  /// Whether one more request may go.
  func take() -> Bool { issued.add(1, ordering: .relaxed).newValue <= limit }
}

struct WorkerTally: Sendable {
  var latencies: [Duration] = []
  var bytes = 0
  var errors = 0
}

/// What a run measured: throughput over the whole run, latency per request.
struct LoadReport: Sendable {
  let requests: Int
  let errors: Int
  let seconds: Double
  let documents: Int
  let bytes: Int
  let p50: Duration
  let p99: Duration

  init(tallies: [WorkerTally], elapsed: Duration, documentsPerRequest: Int) {
    let latencies = tallies.flatMap(\.latencies).sorted()
    requests = latencies.count
    errors = tallies.map(\.errors).reduce(0, +)
    seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    documents = (requests - errors) * documentsPerRequest
    bytes = tallies.map(\.bytes).reduce(0, +)
    func percentile(_ fraction: Double) -> Duration {
      guard !latencies.isEmpty else { return .zero }
      return latencies[min(latencies.count - 1, Int(Double(latencies.count) * fraction))]
    }
    p50 = percentile(0.50)
    p99 = percentile(0.99)
  }

  var text: String {
    func rate(_ count: Double) -> String { String(format: "%.1f", count / max(seconds, 1e-9)) }
    func milliseconds(_ duration: Duration) -> String {
      let (whole, atto) = duration.components
      return String(format: "%.3f", Double(whole) * 1000 + Double(atto) / 1e15)
    }
    return """
      requests: \(requests) (\(errors) not 200) in \(String(format: "%.2f", seconds)) s
      requests/s: \(rate(Double(requests)))
      documents/s: \(rate(Double(documents)))
      MB/s: \(rate(Double(bytes) / 1_000_000)) (request bodies answered 200)
      latency per request: p50 \(milliseconds(p50)) ms, p99 \(milliseconds(p99)) ms
      """
  }
}
