import Foundation
import Interception
import KubeModel
import Operator
import Testing

/// The CRD in `crds/`, the schema built in `SensorCRD` and the Swift types in `SovrenSensor`
/// describe the same API.
@Suite struct SensorCRDTests {
  static let committedPath = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("crds/sovrensensors.sovren.io.yaml").path

  /// A sensor with every optional field set, so encoding it reaches every property the types have.
  static let populated = SovrenSensor(
    metadata: ObjectMeta(name: "full", namespace: "sovren"),
    spec: SovrenSensor.Spec(
      image: "sovren:1",
      interceptor: SovrenSensor.Interceptor(
        nodeSelector: ["kubernetes.io/os": "linux"],
        tolerations: [
          SovrenSensor.Toleration(
            key: "dedicated", operator: .equal, value: "edge", effect: .noExecute, tolerationSeconds: 30)
        ]),
      kafka: SovrenSensor.Kafka(
        embedded: SovrenSensor.Kafka.Embedded(
          storage: SovrenSensor.Kafka.Storage(type: .persistentVolumeClaim, size: "20Gi", storageClassName: "fast")),
        external: SovrenSensor.Kafka.External(bootstrapServers: ["kafka:9092"])),
      map: SovrenSensor.Map(
        deploy: false, endpoint: "map.example:443", tokenSecretRef: SovrenSensor.SecretKeyReference(name: "map"))),
    status: SovrenSensor.Status(
      observedGeneration: 2,
      conditions: [
        Condition(
          type: "Ready", status: "True", reason: "AllReady", message: "Every component is ready.",
          observedGeneration: 2, lastTransitionTime: Timestamp(Date(timeIntervalSince1970: 0)))
      ],
      interceptor: SovrenSensor.InterceptorStatus(desired: 3, ready: 3, updated: 3),
      kafka: SovrenSensor.ReadinessStatus(ready: true),
      digger: SovrenSensor.ReplicaStatus(desired: 1, ready: 1),
      detector: SovrenSensor.ReplicaStatus(desired: 1, ready: 0),
      map: SovrenSensor.ReadinessStatus(ready: false)))

  static func json(_ value: some Encodable) throws -> JSONValue {
    try JSONValue(parsing: JSONEncoder().encode(value))
  }

  static func decode<T: Decodable>(_ type: T.Type, _ value: JSONValue) throws -> T {
    try JSONDecoder().decode(type, from: JSONEncoder().encode(value))
  }

  /// Every place in `value` with what is there: property names, `[]` for array elements, `{}`
  /// for map values (where the schema says the object is a map).
  static func places(
    of value: JSONValue, in schema: OpenAPISchema?, at prefix: [String] = []
  ) -> [(path: [String], value: JSONValue)] {
    switch value {
    case .object(let members):
      return members.flatMap { name, member in
        let step = schema?.property(name) == nil && schema?.values != nil ? "{}" : name
        let path = prefix + [step]
        return [(path, member)] + places(of: member, in: schema?.schema(at: [step]), at: path)
      }
    case .array(let elements):
      let path = prefix + ["[]"]
      return elements.flatMap { [(path, $0)] + places(of: $0, in: schema?.items?.schema, at: path) }
    default:
      return []
    }
  }

  static func kind(of value: JSONValue) -> OpenAPISchema.Kind? {
    switch value {
    case .object: .object
    case .array: .array
    case .string: .string
    case .int: .integer
    case .bool: .boolean
    default: nil
    }
  }

  @Test func committedCRDMatchesTheCode() throws {
    let generated = try SensorCRD.yaml()
    let committed = try String(contentsOfFile: Self.committedPath, encoding: .utf8)
    let committedLines = committed.split(separator: "\n", omittingEmptySubsequences: false)
    let generatedLines = generated.split(separator: "\n", omittingEmptySubsequences: false)
    let firstDifference =
      zip(committedLines, generatedLines).enumerated().first { $0.element.0 != $0.element.1 }
      .map { "line \($0.offset + 1): committed \"\($0.element.0)\", generated \"\($0.element.1)\"" }
      ?? "committed \(committedLines.count) lines, generated \(generatedLines.count)"
    let same = committed == generated
    #expect(
      same,
      "crds/sovrensensors.sovren.io.yaml differs from what Sources/Operator generates (\(firstDifference)): run hack/gen-crd and commit the file"
    )
  }

  @Test func everySwiftPropertyHasASchemaPropertyOfItsType() throws {
    let sample = try Self.json(Self.populated)
    let places = Self.places(of: sample, in: SensorCRD.schema).filter { $0.path.first != "metadata" }
    #expect(places.count > 40)
    for (path, value) in places {
      guard let schema = SensorCRD.schema.schema(at: path) else {
        Issue.record("\(path.joined(separator: ".")) is in the Swift types but not in the schema")
        continue
      }
      if let kind = Self.kind(of: value) {
        #expect(
          kind == schema.kind, "\(path.joined(separator: ".")): Swift encodes \(kind), the schema says \(schema.kind)")
      }
    }
  }

  @Test func everySchemaPropertyIsInTheSwiftTypes() throws {
    let sample = try Self.json(Self.populated)
    let swiftPaths = Set(Self.places(of: sample, in: SensorCRD.schema).map(\.path))
    func walk(_ schema: OpenAPISchema, _ prefix: [String]) {
      for (name, child) in schema.properties {
        let path = prefix + [name]
        let known = swiftPaths.contains(path)
        #expect(known, "\(path.joined(separator: ".")) is in the schema but not in the Swift types")
        walk(child, path)
      }
      if let items = schema.items?.schema { walk(items, prefix + ["[]"]) }
    }
    for name in ["spec", "status"] {
      if let schema = SensorCRD.schema.property(name) { walk(schema, [name]) }
    }
  }

  @Test func schemaDefaultsAreTheSwiftDefaults() throws {
    let defaulted = SensorCRD.schema.applyingDefaults(to: ["spec": ["image": "sovren:1"]])
    let spec = try #require(defaulted["spec"])
    #expect(try Self.decode(SovrenSensor.Spec.self, spec) == SovrenSensor.Spec(image: "sovren:1"))
    #expect(try Self.json(SovrenSensor.Spec(image: "sovren:1")) == spec)
  }

  @Test func interceptorDefaultsAreTheInterceptorsOwn() throws {
    let interceptor = SovrenSensor.Interceptor()
    let configuration = InterceptorConfiguration()
    #expect(interceptor.bodyLimit == Int64(configuration.bodyLimit))
    #expect(Duration.seconds(interceptor.responseTimeoutSeconds) == configuration.responseTimeout)
    #expect(Set(interceptor.excludePaths) == configuration.excludedPaths)
    #expect(interceptor.maxHeaderBytes == Int64(configuration.maxHeaderBytes))
    #expect(interceptor.maxConnections == Int64(configuration.maxConnections))
    #expect(Duration.seconds(interceptor.idleTimeoutSeconds) == configuration.idleTimeout)
    #expect(interceptor.maxConnectionBuffer == Int64(configuration.maxBufferedBytesPerConnection))
    #expect(interceptor.maxTotalBuffer == Int64(configuration.maxBufferedBytesTotal))
  }

  @Test func externalKafkaReplacesTheDefaultEmbeddedOne() throws {
    let defaulted = SensorCRD.schema.applyingDefaults(to: [
      "spec": ["image": "sovren:1", "kafka": ["external": ["bootstrapServers": ["kafka:9092"]]]]
    ])
    let spec = try Self.decode(SovrenSensor.Spec.self, try #require(defaulted["spec"]))
    #expect(spec.kafka.embedded == nil)
    #expect(spec.kafka.external?.bootstrapServers == ["kafka:9092"])
    #expect(spec.kafka.topic == "sovren.pairs")
  }

  @Test func printerColumnsReadSchemaFields() throws {
    let names = SensorCRD.printerColumns.compactMap { $0["name"]?.stringValue?.uppercased() }
    #expect(names.prefix(6) == ["READY", "INTERCEPTORS", "KAFKA", "DIGGER", "DETECTOR", "AGE"])
    for column in SensorCRD.printerColumns {
      let path = try #require(column["jsonPath"]?.stringValue)
      guard !path.hasPrefix(".metadata"), !path.contains("[?") else { continue }
      let steps = path.split(separator: ".").map(String.init)
      #expect(SensorCRD.schema.schema(at: steps) != nil, "printer column path \(path) is not in the schema")
    }
  }

  @Test func statusSummariesAreReadyOverDesired() {
    #expect(SovrenSensor.InterceptorStatus(desired: 3, ready: 2, updated: 1).summary == "2/3")
    #expect(SovrenSensor.ReplicaStatus(desired: 2, ready: 2).summary == "2/2")
  }
}
