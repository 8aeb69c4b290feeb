import Foundation
import KubeModel

/// The embedded Kafka: a single-node KRaft broker and controller in a StatefulSet of one, run
/// from the Apache Kafka image (configured through its `KAFKA_*` environment variables), with a
/// headless Service that gives the pod its stable name and a client Service for bootstrapping.
/// Nothing here when `kafka.external` names the user's brokers.
extension DesiredState {
  /// The Apache Kafka image's user (`appuser`).
  static let kafkaUser: Int64 = 1000
  static let kafkaDataPath = "/var/lib/kafka/data"

  static func kafka(_ scope: SensorScope) -> [DesiredChild] {
    let embedded = scope.spec.kafka.embedded ?? SovrenSensor.Kafka.Embedded()
    let headless = scope.name(.kafka, suffix: "headless")
    let ports = [("kafka", RolePorts.kafka), ("controller", RolePorts.kafkaController)]
    let container: JSONValue = [
      "name": "kafka", "image": .string(embedded.image), "imagePullPolicy": "IfNotPresent",
      "ports": SensorScope.containerPorts(ports), "env": .array(kafkaEnvironment(scope, embedded)),
      "resources": ["requests": ["cpu": "100m", "memory": "768Mi"], "limits": ["memory": "1Gi"]],
      "readinessProbe": SensorScope.tcpProbe(port: "kafka", initialDelay: 5, period: 10),
      "livenessProbe": SensorScope.tcpProbe(port: "kafka", initialDelay: 60, period: 20, failureThreshold: 6),
      "volumeMounts": [["name": "data", "mountPath": .string(kafkaDataPath)]],
      // The image writes its configuration under /opt/kafka at start.
      "securityContext": SensorScope.containerSecurity(readOnlyRootFilesystem: false),
    ]
    var podSpec: [String: JSONValue] = [
      "automountServiceAccountToken": false,
      // Service links would add `<SERVICE>_PORT` variables, which the image reads as settings
      // when a Service name starts with `kafka`.
      "enableServiceLinks": false,
      "securityContext": SensorScope.restrictedPodSecurity(user: kafkaUser, fsGroup: kafkaUser),
      "containers": [container],
    ]
    var spec: [String: JSONValue] = [
      "replicas": 1, "serviceName": .string(headless), "selector": scope.selector(.kafka),
    ]
    let storage = embedded.storage
    switch storage.type {
    case .emptyDir:
      podSpec["volumes"] = [["name": "data", "emptyDir": ["sizeLimit": .string(storage.size)]]]
    case .persistentVolumeClaim:
      var claim: [String: JSONValue] = [
        "accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": .string(storage.size)]],
      ]
      if let storageClass = storage.storageClassName { claim["storageClassName"] = .string(storageClass) }
      spec["volumeClaimTemplates"] = [["metadata": ["name": "data"], "spec": .object(claim)]]
    }
    spec["template"] = scope.podTemplate(.kafka, podSpec)
    return [
      scope.service(.kafka, name: headless, ports: ports, headless: true),
      scope.service(.kafka, name: scope.name(.kafka), ports: [("kafka", RolePorts.kafka)]),
      scope.child(.statefulSet, .kafka, name: scope.name(.kafka), ["spec": .object(spec)]),
    ]
  }

  /// KRaft in one process: node 1 is broker and controller, votes alone, advertises its stable
  /// DNS name, and keeps every internal topic with one replica.
  static func kafkaEnvironment(_ scope: SensorScope, _ embedded: SovrenSensor.Kafka.Embedded) -> [JSONValue] {
    let host = scope.connections.kafkaPodHost
    let settings: [(String, String)] = [
      ("CLUSTER_ID", kafkaClusterID(scope.sensor)),
      ("KAFKA_NODE_ID", "1"),
      ("KAFKA_PROCESS_ROLES", "broker,controller"),
      ("KAFKA_LISTENERS", "PLAINTEXT://:\(RolePorts.kafka),CONTROLLER://:\(RolePorts.kafkaController)"),
      ("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://\(host):\(RolePorts.kafka)"),
      ("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"),
      ("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER"),
      ("KAFKA_INTER_BROKER_LISTENER_NAME", "PLAINTEXT"),
      ("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@\(host):\(RolePorts.kafkaController)"),
      ("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1"),
      ("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1"),
      ("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1"),
      ("KAFKA_DEFAULT_REPLICATION_FACTOR", "1"),
      // A directory below the mount: a fresh volume's root may hold lost+found, which Kafka
      // would take for a partition.
      ("KAFKA_LOG_DIRS", "\(kafkaDataPath)/logs"),
      ("KAFKA_LOG_RETENTION_HOURS", String(embedded.retentionHours)),
      ("KAFKA_NUM_PARTITIONS", String(scope.spec.kafka.partitions)),
      ("KAFKA_HEAP_OPTS", "-Xms512m -Xmx512m"),
    ]
    return settings.map { SensorScope.env($0.0, $0.1) }
  }

  /// A KRaft cluster id (16 bytes, URL-safe base64 without padding) that stays the same for a
  /// sensor of this name in this namespace, so a broker on a kept volume finds its own data.
  static func kafkaClusterID(_ sensor: NamespacedName) -> String {
    var bytes: [UInt8] = []
    for part in ["high", "low"] {
      let value = AppliedHash.fnv1a64Value("sovren-kafka/\(part)/\(sensor.namespace)/\(sensor.name)")
      bytes += (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * UInt64($0))) }
    }
    return Data(bytes).base64EncodedString()
      .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
  }
}
