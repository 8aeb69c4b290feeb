import ArgumentParser

@main
struct Sovren: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sovren",
    abstract: "Sovren: which sensitive data your Kubernetes services exchange, from their HTTP JSON traffic.",
    subcommands: [
      CaptureCommand.self, OperatorCommand.self, FakeAPIServerCommand.self, CRDCommand.self, DetectorCommand.self,
      DetectCommand.self, KafkaMockCommand.self, ConsumeCommand.self, KafkaBenchCommand.self,
    ])
}
