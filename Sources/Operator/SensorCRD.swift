import Foundation
import KubeModel
import Yams

/// The SovrenSensor CustomResourceDefinition, built from one description of its schema.
///
/// `crds/sovrensensors.sovren.io.yaml` is this value rendered by `sovren crd` (`hack/gen-crd`);
/// a test fails when the committed file and the code disagree, and another when the schema and
/// the Swift types in `SovrenSensor` do.
///
/// Printer columns: a column shows one JSONPath value, so INTERCEPTORS, DIGGER and DETECTOR read
/// the `summary` strings (`ready/desired`, such as `3/3`) the operator writes into status; the
/// separate counts are in the wide output.
public enum SensorCRD {
  static let quantityPattern = #"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"#
  static let globPattern = #"^[a-z0-9*?]([-a-z0-9*?]*[a-z0-9*?])?$"#

  /// The whole object's schema (`openAPIV3Schema`).
  public static let schema: OpenAPISchema = .object(
    "A Sovren installation: interceptors on the nodes, Kafka, diggers, detectors and optionally the map.",
    required: ["spec"],
    [
      "apiVersion": .string(nil), "kind": .string(nil), "metadata": .object(nil, [:]),
      "spec": spec, "status": status,
    ])

  static let spec: OpenAPISchema = .object(
    "What to run.", required: ["image"],
    [
      "image": .string("The image every role runs (`sovren <role>`).", minLength: 1),
      "interceptor": interceptor, "kafka": kafka, "digger": digger, "detector": detector, "map": map,
    ])

  static func resources(_ description: String, defaultValue: JSONValue) -> OpenAPISchema {
    let quantities: OpenAPISchema = .map(
      nil, of: .string("A quantity such as `100m` or `128Mi`, quoted.", pattern: quantityPattern))
    return .object(
      description, defaultValue: defaultValue, ["requests": quantities, "limits": quantities])
  }

  static let interceptor: OpenAPISchema = .object(
    "The capture DaemonSet: where it runs, and its limits and filters.", defaultValue: .object([:]),
    [
      "nodeSelector": .map("Nodes to run on; every node when empty.", of: .string(nil)),
      "tolerations": .array(
        "Taints tolerated; by default every taint, so the interceptor runs on every node.",
        of: .object(
          nil,
          [
            "key": .string(nil), "operator": .string(nil, allowed: ["Exists", "Equal"]), "value": .string(nil),
            "effect": .string(nil, allowed: ["NoSchedule", "PreferNoSchedule", "NoExecute"]),
            "tolerationSeconds": .integer(nil, format: "int64"),
          ]),
        defaultValue: .array([.object(["operator": .string("Exists")])])),
      "resources": resources(
        "Compute resources of the interceptor container.",
        defaultValue: .object([
          "requests": .object(["cpu": .string("100m"), "memory": .string("128Mi")]),
          "limits": .object(["memory": .string("512Mi")]),
        ])),
      "bodyLimit": .integer(
        "Largest body kept, as sent and decoded, and both bodies of a pair together, in bytes.",
        defaultValue: 1_048_576, minimum: 1, format: "int64"),
      "responseTimeoutSeconds": .integer(
        "Seconds of packet time a request waits for its response.", defaultValue: 30, minimum: 1, maximum: 3600),
      "excludePaths": .array(
        "Request paths (query ignored) whose pairs are dropped; replaces the default list.",
        of: .string(nil, pattern: "^/"),
        defaultValue: .array(SovrenSensor.Interceptor.defaultExcludePaths.map(JSONValue.string))),
      "maxHeaderBytes": .integer(
        "Largest request or status line plus headers, in bytes.", defaultValue: 65_536, minimum: 1, format: "int64"),
      "maxConnections": .integer("Connections followed at once.", defaultValue: 65_536, minimum: 1, format: "int64"),
      "idleTimeoutSeconds": .integer(
        "Seconds without packets after which a connection is forgotten.", defaultValue: 300, minimum: 1,
        maximum: 86_400),
      "maxConnectionBuffer": .integer(
        "Bytes one connection may buffer.", defaultValue: 4_194_304, minimum: 1, format: "int64"),
      "maxTotalBuffer": .integer(
        "Bytes all connections together may buffer; at least maxConnectionBuffer.", defaultValue: 67_108_864,
        minimum: 1, format: "int64"),
    ])

  static let kafka: OpenAPISchema = .object(
    "Where pairs go: `embedded` (the default, run by the operator) or `external` (your brokers); set one.",
    defaultValue: .object(["embedded": .object([:])]),
    [
      "embedded": .object(
        "A single-node KRaft Kafka run by the operator.",
        [
          "image": .string(
            "The Apache Kafka image the broker runs.", defaultValue: SovrenSensor.Kafka.Embedded.defaultImage,
            minLength: 1),
          "storage": .object(
            "The broker's log directory.", defaultValue: .object([:]),
            [
              "type": .string(
                "EmptyDir (lost with the pod) or PersistentVolumeClaim.", defaultValue: "EmptyDir",
                allowed: SovrenSensor.Kafka.Storage.Kind.allCases.map(\.rawValue)),
              "size": .string(
                "The claim's size, or the emptyDir's size limit, such as `10Gi`.", defaultValue: "10Gi",
                pattern: quantityPattern),
              "storageClassName": .string("The claim's storage class; the cluster's default when absent."),
            ]),
          "retentionHours": .integer(
            "Hours pairs are kept.", defaultValue: 24, minimum: 1, maximum: 8760),
        ]),
      "external": .object(
        "Your own Kafka.", required: ["bootstrapServers"],
        [
          "bootstrapServers": .array(
            "`host:port` of at least one broker.", of: .string(nil, pattern: #"^[^\s:]+:[0-9]+$"#), minItems: 1)
        ]),
      "topic": .string(
        "The topic of pairs.", defaultValue: "sovren.pairs", pattern: #"^[a-zA-Z0-9._-]+$"#, maxLength: 249),
      "partitions": .integer(
        "Partitions of the topic; diggers beyond this many stay idle.", defaultValue: 12, minimum: 1, maximum: 1000),
    ])

  static let digger: OpenAPISchema = .object(
    "The consumers that sample pairs, ask the detector and export metadata.", defaultValue: .object([:]),
    [
      "replicas": .integer("Digger pods.", defaultValue: 1, minimum: 0, maximum: 100),
      "samplingBudget": .integer(
        "Pairs per endpoint per minute sent to the detector.", defaultValue: 60, minimum: 1, maximum: 100_000),
      "namespaces": .object(
        "Namespaces as globs (`*`, `?`): one counts when it matches an include and no exclude.",
        defaultValue: .object([:]),
        [
          "include": .array(
            nil, of: .string(nil, pattern: globPattern, maxLength: 63), defaultValue: .array([.string("*")])),
          "exclude": .array(
            nil, of: .string(nil, pattern: globPattern, maxLength: 63),
            defaultValue: .array(SovrenSensor.NamespaceFilter.defaultExclude.map(JSONValue.string))),
        ]),
    ])

  static let detector: OpenAPISchema = .object(
    "The detection service.", defaultValue: .object([:]),
    [
      "replicas": .integer("Detector pods.", defaultValue: 1, minimum: 0, maximum: 100),
      "resources": resources(
        "Compute resources of the detector container.",
        defaultValue: .object([
          "requests": .object(["cpu": .string("100m"), "memory": .string("256Mi")]),
          "limits": .object(["memory": .string("1Gi")]),
        ])),
    ])

  static let map: OpenAPISchema = .object(
    "The data map: deployed here, or an endpoint elsewhere.", defaultValue: .object([:]),
    [
      "deploy": .boolean("Run the map in this namespace.", defaultValue: false),
      "endpoint": .string("The map's ingest address (`host:port`) when it runs elsewhere.", minLength: 1),
      "tokenSecretRef": .object(
        "The Secret key holding the map's token; never inline.", required: ["name"],
        [
          "name": .string("A Secret in the sensor's namespace.", minLength: 1),
          "key": .string(nil, defaultValue: "token", minLength: 1),
        ]),
    ])

  static let condition: OpenAPISchema = .object(
    nil, required: ["type", "status"],
    [
      "type": .string(nil, minLength: 1), "status": .string(nil, allowed: ["True", "False", "Unknown"]),
      "observedGeneration": .integer(nil, minimum: 0, format: "int64"),
      "lastTransitionTime": .string(nil, format: "date-time"), "reason": .string(nil), "message": .string(nil),
    ])

  static func replicas(updated: Bool) -> OpenAPISchema {
    let count: OpenAPISchema = .integer(nil, minimum: 0, format: "int64")
    let summary: OpenAPISchema = .string("`ready/desired`, for the printer column.")
    if updated {
      return .object(nil, ["desired": count, "ready": count, "updated": count, "summary": summary])
    }
    return .object(nil, ["desired": count, "ready": count, "summary": summary])
  }

  static let status: OpenAPISchema = .object(
    "What the operator observed.",
    [
      "observedGeneration": .integer(nil, minimum: 0, format: "int64"),
      "conditions": .array("Ready, Progressing and Degraded.", of: condition),
      "interceptor": replicas(updated: true),
      "kafka": .object(nil, ["ready": .boolean(nil)]),
      "digger": replicas(updated: false),
      "detector": replicas(updated: false),
      "map": .object(nil, ["ready": .boolean(nil)]),
    ])

  static func column(
    _ name: String, _ type: String, _ jsonPath: String, _ description: String, wide: Bool = false
  ) -> JSONValue {
    var members: [String: JSONValue] = [
      "name": .string(name), "type": .string(type), "jsonPath": .string(jsonPath),
      "description": .string(description),
    ]
    if wide { members["priority"] = .int(1) }
    return .object(members)
  }

  /// `kubectl get sensor` columns; priority 1 ones appear with `-o wide`.
  public static let printerColumns: [JSONValue] = [
    column("Ready", "string", #".status.conditions[?(@.type=="Ready")].status"#, "The Ready condition."),
    column("Interceptors", "string", ".status.interceptor.summary", "Interceptor pods ready/desired."),
    column("Kafka", "boolean", ".status.kafka.ready", "Kafka reachable and the topic present."),
    column("Digger", "string", ".status.digger.summary", "Digger pods ready/desired."),
    column("Detector", "string", ".status.detector.summary", "Detector pods ready/desired."),
    column("Age", "date", ".metadata.creationTimestamp", "Time since creation."),
    column("Updated", "integer", ".status.interceptor.updated", "Interceptor pods on the current spec.", wide: true),
    column("Map", "boolean", ".status.map.ready", "The map ready to ingest.", wide: true),
    column("Image", "string", ".spec.image", "The image every role runs.", wide: true),
  ]

  /// The CustomResourceDefinition to install.
  public static var definition: CustomResourceDefinition {
    CustomResourceDefinition(
      metadata: ObjectMeta(name: "\(SovrenSensor.plural).\(SovrenSensor.group)"),
      spec: CustomResourceDefinition.Spec(
        group: SovrenSensor.group,
        names: CustomResourceDefinition.Names(
          kind: SovrenSensor.kind, plural: SovrenSensor.plural, singular: SovrenSensor.singular,
          shortNames: [SovrenSensor.shortName], listKind: "\(SovrenSensor.kind)List", categories: ["sovren"]),
        scope: "Namespaced",
        versions: [
          CustomResourceDefinition.Version(
            name: SovrenSensor.version, served: true, storage: true,
            schema: CustomResourceDefinition.Schema(openAPIV3Schema: schema.json),
            subresources: .object(["status": .object([:])]), additionalPrinterColumns: printerColumns)
        ]))
  }

  /// The definition as a YAML document with sorted keys, so the output is the same every run.
  public static func yaml() throws -> String {
    var object = try JSONValue(parsing: JSONEncoder().encode(definition))
    object["apiVersion"] = .string(CustomResourceDefinition.apiVersion)
    object["kind"] = .string(CustomResourceDefinition.kind)
    let encoder = YAMLEncoder()
    encoder.options = YAMLEncoder.Options(sortKeys: true)
    return try encoder.encode(object)
  }
}
