// Field numbers of k8s.io/api rbac/v1, policy/v1, scheduling/v1 and networking/v1 `generated.proto`.

extension ProtobufBody {
  // MARK: rbac.authorization.k8s.io/v1

  static let policyRule: Schema = [
    1: ("verbs", .repeated(.string)), 2: ("apiGroups", .repeated(.string)), 3: ("resources", .repeated(.string)),
    4: ("resourceNames", .repeated(.string)), 5: ("nonResourceURLs", .repeated(.string)),
  ]

  static let role: Schema = [1: ("metadata", .message(objectMeta)), 2: ("rules", .repeated(.message(policyRule)))]

  static let clusterRole: Schema = [
    1: ("metadata", .message(objectMeta)), 2: ("rules", .repeated(.message(policyRule))),
    3: (
      "aggregationRule", .pointer(.message([1: ("clusterRoleSelectors", .repeated(.message(labelSelector)))]))
    ),
  ]

  /// RoleBinding and ClusterRoleBinding.
  static let roleBinding: Schema = [
    1: ("metadata", .message(objectMeta)),
    2: (
      "subjects",
      .repeated(
        .message([1: ("kind", .string), 2: ("apiGroup", .string), 3: ("name", .string), 4: ("namespace", .string)]))
    ),
    3: ("roleRef", .message([1: ("apiGroup", .string), 2: ("kind", .string), 3: ("name", .string)])),
  ]

  // MARK: policy/v1, scheduling.k8s.io/v1

  static let podDisruptionBudget: Schema = [
    1: ("metadata", .message(objectMeta)),
    2: (
      "spec",
      .message([
        1: ("minAvailable", .pointer(.intOrString)), 2: ("selector", .pointer(.message(labelSelector))),
        3: ("maxUnavailable", .pointer(.intOrString)),
      ])
    ),
  ]

  static let priorityClass: Schema = [
    1: ("metadata", .message(objectMeta)), 2: ("value", .pointer(.int32)), 3: ("globalDefault", .bool),
    4: ("description", .string), 5: ("preemptionPolicy", .pointer(.string)),
  ]

  // MARK: networking.k8s.io/v1

  static let ingressBackend: Schema = [
    3: ("resource", .pointer(.message(typedLocalObjectReference))),
    4: (
      "service",
      .pointer(
        .message([
          1: ("name", .string), 2: ("port", .message([1: ("name", .string), 2: ("number", .int32)])),
        ]))
    ),
  ]

  static let ingress: Schema = [
    1: ("metadata", .message(objectMeta)),
    2: (
      "spec",
      .message([
        1: ("defaultBackend", .pointer(.message(ingressBackend))),
        2: ("tls", .repeated(.message([1: ("hosts", .repeated(.string)), 2: ("secretName", .string)]))),
        3: ("rules", .repeated(.message(ingressRule))), 4: ("ingressClassName", .pointer(.string)),
      ])
    ),
  ]

  static let ingressRule: Schema = [
    1: ("host", .string),
    2: (
      "",
      .inline([
        1: (
          "http",
          .pointer(
            .message([
              1: (
                "paths",
                .repeated(
                  .message([
                    1: ("path", .string), 2: ("backend", .message(ingressBackend)), 3: ("pathType", .pointer(.string)),
                  ]))
              )
            ]))
        )
      ])
    ),
  ]

  static let ingressClass: Schema = [
    1: ("metadata", .message(objectMeta)),
    2: (
      "spec",
      .message([
        1: ("controller", .string),
        2: (
          "parameters",
          .pointer(
            .message([
              1: ("apiGroup", .pointer(.string)), 2: ("kind", .string), 3: ("name", .string),
              4: ("scope", .pointer(.string)), 5: ("namespace", .pointer(.string)),
            ]))
        ),
      ])
    ),
  ]

  static let networkPolicyPeer: Schema = [
    1: ("podSelector", .pointer(.message(labelSelector))), 2: ("namespaceSelector", .pointer(.message(labelSelector))),
    3: ("ipBlock", .pointer(.message([1: ("cidr", .string), 2: ("except", .repeated(.string))]))),
  ]

  static let networkPolicyPort: Schema = [
    1: ("protocol", .pointer(.string)), 2: ("port", .pointer(.intOrString)), 3: ("endPort", .pointer(.int32)),
  ]

  static let networkPolicy: Schema = [
    1: ("metadata", .message(objectMeta)),
    2: (
      "spec",
      .message([
        1: ("podSelector", .message(labelSelector)),
        2: (
          "ingress",
          .repeated(
            .message([
              1: ("ports", .repeated(.message(networkPolicyPort))), 2: ("from", .repeated(.message(networkPolicyPeer))),
            ]))
        ),
        3: (
          "egress",
          .repeated(
            .message([
              1: ("ports", .repeated(.message(networkPolicyPort))), 2: ("to", .repeated(.message(networkPolicyPeer))),
            ]))
        ),
        4: ("policyTypes", .repeated(.string)),
      ])
    ),
  ]
}
