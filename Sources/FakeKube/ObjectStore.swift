import Foundation
import KubeModel
import Synchronization

/// Where an object lives: its resource (group, version, plural), namespace (empty when
/// cluster-scoped) and name.
public struct ObjectKey: Hashable, Sendable, Comparable {
  public var group: String
  public var version: String
  public var resource: String
  public var namespace: String
  public var name: String

  public init(_ type: ResourceType, namespace: String, name: String) {
    group = type.group
    version = type.version
    resource = type.plural
    self.namespace = type.namespaced ? namespace : ""
    self.name = name
  }

  public static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
    (lhs.namespace, lhs.name) < (rhs.namespace, rhs.name)
  }
}

/// One change to one object, as a watch delivers it.
public struct WatchEvent: Sendable, Equatable {
  public enum Kind: String, Sendable {
    case added = "ADDED"
    case modified = "MODIFIED"
    case deleted = "DELETED"
    case bookmark = "BOOKMARK"
    case error = "ERROR"
  }

  public var kind: Kind
  public var object: JSONValue
  /// The object before a modification, so a watch with a selector can tell an object leaving it.
  public var previous: JSONValue?
  public var resourceVersion: Int64
}

/// One page of a list, with the resourceVersion the list was read at.
public struct ObjectList: Sendable {
  public var items: [JSONValue]
  public var resourceVersion: Int64
  /// The opaque token for the next page, or nil on the last page.
  public var continueToken: String?
  public var remainingItemCount: Int?
}

/// What a watch wants to see.
public struct WatchFilter: Sendable {
  public var type: ResourceType
  /// Nil for every namespace.
  public var namespace: String?
  public var labels: LabelSelector
  public var fields: FieldSelector

  public init(
    type: ResourceType, namespace: String? = nil, labels: LabelSelector = .everything,
    fields: FieldSelector = .everything
  ) {
    self.type = type
    self.namespace = namespace
    self.labels = labels
    self.fields = fields
  }

  func selects(_ object: JSONValue) -> Bool {
    labels.matches(object.labels) && fields.matches(object)
  }

  func covers(_ key: ObjectKey) -> Bool {
    key.group == type.group && key.version == type.version && key.resource == type.plural
      && (namespace.map { $0 == key.namespace } ?? true)
  }
}

/// A live watch: events from the store, in resourceVersion order.
public struct WatchSubscription: Sendable {
  public let id: UInt64
  public let events: AsyncStream<WatchEvent>
}

/// The in-memory object store: unstructured objects under one global resourceVersion counter,
/// with the bookkeeping a real API server does on each write (uid, creationTimestamp, generation,
/// optimistic concurrency) and a bounded history of changes that watches replay from.
///
/// All state sits behind one `Mutex`, so a watch registers and replays history atomically with
/// respect to writes: no event is missed or delivered twice.
public final class ObjectStore: Sendable {
  struct Watcher {
    var filter: WatchFilter
    var continuation: AsyncStream<WatchEvent>.Continuation
  }

  struct State {
    var objects: [ObjectKey: JSONValue] = [:]
    var resourceVersion: Int64 = 0
    var history: [(key: ObjectKey, event: WatchEvent)] = []
    /// The highest resourceVersion whose event has fallen out of `history`.
    var evictedThrough: Int64 = 0
    var watchers: [UInt64: Watcher] = [:]
    var nextWatcherID: UInt64 = 1
    /// Set on shutdown: new watches end at once.
    var watchesClosed = false
    /// The uids of objects removed since the garbage collector last looked for their dependents.
    var vanishedOwners: Set<String> = []
    /// The cluster IPs and node ports Services hold.
    var serviceAddresses = ServiceAddresses()
  }

  let state = Mutex(State())
  private let historyLimit: Int
  /// How many events one watch may have waiting for its client before the watch is ended.
  let watchBufferLimit: Int
  let now: @Sendable () -> Date
  /// Whether deletions propagate to dependents through `metadata.ownerReferences`.
  public let garbageCollection: Bool

  /// - Parameters:
  ///   - historyLimit: how many changes watches can replay; an older resourceVersion gets 410 Gone.
  ///   - now: the clock for creationTimestamp and deletionTimestamp, replaceable in tests.
  ///   - garbageCollection: whether deleting an owner deletes or orphans its dependents, as the
  ///     garbage collector of a real cluster does; when off, propagation policies are ignored.
  ///   - watchBufferLimit: how many live events one watch may have waiting for its client; a watch
  ///     that falls further behind is ended (its client resumes from the last event it read, as
  ///     from any ended watch), so a slow client cannot make the server's memory grow without bound.
  public init(
    historyLimit: Int = 10_000, now: @escaping @Sendable () -> Date = Date.init, garbageCollection: Bool = true,
    watchBufferLimit: Int = 1_000
  ) {
    self.historyLimit = max(1, historyLimit)
    self.watchBufferLimit = max(1, watchBufferLimit)
    self.now = now
    self.garbageCollection = garbageCollection
  }

  /// The current value of the global resourceVersion counter.
  public var currentResourceVersion: Int64 { state.withLock { $0.resourceVersion } }

  // MARK: Reads

  public func get(_ type: ResourceType, namespace: String, name: String) throws(FakeKubeError) -> JSONValue {
    let key = ObjectKey(type, namespace: namespace, name: name)
    guard let object = state.withLock({ $0.objects[key] }) else {
      throw .notFound(group: type.group, resource: type.plural, name: name)
    }
    return object
  }

  /// Lists objects sorted by namespace and name, `limit` at a time when a limit is given.
  public func list(
    _ filter: WatchFilter, limit: Int? = nil, continueToken: String? = nil
  ) throws(FakeKubeError) -> ObjectList {
    let start = try continueToken.map { token throws(FakeKubeError) in try Self.decodeContinue(token) }
    let (matching, resourceVersion) = state.withLock { state in
      let keys = state.objects.keys.filter { filter.covers($0) }.sorted()
      let objects = keys.compactMap { key -> (ObjectKey, JSONValue)? in
        guard let object = state.objects[key], filter.selects(object) else { return nil }
        return (key, object)
      }
      return (objects, state.resourceVersion)
    }
    var page = matching
    if let start { page = page.filter { ($0.0.namespace, $0.0.name) > (start.namespace, start.name) } }
    guard let limit, limit > 0, page.count > limit else {
      return ObjectList(items: page.map(\.1), resourceVersion: resourceVersion)
    }
    let last = page[limit - 1].0
    return ObjectList(
      items: page.prefix(limit).map(\.1), resourceVersion: resourceVersion,
      continueToken: Self.encodeContinue(namespace: last.namespace, name: last.name),
      remainingItemCount: page.count - limit)
  }

  // MARK: Writes

  /// How a write treats `metadata.managedFields`.
  enum FieldTracking {
    /// A write the store's own callers make: the managedFields it carries are kept, none means
    /// the stored ones, and no entry is recorded for it.
    case untracked
    /// A write by a named manager through create, update or a non-apply patch: it owns what it changed.
    case update(manager: String)
    /// A server-side apply, whose result already carries its managedFields.
    case applied
  }

  /// Stores a new object; the namespace comes from the request path, the name from
  /// `metadata.name` or, failing that, `metadata.generateName` and five random characters.
  ///
  /// - Parameters:
  ///   - fieldManager: who writes, recorded as an `Update` in `metadata.managedFields`; nil
  ///     records nothing.
  ///   - dryRun: check and return the object as it would be stored, without storing it.
  @discardableResult
  public func create(
    _ type: ResourceType, namespace: String, object: JSONValue, fieldManager: String? = nil, dryRun: Bool = false
  ) throws(FakeKubeError) -> JSONValue {
    let tracking: FieldTracking = fieldManager.map { .update(manager: $0) } ?? .untracked
    return try state.withLock { state throws(FakeKubeError) in
      try insert(type, namespace: namespace, object: object, tracking: tracking, dryRun: dryRun, in: &state)
    }
  }

  private func insert(
    _ type: ResourceType, namespace: String, object: JSONValue, tracking: FieldTracking, dryRun: Bool,
    in state: inout State
  ) throws(FakeKubeError) -> JSONValue {
    guard var metadata = object["metadata"]?.objectValue ?? (object.objectValue != nil ? [:] : nil) else {
      throw .badRequest("the request body must be a JSON object")
    }
    if type.namespaced, let bodyNamespace = metadata["namespace"]?.stringValue, !bodyNamespace.isEmpty,
      bodyNamespace != namespace
    {
      throw .badRequest("the namespace of the provided object does not match the namespace sent on the request")
    }
    var name = metadata["name"]?.stringValue ?? ""
    if name.isEmpty, let prefix = metadata["generateName"]?.stringValue, !prefix.isEmpty {
      name = prefix + Self.randomSuffix()
    }
    guard !name.isEmpty else {
      throw .invalid(
        kind: type.kind, name: "", field: "metadata.name", detail: "Required value: name or generateName is required")
    }
    let timestamp = now().formatted(.iso8601)
    if type.namespaced {
      try Self.checkNamespaceAcceptsNewObjects(namespace, creating: type, name: name, in: state)
    }
    let key = ObjectKey(type, namespace: namespace, name: name)
    guard state.objects[key] == nil else {
      throw .alreadyExists(group: type.group, resource: type.plural, name: name)
    }
    let resourceVersion = state.resourceVersion + 1
    metadata["name"] = .string(name)
    metadata["namespace"] = type.namespaced ? .string(namespace) : nil
    metadata["uid"] = .string(UUID().uuidString.lowercased())
    metadata["creationTimestamp"] = .string(timestamp)
    metadata["resourceVersion"] = dryRun ? nil : .string(String(resourceVersion))
    metadata["generation"] = type.tracksGeneration ? 1 : nil
    metadata["deletionTimestamp"] = nil
    var stored = object
    stored["metadata"] = .object(metadata)
    stored["apiVersion"] = .string(type.apiVersion)
    stored["kind"] = .string(type.kind)
    if type.plural == "namespaces", type.group.isEmpty { stored["status"] = ["phase": "Active"] }
    if type.group == "batch", type.plural == "jobs", type.custom == nil {
      stored = Self.withGeneratedJobSelector(stored)
    }
    var addresses = state.serviceAddresses
    stored = try admitted(stored, replacing: nil, as: type, addresses: &addresses)
    if case .update(let manager) = tracking {
      let base = try ManagedFields.base(
        sent: object[path: ManagedFields.path], stored: nil, kind: type.kind, name: name)
      let entries = ServerSideApply.recordingUpdate(
        base, from: nil, to: stored, type: type, subresource: nil, manager: manager, time: timestamp)
      stored = ManagedFields.setting(entries, on: stored)
    }
    guard !dryRun else { return stored }
    state.serviceAddresses = addresses
    state.resourceVersion = resourceVersion
    state.objects[key] = stored
    record(key, WatchEvent(kind: .added, object: stored, resourceVersion: state.resourceVersion), in: &state)
    return stored
  }

  /// Replaces an object. A `metadata.resourceVersion` in the body must match the stored one
  /// (409 Conflict otherwise); without one the update is unconditional, as on a real server.
  @discardableResult
  public func update(
    _ type: ResourceType, namespace: String, name: String, object: JSONValue, subresource: String? = nil,
    fieldManager: String? = nil, dryRun: Bool = false
  ) throws(FakeKubeError) -> JSONValue {
    try modify(
      type, namespace: namespace, name: name, subresource: subresource, fieldManager: fieldManager, dryRun: dryRun
    ) { _ in object }
  }

  /// Reads, transforms and writes back an object atomically: the basis of every PATCH.
  /// The transformed object is checked like an update's body. On an object being deleted no
  /// finalizer may be added (422), and removing the last one removes the object.
  ///
  /// - Parameters:
  ///   - fieldManager: who writes, recorded as an `Update` in `metadata.managedFields`; nil
  ///     records nothing.
  ///   - dryRun: check and return the object as it would be stored, without storing it.
  @discardableResult
  public func modify(
    _ type: ResourceType, namespace: String, name: String, subresource: String? = nil, fieldManager: String? = nil,
    dryRun: Bool = false, _ transform: (JSONValue) throws(FakeKubeError) -> JSONValue
  ) throws(FakeKubeError) -> JSONValue {
    let tracking: FieldTracking = fieldManager.map { .update(manager: $0) } ?? .untracked
    return try state.withLock { state throws(FakeKubeError) in
      try change(
        type, namespace: namespace, name: name, subresource: subresource, tracking: tracking, dryRun: dryRun,
        transform, in: &state)
    }
  }

  /// Server-side apply: merges `configuration` into the object as `fieldManager`, or creates the
  /// object from it when there is none (not through a subresource). `admit` turns the merged object
  /// into the one stored (a custom resource's schema, for instance). Returns the object and
  /// whether it was created.
  ///
  /// Throws 409 with one cause per field when the configuration would change fields another
  /// manager owns, unless `force` moves them to `fieldManager`.
  public func apply(
    _ type: ResourceType, namespace: String, name: String, subresource: String? = nil, configuration: JSONValue,
    fieldManager: String, force: Bool = false, dryRun: Bool = false,
    admit: (JSONValue) throws(FakeKubeError) -> JSONValue = { $0 }
  ) throws(FakeKubeError) -> (object: JSONValue, created: Bool) {
    if let sentName = configuration[path: ["metadata", "name"]]?.stringValue, sentName != name {
      throw .badRequest("the name of the object (\(sentName)) does not match the name on the URL (\(name))")
    }
    let timestamp = now().formatted(.iso8601)
    return try state.withLock { state throws(FakeKubeError) in
      let key = ObjectKey(type, namespace: namespace, name: name)
      guard state.objects[key] == nil else {
        let changed = try change(
          type, namespace: namespace, name: name, subresource: subresource, tracking: .applied, dryRun: dryRun,
          { existing throws(FakeKubeError) in
            try admit(
              try ServerSideApply.apply(
                configuration, to: existing, type: type, subresource: subresource, manager: fieldManager,
                force: force, time: timestamp))
          }, in: &state)
        return (changed, false)
      }
      guard subresource == nil else { throw .notFound(group: type.group, resource: type.plural, name: name) }
      var object = try ServerSideApply.apply(
        configuration, to: nil, type: type, subresource: nil, manager: fieldManager, force: force, time: timestamp)
      object.set(.string(name), at: ["metadata", "name"])
      let created = try insert(
        type, namespace: namespace, object: try admit(object), tracking: .applied, dryRun: dryRun, in: &state)
      return (created, true)
    }
  }

  private func change(
    _ type: ResourceType, namespace: String, name: String, subresource: String?, tracking: FieldTracking,
    dryRun: Bool, _ transform: (JSONValue) throws(FakeKubeError) -> JSONValue, in state: inout State
  ) throws(FakeKubeError) -> JSONValue {
    let key = ObjectKey(type, namespace: namespace, name: name)
    let timestamp = now().formatted(.iso8601)
    guard let existing = state.objects[key] else {
      throw .notFound(group: type.group, resource: type.plural, name: name)
    }
    var updated = try transform(existing)
    guard updated.objectValue != nil else { throw .badRequest("the request body must be a JSON object") }
    let existingVersion = existing[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
    if let sent = updated[path: ["metadata", "resourceVersion"]]?.stringValue, !sent.isEmpty,
      sent != existingVersion
    {
      throw .conflict(group: type.group, resource: type.plural, name: name)
    }
    if let sentName = updated[path: ["metadata", "name"]]?.stringValue, !sentName.isEmpty, sentName != name {
      throw .badRequest("the name of the object (\(sentName)) does not match the name on the URL (\(name))")
    }
    let sentManagedFields = updated[path: ManagedFields.path]
    // The server owns identity and bookkeeping fields; a client cannot change them.
    for field in [
      "uid", "creationTimestamp", "generation", "name", "namespace", "deletionTimestamp",
      "deletionGracePeriodSeconds",
    ] {
      updated.set(existing[path: ["metadata", field]], at: ["metadata", field])
    }
    updated["apiVersion"] = .string(type.apiVersion)
    updated["kind"] = .string(type.kind)
    // With a status subresource, the main endpoint ignores status and the status endpoint
    // ignores everything else.
    if subresource == "status" {
      var onlyStatus = existing
      onlyStatus["status"] = updated["status"]
      updated = onlyStatus
    } else if type.hasStatusSubresource {
      updated["status"] = existing["status"]
    }
    updated.set(.string(existingVersion), at: ["metadata", "resourceVersion"])
    var addresses = state.serviceAddresses
    updated = try admitted(updated, replacing: existing, as: type, addresses: &addresses)
    switch tracking {
    case .untracked:
      let kept = sentManagedFields == nil || sentManagedFields == .null
      updated.set(kept ? existing[path: ManagedFields.path] : sentManagedFields, at: ManagedFields.path)
    case .applied:
      updated.set(sentManagedFields, at: ManagedFields.path)
    case .update(let manager):
      let base = try ManagedFields.base(sent: sentManagedFields, stored: existing, kind: type.kind, name: name)
      updated = ManagedFields.setting(base, on: updated)
      let entries = ServerSideApply.recordingUpdate(
        base, from: existing, to: updated, type: type, subresource: subresource, manager: manager, time: timestamp)
      updated = ManagedFields.setting(entries, on: updated)
    }
    // A write that changes nothing but the times in managedFields changes nothing, as on a real
    // server: re-applying the same configuration keeps the resourceVersion.
    if Self.withoutManagedFieldTimes(updated) == Self.withoutManagedFieldTimes(existing) { return existing }
    if type.tracksGeneration, updated["spec"] != existing["spec"] {
      let generation = existing[path: ["metadata", "generation"]]?.intValue ?? 0
      updated.set(.int(generation + 1), at: ["metadata", "generation"])
    }
    if existing.isTerminating {
      try Self.checkNoFinalizersAdded(to: existing, by: updated, type: type)
    }
    guard !dryRun else { return updated }
    state.serviceAddresses = addresses
    guard existing.isTerminating else {
      return write(key, updated, replacing: existing, in: &state)
    }
    // The last finalizer of an object being deleted is gone: the object goes with it.
    if updated.finalizers.isEmpty, !ObjectKey.isNamespace(key) {
      let removed = remove(key, as: updated, in: &state) ?? updated
      collectGarbage(at: timestamp, in: &state)
      return removed
    }
    let written = write(key, updated, replacing: existing, in: &state)
    collectGarbage(at: timestamp, in: &state)
    return written
  }

  /// Stores a changed object under the next resourceVersion and tells the watches.
  @discardableResult
  func write(_ key: ObjectKey, _ object: JSONValue, replacing old: JSONValue, in state: inout State) -> JSONValue {
    var updated = object
    state.resourceVersion += 1
    updated.set(.string(String(state.resourceVersion)), at: ["metadata", "resourceVersion"])
    state.objects[key] = updated
    record(
      key, WatchEvent(kind: .modified, object: updated, previous: old, resourceVersion: state.resourceVersion),
      in: &state)
    return updated
  }

  /// Removes an object, as last stored or as `final`, and returns it with the resourceVersion of
  /// its deletion. Its uid is remembered so that the garbage collector can find its dependents.
  func remove(_ key: ObjectKey, as final: JSONValue? = nil, in state: inout State) -> JSONValue? {
    guard let stored = state.objects.removeValue(forKey: key) else { return nil }
    if key.group.isEmpty, key.resource == "services" { state.serviceAddresses.release(stored) }
    var object = final ?? stored
    state.resourceVersion += 1
    object.set(.string(String(state.resourceVersion)), at: ["metadata", "resourceVersion"])
    record(key, WatchEvent(kind: .deleted, object: object, resourceVersion: state.resourceVersion), in: &state)
    if let uid = object.uid { state.vanishedOwners.insert(uid) }
    return object
  }

  // MARK: Watches

  /// Starts a watch. With `since` nil, the current objects come first as ADDED events; with a
  /// resourceVersion, the changes after it are replayed from history, or 410 Gone when history no
  /// longer reaches back that far. Then live changes follow until the stream is dropped.
  public func watch(_ filter: WatchFilter, since: Int64?) throws(FakeKubeError) -> WatchSubscription {
    let (id, closed, stream, continuation) = try state.withLock { state throws(FakeKubeError) in
      var initial: [WatchEvent] = []
      if let since {
        if since < state.evictedThrough {
          throw .expired(requested: since, oldest: state.evictedThrough + 1)
        }
        for (key, event) in state.history where event.resourceVersion > since && filter.covers(key) {
          if let visible = Self.visible(event, to: filter) { initial.append(visible) }
        }
      } else {
        for key in state.objects.keys.filter({ filter.covers($0) }).sorted() {
          guard let object = state.objects[key], filter.selects(object) else { continue }
          let version = Int64(object[path: ["metadata", "resourceVersion"]]?.stringValue ?? "") ?? 0
          initial.append(WatchEvent(kind: .added, object: object, resourceVersion: version))
        }
      }
      // The opening events always fit; the limit bounds what piles up after them.
      let (stream, continuation) = AsyncStream.makeStream(
        of: WatchEvent.self, bufferingPolicy: .bufferingOldest(initial.count + watchBufferLimit))
      for event in initial { continuation.yield(event) }
      let id = state.nextWatcherID
      state.nextWatcherID += 1
      if !state.watchesClosed { state.watchers[id] = Watcher(filter: filter, continuation: continuation) }
      return (id, state.watchesClosed, stream, continuation)
    }
    // Not `stopWatch` right here: termination can run while the Swift runtime holds a task's
    // status lock (a cancelled consumer), and writers yield to watches under the store lock,
    // which may need that status lock; taking the store lock here too would deadlock the two.
    continuation.onTermination = { [weak self] _ in Task { self?.stopWatch(id) } }
    if closed { continuation.finish() }
    return WatchSubscription(id: id, events: stream)
  }

  /// Sends a BOOKMARK carrying the current resourceVersion into one watch, in order with its events.
  public func bookmark(_ id: UInt64) {
    state.withLock { state in
      guard let watcher = state.watchers[id] else { return }
      let type = watcher.filter.type
      let object: JSONValue = [
        "kind": .string(type.kind), "apiVersion": .string(type.apiVersion),
        "metadata": ["resourceVersion": .string(String(state.resourceVersion))],
      ]
      watcher.continuation.yield(WatchEvent(kind: .bookmark, object: object, resourceVersion: state.resourceVersion))
    }
  }

  /// Whether `closeWatches()` was called: every watch ends at once from then on.
  public var watchesAreClosed: Bool { state.withLock { $0.watchesClosed } }

  /// Ends a watch; its stream finishes.
  public func stopWatch(_ id: UInt64) {
    let watcher = state.withLock { $0.watchers.removeValue(forKey: id) }
    watcher?.continuation.finish()
  }

  /// Ends every watch, and every watch started from now on, so that a graceful shutdown does not
  /// wait for long-lived watch requests.
  public func closeWatches() {
    let watchers = state.withLock { state in
      state.watchesClosed = true
      defer { state.watchers = [:] }
      return state.watchers.values.map(\.continuation)
    }
    for continuation in watchers { continuation.finish() }
  }

  func record(_ key: ObjectKey, _ event: WatchEvent, in state: inout State) {
    state.history.append((key, event))
    if state.history.count > historyLimit {
      let overflow = state.history.count - historyLimit
      state.evictedThrough = state.history[overflow - 1].event.resourceVersion
      state.history.removeFirst(overflow)
    }
    var overflowed: [UInt64] = []
    for (id, watcher) in state.watchers where watcher.filter.covers(key) {
      guard let visible = Self.visible(event, to: watcher.filter) else { continue }
      if case .dropped = watcher.continuation.yield(visible) { overflowed.append(id) }
    }
    // A watch whose client fell too far behind ends after the events it has; its client resumes
    // from the last one it read, and history replays the rest. Its termination handler, which
    // takes the lock held here, is cleared first: the watch is already forgotten.
    for id in overflowed {
      guard let watcher = state.watchers.removeValue(forKey: id) else { continue }
      watcher.continuation.onTermination = nil
      watcher.continuation.finish()
    }
  }

  /// How a change looks through a selector: an object that stops matching is DELETED for that
  /// watch, one that starts matching is ADDED, as on a real server.
  static func visible(_ event: WatchEvent, to filter: WatchFilter) -> WatchEvent? {
    let matchesNow = filter.selects(event.object)
    guard event.kind == .modified, let previous = event.previous else { return matchesNow ? event : nil }
    let matchedBefore = filter.selects(previous)
    switch (matchedBefore, matchesNow) {
    case (true, true): return event
    case (false, true): return WatchEvent(kind: .added, object: event.object, resourceVersion: event.resourceVersion)
    case (true, false):
      return WatchEvent(kind: .deleted, object: event.object, resourceVersion: event.resourceVersion)
    case (false, false): return nil
    }
  }

  // MARK: Helpers

  private static func randomSuffix() -> String {
    let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
    return String((0..<5).map { _ in alphabet.randomElement() ?? "x" })
  }

  static func encodeContinue(namespace: String, name: String) -> String {
    Data("\(namespace)/\(name)".utf8).base64EncodedString()
  }

  static func decodeContinue(_ token: String) throws(FakeKubeError) -> (namespace: String, name: String) {
    guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8),
      let slash = text.firstIndex(of: "/")
    else { throw .badRequest("continue key is not valid: \(token)") }
    return (String(text[..<slash]), String(text[text.index(after: slash)...]))
  }
}

extension JSONValue {
  /// `metadata.labels` as a dictionary of strings.
  var labels: [String: String] {
    (self[path: ["metadata", "labels"]]?.objectValue ?? [:]).compactMapValues(\.stringValue)
  }
}
