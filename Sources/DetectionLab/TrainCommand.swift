import ArgumentParser
@_spi(Training) import Detection
import DetectionCorpus
import Foundation

/// `sovren-detection-lab train`: fits the classifier on the generated train split and writes the
/// weights file the detector compiles in. Deterministic: the same options give the same file.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train", abstract: "Train the detector's classifier on the generated train split.")

  @Option(help: "Training documents to generate.") var documents = 20_000
  @Option(help: "Documents (train split, another seed) to choose the threshold on.") var tuning = 4_000
  @Option(help: "Seed of the training documents.") var seed: UInt64 = 1
  @Option(help: "Passes over the examples.") var epochs = 8
  @Option(help: "Where to write the weights (Swift source).") var output = "Sources/Detection/Model/ModelWeights.swift"

  func run() throws {
    let untrained = Detector(classifier: Classifier(weights: []))
    let corpus = CorpusGenerator.documents(split: .train, count: documents, seed: seed)
    let examples = Trainer.examples(of: corpus, detector: untrained)
    let positives = examples.filter(\.positive).count
    print("train: \(corpus.count) documents, \(examples.count) candidates (\(positives) positive)")
    let trainer = Trainer(epochs: epochs)
    let weights = trainer.train(examples, seed: seed)
    let tuningCorpus = CorpusGenerator.documents(split: .train, count: tuning, seed: seed &+ 1_000)
    let tuningExamples = Trainer.examples(of: tuningCorpus, detector: untrained)
    let (threshold, f05) = Trainer.bestThreshold(tuningExamples, weights: weights)
    print("threshold \(threshold): candidate-level F0.5 \(f05) on \(tuningExamples.count) tuning candidates")
    let command =
      "sovren-detection-lab train --documents \(documents) --tuning \(tuning) --seed \(seed) --epochs \(epochs)"
    let source = Trainer.source(weights: weights, threshold: threshold, provenance: command)
    try source.write(toFile: output, atomically: true, encoding: .utf8)
    print("wrote \(output): \(weights.filter { $0 != 0 }.count) non-zero weights")
  }
}
