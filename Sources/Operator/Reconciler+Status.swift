import Kube
import KubeModel

/// The sensor's status: counts from the children's own status, and the conditions `Ready`,
/// `Progressing` and `Degraded`, written only when they differ from what the sensor shows.
extension Reconciler {
  static let readyCondition = "Ready"
  static let progressingCondition = "Progressing"
  static let degradedCondition = "Degraded"

  /// - Parameters:
  ///   - expected: the components the spec asks for; nil when the spec cannot be honoured (then
  ///     the components found are reported).
  ///   - live: the children as they are now.
  ///   - problems: what is wrong with the spec.
  ///   - failure: what went wrong applying it.
  func status(
    of sensor: SovrenSensor, expected: Set<Component>?, live: [(kind: ChildKind, object: JSONValue)],
    problems: [SpecProblem], failure: OperatorError?
  ) -> SovrenSensor.Status {
    var workloads: [Component: WorkloadState] = [:]
    for (kind, object) in live {
      guard let label = object[path: ["metadata", "labels", SensorLayout.componentLabel]]?.stringValue,
        let component = Component(rawValue: label), let state = WorkloadState(kind: kind, object: object)
      else { continue }
      workloads[component] = state
    }
    let expected = expected ?? Set(workloads.keys)
    let generation = sensor.metadata.generation
    var status = SovrenSensor.Status(observedGeneration: generation)
    if let state = workloads[.interceptor] {
      status.interceptor = SovrenSensor.InterceptorStatus(
        desired: state.desired, ready: state.ready, updated: state.updated)
    }
    if expected.contains(.kafka) {
      status.kafka = SovrenSensor.ReadinessStatus(ready: workloads[.kafka]?.rolledOut ?? false)
    }
    if let state = workloads[.digger] {
      status.digger = SovrenSensor.ReplicaStatus(desired: state.desired, ready: state.ready)
    }
    if let state = workloads[.detector] {
      status.detector = SovrenSensor.ReplicaStatus(desired: state.desired, ready: state.ready)
    }
    if expected.contains(.map) { status.map = SovrenSensor.ReadinessStatus(ready: workloads[.map]?.rolledOut ?? false) }

    let waiting = expected.sorted().compactMap { component -> String? in
      guard let state = workloads[component] else { return "\(component) (not created yet)" }
      return state.rolledOut ? nil : "\(component) (\(state.progress))"
    }
    let conditions = Self.conditions(
      problems: problems, failure: failure, waiting: waiting,
      noInterceptorNodes: workloads[.interceptor].map { $0.rolledOut && $0.desired == 0 } ?? false
    ).map { condition in
      var condition = condition
      condition.observedGeneration = generation
      return condition
    }
    status.conditions = Self.keepingTransitionTimes(conditions, from: sensor.status?.conditions)
    return status
  }

  static func conditions(
    problems: [SpecProblem], failure: OperatorError?, waiting: [String], noInterceptorNodes: Bool
  ) -> [Condition] {
    let waitingMessage = "Waiting for \(waiting.joined(separator: ", "))."
    let ready: Condition
    let progressing: Condition
    let degraded: Condition
    if let first = problems.first {
      let message =
        "The spec cannot be honoured, so none of it was applied: "
        + problems.map(\.description).joined(separator: "; ")
      ready = Condition(type: readyCondition, status: "False", reason: first.reason, message: message)
      progressing = Condition(
        type: progressingCondition, status: "False", reason: "InvalidSpec", message: "Fix the spec to continue.")
      degraded = Condition(type: degradedCondition, status: "True", reason: first.reason, message: message)
    } else if let failure {
      ready = Condition(type: readyCondition, status: "False", reason: "ApplyFailed", message: failure.description)
      progressing = Condition(
        type: progressingCondition, status: "True", reason: "Retrying", message: "Retrying after: \(failure)")
      degraded = Condition(type: degradedCondition, status: "True", reason: "ApplyFailed", message: failure.description)
    } else {
      if !waiting.isEmpty {
        ready = Condition(type: readyCondition, status: "False", reason: "ComponentsNotReady", message: waitingMessage)
        progressing = Condition(
          type: progressingCondition, status: "True", reason: "RollingOut", message: waitingMessage)
      } else if noInterceptorNodes {
        ready = Condition(
          type: readyCondition, status: "False", reason: "NoInterceptorNodes",
          message: "No node matches spec.interceptor.nodeSelector and tolerations, so nothing is captured.")
        progressing = Condition(
          type: progressingCondition, status: "False", reason: "RolledOut",
          message: "Every component runs the current spec.")
      } else {
        ready = Condition(
          type: readyCondition, status: "True", reason: "ComponentsReady", message: "Every component is ready.")
        progressing = Condition(
          type: progressingCondition, status: "False", reason: "RolledOut",
          message: "Every component runs the current spec.")
      }
      degraded = Condition(
        type: degradedCondition, status: "False", reason: "AsExpected", message: "Nothing is failing.")
    }
    return [ready, progressing, degraded]
  }

  /// A condition's `lastTransitionTime` changes only when its status does.
  static func keepingTransitionTimes(_ conditions: [Condition], from previous: [Condition]?) -> [Condition] {
    let now = Timestamp.now()
    return conditions.map { condition in
      var condition = condition
      let old = previous?.first { $0.type == condition.type }
      condition.lastTransitionTime =
        old.flatMap { $0.status == condition.status ? $0.lastTransitionTime : nil } ?? now
      return condition
    }
  }

  /// Writes `status` unless the sensor already shows it; announces a sensor turning ready or
  /// invalid.
  func write(_ status: SovrenSensor.Status, of sensor: SovrenSensor) async throws(OperatorError) {
    guard status != sensor.status else { return }
    let body = StatusBody(
      metadata: ObjectMeta(name: sensor.name, namespace: sensor.metadata.namespace), status: status)
    metrics.requested(.applyStatus)
    do {
      _ = try await client.applyStatus(
        body, in: SovrenSensor.resource, namespace: sensor.metadata.namespace, fieldManager: SensorLayout.fieldManager,
        force: true)
    } catch {
      throw OperatorError("write the status of sensor \(NamespacedName(of: sensor))", error)
    }
    await announceTransitions(from: sensor.status?.conditions, to: status.conditions ?? [], of: sensor)
  }

  private func announceTransitions(from old: [Condition]?, to new: [Condition], of sensor: SovrenSensor) async {
    func condition(_ type: String, in conditions: [Condition]?) -> Condition? {
      conditions?.first { $0.type == type }
    }
    let ready = condition(Self.readyCondition, in: new)
    let wasReady = condition(Self.readyCondition, in: old)?.status == "True"
    if ready?.status == "True", !wasReady {
      await events.record(.normal, on: sensor, reason: "Ready", message: ready?.message ?? "")
    }
    let degraded = condition(Self.degradedCondition, in: new)
    let previous = condition(Self.degradedCondition, in: old)
    if let degraded, degraded.status == "True", degraded.reason != "ApplyFailed",
      previous?.status != "True" || previous?.message != degraded.message
    {
      await events.record(.warning, on: sensor, reason: degraded.reason ?? "Degraded", message: degraded.message ?? "")
    }
  }
}

/// What a status apply sends: the sensor's name and the status, nothing of the spec.
struct StatusBody: Codable, Sendable {
  var apiVersion = SovrenSensor.apiVersion
  var kind = SovrenSensor.kind
  var metadata: ObjectMeta
  var status: SovrenSensor.Status?
}
