import KubeModel
import Operator
import Testing

/// `DesiredState.problems(in:)`: every spec the schema lets through but the operator cannot honour
/// is reported with its field and a reason, and a good spec has none.
@Suite struct SpecProblemTests {
  @Test func theSampleAndTheDefaultsHaveNoProblems() {
    #expect(DesiredState.problems(in: SensorFixtures.sample) == [])
    #expect(DesiredState.problems(in: SensorFixtures.sensor()) == [])
    let external = SensorFixtures.sensor { spec in
      spec.kafka = SovrenSensor.Kafka(
        embedded: nil, external: .init(bootstrapServers: ["kafka-0.kafka:9092", "10.0.0.7:9092", "[fd00::7]:9092"]))
      spec.map = SovrenSensor.Map(endpoint: "map.example.com:443", tokenSecretRef: .init(name: "map"))
    }
    #expect(DesiredState.problems(in: external) == [])
  }

  struct Case: Sendable, CustomTestStringConvertible {
    var label: String
    var sensor: SovrenSensor
    var field: String
    var reason: String
    var testDescription: String { label }
  }

  static let cases: [Case] = [
    Case(
      label: "both Kafkas",
      sensor: SensorFixtures.sensor { $0.kafka.external = .init(bootstrapServers: ["kafka:9092"]) },
      field: "spec.kafka", reason: "KafkaConflict"),
    Case(
      label: "no bootstrap servers",
      sensor: SensorFixtures.sensor { $0.kafka = .init(embedded: nil, external: .init(bootstrapServers: [])) },
      field: "spec.kafka.external.bootstrapServers", reason: "InvalidBootstrapServers"),
    Case(
      label: "bootstrap server without a port",
      sensor: SensorFixtures.sensor { $0.kafka = .init(embedded: nil, external: .init(bootstrapServers: ["kafka"])) },
      field: "spec.kafka.external.bootstrapServers[0]", reason: "InvalidBootstrapServers"),
    Case(
      label: "bootstrap server with a port out of range",
      sensor: SensorFixtures.sensor {
        $0.kafka = .init(embedded: nil, external: .init(bootstrapServers: ["a:9092", "b:70000"]))
      },
      field: "spec.kafka.external.bootstrapServers[1]", reason: "InvalidBootstrapServers"),
    Case(
      label: "bootstrap server with a scheme",
      sensor: SensorFixtures.sensor {
        $0.kafka = .init(embedded: nil, external: .init(bootstrapServers: ["kafka://broker:9092"]))
      },
      field: "spec.kafka.external.bootstrapServers[0]", reason: "InvalidBootstrapServers"),
    Case(
      label: "long name",
      sensor: SensorFixtures.sensor(SovrenSensor.Spec(image: "s"), name: String(repeating: "a", count: 41)),
      field: "metadata.name", reason: "NameTooLong"),
    Case(
      label: "name with a dot", sensor: SensorFixtures.sensor(SovrenSensor.Spec(image: "s"), name: "edge.one"),
      field: "metadata.name", reason: "InvalidName"),
    Case(
      label: "name starting with a digit", sensor: SensorFixtures.sensor(SovrenSensor.Spec(image: "s"), name: "1edge"),
      field: "metadata.name", reason: "InvalidName"),
    Case(
      label: "map deployed and elsewhere",
      sensor: SensorFixtures.sensor { $0.map = .init(deploy: true, endpoint: "map:9000") },
      field: "spec.map", reason: "MapConflict"),
    Case(
      label: "map endpoint with a scheme",
      sensor: SensorFixtures.sensor { $0.map = .init(endpoint: "https://map.example.com") },
      field: "spec.map.endpoint", reason: "InvalidMapEndpoint"),
    Case(
      label: "map endpoint without a port",
      sensor: SensorFixtures.sensor { $0.map = .init(endpoint: "map.example.com") },
      field: "spec.map.endpoint", reason: "InvalidMapEndpoint"),
    Case(
      label: "no namespace included", sensor: SensorFixtures.sensor { $0.digger.namespaces.include = [] },
      field: "spec.digger.namespaces.include", reason: "NoNamespacesIncluded"),
    Case(
      label: "interceptor request above its limit",
      sensor: SensorFixtures.sensor {
        $0.interceptor.resources = ResourceRequirements(requests: ["memory": "2Gi"], limits: ["memory": "1024Mi"])
      },
      field: "spec.interceptor.resources.requests.memory", reason: "InvalidResources"),
    Case(
      label: "detector cpu request above its limit",
      sensor: SensorFixtures.sensor {
        $0.detector.resources = ResourceRequirements(requests: ["cpu": "1.5"], limits: ["cpu": "1200m"])
      },
      field: "spec.detector.resources.requests.cpu", reason: "InvalidResources"),
    Case(
      label: "resource that is no quantity",
      sensor: SensorFixtures.sensor { $0.detector.resources = ResourceRequirements(limits: ["cpu": "1.2.3"]) },
      field: "spec.detector.resources.limits.cpu", reason: "InvalidResources"),
    Case(
      label: "negative resource",
      sensor: SensorFixtures.sensor { $0.interceptor.resources = ResourceRequirements(requests: ["cpu": "-1"]) },
      field: "spec.interceptor.resources.requests.cpu", reason: "InvalidResources"),
    Case(
      label: "storage size that is no quantity",
      sensor: SensorFixtures.sensor { $0.kafka.embedded?.storage.size = "10GB" },
      field: "spec.kafka.embedded.storage.size", reason: "InvalidStorageSize"),
    Case(
      label: "storage size zero", sensor: SensorFixtures.sensor { $0.kafka.embedded?.storage.size = "0Gi" },
      field: "spec.kafka.embedded.storage.size", reason: "InvalidStorageSize"),
    Case(
      label: "total buffer below one connection's",
      sensor: SensorFixtures.sensor {
        $0.interceptor.maxConnectionBuffer = 8_000_000
        $0.interceptor.maxTotalBuffer = 4_000_000
      },
      field: "spec.interceptor.maxTotalBuffer", reason: "InvalidBufferLimits"),
    Case(
      label: "Exists toleration with a value",
      sensor: SensorFixtures.sensor { $0.interceptor.tolerations = [.init(key: "k", operator: .exists, value: "v")] },
      field: "spec.interceptor.tolerations[0]", reason: "InvalidToleration"),
    Case(
      label: "Equal toleration without a key",
      sensor: SensorFixtures.sensor { $0.interceptor.tolerations = [.init(operator: .equal, value: "v")] },
      field: "spec.interceptor.tolerations[0]", reason: "InvalidToleration"),
    Case(
      label: "toleration seconds without NoExecute",
      sensor: SensorFixtures.sensor {
        $0.interceptor.tolerations = [
          .init(operator: .exists), .init(key: "k", operator: .exists, effect: .noSchedule, tolerationSeconds: 5),
        ]
      },
      field: "spec.interceptor.tolerations[1]", reason: "InvalidToleration"),
  ]

  @Test(arguments: cases)
  func eachBadSpecIsReported(_ bad: Case) throws {
    let problems = DesiredState.problems(in: bad.sensor)
    #expect(problems.map(\.field) == [bad.field], "\(problems)")
    let problem = try #require(problems.first)
    #expect(problem.reason == bad.reason)
    // One sentence that names the field (its last part at least) and says what to do.
    let lastPart = bad.field.split(separator: ".").last.map(String.init) ?? bad.field
    #expect(problem.message.contains(lastPart.split(separator: "[").first.map(String.init) ?? lastPart))
    #expect(problem.message.hasSuffix("."))
    #expect(problem.message.first?.isUppercase == true)
    #expect(!problem.message.dropLast().contains(". "), "\(problem.message) is more than one sentence")
  }

  @Test func severalProblemsAreAllReported() {
    let sensor = SensorFixtures.sensor { spec in
      spec.kafka.external = .init(bootstrapServers: ["nope"])
      spec.map = .init(deploy: true, endpoint: "also nope")
      spec.digger.namespaces.include = []
    }
    let reasons = Set(DesiredState.problems(in: sensor).map(\.reason))
    #expect(
      reasons == [
        "KafkaConflict", "InvalidBootstrapServers", "MapConflict", "InvalidMapEndpoint", "NoNamespacesIncluded",
      ])
  }
}
