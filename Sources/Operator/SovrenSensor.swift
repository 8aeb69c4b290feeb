import KubeModel

/// One Sovren installation in a namespace: what the operator turns into an interceptor
/// DaemonSet, Kafka, diggers, detectors and the map.
///
/// Every default lives in the CRD schema (`SensorCRD`), so an object read from the API server
/// has every defaulted field set; the memberwise initialisers use the same values, and a test
/// keeps the two equal.
public struct SovrenSensor: KubeResource, Hashable {
  public static let group = "sovren.io"
  public static let version = "v1alpha1"
  public static let kind = "SovrenSensor"
  public static let plural = "sovrensensors"
  public static let singular = "sovrensensor"
  public static let shortName = "sensor"
  public static let namespaced = true

  public var metadata: ObjectMeta
  public var spec: Spec
  public var status: Status?

  public init(metadata: ObjectMeta = ObjectMeta(), spec: Spec, status: Status? = nil) {
    self.metadata = metadata
    self.spec = spec
    self.status = status
  }
}

// MARK: - Spec

extension SovrenSensor {
  public struct Spec: Codable, Sendable, Hashable {
    /// The one image every role runs (`sovren <role>`).
    public var image: String
    public var interceptor: Interceptor
    public var kafka: Kafka
    public var digger: Digger
    public var detector: Detector
    public var map: Map

    public init(
      image: String, interceptor: Interceptor = Interceptor(), kafka: Kafka = Kafka(), digger: Digger = Digger(),
      detector: Detector = Detector(), map: Map = Map()
    ) {
      self.image = image
      self.interceptor = interceptor
      self.kafka = kafka
      self.digger = digger
      self.detector = detector
      self.map = map
    }
  }

  /// The capture DaemonSet: where it runs and the limits and filters of `sovren capture`.
  public struct Interceptor: Codable, Sendable, Hashable {
    public static let defaultExcludePaths = ["/metrics", "/healthz", "/api/health", "/api/v2/alive", "/api/v2/detect"]

    public var nodeSelector: [String: String]?
    /// Every node by default: one toleration that tolerates every taint.
    public var tolerations: [Toleration]
    public var resources: ResourceRequirements
    /// Bytes kept per body, as sent and decoded, and for both bodies of a pair together.
    public var bodyLimit: Int64
    /// Seconds of packet time a request waits for its response.
    public var responseTimeoutSeconds: Int64
    /// Request paths (query ignored) whose pairs are dropped.
    public var excludePaths: [String]
    public var maxHeaderBytes: Int64
    public var maxConnections: Int64
    public var idleTimeoutSeconds: Int64
    public var maxConnectionBuffer: Int64
    public var maxTotalBuffer: Int64

    public init(
      nodeSelector: [String: String]? = nil, tolerations: [Toleration] = [Toleration(operator: .exists)],
      resources: ResourceRequirements = ResourceRequirements(
        requests: ["cpu": "100m", "memory": "128Mi"], limits: ["memory": "512Mi"]),
      bodyLimit: Int64 = 1_048_576, responseTimeoutSeconds: Int64 = 30,
      excludePaths: [String] = Interceptor.defaultExcludePaths, maxHeaderBytes: Int64 = 65_536,
      maxConnections: Int64 = 65_536, idleTimeoutSeconds: Int64 = 300, maxConnectionBuffer: Int64 = 4_194_304,
      maxTotalBuffer: Int64 = 67_108_864
    ) {
      self.nodeSelector = nodeSelector
      self.tolerations = tolerations
      self.resources = resources
      self.bodyLimit = bodyLimit
      self.responseTimeoutSeconds = responseTimeoutSeconds
      self.excludePaths = excludePaths
      self.maxHeaderBytes = maxHeaderBytes
      self.maxConnections = maxConnections
      self.idleTimeoutSeconds = idleTimeoutSeconds
      self.maxConnectionBuffer = maxConnectionBuffer
      self.maxTotalBuffer = maxTotalBuffer
    }
  }

  /// A pod toleration (core/v1 Toleration).
  public struct Toleration: Codable, Sendable, Hashable {
    public enum Operator: String, Codable, Sendable, Hashable, CaseIterable {
      case exists = "Exists"
      case equal = "Equal"
    }
    public enum Effect: String, Codable, Sendable, Hashable, CaseIterable {
      case noSchedule = "NoSchedule"
      case preferNoSchedule = "PreferNoSchedule"
      case noExecute = "NoExecute"
    }

    public var key: String?
    public var `operator`: Operator?
    public var value: String?
    /// Nil tolerates every effect.
    public var effect: Effect?
    public var tolerationSeconds: Int64?

    public init(
      key: String? = nil, operator: Operator? = nil, value: String? = nil, effect: Effect? = nil,
      tolerationSeconds: Int64? = nil
    ) {
      self.key = key
      self.operator = `operator`
      self.value = value
      self.effect = effect
      self.tolerationSeconds = tolerationSeconds
    }
  }

  /// Where pairs go: a Kafka the operator runs (`embedded`, the default) or the user's own
  /// (`external`). Setting both is reported in status as a spec to fix.
  public struct Kafka: Codable, Sendable, Hashable {
    public var embedded: Embedded?
    public var external: External?
    public var topic: String
    public var partitions: Int64

    public init(
      embedded: Embedded? = Embedded(), external: External? = nil, topic: String = "sovren.pairs",
      partitions: Int64 = 12
    ) {
      self.embedded = embedded
      self.external = external
      self.topic = topic
      self.partitions = partitions
    }

    /// A single-node KRaft StatefulSet.
    public struct Embedded: Codable, Sendable, Hashable {
      public static let defaultImage = "apache/kafka:3.9.1"

      /// The Apache Kafka image the broker runs (not the sovren image).
      public var image: String
      public var storage: Storage
      public var retentionHours: Int64

      public init(image: String = Embedded.defaultImage, storage: Storage = Storage(), retentionHours: Int64 = 24) {
        self.image = image
        self.storage = storage
        self.retentionHours = retentionHours
      }
    }

    public struct Storage: Codable, Sendable, Hashable {
      public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
        case emptyDir = "EmptyDir"
        case persistentVolumeClaim = "PersistentVolumeClaim"
      }

      public var type: Kind
      /// The claim's size (a quantity such as `10Gi`); the emptyDir's size limit.
      public var size: String
      /// The claim's storage class; nil for the cluster's default.
      public var storageClassName: String?

      public init(type: Kind = .emptyDir, size: String = "10Gi", storageClassName: String? = nil) {
        self.type = type
        self.size = size
        self.storageClassName = storageClassName
      }
    }

    public struct External: Codable, Sendable, Hashable {
      /// `host:port` of at least one broker.
      public var bootstrapServers: [String]

      public init(bootstrapServers: [String]) { self.bootstrapServers = bootstrapServers }
    }
  }

  /// The consumers that sample pairs, ask the detector and export metadata to the map.
  public struct Digger: Codable, Sendable, Hashable {
    public var replicas: Int64
    /// Pairs per endpoint per minute sent to the detector; the rest only count.
    public var samplingBudget: Int64
    public var namespaces: NamespaceFilter

    public init(replicas: Int64 = 1, samplingBudget: Int64 = 60, namespaces: NamespaceFilter = NamespaceFilter()) {
      self.replicas = replicas
      self.samplingBudget = samplingBudget
      self.namespaces = namespaces
    }
  }

  /// Namespaces as glob patterns (`*`, `?`); a namespace counts when it matches an include and
  /// no exclude.
  public struct NamespaceFilter: Codable, Sendable, Hashable {
    public static let defaultExclude = ["kube-system", "kube-public", "kube-node-lease"]

    public var include: [String]
    public var exclude: [String]

    public init(include: [String] = ["*"], exclude: [String] = NamespaceFilter.defaultExclude) {
      self.include = include
      self.exclude = exclude
    }
  }

  public struct Detector: Codable, Sendable, Hashable {
    public var replicas: Int64
    public var resources: ResourceRequirements

    public init(
      replicas: Int64 = 1,
      resources: ResourceRequirements = ResourceRequirements(
        requests: ["cpu": "100m", "memory": "256Mi"], limits: ["memory": "1Gi"])
    ) {
      self.replicas = replicas
      self.resources = resources
    }
  }

  /// The data map: deployed by the operator, or an endpoint elsewhere with a token from a Secret.
  public struct Map: Codable, Sendable, Hashable {
    public var deploy: Bool
    /// The map's gRPC ingest address (`host:port`) when it is not deployed here.
    public var endpoint: String?
    public var tokenSecretRef: SecretKeyReference?

    public init(deploy: Bool = false, endpoint: String? = nil, tokenSecretRef: SecretKeyReference? = nil) {
      self.deploy = deploy
      self.endpoint = endpoint
      self.tokenSecretRef = tokenSecretRef
    }
  }

  /// A key of a Secret in the sensor's namespace.
  public struct SecretKeyReference: Codable, Sendable, Hashable {
    public var name: String
    public var key: String

    public init(name: String, key: String = "token") {
      self.name = name
      self.key = key
    }
  }
}

// MARK: - Status

extension SovrenSensor {
  public struct Status: Codable, Sendable, Hashable {
    /// The `metadata.generation` this status describes.
    public var observedGeneration: Int64?
    /// `Ready`, `Progressing` and `Degraded`.
    public var conditions: [Condition]?
    public var interceptor: InterceptorStatus?
    public var kafka: ReadinessStatus?
    public var digger: ReplicaStatus?
    public var detector: ReplicaStatus?
    public var map: ReadinessStatus?

    public init(
      observedGeneration: Int64? = nil, conditions: [Condition]? = nil, interceptor: InterceptorStatus? = nil,
      kafka: ReadinessStatus? = nil, digger: ReplicaStatus? = nil, detector: ReplicaStatus? = nil,
      map: ReadinessStatus? = nil
    ) {
      self.observedGeneration = observedGeneration
      self.conditions = conditions
      self.interceptor = interceptor
      self.kafka = kafka
      self.digger = digger
      self.detector = detector
      self.map = map
    }
  }

  /// The DaemonSet's counts. `summary` (`ready/desired`, such as `3/3`) exists for the
  /// INTERCEPTORS printer column, since a column shows one JSONPath value.
  public struct InterceptorStatus: Codable, Sendable, Hashable {
    public var desired: Int64
    public var ready: Int64
    public var updated: Int64
    public var summary: String

    public init(desired: Int64, ready: Int64, updated: Int64) {
      self.desired = desired
      self.ready = ready
      self.updated = updated
      self.summary = "\(ready)/\(desired)"
    }
  }

  /// A Deployment's counts; `summary` is `ready/desired` for the printer column.
  public struct ReplicaStatus: Codable, Sendable, Hashable {
    public var desired: Int64
    public var ready: Int64
    public var summary: String

    public init(desired: Int64, ready: Int64) {
      self.desired = desired
      self.ready = ready
      self.summary = "\(ready)/\(desired)"
    }
  }

  public struct ReadinessStatus: Codable, Sendable, Hashable {
    public var ready: Bool

    public init(ready: Bool) { self.ready = ready }
  }
}
