import ArgumentParser
import Foundation
import SovrenModel
import SovrenProto
import TrafficSynth

/// `sovren-synth`: writes synthetic captures with known ground truth for demos, tests and
/// benchmarks. Option parsing only; the generator lives in TrafficSynth.
@main
struct SovrenSynth: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sovren-synth",
    abstract: "Write synthetic HTTP captures whose expected pairs and drops are known exactly.",
    subcommands: [Sample.self, Mix.self, ScenarioFiles.self])
}

struct Sample: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write a small realistic capture (about 50 exchanges, a few of them filtered) for demos.")

  @Option(name: .shortAndLong, help: "The pcap file to write.")
  var output: String

  func run() throws {
    let sample = Scenarios.sample
    try sample.write(to: output)
    let drops = sample.expectedDrops.sorted { $0.key < $1.key }.map { "\($0.key.label)=\($0.value)" }
    print(
      "wrote \(output): \(sample.packets.count) packets, \(sample.expectedPairs.count) pairs kept; dropped: \(drops.joined(separator: ", "))"
    )
  }
}

struct Mix: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Stream a large benchmark capture and print its ground-truth counts as JSON.")

  @Option(name: .shortAndLong, help: "The pcap file to write.")
  var output: String

  @Option(help: "Approximate file size in megabytes (10^6 bytes).")
  var megabytes: UInt64 = 500

  @Option(help: "Seed; the same seed always writes the same file.")
  var seed: UInt64 = 1

  @Option(help: "Connections open at the same time.")
  var connections: Int = 200

  func validate() throws {
    guard megabytes > 0 else { throw ValidationError("--megabytes must be at least 1, got \(megabytes)") }
    guard connections > 0 else { throw ValidationError("--connections must be at least 1, got \(connections)") }
  }

  func run() throws {
    let mix = TrafficMix(seed: seed, targetBytes: megabytes * 1_000_000, concurrentConnections: connections)
    let summary = try mix.write(to: output)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    print(String(decoding: try encoder.encode(summary), as: UTF8.self))
  }
}

struct ScenarioFiles: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scenarios",
    abstract: "Write every scenario as <name>.pcap, <name>.expected.jsonl and <name>.drops.json.")

  @Option(name: .shortAndLong, help: "The directory to write into (created if missing).")
  var directory: String

  func run() throws {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let base = URL(fileURLWithPath: directory)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    for scenario in Scenarios.all {
      try scenario.write(to: base.appendingPathComponent("\(scenario.name).pcap").path)
      let lines = try scenario.expectedPairs.map { try Sovren_V1_HttpPair($0).jsonString() }
      try Data(lines.map { $0 + "\n" }.joined().utf8).write(
        to: base.appendingPathComponent("\(scenario.name).expected.jsonl"))
      try encoder.encode(ScenarioExpectation(scenario)).write(
        to: base.appendingPathComponent("\(scenario.name).drops.json"))
    }
    print("wrote \(Scenarios.all.count) scenarios to \(directory)")
  }
}

/// The `<name>.drops.json` file: limits the interceptor must run with, and drops by reason.
struct ScenarioExpectation: Encodable {
  struct Count: Encodable {
    var exactly: UInt64?
    var atLeast: UInt64?
  }

  struct Limits: Encodable {
    var bodyLimit: Int
    var responseTimeoutSeconds: Double
    var maxConnections: Int?
    var maxHeaderBytes: Int?
  }

  var scenario: String
  var summary: String
  var linkType: UInt32
  var timesAreExact: Bool
  var limits: Limits
  /// Every reason not listed must stay at zero.
  var drops: [String: Count]

  init(_ scenario: Scenario) {
    self.scenario = scenario.name
    summary = scenario.summary
    linkType = scenario.linkType.rawValue
    timesAreExact = scenario.timesAreExact
    let timeout = scenario.limits.effectiveResponseTimeout.components
    limits = Limits(
      bodyLimit: scenario.limits.effectiveBodyLimit,
      responseTimeoutSeconds: Double(timeout.seconds) + Double(timeout.attoseconds) / 1e18,
      maxConnections: scenario.limits.maxConnections, maxHeaderBytes: scenario.limits.maxHeaderBytes)
    var drops: [String: Count] = [:]
    for (reason, count) in scenario.expectedDrops {
      switch count {
      case .exactly(let value): drops[reason.label] = Count(exactly: value)
      case .atLeast(let value): drops[reason.label] = Count(atLeast: value)
      }
    }
    self.drops = drops
  }
}
