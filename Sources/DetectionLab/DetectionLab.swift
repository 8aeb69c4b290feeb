import ArgumentParser
import Detection
import DetectionCorpus

@main
struct DetectionLab: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sovren-detection-lab",
    abstract: "The detector's corpus, training, evaluation and benchmarks.",
    subcommands: [
      CorpusCommand.self, TrainCommand.self, EvaluateCommand.self, ExplainCommand.self, BenchCommand.self,
      LoadCommand.self,
    ])
}
