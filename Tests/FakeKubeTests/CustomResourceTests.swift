import Foundation
import KubeModel
import TestSupport
import Testing

@testable import FakeKube

/// A small CRD in the shape of Sovren's own: namespaced, a status subresource, printer columns
/// from a condition and from a status integer, defaults, and every validation keyword FakeKube
/// enforces.
enum SensorFixtures {
  static let definition = """
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: sovrensensors.sovren.io
    spec:
      group: sovren.io
      scope: Namespaced
      names:
        kind: SovrenSensor
        plural: sovrensensors
        singular: sovrensensor
        shortNames: [sensor]
        categories: [sovren]
      versions:
      - name: v1alpha1
        served: true
        storage: true
        subresources:
          status: {}
        additionalPrinterColumns:
        - name: Ready
          type: string
          jsonPath: .status.conditions[?(@.type=="Ready")].status
        - name: Interceptors
          type: integer
          jsonPath: .status.interceptor.ready
        - name: Mode
          type: string
          priority: 1
          jsonPath: .spec.mode
        - name: Age
          type: date
          jsonPath: .metadata.creationTimestamp
        schema:
          openAPIV3Schema:
            type: object
            properties:
              spec:
                type: object
                required: [kafka]
                properties:
                  kafka:
                    type: string
                    minLength: 1
                    maxLength: 64
                  mode:
                    type: string
                    enum: [capture, replay]
                    default: capture
                  replicas:
                    type: integer
                    minimum: 1
                    maximum: 10
                    default: 1
                  interfaces:
                    type: array
                    minItems: 1
                    maxItems: 3
                    items:
                      type: string
                      pattern: '^[a-z0-9]+$'
                  tuning:
                    type: object
                    default: {}
                    properties:
                      batchSize:
                        type: integer
                        default: 100
                  extra:
                    type: object
                    x-kubernetes-preserve-unknown-fields: true
              status:
                type: object
                properties:
                  interceptor:
                    type: object
                    properties:
                      ready:
                        type: integer
                  conditions:
                    type: array
                    items:
                      type: object
                      properties:
                        type:
                          type: string
                        status:
                          type: string
    """

  static func sensor(_ name: String, spec: String = "kafka: kafka:9092") -> String {
    """
    apiVersion: sovren.io/v1alpha1
    kind: SovrenSensor
    metadata:
      name: \(name)
    spec:
      \(spec.replacingOccurrences(of: "\n", with: "\n  "))
    """
  }
}

/// The real kubectl against CRDs and custom resources served by FakeKube.
@Suite("Custom resources through kubectl", .serialized)
struct CustomResourceKubectlTests {
  func rows(_ table: String) -> [[String]] {
    table.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
  }

  @Test func aCRDServesItsKindAtOnceWithDefaultsColumnsStatusAndValidation() async throws {
    try await withFakeKube { kubectl, _ in
      let definition = try kubectl.file("crd.yaml", SensorFixtures.definition)
      let created = try await kubectl.succeed("apply", "-f", definition)
      #expect(created.contains("customresourcedefinition.apiextensions.k8s.io/sovrensensors.sovren.io created"))

      let definitions = rows(try await kubectl.succeed("get", "crd"))
      #expect(definitions.first == ["NAME", "CREATED", "AT"])
      #expect(definitions.dropFirst().first?.first == "sovrensensors.sovren.io")
      let established = try await kubectl.succeed(
        "get", "crd", "sovrensensors.sovren.io", "-o",
        #"jsonpath={.status.conditions[?(@.type=="Established")].status} {.status.conditions[?(@.type=="NamesAccepted")].status} {.status.acceptedNames.shortNames[0]}"#
      )
      #expect(established == "True True sensor")

      let resources = try await kubectl.succeed("api-resources")
      let sensorLine = resources.split(separator: "\n").first { $0.contains("sensor") }
      #expect(
        sensorLine?.split(separator: " ").map(String.init)
          == ["sovrensensors", "sensor", "sovren.io/v1alpha1", "true", "SovrenSensor"])

      // Applied with default (strict) validation; the schema's defaults are filled in.
      let sensor = try kubectl.file("sensor.yaml", SensorFixtures.sensor("edge"))
      #expect(try await kubectl.succeed("apply", "-f", sensor).contains("sovrensensor.sovren.io/edge created"))
      let yaml = try await kubectl.succeed("get", "sensor", "edge", "-o", "yaml")
      #expect(yaml.contains("mode: capture"))
      #expect(yaml.contains("replicas: 1"))
      #expect(yaml.contains("batchSize: 100"))
      #expect(yaml.contains("generation: 1"))

      let before = rows(try await kubectl.succeed("get", "sensor"))
      #expect(before.first == ["NAME", "READY", "INTERCEPTORS", "AGE"])
      #expect(before.dropFirst().first?.first == "edge")

      let patched = try await kubectl.succeed(
        "patch", "sensor", "edge", "--subresource=status", "--type=merge", "-p",
        #"{"status":{"conditions":[{"type":"Ready","status":"True"}],"interceptor":{"ready":3}}}"#)
      #expect(patched.contains("sovrensensor.sovren.io/edge patched"))
      let after = rows(try await kubectl.succeed("get", "sensor"))
      #expect(after.first == ["NAME", "READY", "INTERCEPTORS", "AGE"])
      #expect(after.dropFirst().first?.prefix(3) == ["edge", "True", "3"])
      let wide = rows(try await kubectl.succeed("get", "sovrensensors.sovren.io", "-o", "wide"))
      #expect(wide.first == ["NAME", "READY", "INTERCEPTORS", "MODE", "AGE"])
      #expect(wide.dropFirst().first?.prefix(4) == ["edge", "True", "3", "capture"])

      // The status endpoint changes only status, the main endpoint only the rest; only a spec
      // change bumps the generation.
      try await kubectl.succeed(
        "patch", "sensor", "edge", "--type=merge", "-p",
        #"{"spec":{"replicas":2},"status":{"interceptor":{"ready":9}}}"#
      )
      let state = try await kubectl.succeed(
        "get", "sensor", "edge", "-o", "jsonpath={.metadata.generation} {.spec.replicas} {.status.interceptor.ready}")
      #expect(state == "2 2 3")

      // Every failure comes back with its field path, and kubectl prints it.
      let invalid = try kubectl.file(
        "invalid.yaml",
        SensorFixtures.sensor("broken", spec: "kafka: kafka:9092\nreplicas: 20\ninterfaces: [Eth0]\nmode: sniff"))
      let rejected = try await kubectl.run("apply", "-f", invalid)
      #expect(rejected.status != 0)
      // kubectl lists the causes itself, one per line, under the details' kind.
      #expect(rejected.stderr.contains(#"The SovrenSensor "broken" is invalid"#))
      #expect(
        rejected.stderr.contains(
          "spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10"))
      #expect(rejected.stderr.contains(#"spec.interfaces[0]: Invalid value: "Eth0""#))
      #expect(
        rejected.stderr.contains(#"spec.mode: Unsupported value: "sniff": supported values: "capture", "replay""#))

      // An unknown field is an error under kubectl's default (strict) validation, not silently dropped.
      let unknown = try kubectl.file(
        "unknown.yaml", SensorFixtures.sensor("typo", spec: "kafka: kafka:9092\nbogus: true"))
      let strict = try await kubectl.run("apply", "-f", unknown)
      #expect(strict.status != 0)
      #expect(strict.stderr.contains(#"Error from server (BadRequest)"#))
      #expect(strict.stderr.contains(#"strict decoding error: unknown field "spec.bogus""#))
      let warned = try await kubectl.run("apply", "--validate=warn", "-f", unknown)
      #expect(warned.status == 0)
      #expect(warned.stderr.contains(#"unknown field "spec.bogus""#))
      #expect(try await kubectl.succeed("get", "sensor", "typo", "-o", "jsonpath={.spec}").contains("bogus") == false)

      let deleted = try await kubectl.succeed("delete", "crd", "sovrensensors.sovren.io")
      #expect(deleted.contains(#"customresourcedefinition.apiextensions.k8s.io "sovrensensors.sovren.io" deleted"#))
      // kubectl's discovery cache (six hours, as against a real cluster) still maps `sensor`, so
      // the first `get` reaches the server and gets its 404; once discovery is read again the
      // type is gone from it too.
      let stale = try await kubectl.run("get", "sensor")
      #expect(stale.status != 0)
      #expect(stale.stderr.contains("the server could not find the requested resource"))
      #expect(!(try await kubectl.succeed("api-resources")).contains("sovrensensors"))
      let gone = try await kubectl.run("get", "sensor")
      #expect(gone.status != 0)
      #expect(gone.stderr.contains(#"the server doesn't have a resource type "sensor""#))
    }
  }
}

/// The schema engine on its own: defaulting, pruning and each validation keyword.
@Suite("Custom resource schemas")
struct StructuralSchemaTests {
  static let schema = StructuralSchema([
    "type": "object",
    "properties": [
      "spec": [
        "type": "object",
        "required": ["kafka"],
        "properties": [
          "kafka": ["type": "string", "minLength": 3, "maxLength": 8, "pattern": "^[a-z:0-9]+$"],
          "mode": ["type": "string", "enum": ["capture", "replay"], "default": "capture"],
          "replicas": ["type": "integer", "minimum": 1, "maximum": 10, "default": 1],
          "ratio": ["type": "number", "minimum": 0, "maximum": 1, "exclusiveMaximum": true],
          "interfaces": ["type": "array", "minItems": 1, "maxItems": 2, "items": ["type": "string"]],
          "tuning": [
            "type": "object", "properties": ["batchSize": ["type": "integer", "default": 100]],
          ],
          "ports": [
            "type": "array",
            "items": [
              "type": "object",
              "properties": ["port": ["type": "integer"], "protocol": ["type": "string", "default": "TCP"]],
            ],
          ],
          "labels": ["type": "object", "additionalProperties": ["type": "string"]],
          "extra": ["type": "object", "x-kubernetes-preserve-unknown-fields": true],
          "enabled": ["type": "boolean"],
        ],
      ],
      "status": ["type": "object", "properties": ["ready": ["type": "integer"]]],
    ],
  ])

  func object(_ spec: JSONValue) -> JSONValue {
    ["apiVersion": "sovren.io/v1alpha1", "kind": "SovrenSensor", "metadata": ["name": "x"], "spec": spec]
  }

  @Test func defaultsFillAbsentFieldsOnlyInsideObjectsThatArePresent() {
    let defaulted = Self.schema.defaulted(object(["kafka": "k:9092", "ports": [["port": 80]], "mode": "replay"]))
    #expect(defaulted[path: ["spec", "replicas"]] == 1)
    #expect(defaulted[path: ["spec", "mode"]] == "replay")
    #expect(defaulted[path: ["spec", "ports"]] == [["port": 80, "protocol": "TCP"]])
    // `tuning` has no default of its own, so its members' defaults do not conjure it up.
    #expect(defaulted[path: ["spec", "tuning"]] == nil)
    let nested = Self.schema.defaulted(object(["kafka": "k:9092", "tuning": [:]]))
    #expect(nested[path: ["spec", "tuning", "batchSize"]] == 100)
    #expect(Self.schema.defaulted(["metadata": ["name": "x"]])["spec"] == nil)
  }

  @Test func pruningDropsUndeclaredFieldsAndReportsTheirPaths() {
    let (pruned, removed) = Self.schema.pruned(
      object([
        "kafka": "k:9092", "bogus": true, "ports": [["port": 80, "name": "http"]],
        "labels": ["a": "b"], "extra": ["anything": ["goes": 1]],
      ]).merging(["top": 1]))
    #expect(removed == ["spec.bogus", "spec.ports[0].name", "top"])
    #expect(pruned[path: ["spec", "bogus"]] == nil)
    #expect(pruned[path: ["spec", "ports"]] == [["port": 80]])
    #expect(pruned[path: ["spec", "labels", "a"]] == "b")
    #expect(pruned[path: ["spec", "extra", "anything", "goes"]] == 1)
    #expect(pruned[path: ["metadata", "name"]] == "x" && pruned["kind"] == "SovrenSensor")
  }

  @Test func aValidObjectHasNoCauses() {
    let valid = object([
      "kafka": "k:9092", "replicas": 10, "ratio": .double(0.5), "interfaces": ["eth0"], "enabled": true,
    ])
    #expect(Self.schema.validate(valid) == [])
  }

  static let violations: [(spec: JSONValue, field: String, message: String)] = [
    (["replicas": 1], "spec.kafka", "Required value"),
    (["kafka": 9092], "spec.kafka", #"Invalid value: "integer": spec.kafka in body must be of type string: "integer""#),
    (
      ["kafka": "k:1", "replicas": .double(1.5)], "spec.replicas",
      #"Invalid value: "number": spec.replicas in body must be of type integer: "number""#
    ),
    (
      ["kafka": "k:1", "enabled": "yes"], "spec.enabled",
      #"Invalid value: "string": spec.enabled in body must be of type boolean: "string""#
    ),
    (
      ["kafka": "k:1", "mode": "sniff"], "spec.mode",
      #"Unsupported value: "sniff": supported values: "capture", "replay""#
    ),
    (
      ["kafka": "k:1", "replicas": 0], "spec.replicas",
      "Invalid value: 0: spec.replicas in body should be greater than or equal to 1"
    ),
    (
      ["kafka": "k:1", "replicas": 11], "spec.replicas",
      "Invalid value: 11: spec.replicas in body should be less than or equal to 10"
    ),
    (["kafka": "k:1", "ratio": 1], "spec.ratio", "Invalid value: 1: spec.ratio in body should be less than 1"),
    (["kafka": "k:"], "spec.kafka", #"Invalid value: "k:": spec.kafka in body should be at least 3 chars long"#),
    (
      ["kafka": "kafka:9092"], "spec.kafka",
      #"Invalid value: "kafka:9092": spec.kafka in body should be at most 8 chars long"#
    ),
    (["kafka": "K:1"], "spec.kafka", #"Invalid value: "K:1": spec.kafka in body should match '^[a-z:0-9]+$'"#),
    (
      ["kafka": "k:1", "interfaces": []], "spec.interfaces",
      "Invalid value: []: spec.interfaces in body should have at least 1 items"
    ),
    (
      ["kafka": "k:1", "interfaces": ["a", "b", "c"]], "spec.interfaces",
      #"Invalid value: ["a","b","c"]: spec.interfaces in body should have at most 2 items"#
    ),
    (
      ["kafka": "k:1", "interfaces": [7]], "spec.interfaces[0]",
      #"Invalid value: "integer": spec.interfaces[0] in body must be of type string: "integer""#
    ),
    (
      ["kafka": "k:1", "labels": ["a": 1]], "spec.labels.a",
      #"Invalid value: "integer": spec.labels.a in body must be of type string: "integer""#
    ),
  ]

  @Test(arguments: violations)
  func eachKeywordReportsTheFieldAndTheServersMessage(spec: JSONValue, field: String, message: String) {
    let causes = Self.schema.validate(object(spec))
    #expect(causes.map(\.field) == [field])
    #expect(causes.map(\.message) == [message])
  }

  static let sensors = ResourceType(
    group: "sovren.io", version: "v1alpha1", kind: "SovrenSensor", plural: "sovrensensors", namespaced: true)

  func sensorType() -> ResourceType {
    var type = Self.sensors
    type.custom = CustomResourceVersion(
      definitionName: "sovrensensors.sovren.io", schema: Self.schema, printerColumns: [])
    return type
  }

  @Test func strictRejectsUnknownFieldsWarnAndIgnorePruneThem() throws {
    let body = object(["kafka": "k:1", "bogus": 1])
    #expect(throws: FakeKubeError.unknownFields(kind: "SovrenSensor", version: "v1alpha1", fields: ["spec.bogus"])) {
      try CustomResourceDefinitions.admit(body, as: sensorType(), validation: .strict)
    }
    let error = FakeKubeError.unknownFields(kind: "SovrenSensor", version: "v1alpha1", fields: ["spec.bogus"])
    #expect(error.httpStatus == .badRequest)
    #expect(
      error.description
        == #"SovrenSensor in version "v1alpha1" cannot be handled as a SovrenSensor: strict decoding error: unknown field "spec.bogus""#
    )
    let warned = try CustomResourceDefinitions.admit(body, as: sensorType(), validation: .warn)
    #expect(warned.object[path: ["spec", "bogus"]] == nil && warned.object[path: ["spec", "replicas"]] == 1)
    #expect(warned.warnings == [#"unknown field "spec.bogus""#])
    let ignored = try CustomResourceDefinitions.admit(body, as: sensorType(), validation: .ignore)
    #expect(ignored.object == warned.object && ignored.warnings.isEmpty)
    #expect(FieldValidation(query: nil) == .warn && FieldValidation(query: "Strict") == .strict)
  }

  @Test func anInvalidObjectIs422WithOneCausePerField() throws {
    let body = object(["replicas": 20])
    do {
      _ = try CustomResourceDefinitions.admit(body, as: sensorType(), validation: .strict)
      Issue.record("an invalid object was admitted")
    } catch {
      #expect(error.httpStatus == .unprocessableContent)
      let status = error.statusObject
      #expect(status["reason"] == "Invalid")
      #expect(
        status[path: ["details", "kind"]] == "SovrenSensor" && status[path: ["details", "group"]] == "sovren.io")
      #expect(
        status[path: ["details", "causes"]]?.arrayValue?.compactMap { $0["field"] } == ["spec.kafka", "spec.replicas"])
      #expect(
        error.description
          == #"SovrenSensor.sovren.io "x" is invalid: [spec.kafka: Required value, spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10]"#
      )
    }
  }
}

/// Printer columns' JSONPath and the Table a CRD's columns make.
@Suite("Custom resource columns")
struct PrinterColumnTests {
  let sensor: JSONValue = [
    "metadata": ["name": "edge", "creationTimestamp": "2026-01-01T00:00:00Z"],
    "spec": ["mode": "capture", "ports": [["port": 80], ["port": 443]]],
    "status": [
      "interceptor": ["ready": 3],
      "conditions": [["type": "Synced", "status": "False"], ["type": "Ready", "status": "True"]],
    ],
  ]

  static let paths: [(path: String, values: [JSONValue])] = [
    (".status.interceptor.ready", [3]),
    (#".status.conditions[?(@.type=="Ready")].status"#, ["True"]),
    (".status.conditions[?(@.type!='Ready')].type", ["Synced"]),
    (".spec.ports[1].port", [443]),
    (".spec.ports[*].port", [80, 443]),
    ("{.spec.mode}", ["capture"]),
    (".status.missing", []),
  ]

  @Test(arguments: paths)
  func pathsReachWhatKubectlsJSONPathWould(path: String, values: [JSONValue]) throws {
    #expect(try JSONPath(parsing: path).values(in: sensor) == values)
  }

  @Test func aMalformedPathIsRejected() {
    #expect(throws: FakeKubeError.self) { try JSONPath(parsing: ".status.conditions[?(@.type==Ready") }
  }

  @Test func aCRDsColumnsMakeTheTableWithNameFirstAndAgeAsDeclared() throws {
    let crd = try JSONValue(parsing: Array(SensorCRDJSON.text.utf8))
    let type = try #require(try CustomResourceDefinitions.resourceTypes(of: crd).first)
    #expect(type.subresources == ["status"] && type.shortNames == ["sensor"] && type.namespaced)
    let now = try Date("2026-01-01T00:05:00Z", strategy: .iso8601)
    let table = Tables.table(type, objects: [sensor], resourceVersion: 1, include: .none, now: now)
    let columns = table["columnDefinitions"]?.arrayValue ?? []
    #expect(columns.compactMap { $0["name"]?.stringValue } == ["Name", "Ready", "Interceptors", "Mode", "Age"])
    #expect(columns.compactMap { $0["priority"]?.intValue } == [0, 0, 0, 1, 0])
    #expect(table["rows"]?.arrayValue?.first?["cells"] == ["edge", "True", 3, "capture", "5m"])
    let bare = Tables.table(
      type, objects: [["metadata": ["name": "new"]]], resourceVersion: 1, include: .none, now: now)
    #expect(bare["rows"]?.arrayValue?.first?["cells"] == ["new", nil, nil, nil, nil])
  }

  @Test func aCRDsStatusAcceptsItsNamesAndIsEstablished() throws {
    let crd = try CustomResourceDefinitions.admitted(try JSONValue(parsing: Array(SensorCRDJSON.text.utf8)))
    #expect(crd[path: ["spec", "names", "listKind"]] == "SovrenSensorList")
    let now = Date()
    let status = CustomResourceDefinitions.acceptedStatus(of: crd, now: now)
    let conditions = status["conditions"]?.arrayValue ?? []
    #expect(conditions.compactMap { $0["type"] } == ["NamesAccepted", "Established"])
    #expect(conditions.allSatisfy { $0["status"] == "True" })
    #expect(status[path: ["acceptedNames", "kind"]] == "SovrenSensor")
    #expect(status["storedVersions"] == ["v1alpha1"])
    var stored = crd
    stored["status"] = status
    #expect(CustomResourceDefinitions.acceptedStatus(of: stored, now: now.addingTimeInterval(60)) == status)
  }

  @Test func aCRDWhoseNameIsNotPluralDotGroupIsInvalid() throws {
    var crd = try JSONValue(parsing: Array(SensorCRDJSON.text.utf8))
    crd.set("sensors.sovren.io", at: ["metadata", "name"])
    #expect(throws: FakeKubeError.self) { try CustomResourceDefinitions.admitted(crd) }
  }

  @Test func theRegistryServesACRDsVersionsAndForgetsThemWhenItGoes() throws {
    let registry = ResourceRegistry()
    let crd = try JSONValue(parsing: Array(SensorCRDJSON.text.utf8))
    registry.replaceTypes(
      definedBy: "sovrensensors.sovren.io", with: try CustomResourceDefinitions.resourceTypes(of: crd))
    #expect(registry.type(group: "sovren.io", version: "v1alpha1", plural: "sovrensensors") != nil)
    let discovery = Discovery.apiResourceList(registry, group: "sovren.io", version: "v1alpha1")
    #expect(
      discovery?["resources"]?.arrayValue?.compactMap { $0["name"] } == ["sovrensensors", "sovrensensors/status"])
    let document = try #require(OpenAPIDocuments.groupVersion(registry, group: "sovren.io", version: "v1alpha1"))
    let schema = document[path: ["components", "schemas", "io.fakekube.sovren.io.v1alpha1.SovrenSensor"]]
    #expect(schema?[path: ["properties", "spec", "required"]] == ["kafka"])
    #expect(
      schema?["x-kubernetes-group-version-kind"] == [
        ["group": "sovren.io", "version": "v1alpha1", "kind": "SovrenSensor"]
      ])
    let removed = registry.replaceTypes(definedBy: "sovrensensors.sovren.io", with: [])
    #expect(removed.map(\.plural) == ["sovrensensors"])
    #expect(registry.type(group: "sovren.io", version: "v1alpha1", plural: "sovrensensors") == nil)
    #expect(Discovery.apiResourceList(registry, group: "sovren.io", version: "v1alpha1") == nil)
  }
}

/// The fixture CRD as JSON, for tests that skip kubectl (which would convert the YAML for us).
enum SensorCRDJSON {
  static let text = """
    {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
     "metadata":{"name":"sovrensensors.sovren.io"},
     "spec":{"group":"sovren.io","scope":"Namespaced",
       "names":{"kind":"SovrenSensor","plural":"sovrensensors","shortNames":["sensor"]},
       "versions":[{"name":"v1alpha1","served":true,"storage":true,"subresources":{"status":{}},
         "additionalPrinterColumns":[
           {"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\\"Ready\\")].status"},
           {"name":"Interceptors","type":"integer","jsonPath":".status.interceptor.ready"},
           {"name":"Mode","type":"string","priority":1,"jsonPath":".spec.mode"},
           {"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}],
         "schema":{"openAPIV3Schema":{"type":"object","properties":{
           "spec":{"type":"object","required":["kafka"],"properties":{"kafka":{"type":"string"}}}}}}}]}}
    """
}

extension JSONValue {
  /// The object with `other`'s members added, for building test bodies.
  fileprivate func merging(_ other: [String: JSONValue]) -> JSONValue {
    .object((objectValue ?? [:]).merging(other) { _, new in new })
  }
}
