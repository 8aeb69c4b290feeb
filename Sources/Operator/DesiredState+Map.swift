import KubeModel

/// The map, when `map.deploy` is set: one `sovren map` pod (its SQLite store on an emptyDir) with
/// a Service for its HTTP API and UI and its gRPC ingest. The token it requires comes from the
/// Secret the spec names, as an environment variable read from the Secret, never inline.
extension DesiredState {
  static let mapDataPath = "/var/lib/sovren"

  static func map(_ scope: SensorScope) -> [DesiredChild] {
    let ports = [("http", RolePorts.mapHTTP), ("grpc", RolePorts.mapGRPC)]
    let container = scope.sovrenContainer(
      .map,
      args: [
        "--listen", "0.0.0.0:\(RolePorts.mapHTTP)", "--grpc-listen", "0.0.0.0:\(RolePorts.mapGRPC)",
        "--database", "\(mapDataPath)/map.sqlite",
      ],
      ports: ports, env: scope.mapTokenEnv,
      resources: ResourceRequirements(requests: ["cpu": "100m", "memory": "128Mi"], limits: ["memory": "1Gi"]),
      readiness: SensorScope.httpProbe("/readyz", port: "http"),
      liveness: SensorScope.httpProbe("/healthz", port: "http", initialDelay: 10, period: 20),
      volumeMounts: [["name": "data", "mountPath": .string(mapDataPath)]])
    let podSpec: [String: JSONValue] = [
      "automountServiceAccountToken": false,
      "securityContext": SensorScope.restrictedPodSecurity(fsGroup: SensorScope.unprivilegedUser),
      "containers": [container],
      "volumes": [["name": "data", "emptyDir": [:]]],
    ]
    // One writer for the SQLite file: the old pod stops before the new one starts.
    let spec: JSONValue = [
      "replicas": 1, "selector": scope.selector(.map), "strategy": ["type": "Recreate"],
      "template": scope.podTemplate(.map, podSpec),
    ]
    return [
      scope.service(.map, name: scope.name(.map), ports: ports),
      scope.child(.deployment, .map, name: scope.name(.map), ["spec": spec]),
    ]
  }
}
