import Foundation
import Hummingbird
import KubeModel

/// The CRD side of request handling: admission of CRDs and custom resources before they are
/// stored, and keeping the registry (and so discovery, OpenAPI and routes) in step with CRDs
/// after each write.
extension APIResponder {
  /// A body as it will be stored: a CRD checked and defaulted, a custom resource run through its
  /// schema; any other kind untouched. Warnings for the client are added to `warnings`.
  func admit(
    _ object: JSONValue, _ type: ResourceType, _ query: Query, warnings: inout [String]
  ) throws(FakeKubeError) -> JSONValue {
    if CustomResourceDefinitions.isDefinition(type) { return try CustomResourceDefinitions.admitted(object) }
    guard type.custom != nil else { return object }
    let admitted = try CustomResourceDefinitions.admit(
      object, as: type, validation: FieldValidation(query: query["fieldValidation"]))
    warnings += admitted.warnings
    return admitted.object
  }

  /// After a CRD is created or changed, serves what it defines at once and records that in its
  /// status (`NamesAccepted`, `Established`); returns the object as finally stored. Other kinds
  /// pass through.
  func afterWrite(_ object: JSONValue, _ type: ResourceType) throws(FakeKubeError) -> JSONValue {
    guard CustomResourceDefinitions.isDefinition(type) else { return object }
    let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
    let removed = registry.replaceTypes(
      definedBy: name, with: try CustomResourceDefinitions.resourceTypes(of: object))
    deleteAllObjects(of: removed)
    let status = CustomResourceDefinitions.acceptedStatus(of: object, now: Date())
    guard object["status"] != status else { return object }
    return try store.modify(type, namespace: "", name: name, subresource: "status") { existing in
      var updated = existing
      updated["status"] = status
      return updated
    }
  }

  /// Once a CRD is gone (its custom resources went first, see `ObjectStore.delete`), its kinds
  /// stop being served: routes, discovery and OpenAPI forget them. Only writes to a CRD, to a
  /// custom resource or to a Namespace can complete a CRD's deletion, so only they look.
  func forgetRemovedDefinitions(after type: ResourceType) {
    guard CustomResourceDefinitions.isDefinition(type) || type.custom != nil || type == .namespaces,
      let definitions = registry.type(
        group: CustomResourceDefinitions.group, version: "v1", plural: CustomResourceDefinitions.plural)
    else { return }
    let served = Set(registry.all.compactMap { $0.custom?.definitionName })
    for name in served.sorted() where (try? store.get(definitions, namespace: "", name: name)) == nil {
      registry.replaceTypes(definedBy: name, with: [])
    }
  }

  /// A custom resource cannot be created while its CRD is being deleted: 405, as on a real server.
  func checkDefinitionAcceptsNewObjects(_ type: ResourceType) throws(FakeKubeError) {
    guard let name = type.custom?.definitionName,
      let definitions = registry.type(
        group: CustomResourceDefinitions.group, version: "v1", plural: CustomResourceDefinitions.plural),
      let definition = try? store.get(definitions, namespace: "", name: name), definition.isTerminating
    else { return }
    throw .methodNotAllowed("create not allowed while custom resource definition is terminating")
  }

  private func deleteAllObjects(of types: [ResourceType]) {
    for type in types {
      for object in (try? store.list(WatchFilter(type: type)))?.items ?? [] {
        let namespace = object[path: ["metadata", "namespace"]]?.stringValue ?? ""
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        _ = try? store.delete(type, namespace: namespace, name: name)
      }
    }
  }

  /// Adds the warnings as one `Warning` header (comma-separated `299` warn-values, which kubectl
  /// prints one per line as `Warning: …`).
  func withWarnings(_ response: Response, _ warnings: [String]) -> Response {
    guard !warnings.isEmpty, let name = HTTPFields.Element.Name("Warning") else { return response }
    var response = response
    response.headers[name] = warnings.map { warning in
      let escaped = warning.replacingOccurrences(of: "\\", with: "\\\\")
        .replacingOccurrences(of: "\"", with: "\\\"")
      return "299 - \"\(escaped)\""
    }.joined(separator: ", ")
    return response
  }
}
