// Field numbers of k8s.io/api core/v1 `generated.proto`: the core kinds and the pod template every
// workload embeds. `.pointer` marks Go pointers (and fields without `omitempty` whose zero matters).

extension ProtobufBody {
  // MARK: Kinds

  static let namespace: Schema = [
    1: ("metadata", .message(objectMeta)), 2: ("spec", .message([1: ("finalizers", .repeated(.string))])),
  ]

  static let configMap: Schema = [
    1: ("metadata", .message(objectMeta)), 2: ("data", .map(.string)), 3: ("binaryData", .map(.bytes)),
    4: ("immutable", .pointer(.bool)),
  ]

  static let secret: Schema = [
    1: ("metadata", .message(objectMeta)), 2: ("data", .map(.bytes)), 3: ("type", .string),
    4: ("stringData", .map(.string)), 5: ("immutable", .pointer(.bool)),
  ]

  static let serviceAccount: Schema = [
    1: ("metadata", .message(objectMeta)), 2: ("secrets", .repeated(.message(objectReference))),
    3: ("imagePullSecrets", .repeated(.message(localObjectReference))),
    4: ("automountServiceAccountToken", .pointer(.bool)),
  ]

  static let pod: Schema = [1: ("metadata", .message(objectMeta)), 2: ("spec", .message(podSpec))]

  static let service: Schema = [1: ("metadata", .message(objectMeta)), 2: ("spec", .message(serviceSpec))]

  static let resourceQuota: Schema = [
    1: ("metadata", .message(objectMeta)),
    2: (
      "spec",
      .message([
        1: ("hard", .map(.quantity)), 2: ("scopes", .repeated(.string)),
        3: (
          "scopeSelector",
          .pointer(
            .message([
              1: (
                "matchExpressions",
                .repeated(
                  .message([
                    1: ("scopeName", .string), 2: ("operator", .string), 3: ("values", .repeated(.string)),
                  ]))
              )
            ]))
        ),
      ])
    ),
  ]

  static let persistentVolumeClaim: Schema = [
    1: ("metadata", .message(objectMeta)), 2: ("spec", .message(persistentVolumeClaimSpec)),
  ]

  static let persistentVolume: Schema = [
    1: ("metadata", .message(objectMeta)), 2: ("spec", .message(persistentVolumeSpec)),
  ]

  // MARK: References and selectors

  static let localObjectReference: Schema = [1: ("name", .string)]

  static let objectReference: Schema = [
    1: ("kind", .string), 2: ("namespace", .string), 3: ("name", .string), 4: ("uid", .string),
    5: ("apiVersion", .string), 6: ("resourceVersion", .string), 7: ("fieldPath", .string),
  ]

  static let typedLocalObjectReference: Schema = [
    1: ("apiGroup", .pointer(.string)), 2: ("kind", .string), 3: ("name", .string),
  ]

  static let objectFieldSelector: Schema = [1: ("apiVersion", .string), 2: ("fieldPath", .string)]

  static let resourceFieldSelector: Schema = [
    1: ("containerName", .string), 2: ("resource", .string), 3: ("divisor", .quantity),
  ]

  /// ConfigMapKeySelector and SecretKeySelector: a LocalObjectReference inlined, key, optional.
  static let keySelector: Schema = [
    1: ("", .inline(localObjectReference)), 2: ("key", .string), 3: ("optional", .pointer(.bool)),
  ]

  /// ConfigMapEnvSource and SecretEnvSource.
  static let envSource: Schema = [1: ("", .inline(localObjectReference)), 2: ("optional", .pointer(.bool))]

  static let keyToPath: Schema = [1: ("key", .string), 2: ("path", .string), 3: ("mode", .pointer(.int32))]

  // MARK: Containers

  static let container: Schema = [
    1: ("name", .string), 2: ("image", .string), 3: ("command", .repeated(.string)),
    4: ("args", .repeated(.string)), 5: ("workingDir", .string), 6: ("ports", .repeated(.message(containerPort))),
    7: ("env", .repeated(.message(envVar))), 8: ("resources", .message(resourceRequirements)),
    9: ("volumeMounts", .repeated(.message(volumeMount))), 10: ("livenessProbe", .pointer(.message(probe))),
    11: ("readinessProbe", .pointer(.message(probe))), 12: ("lifecycle", .pointer(.message(lifecycle))),
    13: ("terminationMessagePath", .string), 14: ("imagePullPolicy", .string),
    15: ("securityContext", .pointer(.message(securityContext))), 16: ("stdin", .bool), 17: ("stdinOnce", .bool),
    18: ("tty", .bool), 19: ("envFrom", .repeated(.message(envFromSource))),
    20: ("terminationMessagePolicy", .string),
    21: ("volumeDevices", .repeated(.message([1: ("name", .string), 2: ("devicePath", .string)]))),
    22: ("startupProbe", .pointer(.message(probe))),
    23: ("resizePolicy", .repeated(.message([1: ("resourceName", .string), 2: ("restartPolicy", .string)]))),
    24: ("restartPolicy", .pointer(.string)),
  ]

  /// An EphemeralContainer: the Container fields inlined (EphemeralContainerCommon has the same
  /// numbers), and the container it targets.
  static let ephemeralContainer: Schema = [1: ("", .inline(container)), 2: ("targetContainerName", .string)]

  static let containerPort: Schema = [
    1: ("name", .string), 2: ("hostPort", .int32), 3: ("containerPort", .pointer(.int32)), 4: ("protocol", .string),
    5: ("hostIP", .string),
  ]

  static let envVar: Schema = [
    1: ("name", .string), 2: ("value", .string),
    3: (
      "valueFrom",
      .pointer(
        .message([
          1: ("fieldRef", .pointer(.message(objectFieldSelector))),
          2: ("resourceFieldRef", .pointer(.message(resourceFieldSelector))),
          3: ("configMapKeyRef", .pointer(.message(keySelector))), 4: ("secretKeyRef", .pointer(.message(keySelector))),
        ]))
    ),
  ]

  static let envFromSource: Schema = [
    1: ("prefix", .string), 2: ("configMapRef", .pointer(.message(envSource))),
    3: ("secretRef", .pointer(.message(envSource))),
  ]

  static let resourceRequirements: Schema = [
    1: ("limits", .map(.quantity)), 2: ("requests", .map(.quantity)),
    3: ("claims", .repeated(.message([1: ("name", .string), 2: ("request", .string)]))),
  ]

  static let volumeMount: Schema = [
    1: ("name", .string), 2: ("readOnly", .bool), 3: ("mountPath", .string), 4: ("subPath", .string),
    5: ("mountPropagation", .pointer(.string)), 6: ("subPathExpr", .string),
    7: ("recursiveReadOnly", .pointer(.string)),
  ]

  static let httpGetAction: Schema = [
    1: ("path", .string), 2: ("port", .intOrString), 3: ("host", .string), 4: ("scheme", .string),
    5: ("httpHeaders", .repeated(.message([1: ("name", .string), 2: ("value", .string)]))),
  ]

  static let tcpSocketAction: Schema = [1: ("port", .intOrString), 2: ("host", .string)]

  static let execAction: Schema = [1: ("command", .repeated(.string))]

  static let probe: Schema = [
    1: (
      "",
      .inline([
        1: ("exec", .pointer(.message(execAction))), 2: ("httpGet", .pointer(.message(httpGetAction))),
        3: ("tcpSocket", .pointer(.message(tcpSocketAction))),
        4: ("grpc", .pointer(.message([1: ("port", .pointer(.int32)), 2: ("service", .pointer(.string))]))),
      ])
    ),
    2: ("initialDelaySeconds", .int32), 3: ("timeoutSeconds", .int32), 4: ("periodSeconds", .int32),
    5: ("successThreshold", .int32), 6: ("failureThreshold", .int32),
    7: ("terminationGracePeriodSeconds", .pointer(.int64)),
  ]

  static let lifecycleHandler: Schema = [
    1: ("exec", .pointer(.message(execAction))), 2: ("httpGet", .pointer(.message(httpGetAction))),
    3: ("tcpSocket", .pointer(.message(tcpSocketAction))),
    4: ("sleep", .pointer(.message([1: ("seconds", .pointer(.int64))]))),
  ]

  static let lifecycle: Schema = [
    1: ("postStart", .pointer(.message(lifecycleHandler))), 2: ("preStop", .pointer(.message(lifecycleHandler))),
    3: ("stopSignal", .pointer(.string)),
  ]

  static let seLinuxOptions: Schema = [
    1: ("user", .string), 2: ("role", .string), 3: ("type", .string), 4: ("level", .string),
  ]

  /// SeccompProfile and AppArmorProfile.
  static let profile: Schema = [1: ("type", .string), 2: ("localhostProfile", .pointer(.string))]

  static let securityContext: Schema = [
    1: ("capabilities", .pointer(.message([1: ("add", .repeated(.string)), 2: ("drop", .repeated(.string))]))),
    2: ("privileged", .pointer(.bool)), 3: ("seLinuxOptions", .pointer(.message(seLinuxOptions))),
    4: ("runAsUser", .pointer(.int64)), 5: ("runAsNonRoot", .pointer(.bool)),
    6: ("readOnlyRootFilesystem", .pointer(.bool)), 7: ("allowPrivilegeEscalation", .pointer(.bool)),
    8: ("runAsGroup", .pointer(.int64)), 9: ("procMount", .pointer(.string)),
    11: ("seccompProfile", .pointer(.message(profile))), 12: ("appArmorProfile", .pointer(.message(profile))),
  ]

  // MARK: Pods

  static let podTemplateSpec: Schema = [1: ("metadata", .message(objectMeta)), 2: ("spec", .message(podSpec))]

  static let podSpec: Schema = [
    1: ("volumes", .repeated(.message(volume))), 2: ("containers", .repeated(.message(container))),
    3: ("restartPolicy", .string), 4: ("terminationGracePeriodSeconds", .pointer(.int64)),
    5: ("activeDeadlineSeconds", .pointer(.int64)), 6: ("dnsPolicy", .string), 7: ("nodeSelector", .map(.string)),
    8: ("serviceAccountName", .string), 9: ("serviceAccount", .string), 10: ("nodeName", .string),
    11: ("hostNetwork", .bool), 12: ("hostPID", .bool), 13: ("hostIPC", .bool),
    14: ("securityContext", .pointer(.message(podSecurityContext))),
    15: ("imagePullSecrets", .repeated(.message(localObjectReference))), 16: ("hostname", .string),
    17: ("subdomain", .string), 18: ("affinity", .pointer(.message(affinity))), 19: ("schedulerName", .string),
    20: ("initContainers", .repeated(.message(container))), 21: ("automountServiceAccountToken", .pointer(.bool)),
    22: ("tolerations", .repeated(.message(toleration))),
    23: ("hostAliases", .repeated(.message([1: ("ip", .string), 2: ("hostnames", .repeated(.string))]))),
    24: ("priorityClassName", .string), 25: ("priority", .pointer(.int32)),
    26: ("dnsConfig", .pointer(.message(podDNSConfig))), 27: ("shareProcessNamespace", .pointer(.bool)),
    28: ("readinessGates", .repeated(.message([1: ("conditionType", .string)]))),
    29: ("runtimeClassName", .pointer(.string)), 30: ("enableServiceLinks", .pointer(.bool)),
    31: ("preemptionPolicy", .pointer(.string)), 32: ("overhead", .map(.quantity)),
    33: ("topologySpreadConstraints", .repeated(.message(topologySpreadConstraint))),
    34: ("ephemeralContainers", .repeated(.message(ephemeralContainer))),
    35: ("setHostnameAsFQDN", .pointer(.bool)), 36: ("os", .pointer(.message([1: ("name", .string)]))),
    37: ("hostUsers", .pointer(.bool)), 38: ("schedulingGates", .repeated(.message([1: ("name", .string)]))),
    40: ("resources", .pointer(.message(resourceRequirements))),
  ]

  static let podSecurityContext: Schema = [
    1: ("seLinuxOptions", .pointer(.message(seLinuxOptions))), 2: ("runAsUser", .pointer(.int64)),
    3: ("runAsNonRoot", .pointer(.bool)), 4: ("supplementalGroups", .repeated(.int64)),
    5: ("fsGroup", .pointer(.int64)), 6: ("runAsGroup", .pointer(.int64)),
    7: ("sysctls", .repeated(.message([1: ("name", .string), 2: ("value", .string)]))),
    9: ("fsGroupChangePolicy", .pointer(.string)), 10: ("seccompProfile", .pointer(.message(profile))),
    11: ("appArmorProfile", .pointer(.message(profile))), 12: ("supplementalGroupsPolicy", .pointer(.string)),
    13: ("seLinuxChangePolicy", .pointer(.string)),
  ]

  static let toleration: Schema = [
    1: ("key", .string), 2: ("operator", .string), 3: ("value", .string), 4: ("effect", .string),
    5: ("tolerationSeconds", .pointer(.int64)),
  ]

  static let podDNSConfig: Schema = [
    1: ("nameservers", .repeated(.string)), 2: ("searches", .repeated(.string)),
    3: ("options", .repeated(.message([1: ("name", .string), 2: ("value", .pointer(.string))]))),
  ]

  static let topologySpreadConstraint: Schema = [
    1: ("maxSkew", .pointer(.int32)), 2: ("topologyKey", .string), 3: ("whenUnsatisfiable", .string),
    4: ("labelSelector", .pointer(.message(labelSelector))), 5: ("minDomains", .pointer(.int32)),
    6: ("nodeAffinityPolicy", .pointer(.string)), 7: ("nodeTaintsPolicy", .pointer(.string)),
    8: ("matchLabelKeys", .repeated(.string)),
  ]

  // MARK: Affinity

  static let nodeSelectorTerm: Schema = [
    1: ("matchExpressions", .repeated(.message(nodeSelectorRequirement))),
    2: ("matchFields", .repeated(.message(nodeSelectorRequirement))),
  ]

  static let nodeSelectorRequirement: Schema = [
    1: ("key", .string), 2: ("operator", .string), 3: ("values", .repeated(.string)),
  ]

  static let nodeSelector: Schema = [1: ("nodeSelectorTerms", .repeated(.message(nodeSelectorTerm)))]

  static let podAffinityTerm: Schema = [
    1: ("labelSelector", .pointer(.message(labelSelector))), 2: ("namespaces", .repeated(.string)),
    3: ("topologyKey", .string), 4: ("namespaceSelector", .pointer(.message(labelSelector))),
    5: ("matchLabelKeys", .repeated(.string)), 6: ("mismatchLabelKeys", .repeated(.string)),
  ]

  /// PodAffinity and PodAntiAffinity.
  static let podAffinity: Schema = [
    1: ("requiredDuringSchedulingIgnoredDuringExecution", .repeated(.message(podAffinityTerm))),
    2: (
      "preferredDuringSchedulingIgnoredDuringExecution",
      .repeated(.message([1: ("weight", .pointer(.int32)), 2: ("podAffinityTerm", .message(podAffinityTerm))]))
    ),
  ]

  static let affinity: Schema = [
    1: (
      "nodeAffinity",
      .pointer(
        .message([
          1: ("requiredDuringSchedulingIgnoredDuringExecution", .pointer(.message(nodeSelector))),
          2: (
            "preferredDuringSchedulingIgnoredDuringExecution",
            .repeated(.message([1: ("weight", .pointer(.int32)), 2: ("preference", .message(nodeSelectorTerm))]))
          ),
        ]))
    ),
    2: ("podAffinity", .pointer(.message(podAffinity))), 3: ("podAntiAffinity", .pointer(.message(podAffinity))),
  ]

  // MARK: Volumes

  static let volume: Schema = [1: ("name", .string), 2: ("", .inline(volumeSource))]

  static let volumeSource: Schema = [
    1: ("hostPath", .pointer(.message(hostPathVolumeSource))),
    2: ("emptyDir", .pointer(.message([1: ("medium", .string), 2: ("sizeLimit", .pointer(.quantity))]))),
    6: (
      "secret",
      .pointer(
        .message([
          1: ("secretName", .string), 2: ("items", .repeated(.message(keyToPath))),
          3: ("defaultMode", .pointer(.int32)), 4: ("optional", .pointer(.bool)),
        ]))
    ),
    7: ("nfs", .pointer(.message(nfsVolumeSource))),
    10: ("persistentVolumeClaim", .pointer(.message([1: ("claimName", .string), 2: ("readOnly", .bool)]))),
    16: (
      "downwardAPI",
      .pointer(
        .message([
          1: ("items", .repeated(.message(downwardAPIVolumeFile))), 2: ("defaultMode", .pointer(.int32)),
        ]))
    ),
    19: (
      "configMap",
      .pointer(
        .message([
          1: ("", .inline(localObjectReference)), 2: ("items", .repeated(.message(keyToPath))),
          3: ("defaultMode", .pointer(.int32)), 4: ("optional", .pointer(.bool)),
        ]))
    ),
    26: (
      "projected",
      .pointer(
        .message([
          1: ("sources", .repeated(.message(volumeProjection))), 2: ("defaultMode", .pointer(.int32)),
        ]))
    ),
    28: (
      "csi",
      .pointer(
        .message([
          1: ("driver", .string), 2: ("readOnly", .pointer(.bool)), 3: ("fsType", .pointer(.string)),
          4: ("volumeAttributes", .map(.string)),
          5: ("nodePublishSecretRef", .pointer(.message(localObjectReference))),
        ]))
    ),
    29: (
      "ephemeral",
      .pointer(
        .message([
          1: (
            "volumeClaimTemplate",
            .pointer(
              .message([1: ("metadata", .message(objectMeta)), 2: ("spec", .message(persistentVolumeClaimSpec))]))
          )
        ]))
    ),
    30: ("image", .pointer(.message([1: ("reference", .string), 2: ("pullPolicy", .string)]))),
  ]

  static let hostPathVolumeSource: Schema = [1: ("path", .string), 2: ("type", .pointer(.string))]

  static let nfsVolumeSource: Schema = [1: ("server", .string), 2: ("path", .string), 3: ("readOnly", .bool)]

  static let downwardAPIVolumeFile: Schema = [
    1: ("path", .string), 2: ("fieldRef", .pointer(.message(objectFieldSelector))),
    3: ("resourceFieldRef", .pointer(.message(resourceFieldSelector))), 4: ("mode", .pointer(.int32)),
  ]

  /// SecretProjection and ConfigMapProjection.
  static let keyProjection: Schema = [
    1: ("", .inline(localObjectReference)), 2: ("items", .repeated(.message(keyToPath))),
    4: ("optional", .pointer(.bool)),
  ]

  static let volumeProjection: Schema = [
    1: ("secret", .pointer(.message(keyProjection))),
    2: ("downwardAPI", .pointer(.message([1: ("items", .repeated(.message(downwardAPIVolumeFile)))]))),
    3: ("configMap", .pointer(.message(keyProjection))),
    4: (
      "serviceAccountToken",
      .pointer(
        .message([1: ("audience", .string), 2: ("expirationSeconds", .pointer(.int64)), 3: ("path", .string)]))
    ),
  ]

  // MARK: Storage

  static let persistentVolumeClaimSpec: Schema = [
    1: ("accessModes", .repeated(.string)),
    2: ("resources", .message([1: ("limits", .map(.quantity)), 2: ("requests", .map(.quantity))])),
    3: ("volumeName", .string), 4: ("selector", .pointer(.message(labelSelector))),
    5: ("storageClassName", .pointer(.string)), 6: ("volumeMode", .pointer(.string)),
    7: ("dataSource", .pointer(.message(typedLocalObjectReference))),
    8: (
      "dataSourceRef",
      .pointer(
        .message([
          1: ("apiGroup", .pointer(.string)), 2: ("kind", .string), 3: ("name", .string),
          4: ("namespace", .pointer(.string)),
        ]))
    ),
    9: ("volumeAttributesClassName", .pointer(.string)),
  ]

  static let persistentVolumeSpec: Schema = [
    1: ("capacity", .map(.quantity)),
    2: (
      "",
      .inline([
        3: ("hostPath", .pointer(.message(hostPathVolumeSource))), 5: ("nfs", .pointer(.message(nfsVolumeSource))),
        20: ("local", .pointer(.message([1: ("path", .string), 2: ("fsType", .pointer(.string))]))),
        22: (
          "csi",
          .pointer(
            .message([
              1: ("driver", .string), 2: ("volumeHandle", .string), 3: ("readOnly", .bool), 4: ("fsType", .string),
              5: ("volumeAttributes", .map(.string)),
            ]))
        ),
      ])
    ),
    3: ("accessModes", .repeated(.string)), 4: ("claimRef", .pointer(.message(objectReference))),
    5: ("persistentVolumeReclaimPolicy", .string), 6: ("storageClassName", .string),
    7: ("mountOptions", .repeated(.string)), 8: ("volumeMode", .pointer(.string)),
    9: ("nodeAffinity", .pointer(.message([1: ("required", .pointer(.message(nodeSelector)))]))),
    10: ("volumeAttributesClassName", .pointer(.string)),
  ]

  // MARK: Services

  static let serviceSpec: Schema = [
    1: (
      "ports",
      .repeated(
        .message([
          1: ("name", .string), 2: ("protocol", .string), 3: ("port", .pointer(.int32)),
          4: ("targetPort", .intOrString),
          5: ("nodePort", .int32), 6: ("appProtocol", .pointer(.string)),
        ]))
    ),
    2: ("selector", .map(.string)), 3: ("clusterIP", .string), 4: ("type", .string),
    5: ("externalIPs", .repeated(.string)), 7: ("sessionAffinity", .string), 8: ("loadBalancerIP", .string),
    9: ("loadBalancerSourceRanges", .repeated(.string)), 10: ("externalName", .string),
    11: ("externalTrafficPolicy", .string), 12: ("healthCheckNodePort", .int32),
    13: ("publishNotReadyAddresses", .bool),
    14: (
      "sessionAffinityConfig",
      .pointer(.message([1: ("clientIP", .pointer(.message([1: ("timeoutSeconds", .pointer(.int32))])))]))
    ),
    17: ("ipFamilyPolicy", .pointer(.string)), 18: ("clusterIPs", .repeated(.string)),
    19: ("ipFamilies", .repeated(.string)), 20: ("allocateLoadBalancerNodePorts", .pointer(.bool)),
    21: ("loadBalancerClass", .pointer(.string)), 22: ("internalTrafficPolicy", .pointer(.string)),
    23: ("trafficDistribution", .pointer(.string)),
  ]
}
