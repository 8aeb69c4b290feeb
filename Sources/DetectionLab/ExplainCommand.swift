import ArgumentParser
@_spi(Training) import Detection

/// `sovren-detection-lab explain JSON`: every candidate type of every field with the classifier's
/// probability and what proposed it, kept or not.
struct ExplainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain", abstract: "Show each field's candidate types and the classifier's probabilities.")

  @Argument(help: "One JSON document.") var document: String

  func run() throws {
    let detector = Detector()
    let leaves = try JSONLeaves.of(Array(document.utf8))
    for line in detector.explain(leaves) {
      let kept = line.probability >= detector.classifier.threshold ? "kept" : "dropped"
      print(
        "\(line.path) \(line.type.id) p=\(line.probability) \(kept)\(line.proven ? " value-proven" : "")\(line.named ? " key-named" : "")"
      )
    }
  }
}
