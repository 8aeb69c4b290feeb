import KubeModel

/// The digger: a Deployment of Kafka consumers (one consumer group per sensor) that resolve pod
/// IPs to workloads through the Kubernetes API, as their own ServiceAccount bound to a
/// ClusterRole that can only read what resolution needs.
extension DesiredState {
  /// What the digger reads, and nothing else: get, list and watch.
  static let diggerReadableResources: [(group: String, resources: [String])] = [
    ("", ["namespaces", "nodes", "pods", "services"]),
    ("apps", ["daemonsets", "deployments", "replicasets", "statefulsets"]),
    ("batch", ["cronjobs", "jobs"]),
    ("discovery.k8s.io", ["endpointslices"]),
  ]

  static func digger(_ scope: SensorScope) -> [DesiredChild] {
    let account = scope.name(.digger)
    let clusterName = SensorLayout.clusterName(sensor: scope.sensor, component: .digger)
    let rules: [JSONValue] = diggerReadableResources.map { group, resources in
      ["apiGroups": .strings([group]), "resources": .strings(resources), "verbs": ["get", "list", "watch"]]
    }
    let container = scope.sovrenContainer(
      .digger, args: diggerArguments(scope), ports: [("metrics", RolePorts.metrics)], env: scope.mapTokenEnv,
      resources: ResourceRequirements(requests: ["cpu": "100m", "memory": "128Mi"], limits: ["memory": "512Mi"]),
      readiness: SensorScope.httpProbe("/readyz", port: "metrics"),
      liveness: SensorScope.httpProbe("/healthz", port: "metrics", initialDelay: 10, period: 20))
    let podSpec: [String: JSONValue] = [
      "serviceAccountName": .string(account),
      "securityContext": SensorScope.restrictedPodSecurity(),
      "containers": [container],
    ]
    let spec: JSONValue = [
      "replicas": .int(scope.spec.digger.replicas), "selector": scope.selector(.digger),
      "template": scope.podTemplate(.digger, podSpec),
    ]
    return [
      scope.child(.serviceAccount, .digger, name: account, [:]),
      scope.child(.clusterRole, .digger, name: clusterName, ["rules": .array(rules)]),
      scope.child(
        .clusterRoleBinding, .digger, name: clusterName,
        [
          "roleRef": [
            "apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": .string(clusterName),
          ],
          "subjects": [
            ["kind": "ServiceAccount", "name": .string(account), "namespace": .string(scope.sensor.namespace)]
          ],
        ]),
      scope.child(.deployment, .digger, name: scope.name(.digger), ["spec": spec]),
    ]
  }

  /// `sovren digger`'s flags: where pairs come from, where samples and metadata go.
  static func diggerArguments(_ scope: SensorScope) -> [String] {
    let connections = scope.connections
    let digger = scope.spec.digger
    var arguments = [
      "--kafka-brokers", connections.bootstrapServers.joined(separator: ","),
      "--kafka-topic", connections.topic,
      "--kafka-group", connections.consumerGroup,
      "--detector-url", connections.detectorURL,
      "--sampling-budget", String(digger.samplingBudget),
    ]
    for pattern in digger.namespaces.include { arguments += ["--include-namespace", pattern] }
    for pattern in digger.namespaces.exclude { arguments += ["--exclude-namespace", pattern] }
    if let endpoint = connections.mapEndpoint { arguments += ["--map-endpoint", endpoint] }
    arguments += ["--metrics-address", "0.0.0.0:\(RolePorts.metrics)"]
    return arguments
  }
}
