import KubeModel

/// What every write goes through before it is stored, in the order a real API server applies it:
/// the namespace must exist and not be terminating (on create), the kind's defaults are filled in,
/// a Service gets what the Service registry keeps or allocates for it, and the result is
/// validated, against the stored object on an update.
extension ObjectStore {
  static let namespaceTerminatingCause = "NamespaceTerminating"

  /// The object as it will be stored, or 422 Invalid naming each bad field. Allocations are made
  /// in `addresses`, which the caller commits only when the write is stored.
  func admitted(
    _ object: JSONValue, replacing old: JSONValue?, as type: ResourceType, addresses: inout ServiceAddresses
  ) throws(FakeKubeError) -> JSONValue {
    var result = BuiltInDefaults.defaulted(object, as: type)
    let isService = type.custom == nil && type.group.isEmpty && type.plural == "services"
    if isService, let old { result = ServiceAddresses.keepingAllocations(result, from: old) }
    try BuiltInValidation.check(result, replacing: old, as: type)
    if isService { result = try addresses.allocate(for: result, replacing: old) }
    return result
  }

  /// A namespaced object may be created only in a namespace that exists (404 otherwise) and is not
  /// being deleted (403 Forbidden, as the NamespaceLifecycle admission plugin answers).
  static func checkNamespaceAcceptsNewObjects(
    _ namespace: String, creating type: ResourceType, name: String, in state: State
  ) throws(FakeKubeError) {
    guard let object = state.objects[ObjectKey(.namespaces, namespace: "", name: namespace)] else {
      throw .notFound(group: "", resource: "namespaces", name: namespace)
    }
    guard !object.isTerminating else {
      throw .forbidden(
        group: type.group, resource: type.plural, name: name,
        message: "unable to create new content in namespace \(namespace) because it is being terminated",
        causes: [
          FieldCause(
            reason: namespaceTerminatingCause, field: "metadata.namespace",
            message: "namespace \(namespace) is being terminated")
        ])
    }
  }

  /// A new Job whose selector is left to the server: its pods are labelled with the Job's uid and
  /// name, and the selector picks the uid, as the Job registry does unless `manualSelector` is set.
  static func withGeneratedJobSelector(_ job: JSONValue) -> JSONValue {
    guard job[path: ["spec", "manualSelector"]] != true, let uid = job.uid,
      let name = job[path: ["metadata", "name"]]?.stringValue
    else { return job }
    var result = job
    let labels = ["job-name": name, "batch.kubernetes.io/job-name": name]
      .merging(["controller-uid": uid, "batch.kubernetes.io/controller-uid": uid]) { first, _ in first }
    for (key, value) in labels {
      result.setDefault(.string(value), at: ["spec", "template", "metadata", "labels", key])
    }
    result.setDefault(.string(uid), at: ["spec", "selector", "matchLabels", "batch.kubernetes.io/controller-uid"])
    return result
  }

  /// The object with the times of its managedFields entries left out, to compare two versions of
  /// it by what they say rather than when.
  static func withoutManagedFieldTimes(_ object: JSONValue) -> JSONValue {
    guard let entries = object[path: ManagedFields.path]?.arrayValue else { return object }
    var result = object
    result.set(
      .array(
        entries.map { entry in
          var untimed = entry
          untimed["time"] = nil
          return untimed
        }), at: ManagedFields.path)
    return result
  }
}
