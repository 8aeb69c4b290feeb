import KubeModel

/// The OpenAPI v3 documents kubectl reads before `apply`.
///
/// What kubectl 1.32 does with them, and so what these documents must hold:
/// - Field validation (`--validate=strict`, the default): kubectl looks in the group-version's
///   document for the PATCH operation whose `x-kubernetes-group-version-kind` names the kind; when
///   that operation lists a `fieldValidation` query parameter, kubectl leaves validation to the
///   server (sending `fieldValidation=Strict`) and validates nothing itself. Without it, kubectl
///   falls back to client-side validation against `/openapi/v2` in protobuf, which FakeKube does not
///   serve. So every PATCH operation here lists `fieldValidation`.
/// - Client-side apply of built-in kinds: when the PATCH operation accepts
///   `application/strategic-merge-patch+json`, kubectl computes the patch from the schemas in
///   `components` (merge keys and all). The schemas here are deliberately loose, so the PATCH
///   operations do not offer strategic merge; kubectl then falls back to the Go types compiled into
///   it (after `/openapi/v2` answers 404), which know every merge key, and still sends a strategic
///   merge patch, which `PatchType.strategicMerge` applies.
///
/// Built-in kinds get open schemas (`x-kubernetes-preserve-unknown-fields`): FakeKube accepts any
/// field for them, and `fieldValidation=Strict` is enforced only for custom resources, whose
/// documents carry their CRD's `openAPIV3Schema`.
enum OpenAPIDocuments {
  /// The path of a group-version's document under `/openapi/v3/`.
  static func groupVersionPath(group: String, version: String) -> String {
    group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)"
  }

  /// `/openapi/v3`: where each group-version's document is, with a hash that changes with it so
  /// kubectl's cache notices new kinds.
  static func root(_ registry: ResourceRegistry) -> JSONValue {
    var paths: [String: JSONValue] = [:]
    for entry in registry.groupVersions {
      for version in entry.versions {
        let path = groupVersionPath(group: entry.group, version: version)
        guard let document = groupVersion(registry, group: entry.group, version: version) else { continue }
        let hash = fnv1a(document.serialized)
        paths[path] = ["serverRelativeURL": .string("/openapi/v3/\(path)?hash=\(hash)")]
      }
    }
    return ["paths": .object(paths)]
  }

  /// `/openapi/v3/api/v1`, `/openapi/v3/apis/<group>/<version>`.
  static func groupVersion(_ registry: ResourceRegistry, group: String, version: String) -> JSONValue? {
    let types = registry.all.filter { $0.group == group && $0.version == version }
    guard !types.isEmpty else { return nil }
    var paths: [String: JSONValue] = [:]
    var schemas: [String: JSONValue] = [:]
    for type in types {
      let schemaName = schemaName(type)
      let gvk: JSONValue = ["group": .string(type.group), "version": .string(type.version), "kind": .string(type.kind)]
      let reference: JSONValue = ["$ref": .string("#/components/schemas/\(schemaName)")]
      let patch: JSONValue = [
        "operationId": .string("patch\(type.kind)"),
        "x-kubernetes-action": "patch",
        "x-kubernetes-group-version-kind": gvk,
        "parameters": [
          ["name": "dryRun", "in": "query", "schema": ["type": "string"]],
          ["name": "fieldManager", "in": "query", "schema": ["type": "string"]],
          ["name": "fieldValidation", "in": "query", "schema": ["type": "string"]],
          ["name": "force", "in": "query", "schema": ["type": "boolean"]],
        ],
        "requestBody": [
          "required": true,
          "content": [
            "application/merge-patch+json": ["schema": ["type": "object"]],
            "application/json-patch+json": ["schema": ["type": "object"]],
          ],
        ],
        "responses": ["200": ["description": "OK", "content": ["application/json": ["schema": reference]]]],
      ]
      let prefix = "/" + groupVersionPath(group: group, version: version)
      let path =
        type.namespaced ? "\(prefix)/namespaces/{namespace}/\(type.plural)/{name}" : "\(prefix)/\(type.plural)/{name}"
      paths[path] = ["patch": patch]
      if let schema = type.custom?.schema {
        schemas[schemaName] = customResourceSchema(schema.root, gvk: gvk)
      } else {
        schemas[schemaName] = [
          "type": "object",
          "description": .string("\(type.kind) (schema not modelled by FakeKube: any fields are accepted)."),
          "x-kubernetes-preserve-unknown-fields": true,
          "x-kubernetes-group-version-kind": [gvk],
        ]
      }
    }
    return [
      "openapi": "3.0.0", "info": ["title": "Kubernetes", "version": "v1.32.0"], "paths": .object(paths),
      "components": ["schemas": .object(schemas)],
    ]
  }

  /// A CRD version's `openAPIV3Schema` as the real server publishes it: with `apiVersion`, `kind`
  /// and `metadata` declared and the kind named.
  private static func customResourceSchema(_ root: JSONValue, gvk: JSONValue) -> JSONValue {
    var schema = root
    var properties = schema["properties"]?.objectValue ?? [:]
    properties["apiVersion"] = properties["apiVersion"] ?? ["type": "string"]
    properties["kind"] = properties["kind"] ?? ["type": "string"]
    properties["metadata"] = ["type": "object"]
    schema["properties"] = .object(properties)
    schema["type"] = "object"
    schema["x-kubernetes-group-version-kind"] = [gvk]
    return schema
  }

  private static func schemaName(_ type: ResourceType) -> String {
    let group = type.group.isEmpty ? "core" : type.group
    return "io.fakekube.\(group).\(type.version).\(type.kind)"
  }

  /// FNV-1a, 64-bit, in hex: a stable content hash without pulling in a crypto library.
  static func fnv1a(_ text: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x100_0000_01b3
    }
    let hex = String(hash, radix: 16, uppercase: true)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }
}
