import Hummingbird
import KubeModel

/// The options every write takes from its query string: who is writing (`fieldManager`) and
/// whether to store anything (`dryRun`); for patches also `force`, which only an apply may send.
struct WriteOptions {
  /// The manager recorded for a write other than an apply: `fieldManager`, or else the first part
  /// of the User-Agent (`kubectl` from `kubectl/v1.32.0 (linux/amd64) …`), or else `unknown`.
  var fieldManager: String
  var dryRun: Bool
  var force: Bool

  static let maximumFieldManagerLength = 128

  init(_ request: Request, _ query: Query, patchType: PatchType? = nil) throws(FakeKubeError) {
    try self.init(method: request.method, userAgent: request.headers[.userAgent], query: query, patchType: patchType)
  }

  init(
    method: HTTPRequest.Method, userAgent: String?, query: Query, patchType: PatchType? = nil
  ) throws(FakeKubeError) {
    var causes: [FieldCause] = []
    let sent = query["fieldManager"] ?? ""
    if sent.count > Self.maximumFieldManagerLength {
      causes.append(
        FieldCause(
          reason: "FieldValueTooLong", field: "fieldManager",
          message: "Too long: may not be more than \(Self.maximumFieldManagerLength) bytes"))
    }
    if patchType == .apply, sent.isEmpty {
      causes.append(
        FieldCause(
          reason: "FieldValueRequired", field: "fieldManager", message: "Required value: is required for apply patch"))
    }
    if let patchType, patchType != .apply, query["force"] != nil {
      causes.append(
        FieldCause(
          reason: "FieldValueForbidden", field: "force", message: "Forbidden: may not be specified for non-apply patch")
      )
    }
    let dryRun = query["dryRun"]
    if let dryRun, !dryRun.isEmpty, dryRun != "All" {
      causes.append(
        FieldCause(
          reason: "FieldValueNotSupported", field: "dryRun",
          message: "Unsupported value: \(JSONValue.string(dryRun).serialized): supported values: \"All\""))
    }
    if !causes.isEmpty {
      let kind =
        switch method {
        case .post: "CreateOptions"
        case .patch: "PatchOptions"
        case .delete: "DeleteOptions"
        default: "UpdateOptions"
        }
      throw .invalidFields(kind: kind, group: "meta.k8s.io", name: "", causes: causes)
    }
    let agent = userAgent.flatMap { $0.split(separator: "/").first.map(String.init) } ?? ""
    fieldManager =
      !sent.isEmpty ? sent : agent.isEmpty ? "unknown" : String(agent.prefix(Self.maximumFieldManagerLength))
    self.dryRun = dryRun == "All"
    force = query.flag("force")
  }
}

extension APIResponder {
  /// `PATCH` with `application/apply-patch+yaml`: creates the object or merges the configuration
  /// into it, with field ownership and conflicts (see `ServerSideApply`). A custom resource's
  /// configuration is pruned by its schema first (or rejected under `fieldValidation=Strict`), and
  /// the merged object goes through the schema's defaults and validation like any other write.
  func serverSideApply(
    _ request: Request, _ target: Target, name: String, _ query: Query, _ options: WriteOptions
  ) async throws -> Response {
    let buffer = try await request.body.collect(upTo: Self.maximumBodySize)
    var configuration = try YAMLBody.parse(buffer.readableBytesView)
    var warnings: [String] = []
    if let schema = target.type.custom?.schema {
      let (pruned, removed) = schema.pruned(configuration)
      switch FieldValidation(query: query["fieldValidation"]) {
      case .strict where !removed.isEmpty:
        throw FakeKubeError.unknownFields(kind: target.type.kind, version: target.type.version, fields: removed)
      case .warn: warnings += removed.map { "unknown field \"\($0)\"" }
      case .strict, .ignore: break
      }
      configuration = pruned
    }
    let admissionQuery = Query("fieldValidation=Ignore")
    if (try? store.get(target.type, namespace: target.namespace ?? "", name: name)) == nil {
      try checkDefinitionAcceptsNewObjects(target.type)
    }
    let (object, created) = try store.apply(
      target.type, namespace: target.namespace ?? "", name: name, subresource: target.subresource,
      configuration: configuration, fieldManager: options.fieldManager, force: options.force,
      dryRun: options.dryRun
    ) { merged throws(FakeKubeError) in
      try admit(merged, target.type, admissionQuery, warnings: &warnings)
    }
    let answer = options.dryRun ? object : try afterWrite(object, target.type)
    forgetRemovedDefinitions(after: target.type)
    return withWarnings(JSONResponse.make(answer, status: created ? .created : .ok), warnings)
  }
}
