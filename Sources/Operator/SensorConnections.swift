import KubeModel

/// The ports every role listens on: the contract between the objects the operator builds and
/// the `sovren` subcommands that run in them (`docs/operator.md`).
public enum RolePorts {
  /// Metrics (`/metrics`) and health (`/healthz`, `/readyz`) of the interceptor and the digger.
  public static let metrics: Int64 = 9090
  /// The detector's HTTP API, its `/api/v2/alive` and its metrics.
  public static let detector: Int64 = 8000
  /// The map's JSON API, web UI, health and metrics.
  public static let mapHTTP: Int64 = 8080
  /// The map's gRPC ingest (`sovren.v1.MapIngest`).
  public static let mapGRPC: Int64 = 9000
  public static let kafka: Int64 = 9092
  public static let kafkaController: Int64 = 9093
}

/// How a sensor's roles find each other: the Kafka bootstrap servers every client gets, the
/// detector's URL and the map's ingest address. Services are addressed as `<name>.<namespace>.svc`,
/// which resolves from any namespace through the cluster's DNS search path.
public struct SensorConnections: Sendable, Hashable {
  public var sensor: NamespacedName
  /// Whether the operator runs Kafka: `kafka.embedded` is set, or neither it nor `external` is.
  public var runsKafka: Bool
  /// `host:port` of the brokers: the embedded Kafka's client Service, or `kafka.external`'s.
  public var bootstrapServers: [String]
  public var topic: String
  /// The digger's consumer group: one per sensor, so diggers share the topic's partitions.
  public var consumerGroup: String
  /// `http://<sensor>-detector.<namespace>.svc:8000`.
  public var detectorURL: String
  /// The deployed map's gRPC Service, or `map.endpoint`; nil when neither is set.
  public var mapEndpoint: String?

  public init(_ sensor: SovrenSensor) {
    let name = NamespacedName(namespace: sensor.metadata.namespace ?? "", name: sensor.metadata.name ?? "")
    let kafka = sensor.spec.kafka
    self.sensor = name
    runsKafka = kafka.embedded != nil || kafka.external == nil
    if runsKafka {
      bootstrapServers = [
        "\(Self.host(SensorLayout.name(sensor: name, component: .kafka), in: name)):\(RolePorts.kafka)"
      ]
    } else {
      bootstrapServers = kafka.external?.bootstrapServers ?? []
    }
    topic = kafka.topic
    consumerGroup = "sovren-digger-\(name.name)"
    detectorURL =
      "http://\(Self.host(SensorLayout.name(sensor: name, component: .detector), in: name)):\(RolePorts.detector)"
    if sensor.spec.map.deploy {
      mapEndpoint = "\(Self.host(SensorLayout.name(sensor: name, component: .map), in: name)):\(RolePorts.mapGRPC)"
    } else {
      mapEndpoint = sensor.spec.map.endpoint
    }
  }

  /// The embedded broker's own address: its pod's stable name through the headless Service.
  public var kafkaPodHost: String {
    let pod = "\(SensorLayout.name(sensor: sensor, component: .kafka))-0"
    let headless = SensorLayout.name(sensor: sensor, component: .kafka, suffix: "headless")
    return "\(pod).\(Self.host(headless, in: sensor))"
  }

  static func host(_ service: String, in sensor: NamespacedName) -> String {
    "\(service).\(sensor.namespace).svc"
  }
}
