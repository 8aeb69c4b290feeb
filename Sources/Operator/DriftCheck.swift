import KubeModel

/// Whether a live object still holds what the operator applied: the comparison behind
/// `DesiredState.needsApply`, and the hash that lets it see fields the operator stopped setting.
///
/// The server adds defaults and status, so a live object may hold more than was applied; what
/// matters is that every applied field is there with an equal value. Values the server may
/// rewrite into another spelling are compared by meaning: numbers by value whether written as
/// integers or not, and quantities (under `requests`, `limits`, `sizeLimit` and `storage`) by
/// amount, so `1Gi` equals `1024Mi`.
enum DriftCheck {
  /// Keys whose values, and whose members' values, are quantities.
  static let quantityKeys: Set<String> = ["sizeLimit", "storage"]
  static let quantityMaps: Set<String> = ["requests", "limits"]

  /// Whether `live` lacks a field `desired` sets or holds another value there. Of the metadata
  /// only labels, annotations and owner references count: the rest is the server's.
  static func differs(_ desired: JSONValue, live: JSONValue) -> Bool {
    guard let wanted = desired.objectValue, let have = live.objectValue else { return desired != live }
    for (key, value) in wanted {
      switch key {
      // Lists from the API server carry no kind per item; the caller read the object by kind.
      case "apiVersion", "kind": continue
      case "metadata":
        if !metadataCovered(value, by: have["metadata"]) { return true }
      default:
        if !covered(value, by: have[key], key: key, parent: nil) { return true }
      }
    }
    return false
  }

  private static func metadataCovered(_ desired: JSONValue, by live: JSONValue?) -> Bool {
    for key in ["labels", "annotations"] {
      guard let wanted = desired[key]?.objectValue else { continue }
      let have = live?[key]?.objectValue ?? [:]
      if wanted.contains(where: { have[$0.key] != $0.value }) { return false }
    }
    let references = live?["ownerReferences"]?.arrayValue ?? []
    for reference in desired["ownerReferences"]?.arrayValue ?? [] {
      if !references.contains(where: { covered(reference, by: $0, key: "ownerReferences", parent: "metadata") }) {
        return false
      }
    }
    return true
  }

  /// Lists the API merges by a key (`x-kubernetes-list-type: map`), with the fields that identify
  /// an element: another manager may add elements to them (a sidecar container, a Service port),
  /// which server-side apply keeps, so extra live elements are not drift.
  static let listKeys: [String: [String]] = [
    "containers": ["name"], "initContainers": ["name"], "env": ["name"], "volumes": ["name"],
    "volumeMounts": ["mountPath"], "ports": ["containerPort", "port"], "imagePullSecrets": ["name"],
  ]

  /// Whether `live` holds everything `desired` does: objects by key (extra live keys are fine),
  /// keyed lists element by element by their key (extra live elements are fine), other arrays
  /// element by element with equal length, scalars by value.
  static func covered(_ desired: JSONValue, by live: JSONValue?, key: String, parent: String?) -> Bool {
    guard let live, live != .null else { return desired == .null }
    switch desired {
    case .object(let wanted):
      guard let have = live.objectValue else { return false }
      return wanted.allSatisfy { covered($0.value, by: have[$0.key], key: $0.key, parent: key) }
    case .array(let wanted):
      guard let have = live.arrayValue else { return false }
      if let fields = listKeys[key] {
        return wanted.allSatisfy { element in
          guard let field = fields.first(where: { element[$0] != nil }) else { return have.contains(element) }
          let match = have.first { sameNumber(element[field], $0[field]) || element[field] == $0[field] }
          return match.map { covered(element, by: $0, key: key, parent: parent) } ?? false
        }
      }
      guard have.count == wanted.count else { return false }
      return zip(wanted, have).allSatisfy { covered($0, by: $1, key: key, parent: parent) }
    case .int, .double:
      return sameNumber(desired, live)
    case .string(let text):
      if quantityKeys.contains(key) || parent.map(quantityMaps.contains) == true,
        let liveText = live.stringValue, let wanted = try? Quantity(text), let have = try? Quantity(liveText)
      {
        return wanted == have
      }
      return live == desired
    case .bool, .null:
      return live == desired
    }
  }

  private static func sameNumber(_ lhs: JSONValue?, _ rhs: JSONValue?) -> Bool {
    switch (lhs, rhs) {
    case (.int(let a)?, .int(let b)?): a == b
    case (.int(let a)?, .double(let b)?), (.double(let b)?, .int(let a)?): Double(a) == b && b.rounded() == b
    case (.double(let a)?, .double(let b)?): a == b
    default: false
    }
  }
}

/// A stable hash of what the operator applies, stored in `SensorLayout.appliedHashAnnotation`:
/// 64-bit FNV-1a of the object serialized with sorted keys, without the annotation itself.
enum AppliedHash {
  static func of(_ object: JSONValue) -> String {
    var withoutHash = object
    var annotations = object[path: ["metadata", "annotations"]]?.objectValue ?? [:]
    annotations[SensorLayout.appliedHashAnnotation] = nil
    withoutHash.set(annotations.isEmpty ? nil : .object(annotations), at: ["metadata", "annotations"])
    return fnv1a64(withoutHash.serialized)
  }

  /// The object with the hash annotation set to its hash.
  static func stamped(_ object: JSONValue) -> JSONValue {
    var result = object
    result.set(.string(of(object)), at: ["metadata", "annotations", SensorLayout.appliedHashAnnotation])
    return result
  }

  /// 64-bit FNV-1a, as 16 lower-case hex digits.
  static func fnv1a64(_ text: String) -> String {
    let hex = String(fnv1a64Value(text), radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }

  static func fnv1a64Value(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash &*= 0x0000_0100_0000_01b3
    }
    return hash
  }
}
