// Field numbers of apimachinery's meta/v1 `generated.proto` (ObjectMeta, OwnerReference,
// LabelSelector), and the table of every kind ProtobufBody reads.

extension ProtobufBody {
  /// The kinds whose protobuf bodies are read, by `"<apiVersion> <kind>"`.
  static let kinds: [String: Schema] = [
    "v1 Namespace": namespace, "v1 ConfigMap": configMap, "v1 Secret": secret,
    "v1 ServiceAccount": serviceAccount, "v1 Pod": pod, "v1 Service": service,
    "v1 ResourceQuota": resourceQuota, "v1 PersistentVolumeClaim": persistentVolumeClaim,
    "v1 PersistentVolume": persistentVolume,
    "apps/v1 Deployment": deployment, "apps/v1 DaemonSet": daemonSet, "apps/v1 StatefulSet": statefulSet,
    "apps/v1 ReplicaSet": replicaSet,
    "batch/v1 Job": job, "batch/v1 CronJob": cronJob,
    "autoscaling/v2 HorizontalPodAutoscaler": horizontalPodAutoscalerV2,
    "autoscaling/v1 HorizontalPodAutoscaler": horizontalPodAutoscalerV1,
    "rbac.authorization.k8s.io/v1 Role": role, "rbac.authorization.k8s.io/v1 ClusterRole": clusterRole,
    "rbac.authorization.k8s.io/v1 RoleBinding": roleBinding,
    "rbac.authorization.k8s.io/v1 ClusterRoleBinding": roleBinding,
    "policy/v1 PodDisruptionBudget": podDisruptionBudget,
    "scheduling.k8s.io/v1 PriorityClass": priorityClass,
    "networking.k8s.io/v1 Ingress": ingress, "networking.k8s.io/v1 IngressClass": ingressClass,
    "networking.k8s.io/v1 NetworkPolicy": networkPolicy,
  ]

  static let objectMeta: Schema = [
    1: ("name", .string), 2: ("generateName", .string), 3: ("namespace", .string), 4: ("selfLink", .string),
    5: ("uid", .string), 6: ("resourceVersion", .string), 7: ("generation", .int64),
    8: ("creationTimestamp", .time), 9: ("deletionTimestamp", .pointer(.time)),
    10: ("deletionGracePeriodSeconds", .pointer(.int64)), 11: ("labels", .map(.string)),
    12: ("annotations", .map(.string)), 13: ("ownerReferences", .repeated(.message(ownerReference))),
    14: ("finalizers", .repeated(.string)),
  ]

  static let ownerReference: Schema = [
    1: ("kind", .string), 3: ("name", .string), 4: ("uid", .string), 5: ("apiVersion", .string),
    6: ("controller", .pointer(.bool)), 7: ("blockOwnerDeletion", .pointer(.bool)),
  ]

  static let labelSelector: Schema = [
    1: ("matchLabels", .map(.string)),
    2: (
      "matchExpressions",
      .repeated(.message([1: ("key", .string), 2: ("operator", .string), 3: ("values", .repeated(.string))]))
    ),
  ]
}
