import KubeModel

/// The discovery documents kubectl reads before anything else, built from the registry.
///
/// kubectl 1.32 asks `/api` and `/apis` for aggregated discovery (`apidiscovery.k8s.io/v2`) first
/// and reads every group-version from that one answer; it falls back to the legacy documents
/// (`APIVersions`, `APIGroupList`, then one `APIResourceList` per group-version) when the answer's
/// Content-Type is not exactly the aggregated one.
enum Discovery {
  static let aggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"

  /// Whether an Accept header asks for aggregated discovery v2.
  static func wantsAggregated(_ accept: String) -> Bool {
    accept.split(separator: ",").contains { mediaRange in
      let parameters = Set(mediaRange.split(separator: ";").map { $0.trimmed.lowercased() })
      return parameters.contains("g=apidiscovery.k8s.io") && parameters.contains("v=v2")
        && parameters.contains("as=apigroupdiscoverylist")
    }
  }

  static func version() -> JSONValue {
    [
      "major": "1", "minor": "32", "gitVersion": "v1.32.0-fakekube",
      "gitCommit": "0000000000000000000000000000000000000000",
      "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.23.0", "compiler": "gc",
      "platform": "linux/amd64",
    ]
  }

  /// `/api` in its legacy form.
  static func apiVersions(serverAddress: String) -> JSONValue {
    [
      "kind": "APIVersions", "versions": ["v1"],
      "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]],
    ]
  }

  /// `/apis` in its legacy form.
  static func apiGroupList(_ registry: ResourceRegistry) -> JSONValue {
    let groups: [JSONValue] = registry.groupVersions.filter { !$0.group.isEmpty }.map { entry in
      let versions: [JSONValue] = entry.versions.map {
        ["groupVersion": .string("\(entry.group)/\($0)"), "version": .string($0)]
      }
      return [
        "name": .string(entry.group), "versions": .array(versions),
        "preferredVersion": versions.first ?? .null,
      ]
    }
    return ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups)]
  }

  /// `/api/v1` or `/apis/<group>/<version>`: the resources of one group-version, subresources as
  /// `plural/subresource` entries.
  static func apiResourceList(_ registry: ResourceRegistry, group: String, version: String) -> JSONValue? {
    let types = registry.all.filter { $0.group == group && $0.version == version }
    guard !types.isEmpty else { return nil }
    var resources: [JSONValue] = []
    for type in types {
      var entry: JSONValue = [
        "name": .string(type.plural), "singularName": .string(type.singular), "namespaced": .bool(type.namespaced),
        "kind": .string(type.kind), "verbs": .array(type.verbs.map { .string($0) }),
      ]
      if !type.shortNames.isEmpty { entry["shortNames"] = .array(type.shortNames.map { .string($0) }) }
      if !type.categories.isEmpty { entry["categories"] = .array(type.categories.map { .string($0) }) }
      resources.append(entry)
      for subresource in type.subresources {
        let (kind, verbs) = subresourceKindAndVerbs(type, subresource)
        resources.append([
          "name": .string("\(type.plural)/\(subresource)"), "singularName": "", "namespaced": .bool(type.namespaced),
          "kind": .string(kind.kind), "verbs": .array(verbs.map { .string($0) }),
        ])
      }
    }
    let groupVersion = group.isEmpty ? version : "\(group)/\(version)"
    return [
      "kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(groupVersion),
      "resources": .array(resources),
    ]
  }

  /// `/api` (`core: true`) or `/apis` as an `APIGroupDiscoveryList`.
  static func aggregated(_ registry: ResourceRegistry, core: Bool) -> JSONValue {
    let items: [JSONValue] = registry.groupVersions.filter { $0.group.isEmpty == core }.map { entry in
      let versions: [JSONValue] = entry.versions.map { version in
        let resources: [JSONValue] = registry.all.filter { $0.group == entry.group && $0.version == version }.map {
          aggregatedResource($0)
        }
        return ["version": .string(version), "resources": .array(resources), "freshness": "Current"]
      }
      var metadata: JSONValue = ["creationTimestamp": .null]
      if !entry.group.isEmpty { metadata["name"] = .string(entry.group) }
      return ["metadata": metadata, "versions": .array(versions)]
    }
    return [
      "kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": [:],
      "items": .array(items),
    ]
  }

  private static func aggregatedResource(_ type: ResourceType) -> JSONValue {
    var entry: JSONValue = [
      "resource": .string(type.plural),
      "responseKind": ["group": .string(type.group), "version": .string(type.version), "kind": .string(type.kind)],
      "scope": type.namespaced ? "Namespaced" : "Cluster", "singularResource": .string(type.singular),
      "verbs": .array(type.verbs.map { .string($0) }),
    ]
    if !type.shortNames.isEmpty { entry["shortNames"] = .array(type.shortNames.map { .string($0) }) }
    if !type.categories.isEmpty { entry["categories"] = .array(type.categories.map { .string($0) }) }
    if !type.subresources.isEmpty {
      entry["subresources"] = .array(
        type.subresources.map { subresource in
          let (kind, verbs) = subresourceKindAndVerbs(type, subresource)
          return [
            "subresource": .string(subresource),
            "responseKind": [
              "group": .string(kind.group), "version": .string(kind.version), "kind": .string(kind.kind),
            ],
            "verbs": .array(verbs.map { .string($0) }),
          ]
        })
    }
    return entry
  }

  private static func subresourceKindAndVerbs(
    _ type: ResourceType, _ subresource: String
  ) -> (kind: (group: String, version: String, kind: String), verbs: [String]) {
    if subresource == "scale" {
      return (("autoscaling", "v1", "Scale"), ["get", "patch", "update"])
    }
    return ((type.group, type.version, type.kind), ["get", "patch", "update"])
  }
}
