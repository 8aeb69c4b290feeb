/// A kind of Kubernetes object the project has a Swift type for.
///
/// The static members say where the API serves the kind: `group` (empty for the core group),
/// `version`, `kind` and the lower-case `plural` used in paths, and whether objects live in a
/// namespace. The Kube client builds every URL from them, so a conforming type is all it takes to
/// `get`, `list`, `watch` or `apply` that kind:
///
/// ```swift
/// let lease = try await client.get(Lease.self, name: "sovren-operator", namespace: "sovren")
/// ```
///
/// Types do not store `apiVersion` and `kind`: the client writes them into every body it sends,
/// from these static members.
///
/// A typed object carries only the fields its Swift type models. An `update` (PUT) sends the
/// whole object and so clears the fields the type lacks; for kinds modelled in part (pods,
/// workloads) change objects with a patch or server-side apply, which leave other fields alone.
public protocol KubeResource: Codable, KubeObject {
  /// The API group, empty for the core group (`v1`).
  static var group: String { get }
  static var version: String { get }
  static var kind: String { get }
  /// The resource name in paths, such as `deployments`.
  static var plural: String { get }
  static var namespaced: Bool { get }

  var metadata: ObjectMeta { get set }
}

extension KubeResource {
  /// `v1` for the core group, `group/version` otherwise.
  public static var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

  /// Where the API serves this kind, for the requests that take a descriptor.
  public static var resource: ResourceDescriptor {
    ResourceDescriptor(group: group, version: version, plural: plural, namespaced: namespaced, kind: kind)
  }

  /// The object's name; empty until set.
  public var name: String { metadata.name ?? "" }
}

/// Where the API serves a kind of object, for kinds without a Swift type (custom resources,
/// anything read as `JSONValue`):
///
/// ```swift
/// let sensors = ResourceDescriptor(group: "sovren.io", version: "v1alpha1", plural: "sovrensensors",
///                                  namespaced: true, kind: "SovrenSensor")
/// let list = try await client.list(sensors, as: JSONValue.self)
/// ```
public struct ResourceDescriptor: Sendable, Hashable, CustomStringConvertible {
  /// Empty for the core group.
  public var group: String
  public var version: String
  /// The lower-case plural in paths, such as `sovrensensors`.
  public var plural: String
  public var namespaced: Bool
  /// The kind written into bodies that lack one (server-side apply requires it); nil leaves
  /// bodies as they are.
  public var kind: String?

  public init(group: String, version: String, plural: String, namespaced: Bool, kind: String? = nil) {
    self.group = group
    self.version = version
    self.plural = plural
    self.namespaced = namespaced
    self.kind = kind
  }

  /// `v1` for the core group, `group/version` otherwise.
  public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

  /// `deployments.apps`, `pods`: how kubectl and the API server's messages name a resource.
  public var description: String { group.isEmpty ? plural : "\(plural).\(group)" }
}
