import Foundation
import Hummingbird
import KubeModel

/// Routes every request by hand: Kubernetes paths are regular but deep, and which segment is a
/// namespace, a resource or a name depends on the registry, which CRDs change at run time.
struct APIResponder: HTTPResponder {
  typealias Context = BasicRequestContext

  let store: ObjectStore
  let registry: ResourceRegistry
  let bookmarkInterval: Duration
  /// Reported in legacy `/api` when the request names no host.
  let serverAddress: String

  static let maximumBodySize = 16 * 1024 * 1024

  func respond(to request: Request, context: Context) async throws -> Response {
    do {
      return try await route(request)
    } catch let error as FakeKubeError {
      return JSONResponse.make(error.statusObject, status: error.httpStatus)
    }
  }

  private func route(_ request: Request) async throws -> Response {
    let segments = request.uri.path.split(separator: "/").map(String.init)
    let query = Query(request.uri.query ?? "")
    let accept = request.headers[.accept] ?? ""
    let isGet = request.method == .get
    switch segments.first {
    case nil where isGet:
      return JSONResponse.make(["paths": ["/api", "/api/v1", "/apis", "/openapi/v3", "/version"]])
    case "version" where isGet && segments.count == 1:
      return JSONResponse.make(Discovery.version())
    case "healthz", "livez", "readyz":
      return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok")))
    case "api" where segments.count == 1 && isGet:
      if Discovery.wantsAggregated(accept) {
        return JSONResponse.make(
          Discovery.aggregated(registry, core: true), contentType: Discovery.aggregatedContentType)
      }
      return JSONResponse.make(Discovery.apiVersions(serverAddress: request.head.authority ?? serverAddress))
    case "apis" where segments.count == 1 && isGet:
      if Discovery.wantsAggregated(accept) {
        return JSONResponse.make(
          Discovery.aggregated(registry, core: false), contentType: Discovery.aggregatedContentType)
      }
      return JSONResponse.make(Discovery.apiGroupList(registry))
    case "api" where segments.count >= 2:
      return try await resourceRequest(request, group: "", version: segments[1], rest: segments.dropFirst(2), query)
    case "apis" where segments.count >= 3:
      return try await resourceRequest(
        request, group: segments[1], version: segments[2], rest: segments.dropFirst(3), query)
    case "openapi" where isGet:
      return try openAPI(Array(segments.dropFirst()))
    default:
      throw FakeKubeError.notFound(group: "", resource: "", name: "")
    }
  }

  private func openAPI(_ segments: [String]) throws -> Response {
    guard segments.first == "v3" else { throw FakeKubeError.notFound(group: "", resource: "", name: "") }
    let rest = Array(segments.dropFirst())
    let document: JSONValue?
    switch rest.count {
    case 0: document = OpenAPIDocuments.root(registry)
    case 2 where rest[0] == "api": document = OpenAPIDocuments.groupVersion(registry, group: "", version: rest[1])
    case 3 where rest[0] == "apis":
      document = OpenAPIDocuments.groupVersion(registry, group: rest[1], version: rest[2])
    default: document = nil
    }
    guard let document else { throw FakeKubeError.notFound(group: "", resource: "", name: "") }
    return JSONResponse.make(document)
  }

  // MARK: Resources

  /// Where a request points: a collection (name nil) or one object, maybe a subresource.
  struct Target {
    var type: ResourceType
    /// Nil for a namespaced resource listed across all namespaces; empty for cluster-scoped.
    var namespace: String?
    var name: String?
    var subresource: String?
  }

  private func resolve(group: String, version: String, rest: [String]) throws(FakeKubeError) -> Target {
    let notFound = FakeKubeError.notFound(group: group, resource: "", name: "")
    // `namespaces/<ns>/<resource>/…`, unless it is a namespace's own subresource.
    if rest.count >= 3, rest[0] == "namespaces", !["status", "finalize"].contains(rest[2]) {
      guard let type = registry.type(group: group, version: version, plural: rest[2]), type.namespaced,
        rest.count <= 5
      else { throw notFound }
      return Target(
        type: type, namespace: rest[1], name: rest.count > 3 ? rest[3] : nil,
        subresource: rest.count > 4 ? rest[4] : nil)
    }
    guard let plural = rest.first, let type = registry.type(group: group, version: version, plural: plural),
      rest.count <= 3
    else { throw notFound }
    if type.namespaced {
      guard rest.count == 1 else { throw notFound }
      return Target(type: type, namespace: nil, name: nil, subresource: nil)
    }
    return Target(
      type: type, namespace: "", name: rest.count > 1 ? rest[1] : nil,
      subresource: rest.count > 2 ? rest[2] : nil)
  }

  private func resourceRequest(
    _ request: Request, group: String, version: String, rest: ArraySlice<String>, _ query: Query
  ) async throws -> Response {
    if rest.isEmpty {
      guard request.method == .get, let list = Discovery.apiResourceList(registry, group: group, version: version)
      else { throw FakeKubeError.notFound(group: "", resource: "", name: "") }
      return JSONResponse.make(list)
    }
    let target = try resolve(group: group, version: version, rest: Array(rest))
    if let subresource = target.subresource, !target.type.subresources.contains(subresource) {
      throw FakeKubeError.notFound(group: group, resource: "\(target.type.plural)/\(subresource)", name: "")
    }
    let accept = request.headers[.accept] ?? ""
    let namespace = target.namespace ?? ""
    switch (request.method, target.name) {
    case (.get, nil):
      if query.flag("watch") { return try watch(request, target, query, accept: accept) }
      return try list(target, query, accept: accept)
    case (.get, let name?):
      let object = try store.get(target.type, namespace: namespace, name: name)
      if target.subresource == "scale" { return JSONResponse.make(Scale.of(object)) }
      return render(object, target.type, accept: accept, query: query)
    case (.put, let name?) where target.subresource == "scale":
      let body = try await readJSON(request)
      let options = try WriteOptions(request, query)
      let updated = try store.modify(
        target.type, namespace: namespace, name: name, subresource: "scale", fieldManager: options.fieldManager,
        dryRun: options.dryRun
      ) { existing throws(FakeKubeError) in try Scale.applying(body, to: existing) }
      return JSONResponse.make(Scale.of(updated))
    case (.patch, let name?) where target.subresource == "scale":
      let patchType = try PatchType(contentType: request.headers[.contentType] ?? "")
      let options = try WriteOptions(request, query, patchType: patchType)
      let patch = try await readJSON(request)
      let updated = try store.modify(
        target.type, namespace: namespace, name: name, subresource: "scale", fieldManager: options.fieldManager,
        dryRun: options.dryRun
      ) { existing throws(FakeKubeError) in
        try Scale.applying(try patchType.apply(patch, to: Scale.of(existing)), to: existing)
      }
      return JSONResponse.make(Scale.of(updated))
    case (.post, nil):
      guard target.namespace != nil else { throw FakeKubeError.methodNotAllowed("create needs a namespace") }
      try checkDefinitionAcceptsNewObjects(target.type)
      let options = try WriteOptions(request, query)
      var warnings: [String] = []
      let body = try admit(try await readJSON(request), target.type, query, warnings: &warnings)
      let created = try store.create(
        target.type, namespace: namespace, object: body, fieldManager: options.fieldManager, dryRun: options.dryRun)
      let answer = options.dryRun ? created : try afterWrite(created, target.type)
      return withWarnings(JSONResponse.make(answer, status: .created), warnings)
    case (.put, let name?):
      let body = try await readJSON(request)
      let options = try WriteOptions(request, query)
      var warnings: [String] = []
      let updated = try store.modify(
        target.type, namespace: namespace, name: name, subresource: target.subresource,
        fieldManager: options.fieldManager, dryRun: options.dryRun
      ) { _ throws(FakeKubeError) in try admit(body, target.type, query, warnings: &warnings) }
      let answer = options.dryRun ? updated : try afterWrite(updated, target.type)
      forgetRemovedDefinitions(after: target.type)
      return withWarnings(JSONResponse.make(answer), warnings)
    case (.patch, let name?):
      let patchType = try PatchType(contentType: request.headers[.contentType] ?? "")
      let options = try WriteOptions(request, query, patchType: patchType)
      if patchType == .apply { return try await serverSideApply(request, target, name: name, query, options) }
      let patch = try await readJSON(request)
      var warnings: [String] = []
      let patched = try store.modify(
        target.type, namespace: namespace, name: name, subresource: target.subresource,
        fieldManager: options.fieldManager, dryRun: options.dryRun
      ) { existing throws(FakeKubeError) in
        try admit(try patchType.apply(patch, to: existing), target.type, query, warnings: &warnings)
      }
      let answer = options.dryRun ? patched : try afterWrite(patched, target.type)
      forgetRemovedDefinitions(after: target.type)
      return withWarnings(JSONResponse.make(answer), warnings)
    case (.delete, let name?):
      let options = try await deleteOptions(request, query)
      // A dry run answers with the object as it stands and deletes nothing.
      if try WriteOptions(request, query).dryRun {
        let object = try store.get(target.type, namespace: namespace, name: name)
        try options.preconditions.check(object, type: target.type, name: name)
        return JSONResponse.make(object)
      }
      let deletion = try store.delete(
        target.type, namespace: namespace, name: name, propagation: options.policy,
        preconditions: options.preconditions)
      forgetRemovedDefinitions(after: target.type)
      // An object that waits for its finalizers is answered with itself, deletionTimestamp set.
      guard deletion.isComplete else { return JSONResponse.make(deletion.object) }
      return JSONResponse.make(deletionAnswer(deletion.object, target.type))
    case (.delete, nil):
      let policy = try await deleteOptions(request, query).policy
      let selected = try store.list(try filter(target, query))
      if try WriteOptions(request, query).dryRun {
        return JSONResponse.make(
          listDocument(target.type, items: selected.items, resourceVersion: selected.resourceVersion))
      }
      var deleted: [JSONValue] = []
      for object in selected.items {
        let objectNamespace = object[path: ["metadata", "namespace"]]?.stringValue ?? ""
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        if let deletion = try? store.delete(
          target.type, namespace: objectNamespace, name: name, propagation: policy)
        {
          deleted.append(deletion.object)
        }
      }
      forgetRemovedDefinitions(after: target.type)
      return JSONResponse.make(listDocument(target.type, items: deleted, resourceVersion: store.currentResourceVersion))
    default:
      throw FakeKubeError.methodNotAllowed("the server does not allow this method on the requested resource")
    }
  }

  /// What DELETE answers: the object for the kinds whose deletion a real server reports with the
  /// object (pods, namespaces, CRDs and custom resources), a success Status for the rest.
  private func deletionAnswer(_ deleted: JSONValue, _ type: ResourceType) -> JSONValue {
    let returnsObject =
      (type.group.isEmpty && ["pods", "namespaces"].contains(type.plural)) || type.group == "apiextensions.k8s.io"
    if returnsObject { return deleted }
    var details: JSONValue = [
      "name": deleted[path: ["metadata", "name"]] ?? "", "kind": .string(type.plural),
      "uid": deleted[path: ["metadata", "uid"]] ?? "",
    ]
    if !type.group.isEmpty { details["group"] = .string(type.group) }
    return ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success", "details": details]
  }

  /// What a DELETE's options ask for: the propagation policy and the preconditions.
  struct DeleteRequestOptions {
    var policy: PropagationPolicy?
    var preconditions: DeletePreconditions
  }

  /// `propagationPolicy` and `preconditions` from the DeleteOptions body, or else the policy from
  /// the query string; the legacy `orphanDependents: true` means `Orphan`.
  private func deleteOptions(_ request: Request, _ query: Query) async throws -> DeleteRequestOptions {
    let buffer = try await request.body.collect(upTo: Self.maximumBodySize)
    var text = query["propagationPolicy"]
    var preconditions = DeletePreconditions()
    if buffer.readableBytes > 0, let options = try? JSONValue(parsing: buffer.readableBytesView) {
      if let policy = options["propagationPolicy"]?.stringValue {
        text = policy
      } else if options["orphanDependents"] == true {
        text = PropagationPolicy.orphan.rawValue
      }
      preconditions.uid = options[path: ["preconditions", "uid"]]?.stringValue
      preconditions.resourceVersion = options[path: ["preconditions", "resourceVersion"]]?.stringValue
    }
    guard let text, !text.isEmpty else { return DeleteRequestOptions(policy: nil, preconditions: preconditions) }
    return DeleteRequestOptions(policy: try PropagationPolicy(parsing: text), preconditions: preconditions)
  }

  private func filter(_ target: Target, _ query: Query) throws(FakeKubeError) -> WatchFilter {
    let fields = try FieldSelector(parsing: query["fieldSelector"] ?? "")
    try fields.check(supportedBy: target.type)
    return WatchFilter(
      type: target.type, namespace: target.type.namespaced ? target.namespace : nil,
      labels: try LabelSelector(parsing: query["labelSelector"] ?? ""), fields: fields)
  }

  private func list(_ target: Target, _ query: Query, accept: String) throws -> Response {
    let limit = query["limit"].flatMap { Int($0) }
    let page = try store.list(try filter(target, query), limit: limit, continueToken: query["continue"])
    if Tables.wantsTable(accept) {
      let table = Tables.table(
        target.type, objects: page.items, resourceVersion: page.resourceVersion, continueToken: page.continueToken,
        include: includeObject(query), now: Date())
      return JSONResponse.make(table, contentType: Tables.contentType)
    }
    var document = listDocument(target.type, items: page.items, resourceVersion: page.resourceVersion)
    if let token = page.continueToken { document.set(.string(token), at: ["metadata", "continue"]) }
    if let remaining = page.remainingItemCount {
      document.set(.int(Int64(remaining)), at: ["metadata", "remainingItemCount"])
    }
    return JSONResponse.make(document)
  }

  private func listDocument(_ type: ResourceType, items: [JSONValue], resourceVersion: Int64) -> JSONValue {
    [
      "kind": .string("\(type.kind)List"), "apiVersion": .string(type.apiVersion),
      "metadata": ["resourceVersion": .string(String(resourceVersion))], "items": .array(items),
    ]
  }

  private func render(_ object: JSONValue, _ type: ResourceType, accept: String, query: Query) -> Response {
    guard Tables.wantsTable(accept) else { return JSONResponse.make(object) }
    let version = Int64(object[path: ["metadata", "resourceVersion"]]?.stringValue ?? "") ?? 0
    let table = Tables.table(
      type, objects: [object], resourceVersion: version, include: includeObject(query), now: Date())
    return JSONResponse.make(table, contentType: Tables.contentType)
  }

  private func includeObject(_ query: Query) -> Tables.IncludeObject {
    query["includeObject"].flatMap(Tables.IncludeObject.init(rawValue:)) ?? .metadata
  }

  private func readJSON(_ request: Request) async throws -> JSONValue {
    let buffer = try await request.body.collect(upTo: Self.maximumBodySize)
    let contentType = request.headers[.contentType] ?? "application/json"
    if contentType.lowercased().hasPrefix("application/vnd.kubernetes.protobuf") {
      return try ProtobufBody.decode(Array(buffer.readableBytesView), contentType: contentType)
    }
    do {
      return try JSONValue(parsing: buffer.readableBytesView)
    } catch {
      throw FakeKubeError.malformedJSON(error.description)
    }
  }

  // MARK: Watch

  private func watch(_ request: Request, _ target: Target, _ query: Query, accept: String) throws -> Response {
    let filter = try filter(target, query)
    let since: Int64? =
      switch query["resourceVersion"] {
      case nil, "", "0": nil
      case let text?: Int64(text)
      }
    let timeout = Duration.seconds(query["timeoutSeconds"].flatMap { Int($0) } ?? 1800)
    let bookmarks = query.flag("allowWatchBookmarks")
    let asTable = Tables.wantsTable(accept)
    let include = includeObject(query)
    let store = self.store
    let bookmarkInterval = self.bookmarkInterval
    let subscription: WatchSubscription?
    let failure: FakeKubeError?
    do {
      subscription = try store.watch(filter, since: since)
      failure = nil
    } catch {
      subscription = nil
      failure = error
    }
    var headers = HTTPFields()
    headers[.contentType] = asTable ? Tables.contentType : "application/json"
    // Noticing a client that leaves (below) costs the connection: it is closed when the watch
    // ends. Saying so up front keeps clients from reusing it and failing their next request.
    headers[.connection] = "close"
    let body = ResponseBody { writer in
      guard let subscription else {
        if let failure {
          let event: JSONValue = ["type": "ERROR", "object": failure.statusObject]
          try await writer.write(ByteBuffer(string: event.serialized + "\n"))
        }
        try await writer.finish(nil)
        return
      }
      defer { store.stopWatch(subscription.id) }
      // A client that goes away ends its watch at once, not at the next event written to it.
      // (The request came over a connection: its body has not been read or replaced, as this
      // needs.)
      try await request.body.consumeWithInboundCloseHandler { _ in
        try await withThrowingTaskGroup(of: Void.self) { group in
          group.addTask {
            try await Task.sleep(for: timeout)
            store.stopWatch(subscription.id)
          }
          if bookmarks {
            group.addTask {
              while true {
                try await Task.sleep(for: bookmarkInterval)
                store.bookmark(subscription.id)
              }
            }
          }
          for await event in subscription.events {
            var object = event.object
            if asTable, event.kind != .bookmark {
              object = Tables.table(
                target.type, objects: [object], resourceVersion: event.resourceVersion, include: include, now: Date())
            }
            let line: JSONValue = ["type": .string(event.kind.rawValue), "object": object]
            try await writer.write(ByteBuffer(string: line.serialized + "\n"))
          }
          group.cancelAll()
        }
      } onInboundClosed: {
        store.stopWatch(subscription.id)
      }
      try await writer.finish(nil)
    }
    return Response(status: .ok, headers: headers, body: body)
  }
}

/// The query string, percent-decoded; the last value wins for a repeated name.
struct Query {
  private var values: [String: String] = [:]

  init(_ text: String) {
    for pair in text.split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let decode = { (raw: Substring) in
        String(raw).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(raw)
      }
      values[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
    }
  }

  subscript(name: String) -> String? { values[name] }

  /// A boolean parameter: `1` or `true`.
  func flag(_ name: String) -> Bool {
    ["1", "true"].contains(values[name]?.lowercased() ?? "")
  }
}
