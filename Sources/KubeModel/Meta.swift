// meta/v1: what every object and list carries (metadata, owner references, conditions,
// selectors) and the Status the API server answers errors with.
//
// Every field is optional, as in the API: the server omits empty fields, and a client sets only
// what it means to set. Unknown fields are ignored when reading.

/// `metadata` of every object.
public struct ObjectMeta: Codable, Sendable, Hashable {
  public var name: String?
  /// A prefix the server completes with random characters when `name` is empty.
  public var generateName: String?
  /// Empty or nil for cluster-scoped kinds.
  public var namespace: String?
  /// Set by the server; identifies this incarnation of the object (a re-created object gets a new one).
  public var uid: String?
  /// The version an update must carry to be accepted (optimistic concurrency); opaque to clients.
  public var resourceVersion: String?
  /// Incremented by the server on each change of `spec` (for kinds outside the core group).
  public var generation: Int64?
  public var labels: [String: String]?
  public var annotations: [String: String]?
  public var ownerReferences: [OwnerReference]?
  /// Names of the parties that must act before the object goes away once deleted.
  public var finalizers: [String]?
  public var creationTimestamp: Timestamp?
  /// Set when deletion was requested and finalizers (or a grace period) hold the object.
  public var deletionTimestamp: Timestamp?
  public var deletionGracePeriodSeconds: Int64?

  public init(
    name: String? = nil, namespace: String? = nil, labels: [String: String]? = nil,
    annotations: [String: String]? = nil, ownerReferences: [OwnerReference]? = nil, finalizers: [String]? = nil,
    generateName: String? = nil, uid: String? = nil, resourceVersion: String? = nil, generation: Int64? = nil,
    creationTimestamp: Timestamp? = nil, deletionTimestamp: Timestamp? = nil
  ) {
    self.name = name
    self.namespace = namespace
    self.labels = labels
    self.annotations = annotations
    self.ownerReferences = ownerReferences
    self.finalizers = finalizers
    self.generateName = generateName
    self.uid = uid
    self.resourceVersion = resourceVersion
    self.generation = generation
    self.creationTimestamp = creationTimestamp
    self.deletionTimestamp = deletionTimestamp
  }
}

/// Names the object that owns this one; the garbage collector deletes dependents with their owner.
public struct OwnerReference: Codable, Sendable, Hashable {
  public var apiVersion: String
  public var kind: String
  public var name: String
  public var uid: String
  /// At most one owner reference of an object is its controller.
  public var controller: Bool?
  /// With foreground deletion, the owner waits for this dependent.
  public var blockOwnerDeletion: Bool?

  public init(
    apiVersion: String, kind: String, name: String, uid: String, controller: Bool? = nil,
    blockOwnerDeletion: Bool? = nil
  ) {
    self.apiVersion = apiVersion
    self.kind = kind
    self.name = name
    self.uid = uid
    self.controller = controller
    self.blockOwnerDeletion = blockOwnerDeletion
  }

  /// A controller reference to `owner`, as a controller sets on what it creates.
  public init<Owner: KubeResource>(controller owner: Owner, blockOwnerDeletion: Bool = true) {
    self.init(
      apiVersion: Owner.apiVersion, kind: Owner.kind, name: owner.metadata.name ?? "", uid: owner.metadata.uid ?? "",
      controller: true, blockOwnerDeletion: blockOwnerDeletion)
  }
}

/// A `metav1.Condition`, the standard shape of `status.conditions` entries in newer kinds and
/// custom resources.
public struct Condition: Codable, Sendable, Hashable {
  /// CamelCase, such as `Ready`.
  public var type: String
  /// `True`, `False` or `Unknown`.
  public var status: String
  /// The `metadata.generation` the condition was computed from.
  public var observedGeneration: Int64?
  /// When `status` last changed.
  public var lastTransitionTime: Timestamp?
  /// CamelCase cause, such as `KafkaUnreachable`.
  public var reason: String?
  public var message: String?

  public init(
    type: String, status: String, reason: String? = nil, message: String? = nil, observedGeneration: Int64? = nil,
    lastTransitionTime: Timestamp? = nil
  ) {
    self.type = type
    self.status = status
    self.reason = reason
    self.message = message
    self.observedGeneration = observedGeneration
    self.lastTransitionTime = lastTransitionTime
  }
}

/// A label query: every `matchLabels` pair and every expression must hold.
public struct LabelSelector: Codable, Sendable, Hashable {
  public var matchLabels: [String: String]?
  public var matchExpressions: [LabelSelectorRequirement]?

  public init(matchLabels: [String: String]? = nil, matchExpressions: [LabelSelectorRequirement]? = nil) {
    self.matchLabels = matchLabels
    self.matchExpressions = matchExpressions
  }
}

public struct LabelSelectorRequirement: Codable, Sendable, Hashable {
  public var key: String
  /// `In`, `NotIn`, `Exists` or `DoesNotExist`.
  public var `operator`: String
  public var values: [String]?

  public init(key: String, operator: String, values: [String]? = nil) {
    self.key = key
    self.operator = `operator`
    self.values = values
  }
}

/// A reference to another object, as events, endpoints and service accounts carry them.
public struct ObjectReference: Codable, Sendable, Hashable {
  public var apiVersion: String?
  public var kind: String?
  public var namespace: String?
  public var name: String?
  public var uid: String?
  public var resourceVersion: String?
  public var fieldPath: String?

  public init(
    apiVersion: String? = nil, kind: String? = nil, namespace: String? = nil, name: String? = nil,
    uid: String? = nil, resourceVersion: String? = nil, fieldPath: String? = nil
  ) {
    self.apiVersion = apiVersion
    self.kind = kind
    self.namespace = namespace
    self.name = name
    self.uid = uid
    self.resourceVersion = resourceVersion
    self.fieldPath = fieldPath
  }
}

/// A reference to an object by name in the same namespace, such as an image pull secret.
public struct LocalObjectReference: Codable, Sendable, Hashable {
  public var name: String?

  public init(name: String? = nil) { self.name = name }
}

// MARK: - Lists

/// `metadata` of a list.
public struct ListMeta: Codable, Sendable, Hashable {
  /// The version the list was read at: where a watch that follows it starts.
  public var resourceVersion: String?
  /// The token that asks for the next page; nil or empty on the last page.
  public var continueToken: String?
  /// How many objects the pages after this one hold, when the server knows.
  public var remainingItemCount: Int64?

  public init(resourceVersion: String? = nil, continueToken: String? = nil, remainingItemCount: Int64? = nil) {
    self.resourceVersion = resourceVersion
    self.continueToken = continueToken
    self.remainingItemCount = remainingItemCount
  }

  enum CodingKeys: String, CodingKey {
    case resourceVersion
    case continueToken = "continue"
    case remainingItemCount
  }
}

/// A page of a collection, such as a `PodList`.
public struct ObjectList<Item: Codable & Sendable>: Codable, Sendable {
  public var metadata: ListMeta
  public var items: [Item]

  public init(metadata: ListMeta = ListMeta(), items: [Item] = []) {
    self.metadata = metadata
    self.items = items
  }

  enum CodingKeys: String, CodingKey {
    case metadata, items
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    metadata = try container.decodeIfPresent(ListMeta.self, forKey: .metadata) ?? ListMeta()
    // The server writes `"items": null` for an empty list of some kinds.
    items = try container.decodeIfPresent([Item].self, forKey: .items) ?? []
  }
}

// MARK: - Status

/// The body of every error response (and of some successful deletions): what went wrong, as the
/// API server says it.
public struct Status: Codable, Sendable, Hashable {
  /// `Success` or `Failure`.
  public var status: String?
  /// A sentence for people.
  public var message: String?
  /// A CamelCase machine-readable reason, such as `NotFound`, `AlreadyExists`, `Conflict`,
  /// `Invalid`, `Expired`.
  public var reason: String?
  public var details: StatusDetails?
  /// The HTTP status code the server answered with.
  public var code: Int?

  public init(
    status: String? = nil, message: String? = nil, reason: String? = nil, details: StatusDetails? = nil,
    code: Int? = nil
  ) {
    self.status = status
    self.message = message
    self.reason = reason
    self.details = details
    self.code = code
  }
}

public struct StatusDetails: Codable, Sendable, Hashable {
  public var name: String?
  public var group: String?
  /// The resource (or kind) the error is about.
  public var kind: String?
  public var uid: String?
  /// For `Invalid`: one cause per field that failed validation.
  public var causes: [StatusCause]?
  /// For `TooManyRequests` and `ServerTimeout`: how long to wait before trying again.
  public var retryAfterSeconds: Int?

  public init(
    name: String? = nil, group: String? = nil, kind: String? = nil, uid: String? = nil,
    causes: [StatusCause]? = nil, retryAfterSeconds: Int? = nil
  ) {
    self.name = name
    self.group = group
    self.kind = kind
    self.uid = uid
    self.causes = causes
    self.retryAfterSeconds = retryAfterSeconds
  }
}

/// One reason for an error, usually one invalid field.
public struct StatusCause: Codable, Sendable, Hashable {
  /// Such as `FieldValueInvalid`, `FieldValueRequired`.
  public var reason: String?
  public var message: String?
  /// The field's path, such as `spec.replicas` or `spec.ports[0].port`.
  public var field: String?

  public init(reason: String? = nil, message: String? = nil, field: String? = nil) {
    self.reason = reason
    self.message = message
    self.field = field
  }
}
