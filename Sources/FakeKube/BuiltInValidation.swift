import KubeModel

/// The validation a real API server runs on built-in kinds after defaulting, in the focused subset
/// operators trip over: names, workload selectors that must match their pod templates, containers,
/// restart policies, Service types and ports, and the fields that may not change once set. Each
/// failure is one `FieldCause` worded as Kubernetes 1.32 words it, so a 422 names every bad field
/// at once and kubectl prints what it would print against a real cluster.
enum BuiltInValidation {
  /// Throws 422 Invalid with one cause per failure when the object (replacing `old` on an update)
  /// is not valid.
  static func check(_ object: JSONValue, replacing old: JSONValue?, as type: ResourceType) throws(FakeKubeError) {
    let causes = causes(of: object, replacing: old, as: type)
    guard !causes.isEmpty else { return }
    throw .invalidFields(
      kind: type.kind, group: type.group, name: object[path: ["metadata", "name"]]?.stringValue ?? "", causes: causes)
  }

  static func causes(of object: JSONValue, replacing old: JSONValue?, as type: ResourceType) -> [FieldCause] {
    var causes = metadata(object, type)
    guard type.custom == nil else { return causes }
    switch (type.group, type.plural) {
    case ("", "pods"):
      causes += podSpec(object["spec"], at: "spec")
    case ("", "services"):
      causes += service(object, replacing: old)
    case ("apps", "deployments"), ("apps", "replicasets"), ("apps", "daemonsets"), ("apps", "statefulsets"):
      causes += workload(object, replacing: old, kind: type.kind)
    case ("batch", "jobs"):
      causes += job(object, replacing: old)
    case ("batch", "cronjobs"):
      if object.isAbsent(at: ["spec", "schedule"]) || object[path: ["spec", "schedule"]] == "" {
        causes.append(.required("spec.schedule"))
      }
      causes += podTemplate(
        object[path: ["spec", "jobTemplate", "spec", "template"]], at: "spec.jobTemplate.spec.template",
        restartPolicies: ["OnFailure", "Never"])
    default: break
    }
    return causes
  }

  // MARK: Metadata

  /// `metadata.name` (and `metadata.generateName`) as the kind's name rule wants it: a DNS-1123
  /// label for Namespaces, a DNS-1035 label for Services, a path segment for RBAC kinds, a DNS-1123
  /// subdomain for everything else.
  private static func metadata(_ object: JSONValue, _ type: ResourceType) -> [FieldCause] {
    let rule: (String, Bool) -> [String] =
      switch (type.group, type.plural) {
      case ("", "namespaces"): { name, _ in ObjectNames.dns1123LabelProblems(name) }
      case ("", "services"): { name, _ in ObjectNames.dns1035LabelProblems(name) }
      case ("rbac.authorization.k8s.io", _): ObjectNames.pathSegmentProblems
      default: { name, _ in ObjectNames.dns1123SubdomainProblems(name) }
      }
    var causes: [FieldCause] = []
    if let prefix = object[path: ["metadata", "generateName"]]?.stringValue, !prefix.isEmpty {
      // A prefix may end in a dash: the random suffix follows it.
      let masked = prefix.hasSuffix("-") ? String(prefix.dropLast()) + "a" : prefix
      for problem in rule(masked, true) {
        causes.append(.invalid("metadata.generateName", .string(prefix), problem))
      }
    }
    if let name = object[path: ["metadata", "name"]]?.stringValue, !name.isEmpty {
      for problem in rule(name, false) { causes.append(.invalid("metadata.name", .string(name), problem)) }
    }
    return causes
  }

  // MARK: Pods

  /// The containers of a pod spec: at least one, each named with a unique DNS-1123 label and
  /// naming an image.
  static func podSpec(_ spec: JSONValue?, at path: String) -> [FieldCause] {
    var causes: [FieldCause] = []
    let containers = spec?["containers"]?.arrayValue ?? []
    if containers.isEmpty { causes.append(.required("\(path).containers")) }
    var names: Set<String> = []
    for list in ["initContainers", "containers"] {
      for (index, container) in (spec?[list]?.arrayValue ?? []).enumerated() {
        let field = "\(path).\(list)[\(index)].name"
        let name = container["name"]?.stringValue ?? ""
        if name.isEmpty {
          causes.append(.required(field))
        } else {
          for problem in ObjectNames.dns1123LabelProblems(name) {
            causes.append(.invalid(field, .string(name), problem))
          }
        }
        if (container["image"]?.stringValue ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
          causes.append(.required("\(path).\(list)[\(index)].image"))
        }
        if !name.isEmpty, !names.insert(name).inserted {
          causes.append(
            FieldCause(
              reason: "FieldValueDuplicate", field: field, message: "Duplicate value: \(GoSyntax.quoted(name))"))
        }
      }
    }
    return causes
  }

  /// A pod template whose restart policy must be one of `restartPolicies`.
  private static func podTemplate(_ template: JSONValue?, at path: String, restartPolicies: [String]) -> [FieldCause] {
    var causes = podSpec(template?["spec"], at: "\(path).spec")
    let policy = template?[path: ["spec", "restartPolicy"]]?.stringValue ?? ""
    if !restartPolicies.contains(policy) {
      causes.append(.notSupported("\(path).spec.restartPolicy", policy, restartPolicies))
    }
    return causes
  }

  // MARK: Workloads

  /// Deployments, ReplicaSets, DaemonSets and StatefulSets: a non-empty selector that selects the
  /// pod template's labels, a template that restarts always, and a selector that never changes
  /// (for StatefulSets, a spec of which only some fields may change).
  private static func workload(_ object: JSONValue, replacing old: JSONValue?, kind: String) -> [FieldCause] {
    var causes: [FieldCause] = []
    if kind != "DaemonSet", let replicas = object[path: ["spec", "replicas"]]?.intValue, replicas < 0 {
      causes.append(.invalid("spec.replicas", .int(replicas), "must be greater than or equal to 0"))
    }
    let selector = object[path: ["spec", "selector"]]
    if selector == nil || selector == .null {
      causes.append(.required("spec.selector"))
    } else if Self.isEmptySelector(selector) {
      let noun = kind == "ReplicaSet" ? "deployment" : kind.lowercased()
      causes.append(
        .invalid("spec.selector", GoSyntax.labelSelector(selector), "empty selector is invalid for \(noun)"))
    }
    causes += templateMatches(object, selector: selector)
    causes += podTemplate(object[path: ["spec", "template"]], at: "spec.template", restartPolicies: ["Always"])
    guard let old else { return causes }
    if kind == "StatefulSet" {
      if Self.statefulSetSpecOutsideMutableFields(object) != Self.statefulSetSpecOutsideMutableFields(old) {
        causes.append(
          FieldCause(
            reason: "FieldValueForbidden", field: "spec",
            message: "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', "
              + "'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and "
              + "'minReadySeconds' are forbidden"))
      }
    } else if selector != old[path: ["spec", "selector"]] {
      causes.append(.immutable("spec.selector", GoSyntax.labelSelector(selector)))
    }
    return causes
  }

  /// `spec.template.metadata.labels` must be selected by a non-empty, well-formed selector.
  private static func templateMatches(_ object: JSONValue, selector: JSONValue?) -> [FieldCause] {
    guard let selector, selector != .null, !isEmptySelector(selector),
      let requirements = try? LabelSelector(labelSelector: selector)
    else { return [] }
    let labels = object[path: ["spec", "template", "metadata", "labels"]]
    guard !requirements.matches((labels?.objectValue ?? [:]).compactMapValues(\.stringValue)) else { return [] }
    return [
      .invalid(
        "spec.template.metadata.labels", GoSyntax.stringMap(labels), "`selector` does not match template `labels`")
    ]
  }

  private static func isEmptySelector(_ selector: JSONValue?) -> Bool {
    (selector?["matchLabels"]?.objectValue ?? [:]).isEmpty
      && (selector?["matchExpressions"]?.arrayValue ?? []).isEmpty
  }

  private static func statefulSetSpecOutsideMutableFields(_ object: JSONValue) -> JSONValue? {
    var spec = object["spec"]
    for field in [
      "replicas", "ordinals", "template", "updateStrategy", "revisionHistoryLimit",
      "persistentVolumeClaimRetentionPolicy", "minReadySeconds",
    ] {
      spec?[field] = nil
    }
    return spec
  }

  /// Jobs: a generated or matching selector, a pod template that restarts on failure or never, and
  /// a selector and template that never change.
  private static func job(_ object: JSONValue, replacing old: JSONValue?) -> [FieldCause] {
    var causes: [FieldCause] = []
    let selector = object[path: ["spec", "selector"]]
    if object[path: ["spec", "manualSelector"]] == true, selector == nil || selector == .null {
      causes.append(.required("spec.selector"))
    }
    causes += templateMatches(object, selector: selector)
    causes += podTemplate(
      object[path: ["spec", "template"]], at: "spec.template", restartPolicies: ["OnFailure", "Never"])
    guard let old else { return causes }
    if selector != old[path: ["spec", "selector"]] {
      causes.append(.immutable("spec.selector", GoSyntax.labelSelector(selector)))
    }
    let template = object[path: ["spec", "template"]]
    if template != old[path: ["spec", "template"]] {
      causes.append(.immutable("spec.template", template.map { $0.serialized } ?? "null"))
    }
    return causes
  }

  // MARK: Services

  static let serviceTypes = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]

  private static func service(_ object: JSONValue, replacing old: JSONValue?) -> [FieldCause] {
    var causes: [FieldCause] = []
    let type = object[path: ["spec", "type"]]?.stringValue ?? ""
    if let old, type != "ExternalName", old[path: ["spec", "type"]] != "ExternalName",
      let oldIP = old[path: ["spec", "clusterIP"]]?.stringValue, !oldIP.isEmpty,
      object[path: ["spec", "clusterIP"]]?.stringValue != oldIP
    {
      let sent = object[path: ["spec", "clusterIP"]]?.stringValue ?? ""
      causes.append(.immutable("spec.clusterIP", GoSyntax.quoted(sent)))
    }
    if !serviceTypes.contains(type) {
      causes.append(.notSupported("spec.type", type, serviceTypes))
    }
    if type == "ExternalName", (object[path: ["spec", "externalName"]]?.stringValue ?? "").isEmpty {
      causes.append(.required("spec.externalName"))
    }
    for (index, port) in (object[path: ["spec", "ports"]]?.arrayValue ?? []).enumerated() {
      let number = port["port"]?.intValue ?? 0
      if !(1...65535).contains(number) {
        causes.append(.invalid("spec.ports[\(index)].port", .int(number), "must be between 1 and 65535, inclusive"))
      }
    }
    return causes
  }
}

extension FieldCause {
  /// `Required value`, with a detail when there is one.
  static func required(_ field: String, _ detail: String = "") -> FieldCause {
    FieldCause(
      reason: "FieldValueRequired", field: field,
      message: detail.isEmpty ? "Required value" : "Required value: \(detail)")
  }

  /// `Invalid value: <value>: <detail>`, the value as Go's `%v` or `%q` prints it.
  static func invalid(_ field: String, _ value: JSONValue, _ detail: String) -> FieldCause {
    let rendered = value.stringValue.map(GoSyntax.quoted) ?? value.serialized
    return invalid(field, rendered, detail)
  }

  /// `Invalid value: <rendered>: <detail>` with the value already rendered.
  static func invalid(_ field: String, _ rendered: String, _ detail: String) -> FieldCause {
    FieldCause(reason: "FieldValueInvalid", field: field, message: "Invalid value: \(rendered): \(detail)")
  }

  /// A field that may not change once set.
  static func immutable(_ field: String, _ rendered: String) -> FieldCause {
    invalid(field, rendered, "field is immutable")
  }

  /// `Unsupported value: "x": supported values: "a", "b"`.
  static func notSupported(_ field: String, _ value: String, _ supported: [String]) -> FieldCause {
    FieldCause(
      reason: "FieldValueNotSupported", field: field,
      message: "Unsupported value: \(GoSyntax.quoted(value)): supported values: "
        + supported.map(GoSyntax.quoted).joined(separator: ", "))
  }
}

/// The name rules of `k8s.io/apimachinery/pkg/util/validation`, with their messages.
enum ObjectNames {
  private static let subdomainFormat = #"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"#
  private static let labelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
  private static let dns1035Format = "[a-z]([-a-z0-9]*[a-z0-9])?"

  static func dns1123SubdomainProblems(_ name: String) -> [String] {
    var problems: [String] = []
    if name.utf8.count > 253 { problems.append("must be no more than 253 characters") }
    if !isSubdomain(name) {
      problems.append(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
          + "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '"
          + subdomainFormat + "')")
    }
    return problems
  }

  static func dns1123LabelProblems(_ name: String) -> [String] {
    var problems: [String] = []
    if name.utf8.count > 63 { problems.append("must be no more than 63 characters") }
    if !isLabel(name) {
      if isSubdomain(name) {
        problems.append("must not contain dots")
      } else {
        problems.append(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
            + "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '"
            + labelFormat + "')")
      }
    }
    return problems
  }

  static func dns1035LabelProblems(_ name: String) -> [String] {
    var problems: [String] = []
    if name.utf8.count > 63 { problems.append("must be no more than 63 characters") }
    if !isLabel(name) || !(name.first.map(isLowerLetter) ?? false) {
      problems.append(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
          + "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
          + "validation is '" + dns1035Format + "')")
    }
    return problems
  }

  /// What a name used as one segment of a URL path may not be or contain.
  static func pathSegmentProblems(_ name: String, prefix: Bool) -> [String] {
    var problems: [String] = []
    if !prefix, name == "." || name == ".." { problems.append("may not be '\(name)'") }
    for forbidden in ["/", "%"] where name.contains(forbidden) { problems.append("may not contain '\(forbidden)'") }
    return problems
  }

  private static func isLabel(_ text: Substring) -> Bool {
    guard let first = text.first, let last = text.last else { return false }
    return isLowerAlphanumeric(first) && isLowerAlphanumeric(last)
      && text.allSatisfy { isLowerAlphanumeric($0) || $0 == "-" }
  }

  private static func isLabel(_ text: String) -> Bool { isLabel(text[...]) }

  private static func isSubdomain(_ text: String) -> Bool {
    text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(isLabel)
  }

  private static func isLowerAlphanumeric(_ character: Character) -> Bool {
    character.isASCII && (character.isLowercase || character.isNumber)
  }

  private static func isLowerLetter(_ character: Character) -> Bool {
    character.isASCII && character.isLowercase
  }
}

/// Values as Go's `%q` and `%#v` print them in API errors, so messages read as a real server's.
enum GoSyntax {
  static func quoted(_ text: String) -> String { JSONValue.string(text).serialized }

  /// A `map[string]string` under `%#v`: keys sorted, `map[string]string(nil)` for none.
  static func stringMap(_ value: JSONValue?) -> String {
    guard let members = value?.objectValue else { return "map[string]string(nil)" }
    let pairs = members.keys.sorted().map { "\(quoted($0)):\(quoted(members[$0]?.stringValue ?? ""))" }
    return "map[string]string{" + pairs.joined(separator: ", ") + "}"
  }

  /// A `metav1.LabelSelector` under `%#v`.
  static func labelSelector(_ value: JSONValue?) -> String {
    let expressions = value?["matchExpressions"]?.arrayValue.map { list in
      "[]v1.LabelSelectorRequirement{"
        + list.map { expression in
          let values = expression["values"]?.arrayValue.map { values in
            "[]string{" + values.map { quoted($0.stringValue ?? "") }.joined(separator: ", ") + "}"
          }
          return "v1.LabelSelectorRequirement{Key:\(quoted(expression["key"]?.stringValue ?? "")), "
            + "Operator:\(quoted(expression["operator"]?.stringValue ?? "")), Values:\(values ?? "[]string(nil)")}"
        }.joined(separator: ", ") + "}"
    }
    return "v1.LabelSelector{MatchLabels:\(stringMap(value?["matchLabels"])), "
      + "MatchExpressions:\(expressions ?? "[]v1.LabelSelectorRequirement(nil)")}"
  }
}
