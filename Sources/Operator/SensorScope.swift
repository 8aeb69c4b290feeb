import KubeModel

/// What every child of one sensor shares, and the pieces its builders assemble objects from:
/// metadata with labels and the owner reference, selectors, pod templates with Sovren's production
/// defaults, probes and environment variables.
///
/// Only fields the operator means are set, in the form the API server returns them (integers as
/// integers, quantities as written), so an applied object read back compares equal.
struct SensorScope {
  let sensor: NamespacedName
  let uid: String?
  let spec: SovrenSensor.Spec
  let connections: SensorConnections

  init(_ sensor: SovrenSensor) {
    self.sensor = NamespacedName(namespace: sensor.metadata.namespace ?? "", name: sensor.metadata.name ?? "")
    self.uid = sensor.metadata.uid
    self.spec = sensor.spec
    self.connections = SensorConnections(sensor)
  }

  /// The user the sovren image's roles run as when they need no privilege: nobody in particular,
  /// and not root, whatever the image says.
  static let unprivilegedUser: Int64 = 65_532

  func name(_ component: Component, suffix: String? = nil) -> String {
    SensorLayout.name(sensor: sensor, component: component, suffix: suffix)
  }

  // MARK: Objects

  /// A child with its metadata and `body` (its other top-level fields), stamped with its hash.
  /// Namespaced children are owned by the sensor; cluster-scoped ones carry its namespace as a
  /// label instead.
  func child(_ kind: ChildKind, _ component: Component, name: String, _ body: [String: JSONValue]) -> DesiredChild {
    var labels = SensorLayout.labels(sensor: sensor, component: component)
    var metadata: [String: JSONValue] = ["name": .string(name)]
    if kind.namespaced {
      metadata["namespace"] = .string(sensor.namespace)
      if let uid, !uid.isEmpty {
        metadata["ownerReferences"] = [
          [
            "apiVersion": .string(SovrenSensor.apiVersion), "kind": .string(SovrenSensor.kind),
            "name": .string(sensor.name), "uid": .string(uid), "controller": true, "blockOwnerDeletion": true,
          ]
        ]
      }
    } else {
      labels[SensorLayout.sensorNamespaceLabel] = sensor.namespace
    }
    metadata["labels"] = .strings(labels)
    var object = body
    object["apiVersion"] = .string(kind.resource.apiVersion)
    object["kind"] = .string(kind.kind)
    object["metadata"] = .object(metadata)
    return DesiredChild(kind: kind, component: component, object: AppliedHash.stamped(.object(object)))
  }

  /// `matchLabels` of a component's workload: never more than the selector labels, which cannot
  /// change once created.
  func selector(_ component: Component) -> JSONValue {
    ["matchLabels": .strings(SensorLayout.selectorLabels(sensor: sensor, component: component))]
  }

  /// A pod template with the component's full labels.
  func podTemplate(_ component: Component, _ podSpec: [String: JSONValue]) -> JSONValue {
    [
      "metadata": ["labels": .strings(SensorLayout.labels(sensor: sensor, component: component))],
      "spec": .object(podSpec),
    ]
  }

  /// A ClusterIP Service in front of a component's pods, each port targeting the container port
  /// of the same name.
  func service(
    _ component: Component, name: String, ports: [(String, Int64)], headless: Bool = false
  )
    -> DesiredChild
  {
    var spec: [String: JSONValue] = [
      "selector": .strings(SensorLayout.selectorLabels(sensor: sensor, component: component)),
      "ports": .array(
        ports.map { name, port in
          ["name": .string(name), "port": .int(port), "targetPort": .string(name), "protocol": "TCP"]
        }),
    ]
    if headless {
      spec["clusterIP"] = "None"
      spec["publishNotReadyAddresses"] = true
    }
    return child(.service, component, name: name, ["spec": .object(spec)])
  }

  // MARK: Pods

  /// The pod security context of every unprivileged role: not root, the runtime's seccomp profile.
  static func restrictedPodSecurity(user: Int64 = unprivilegedUser, fsGroup: Int64? = nil) -> JSONValue {
    var context: [String: JSONValue] = [
      "runAsNonRoot": true, "runAsUser": .int(user), "runAsGroup": .int(user),
      "seccompProfile": ["type": "RuntimeDefault"],
    ]
    if let fsGroup { context["fsGroup"] = .int(fsGroup) }
    return .object(context)
  }

  /// A container's security context: no escalation, every capability dropped but `add`, and a
  /// read-only root filesystem unless the image must write to it.
  static func containerSecurity(add: [String] = [], readOnlyRootFilesystem: Bool = true) -> JSONValue {
    var capabilities: [String: JSONValue] = ["drop": ["ALL"]]
    if !add.isEmpty { capabilities["add"] = .strings(add) }
    return [
      "allowPrivilegeEscalation": false, "readOnlyRootFilesystem": .bool(readOnlyRootFilesystem),
      "capabilities": .object(capabilities),
    ]
  }

  /// A `sovren <role>` container: the sensor's image, pulled when missing, hardened.
  func sovrenContainer(
    _ component: Component, args: [String], ports: [(String, Int64)], env: [JSONValue] = [],
    resources: ResourceRequirements? = nil, readiness: JSONValue, liveness: JSONValue,
    volumeMounts: [JSONValue] = [], security: JSONValue = containerSecurity()
  ) -> JSONValue {
    var container: [String: JSONValue] = [
      "name": .string(component.rawValue), "image": .string(spec.image), "imagePullPolicy": "IfNotPresent",
      "args": .strings([component.rawValue] + args), "ports": Self.containerPorts(ports),
      "readinessProbe": readiness, "livenessProbe": liveness, "securityContext": security,
    ]
    if !env.isEmpty { container["env"] = .array(env) }
    if let resources = resources.flatMap(Self.resources) { container["resources"] = resources }
    if !volumeMounts.isEmpty { container["volumeMounts"] = .array(volumeMounts) }
    return .object(container)
  }

  static func containerPorts(_ ports: [(String, Int64)]) -> JSONValue {
    .array(ports.map { name, port in ["name": .string(name), "containerPort": .int(port), "protocol": "TCP"] })
  }

  /// `requests` and `limits` as given, leaving out empty maps (which the server drops).
  static func resources(_ resources: ResourceRequirements) -> JSONValue? {
    var result: [String: JSONValue] = [:]
    if let requests = resources.requests, !requests.isEmpty { result["requests"] = .strings(requests) }
    if let limits = resources.limits, !limits.isEmpty { result["limits"] = .strings(limits) }
    return result.isEmpty ? nil : .object(result)
  }

  /// An HTTP GET probe of a named container port.
  static func httpProbe(_ path: String, port: String, initialDelay: Int64 = 5, period: Int64 = 10) -> JSONValue {
    [
      "httpGet": ["path": .string(path), "port": .string(port), "scheme": "HTTP"],
      "initialDelaySeconds": .int(initialDelay), "periodSeconds": .int(period),
    ]
  }

  static func tcpProbe(port: String, initialDelay: Int64, period: Int64, failureThreshold: Int64 = 3) -> JSONValue {
    [
      "tcpSocket": ["port": .string(port)], "initialDelaySeconds": .int(initialDelay),
      "periodSeconds": .int(period), "failureThreshold": .int(failureThreshold),
    ]
  }

  static func env(_ name: String, _ value: String) -> JSONValue {
    ["name": .string(name), "value": .string(value)]
  }

  static func env(_ name: String, fieldPath: String) -> JSONValue {
    ["name": .string(name), "valueFrom": ["fieldRef": ["apiVersion": "v1", "fieldPath": .string(fieldPath)]]]
  }

  /// A variable read from a Secret's key: how tokens reach pods, never inline.
  static func env(_ name: String, secret: SovrenSensor.SecretKeyReference) -> JSONValue {
    ["name": .string(name), "valueFrom": ["secretKeyRef": ["name": .string(secret.name), "key": .string(secret.key)]]]
  }

  /// The variable that carries the map's token to the digger and the map, when a Secret holds one.
  var mapTokenEnv: [JSONValue] {
    spec.map.tokenSecretRef.map { [Self.env("SOVREN_MAP_TOKEN", secret: $0)] } ?? []
  }
}

extension JSONValue {
  static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
  static func strings(_ values: [String: String]) -> JSONValue { .object(values.mapValues(JSONValue.string)) }
}
