// apps/v1: the workloads the operator creates (the interceptor DaemonSet, the digger Deployment)
// and the ones the digger resolves pods to (through ReplicaSets and StatefulSets).

/// A condition of a workload's status (`Available`, `Progressing`, `ReplicaFailure`).
public struct WorkloadCondition: Codable, Sendable, Hashable {
  public var type: String
  public var status: String
  public var lastTransitionTime: Timestamp?
  /// Deployments only: when the condition was last probed.
  public var lastUpdateTime: Timestamp?
  public var reason: String?
  public var message: String?

  public init(
    type: String, status: String, reason: String? = nil, message: String? = nil,
    lastTransitionTime: Timestamp? = nil, lastUpdateTime: Timestamp? = nil
  ) {
    self.type = type
    self.status = status
    self.reason = reason
    self.message = message
    self.lastTransitionTime = lastTransitionTime
    self.lastUpdateTime = lastUpdateTime
  }
}

/// One pod on each node (that the template's node selector and tolerations allow).
public struct DaemonSet: KubeResource, Hashable {
  public static let group = "apps"
  public static let version = "v1"
  public static let kind = "DaemonSet"
  public static let plural = "daemonsets"
  public static let namespaced = true

  public var metadata: ObjectMeta
  public var spec: Spec?
  public var status: Status?

  public struct Spec: Codable, Sendable, Hashable {
    /// Must match the template's labels; immutable after creation.
    public var selector: LabelSelector
    public var template: PodTemplateSpec
    /// `{"type": "RollingUpdate", "rollingUpdate": {...}}` or `{"type": "OnDelete"}`.
    public var updateStrategy: JSONValue?
    public var minReadySeconds: Int32?
    public var revisionHistoryLimit: Int32?

    public init(
      selector: LabelSelector, template: PodTemplateSpec, updateStrategy: JSONValue? = nil,
      minReadySeconds: Int32? = nil, revisionHistoryLimit: Int32? = nil
    ) {
      self.selector = selector
      self.template = template
      self.updateStrategy = updateStrategy
      self.minReadySeconds = minReadySeconds
      self.revisionHistoryLimit = revisionHistoryLimit
    }
  }

  public struct Status: Codable, Sendable, Hashable {
    /// Nodes that should run the pod.
    public var desiredNumberScheduled: Int32?
    /// Nodes running the pod that should.
    public var currentNumberScheduled: Int32?
    /// Nodes running the pod that should not.
    public var numberMisscheduled: Int32?
    public var numberReady: Int32?
    public var numberAvailable: Int32?
    public var numberUnavailable: Int32?
    /// Nodes running the current template.
    public var updatedNumberScheduled: Int32?
    /// The `metadata.generation` these counters describe.
    public var observedGeneration: Int64?
    public var collisionCount: Int32?
    public var conditions: [WorkloadCondition]?

    public init(
      desiredNumberScheduled: Int32? = nil, currentNumberScheduled: Int32? = nil, numberMisscheduled: Int32? = nil,
      numberReady: Int32? = nil, numberAvailable: Int32? = nil, numberUnavailable: Int32? = nil,
      updatedNumberScheduled: Int32? = nil, observedGeneration: Int64? = nil, collisionCount: Int32? = nil,
      conditions: [WorkloadCondition]? = nil
    ) {
      self.desiredNumberScheduled = desiredNumberScheduled
      self.currentNumberScheduled = currentNumberScheduled
      self.numberMisscheduled = numberMisscheduled
      self.numberReady = numberReady
      self.numberAvailable = numberAvailable
      self.numberUnavailable = numberUnavailable
      self.updatedNumberScheduled = updatedNumberScheduled
      self.observedGeneration = observedGeneration
      self.collisionCount = collisionCount
      self.conditions = conditions
    }
  }

  public init(metadata: ObjectMeta = ObjectMeta(), spec: Spec? = nil, status: Status? = nil) {
    self.metadata = metadata
    self.spec = spec
    self.status = status
  }
}

/// Replicas of a pod, rolled out through ReplicaSets.
public struct Deployment: KubeResource, Hashable {
  public static let group = "apps"
  public static let version = "v1"
  public static let kind = "Deployment"
  public static let plural = "deployments"
  public static let namespaced = true

  public var metadata: ObjectMeta
  public var spec: Spec?
  public var status: Status?

  public struct Spec: Codable, Sendable, Hashable {
    /// Defaults to 1.
    public var replicas: Int32?
    public var selector: LabelSelector
    public var template: PodTemplateSpec
    /// `{"type": "RollingUpdate", "rollingUpdate": {...}}` or `{"type": "Recreate"}`.
    public var strategy: JSONValue?
    public var minReadySeconds: Int32?
    public var revisionHistoryLimit: Int32?
    public var paused: Bool?
    public var progressDeadlineSeconds: Int32?

    public init(
      replicas: Int32? = nil, selector: LabelSelector, template: PodTemplateSpec, strategy: JSONValue? = nil,
      minReadySeconds: Int32? = nil, revisionHistoryLimit: Int32? = nil, paused: Bool? = nil,
      progressDeadlineSeconds: Int32? = nil
    ) {
      self.replicas = replicas
      self.selector = selector
      self.template = template
      self.strategy = strategy
      self.minReadySeconds = minReadySeconds
      self.revisionHistoryLimit = revisionHistoryLimit
      self.paused = paused
      self.progressDeadlineSeconds = progressDeadlineSeconds
    }
  }

  public struct Status: Codable, Sendable, Hashable {
    public var observedGeneration: Int64?
    /// Pods of every revision.
    public var replicas: Int32?
    /// Pods of the current template.
    public var updatedReplicas: Int32?
    public var readyReplicas: Int32?
    public var availableReplicas: Int32?
    public var unavailableReplicas: Int32?
    public var collisionCount: Int32?
    public var conditions: [WorkloadCondition]?

    public init(
      observedGeneration: Int64? = nil, replicas: Int32? = nil, updatedReplicas: Int32? = nil,
      readyReplicas: Int32? = nil, availableReplicas: Int32? = nil, unavailableReplicas: Int32? = nil,
      collisionCount: Int32? = nil, conditions: [WorkloadCondition]? = nil
    ) {
      self.observedGeneration = observedGeneration
      self.replicas = replicas
      self.updatedReplicas = updatedReplicas
      self.readyReplicas = readyReplicas
      self.availableReplicas = availableReplicas
      self.unavailableReplicas = unavailableReplicas
      self.collisionCount = collisionCount
      self.conditions = conditions
    }
  }

  public init(metadata: ObjectMeta = ObjectMeta(), spec: Spec? = nil, status: Status? = nil) {
    self.metadata = metadata
    self.spec = spec
    self.status = status
  }
}

/// Replicas with stable names (`name-0`, `name-1`, …), started and stopped in order.
public struct StatefulSet: KubeResource, Hashable {
  public static let group = "apps"
  public static let version = "v1"
  public static let kind = "StatefulSet"
  public static let plural = "statefulsets"
  public static let namespaced = true

  public var metadata: ObjectMeta
  public var spec: Spec?
  public var status: Status?

  public struct Spec: Codable, Sendable, Hashable {
    public var replicas: Int32?
    public var selector: LabelSelector
    public var template: PodTemplateSpec
    /// The headless service that gives the pods their DNS names.
    public var serviceName: String?
    /// `OrderedReady` or `Parallel`.
    public var podManagementPolicy: String?
    public var updateStrategy: JSONValue?
    public var volumeClaimTemplates: [JSONValue]?
    public var minReadySeconds: Int32?
    public var revisionHistoryLimit: Int32?

    public init(
      replicas: Int32? = nil, selector: LabelSelector, template: PodTemplateSpec, serviceName: String? = nil,
      podManagementPolicy: String? = nil, updateStrategy: JSONValue? = nil, volumeClaimTemplates: [JSONValue]? = nil,
      minReadySeconds: Int32? = nil, revisionHistoryLimit: Int32? = nil
    ) {
      self.replicas = replicas
      self.selector = selector
      self.template = template
      self.serviceName = serviceName
      self.podManagementPolicy = podManagementPolicy
      self.updateStrategy = updateStrategy
      self.volumeClaimTemplates = volumeClaimTemplates
      self.minReadySeconds = minReadySeconds
      self.revisionHistoryLimit = revisionHistoryLimit
    }
  }

  public struct Status: Codable, Sendable, Hashable {
    public var observedGeneration: Int64?
    public var replicas: Int32?
    public var readyReplicas: Int32?
    public var currentReplicas: Int32?
    public var updatedReplicas: Int32?
    public var availableReplicas: Int32?
    public var currentRevision: String?
    public var updateRevision: String?
    public var collisionCount: Int32?
    public var conditions: [WorkloadCondition]?

    public init(
      observedGeneration: Int64? = nil, replicas: Int32? = nil, readyReplicas: Int32? = nil,
      currentReplicas: Int32? = nil, updatedReplicas: Int32? = nil, availableReplicas: Int32? = nil,
      currentRevision: String? = nil, updateRevision: String? = nil, collisionCount: Int32? = nil,
      conditions: [WorkloadCondition]? = nil
    ) {
      self.observedGeneration = observedGeneration
      self.replicas = replicas
      self.readyReplicas = readyReplicas
      self.currentReplicas = currentReplicas
      self.updatedReplicas = updatedReplicas
      self.availableReplicas = availableReplicas
      self.currentRevision = currentRevision
      self.updateRevision = updateRevision
      self.collisionCount = collisionCount
      self.conditions = conditions
    }
  }

  public init(metadata: ObjectMeta = ObjectMeta(), spec: Spec? = nil, status: Status? = nil) {
    self.metadata = metadata
    self.spec = spec
    self.status = status
  }
}

/// The pods of one revision of a Deployment, which owns it.
public struct ReplicaSet: KubeResource, Hashable {
  public static let group = "apps"
  public static let version = "v1"
  public static let kind = "ReplicaSet"
  public static let plural = "replicasets"
  public static let namespaced = true

  public var metadata: ObjectMeta
  public var spec: Spec?
  public var status: Status?

  public struct Spec: Codable, Sendable, Hashable {
    public var replicas: Int32?
    public var selector: LabelSelector
    public var template: PodTemplateSpec?
    public var minReadySeconds: Int32?

    public init(
      replicas: Int32? = nil, selector: LabelSelector, template: PodTemplateSpec? = nil,
      minReadySeconds: Int32? = nil
    ) {
      self.replicas = replicas
      self.selector = selector
      self.template = template
      self.minReadySeconds = minReadySeconds
    }
  }

  public struct Status: Codable, Sendable, Hashable {
    public var replicas: Int32?
    public var fullyLabeledReplicas: Int32?
    public var readyReplicas: Int32?
    public var availableReplicas: Int32?
    public var observedGeneration: Int64?
    public var conditions: [WorkloadCondition]?

    public init(
      replicas: Int32? = nil, fullyLabeledReplicas: Int32? = nil, readyReplicas: Int32? = nil,
      availableReplicas: Int32? = nil, observedGeneration: Int64? = nil, conditions: [WorkloadCondition]? = nil
    ) {
      self.replicas = replicas
      self.fullyLabeledReplicas = fullyLabeledReplicas
      self.readyReplicas = readyReplicas
      self.availableReplicas = availableReplicas
      self.observedGeneration = observedGeneration
      self.conditions = conditions
    }
  }

  public init(metadata: ObjectMeta = ObjectMeta(), spec: Spec? = nil, status: Status? = nil) {
    self.metadata = metadata
    self.spec = spec
    self.status = status
  }
}
