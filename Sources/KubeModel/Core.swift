import Foundation

// core/v1: the kinds the operator, the digger and the install manifests use. Fields the project
// reads or writes are typed; the less-used parts of pod specs are kept as `JSONValue`, whole, so
// they survive a read and a server-side apply without a model of every Kubernetes field.

/// A namespace. Deleting one deletes everything in it first.
public struct Namespace: KubeResource, Hashable {
  public static let group = ""
  public static let version = "v1"
  public static let kind = "Namespace"
  public static let plural = "namespaces"
  public static let namespaced = false

  public var metadata: ObjectMeta
  public var spec: Spec?
  public var status: Status?

  public struct Spec: Codable, Sendable, Hashable {
    public var finalizers: [String]?
    public init(finalizers: [String]? = nil) { self.finalizers = finalizers }
  }

  public struct Status: Codable, Sendable, Hashable {
    /// `Active` or `Terminating`.
    public var phase: String?
    public init(phase: String? = nil) { self.phase = phase }
  }

  public init(metadata: ObjectMeta = ObjectMeta(), spec: Spec? = nil, status: Status? = nil) {
    self.metadata = metadata
    self.spec = spec
    self.status = status
  }
}

/// A machine of the cluster, with the addresses pods on it are reached through.
public struct Node: KubeResource, Hashable {
  public static let group = ""
  public static let version = "v1"
  public static let kind = "Node"
  public static let plural = "nodes"
  public static let namespaced = false

  public var metadata: ObjectMeta
  public var spec: Spec?
  public var status: Status?

  public struct Spec: Codable, Sendable, Hashable {
    public var podCIDR: String?
    public var podCIDRs: [String]?
    public var providerID: String?
    public var unschedulable: Bool?
    public var taints: [JSONValue]?

    public init(
      podCIDR: String? = nil, podCIDRs: [String]? = nil, providerID: String? = nil, unschedulable: Bool? = nil,
      taints: [JSONValue]? = nil
    ) {
      self.podCIDR = podCIDR
      self.podCIDRs = podCIDRs
      self.providerID = providerID
      self.unschedulable = unschedulable
      self.taints = taints
    }
  }

  public struct Status: Codable, Sendable, Hashable {
    public var addresses: [Address]?
    public var conditions: [NodeCondition]?
    /// Resource name to quantity, such as `cpu: "4"`, `memory: 16Gi`.
    public var capacity: [String: String]?
    public var allocatable: [String: String]?
    public var nodeInfo: JSONValue?

    public init(
      addresses: [Address]? = nil, conditions: [NodeCondition]? = nil, capacity: [String: String]? = nil,
      allocatable: [String: String]? = nil, nodeInfo: JSONValue? = nil
    ) {
      self.addresses = addresses
      self.conditions = conditions
      self.capacity = capacity
      self.allocatable = allocatable
      self.nodeInfo = nodeInfo
    }
  }

  public struct Address: Codable, Sendable, Hashable {
    /// `InternalIP`, `ExternalIP`, `Hostname`, `InternalDNS` or `ExternalDNS`.
    public var type: String
    public var address: String
    public init(type: String, address: String) {
      self.type = type
      self.address = address
    }
  }

  public init(metadata: ObjectMeta = ObjectMeta(), spec: Spec? = nil, status: Status? = nil) {
    self.metadata = metadata
    self.spec = spec
    self.status = status
  }
}

public struct NodeCondition: Codable, Sendable, Hashable {
  /// `Ready`, `MemoryPressure`, `DiskPressure`, `PIDPressure`, `NetworkUnavailable`.
  public var type: String
  public var status: String
  public var lastHeartbeatTime: Timestamp?
  public var lastTransitionTime: Timestamp?
  public var reason: String?
  public var message: String?

  public init(
    type: String, status: String, reason: String? = nil, message: String? = nil,
    lastHeartbeatTime: Timestamp? = nil, lastTransitionTime: Timestamp? = nil
  ) {
    self.type = type
    self.status = status
    self.reason = reason
    self.message = message
    self.lastHeartbeatTime = lastHeartbeatTime
    self.lastTransitionTime = lastTransitionTime
  }
}

// MARK: - Pods

public struct Pod: KubeResource, Hashable {
  public static let group = ""
  public static let version = "v1"
  public static let kind = "Pod"
  public static let plural = "pods"
  public static let namespaced = true

  public var metadata: ObjectMeta
  public var spec: PodSpec?
  public var status: PodStatus?

  public init(metadata: ObjectMeta = ObjectMeta(), spec: PodSpec? = nil, status: PodStatus? = nil) {
    self.metadata = metadata
    self.spec = spec
    self.status = status
  }
}

/// What a pod runs and where. The fields the project sets are typed; the rest (affinity,
/// tolerations, volumes, security contexts) are `JSONValue`.
public struct PodSpec: Codable, Sendable, Hashable {
  public var containers: [Container]
  public var initContainers: [Container]?
  /// Set by the scheduler, or by a client to bypass it.
  public var nodeName: String?
  public var nodeSelector: [String: String]?
  public var serviceAccountName: String?
  public var automountServiceAccountToken: Bool?
  /// The pod shares the node's network namespace: it sees the node's interfaces.
  public var hostNetwork: Bool?
  public var hostPID: Bool?
  /// `ClusterFirst`, `ClusterFirstWithHostNet`, `Default` or `None`.
  public var dnsPolicy: String?
  /// `Always`, `OnFailure` or `Never`.
  public var restartPolicy: String?
  public var priorityClassName: String?
  public var terminationGracePeriodSeconds: Int64?
  public var imagePullSecrets: [LocalObjectReference]?
  public var volumes: [JSONValue]?
  public var tolerations: [JSONValue]?
  public var affinity: JSONValue?
  public var securityContext: JSONValue?

  public init(
    containers: [Container], initContainers: [Container]? = nil, nodeName: String? = nil,
    nodeSelector: [String: String]? = nil, serviceAccountName: String? = nil,
    automountServiceAccountToken: Bool? = nil, hostNetwork: Bool? = nil, hostPID: Bool? = nil,
    dnsPolicy: String? = nil, restartPolicy: String? = nil, priorityClassName: String? = nil,
    terminationGracePeriodSeconds: Int64? = nil, imagePullSecrets: [LocalObjectReference]? = nil,
    volumes: [JSONValue]? = nil, tolerations: [JSONValue]? = nil, affinity: JSONValue? = nil,
    securityContext: JSONValue? = nil
  ) {
    self.containers = containers
    self.initContainers = initContainers
    self.nodeName = nodeName
    self.nodeSelector = nodeSelector
    self.serviceAccountName = serviceAccountName
    self.automountServiceAccountToken = automountServiceAccountToken
    self.hostNetwork = hostNetwork
    self.hostPID = hostPID
    self.dnsPolicy = dnsPolicy
    self.restartPolicy = restartPolicy
    self.priorityClassName = priorityClassName
    self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
    self.imagePullSecrets = imagePullSecrets
    self.volumes = volumes
    self.tolerations = tolerations
    self.affinity = affinity
    self.securityContext = securityContext
  }
}

public struct Container: Codable, Sendable, Hashable {
  public var name: String
  public var image: String?
  /// `Always`, `IfNotPresent` or `Never`.
  public var imagePullPolicy: String?
  public var command: [String]?
  public var args: [String]?
  public var workingDir: String?
  public var env: [EnvVar]?
  public var ports: [ContainerPort]?
  public var resources: ResourceRequirements?
  public var envFrom: [JSONValue]?
  public var volumeMounts: [JSONValue]?
  public var livenessProbe: JSONValue?
  public var readinessProbe: JSONValue?
  public var startupProbe: JSONValue?
  public var securityContext: JSONValue?

  public init(
    name: String, image: String? = nil, imagePullPolicy: String? = nil, command: [String]? = nil,
    args: [String]? = nil, workingDir: String? = nil, env: [EnvVar]? = nil, ports: [ContainerPort]? = nil,
    resources: ResourceRequirements? = nil, envFrom: [JSONValue]? = nil, volumeMounts: [JSONValue]? = nil,
    livenessProbe: JSONValue? = nil, readinessProbe: JSONValue? = nil, startupProbe: JSONValue? = nil,
    securityContext: JSONValue? = nil
  ) {
    self.name = name
    self.image = image
    self.imagePullPolicy = imagePullPolicy
    self.command = command
    self.args = args
    self.workingDir = workingDir
    self.env = env
    self.ports = ports
    self.resources = resources
    self.envFrom = envFrom
    self.volumeMounts = volumeMounts
    self.livenessProbe = livenessProbe
    self.readinessProbe = readinessProbe
    self.startupProbe = startupProbe
    self.securityContext = securityContext
  }
}

public struct EnvVar: Codable, Sendable, Hashable {
  public var name: String
  public var value: String?
  /// A reference to a field, a ConfigMap or Secret key, or a resource, such as
  /// `{"fieldRef": {"fieldPath": "spec.nodeName"}}`.
  public var valueFrom: JSONValue?

  public init(name: String, value: String? = nil, valueFrom: JSONValue? = nil) {
    self.name = name
    self.value = value
    self.valueFrom = valueFrom
  }
}

public struct ContainerPort: Codable, Sendable, Hashable {
  public var name: String?
  public var containerPort: Int32
  public var hostPort: Int32?
  /// `TCP`, `UDP` or `SCTP`.
  public var `protocol`: String?

  public init(name: String? = nil, containerPort: Int32, hostPort: Int32? = nil, protocol: String? = nil) {
    self.name = name
    self.containerPort = containerPort
    self.hostPort = hostPort
    self.protocol = `protocol`
  }
}

/// Requests and limits: resource name to quantity (`cpu: 100m`, `memory: 128Mi`).
public struct ResourceRequirements: Codable, Sendable, Hashable {
  public var requests: [String: String]?
  public var limits: [String: String]?

  public init(requests: [String: String]? = nil, limits: [String: String]? = nil) {
    self.requests = requests
    self.limits = limits
  }
}

public struct PodStatus: Codable, Sendable, Hashable {
  /// `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`.
  public var phase: String?
  public var podIP: String?
  /// Every IP of the pod (one per address family), the first equal to `podIP`.
  public var podIPs: [PodIP]?
  /// The IP of the node the pod runs on.
  public var hostIP: String?
  public var hostIPs: [PodIP]?
  public var conditions: [PodCondition]?
  public var startTime: Timestamp?
  public var reason: String?
  public var message: String?
  public var containerStatuses: [JSONValue]?

  public init(
    phase: String? = nil, podIP: String? = nil, podIPs: [PodIP]? = nil, hostIP: String? = nil,
    hostIPs: [PodIP]? = nil, conditions: [PodCondition]? = nil, startTime: Timestamp? = nil, reason: String? = nil,
    message: String? = nil, containerStatuses: [JSONValue]? = nil
  ) {
    self.phase = phase
    self.podIP = podIP
    self.podIPs = podIPs
    self.hostIP = hostIP
    self.hostIPs = hostIPs
    self.conditions = conditions
    self.startTime = startTime
    self.reason = reason
    self.message = message
    self.containerStatuses = containerStatuses
  }
}

public struct PodIP: Codable, Sendable, Hashable {
  public var ip: String
  public init(ip: String) { self.ip = ip }
}

public struct PodCondition: Codable, Sendable, Hashable {
  /// `PodScheduled`, `Initialized`, `ContainersReady`, `Ready`, …
  public var type: String
  public var status: String
  public var lastProbeTime: Timestamp?
  public var lastTransitionTime: Timestamp?
  public var reason: String?
  public var message: String?

  public init(
    type: String, status: String, reason: String? = nil, message: String? = nil, lastProbeTime: Timestamp? = nil,
    lastTransitionTime: Timestamp? = nil
  ) {
    self.type = type
    self.status = status
    self.reason = reason
    self.message = message
    self.lastProbeTime = lastProbeTime
    self.lastTransitionTime = lastTransitionTime
  }
}

/// The pod a workload stamps out: its labels and its spec.
public struct PodTemplateSpec: Codable, Sendable, Hashable {
  public var metadata: ObjectMeta?
  public var spec: PodSpec?

  public init(metadata: ObjectMeta? = nil, spec: PodSpec? = nil) {
    self.metadata = metadata
    self.spec = spec
  }
}

// MARK: - Services

/// A port number or a named port: `targetPort: 8080` or `targetPort: http`.
public enum IntOrString: Codable, Sendable, Hashable, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
  case int(Int32)
  case string(String)

  public init(integerLiteral value: Int32) { self = .int(value) }
  public init(stringLiteral value: String) { self = .string(value) }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let number = try? container.decode(Int32.self) {
      self = .int(number)
    } else {
      self = .string(try container.decode(String.self))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .int(let number): try container.encode(number)
    case .string(let text): try container.encode(text)
    }
  }
}

public struct Service: KubeResource, Hashable {
  public static let group = ""
  public static let version = "v1"
  public static let kind = "Service"
  public static let plural = "services"
  public static let namespaced = true

  public var metadata: ObjectMeta
  public var spec: Spec?
  public var status: JSONValue?

  public struct Spec: Codable, Sendable, Hashable {
    /// `ClusterIP`, `NodePort`, `LoadBalancer` or `ExternalName`.
    public var type: String?
    /// `None` for a headless service.
    public var clusterIP: String?
    public var clusterIPs: [String]?
    public var ports: [ServicePort]?
    /// The labels of the pods the service sends traffic to.
    public var selector: [String: String]?
    public var externalName: String?
    public var sessionAffinity: String?
    public var ipFamilies: [String]?

    public init(
      type: String? = nil, clusterIP: String? = nil, clusterIPs: [String]? = nil, ports: [ServicePort]? = nil,
      selector: [String: String]? = nil, externalName: String? = nil, sessionAffinity: String? = nil,
      ipFamilies: [String]? = nil
    ) {
      self.type = type
      self.clusterIP = clusterIP
      self.clusterIPs = clusterIPs
      self.ports = ports
      self.selector = selector
      self.externalName = externalName
      self.sessionAffinity = sessionAffinity
      self.ipFamilies = ipFamilies
    }
  }

  public init(metadata: ObjectMeta = ObjectMeta(), spec: Spec? = nil, status: JSONValue? = nil) {
    self.metadata = metadata
    self.spec = spec
    self.status = status
  }
}

public struct ServicePort: Codable, Sendable, Hashable {
  public var name: String?
  public var `protocol`: String?
  public var port: Int32
  public var targetPort: IntOrString?
  public var nodePort: Int32?
  public var appProtocol: String?

  public init(
    name: String? = nil, protocol: String? = nil, port: Int32, targetPort: IntOrString? = nil,
    nodePort: Int32? = nil, appProtocol: String? = nil
  ) {
    self.name = name
    self.protocol = `protocol`
    self.port = port
    self.targetPort = targetPort
    self.nodePort = nodePort
    self.appProtocol = appProtocol
  }
}

/// The addresses behind a service, as the endpoints controller lists them.
public struct Endpoints: KubeResource, Hashable {
  public static let group = ""
  public static let version = "v1"
  public static let kind = "Endpoints"
  public static let plural = "endpoints"
  public static let namespaced = true

  public var metadata: ObjectMeta
  public var subsets: [Subset]?

  public struct Subset: Codable, Sendable, Hashable {
    public var addresses: [Address]?
    public var notReadyAddresses: [Address]?
    public var ports: [Port]?

    public init(addresses: [Address]? = nil, notReadyAddresses: [Address]? = nil, ports: [Port]? = nil) {
      self.addresses = addresses
      self.notReadyAddresses = notReadyAddresses
      self.ports = ports
    }
  }

  public struct Address: Codable, Sendable, Hashable {
    public var ip: String
    public var hostname: String?
    public var nodeName: String?
    /// Usually the pod behind the address.
    public var targetRef: ObjectReference?

    public init(ip: String, hostname: String? = nil, nodeName: String? = nil, targetRef: ObjectReference? = nil) {
      self.ip = ip
      self.hostname = hostname
      self.nodeName = nodeName
      self.targetRef = targetRef
    }
  }

  public struct Port: Codable, Sendable, Hashable {
    public var name: String?
    public var port: Int32
    public var `protocol`: String?
    public var appProtocol: String?

    public init(name: String? = nil, port: Int32, protocol: String? = nil, appProtocol: String? = nil) {
      self.name = name
      self.port = port
      self.protocol = `protocol`
      self.appProtocol = appProtocol
    }
  }

  public init(metadata: ObjectMeta = ObjectMeta(), subsets: [Subset]? = nil) {
    self.metadata = metadata
    self.subsets = subsets
  }
}

// MARK: - Configuration and identity

public struct ConfigMap: KubeResource, Hashable {
  public static let group = ""
  public static let version = "v1"
  public static let kind = "ConfigMap"
  public static let plural = "configmaps"
  public static let namespaced = true

  public var metadata: ObjectMeta
  public var data: [String: String]?
  /// Values that are not UTF-8; base64 on the wire, bytes here.
  public var binaryData: [String: Data]?
  public var immutable: Bool?

  public init(
    metadata: ObjectMeta = ObjectMeta(), data: [String: String]? = nil, binaryData: [String: Data]? = nil,
    immutable: Bool? = nil
  ) {
    self.metadata = metadata
    self.data = data
    self.binaryData = binaryData
    self.immutable = immutable
  }
}

public struct Secret: KubeResource, Hashable {
  public static let group = ""
  public static let version = "v1"
  public static let kind = "Secret"
  public static let plural = "secrets"
  public static let namespaced = true

  public var metadata: ObjectMeta
  /// Such as `Opaque` or `kubernetes.io/tls`.
  public var type: String?
  /// The values; base64 on the wire, bytes here.
  public var data: [String: Data]?
  /// Plain-text values the server moves into `data` on write; never read back.
  public var stringData: [String: String]?
  public var immutable: Bool?

  public init(
    metadata: ObjectMeta = ObjectMeta(), type: String? = nil, data: [String: Data]? = nil,
    stringData: [String: String]? = nil, immutable: Bool? = nil
  ) {
    self.metadata = metadata
    self.type = type
    self.data = data
    self.stringData = stringData
    self.immutable = immutable
  }
}

public struct ServiceAccount: KubeResource, Hashable {
  public static let group = ""
  public static let version = "v1"
  public static let kind = "ServiceAccount"
  public static let plural = "serviceaccounts"
  public static let namespaced = true

  public var metadata: ObjectMeta
  public var secrets: [ObjectReference]?
  public var imagePullSecrets: [LocalObjectReference]?
  public var automountServiceAccountToken: Bool?

  public init(
    metadata: ObjectMeta = ObjectMeta(), secrets: [ObjectReference]? = nil,
    imagePullSecrets: [LocalObjectReference]? = nil, automountServiceAccountToken: Bool? = nil
  ) {
    self.metadata = metadata
    self.secrets = secrets
    self.imagePullSecrets = imagePullSecrets
    self.automountServiceAccountToken = automountServiceAccountToken
  }
}

/// A core/v1 Event: something that happened to an object, as `kubectl describe` shows it.
public struct Event: KubeResource, Hashable {
  public static let group = ""
  public static let version = "v1"
  public static let kind = "Event"
  public static let plural = "events"
  public static let namespaced = true

  public var metadata: ObjectMeta
  /// The object the event is about.
  public var involvedObject: ObjectReference
  /// CamelCase, such as `SensorReady`.
  public var reason: String?
  public var message: String?
  /// `Normal` or `Warning`.
  public var type: String?
  public var source: Source?
  public var firstTimestamp: Timestamp?
  public var lastTimestamp: Timestamp?
  public var count: Int32?
  public var eventTime: MicroTimestamp?
  public var action: String?
  public var reportingComponent: String?
  public var reportingInstance: String?

  public struct Source: Codable, Sendable, Hashable {
    public var component: String?
    public var host: String?
    public init(component: String? = nil, host: String? = nil) {
      self.component = component
      self.host = host
    }
  }

  public init(
    metadata: ObjectMeta = ObjectMeta(), involvedObject: ObjectReference, reason: String? = nil,
    message: String? = nil, type: String? = nil, source: Source? = nil, firstTimestamp: Timestamp? = nil,
    lastTimestamp: Timestamp? = nil, count: Int32? = nil, eventTime: MicroTimestamp? = nil, action: String? = nil,
    reportingComponent: String? = nil, reportingInstance: String? = nil
  ) {
    self.metadata = metadata
    self.involvedObject = involvedObject
    self.reason = reason
    self.message = message
    self.type = type
    self.source = source
    self.firstTimestamp = firstTimestamp
    self.lastTimestamp = lastTimestamp
    self.count = count
    self.eventTime = eventTime
    self.action = action
    self.reportingComponent = reportingComponent
    self.reportingInstance = reportingInstance
  }
}
