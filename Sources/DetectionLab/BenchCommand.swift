import ArgumentParser
import Detection
import Foundation

/// `sovren-detection-lab bench`: the detector's speed on one core, in process: documents/s and
/// MB/s, per-document latency percentiles, peak RSS. Reads JSON Lines documents.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench", abstract: "Measure detection speed on JSON Lines documents (one core).")

  @Option(help: "JSON Lines file of documents.") var documents: String
  @Option(help: "Passes over the documents (the first is a warm-up, not counted).") var passes = 5
  @Option(help: "Keep only documents of at least this many bytes.") var minBytes = 0
  @Option(help: "Keep only documents of at most this many bytes.") var maxBytes = Int.max

  func run() throws {
    guard let data = FileManager.default.contents(atPath: documents) else {
      throw ValidationError("cannot read --documents \(documents)")
    }
    let lines = data.split(separator: UInt8(ascii: "\n")).map { Array($0) }
      .filter { $0.count >= minBytes && $0.count <= maxBytes }
    guard !lines.isEmpty else { throw ValidationError("no documents in \(documents) within the size bounds") }
    let detector = Detector()
    var latencies: [UInt64] = []
    latencies.reserveCapacity(lines.count * passes)
    var fields = 0
    var elapsed: UInt64 = 0
    for pass in 0..<passes {
      for line in lines {
        let start = DispatchTime.now().uptimeNanoseconds
        let findings = try? detector.detect(json: line)
        let stop = DispatchTime.now().uptimeNanoseconds
        guard pass > 0 else { continue }
        fields += findings?.fields.count ?? 0
        latencies.append(stop - start)
        elapsed += stop - start
      }
    }
    latencies.sort()
    let bytes = lines.reduce(0) { $0 + $1.count } * (passes - 1)
    let seconds = Double(elapsed) / 1e9
    func percentile(_ p: Double) -> Double {
      Double(latencies[Swift.min(latencies.count - 1, Int(Double(latencies.count) * p))]) / 1_000
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let documentsPerSecond = Double(latencies.count) / seconds
    print(
      """
      documents: \(lines.count) (\(bytes / Swift.max(1, latencies.count)) bytes on average), \(passes - 1) timed passes
      throughput: \(Int(documentsPerSecond)) documents/s, \(String(format: "%.1f", Double(bytes) / seconds / 1e6)) MB/s (one core)
      latency per document: p50 \(String(format: "%.1f", percentile(0.5))) µs, p99 \(String(format: "%.1f", percentile(0.99))) µs, max \(String(format: "%.1f", percentile(1))) µs
      fields found per document: \(String(format: "%.2f", Double(fields) / Double(latencies.count)))
      peak RSS: \(usage.ru_maxrss / 1024) MiB
      """)
  }
}
