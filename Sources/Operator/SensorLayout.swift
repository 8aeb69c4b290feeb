import KubeModel

/// The roles a sensor runs, each as its own workload.
public enum Component: String, Sendable, Hashable, CaseIterable, Comparable {
  case interceptor
  case kafka
  case digger
  case detector
  case map

  public static func < (lhs: Component, rhs: Component) -> Bool {
    (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
  }
}

/// How a sensor's children are named and labelled: the one place both the builders and the
/// reconciler (which maps a changed child back to its sensor) read.
public enum SensorLayout {
  /// The field manager of every write the operator makes.
  public static let fieldManager = "sovren-operator"
  /// Held on a sensor until its cluster-scoped children are gone.
  public static let finalizer = "sovren.io/cluster-resources"

  public static let nameLabel = "app.kubernetes.io/name"
  public static let instanceLabel = "app.kubernetes.io/instance"
  public static let componentLabel = "app.kubernetes.io/component"
  public static let partOfLabel = "app.kubernetes.io/part-of"
  public static let managedByLabel = "app.kubernetes.io/managed-by"
  /// The sensor's namespace, on cluster-scoped children (which cannot have an owner reference).
  public static let sensorNamespaceLabel = "sovren.io/sensor-namespace"
  /// Hash of what the operator last applied, so a spec change is seen even when it only removes
  /// fields (which a comparison of the desired fields with the live ones cannot notice).
  public static let appliedHashAnnotation = "sovren.io/applied-hash"

  /// Selects every object the operator manages, across sensors.
  public static let managedSelector = "\(managedByLabel)=\(fieldManager)"

  /// Longest sensor name: children add suffixes (`-interceptor`, `-kafka-headless`) and Service
  /// and pod names must stay DNS labels of at most 63 characters.
  public static let maximumSensorNameLength = 40

  /// The labels of every child of `sensor` for `component`.
  public static func labels(sensor: NamespacedName, component: Component) -> [String: String] {
    [
      nameLabel: "sovren", instanceLabel: sensor.name, componentLabel: component.rawValue,
      partOfLabel: "sovren", managedByLabel: fieldManager,
    ]
  }

  /// The labels a component's pods carry and its selectors match: fixed once created, so never
  /// more than these three.
  public static func selectorLabels(sensor: NamespacedName, component: Component) -> [String: String] {
    [nameLabel: "sovren", instanceLabel: sensor.name, componentLabel: component.rawValue]
  }

  /// The name of a namespaced child: `<sensor>-<component>` plus a suffix when a component has
  /// several objects of one kind (`-headless`).
  public static func name(sensor: NamespacedName, component: Component, suffix: String? = nil) -> String {
    [sensor.name, component.rawValue, suffix].compactMap { $0 }.joined(separator: "-")
  }

  /// The name of a cluster-scoped child, unique across namespaces: `sovren-<namespace>-<sensor>-<component>`.
  public static func clusterName(sensor: NamespacedName, component: Component) -> String {
    "sovren-\(sensor.namespace)-\(sensor.name)-\(component.rawValue)"
  }

  /// The sensor a child belongs to: its controller owner reference of kind SovrenSensor (in the
  /// child's namespace), or for cluster-scoped children the instance and sensor-namespace
  /// labels. Nil when the object is not a sensor's.
  public static func owningSensor(of child: JSONValue) -> NamespacedName? {
    let metadata = child["metadata"]
    for reference in metadata?["ownerReferences"]?.arrayValue ?? [] {
      guard reference["kind"]?.stringValue == SovrenSensor.kind,
        reference["apiVersion"]?.stringValue == SovrenSensor.apiVersion,
        let name = reference["name"]?.stringValue
      else { continue }
      return NamespacedName(namespace: child.objectNamespace, name: name)
    }
    let labels = metadata?["labels"]
    guard labels?[managedByLabel]?.stringValue == fieldManager,
      let name = labels?[instanceLabel]?.stringValue,
      let namespace = labels?[sensorNamespaceLabel]?.stringValue
        ?? (child.objectNamespace.isEmpty ? nil : child.objectNamespace)
    else { return nil }
    return NamespacedName(namespace: namespace, name: name)
  }
}

/// The kinds of object the operator creates for a sensor, in the order they are applied (what
/// others refer to first: the ServiceAccount before the pods that run as it).
public enum ChildKind: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
  case serviceAccount
  case clusterRole
  case clusterRoleBinding
  case service
  case statefulSet
  case deployment
  case daemonSet

  public var resource: ResourceDescriptor {
    switch self {
    case .serviceAccount:
      ResourceDescriptor(group: "", version: "v1", plural: "serviceaccounts", namespaced: true, kind: "ServiceAccount")
    case .clusterRole:
      ResourceDescriptor(
        group: "rbac.authorization.k8s.io", version: "v1", plural: "clusterroles", namespaced: false,
        kind: "ClusterRole")
    case .clusterRoleBinding:
      ResourceDescriptor(
        group: "rbac.authorization.k8s.io", version: "v1", plural: "clusterrolebindings", namespaced: false,
        kind: "ClusterRoleBinding")
    case .service:
      ResourceDescriptor(group: "", version: "v1", plural: "services", namespaced: true, kind: "Service")
    case .statefulSet:
      ResourceDescriptor(group: "apps", version: "v1", plural: "statefulsets", namespaced: true, kind: "StatefulSet")
    case .deployment:
      ResourceDescriptor(group: "apps", version: "v1", plural: "deployments", namespaced: true, kind: "Deployment")
    case .daemonSet:
      ResourceDescriptor(group: "apps", version: "v1", plural: "daemonsets", namespaced: true, kind: "DaemonSet")
    }
  }

  public var kind: String { resource.kind ?? rawValue }
  public var namespaced: Bool { resource.namespaced }
  public var description: String { kind }

  /// The kind of an object by its `apiVersion` and `kind`; nil for kinds the operator does not own.
  public init?(apiVersion: String, kind: String) {
    guard let match = Self.allCases.first(where: { $0.resource.apiVersion == apiVersion && $0.kind == kind })
    else { return nil }
    self = match
  }

  public static func < (lhs: ChildKind, rhs: ChildKind) -> Bool {
    (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
  }
}
