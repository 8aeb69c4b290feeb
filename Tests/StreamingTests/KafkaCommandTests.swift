import Foundation
import Streaming
import TestSupport
import Testing
import TrafficSynth

/// `sovren kafka-mock`, `sovren capture --kafka` and `sovren consume` as a user runs them.
@Suite("Kafka commands", .serialized, .timeLimit(.minutes(2))) struct KafkaCommandTests {
  /// The pairs of a capture go through Kafka and come out as the lines `sovren capture` prints.
  @Test func pairsGoThroughKafkaUnchanged() async throws {
    let workspace = try Scratch()
    defer { workspace.remove() }
    let sovren = try builtExecutable(named: "sovren")
    let mock = try ChildProcess.launch(
      sovren, ["kafka-mock", "--brokers", "2", "--partitions", "3"], stdout: workspace.path("mock.out"),
      stderr: workspace.path("mock.err"))
    defer { mock.stop() }
    try await waitUntil(timeout: .seconds(30), "the mock cluster's address") { mock.stdout.contains("\n") }
    let bootstrap = try #require(mock.stdout.split(separator: "\n").first?.split(separator: " ").last.map(String.init))

    let scenario = Scenarios.sample
    let pcap = workspace.path("sample.pcap")
    try scenario.write(to: pcap)
    let printed = try await run(sovren, ["capture", "--pcap", pcap], in: workspace, named: "direct")
    #expect(printed.status == 0)
    let expected = printed.stdout.split(separator: "\n").map(String.init)
    #expect(expected.count > 10)

    let produced = try await run(
      sovren, ["capture", "--pcap", pcap, "--kafka", bootstrap], in: workspace, named: "produce")
    #expect(produced.status == 0, "\(produced.stderr)")
    #expect(produced.stdout.isEmpty)
    #expect(
      produced.stderr.contains(
        "kafka: \(expected.count) pairs produced to sovren-pairs, \(expected.count) delivered, 0 purged, 0 failed"))

    let consumed = try await run(
      sovren, ["consume", "--kafka", bootstrap, "--max-messages", String(expected.count)], in: workspace,
      named: "consume")
    #expect(consumed.status == 0, "\(consumed.stderr)")
    #expect(consumed.stdout.split(separator: "\n").map(String.init).sorted() == expected.sorted())
  }

  /// No broker answers: the capture waits its deadline, says how many pairs were not delivered,
  /// and fails.
  @Test func unreachableBrokersAreReportedWithCounts() async throws {
    let workspace = try Scratch()
    defer { workspace.remove() }
    let sovren = try builtExecutable(named: "sovren")
    let scenario = Scenarios.sample
    let pcap = workspace.path("sample.pcap")
    try scenario.write(to: pcap)
    let outcome = try await run(
      sovren, ["capture", "--pcap", pcap, "--kafka", "kafka.invalid:9092", "--kafka-deadline", "1"], in: workspace,
      named: "unreachable")
    #expect(outcome.status == 1)
    #expect(outcome.stderr.contains("pairs produced to sovren-pairs, 0 delivered"))
  }

  /// A consumer killed mid-stream leaves what it had not committed to the group: the next member
  /// reads it again, so every pair arrives at least once.
  @Test func aKilledConsumersPairsAreReadAgainByTheGroup() async throws {
    let workspace = try Scratch()
    defer { workspace.remove() }
    let sovren = try builtExecutable(named: "sovren")
    let cluster = try KafkaMockCluster(brokers: 1)
    try cluster.createTopic("pairs", partitions: 1)
    let producer = try KafkaProducer(.init(bootstrapServers: cluster.bootstrapServers, topic: "pairs"))
    let count = 20_000
    for index in 0..<count { try producer.send(key: nil, value: Array("m\(index)".utf8)) }
    #expect(await producer.close(within: .seconds(30)) == 0)

    let consume = try ChildProcess.launch(
      sovren,
      ["consume", "--kafka", cluster.bootstrapServers, "--topic", "pairs", "--group", "g", "--session-timeout", "3"],
      stdout: workspace.path("consume.out"), stderr: workspace.path("consume.err"))
    try await waitUntil(timeout: .seconds(60), "the consumer to print some pairs") {
      consume.stdout.split(separator: "\n").count >= 100
    }
    consume.signal(SIGKILL)
    _ = try await consume.waitForExit(timeout: .seconds(10))
    let first = consume.stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix("m") }

    let second = try testConsumer(cluster.bootstrapServers, group: "g")
    let again = await readValues(from: second) { $0.last == "m\(count - 1)" }
    await second.close()
    // The second member starts at the last committed offset: at or before where the first stopped,
    // never after it, and goes on to the end; together they saw every pair.
    let start = try #require(again.first.flatMap { Int($0.dropFirst()) })
    #expect(start <= first.count)
    #expect(again == (start..<count).map { "m\($0)" })
    #expect(Set(first).union(again).count == count)
  }

  private func run(
    _ executable: String, _ arguments: [String], in workspace: Scratch, named name: String
  ) async throws -> (status: Int32, stdout: String, stderr: String) {
    let process = try ChildProcess.launch(
      executable, arguments, stdout: workspace.path("\(name).out"), stderr: workspace.path("\(name).err"))
    let status = try await process.waitForExit(timeout: .seconds(60))
    return (status, process.stdout, process.stderr)
  }
}

/// A private temporary directory.
private struct Scratch {
  let directory: String

  init() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("sovren-kafka-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  }

  func path(_ name: String) -> String { directory + "/" + name }

  func remove() { try? FileManager.default.removeItem(atPath: directory) }
}
