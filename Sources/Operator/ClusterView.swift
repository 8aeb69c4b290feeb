import Kube
import KubeModel

/// What the reconciler reads: the sensors and every child the operator manages, as the
/// controller's watches last saw them. Reading the cache costs no request, so a reconcile that
/// finds nothing to change sends none.
public struct ClusterView: Sendable {
  public let sensors: Reflector<SovrenSensor>
  public let children: [ChildKind: Reflector<JSONValue>]

  public init() {
    sensors = Reflector()
    var children: [ChildKind: Reflector<JSONValue>] = [:]
    for kind in ChildKind.allCases { children[kind] = Reflector() }
    self.children = children
  }

  /// Whether every cache holds a whole list.
  public var isSynced: Bool { sensors.isReady && children.values.allSatisfy(\.isReady) }

  public func sensor(_ key: NamespacedName) -> SovrenSensor? { sensors.get(key) }

  public func child(_ kind: ChildKind, namespace: String, name: String) -> JSONValue? {
    children[kind]?.get(name: name, namespace: kind.namespaced ? namespace : "")
  }

  /// Every managed object that belongs to the sensor `key`, by kind.
  public func children(of key: NamespacedName) -> [(kind: ChildKind, object: JSONValue)] {
    ChildKind.allCases.flatMap { kind in
      (children[kind]?.objects ?? []).filter { SensorLayout.owningSensor(of: $0) == key }.map { (kind, $0) }
    }
  }
}
