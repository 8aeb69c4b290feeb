import Kube
import KubeModel
import Logging
import Synchronization

/// How the controller watches and how often it looks at every sensor again.
public struct ControllerConfiguration: Sendable {
  /// The namespace whose sensors are reconciled; nil for every namespace.
  public var namespace: String?
  /// Every sensor is reconciled again this often even when nothing changed, to catch what a
  /// watch may have missed. Costs no request when nothing differs.
  public var resyncPeriod: Duration
  /// Sensors reconciled at once (never one sensor twice at once).
  public var workers: Int
  /// How soon a sensor waiting on a missing Secret is looked at again.
  public var recheckInterval: Duration
  /// How the watches list, watch and retry.
  public var watch: WatcherConfiguration

  public init(
    namespace: String? = nil, resyncPeriod: Duration = .seconds(300), workers: Int = 2,
    recheckInterval: Duration = .seconds(60), watch: WatcherConfiguration = WatcherConfiguration()
  ) {
    self.namespace = namespace
    self.resyncPeriod = resyncPeriod
    self.workers = workers
    self.recheckInterval = recheckInterval
    self.watch = watch
  }
}

/// Watches sensors and every kind of child, keeps them in caches, and reconciles each sensor
/// whose sensor or children changed, in the way of kube-rs's controller: a change to an owned
/// object re-queues its sensor, a work queue never hands one sensor to two workers, failures are
/// retried with growing, jittered delays, and every sensor is looked at again each resync period.
public final class SensorController: Sendable {
  let client: KubeClient
  let configuration: ControllerConfiguration
  let events: EventRecorder
  let metrics: OperatorMetrics
  let logger: Logger
  private let current = Mutex<ClusterView?>(nil)

  public init(
    client: KubeClient, configuration: ControllerConfiguration, events: EventRecorder, metrics: OperatorMetrics,
    logger: Logger
  ) {
    self.client = client
    self.configuration = configuration
    self.events = events
    self.metrics = metrics
    self.logger = logger
  }

  /// Whether a run is in progress and every kind has been listed.
  public var isSynced: Bool { current.withLock { $0?.isSynced ?? false } }

  /// Watches and reconciles until the task is cancelled. Each run starts from fresh caches, so a
  /// replica that leads again after losing the lease does not act on what it saw before. A
  /// reconcile in progress when the task is cancelled finishes first.
  public func run() async {
    let view = ClusterView()
    let queue = WorkQueue<NamespacedName>()
    current.withLock { $0 = view }
    defer {
      current.withLock { $0 = nil }
      metrics.setCachesSynced(false)
      metrics.setQueueDepth(0)
    }
    await withTaskCancellationHandler {
      await withDiscardingTaskGroup { group in
        group.addTask { await self.watchSensors(into: view, queue: queue) }
        for kind in ChildKind.allCases {
          group.addTask { await self.watchChildren(kind, into: view, queue: queue) }
        }
        group.addTask {
          await view.sensors.waitUntilReady()
          for reflector in view.children.values { await reflector.waitUntilReady() }
          guard !Task.isCancelled else { return }
          self.metrics.setCachesSynced(true)
          self.logger.info("caches synced; reconciling", metadata: ["sensors": "\(view.sensors.count)"])
          await withDiscardingTaskGroup { workers in
            for _ in 0..<max(1, self.configuration.workers) {
              workers.addTask { await self.work(queue: queue, view: view) }
            }
            workers.addTask { await self.resync(queue: queue, view: view) }
          }
        }
      }
    } onCancel: {
      Task { await queue.shutDown() }
    }
  }

  private func watchSensors(into view: ClusterView, queue: WorkQueue<NamespacedName>) async {
    let watcher = Watcher(
      client: client, type: SovrenSensor.self, namespace: configuration.namespace ?? KubeClient.allNamespaces,
      configuration: configuration.watch, logger: logger)
    for await event in watcher.reflect(into: view.sensors) {
      switch event {
      case .initApply(let sensor), .apply(let sensor), .delete(let sensor):
        await enqueue(NamespacedName(of: sensor), queue: queue)
      case .initStart, .initDone:
        break
      }
    }
  }

  private func watchChildren(_ kind: ChildKind, into view: ClusterView, queue: WorkQueue<NamespacedName>) async {
    guard let cache = view.children[kind] else { return }
    var watch = configuration.watch
    watch.labelSelector = SensorLayout.managedSelector
    let namespace = kind.namespaced ? configuration.namespace ?? KubeClient.allNamespaces : nil
    let watcher = Watcher(
      client: client, resource: kind.resource, as: JSONValue.self, namespace: namespace, configuration: watch,
      logger: logger)
    for await event in watcher.reflect(into: cache) {
      switch event {
      case .initApply(let object), .apply(let object), .delete(let object):
        if let key = SensorLayout.owningSensor(of: object) { await enqueue(key, queue: queue) }
      case .initStart, .initDone:
        break
      }
    }
  }

  private func enqueue(_ key: NamespacedName, queue: WorkQueue<NamespacedName>) async {
    // Another operator may look after other namespaces: never touch their sensors' children.
    if let namespace = configuration.namespace, key.namespace != namespace { return }
    await queue.add(key)
    metrics.setQueueDepth(await queue.depth)
  }

  private func resync(queue: WorkQueue<NamespacedName>, view: ClusterView) async {
    while true {
      do { try await Task.sleep(for: configuration.resyncPeriod) } catch { return }
      for sensor in view.sensors.objects { await enqueue(NamespacedName(of: sensor), queue: queue) }
    }
  }

  private func work(queue: WorkQueue<NamespacedName>, view: ClusterView) async {
    let reconciler = Reconciler(
      client: client, view: view, events: events, metrics: metrics, logger: logger,
      recheckInterval: configuration.recheckInterval)
    while let key = await queue.next() {
      var logger = logger
      logger[metadataKey: "k8s.sensor"] = "\(key)"
      let started = ContinuousClock.now
      // Not cancelled with the run: a reconcile stops between requests, never in the middle of its writes.
      let outcome = await Task { () async throws(OperatorError) -> Reconciler.Action in
        try await reconciler.reconcile(key)
      }.result
      let elapsed = ContinuousClock.now - started
      switch outcome {
      case .success(.done):
        await queue.forget(key)
        metrics.reconciled(.success, in: elapsed)
      case .success(.requeue(let delay)):
        await queue.forget(key)
        await queue.add(key, after: delay)
        metrics.reconciled(.requeue, in: elapsed)
      case .failure(let error):
        let failures = await queue.failures(of: key)
        logger.warning("reconcile failed; retrying", metadata: ["error": "\(error)", "failures": "\(failures + 1)"])
        await queue.addRateLimited(key)
        metrics.reconciled(.error, in: elapsed)
      }
      await queue.done(key)
      metrics.setQueueDepth(await queue.depth)
    }
  }
}
