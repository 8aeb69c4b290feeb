import Foundation
import KubeModel

/// How to narrow and page a list.
public struct ListOptions: Sendable, Hashable {
  /// Such as `app=web,tier!=cache` or `environment in (prod, staging)`.
  public var labelSelector: String?
  /// Such as `spec.nodeName=node-1` or `metadata.name=web`.
  public var fieldSelector: String?
  /// At most this many objects per page; the answer's `metadata.continueToken` asks for the next.
  public var limit: Int?
  /// The token from the previous page.
  public var continueToken: String?
  /// Nil reads the latest state (a quorum read); `"0"` accepts the server's cache, which is cheaper.
  public var resourceVersion: String?
  /// `NotOlderThan` or `Exact`, to say how `resourceVersion` is meant.
  public var resourceVersionMatch: String?

  public init(
    labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil, continueToken: String? = nil,
    resourceVersion: String? = nil, resourceVersionMatch: String? = nil
  ) {
    self.labelSelector = labelSelector
    self.fieldSelector = fieldSelector
    self.limit = limit
    self.continueToken = continueToken
    self.resourceVersion = resourceVersion
    self.resourceVersionMatch = resourceVersionMatch
  }

  var query: [(name: String, value: String)] {
    var query: [(name: String, value: String)] = []
    if let labelSelector, !labelSelector.isEmpty { query.append(("labelSelector", labelSelector)) }
    if let fieldSelector, !fieldSelector.isEmpty { query.append(("fieldSelector", fieldSelector)) }
    if let limit, limit > 0 { query.append(("limit", String(limit))) }
    if let continueToken, !continueToken.isEmpty { query.append(("continue", continueToken)) }
    if let resourceVersion { query.append(("resourceVersion", resourceVersion)) }
    if let resourceVersionMatch { query.append(("resourceVersionMatch", resourceVersionMatch)) }
    return query
  }
}

/// How to start a watch.
public struct WatchOptions: Sendable, Hashable {
  /// Changes after this version are sent. Nil or `"0"` sends every current object as `ADDED`
  /// first. Pass the `resourceVersion` of the list the watch follows, or of the last event seen.
  public var resourceVersion: String?
  public var labelSelector: String?
  public var fieldSelector: String?
  /// Ask for `BOOKMARK` events, which carry only a newer resourceVersion to resume from.
  public var allowWatchBookmarks: Bool
  /// The server ends the watch after this many seconds; nil leaves it to the server (minutes).
  public var timeoutSeconds: Int?
  /// Bytes one event may take at most; a longer one fails the stream with `responseTooLarge`
  /// rather than growing the buffer without bound.
  public var maximumEventSize: Int

  public init(
    resourceVersion: String? = nil, labelSelector: String? = nil, fieldSelector: String? = nil,
    allowWatchBookmarks: Bool = true, timeoutSeconds: Int? = nil, maximumEventSize: Int = 16 * 1024 * 1024
  ) {
    self.resourceVersion = resourceVersion
    self.labelSelector = labelSelector
    self.fieldSelector = fieldSelector
    self.allowWatchBookmarks = allowWatchBookmarks
    self.timeoutSeconds = timeoutSeconds
    self.maximumEventSize = maximumEventSize
  }

  var query: [(name: String, value: String)] {
    var query: [(name: String, value: String)] = [("watch", "true")]
    if let resourceVersion, !resourceVersion.isEmpty { query.append(("resourceVersion", resourceVersion)) }
    if let labelSelector, !labelSelector.isEmpty { query.append(("labelSelector", labelSelector)) }
    if let fieldSelector, !fieldSelector.isEmpty { query.append(("fieldSelector", fieldSelector)) }
    if allowWatchBookmarks { query.append(("allowWatchBookmarks", "true")) }
    if let timeoutSeconds { query.append(("timeoutSeconds", String(timeoutSeconds))) }
    return query
  }
}

/// Options of create, update and patch.
public struct WriteOptions: Sendable, Hashable {
  /// Who makes the change, recorded in `managedFields`.
  public var fieldManager: String?
  /// Check and answer as if written, without writing.
  public var dryRun: Bool
  /// `Strict` (reject unknown fields), `Warn` or `Ignore`.
  public var fieldValidation: String?

  public init(fieldManager: String? = nil, dryRun: Bool = false, fieldValidation: String? = nil) {
    self.fieldManager = fieldManager
    self.dryRun = dryRun
    self.fieldValidation = fieldValidation
  }

  var query: [(name: String, value: String)] {
    var query: [(name: String, value: String)] = []
    if let fieldManager, !fieldManager.isEmpty { query.append(("fieldManager", fieldManager)) }
    if dryRun { query.append(("dryRun", "All")) }
    if let fieldValidation, !fieldValidation.isEmpty { query.append(("fieldValidation", fieldValidation)) }
    return query
  }
}

/// A partial change to an object.
public enum Patch: Sendable, Hashable {
  /// RFC 7386 JSON merge patch: objects merge key by key, `null` deletes a key, anything else
  /// (lists included) replaces. `{"metadata": {"labels": {"tier": null}}}` removes one label.
  case merge(JSONValue)
  /// RFC 6902 JSON Patch: operations applied in order, failing as a whole if one fails (a `test`
  /// operation makes a patch conditional).
  case json([JSONPatchOperation])
  /// Kubernetes' strategic merge patch, built-in kinds only: lists with a merge key (containers
  /// by name, …) merge element by element.
  case strategicMerge(JSONValue)

  /// A merge patch from a value with optional fields, such as a partly filled `Lease`: the fields
  /// it sets are changed, the ones it leaves nil are left alone.
  public static func merge(encoding value: some Encodable) throws(KubeError) -> Patch {
    .merge(try JSONValue(encoding: value))
  }

  public var contentType: String {
    switch self {
    case .merge: "application/merge-patch+json"
    case .json: "application/json-patch+json"
    case .strategicMerge: "application/strategic-merge-patch+json"
    }
  }

  var body: JSONValue {
    switch self {
    case .merge(let document), .strategicMerge(let document): document
    case .json(let operations): .array(operations.map(\.jsonValue))
    }
  }
}

/// One operation of a JSON Patch. Paths are JSON pointers: `/metadata/labels/app` (build them
/// with `pointer(_:)` when a key may contain `/` or `~`).
public struct JSONPatchOperation: Sendable, Hashable {
  /// `add`, `remove`, `replace`, `move`, `copy` or `test`.
  public var op: String
  public var path: String
  public var value: JSONValue?
  /// For `move` and `copy`.
  public var from: String?

  public init(op: String, path: String, value: JSONValue? = nil, from: String? = nil) {
    self.op = op
    self.path = path
    self.value = value
    self.from = from
  }

  public static func add(_ path: String, _ value: JSONValue) -> Self { Self(op: "add", path: path, value: value) }
  public static func remove(_ path: String) -> Self { Self(op: "remove", path: path) }
  public static func replace(_ path: String, _ value: JSONValue) -> Self {
    Self(op: "replace", path: path, value: value)
  }
  /// Fails the whole patch unless the value at `path` equals `value`.
  public static func test(_ path: String, _ value: JSONValue) -> Self { Self(op: "test", path: path, value: value) }
  public static func move(from: String, to path: String) -> Self { Self(op: "move", path: path, from: from) }
  public static func copy(from: String, to path: String) -> Self { Self(op: "copy", path: path, from: from) }

  /// A JSON pointer to the member reached by `keys`, escaping `~` and `/` in each key:
  /// `pointer("metadata", "labels", "app.kubernetes.io/name")` is
  /// `/metadata/labels/app.kubernetes.io~1name`.
  public static func pointer(_ keys: String...) -> String {
    keys.map { "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }
      .joined()
  }

  var jsonValue: JSONValue {
    var members: [String: JSONValue] = ["op": .string(op), "path": .string(path)]
    if let value { members["value"] = value }
    if let from { members["from"] = .string(from) }
    return .object(members)
  }
}

/// The body of a DELETE.
public struct DeleteOptions: Codable, Sendable, Hashable {
  /// What happens to an object's dependents (the objects naming it in `ownerReferences`) when it
  /// is deleted.
  public enum PropagationPolicy: String, Codable, Sendable, CaseIterable {
    /// The object goes at once; the garbage collector deletes its dependents afterwards.
    case background = "Background"
    /// The object stays, terminating, until the dependents that block owner deletion are gone.
    case foreground = "Foreground"
    /// The dependents stay, without their reference to the object.
    case orphan = "Orphan"
  }

  public var propagationPolicy: PropagationPolicy?
  /// Seconds the object may take to stop (pods); 0 deletes at once.
  public var gracePeriodSeconds: Int64?
  /// The deletion happens only when the object still has this uid and resourceVersion.
  public var preconditions: Preconditions?
  /// `["All"]` asks the server to check the request without acting on it.
  public var dryRun: [String]?

  public struct Preconditions: Codable, Sendable, Hashable {
    public var uid: String?
    public var resourceVersion: String?

    public init(uid: String? = nil, resourceVersion: String? = nil) {
      self.uid = uid
      self.resourceVersion = resourceVersion
    }
  }

  public init(
    propagationPolicy: PropagationPolicy? = nil, gracePeriodSeconds: Int64? = nil,
    preconditions: Preconditions? = nil, dryRun: [String]? = nil
  ) {
    self.propagationPolicy = propagationPolicy
    self.gracePeriodSeconds = gracePeriodSeconds
    self.preconditions = preconditions
    self.dryRun = dryRun
  }
}

/// What a DELETE answered.
///
/// The API server answers with the object when it still exists (finalizers or a grace period
/// hold it, shown by `deletionTimestamp`) and, for some kinds (pods, namespaces, custom
/// resources), also when it is gone; otherwise with a success `Status`.
public struct Deletion<Object: Sendable>: Sendable {
  /// The object, when the server answered with it.
  public var object: Object?
  /// The success Status, when the server answered with one.
  public var status: Status?
  /// Whether the object still exists, terminating: the answer carried a `deletionTimestamp`.
  public var isPending: Bool

  public init(object: Object?, status: Status?, isPending: Bool) {
    self.object = object
    self.status = status
    self.isPending = isPending
  }
}

extension JSONValue {
  /// Any encodable value as JSON.
  init(encoding value: some Encodable) throws(KubeError) {
    if let json = value as? JSONValue {
      self = json
      return
    }
    do {
      self = try JSONValue(parsing: try JSONEncoder().encode(value))
    } catch {
      throw KubeError(.invalidRequest, message: "the object cannot be encoded as JSON: \(error)")
    }
  }
}
