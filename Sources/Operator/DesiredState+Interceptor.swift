import KubeModel

/// The interceptor DaemonSet: `sovren interceptor` on every node (or those the spec selects), in
/// the host's network and PID namespaces so it sees every pod's traffic, with the few
/// capabilities capture needs rather than a privileged container.
extension DesiredState {
  /// What capture needs: open raw sockets and set interfaces promiscuous (`NET_RAW`,
  /// `NET_ADMIN`), enter pods' network namespaces (`SYS_ADMIN`) and read their `/proc` entries
  /// (`SYS_PTRACE`).
  static let interceptorCapabilities = ["NET_ADMIN", "NET_RAW", "SYS_ADMIN", "SYS_PTRACE"]

  static func interceptor(_ scope: SensorScope) -> [DesiredChild] {
    let interceptor = scope.spec.interceptor
    var podSpec: [String: JSONValue] = [
      "hostNetwork": true, "hostPID": true, "dnsPolicy": "ClusterFirstWithHostNet",
      "automountServiceAccountToken": false,
      // Capabilities are effective only for root: a non-root user would need them ambient.
      "securityContext": ["runAsUser": 0, "runAsNonRoot": false, "seccompProfile": ["type": "RuntimeDefault"]],
      "containers": [
        scope.sovrenContainer(
          .interceptor, args: interceptorArguments(scope), ports: [("metrics", RolePorts.metrics)],
          env: [SensorScope.env("SOVREN_NODE_NAME", fieldPath: "spec.nodeName")], resources: interceptor.resources,
          readiness: SensorScope.httpProbe("/readyz", port: "metrics"),
          liveness: SensorScope.httpProbe("/healthz", port: "metrics", initialDelay: 10, period: 20),
          volumeMounts: [
            ["name": "host-proc", "mountPath": "/host/proc", "readOnly": true],
            ["name": "host-sys", "mountPath": "/host/sys", "readOnly": true],
          ],
          security: SensorScope.containerSecurity(add: interceptorCapabilities))
      ],
      "volumes": [
        ["name": "host-proc", "hostPath": ["path": "/proc", "type": "Directory"]],
        ["name": "host-sys", "hostPath": ["path": "/sys", "type": "Directory"]],
      ],
    ]
    if !interceptor.tolerations.isEmpty { podSpec["tolerations"] = .array(interceptor.tolerations.map(toleration)) }
    if let selector = interceptor.nodeSelector, !selector.isEmpty { podSpec["nodeSelector"] = .strings(selector) }
    let spec: JSONValue = [
      "selector": scope.selector(.interceptor),
      "updateStrategy": ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": "10%"]],
      "template": scope.podTemplate(.interceptor, podSpec),
    ]
    return [scope.child(.daemonSet, .interceptor, name: scope.name(.interceptor), ["spec": spec])]
  }

  /// `sovren interceptor`'s flags: the limits and filters under the names `sovren capture` uses.
  static func interceptorArguments(_ scope: SensorScope) -> [String] {
    let interceptor = scope.spec.interceptor
    var arguments = [
      "--kafka-brokers", scope.connections.bootstrapServers.joined(separator: ","),
      "--kafka-topic", scope.connections.topic,
      "--body-limit", String(interceptor.bodyLimit),
      "--response-timeout", String(interceptor.responseTimeoutSeconds),
    ]
    var seen: Set<String> = []
    for path in interceptor.excludePaths where seen.insert(path).inserted {
      arguments += ["--exclude-path", path]
    }
    arguments += [
      "--max-header-bytes", String(interceptor.maxHeaderBytes),
      "--max-connections", String(interceptor.maxConnections),
      "--idle-timeout", String(interceptor.idleTimeoutSeconds),
      "--max-connection-buffer", String(interceptor.maxConnectionBuffer),
      "--max-total-buffer", String(interceptor.maxTotalBuffer),
      "--metrics-address", "0.0.0.0:\(RolePorts.metrics)",
    ]
    return arguments
  }

  /// A toleration with only the fields the spec sets.
  static func toleration(_ toleration: SovrenSensor.Toleration) -> JSONValue {
    var members: [String: JSONValue] = [:]
    if let key = toleration.key { members["key"] = .string(key) }
    if let value = toleration.operator { members["operator"] = .string(value.rawValue) }
    if let value = toleration.value { members["value"] = .string(value) }
    if let effect = toleration.effect { members["effect"] = .string(effect.rawValue) }
    if let seconds = toleration.tolerationSeconds { members["tolerationSeconds"] = .int(seconds) }
    return .object(members)
  }
}
