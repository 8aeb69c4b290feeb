import Foundation
import KubeModel
import NIOCore
import NIOHTTP1

/// The verbs on any kind, named by a `ResourceDescriptor` and decoded into any `Codable` type:
/// a type of your own, or `JSONValue` for unstructured objects. The typed verbs
/// (`KubeClient+Typed.swift`) call these with `Object.resource`.
///
/// Objects sent (create, update, apply) are encoded to JSON and get `apiVersion` and `kind`
/// from the descriptor when they lack them. Their namespace is the `namespace` argument, else
/// the object's `metadata.namespace`, else the client's namespace.
extension KubeClient {
  // MARK: Reading

  /// One object.
  public func get<Object: Decodable & Sendable>(
    _ resource: ResourceDescriptor, as type: Object.Type, name: String, namespace: String? = nil
  ) async throws(KubeError) -> Object {
    let path = try objectPath(resource, name: name, namespace: namespace)
    return try await decode(type, from: perform(APIRequest(method: .GET, path: path)))
  }

  /// One page of a collection (all of it without `options.limit`).
  ///
  /// - Parameter namespace: nil for the client's namespace, `KubeClient.allNamespaces` for every
  ///   namespace; ignored for cluster-scoped kinds.
  public func list<Object: Codable & Sendable>(
    _ resource: ResourceDescriptor, as type: Object.Type, namespace: String? = nil,
    options: ListOptions = ListOptions()
  ) async throws(KubeError) -> ObjectList<Object> {
    let path = collectionPath(resource, namespace: namespace)
    return try await decode(
      ObjectList<Object>.self, from: perform(APIRequest(method: .GET, path: path, query: options.query)))
  }

  /// The whole collection, read a page at a time (`options.limit` per page, 500 when unset) by
  /// following continue tokens. The answer's `metadata.resourceVersion` is the one the pages were
  /// read at: a watch started from it misses nothing.
  ///
  /// If the server expires the continue token part-way (410), the collection is read again in
  /// one unpaged request, as client-go's pager does, so the answer is still one consistent snapshot.
  public func listAll<Object: Codable & Sendable>(
    _ resource: ResourceDescriptor, as type: Object.Type, namespace: String? = nil,
    options: ListOptions = ListOptions()
  ) async throws(KubeError) -> ObjectList<Object> {
    var pageOptions = options
    pageOptions.limit = options.limit ?? 500
    var items: [Object] = []
    var first: ListMeta?
    while true {
      let page: ObjectList<Object>
      do {
        page = try await list(resource, as: type, namespace: namespace, options: pageOptions)
      } catch let error where error.isGone && pageOptions.continueToken != nil {
        var whole = options
        whole.limit = nil
        whole.continueToken = nil
        return try await list(resource, as: type, namespace: namespace, options: whole)
      }
      items += page.items
      if first == nil { first = page.metadata }
      guard let token = page.metadata.continueToken, !token.isEmpty else {
        return ObjectList(metadata: ListMeta(resourceVersion: (first ?? page.metadata).resourceVersion), items: items)
      }
      guard token != pageOptions.continueToken else {
        throw KubeError(
          .decoding, message: "the server returned the same continue token twice",
          request: "GET \(collectionPath(resource, namespace: namespace))")
      }
      pageOptions.continueToken = token
    }
  }

  // MARK: Writing

  /// Creates an object and answers with it as stored (name, uid, resourceVersion filled in).
  /// An object of that name already there fails with `alreadyExists`.
  public func create<Object: Codable & Sendable>(
    _ object: Object, in resource: ResourceDescriptor, namespace: String? = nil,
    options: WriteOptions = WriteOptions()
  ) async throws(KubeError) -> Object {
    let body = try outgoing(object, resource)
    let namespace = try writeNamespace(resource, namespace, body)
    let path = collectionPath(resource, namespace: namespace)
    if resource.namespaced, namespace.isEmpty {
      throw KubeError(.invalidRequest, message: "creating \(resource) needs a namespace", request: "POST \(path)")
    }
    return try await decode(
      Object.self, from: perform(jsonRequest(.POST, path: path, query: options.query, body: body)))
  }

  /// Replaces an object (PUT). Carrying `metadata.resourceVersion` makes the update conditional:
  /// if the object changed since it was read, it fails with `conflict`. Fields the object lacks are
  /// cleared on the server.
  public func update<Object: Codable & Sendable>(
    _ object: Object, in resource: ResourceDescriptor, namespace: String? = nil,
    options: WriteOptions = WriteOptions()
  ) async throws(KubeError) -> Object {
    try await put(object, resource, namespace: namespace, subresource: nil, options: options)
  }

  /// Deletes an object. `options.propagationPolicy` says what happens to its dependents;
  /// `options.preconditions` make the deletion conditional.
  public func delete<Object: Decodable & Sendable>(
    _ resource: ResourceDescriptor, as type: Object.Type, name: String, namespace: String? = nil,
    options: DeleteOptions = DeleteOptions()
  ) async throws(KubeError) -> Deletion<Object> {
    let path = try objectPath(resource, name: name, namespace: namespace)
    var body = try JSONValue(encoding: options)
    body["kind"] = "DeleteOptions"
    body["apiVersion"] = "v1"
    let response = try await perform(jsonRequest(.DELETE, path: path, body: body))
    let request = response.request
    let answer = try Self.decode(JSONValue.self, from: response.body, request: request)
    if answer["kind"]?.stringValue == "Status" {
      return Deletion(
        object: nil, status: try Self.decode(Status.self, from: response.body, request: request), isPending: false)
    }
    let object = try Self.decode(type, from: response.body, request: request)
    let pending = answer[path: ["metadata", "deletionTimestamp"]]?.stringValue != nil
    return Deletion(object: object, status: nil, isPending: pending)
  }

  /// Changes part of an object. See `Patch` for the three kinds.
  public func patch<Object: Decodable & Sendable>(
    _ resource: ResourceDescriptor, as type: Object.Type, name: String, namespace: String? = nil, _ patch: Patch,
    options: WriteOptions = WriteOptions()
  ) async throws(KubeError) -> Object {
    let path = try objectPath(resource, name: name, namespace: namespace)
    return try await decode(type, from: perform(patchRequest(path: path, patch, options)))
  }

  /// Server-side apply: sends the fields this manager wants the object to have, and the server
  /// merges them, creating the object if needed. Fields the manager set before and leaves out now
  /// are removed; fields other managers own are left alone, and one both set differently fails
  /// with `conflict` unless `force` takes it over.
  ///
  /// The body is JSON, which is YAML, under the content type `application/apply-patch+yaml`; it
  /// must name the object (`metadata.name`).
  public func apply<Object: Codable & Sendable>(
    _ object: Object, in resource: ResourceDescriptor, namespace: String? = nil, fieldManager: String,
    force: Bool = false, dryRun: Bool = false
  ) async throws(KubeError) -> Object {
    try await applyRequest(object, resource, namespace: namespace, subresource: nil, fieldManager, force, dryRun)
  }

  // MARK: The status subresource

  /// An object read through its `status` subresource (kinds with one only).
  public func getStatus<Object: Decodable & Sendable>(
    _ resource: ResourceDescriptor, as type: Object.Type, name: String, namespace: String? = nil
  ) async throws(KubeError) -> Object {
    let path = try objectPath(resource, name: name, namespace: namespace, subresource: "status")
    return try await decode(type, from: perform(APIRequest(method: .GET, path: path)))
  }

  /// Replaces an object's status; the server ignores every other change in the body.
  public func updateStatus<Object: Codable & Sendable>(
    _ object: Object, in resource: ResourceDescriptor, namespace: String? = nil,
    options: WriteOptions = WriteOptions()
  ) async throws(KubeError) -> Object {
    try await put(object, resource, namespace: namespace, subresource: "status", options: options)
  }

  /// Changes part of an object's status.
  public func patchStatus<Object: Decodable & Sendable>(
    _ resource: ResourceDescriptor, as type: Object.Type, name: String, namespace: String? = nil, _ patch: Patch,
    options: WriteOptions = WriteOptions()
  ) async throws(KubeError) -> Object {
    let path = try objectPath(resource, name: name, namespace: namespace, subresource: "status")
    return try await decode(type, from: perform(patchRequest(path: path, patch, options)))
  }

  /// Server-side apply of the status this manager owns.
  public func applyStatus<Object: Codable & Sendable>(
    _ object: Object, in resource: ResourceDescriptor, namespace: String? = nil, fieldManager: String,
    force: Bool = false, dryRun: Bool = false
  ) async throws(KubeError) -> Object {
    try await applyRequest(object, resource, namespace: namespace, subresource: "status", fieldManager, force, dryRun)
  }

  // MARK: Paths

  /// `/api/v1` or `/apis/<group>/<version>`.
  static func groupVersionPath(_ resource: ResourceDescriptor) -> String {
    resource.group.isEmpty ? "/api/\(resource.version)" : "/apis/\(resource.group)/\(resource.version)"
  }

  /// The collection's path; a namespaced kind with an empty namespace spans all namespaces.
  func collectionPath(_ resource: ResourceDescriptor, namespace: String?) -> String {
    var path = Self.groupVersionPath(resource)
    let namespace = namespace ?? self.namespace
    if resource.namespaced, !namespace.isEmpty { path += "/namespaces/\(Self.pathSegment(namespace))" }
    return path + "/" + resource.plural
  }

  /// One object's path, or one of its subresources'.
  func objectPath(
    _ resource: ResourceDescriptor, name: String, namespace: String?, subresource: String? = nil
  ) throws(KubeError) -> String {
    let collection = collectionPath(resource, namespace: namespace)
    guard !name.isEmpty else {
      throw KubeError(.invalidRequest, message: "the object to address has no name", request: collection)
    }
    if resource.namespaced, (namespace ?? self.namespace).isEmpty {
      throw KubeError(
        .invalidRequest, message: "\(resource) \"\(name)\" is namespaced, but no namespace was given",
        request: collection)
    }
    var path = collection + "/" + Self.pathSegment(name)
    if let subresource { path += "/" + subresource }
    return path
  }

  // MARK: Bodies

  /// The object as JSON, with `apiVersion` and `kind` filled in from the descriptor when absent.
  func outgoing(_ object: some Encodable, _ resource: ResourceDescriptor) throws(KubeError) -> JSONValue {
    var body = try JSONValue(encoding: object)
    guard body.objectValue != nil else {
      throw KubeError(.invalidRequest, message: "the object to send is not a JSON object")
    }
    if body["apiVersion"]?.stringValue?.isEmpty ?? true { body["apiVersion"] = .string(resource.apiVersion) }
    if let kind = resource.kind, body["kind"]?.stringValue?.isEmpty ?? true { body["kind"] = .string(kind) }
    return body
  }

  /// The namespace a write goes to: the argument, else the body's, else the client's.
  private func writeNamespace(
    _ resource: ResourceDescriptor, _ namespace: String?, _ body: JSONValue
  )
    throws(KubeError) -> String
  {
    guard resource.namespaced else { return "" }
    if let namespace { return namespace }
    if let own = body[path: ["metadata", "namespace"]]?.stringValue, !own.isEmpty { return own }
    return self.namespace
  }

  private func objectName(of body: JSONValue, _ resource: ResourceDescriptor, verb: String) throws(KubeError) -> String
  {
    guard let name = body[path: ["metadata", "name"]]?.stringValue, !name.isEmpty else {
      throw KubeError(.invalidRequest, message: "\(verb) of \(resource) needs metadata.name in the object")
    }
    return name
  }

  private func put<Object: Codable & Sendable>(
    _ object: Object, _ resource: ResourceDescriptor, namespace: String?, subresource: String?,
    options: WriteOptions
  ) async throws(KubeError) -> Object {
    let body = try outgoing(object, resource)
    let name = try objectName(of: body, resource, verb: "an update")
    let path = try objectPath(
      resource, name: name, namespace: writeNamespace(resource, namespace, body), subresource: subresource)
    return try await decode(Object.self, from: perform(jsonRequest(.PUT, path: path, query: options.query, body: body)))
  }

  private func applyRequest<Object: Codable & Sendable>(
    _ object: Object, _ resource: ResourceDescriptor, namespace: String?, subresource: String?,
    _ fieldManager: String, _ force: Bool, _ dryRun: Bool
  ) async throws(KubeError) -> Object {
    let body = try outgoing(object, resource)
    let name = try objectName(of: body, resource, verb: "server-side apply")
    let path = try objectPath(
      resource, name: name, namespace: writeNamespace(resource, namespace, body), subresource: subresource)
    guard !fieldManager.isEmpty else {
      throw KubeError(.invalidRequest, message: "server-side apply needs a field manager", request: "PATCH \(path)")
    }
    var query: [(name: String, value: String)] = [("fieldManager", fieldManager)]
    if force { query.append(("force", "true")) }
    if dryRun { query.append(("dryRun", "All")) }
    let request = APIRequest(
      method: .PATCH, path: path, query: query, body: ByteBuffer(string: body.serialized),
      contentType: "application/apply-patch+yaml")
    return try await decode(Object.self, from: perform(request))
  }

  private func patchRequest(path: String, _ patch: Patch, _ options: WriteOptions) -> APIRequest {
    APIRequest(
      method: .PATCH, path: path, query: options.query, body: ByteBuffer(string: patch.body.serialized),
      contentType: patch.contentType)
  }

  private func jsonRequest(
    _ method: HTTPMethod, path: String, query: [(name: String, value: String)] = [], body: JSONValue
  ) -> APIRequest {
    APIRequest(
      method: method, path: path, query: query, body: ByteBuffer(string: body.serialized),
      contentType: "application/json")
  }

  // MARK: Decoding

  private func decode<Value: Decodable>(_ type: Value.Type, from response: APIResponse) throws(KubeError) -> Value {
    try Self.decode(type, from: response.body, request: response.request)
  }

  static func decode<Value: Decodable>(
    _ type: Value.Type, from body: ByteBuffer, request: String?
  ) throws(KubeError)
    -> Value
  {
    do {
      return try JSONDecoder().decode(type, from: Data(body.readableBytesView))
    } catch let error as DecodingError {
      throw KubeError(.decoding, message: "the answer is not a \(type): \(describe(error))", request: request)
    } catch {
      throw KubeError(.decoding, message: "the answer is not a \(type): \(error)", request: request)
    }
  }

  /// `spec.replicas: expected Int32, found a string`, from a DecodingError.
  static func describe(_ error: DecodingError) -> String {
    func path(_ keys: [any CodingKey]) -> String {
      keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        .trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }
    switch error {
    case .typeMismatch(let type, let context): return "\(path(context.codingPath)): expected \(type)"
    case .valueNotFound(let type, let context): return "\(path(context.codingPath)): expected \(type), found null"
    case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])) is missing"
    case .dataCorrupted(let context): return "\(path(context.codingPath)): \(context.debugDescription)"
    @unknown default: return "\(error)"
    }
  }
}
