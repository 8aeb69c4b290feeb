import KubeModel

/// The defaults a real API server fills into built-in kinds as it decodes them (the `SetDefaults_*`
/// functions of Kubernetes 1.32), for the subset that kubectl, controllers and operators read
/// back: workload strategies and history limits, pod specs and containers, Service types, ports
/// and IP families, Job completions, Namespace finalizers.
///
/// A default only fills what is absent (or null), so defaulting twice changes nothing: an object
/// read back and written again stays as it is, which keeps `kubectl apply` and `kubectl diff`
/// quiet. What needs the store's state (a Service's cluster IP and node ports, a Job's generated
/// selector) is done by the store, not here.
enum BuiltInDefaults {
  /// The object with the defaults of its kind filled in; custom resources and kinds without
  /// defaults come back unchanged.
  static func defaulted(_ object: JSONValue, as type: ResourceType) -> JSONValue {
    guard type.custom == nil, object.objectValue != nil else { return object }
    var result = object
    switch (type.group, type.plural) {
    case ("", "pods"):
      result.setDefault([:], at: ["spec"])
      result.transform(at: ["spec"]) { podSpec($0) }
      result.setDefault(true, at: ["spec", "enableServiceLinks"])
    case ("", "services"): result = service(result)
    case ("", "namespaces"):
      result.setDefault(["kubernetes"], at: ["spec", "finalizers"])
      result.setDefault("Active", at: ["status", "phase"])
      // The server keeps this label equal to the name whatever a client sends.
      if let name = result[path: ["metadata", "name"]]?.stringValue, !name.isEmpty {
        result.set(.string(name), at: ["metadata", "labels", "kubernetes.io/metadata.name"])
      }
    case ("", "secrets"): result.setDefault("Opaque", at: ["type"])
    case ("", "endpoints"):
      result.transformElements(at: ["subsets"]) { subset in
        var subset = subset
        subset.transformElements(at: ["ports"]) { port in port.withDefault("TCP", at: ["protocol"]) }
        return subset
      }
    case ("apps", "deployments"): result = deployment(result)
    case ("apps", "replicasets"):
      result.setDefault(1, at: ["spec", "replicas"])
      result = withPodTemplate(result, at: ["spec", "template"])
    case ("apps", "daemonsets"): result = daemonSet(result)
    case ("apps", "statefulsets"): result = statefulSet(result)
    case ("batch", "jobs"): result = job(result)
    case ("batch", "cronjobs"):
      result.setDefault("Allow", at: ["spec", "concurrencyPolicy"])
      result.setDefault(false, at: ["spec", "suspend"])
      result.setDefault(3, at: ["spec", "successfulJobsHistoryLimit"])
      result.setDefault(1, at: ["spec", "failedJobsHistoryLimit"])
      result = withPodTemplate(result, at: ["spec", "jobTemplate", "spec", "template"])
    default: break
    }
    return result
  }

  // MARK: Workloads

  private static func deployment(_ object: JSONValue) -> JSONValue {
    var result = object
    result.setDefault(1, at: ["spec", "replicas"])
    result.setDefault("RollingUpdate", at: ["spec", "strategy", "type"])
    if result[path: ["spec", "strategy", "type"]] == "RollingUpdate" {
      result.setDefault("25%", at: ["spec", "strategy", "rollingUpdate", "maxUnavailable"])
      result.setDefault("25%", at: ["spec", "strategy", "rollingUpdate", "maxSurge"])
    }
    result.setDefault(10, at: ["spec", "revisionHistoryLimit"])
    result.setDefault(600, at: ["spec", "progressDeadlineSeconds"])
    return withPodTemplate(result, at: ["spec", "template"])
  }

  private static func daemonSet(_ object: JSONValue) -> JSONValue {
    var result = object
    result.setDefault("RollingUpdate", at: ["spec", "updateStrategy", "type"])
    if result[path: ["spec", "updateStrategy", "type"]] == "RollingUpdate" {
      result.setDefault(1, at: ["spec", "updateStrategy", "rollingUpdate", "maxUnavailable"])
      result.setDefault(0, at: ["spec", "updateStrategy", "rollingUpdate", "maxSurge"])
    }
    result.setDefault(10, at: ["spec", "revisionHistoryLimit"])
    return withPodTemplate(result, at: ["spec", "template"])
  }

  private static func statefulSet(_ object: JSONValue) -> JSONValue {
    var result = object
    result.setDefault(1, at: ["spec", "replicas"])
    result.setDefault("OrderedReady", at: ["spec", "podManagementPolicy"])
    // As on a real server, a partition is filled in only when the strategy was left to the server
    // or names its rollingUpdate.
    if result.isAbsent(at: ["spec", "updateStrategy", "type"]) {
      result.set("RollingUpdate", at: ["spec", "updateStrategy", "type"])
      result.setDefault([:], at: ["spec", "updateStrategy", "rollingUpdate"])
    }
    if result[path: ["spec", "updateStrategy", "type"]] == "RollingUpdate",
      result[path: ["spec", "updateStrategy", "rollingUpdate"]]?.objectValue != nil
    {
      result.setDefault(0, at: ["spec", "updateStrategy", "rollingUpdate", "partition"])
    }
    result.setDefault("Retain", at: ["spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted"])
    result.setDefault("Retain", at: ["spec", "persistentVolumeClaimRetentionPolicy", "whenScaled"])
    result.setDefault(10, at: ["spec", "revisionHistoryLimit"])
    result.transformElements(at: ["spec", "volumeClaimTemplates"]) { claim in
      claim.withDefault("Filesystem", at: ["spec", "volumeMode"])
    }
    return withPodTemplate(result, at: ["spec", "template"])
  }

  private static func job(_ object: JSONValue) -> JSONValue {
    var result = object
    if result.isAbsent(at: ["spec", "completions"]), result.isAbsent(at: ["spec", "parallelism"]) {
      result.set(1, at: ["spec", "completions"])
    }
    result.setDefault(1, at: ["spec", "parallelism"])
    let perIndex = !result.isAbsent(at: ["spec", "backoffLimitPerIndex"])
    result.setDefault(perIndex ? .int(Int64(Int32.max)) : 6, at: ["spec", "backoffLimit"])
    result.setDefault("NonIndexed", at: ["spec", "completionMode"])
    result.setDefault(false, at: ["spec", "suspend"])
    let failurePolicy = !result.isAbsent(at: ["spec", "podFailurePolicy"])
    result.setDefault(failurePolicy ? "Failed" : "TerminatingOrFailed", at: ["spec", "podReplacementPolicy"])
    // A Job without labels of its own takes its pod template's.
    let templateLabels = result[path: ["spec", "template", "metadata", "labels"]]?.objectValue ?? [:]
    if !templateLabels.isEmpty, (result[path: ["metadata", "labels"]]?.objectValue ?? [:]).isEmpty {
      result.set(.object(templateLabels), at: ["metadata", "labels"])
    }
    return withPodTemplate(result, at: ["spec", "template"])
  }

  /// The object with the pod template at `path` defaulted; the template is created when absent,
  /// as the Go types hold it by value.
  private static func withPodTemplate(_ object: JSONValue, at path: [String]) -> JSONValue {
    var result = object
    result.setDefault([:], at: path + ["spec"])
    result.transform(at: path + ["spec"]) { podSpec($0) }
    return result
  }

  // MARK: Pods

  /// `SetDefaults_PodSpec` and what it reaches: containers, probes, volumes.
  static func podSpec(_ spec: JSONValue) -> JSONValue {
    var result = spec
    result.setDefault("Always", at: ["restartPolicy"])
    result.setDefault("ClusterFirst", at: ["dnsPolicy"])
    result.setDefault("default-scheduler", at: ["schedulerName"])
    result.setDefault(30, at: ["terminationGracePeriodSeconds"])
    result.setDefault([:], at: ["securityContext"])
    for list in ["initContainers", "containers"] {
      result.transformElements(at: [list]) { container($0) }
    }
    result.transformElements(at: ["volumes"]) { volume($0) }
    return result
  }

  static func container(_ container: JSONValue) -> JSONValue {
    var result = container
    result.setDefault(.string(imagePullPolicy(for: container["image"]?.stringValue ?? "")), at: ["imagePullPolicy"])
    result.setDefault("/dev/termination-log", at: ["terminationMessagePath"])
    result.setDefault("File", at: ["terminationMessagePolicy"])
    // Not a defaulter on a real server but how its Go struct serializes: always present.
    result.setDefault([:], at: ["resources"])
    result.transformElements(at: ["ports"]) { $0.withDefault("TCP", at: ["protocol"]) }
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
      result.transform(at: [probe]) { self.probe($0) }
    }
    result.transformElements(at: ["env"]) { variable in
      guard variable[path: ["valueFrom", "fieldRef"]]?.objectValue != nil else { return variable }
      return variable.withDefault("v1", at: ["valueFrom", "fieldRef", "apiVersion"])
    }
    return result
  }

  /// `Always` for an image tagged `latest` or not tagged at all (and without a digest),
  /// `IfNotPresent` for any other, as `SetDefaults_Container` decides.
  static func imagePullPolicy(for image: String) -> String {
    guard !image.isEmpty else { return "IfNotPresent" }
    let withoutDigest = image.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
    let hasDigest = withoutDigest.count > 1
    // A colon before the last slash belongs to a registry's port, not to a tag.
    let lastComponent = withoutDigest[0].split(separator: "/", omittingEmptySubsequences: false).last ?? ""
    let tag: Substring =
      if let colon = lastComponent.lastIndex(of: ":") {
        lastComponent[lastComponent.index(after: colon)...]
      } else {
        hasDigest ? "" : "latest"
      }
    return tag == "latest" ? "Always" : "IfNotPresent"
  }

  private static func probe(_ probe: JSONValue) -> JSONValue {
    var result = probe
    result.setDefault(1, at: ["timeoutSeconds"])
    result.setDefault(10, at: ["periodSeconds"])
    result.setDefault(1, at: ["successThreshold"])
    result.setDefault(3, at: ["failureThreshold"])
    if result["httpGet"]?.objectValue != nil {
      result.setDefault("/", at: ["httpGet", "path"])
      result.setDefault("HTTP", at: ["httpGet", "scheme"])
    }
    return result
  }

  private static func volume(_ volume: JSONValue) -> JSONValue {
    var result = volume
    for source in ["configMap", "secret", "projected", "downwardAPI"] where result[source]?.objectValue != nil {
      result.setDefault(420, at: [source, "defaultMode"])
    }
    if result["hostPath"]?.objectValue != nil { result.setDefault("", at: ["hostPath", "type"]) }
    return result
  }

  // MARK: Services

  /// `SetDefaults_Service`, plus the IP family fields the Service registry fills in on a
  /// single-stack IPv4 cluster. The cluster IP and node ports are allocated by the store.
  private static func service(_ object: JSONValue) -> JSONValue {
    var result = object
    result.setDefault("ClusterIP", at: ["spec", "type"])
    result.setDefault("None", at: ["spec", "sessionAffinity"])
    if result[path: ["spec", "sessionAffinity"]] == "ClientIP" {
      result.setDefault(10800, at: ["spec", "sessionAffinityConfig", "clientIP", "timeoutSeconds"])
    }
    result.transformElements(at: ["spec", "ports"]) { port in
      var port = port.withDefault("TCP", at: ["protocol"])
      if [.null, 0, ""].contains(port["targetPort"] ?? .null), let number = port["port"], number != .null {
        port["targetPort"] = number
      }
      return port
    }
    let type = result[path: ["spec", "type"]]?.stringValue ?? ""
    let hasExternalIPs = !(result[path: ["spec", "externalIPs"]]?.arrayValue ?? []).isEmpty
    if ["NodePort", "LoadBalancer"].contains(type) || (type == "ClusterIP" && hasExternalIPs) {
      result.setDefault("Cluster", at: ["spec", "externalTrafficPolicy"])
    }
    if ["ClusterIP", "NodePort", "LoadBalancer"].contains(type) {
      result.setDefault("Cluster", at: ["spec", "internalTrafficPolicy"])
      result.setDefault(["IPv4"], at: ["spec", "ipFamilies"])
      result.setDefault("SingleStack", at: ["spec", "ipFamilyPolicy"])
    }
    if type == "LoadBalancer" { result.setDefault(true, at: ["spec", "allocateLoadBalancerNodePorts"]) }
    result.setDefault([:], at: ["status", "loadBalancer"])
    return result
  }
}

extension JSONValue {
  /// Whether nothing, or null, is at `path`.
  func isAbsent(at path: [String]) -> Bool {
    guard let value = self[path: path] else { return true }
    return value == .null
  }

  /// Sets `value` at `path` unless something other than null is there already.
  mutating func setDefault(_ value: JSONValue, at path: [String]) {
    if isAbsent(at: path) { set(value, at: path) }
  }

  /// The value with `value` set at `path` unless something other than null is there already.
  func withDefault(_ value: JSONValue, at path: [String]) -> JSONValue {
    var result = self
    result.setDefault(value, at: path)
    return result
  }

  /// Replaces the object at `path`, when there is one, with `change` of it.
  mutating func transform(at path: [String], _ change: (JSONValue) -> JSONValue) {
    guard let current = self[path: path], current.objectValue != nil else { return }
    set(change(current), at: path)
  }

  /// Replaces each object in the list at `path`, when there is one, with `change` of it.
  mutating func transformElements(at path: [String], _ change: (JSONValue) -> JSONValue) {
    guard let elements = self[path: path]?.arrayValue else { return }
    set(.array(elements.map { $0.objectValue != nil ? change($0) : $0 }), at: path)
  }
}
