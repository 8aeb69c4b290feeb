import Synchronization

/// One kind of object the server serves, with what discovery says about it.
public struct ResourceType: Sendable, Hashable {
  public var group: String
  public var version: String
  public var kind: String
  /// The lower-case plural used in paths, such as `deployments`.
  public var plural: String
  public var singular: String
  public var shortNames: [String]
  public var namespaced: Bool
  public var verbs: [String]
  public var categories: [String]
  /// Subresources served beside the main endpoint, such as `status` and `scale`.
  public var subresources: [String]
  /// Set for the kinds a CustomResourceDefinition serves: their schema and printer columns.
  public var custom: CustomResourceVersion?

  public init(
    group: String, version: String, kind: String, plural: String, singular: String? = nil, shortNames: [String] = [],
    namespaced: Bool, verbs: [String] = ResourceType.allVerbs, categories: [String] = [], subresources: [String] = []
  ) {
    self.group = group
    self.version = version
    self.kind = kind
    self.plural = plural
    self.singular = singular ?? kind.lowercased()
    self.shortNames = shortNames
    self.namespaced = namespaced
    self.verbs = verbs
    self.categories = categories
    self.subresources = subresources
  }

  public static let allVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

  /// `v1` for the core group, `group/version` otherwise: the `apiVersion` of objects.
  public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

  /// Whether objects carry `metadata.generation`. In Kubernetes 1.32 the core group's kinds do not;
  /// every other group's kinds, custom resources included, do.
  public var tracksGeneration: Bool { !group.isEmpty }

  /// Whether writes to the main endpoint leave `status` alone, as for every kind with a status subresource.
  public var hasStatusSubresource: Bool { subresources.contains("status") }
}

/// The resource types the server knows: the built-in kinds, and the kinds CustomResourceDefinitions
/// add at run time, which is why it is shared and mutable.
public final class ResourceRegistry: Sendable {
  private let types: Mutex<[ResourceType]>

  public init(types: [ResourceType] = ResourceType.builtIn) {
    self.types = Mutex(types)
  }

  public var all: [ResourceType] { types.withLock { $0 } }

  /// The type served at `group/version` under the plural `plural`.
  public func type(group: String, version: String, plural: String) -> ResourceType? {
    types.withLock { $0.first { $0.group == group && $0.version == version && $0.plural == plural } }
  }

  /// Every group with the versions it serves, core group first, in the order types were added.
  public var groupVersions: [(group: String, versions: [String])] {
    var result: [(group: String, versions: [String])] = []
    for type in all {
      if let index = result.firstIndex(where: { $0.group == type.group }) {
        if !result[index].versions.contains(type.version) { result[index].versions.append(type.version) }
      } else {
        result.append((type.group, [type.version]))
      }
    }
    return result
  }

  /// Replaces the types a CRD served with the ones it serves now (none when it is deleted), in one
  /// step, and returns the ones that went away.
  @discardableResult
  public func replaceTypes(definedBy definitionName: String, with newTypes: [ResourceType]) -> [ResourceType] {
    types.withLock { types in
      let old = types.filter { $0.custom?.definitionName == definitionName }
      types.removeAll { $0.custom?.definitionName == definitionName }
      for type in newTypes {
        types.removeAll { $0.group == type.group && $0.version == type.version && $0.plural == type.plural }
        types.append(type)
      }
      return old.filter { gone in
        !newTypes.contains { $0.group == gone.group && $0.version == gone.version && $0.plural == gone.plural }
      }
    }
  }

  public func add(_ type: ResourceType) {
    types.withLock { types in
      types.removeAll { $0.group == type.group && $0.version == type.version && $0.plural == type.plural }
      types.append(type)
    }
  }
}

extension ResourceType {
  public static let namespaces = ResourceType(
    group: "", version: "v1", kind: "Namespace", plural: "namespaces", shortNames: ["ns"], namespaced: false,
    verbs: ["create", "delete", "get", "list", "patch", "update", "watch"], subresources: ["status"])

  /// The built-in kinds the project's operator, digger and install manifests use.
  public static let builtIn: [ResourceType] = [
    .namespaces,
    ResourceType(
      group: "", version: "v1", kind: "Node", plural: "nodes", shortNames: ["no"], namespaced: false,
      subresources: ["status"]),
    ResourceType(
      group: "", version: "v1", kind: "Pod", plural: "pods", shortNames: ["po"], namespaced: true,
      categories: ["all"], subresources: ["status"]),
    ResourceType(
      group: "", version: "v1", kind: "Service", plural: "services", shortNames: ["svc"], namespaced: true,
      verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
      categories: ["all"], subresources: ["status"]),
    ResourceType(
      group: "", version: "v1", kind: "Endpoints", plural: "endpoints", singular: "endpoints", shortNames: ["ep"],
      namespaced: true),
    ResourceType(
      group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", shortNames: ["cm"], namespaced: true),
    ResourceType(group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true),
    ResourceType(
      group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", shortNames: ["sa"],
      namespaced: true),
    ResourceType(group: "", version: "v1", kind: "Event", plural: "events", shortNames: ["ev"], namespaced: true),
    ResourceType(
      group: "", version: "v1", kind: "ResourceQuota", plural: "resourcequotas", shortNames: ["quota"],
      namespaced: true, subresources: ["status"]),
    ResourceType(
      group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", shortNames: ["pvc"],
      namespaced: true, subresources: ["status"]),
    ResourceType(
      group: "", version: "v1", kind: "PersistentVolume", plural: "persistentvolumes", shortNames: ["pv"],
      namespaced: false, subresources: ["status"]),
    ResourceType(
      group: "apps", version: "v1", kind: "DaemonSet", plural: "daemonsets", shortNames: ["ds"], namespaced: true,
      categories: ["all"], subresources: ["status"]),
    ResourceType(
      group: "apps", version: "v1", kind: "Deployment", plural: "deployments", shortNames: ["deploy"],
      namespaced: true, categories: ["all"], subresources: ["status", "scale"]),
    ResourceType(
      group: "apps", version: "v1", kind: "StatefulSet", plural: "statefulsets", shortNames: ["sts"],
      namespaced: true, categories: ["all"], subresources: ["status", "scale"]),
    ResourceType(
      group: "apps", version: "v1", kind: "ReplicaSet", plural: "replicasets", shortNames: ["rs"], namespaced: true,
      categories: ["all"], subresources: ["status", "scale"]),
    ResourceType(
      group: "batch", version: "v1", kind: "Job", plural: "jobs", namespaced: true, categories: ["all"],
      subresources: ["status"]),
    ResourceType(
      group: "batch", version: "v1", kind: "CronJob", plural: "cronjobs", shortNames: ["cj"], namespaced: true,
      categories: ["all"], subresources: ["status"]),
    ResourceType(
      group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", plural: "roles", namespaced: true),
    ResourceType(
      group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles",
      namespaced: false),
    ResourceType(
      group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding", plural: "rolebindings",
      namespaced: true),
    ResourceType(
      group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding", plural: "clusterrolebindings",
      namespaced: false),
    ResourceType(
      group: "autoscaling", version: "v2", kind: "HorizontalPodAutoscaler", plural: "horizontalpodautoscalers",
      shortNames: ["hpa"], namespaced: true, categories: ["all"], subresources: ["status"]),
    ResourceType(
      group: "policy", version: "v1", kind: "PodDisruptionBudget", plural: "poddisruptionbudgets",
      shortNames: ["pdb"], namespaced: true, subresources: ["status"]),
    ResourceType(
      group: "scheduling.k8s.io", version: "v1", kind: "PriorityClass", plural: "priorityclasses",
      shortNames: ["pc"], namespaced: false),
    ResourceType(
      group: "networking.k8s.io", version: "v1", kind: "Ingress", plural: "ingresses", shortNames: ["ing"],
      namespaced: true, subresources: ["status"]),
    ResourceType(
      group: "networking.k8s.io", version: "v1", kind: "IngressClass", plural: "ingressclasses", namespaced: false),
    ResourceType(
      group: "networking.k8s.io", version: "v1", kind: "NetworkPolicy", plural: "networkpolicies",
      shortNames: ["netpol"], namespaced: true),
    ResourceType(group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", namespaced: true),
    ResourceType(
      group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition",
      plural: "customresourcedefinitions", shortNames: ["crd", "crds"], namespaced: false,
      subresources: ["status"]),
  ]
}
