// Field numbers of k8s.io/api apps/v1, batch/v1 and autoscaling/v1, v2 `generated.proto`.

extension ProtobufBody {
  // MARK: apps/v1

  static let deployment: Schema = [
    1: ("metadata", .message(objectMeta)),
    2: (
      "spec",
      .message([
        1: ("replicas", .pointer(.int32)), 2: ("selector", .pointer(.message(labelSelector))),
        3: ("template", .message(podTemplateSpec)),
        4: (
          "strategy",
          .message([
            1: ("type", .string),
            2: (
              "rollingUpdate",
              .pointer(
                .message([1: ("maxUnavailable", .pointer(.intOrString)), 2: ("maxSurge", .pointer(.intOrString))]))
            ),
          ])
        ),
        5: ("minReadySeconds", .int32), 6: ("revisionHistoryLimit", .pointer(.int32)), 7: ("paused", .bool),
        9: ("progressDeadlineSeconds", .pointer(.int32)),
      ])
    ),
  ]

  static let daemonSet: Schema = [
    1: ("metadata", .message(objectMeta)),
    2: (
      "spec",
      .message([
        1: ("selector", .pointer(.message(labelSelector))), 2: ("template", .message(podTemplateSpec)),
        3: (
          "updateStrategy",
          .message([
            1: ("type", .string),
            2: (
              "rollingUpdate",
              .pointer(
                .message([1: ("maxUnavailable", .pointer(.intOrString)), 2: ("maxSurge", .pointer(.intOrString))]))
            ),
          ])
        ),
        4: ("minReadySeconds", .int32), 6: ("revisionHistoryLimit", .pointer(.int32)),
      ])
    ),
  ]

  static let statefulSet: Schema = [
    1: ("metadata", .message(objectMeta)),
    2: (
      "spec",
      .message([
        1: ("replicas", .pointer(.int32)), 2: ("selector", .pointer(.message(labelSelector))),
        3: ("template", .message(podTemplateSpec)),
        4: ("volumeClaimTemplates", .repeated(.message(persistentVolumeClaim))), 5: ("serviceName", .string),
        6: ("podManagementPolicy", .string),
        7: (
          "updateStrategy",
          .message([
            1: ("type", .string),
            2: (
              "rollingUpdate",
              .pointer(
                .message([1: ("partition", .pointer(.int32)), 2: ("maxUnavailable", .pointer(.intOrString))]))
            ),
          ])
        ),
        8: ("revisionHistoryLimit", .pointer(.int32)), 9: ("minReadySeconds", .int32),
        10: (
          "persistentVolumeClaimRetentionPolicy",
          .pointer(.message([1: ("whenDeleted", .string), 2: ("whenScaled", .string)]))
        ),
        11: ("ordinals", .pointer(.message([1: ("start", .pointer(.int32))]))),
      ])
    ),
  ]

  static let replicaSet: Schema = [
    1: ("metadata", .message(objectMeta)),
    2: (
      "spec",
      .message([
        1: ("replicas", .pointer(.int32)), 2: ("selector", .pointer(.message(labelSelector))),
        3: ("template", .message(podTemplateSpec)), 4: ("minReadySeconds", .int32),
      ])
    ),
  ]

  // MARK: batch/v1

  static let job: Schema = [1: ("metadata", .message(objectMeta)), 2: ("spec", .message(jobSpec))]

  static let jobSpec: Schema = [
    1: ("parallelism", .pointer(.int32)), 2: ("completions", .pointer(.int32)),
    3: ("activeDeadlineSeconds", .pointer(.int64)), 4: ("selector", .pointer(.message(labelSelector))),
    5: ("manualSelector", .pointer(.bool)), 6: ("template", .message(podTemplateSpec)),
    7: ("backoffLimit", .pointer(.int32)), 8: ("ttlSecondsAfterFinished", .pointer(.int32)),
    9: ("completionMode", .pointer(.string)), 10: ("suspend", .pointer(.bool)),
    11: ("podFailurePolicy", .pointer(.message([1: ("rules", .repeated(.message(podFailurePolicyRule)))]))),
    12: ("backoffLimitPerIndex", .pointer(.int32)), 13: ("maxFailedIndexes", .pointer(.int32)),
    14: ("podReplacementPolicy", .pointer(.string)), 15: ("managedBy", .pointer(.string)),
    16: (
      "successPolicy",
      .pointer(
        .message([
          1: (
            "rules",
            .repeated(.message([1: ("succeededIndexes", .pointer(.string)), 2: ("succeededCount", .pointer(.int32))]))
          )
        ]))
    ),
  ]

  static let podFailurePolicyRule: Schema = [
    1: ("action", .string),
    2: (
      "onExitCodes",
      .pointer(
        .message([
          1: ("containerName", .pointer(.string)), 2: ("operator", .string), 3: ("values", .repeated(.int32)),
        ]))
    ),
    3: ("onPodConditions", .repeated(.message([1: ("type", .string), 2: ("status", .string)]))),
  ]

  static let cronJob: Schema = [
    1: ("metadata", .message(objectMeta)),
    2: (
      "spec",
      .message([
        1: ("schedule", .string), 2: ("startingDeadlineSeconds", .pointer(.int64)),
        3: ("concurrencyPolicy", .string), 4: ("suspend", .pointer(.bool)),
        5: ("jobTemplate", .message([1: ("metadata", .message(objectMeta)), 2: ("spec", .message(jobSpec))])),
        6: ("successfulJobsHistoryLimit", .pointer(.int32)), 7: ("failedJobsHistoryLimit", .pointer(.int32)),
        8: ("timeZone", .pointer(.string)),
      ])
    ),
  ]

  // MARK: autoscaling

  static let crossVersionObjectReference: Schema = [
    1: ("kind", .string), 2: ("name", .string), 3: ("apiVersion", .string),
  ]

  static let horizontalPodAutoscalerV1: Schema = [
    1: ("metadata", .message(objectMeta)),
    2: (
      "spec",
      .message([
        1: ("scaleTargetRef", .message(crossVersionObjectReference)), 2: ("minReplicas", .pointer(.int32)),
        3: ("maxReplicas", .pointer(.int32)), 4: ("targetCPUUtilizationPercentage", .pointer(.int32)),
      ])
    ),
  ]

  static let horizontalPodAutoscalerV2: Schema = [
    1: ("metadata", .message(objectMeta)),
    2: (
      "spec",
      .message([
        1: ("scaleTargetRef", .message(crossVersionObjectReference)), 2: ("minReplicas", .pointer(.int32)),
        3: ("maxReplicas", .pointer(.int32)), 4: ("metrics", .repeated(.message(metricSpec))),
        5: (
          "behavior",
          .pointer(
            .message([
              1: ("scaleUp", .pointer(.message(scalingRules))), 2: ("scaleDown", .pointer(.message(scalingRules))),
            ]))
        ),
      ])
    ),
  ]

  static let metricTarget: Schema = [
    1: ("type", .string), 2: ("value", .pointer(.quantity)), 3: ("averageValue", .pointer(.quantity)),
    4: ("averageUtilization", .pointer(.int32)),
  ]

  static let metricIdentifier: Schema = [
    1: ("name", .string), 2: ("selector", .pointer(.message(labelSelector))),
  ]

  static let metricSpec: Schema = [
    1: ("type", .string),
    2: (
      "object",
      .pointer(
        .message([
          1: ("describedObject", .message(crossVersionObjectReference)), 2: ("target", .message(metricTarget)),
          3: ("metric", .message(metricIdentifier)),
        ]))
    ),
    3: (
      "pods", .pointer(.message([1: ("metric", .message(metricIdentifier)), 2: ("target", .message(metricTarget))]))
    ),
    4: ("resource", .pointer(.message([1: ("name", .string), 2: ("target", .message(metricTarget))]))),
    5: (
      "external",
      .pointer(.message([1: ("metric", .message(metricIdentifier)), 2: ("target", .message(metricTarget))]))
    ),
    7: (
      "containerResource",
      .pointer(
        .message([1: ("name", .string), 2: ("target", .message(metricTarget)), 3: ("container", .string)]))
    ),
  ]

  static let scalingRules: Schema = [
    1: ("selectPolicy", .pointer(.string)),
    2: (
      "policies",
      .repeated(
        .message([1: ("type", .string), 2: ("value", .pointer(.int32)), 3: ("periodSeconds", .pointer(.int32))]))
    ),
    3: ("stabilizationWindowSeconds", .pointer(.int32)), 4: ("tolerance", .pointer(.quantity)),
  ]
}
