import ArgumentParser
import Operator

/// `sovren crd`: prints the SovrenSensor CustomResourceDefinition, as `hack/gen-crd` writes it
/// to `crds/`.
struct CRDCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "crd", abstract: "Print the SovrenSensor CustomResourceDefinition as YAML.")

  func run() throws {
    print(try SensorCRD.yaml(), terminator: "")
  }
}
