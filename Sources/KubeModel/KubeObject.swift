/// Anything that carries Kubernetes object metadata: a typed `KubeResource` or an unstructured
/// `JSONValue`. Watchers and caches need only this much of an object: where it lives, which
/// incarnation it is and how new.
public protocol KubeObject: Sendable {
  /// `metadata.name`; empty when missing.
  var objectName: String { get }
  /// `metadata.namespace`; empty for cluster-scoped kinds.
  var objectNamespace: String { get }
  /// `metadata.uid`; nil when missing.
  var objectUID: String? { get }
  /// `metadata.resourceVersion`; nil when missing.
  var objectResourceVersion: String? { get }
}

/// Names an object within one kind (client-go's NamespacedName): its namespace (empty when cluster-scoped) and name.
public struct NamespacedName: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var namespace: String
  public var name: String

  public init(namespace: String = "", name: String) {
    self.namespace = namespace
    self.name = name
  }

  public init(of object: some KubeObject) {
    self.init(namespace: object.objectNamespace, name: object.objectName)
  }

  /// `namespace/name`, or `name` when cluster-scoped, as kubectl writes it.
  public var description: String { namespace.isEmpty ? name : "\(namespace)/\(name)" }

  public static func < (lhs: NamespacedName, rhs: NamespacedName) -> Bool {
    (lhs.namespace, lhs.name) < (rhs.namespace, rhs.name)
  }
}

extension KubeResource {
  public var objectName: String { metadata.name ?? "" }
  public var objectNamespace: String { metadata.namespace ?? "" }
  public var objectUID: String? { metadata.uid }
  public var objectResourceVersion: String? { metadata.resourceVersion }
}

extension JSONValue: KubeObject {
  public var objectName: String { self[path: ["metadata", "name"]]?.stringValue ?? "" }
  public var objectNamespace: String { self[path: ["metadata", "namespace"]]?.stringValue ?? "" }
  public var objectUID: String? { self[path: ["metadata", "uid"]]?.stringValue }
  public var objectResourceVersion: String? { self[path: ["metadata", "resourceVersion"]]?.stringValue }
}
