/// Counters and gauges written in the Prometheus text exposition format (version 0.0.4), for
/// statistics kept as plain values: one `# HELP`, one `# TYPE` and the samples per metric, every
/// sample carrying the common labels.
public struct PrometheusText {
  private let common: [String]
  private var lines: [String] = []

  /// `labels` go on every sample, sorted by name.
  public init(labels: [String: String] = [:]) {
    common = labels.sorted { $0.key < $1.key }.map { Self.label($0.key, $0.value) }
  }

  /// One metric of `type` (`counter`, `gauge`) with its samples: each a value and its own labels.
  public mutating func metric(
    _ name: String, _ type: String, _ help: String, _ samples: [(labels: [String: String], value: String)]
  ) {
    lines.append("# HELP \(name) \(help)")
    lines.append("# TYPE \(name) \(type)")
    for (extra, value) in samples {
      let all = common + extra.sorted { $0.key < $1.key }.map { Self.label($0.key, $0.value) }
      lines.append("\(name)\(all.isEmpty ? "" : "{" + all.joined(separator: ",") + "}") \(value)")
    }
  }

  /// One metric with one sample and no labels of its own.
  public mutating func metric(_ name: String, _ type: String, _ help: String, _ value: some Numeric) {
    metric(name, type, help, [([:], "\(value)")])
  }

  /// The text, ending with a newline.
  public var text: String { lines.joined(separator: "\n") + "\n" }

  private static func label(_ name: String, _ value: String) -> String {
    var escaped = ""
    for character in value {
      switch character {
      case "\\": escaped += "\\\\"
      case "\"": escaped += "\\\""
      case "\n": escaped += "\\n"
      default: escaped.append(character)
      }
    }
    return "\(name)=\"\(escaped)\""
  }
}
