import Foundation
import KubeModel

/// `meta.k8s.io/v1` Table responses: what `kubectl get` prints, computed on the server as a real
/// API server does. Every kind gets NAME and AGE; the kinds kubectl users look at most get their
/// standard columns too.
enum Tables {
  static let contentType = "application/json;as=Table;v=v1;g=meta.k8s.io"

  /// Whether an Accept header asks for a Table.
  static func wantsTable(_ accept: String) -> Bool {
    accept.split(separator: ",").contains { mediaRange in
      let parameters = Set(mediaRange.split(separator: ";").map { $0.trimmed.lowercased() })
      return parameters.contains("as=table") && parameters.contains("g=meta.k8s.io")
    }
  }

  enum IncludeObject: String {
    case none = "None"
    case metadata = "Metadata"
    case object = "Object"
  }

  struct Column: Sendable {
    var name: String
    var type: String
    var format: String = ""
    var description: String = ""
    var priority: Int64 = 0
    var cell: @Sendable (JSONValue, Date) -> JSONValue
  }

  static func table(
    _ type: ResourceType, objects: [JSONValue], resourceVersion: Int64, continueToken: String? = nil,
    include: IncludeObject, now: Date
  ) -> JSONValue {
    let columns = columns(for: type)
    let definitions: [JSONValue] = columns.map {
      [
        "name": .string($0.name), "type": .string($0.type), "format": .string($0.format),
        "description": .string($0.description),
        "priority": .int($0.priority),
      ]
    }
    let rows: [JSONValue] = objects.map { object in
      var row: JSONValue = ["cells": .array(columns.map { $0.cell(object, now) })]
      switch include {
      case .none: break
      case .object: row["object"] = object
      case .metadata:
        row["object"] = [
          "kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": object["metadata"] ?? [:],
        ]
      }
      return row
    }
    var metadata: JSONValue = ["resourceVersion": .string(String(resourceVersion))]
    if let continueToken { metadata["continue"] = .string(continueToken) }
    return [
      "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": metadata, "columnDefinitions": .array(definitions),
      "rows": .array(rows),
    ]
  }

  // MARK: Columns

  static func columns(for type: ResourceType) -> [Column] {
    let name = Column(name: "Name", type: "string", format: "name") { object, _ in
      object[path: ["metadata", "name"]] ?? ""
    }
    let ageColumn = Column(name: "Age", type: "string") { object, now in .string(Tables.age(of: object, now: now)) }
    if let custom = type.custom, !custom.printerColumns.isEmpty {
      return [name] + custom.printerColumns.map(printerColumn)
    }
    let specific: [Column]
    // Priority 1: shown by `kubectl get -o wide` only.
    var wide: [Column] = []
    switch (type.group, type.kind) {
    case ("", "Pod"):
      specific = podColumns
      wide = podWideColumns
    case ("", "Service"):
      specific = serviceColumns
      wide = [
        Column(name: "Selector", type: "string", priority: 1) { object, _ in
          .string(labelPairs(object[path: ["spec", "selector"]]))
        }
      ]
    case ("", "Endpoints"):
      specific = [Column(name: "Endpoints", type: "string") { object, _ in .string(endpointsSummary(object)) }]
    case ("", "Namespace"): specific = [stringColumn("Status", ["status", "phase"])]
    case ("", "ConfigMap"):
      specific = [
        Column(name: "Data", type: "integer") { object, _ in .int(count(object["data"]) + count(object["binaryData"])) }
      ]
    case ("", "Secret"):
      specific = [
        stringColumn("Type", ["type"]),
        Column(name: "Data", type: "integer") { object, _ in .int(count(object["data"])) },
      ]
    case ("", "Node"):
      // The real server puts a Node's age before its version.
      return [name] + nodeColumns(age: ageColumn)
    case ("", "Event"):
      // As the real server prints events: what happened to which object, newest time first; the name is wide only.
      return eventColumns + [
        Column(name: "Name", type: "string", format: "name", priority: 1) { object, _ in
          object[path: ["metadata", "name"]] ?? ""
        }
      ]
    case ("apiextensions.k8s.io", "CustomResourceDefinition"):
      // The real server shows when a CRD was created instead of its age.
      return [
        name,
        Column(name: "Created At", type: "date") { object, _ in
          object[path: ["metadata", "creationTimestamp"]] ?? .null
        },
      ]
    case ("apps", "Deployment"):
      specific = [
        Column(name: "Ready", type: "string") { object, _ in
          .string("\(integer(object, ["status", "readyReplicas"]))/\(replicas(object))")
        },
        integerColumn("Up-to-date", ["status", "updatedReplicas"]),
        integerColumn("Available", ["status", "availableReplicas"]),
      ]
      wide = templateColumns(withSelector: true)
    case ("apps", "StatefulSet"):
      specific = [
        Column(name: "Ready", type: "string") { object, _ in
          .string("\(integer(object, ["status", "readyReplicas"]))/\(replicas(object))")
        }
      ]
      wide = templateColumns(withSelector: false)
    case ("apps", "ReplicaSet"):
      specific = [
        Column(name: "Desired", type: "integer") { object, _ in .int(replicas(object)) },
        integerColumn("Current", ["status", "replicas"]), integerColumn("Ready", ["status", "readyReplicas"]),
      ]
      wide = templateColumns(withSelector: true)
    case ("apps", "DaemonSet"):
      specific = [
        integerColumn("Desired", ["status", "desiredNumberScheduled"]),
        integerColumn("Current", ["status", "currentNumberScheduled"]),
        integerColumn("Ready", ["status", "numberReady"]),
        integerColumn("Up-to-date", ["status", "updatedNumberScheduled"]),
        integerColumn("Available", ["status", "numberAvailable"]),
        Column(name: "Node Selector", type: "string") { object, _ in
          .string(labelPairs(object[path: ["spec", "template", "spec", "nodeSelector"]]))
        },
      ]
      wide = templateColumns(withSelector: true)
    default: specific = []
    }
    return [name] + specific + [ageColumn] + wide
  }

  /// A CRD's printer column: the first value its JSONPath reaches, formatted by its type (a
  /// `date` as an age, like AGE), or nil when the path reaches nothing.
  private static func printerColumn(_ column: PrinterColumn) -> Column {
    Column(
      name: column.name, type: column.type, format: column.format, description: column.description,
      priority: column.priority
    ) { object, now in
      guard let value = column.jsonPath.values(in: object).first, value != .null else { return .null }
      switch (column.type, value) {
      case ("date", .string(let text)):
        guard let date = try? Date(text, strategy: .iso8601) else { return "<invalid>" }
        return .string(humanDuration(now.timeIntervalSince(date)))
      case ("integer", _): return value.intValue.map(JSONValue.int) ?? value
      case ("string", .string): return value
      case ("string", .object), ("string", .array): return .string(value.serialized)
      case ("string", _): return .string(value.serialized)
      default: return value
      }
    }
  }

  private static let podColumns: [Column] = [
    Column(name: "Ready", type: "string") { object, _ in
      let total = object[path: ["spec", "containers"]]?.arrayValue?.count ?? 0
      let statuses = object[path: ["status", "containerStatuses"]]?.arrayValue ?? []
      let ready = statuses.filter { $0["ready"]?.boolValue == true && $0[path: ["state", "running"]] != nil }.count
      return .string("\(ready)/\(total)")
    },
    Column(name: "Status", type: "string") { object, _ in .string(podStatus(object)) },
    Column(name: "Restarts", type: "string") { object, now in .string(podRestarts(object, now: now)) },
  ]

  private static let podWideColumns: [Column] = [
    Column(name: "IP", type: "string", priority: 1) { object, _ in
      let first = object[path: ["status", "podIPs"]]?.arrayValue?.first?["ip"]?.stringValue
      return .string(nonEmpty(first ?? object[path: ["status", "podIP"]]?.stringValue))
    },
    Column(name: "Node", type: "string", priority: 1) { object, _ in
      .string(nonEmpty(object[path: ["spec", "nodeName"]]?.stringValue))
    },
    Column(name: "Nominated Node", type: "string", priority: 1) { object, _ in
      .string(nonEmpty(object[path: ["status", "nominatedNodeName"]]?.stringValue))
    },
    Column(name: "Readiness Gates", type: "string", priority: 1) { object, _ in
      let gates = object[path: ["spec", "readinessGates"]]?.arrayValue ?? []
      guard !gates.isEmpty else { return "<none>" }
      let conditions = object[path: ["status", "conditions"]]?.arrayValue ?? []
      let met = gates.filter { gate in
        conditions.first { $0["type"] == gate["conditionType"] }?["status"]?.stringValue == "True"
      }
      return .string("\(met.count)/\(gates.count)")
    },
  ]

  /// What kubectl shows as a Pod's STATUS: the phase, or the reason a container is waiting or
  /// terminated (an init container's prefixed `Init:`), or `Terminating`.
  static func podStatus(_ pod: JSONValue) -> String {
    var reason = pod[path: ["status", "reason"]]?.stringValue ?? pod[path: ["status", "phase"]]?.stringValue ?? ""
    let initStatuses = pod[path: ["status", "initContainerStatuses"]]?.arrayValue ?? []
    let initCount = pod[path: ["spec", "initContainers"]]?.arrayValue?.count ?? 0
    var initializing = false
    for (index, container) in initStatuses.enumerated() {
      let terminated = container[path: ["state", "terminated"]]
      let waitingReason = container[path: ["state", "waiting", "reason"]]?.stringValue ?? ""
      if let terminated, terminated["exitCode"]?.intValue == 0 { continue }
      initializing = true
      if let terminated {
        if let text = terminated["reason"]?.stringValue, !text.isEmpty {
          reason = "Init:" + text
        } else if let signal = terminated["signal"]?.intValue, signal != 0 {
          reason = "Init:Signal:\(signal)"
        } else {
          reason = "Init:ExitCode:\(terminated["exitCode"]?.intValue ?? 0)"
        }
      } else if !waitingReason.isEmpty, waitingReason != "PodInitializing" {
        reason = "Init:" + waitingReason
      } else {
        reason = "Init:\(index)/\(initCount)"
      }
      break
    }
    if !initializing {
      var hasRunning = false
      for container in (pod[path: ["status", "containerStatuses"]]?.arrayValue ?? []).reversed() {
        let state = container["state"] ?? [:]
        if let waiting = state[path: ["waiting", "reason"]]?.stringValue, !waiting.isEmpty {
          reason = waiting
        } else if let terminated = state["terminated"] {
          if let text = terminated["reason"]?.stringValue, !text.isEmpty {
            reason = text
          } else if let signal = terminated["signal"]?.intValue, signal != 0 {
            reason = "Signal:\(signal)"
          } else {
            reason = "ExitCode:\(terminated["exitCode"]?.intValue ?? 0)"
          }
        } else if container["ready"] == true, state["running"] != nil {
          hasRunning = true
        }
      }
      if reason == "Completed", hasRunning {
        let conditions = pod[path: ["status", "conditions"]]?.arrayValue ?? []
        reason = conditions.contains { $0["type"] == "Ready" && $0["status"] == "True" } ? "Running" : "NotReady"
      }
    }
    if let deletion = pod[path: ["metadata", "deletionTimestamp"]], deletion != .null {
      reason = pod[path: ["status", "reason"]]?.stringValue == "NodeLost" ? "Unknown" : "Terminating"
    }
    return reason.isEmpty ? "Pending" : reason
  }

  /// The restarts of a Pod's containers (its init containers' while they run), with how long
  /// ago the last one was: `3 (5m ago)`.
  static func podRestarts(_ pod: JSONValue, now: Date) -> String {
    let initStatuses = pod[path: ["status", "initContainerStatuses"]]?.arrayValue ?? []
    let initializing = initStatuses.contains { $0[path: ["state", "terminated", "exitCode"]]?.intValue != 0 }
    let statuses = initializing ? initStatuses : pod[path: ["status", "containerStatuses"]]?.arrayValue ?? []
    let restarts = statuses.reduce(0) { $0 + ($1["restartCount"]?.intValue ?? 0) }
    let lastRestart = statuses.compactMap { status -> Date? in
      guard let text = status[path: ["lastState", "terminated", "finishedAt"]]?.stringValue else { return nil }
      return try? Date(text, strategy: .iso8601)
    }.max()
    guard let lastRestart else { return String(restarts) }
    return "\(restarts) (\(humanDuration(now.timeIntervalSince(lastRestart))) ago)"
  }

  private static let eventColumns: [Column] = [
    Column(name: "Last Seen", type: "string") { object, now in
      let seen = [["lastTimestamp"], ["eventTime"], ["metadata", "creationTimestamp"]].lazy.compactMap {
        object[path: $0]?.stringValue.flatMap { try? Date($0, strategy: .iso8601) }
      }.first
      return .string(seen.map { humanDuration(now.timeIntervalSince($0)) } ?? "<unknown>")
    },
    stringColumn("Type", ["type"]), stringColumn("Reason", ["reason"]),
    Column(name: "Object", type: "string") { object, _ in
      let kind = object[path: ["involvedObject", "kind"]]?.stringValue?.lowercased() ?? ""
      return .string("\(kind)/\(object[path: ["involvedObject", "name"]]?.stringValue ?? "")")
    },
    stringColumn("Message", ["message"]),
    Column(name: "Subobject", type: "string", priority: 1) { object, _ in
      object[path: ["involvedObject", "fieldPath"]] ?? ""
    },
    Column(name: "Source", type: "string", priority: 1) { object, _ in
      let component = object[path: ["source", "component"]]?.stringValue ?? object["reportingComponent"]?.stringValue
      return .string(component ?? "")
    },
    Column(name: "First Seen", type: "string", priority: 1) { object, now in
      let first = object["firstTimestamp"]?.stringValue.flatMap { try? Date($0, strategy: .iso8601) }
      return .string(first.map { humanDuration(now.timeIntervalSince($0)) } ?? "<unknown>")
    },
    Column(name: "Count", type: "integer", priority: 1) { object, _ in .int(object["count"]?.intValue ?? 1) },
  ]

  private static func nodeColumns(age: Column) -> [Column] {
    [
      Column(name: "Status", type: "string") { object, _ in .string(nodeStatus(object)) },
      Column(name: "Roles", type: "string") { object, _ in .string(nodeRoles(object)) },
      age,
      stringColumn("Version", ["status", "nodeInfo", "kubeletVersion"]),
      Column(name: "Internal-IP", type: "string", priority: 1) { object, _ in
        .string(nodeAddress(object, "InternalIP"))
      },
      Column(name: "External-IP", type: "string", priority: 1) { object, _ in
        .string(nodeAddress(object, "ExternalIP"))
      },
      nodeInfoColumn("OS-Image", "osImage"),
      nodeInfoColumn("Kernel-Version", "kernelVersion"),
      nodeInfoColumn("Container-Runtime", "containerRuntimeVersion"),
    ]
  }

  private static func nodeInfoColumn(_ name: String, _ field: String) -> Column {
    Column(name: name, type: "string", priority: 1) { object, _ in
      let value = object[path: ["status", "nodeInfo", field]]?.stringValue ?? ""
      return .string(value.isEmpty ? "<unknown>" : value)
    }
  }

  /// CONTAINERS and IMAGES of a workload's pod template, and its SELECTOR when it has one.
  private static func templateColumns(withSelector: Bool) -> [Column] {
    let containers: @Sendable (JSONValue) -> [JSONValue] = {
      $0[path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? []
    }
    var columns = [
      Column(name: "Containers", type: "string", priority: 1) { object, _ in
        .string(containers(object).map { $0["name"]?.stringValue ?? "" }.joined(separator: ","))
      },
      Column(name: "Images", type: "string", priority: 1) { object, _ in
        .string(containers(object).map { $0["image"]?.stringValue ?? "" }.joined(separator: ","))
      },
    ]
    if withSelector {
      columns.append(
        Column(name: "Selector", type: "string", priority: 1) { object, _ in
          .string(formatLabelSelector(object[path: ["spec", "selector"]]))
        })
    }
    return columns
  }

  private static let serviceColumns: [Column] = [
    Column(name: "Type", type: "string") { object, _ in object[path: ["spec", "type"]] ?? "ClusterIP" },
    Column(name: "Cluster-IP", type: "string") { object, _ in
      .string(nonEmpty(object[path: ["spec", "clusterIP"]]?.stringValue))
    },
    Column(name: "External-IP", type: "string") { object, _ in .string(serviceExternalIP(object)) },
    Column(name: "Port(s)", type: "string") { object, _ in
      let ports = object[path: ["spec", "ports"]]?.arrayValue ?? []
      let text = ports.map { port in
        let number = port["port"]?.intValue ?? 0
        let proto = port["protocol"]?.stringValue ?? "TCP"
        guard let nodePort = port["nodePort"]?.intValue, nodePort > 0 else { return "\(number)/\(proto)" }
        return "\(number):\(nodePort)/\(proto)"
      }
      return .string(text.isEmpty ? "<none>" : text.joined(separator: ","))
    },
  ]

  /// EXTERNAL-IP: the external IPs, and for a LoadBalancer its ingress (`<pending>` until it has
  /// one); for an ExternalName Service, the name.
  private static func serviceExternalIP(_ service: JSONValue) -> String {
    let external = service[path: ["spec", "externalIPs"]]?.arrayValue?.compactMap(\.stringValue) ?? []
    switch service[path: ["spec", "type"]]?.stringValue ?? "ClusterIP" {
    case "ClusterIP", "NodePort": return external.isEmpty ? "<none>" : external.joined(separator: ",")
    case "LoadBalancer":
      let ingress = (service[path: ["status", "loadBalancer", "ingress"]]?.arrayValue ?? []).compactMap {
        $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue
      }
      let all = external + ingress
      return all.isEmpty ? "<pending>" : all.joined(separator: ",")
    case "ExternalName": return service[path: ["spec", "externalName"]]?.stringValue ?? "<none>"
    default: return "<unknown>"
    }
  }

  /// ENDPOINTS: up to three `ip:port` pairs (bare IPs for a subset without ports), then how many more.
  static func endpointsSummary(_ endpoints: JSONValue) -> String {
    let subsets = endpoints["subsets"]?.arrayValue ?? []
    guard !subsets.isEmpty else { return "<none>" }
    var shown: [String] = []
    var total = 0
    for subset in subsets {
      let addresses = (subset["addresses"]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue }
      let ports = (subset["ports"]?.arrayValue ?? []).compactMap { $0["port"]?.intValue }
      let entries =
        ports.isEmpty
        ? addresses : ports.flatMap { port in addresses.map { $0.contains(":") ? "[\($0)]:\(port)" : "\($0):\(port)" } }
      for entry in entries {
        if shown.count < 3 { shown.append(entry) }
        total += 1
      }
    }
    let text = shown.joined(separator: ",")
    return total > 3 ? "\(text) + \(total - 3) more..." : text
  }

  private static func stringColumn(_ name: String, _ path: [String]) -> Column {
    Column(name: name, type: "string") { object, _ in object[path: path] ?? "" }
  }

  private static func integerColumn(_ name: String, _ path: [String]) -> Column {
    Column(name: name, type: "integer") { object, _ in .int(integer(object, path)) }
  }

  private static func integer(_ object: JSONValue, _ path: [String]) -> Int64 {
    object[path: path]?.intValue ?? 0
  }

  private static func replicas(_ object: JSONValue) -> Int64 {
    object[path: ["spec", "replicas"]]?.intValue ?? 1
  }

  private static func count(_ value: JSONValue?) -> Int64 {
    Int64(value?.objectValue?.count ?? 0)
  }

  /// `key=value` pairs sorted by key, or `<none>`, as kubectl formats a label map.
  private static func labelPairs(_ value: JSONValue?) -> String {
    let members = value?.objectValue ?? [:]
    guard !members.isEmpty else { return "<none>" }
    return members.keys.sorted().map { "\($0)=\(members[$0]?.stringValue ?? "")" }.joined(separator: ",")
  }

  /// A `metav1.LabelSelector` as kubectl prints it: every requirement sorted by key, `k=v`,
  /// `k in (a,b)`, `k notin (a,b)`, `k`, `!k`; `<none>` when it selects everything.
  static func formatLabelSelector(_ selector: JSONValue?) -> String {
    var requirements: [(key: String, text: String)] = []
    for (key, value) in selector?["matchLabels"]?.objectValue ?? [:] {
      requirements.append((key, "\(key)=\(value.stringValue ?? "")"))
    }
    for expression in selector?["matchExpressions"]?.arrayValue ?? [] {
      let key = expression["key"]?.stringValue ?? ""
      let values = (expression["values"]?.arrayValue ?? []).compactMap(\.stringValue).sorted().joined(separator: ",")
      switch expression["operator"]?.stringValue {
      case "In": requirements.append((key, "\(key) in (\(values))"))
      case "NotIn": requirements.append((key, "\(key) notin (\(values))"))
      case "Exists": requirements.append((key, key))
      case "DoesNotExist": requirements.append((key, "!\(key)"))
      default: return "<error>"
      }
    }
    guard !requirements.isEmpty else { return "<none>" }
    return requirements.sorted { $0.key < $1.key }.map(\.text).joined(separator: ",")
  }

  private static func nonEmpty(_ text: String?) -> String {
    guard let text, !text.isEmpty else { return "<none>" }
    return text
  }

  /// `Ready` or `NotReady` from the Ready condition (`Unknown` without one), then
  /// `SchedulingDisabled` when the Node is cordoned.
  static func nodeStatus(_ object: JSONValue) -> String {
    let conditions = object[path: ["status", "conditions"]]?.arrayValue ?? []
    var parts: [String]
    switch conditions.first(where: { $0["type"]?.stringValue == "Ready" })?["status"]?.stringValue {
    case nil: parts = ["Unknown"]
    case "True": parts = ["Ready"]
    default: parts = ["NotReady"]
    }
    if object[path: ["spec", "unschedulable"]] == true { parts.append("SchedulingDisabled") }
    return parts.joined(separator: ",")
  }

  /// The roles named by `node-role.kubernetes.io/<role>` labels and by `kubernetes.io/role`, sorted.
  static func nodeRoles(_ object: JSONValue) -> String {
    let prefix = "node-role.kubernetes.io/"
    var roles: Set<String> = []
    for (key, value) in object[path: ["metadata", "labels"]]?.objectValue ?? [:] {
      if key.hasPrefix(prefix), key.count > prefix.count {
        roles.insert(String(key.dropFirst(prefix.count)))
      } else if key == "kubernetes.io/role", let role = value.stringValue, !role.isEmpty {
        roles.insert(role)
      }
    }
    return roles.isEmpty ? "<none>" : roles.sorted().joined(separator: ",")
  }

  private static func nodeAddress(_ object: JSONValue, _ type: String) -> String {
    let addresses = object[path: ["status", "addresses"]]?.arrayValue ?? []
    return addresses.first { $0["type"]?.stringValue == type }?["address"]?.stringValue ?? "<none>"
  }

  /// The age of an object as kubectl shows it: `42s`, `3m12s`, `5h`, `2d3h`, `45d`, `2y`.
  static func age(of object: JSONValue, now: Date) -> String {
    guard let text = object[path: ["metadata", "creationTimestamp"]]?.stringValue,
      let created = try? Date(text, strategy: .iso8601)
    else { return "<unknown>" }
    return humanDuration(now.timeIntervalSince(created))
  }

  static func humanDuration(_ interval: TimeInterval) -> String {
    let seconds = max(0, Int(interval))
    let minutes = seconds / 60
    let hours = seconds / 3600
    let days = hours / 24
    switch seconds {
    case ..<120: return "\(seconds)s"
    case ..<600: return seconds % 60 == 0 ? "\(minutes)m" : "\(minutes)m\(seconds % 60)s"
    case ..<(3 * 3600): return "\(minutes)m"
    case ..<(8 * 3600): return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m"
    case ..<(48 * 3600): return "\(hours)h"
    case ..<(8 * 86400): return hours % 24 == 0 ? "\(days)d" : "\(days)d\(hours % 24)h"
    case ..<(2 * 365 * 86400): return "\(days)d"
    default: return "\(days / 365)y"
    }
  }
}
