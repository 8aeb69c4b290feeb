import Foundation
import KubeModel
import Logging
import ServiceLifecycle

/// Stands in for what a real cluster runs beside its API server: the Deployment, ReplicaSet,
/// DaemonSet, StatefulSet and Endpoints controllers, the scheduler and the kubelets. Workloads
/// applied to FakeKube then come up as on a cluster: Nodes exist, each Pod lands on one and gets
/// an IP from that Node's pod CIDR, statuses follow, and `kubectl rollout status` or
/// `kubectl wait --for=condition=Available` return.
///
/// It watches the store and, `reconcileDelay` after a change, brings each affected object to what
/// its spec asks for. It writes only what differs, so its own writes settle instead of feeding
/// themselves. Deleting a workload is left to the store's garbage collector, which follows the
/// owner references the simulator writes.
///
/// It is a `Service`: run it in a `ServiceGroup` beside `FakeAPIServer` on the same store, or call
/// `run()` in a task and cancel it.
public struct WorkloadSimulator: ServiceLifecycle.Service {
  /// How the simulated cluster looks and how fast it reacts.
  public struct Configuration: Sendable, Equatable {
    /// How many Nodes the cluster has: named `<nodeNamePrefix>-1` … `<nodeNamePrefix>-<nodeCount>`;
    /// Node *k* has the InternalIP `172.18.0.<k+1>` and the pod CIDR `10.244.<k>.0/24`.
    public var nodeCount: Int
    public var nodeNamePrefix: String
    /// How long after a change the controllers react; zero in tests.
    public var reconcileDelay: Duration
    /// The most Pods one workload gets whatever its `spec.replicas` says, so that memory stays bounded.
    public var maximumReplicas: Int

    public init(
      nodeCount: Int = 3, nodeNamePrefix: String = "fakekube-node", reconcileDelay: Duration = .seconds(1),
      maximumReplicas: Int = 1000
    ) {
      self.nodeCount = nodeCount
      self.nodeNamePrefix = nodeNamePrefix
      self.reconcileDelay = reconcileDelay
      self.maximumReplicas = maximumReplicas
    }

    /// Checks every option, naming the first bad one.
    public func validate() throws(ConfigurationError) {
      guard (0...Self.maximumNodeCount).contains(nodeCount) else { throw .nodeCount(nodeCount) }
      guard Self.isValidNodeNamePrefix(nodeNamePrefix) else { throw .nodeNamePrefix(nodeNamePrefix) }
      guard reconcileDelay >= .zero, reconcileDelay <= .seconds(3600) else { throw .reconcileDelay(reconcileDelay) }
      guard maximumReplicas >= 1 else { throw .maximumReplicas(maximumReplicas) }
    }

    /// Node addresses and pod CIDRs are numbered in one octet.
    public static let maximumNodeCount = 250

    /// A Node name is a DNS subdomain; the prefix leaves room for `-<number>`.
    static func isValidNodeNamePrefix(_ prefix: String) -> Bool {
      guard let first = prefix.first, let last = prefix.last, prefix.count <= 200 else { return false }
      let allowed = prefix.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" || $0 == "." }
      let alphanumeric: (Character) -> Bool = { $0.isASCII && ($0.isLowercase || $0.isNumber) }
      return allowed && alphanumeric(first) && alphanumeric(last)
    }
  }

  /// A configuration that cannot work, or a registry without a kind the simulator needs.
  public enum ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    case nodeCount(Int)
    case nodeNamePrefix(String)
    case reconcileDelay(Duration)
    case maximumReplicas(Int)
    case missingResource(String)

    public var description: String {
      switch self {
      case .nodeCount(let count):
        "the node count must be between 0 and \(Configuration.maximumNodeCount), not \(count)"
      case .nodeNamePrefix(let prefix):
        "the node name prefix must be lower-case letters, digits, '-' and '.', starting and ending with a letter "
          + "or digit, at most 200 characters, not \"\(prefix)\""
      case .reconcileDelay(let delay): "the reconcile delay must be between 0 and 1 hour, not \(delay)"
      case .maximumReplicas(let count): "the maximum number of replicas must be at least 1, not \(count)"
      case .missingResource(let name): "the resource registry does not serve \(name), which the simulator manages"
      }
    }
  }

  public let store: ObjectStore
  public let configuration: Configuration
  let types: SimulatedTypes
  let logger: Logger

  /// - Parameters:
  ///   - store: the store the API server serves; the simulator reads and writes it directly.
  ///   - registry: where the kinds it manages are looked up (their status subresources matter).
  /// - Throws: `ConfigurationError` naming the first bad option.
  public init(
    store: ObjectStore, registry: ResourceRegistry = ResourceRegistry(), configuration: Configuration = Configuration(),
    logger: Logger = Logger(label: "sovren.fakekube.simulator")
  ) throws(ConfigurationError) {
    try configuration.validate()
    self.store = store
    self.configuration = configuration
    self.types = try SimulatedTypes(registry: registry)
    self.logger = logger
  }

  /// Creates the Nodes that are missing, then reconciles until cancelled or until graceful
  /// shutdown starts.
  public func run() async throws {
    let queue = WorkQueue()
    await cancelWhenGracefulShutdown {
      await withTaskGroup(of: Void.self) { group in
        for type in types.watched {
          group.addTask { await forwardChanges(of: type, to: queue) }
        }
        group.addTask { await work(through: queue) }
        await group.waitForAll()
      }
    }
  }

  /// Turns the store's changes to one kind into work: the keys of the objects to reconcile. A
  /// watch the store ends (this one fell behind) is resumed from the last change seen, or started
  /// over, every object counted as changed, when history no longer reaches back that far.
  private func forwardChanges(of type: ResourceType, to queue: WorkQueue) async {
    var lastSeen: Int64?
    while !Task.isCancelled, !store.watchesAreClosed {
      let subscription: WatchSubscription
      do {
        subscription = try store.watch(WatchFilter(type: type), since: lastSeen)
      } catch .expired {
        lastSeen = nil
        continue
      } catch {
        logger.error("cannot watch the store", metadata: ["k8s.resource": "\(type.plural)", "error": "\(error)"])
        return
      }
      for await event in subscription.events {
        // The opening events of a fresh watch are not in resourceVersion order; only live
        // changes say how far the watch got.
        if lastSeen != nil || event.kind != .added { lastSeen = max(lastSeen ?? 0, event.resourceVersion) }
        for key in keys(affectedBy: event, of: type) {
          queue.add(key, after: configuration.reconcileDelay)
        }
      }
    }
  }

  /// The single worker: one key at a time, so no object is reconciled twice at once.
  private func work(through queue: WorkQueue) async {
    let reconciler = WorkloadReconciler(
      store: store, types: types, configuration: configuration, logger: logger)
    reconciler.createMissingNodes()
    while !Task.isCancelled {
      let (due, next) = queue.takeDue(at: .now)
      for key in due {
        guard !Task.isCancelled else { return }
        switch reconciler.reconcile(key) {
        case .done: reconciler.forgetFailures(of: key)
        case .continueNow: queue.add(key, after: .zero)
        case .retry: queue.add(key, after: reconciler.backoff(for: key))
        }
      }
      if !due.isEmpty {
        await Task.yield()
        continue
      }
      await queue.waitForWork(until: next)
    }
  }

  /// The objects a change concerns: the changed object itself, the workload that controls it, and
  /// for Pods the Services that select them; for a Node, every DaemonSet and every Pod without a Node.
  func keys(affectedBy event: WatchEvent, of type: ResourceType) -> [WorkKey] {
    guard event.kind != .bookmark, event.kind != .error else { return [] }
    let object = event.object
    let namespace = object.metadataNamespace
    let name = object.metadataName
    switch type {
    case types.deployments: return [WorkKey(.deployment, namespace, name)]
    case types.daemonSets: return [WorkKey(.daemonSet, namespace, name)]
    case types.statefulSets: return [WorkKey(.statefulSet, namespace, name)]
    case types.replicaSets:
      return [WorkKey(.replicaSet, namespace, name)] + controllerKeys(of: object, previous: event.previous)
    case types.services: return [WorkKey(.service, namespace, name)]
    case types.endpoints:
      // Endpoints of a Service are put back as they should be; others are someone else's.
      guard (try? store.get(types.services, namespace: namespace, name: name)) != nil else { return [] }
      return [WorkKey(.service, namespace, name)]
    case types.pods:
      var keys = event.kind == .deleted ? [] : [WorkKey(.pod, namespace, name)]
      keys += controllerKeys(of: object, previous: event.previous)
      keys += servicesSelecting([object, event.previous].compactMap { $0 }, in: namespace)
      return keys
    case types.nodes:
      // A Node coming or going changes where DaemonSets run and where waiting Pods can go.
      let daemonSets = (try? store.list(WatchFilter(type: types.daemonSets)).items) ?? []
      let pending = FieldSelector(requirements: [.init(field: "spec.nodeName", value: "", negated: false)])
      let waiting = (try? store.list(WatchFilter(type: types.pods, fields: pending)).items) ?? []
      return daemonSets.map { WorkKey(.daemonSet, $0.metadataNamespace, $0.metadataName) }
        + waiting.map { WorkKey(.pod, $0.metadataNamespace, $0.metadataName) }
    default: return []
    }
  }

  private func controllerKeys(of object: JSONValue, previous: JSONValue?) -> [WorkKey] {
    let namespace = object.metadataNamespace
    let references = [object, previous].compactMap { $0?.controllerReference }
    return references.compactMap { reference -> WorkKey? in
      guard let name = reference["name"]?.stringValue else { return nil }
      switch reference["kind"]?.stringValue {
      case "ReplicaSet": return WorkKey(.replicaSet, namespace, name)
      case "Deployment": return WorkKey(.deployment, namespace, name)
      case "DaemonSet": return WorkKey(.daemonSet, namespace, name)
      case "StatefulSet": return WorkKey(.statefulSet, namespace, name)
      default: return nil
      }
    }
  }

  private func servicesSelecting(_ pods: [JSONValue], in namespace: String) -> [WorkKey] {
    let services = (try? store.list(WatchFilter(type: types.services, namespace: namespace)).items) ?? []
    return services.compactMap { service in
      guard let selector = service.serviceSelector, pods.contains(where: { selector.matches($0.labels) }) else {
        return nil
      }
      return WorkKey(.service, namespace, service.metadataName)
    }
  }
}

/// The kinds the simulator reads and writes, as the registry serves them.
struct SimulatedTypes: Sendable {
  let nodes: ResourceType
  let pods: ResourceType
  let services: ResourceType
  let endpoints: ResourceType
  let namespaces: ResourceType
  let deployments: ResourceType
  let replicaSets: ResourceType
  let daemonSets: ResourceType
  let statefulSets: ResourceType

  init(registry: ResourceRegistry) throws(WorkloadSimulator.ConfigurationError) {
    func lookUp(_ group: String, _ plural: String) throws(WorkloadSimulator.ConfigurationError) -> ResourceType {
      guard let type = registry.type(group: group, version: "v1", plural: plural) else {
        throw .missingResource(group.isEmpty ? "v1 \(plural)" : "\(group)/v1 \(plural)")
      }
      return type
    }
    nodes = try lookUp("", "nodes")
    pods = try lookUp("", "pods")
    services = try lookUp("", "services")
    endpoints = try lookUp("", "endpoints")
    namespaces = try lookUp("", "namespaces")
    deployments = try lookUp("apps", "deployments")
    replicaSets = try lookUp("apps", "replicasets")
    daemonSets = try lookUp("apps", "daemonsets")
    statefulSets = try lookUp("apps", "statefulsets")
  }

  var watched: [ResourceType] {
    [deployments, replicaSets, daemonSets, statefulSets, pods, services, endpoints, nodes]
  }
}
