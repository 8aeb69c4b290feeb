import Foundation
import SovrenModel
import SovrenProto
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
      sovren, ["capture", "--pcap", pcap, "--kafka", bootstrap, "--metrics", workspace.path("metrics.prom")],
      in: workspace, named: "produce")
    #expect(produced.status == 0, "\(produced.stderr)")
    #expect(produced.stdout.isEmpty)
    #expect(
      produced.stderr.contains(
        "kafka: \(expected.count) pairs produced to sovren.pairs, \(expected.count) delivered, 0 purged, 0 failed"))
    let metrics = try String(contentsOfFile: workspace.path("metrics.prom"), encoding: .utf8)
    #expect(metrics.contains("sovren_stream_produced_total{topic=\"sovren.pairs\"} \(expected.count)\n"))
    #expect(metrics.contains("sovren_stream_delivered_total{topic=\"sovren.pairs\"} \(expected.count)\n"))
    #expect(metrics.contains("sovren_stream_buffered_bytes{topic=\"sovren.pairs\"} 0\n"))

    let consumed = try await run(
      sovren, ["consume", "--kafka", bootstrap, "--max-messages", String(expected.count)], in: workspace,
      named: "consume")
    #expect(consumed.status == 0, "\(consumed.stderr)")
    #expect(consumed.stdout.split(separator: "\n").map(String.init).sorted() == expected.sorted())
    #expect(consumed.stderr.contains("consume: \(expected.count) pairs written, 0 messages that are not pairs skipped"))
  }

  /// With `--port`, the mock cluster answers at a fixed address: `kcat` writes pairs (protobuf
  /// files, one message each) and a message that is no pair through it, and `sovren consume`
  /// prints the pairs as `sovren capture` would and counts the other. A taken port is refused
  /// with a clear error.
  @Test func kcatWritesWhatSovrenConsumesThroughAFixedPort() async throws {
    let workspace = try Scratch()
    defer { workspace.remove() }
    let sovren = try builtExecutable(named: "sovren")
    let probe = try TCPRelay(port: 0, targetHost: "127.0.0.1", targetPort: 1)
    let port = probe.port
    probe.stop()
    let mock = try ChildProcess.launch(
      sovren, ["kafka-mock", "--brokers", "2", "--port", String(port), "--topic", "pairs", "--partitions", "2"],
      stdout: workspace.path("mock.out"), stderr: workspace.path("mock.err"))
    defer { mock.stop() }
    try await waitUntil(timeout: .seconds(30), "the mock cluster's address") { mock.stdout.contains("\n") }
    #expect(mock.stdout == "bootstrap: 127.0.0.1:\(port)\n")
    let bootstrap = "127.0.0.1:\(port)"

    let pairs = (0..<5).map { samplePair(index: $0) }
    var files: [String] = []
    for (index, pair) in pairs.enumerated() {
      let path = workspace.path("pair\(index).bin")
      try Data(try Sovren_V1_HttpPair(pair).serializedBytes() as [UInt8]).write(to: URL(fileURLWithPath: path))
      files.append(path)
    }
    let junk = workspace.path("junk.bin")
    try Data([0xFF, 0xFF, 0xFF, 0x07]).write(to: URL(fileURLWithPath: junk))
    let kcat = try ChildProcess.launch(
      "/usr/bin/kcat", ["-P", "-b", bootstrap, "-t", "pairs", "-k", "10.1.0.9:8080"] + files + [junk],
      stdout: workspace.path("kcat.out"), stderr: workspace.path("kcat.err"))
    #expect(try await kcat.waitForExit(timeout: .seconds(60)) == 0, "\(kcat.stderr)")

    let consumed = try await run(
      sovren, ["consume", "--kafka", bootstrap, "--topic", "pairs", "--max-messages", "6"], in: workspace,
      named: "consume")
    #expect(consumed.status == 0, "\(consumed.stderr)")
    let expected = pairs.map { pair in
      var line: [UInt8] = []
      pair.appendCanonicalJSON(to: &line)
      return String(decoding: line, as: UTF8.self)
    }
    #expect(consumed.stdout.split(separator: "\n").map(String.init) == expected)
    #expect(consumed.stderr.contains("offset 5 is not a pair"))
    #expect(consumed.stderr.contains("consume: 5 pairs written, 1 messages that are not pairs skipped"))

    let second = try await run(sovren, ["kafka-mock", "--port", String(port)], in: workspace, named: "taken")
    #expect(second.status != 0)
    #expect(second.stderr.contains("cannot listen on 127.0.0.1:\(port)"))
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
    #expect(outcome.stderr.contains("pairs produced to sovren.pairs, 0 delivered"))
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
    for index in 0..<count {
      try producer.send(key: nil, value: try Sovren_V1_HttpPair(samplePair(index: index)).serializedBytes())
    }
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
    // Each line names its pair's index in the target, /m<index>; the last line may be cut short.
    let first = consume.stdout.split(separator: "\n").compactMap { line -> String? in
      guard let start = line.range(of: "\"target\":\"/m"), let end = line[start.upperBound...].firstIndex(of: "\"")
      else { return nil }
      return "m" + line[start.upperBound..<end]
    }

    let second = try testConsumer(cluster.bootstrapServers, group: "g")
    var again: [String] = []
    for await message in second.messages {
      let pair = try HTTPPair(Sovren_V1_HttpPair(serializedBytes: message.value))
      again.append(String(pair.request.target.dropFirst()))
      second.done(message)
      if again.last == "m\(count - 1)" { break }
    }
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

/// A pair whose request target is `/m<index>`.
func samplePair(index: Int) -> HTTPPair {
  HTTPPair(
    requestTime: PacketTime(nanoseconds: 1_700_000_000_000_000_000 + Int64(index) * 1000),
    responseTime: PacketTime(nanoseconds: 1_700_000_000_000_500_000 + Int64(index) * 1000),
    client: Endpoint(ip: IPAddress(ipv4: 0x0A01_0007), port: 40_000),
    server: Endpoint(ip: IPAddress(ipv4: 0x0A01_0009), port: 8080),
    request: HTTPRequest(
      method: "POST", target: "/m\(index)", version: "HTTP/1.1",
      headers: [HTTPHeader(name: "Content-Type", value: "application/json")],
      body: Array(#"{"email":"a@b.example"}"#.utf8)),
    response: HTTPResponse(
      status: 200, reason: "OK", version: "HTTP/1.1",
      headers: [HTTPHeader(name: "Content-Type", value: "application/json")],
      body: Array(#"{"ok":true}"#.utf8)),
    node: "node-1", interface: "eth0")
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
