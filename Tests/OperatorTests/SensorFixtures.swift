import Foundation
import KubeModel
import Operator

/// Sensors the desired-state tests build children of, and ways to look into those children.
enum SensorFixtures {
  static let uid = "5f0c2d9e-7a41-4d0b-9c3e-1b2a3c4d5e6f"

  /// A sensor as read from the API server: named, in a namespace, with a uid.
  static func sensor(
    _ spec: SovrenSensor.Spec = SovrenSensor.Spec(image: "sovren:1"), name: String = "edge"
  )
    -> SovrenSensor
  {
    SovrenSensor(metadata: ObjectMeta(name: name, namespace: "sovren", uid: uid), spec: spec)
  }

  /// A spec with something set in every section: selected nodes with one toleration, limits off
  /// their defaults, persistent Kafka storage, two digger replicas and a map deployed here.
  static var sampleSpec: SovrenSensor.Spec {
    SovrenSensor.Spec(
      image: "registry.example/sovren:0.3.0",
      interceptor: SovrenSensor.Interceptor(
        nodeSelector: ["kubernetes.io/os": "linux", "sovren.io/capture": "true"],
        tolerations: [
          SovrenSensor.Toleration(key: "dedicated", operator: .equal, value: "edge", effect: .noSchedule),
          SovrenSensor.Toleration(
            key: "node.kubernetes.io/unreachable", operator: .exists, effect: .noExecute, tolerationSeconds: 30),
        ],
        resources: ResourceRequirements(
          requests: ["cpu": "250m", "memory": "256Mi"], limits: ["cpu": "1", "memory": "1Gi"]),
        bodyLimit: 524_288, responseTimeoutSeconds: 15, excludePaths: ["/metrics", "/healthz", "/ping"],
        maxHeaderBytes: 32_768, maxConnections: 10_000, idleTimeoutSeconds: 120, maxConnectionBuffer: 2_097_152,
        maxTotalBuffer: 33_554_432),
      kafka: SovrenSensor.Kafka(
        embedded: SovrenSensor.Kafka.Embedded(
          storage: SovrenSensor.Kafka.Storage(type: .persistentVolumeClaim, size: "20Gi", storageClassName: "fast"),
          retentionHours: 48),
        topic: "pairs.edge", partitions: 6),
      digger: SovrenSensor.Digger(
        replicas: 2, samplingBudget: 30,
        namespaces: SovrenSensor.NamespaceFilter(include: ["shop-*", "payments"], exclude: ["shop-test"])),
      detector: SovrenSensor.Detector(replicas: 3),
      map: SovrenSensor.Map(deploy: true, tokenSecretRef: SovrenSensor.SecretKeyReference(name: "map-token")))
  }

  static var sample: SovrenSensor { sensor(sampleSpec) }

  /// A sensor whose spec has one change made to the defaults.
  static func sensor(changing change: (inout SovrenSensor.Spec) -> Void) -> SovrenSensor {
    var spec = SovrenSensor.Spec(image: "sovren:1")
    change(&spec)
    return sensor(spec)
  }
}

extension [DesiredChild] {
  /// The one child of this kind and name; nil when there is none.
  func child(_ kind: ChildKind, _ name: String) -> JSONValue? {
    first { $0.kind == kind && $0.name == name }?.object
  }

  /// The workloads (DaemonSets, Deployments, StatefulSets).
  var workloads: [DesiredChild] { filter { [.daemonSet, .deployment, .statefulSet].contains($0.kind) } }
}

extension JSONValue {
  /// The pod template's first container.
  var container: JSONValue? { self[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first }
  var podSpec: JSONValue? { self[path: ["spec", "template", "spec"]] }
  var args: [String] { container?["args"]?.arrayValue?.compactMap(\.stringValue) ?? [] }

  /// The values following each occurrence of `flag` in a container's args.
  func values(of flag: String) -> [String] {
    let arguments = args
    return arguments.indices.dropLast().filter { arguments[$0] == flag }.map { arguments[$0 + 1] }
  }

  /// The single value of `flag`; nil when it is missing or repeated.
  func value(of flag: String) -> String? {
    let found = values(of: flag)
    return found.count == 1 ? found[0] : nil
  }

  /// A container's environment variable of this name.
  func env(_ name: String) -> JSONValue? {
    container?["env"]?.arrayValue?.first { $0["name"]?.stringValue == name }
  }
}
