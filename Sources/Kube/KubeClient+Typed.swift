import KubeModel

/// The verbs on kinds with a Swift type: where the API serves them comes from the type
/// (`KubeResource`), so a call names only the object.
///
/// ```swift
/// let pods = try await client.list(Pod.self, namespace: "shop", options: ListOptions(labelSelector: "app=web"))
/// var lease = try await client.get(Lease.self, name: "sovren-operator")
/// lease.spec?.renewTime = .now()
/// lease = try await client.update(lease)   // fails with `conflict` if someone renewed it first
/// ```
extension KubeClient {
  public func get<Object: KubeResource>(
    _ type: Object.Type, name: String, namespace: String? = nil
  )
    async throws(KubeError) -> Object
  {
    try await get(Object.resource, as: type, name: name, namespace: namespace)
  }

  /// One page of a collection; see `list(_:as:namespace:options:)`.
  public func list<Object: KubeResource>(
    _ type: Object.Type, namespace: String? = nil, options: ListOptions = ListOptions()
  ) async throws(KubeError) -> ObjectList<Object> {
    try await list(Object.resource, as: type, namespace: namespace, options: options)
  }

  /// The whole collection, following continue tokens; see `listAll(_:as:namespace:options:)`.
  public func listAll<Object: KubeResource>(
    _ type: Object.Type, namespace: String? = nil, options: ListOptions = ListOptions()
  ) async throws(KubeError) -> ObjectList<Object> {
    try await listAll(Object.resource, as: type, namespace: namespace, options: options)
  }

  public func create<Object: KubeResource>(
    _ object: Object, namespace: String? = nil, options: WriteOptions = WriteOptions()
  ) async throws(KubeError) -> Object {
    try await create(object, in: Object.resource, namespace: namespace, options: options)
  }

  /// Replaces the object; see `update(_:in:namespace:options:)` (and `KubeResource` on fields
  /// the type does not model).
  public func update<Object: KubeResource>(
    _ object: Object, namespace: String? = nil, options: WriteOptions = WriteOptions()
  ) async throws(KubeError) -> Object {
    try await update(object, in: Object.resource, namespace: namespace, options: options)
  }

  public func delete<Object: KubeResource>(
    _ type: Object.Type, name: String, namespace: String? = nil, options: DeleteOptions = DeleteOptions()
  ) async throws(KubeError) -> Deletion<Object> {
    try await delete(Object.resource, as: type, name: name, namespace: namespace, options: options)
  }

  public func patch<Object: KubeResource>(
    _ type: Object.Type, name: String, namespace: String? = nil, _ patch: Patch,
    options: WriteOptions = WriteOptions()
  ) async throws(KubeError) -> Object {
    try await self.patch(Object.resource, as: type, name: name, namespace: namespace, patch, options: options)
  }

  /// Server-side apply; see `apply(_:in:namespace:fieldManager:force:dryRun:)`.
  public func apply<Object: KubeResource>(
    _ object: Object, namespace: String? = nil, fieldManager: String, force: Bool = false, dryRun: Bool = false
  ) async throws(KubeError) -> Object {
    try await apply(
      object, in: Object.resource, namespace: namespace, fieldManager: fieldManager, force: force, dryRun: dryRun)
  }

  public func getStatus<Object: KubeResource>(
    _ type: Object.Type, name: String, namespace: String? = nil
  )
    async throws(KubeError) -> Object
  {
    try await getStatus(Object.resource, as: type, name: name, namespace: namespace)
  }

  public func updateStatus<Object: KubeResource>(
    _ object: Object, namespace: String? = nil, options: WriteOptions = WriteOptions()
  ) async throws(KubeError) -> Object {
    try await updateStatus(object, in: Object.resource, namespace: namespace, options: options)
  }

  public func patchStatus<Object: KubeResource>(
    _ type: Object.Type, name: String, namespace: String? = nil, _ patch: Patch,
    options: WriteOptions = WriteOptions()
  ) async throws(KubeError) -> Object {
    try await patchStatus(Object.resource, as: type, name: name, namespace: namespace, patch, options: options)
  }

  public func applyStatus<Object: KubeResource>(
    _ object: Object, namespace: String? = nil, fieldManager: String, force: Bool = false, dryRun: Bool = false
  ) async throws(KubeError) -> Object {
    try await applyStatus(
      object, in: Object.resource, namespace: namespace, fieldManager: fieldManager, force: force, dryRun: dryRun)
  }

  /// Starts a watch; see `watch(_:as:namespace:options:)`.
  public func watch<Object: KubeResource>(
    _ type: Object.Type, namespace: String? = nil, options: WatchOptions = WatchOptions()
  ) async throws(KubeError) -> WatchEvents<Object> {
    try await watch(Object.resource, as: type, namespace: namespace, options: options)
  }
}
