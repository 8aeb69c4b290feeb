import KubeModel

/// One object the operator wants to exist for a sensor, as the body of a server-side apply.
public struct DesiredChild: Sendable, Hashable {
  public var kind: ChildKind
  public var component: Component
  /// `apiVersion`, `kind`, `metadata` (name, namespace when namespaced, labels, annotations,
  /// owner reference) and the fields the operator sets; nothing the server defaults.
  public var object: JSONValue

  public init(kind: ChildKind, component: Component, object: JSONValue) {
    self.kind = kind
    self.component = component
    self.object = object
  }

  public var name: String { object.objectName }
  public var namespace: String { object.objectNamespace }
}

/// Something in a sensor's spec the schema cannot catch and the operator cannot honour; reported
/// in the sensor's status, and nothing is applied while one remains.
public struct SpecProblem: Sendable, Hashable, CustomStringConvertible {
  /// The field to fix, such as `spec.kafka.external`.
  public var field: String
  /// CamelCase, for the condition's reason, such as `KafkaConflict`.
  public var reason: String
  /// One sentence that says what to fix.
  public var message: String

  public init(field: String, reason: String, message: String) {
    self.field = field
    self.reason = reason
    self.message = message
  }

  public var description: String { "\(field): \(message)" }
}

/// What a sensor's spec asks for: the checks the schema cannot make, and the objects to apply.
///
/// The builders live beside this file, one per role (`DesiredState+Interceptor.swift`, …); the
/// contract they set up (arguments, ports, probes) is described in `docs/operator.md`.
public enum DesiredState {
  /// What is wrong with the spec beyond the schema; empty when it can be honoured.
  public static func problems(in sensor: SovrenSensor) -> [SpecProblem] {
    SpecChecks(sensor: sensor).problems
  }

  /// Every object to apply for a sensor without problems, in `ChildKind` order (then by
  /// component and name). Each carries `SensorLayout.appliedHashAnnotation`; namespaced ones
  /// are owned by the sensor when it has a uid, as one read from the API server does.
  public static func children(of sensor: SovrenSensor) -> [DesiredChild] {
    let scope = SensorScope(sensor)
    var children = interceptor(scope) + digger(scope) + detector(scope)
    if scope.connections.runsKafka { children += kafka(scope) }
    if sensor.spec.map.deploy { children += map(scope) }
    return children.sorted { ($0.kind, $0.component, $0.name) < ($1.kind, $1.component, $1.name) }
  }

  /// Whether `live` differs from what `desired` asks for, so it must be applied again: it lacks a
  /// desired field or holds another value there (quantities compared by value), or carries
  /// another applied hash.
  public static func needsApply(_ desired: JSONValue, live: JSONValue) -> Bool {
    DriftCheck.differs(desired, live: live)
  }
}
