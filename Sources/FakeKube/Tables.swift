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
    switch (type.group, type.kind) {
    case ("", "Pod"): specific = podColumns
    case ("", "Service"): specific = serviceColumns
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
    case ("", "Node"): specific = [Column(name: "Status", type: "string") { object, _ in .string(nodeStatus(object)) }]
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
    case ("apps", "StatefulSet"):
      specific = [
        Column(name: "Ready", type: "string") { object, _ in
          .string("\(integer(object, ["status", "readyReplicas"]))/\(replicas(object))")
        }
      ]
    case ("apps", "ReplicaSet"):
      specific = [
        Column(name: "Desired", type: "integer") { object, _ in .int(replicas(object)) },
        integerColumn("Current", ["status", "replicas"]), integerColumn("Ready", ["status", "readyReplicas"]),
      ]
    case ("apps", "DaemonSet"):
      specific = [
        integerColumn("Desired", ["status", "desiredNumberScheduled"]),
        integerColumn("Current", ["status", "currentNumberScheduled"]),
        integerColumn("Ready", ["status", "numberReady"]),
        integerColumn("Up-to-date", ["status", "updatedNumberScheduled"]),
        integerColumn("Available", ["status", "numberAvailable"]),
        Column(name: "Node Selector", type: "string") { object, _ in
          let selector = object[path: ["spec", "template", "spec", "nodeSelector"]]?.objectValue ?? [:]
          return .string(selector.isEmpty ? "<none>" : keyValues(selector))
        },
      ]
    default: specific = []
    }
    return [name] + specific + [ageColumn]
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
      let ready = statuses.filter { $0["ready"]?.boolValue == true }.count
      return .string("\(ready)/\(total)")
    },
    Column(name: "Status", type: "string") { object, _ in
      .string(
        object[path: ["metadata", "deletionTimestamp"]] != nil
          ? "Terminating" : object[path: ["status", "phase"]]?.stringValue ?? "Pending")
    },
    Column(name: "Restarts", type: "integer") { object, _ in
      let statuses = object[path: ["status", "containerStatuses"]]?.arrayValue ?? []
      return .int(statuses.reduce(0) { $0 + ($1["restartCount"]?.intValue ?? 0) })
    },
  ]

  private static let serviceColumns: [Column] = [
    Column(name: "Type", type: "string") { object, _ in object[path: ["spec", "type"]] ?? "ClusterIP" },
    Column(name: "Cluster-IP", type: "string") { object, _ in object[path: ["spec", "clusterIP"]] ?? "<none>" },
    Column(name: "External-IP", type: "string") { object, _ in
      let ips = object[path: ["spec", "externalIPs"]]?.arrayValue?.compactMap(\.stringValue) ?? []
      return .string(ips.isEmpty ? "<none>" : ips.joined(separator: ","))
    },
    Column(name: "Port(s)", type: "string") { object, _ in
      let ports = object[path: ["spec", "ports"]]?.arrayValue ?? []
      let text = ports.map { port in
        "\(port["port"]?.intValue ?? 0)/\(port["protocol"]?.stringValue ?? "TCP")"
      }
      return .string(text.isEmpty ? "<none>" : text.joined(separator: ","))
    },
  ]

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

  private static func keyValues(_ members: [String: JSONValue]) -> String {
    members.keys.sorted().map { "\($0)=\(members[$0]?.stringValue ?? "")" }.joined(separator: ",")
  }

  private static func nodeStatus(_ object: JSONValue) -> String {
    let conditions = object[path: ["status", "conditions"]]?.arrayValue ?? []
    let ready = conditions.first { $0["type"]?.stringValue == "Ready" }
    return ready?["status"]?.stringValue == "True" ? "Ready" : "NotReady"
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
