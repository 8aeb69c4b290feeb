import KubeModel
import Logging

/// What a watcher reports: the state of a collection as a stream of changes.
///
/// A (re)list arrives as `initStart`, one `initApply` per object and `initDone`; a cache that
/// swaps in the listed objects at `initDone` drops the objects deleted while the watcher was
/// away. Between lists, `apply` and `delete` report changes one by one.
public enum WatcherEvent<Object: Sendable>: Sendable {
  /// A list starts: the objects that follow until `initDone` are the whole collection.
  case initStart
  /// One object of the list.
  case initApply(Object)
  /// The list is complete.
  case initDone
  /// An object was added or changed.
  case apply(Object)
  /// An object was deleted; this is its last state.
  case delete(Object)
}

extension WatcherEvent: Equatable where Object: Equatable {}

/// How a watcher lists, watches and retries.
public struct WatcherConfiguration: Sendable {
  public var labelSelector: String?
  public var fieldSelector: String?
  /// Objects per list page.
  public var pageSize: Int
  /// How long each watch request lasts before the server ends it and the watcher starts the
  /// next one from where it was. Kept under five minutes, so a half-dead connection that no
  /// error reports is replaced regularly.
  public var watchTimeout: Duration
  /// Ask for bookmarks, so a watch resumes from a recent resourceVersion even when the objects
  /// it selects have not changed for a long time.
  public var bookmarks: Bool
  /// The wait between failed attempts.
  public var backoff: Backoff
  /// The longest event accepted; a longer one counts as a failure of that watch.
  public var maximumEventSize: Int

  public init(
    labelSelector: String? = nil, fieldSelector: String? = nil, pageSize: Int = 500,
    watchTimeout: Duration = .seconds(290), bookmarks: Bool = true, backoff: Backoff = Backoff(),
    maximumEventSize: Int = 16 * 1024 * 1024
  ) {
    self.labelSelector = labelSelector
    self.fieldSelector = fieldSelector
    self.pageSize = pageSize
    self.watchTimeout = watchTimeout
    self.bookmarks = bookmarks
    self.backoff = backoff
    self.maximumEventSize = maximumEventSize
  }
}

/// Follows a collection for as long as it is iterated, in the way of kube-rs's watcher: list,
/// then watch from the list's resourceVersion; keep the newest resourceVersion seen (objects and
/// bookmarks); when a watch ends, start the next one from there; when the server no longer has
/// that version (410 Gone, as an HTTP status or an `ERROR` event), list again; after any other
/// failure, wait (jittered exponential backoff, or the server's `Retry-After` when longer) and
/// retry. A watch the server ends at once without an event, and a second 410 right after a
/// relist, wait too, so that a misbehaving server is not hammered.
///
/// It never ends on its own and never throws: failures are logged and retried, because the
/// controller or cache behind it is only useful while it keeps up. Iteration ends (returns nil)
/// when the task is cancelled. Events are pulled, one at a time: a slow consumer slows the
/// watcher down rather than filling a buffer.
///
/// ```swift
/// let pods = Watcher(client: client, type: Pod.self, namespace: KubeClient.allNamespaces)
/// for await event in pods { … }
/// ```
public struct Watcher<Object: Codable & KubeObject>: AsyncSequence, Sendable {
  public typealias Element = WatcherEvent<Object>
  public typealias Failure = Never

  let client: KubeClient
  let resource: ResourceDescriptor
  let namespace: String?
  let configuration: WatcherConfiguration
  let logger: Logger

  /// - Parameter namespace: nil for the client's namespace, `KubeClient.allNamespaces` for all.
  public init(
    client: KubeClient, resource: ResourceDescriptor, as type: Object.Type = Object.self, namespace: String? = nil,
    configuration: WatcherConfiguration = WatcherConfiguration(), logger: Logger? = nil
  ) {
    self.client = client
    self.resource = resource
    self.namespace = namespace
    self.configuration = configuration
    var logger = logger ?? client.logger
    logger[metadataKey: "k8s.resource"] = "\(resource)"
    self.logger = logger
  }

  public func makeAsyncIterator() -> Iterator {
    Iterator(watcher: self)
  }

  public struct Iterator: AsyncIteratorProtocol {
    enum State {
      /// The next step lists the collection.
      case empty
      /// Handing out a list's objects; then watch from `resourceVersion`.
      case listed(items: ArraySlice<Object>, resourceVersion: String)
      /// Between watches: the next step starts one from `resourceVersion`.
      case resuming(resourceVersion: String)
      case watching(WatchEvents<Object>.Iterator, resourceVersion: String)
    }

    let watcher: Watcher
    var state = State.empty
    var backoff = Backoff.State()
    /// When the current watch started, and whether it has delivered anything (bookmarks count).
    var watchStarted = ContinuousClock.now
    var watchDelivered = false
    /// Set by a relist that a 410 caused, cleared by the first event after it: a second 410
    /// before any progress backs off instead of relisting in a tight loop.
    var relistedAfterGone = false

    init(watcher: Watcher) {
      self.watcher = watcher
    }

    /// The `timeoutSeconds` each watch asks for.
    var watchTimeoutSeconds: Int { Swift.max(1, Int(watcher.configuration.watchTimeout.seconds)) }

    public mutating func next() async -> WatcherEvent<Object>? {
      while !Task.isCancelled {
        switch state {
        case .empty:
          do {
            let list = try await watcher.client.listAll(
              watcher.resource, as: Object.self, namespace: watcher.namespace,
              options: ListOptions(
                labelSelector: watcher.configuration.labelSelector, fieldSelector: watcher.configuration.fieldSelector,
                limit: Swift.max(1, watcher.configuration.pageSize)))
            let resourceVersion = list.metadata.resourceVersion ?? ""
            watcher.logger.debug(
              "listed", metadata: ["k8s.resource_version": "\(resourceVersion)", "k8s.count": "\(list.items.count)"])
            state = .listed(items: list.items[...], resourceVersion: resourceVersion)
            return .initStart
          } catch {
            await failed(error, while: "listing")
          }
        case .listed(var items, let resourceVersion):
          if let object = items.popFirst() {
            state = .listed(items: items, resourceVersion: resourceVersion)
            return .initApply(object)
          }
          state = .resuming(resourceVersion: resourceVersion)
          return .initDone
        case .resuming(let resourceVersion):
          do {
            let events = try await watcher.client.watch(
              watcher.resource, as: Object.self, namespace: watcher.namespace,
              options: WatchOptions(
                resourceVersion: resourceVersion, labelSelector: watcher.configuration.labelSelector,
                fieldSelector: watcher.configuration.fieldSelector,
                allowWatchBookmarks: watcher.configuration.bookmarks, timeoutSeconds: watchTimeoutSeconds,
                maximumEventSize: watcher.configuration.maximumEventSize))
            watcher.logger.debug("watch started", metadata: ["k8s.resource_version": "\(resourceVersion)"])
            watchStarted = .now
            watchDelivered = false
            state = .watching(events.makeAsyncIterator(), resourceVersion: resourceVersion)
          } catch {
            await failed(error, while: "starting a watch")
          }
        case .watching(var events, let resourceVersion):
          do {
            guard let event = try await events.next() else {
              // The server ended the watch (its timeout, or it is going away): carry on from here.
              state = .resuming(resourceVersion: resourceVersion)
              await endedEarly()
              continue
            }
            watchDelivered = true
            relistedAfterGone = false
            switch event {
            case .added(let object), .modified(let object):
              state = .watching(events, resourceVersion: object.objectResourceVersion ?? resourceVersion)
              return .apply(object)
            case .deleted(let object):
              state = .watching(events, resourceVersion: object.objectResourceVersion ?? resourceVersion)
              return .delete(object)
            case .bookmark(let bookmark):
              watcher.logger.trace("bookmark", metadata: ["k8s.resource_version": "\(bookmark.resourceVersion)"])
              state = .watching(
                events, resourceVersion: bookmark.resourceVersion.isEmpty ? resourceVersion : bookmark.resourceVersion)
            }
          } catch {
            state = .resuming(resourceVersion: resourceVersion)
            await failed(error, while: "watching")
          }
        }
      }
      return nil
    }

    /// A watch that the server ends before its timeout without sending anything (a proxy that
    /// closes at once, a server going away) is retried after the backoff delay, not in a tight loop.
    private mutating func endedEarly() async {
      guard !watchDelivered, ContinuousClock.now - watchStarted < .seconds(watchTimeoutSeconds) else { return }
      let delay = backoff.nextDelay(watcher.configuration.backoff)
      watcher.logger.debug(
        "watch ended early without events; retrying",
        metadata: ["k8s.retry_in": "\(delay)", "k8s.attempt": "\(backoff.attempts)"])
      try? await Task.sleep(for: delay)
    }

    /// Logs a failure and decides what comes next: a list when the server forgot our version,
    /// else the same step again after the backoff delay.
    private mutating func failed(_ error: any Error, while step: String) async {
      guard !Task.isCancelled else { return }
      let kubeError = error as? KubeError
      let listing = if case .empty = state { true } else { false }
      if kubeError?.isGone == true, !listing {
        watcher.logger.info(
          "resourceVersion expired; listing again", metadata: ["k8s.error": "\(kubeError?.message ?? "")"])
        state = .empty
        // Relisting at once is what the server asks for; only a second 410 before any progress
        // (and a 410 on the list itself) waits.
        guard relistedAfterGone else {
          relistedAfterGone = true
          return
        }
      }
      let delay = Self.retryDelay(after: kubeError, backoff: &backoff, configuration: watcher.configuration.backoff)
      watcher.logger.warning(
        "watcher failed; retrying",
        metadata: [
          "k8s.step": "\(step)", "k8s.error": "\(error)", "k8s.retry_in": "\(delay)",
          "k8s.attempt": "\(backoff.attempts)",
        ])
      try? await Task.sleep(for: delay)
    }

    /// The wait after a failure: the backoff delay, or what the server asked for (`Retry-After`)
    /// when that is longer, within the backoff's maximum.
    static func retryDelay(
      after error: KubeError?, backoff: inout Backoff.State, configuration: Backoff,
      now: ContinuousClock.Instant = .now,
      random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }
    ) -> Duration {
      let delay = backoff.nextDelay(configuration, now: now, random: random)
      guard let retryAfter = error?.retryAfter, retryAfter > delay else { return delay }
      return Swift.max(delay, Swift.min(retryAfter, configuration.maximum))
    }
  }
}

extension Watcher where Object: KubeResource {
  /// A watcher of a kind with a Swift type.
  public init(
    client: KubeClient, type: Object.Type, namespace: String? = nil,
    configuration: WatcherConfiguration = WatcherConfiguration(), logger: Logger? = nil
  ) {
    self.init(
      client: client, resource: Object.resource, as: type, namespace: namespace, configuration: configuration,
      logger: logger)
  }
}
