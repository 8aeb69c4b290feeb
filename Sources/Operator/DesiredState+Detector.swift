import KubeModel

/// The detector: a Deployment of `sovren detector` HTTP servers and the Service the diggers call.
extension DesiredState {
  static func detector(_ scope: SensorScope) -> [DesiredChild] {
    let detector = scope.spec.detector
    let container = scope.sovrenContainer(
      .detector, args: ["--listen", "0.0.0.0:\(RolePorts.detector)"], ports: [("http", RolePorts.detector)],
      resources: detector.resources,
      readiness: SensorScope.httpProbe("/api/v2/alive", port: "http"),
      liveness: SensorScope.httpProbe("/api/v2/alive", port: "http", initialDelay: 10, period: 20))
    let podSpec: [String: JSONValue] = [
      "automountServiceAccountToken": false,
      "securityContext": SensorScope.restrictedPodSecurity(),
      "containers": [container],
    ]
    let spec: JSONValue = [
      "replicas": .int(detector.replicas), "selector": scope.selector(.detector),
      "template": scope.podTemplate(.detector, podSpec),
    ]
    return [
      scope.service(.detector, name: scope.name(.detector), ports: [("http", RolePorts.detector)]),
      scope.child(.deployment, .detector, name: scope.name(.detector), ["spec": spec]),
    ]
  }
}
