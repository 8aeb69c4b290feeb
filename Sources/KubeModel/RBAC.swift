// rbac.authorization.k8s.io/v1: the roles and bindings the operator's install grants itself and
// the sensor's components.

/// One permission: these verbs on these resources of these groups (or on non-resource URLs).
public struct PolicyRule: Codable, Sendable, Hashable {
  /// Empty string for the core group; `*` for every group.
  public var apiGroups: [String]?
  /// Plural resource names, with `/status` for a subresource; `*` for all.
  public var resources: [String]?
  /// `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, …; `*` for all.
  public var verbs: [String]
  /// Limits the rule to objects with these names.
  public var resourceNames: [String]?
  /// Paths such as `/healthz` (ClusterRoles only).
  public var nonResourceURLs: [String]?

  public init(
    apiGroups: [String]? = nil, resources: [String]? = nil, verbs: [String], resourceNames: [String]? = nil,
    nonResourceURLs: [String]? = nil
  ) {
    self.apiGroups = apiGroups
    self.resources = resources
    self.verbs = verbs
    self.resourceNames = resourceNames
    self.nonResourceURLs = nonResourceURLs
  }
}

/// Whom a binding grants its role to.
public struct Subject: Codable, Sendable, Hashable {
  /// `ServiceAccount`, `User` or `Group`.
  public var kind: String
  public var name: String
  /// For service accounts.
  public var namespace: String?
  /// `rbac.authorization.k8s.io` for users and groups; empty for service accounts.
  public var apiGroup: String?

  public init(kind: String, name: String, namespace: String? = nil, apiGroup: String? = nil) {
    self.kind = kind
    self.name = name
    self.namespace = namespace
    self.apiGroup = apiGroup
  }

  public static func serviceAccount(_ name: String, namespace: String) -> Subject {
    Subject(kind: "ServiceAccount", name: name, namespace: namespace)
  }
}

/// The role a binding grants; immutable once the binding exists.
public struct RoleRef: Codable, Sendable, Hashable {
  public var apiGroup: String
  /// `Role` or `ClusterRole`.
  public var kind: String
  public var name: String

  public init(apiGroup: String = "rbac.authorization.k8s.io", kind: String, name: String) {
    self.apiGroup = apiGroup
    self.kind = kind
    self.name = name
  }
}

public struct Role: KubeResource, Hashable {
  public static let group = "rbac.authorization.k8s.io"
  public static let version = "v1"
  public static let kind = "Role"
  public static let plural = "roles"
  public static let namespaced = true

  public var metadata: ObjectMeta
  public var rules: [PolicyRule]?

  public init(metadata: ObjectMeta = ObjectMeta(), rules: [PolicyRule]? = nil) {
    self.metadata = metadata
    self.rules = rules
  }
}

public struct ClusterRole: KubeResource, Hashable {
  public static let group = "rbac.authorization.k8s.io"
  public static let version = "v1"
  public static let kind = "ClusterRole"
  public static let plural = "clusterroles"
  public static let namespaced = false

  public var metadata: ObjectMeta
  public var rules: [PolicyRule]?
  /// Label selectors of the ClusterRoles whose rules the controller copies into this one.
  public var aggregationRule: JSONValue?

  public init(metadata: ObjectMeta = ObjectMeta(), rules: [PolicyRule]? = nil, aggregationRule: JSONValue? = nil) {
    self.metadata = metadata
    self.rules = rules
    self.aggregationRule = aggregationRule
  }
}

public struct RoleBinding: KubeResource, Hashable {
  public static let group = "rbac.authorization.k8s.io"
  public static let version = "v1"
  public static let kind = "RoleBinding"
  public static let plural = "rolebindings"
  public static let namespaced = true

  public var metadata: ObjectMeta
  public var subjects: [Subject]?
  public var roleRef: RoleRef

  public init(metadata: ObjectMeta = ObjectMeta(), subjects: [Subject]? = nil, roleRef: RoleRef) {
    self.metadata = metadata
    self.subjects = subjects
    self.roleRef = roleRef
  }
}

public struct ClusterRoleBinding: KubeResource, Hashable {
  public static let group = "rbac.authorization.k8s.io"
  public static let version = "v1"
  public static let kind = "ClusterRoleBinding"
  public static let plural = "clusterrolebindings"
  public static let namespaced = false

  public var metadata: ObjectMeta
  public var subjects: [Subject]?
  public var roleRef: RoleRef

  public init(metadata: ObjectMeta = ObjectMeta(), subjects: [Subject]? = nil, roleRef: RoleRef) {
    self.metadata = metadata
    self.subjects = subjects
    self.roleRef = roleRef
  }
}
