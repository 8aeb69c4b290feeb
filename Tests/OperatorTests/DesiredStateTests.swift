import KubeModel
import Operator
import Testing

/// The objects `DesiredState.children(of:)` builds for a sensor: which exist, and the fields of
/// each that the roles and the cluster depend on.
@Suite struct DesiredStateTests {
  @Test func defaultsBuildInterceptorKafkaDiggerAndDetectorInApplyOrder() {
    let children = DesiredState.children(of: SensorFixtures.sensor())
    #expect(
      children.map { "\($0.kind) \($0.name)" } == [
        "ServiceAccount edge-digger", "ClusterRole sovren-sovren-edge-digger",
        "ClusterRoleBinding sovren-sovren-edge-digger", "Service edge-kafka", "Service edge-kafka-headless",
        "Service edge-detector", "StatefulSet edge-kafka", "Deployment edge-digger", "Deployment edge-detector",
        "DaemonSet edge-interceptor",
      ])
    #expect(children.allSatisfy { $0.object["kind"] == .string($0.kind.kind) })
    #expect(children.allSatisfy { $0.object["apiVersion"] == .string($0.kind.resource.apiVersion) })
  }

  // MARK: Interceptor

  @Test func interceptorRunsInTheHostNamespacesWithMinimalCapabilities() throws {
    let children = DesiredState.children(of: SensorFixtures.sample)
    let daemonSet = try #require(children.child(.daemonSet, "edge-interceptor"))
    let pod = try #require(daemonSet.podSpec)
    #expect(pod["hostNetwork"] == true)
    #expect(pod["hostPID"] == true)
    #expect(pod["dnsPolicy"] == "ClusterFirstWithHostNet")
    let container = try #require(daemonSet.container)
    let security = try #require(container["securityContext"])
    #expect(security["privileged"] == nil)
    #expect(security[path: ["capabilities", "add"]] == ["NET_ADMIN", "NET_RAW", "SYS_ADMIN", "SYS_PTRACE"])
    #expect(security[path: ["capabilities", "drop"]] == ["ALL"])
    #expect(security["readOnlyRootFilesystem"] == true)
    #expect(security["allowPrivilegeEscalation"] == false)
    #expect(
      pod["volumes"] == [
        ["name": "host-proc", "hostPath": ["path": "/proc", "type": "Directory"]],
        ["name": "host-sys", "hostPath": ["path": "/sys", "type": "Directory"]],
      ])
    #expect(
      container["volumeMounts"] == [
        ["name": "host-proc", "mountPath": "/host/proc", "readOnly": true],
        ["name": "host-sys", "mountPath": "/host/sys", "readOnly": true],
      ])
    #expect(daemonSet[path: ["spec", "updateStrategy", "type"]] == "RollingUpdate")
    #expect(daemonSet[path: ["spec", "updateStrategy", "rollingUpdate", "maxUnavailable"]] != nil)
  }

  @Test func interceptorArgumentsCarryEveryLimitAndFilter() throws {
    let children = DesiredState.children(of: SensorFixtures.sample)
    let daemonSet = try #require(children.child(.daemonSet, "edge-interceptor"))
    #expect(daemonSet.args.first == "interceptor")
    #expect(daemonSet.container?["image"] == "registry.example/sovren:0.3.0")
    #expect(daemonSet.value(of: "--kafka-brokers") == "edge-kafka.sovren.svc:9092")
    #expect(daemonSet.value(of: "--kafka-topic") == "pairs.edge")
    #expect(daemonSet.value(of: "--body-limit") == "524288")
    #expect(daemonSet.value(of: "--response-timeout") == "15")
    #expect(daemonSet.values(of: "--exclude-path") == ["/metrics", "/healthz", "/ping"])
    #expect(daemonSet.value(of: "--max-header-bytes") == "32768")
    #expect(daemonSet.value(of: "--max-connections") == "10000")
    #expect(daemonSet.value(of: "--idle-timeout") == "120")
    #expect(daemonSet.value(of: "--max-connection-buffer") == "2097152")
    #expect(daemonSet.value(of: "--max-total-buffer") == "33554432")
    #expect(daemonSet.value(of: "--metrics-address") == "0.0.0.0:9090")
    #expect(
      daemonSet.env("SOVREN_NODE_NAME")
        == ["name": "SOVREN_NODE_NAME", "valueFrom": ["fieldRef": ["apiVersion": "v1", "fieldPath": "spec.nodeName"]]])
    #expect(daemonSet.container?[path: ["readinessProbe", "httpGet", "path"]] == "/readyz")
    #expect(daemonSet.container?[path: ["livenessProbe", "httpGet", "path"]] == "/healthz")
    #expect(daemonSet.container?[path: ["readinessProbe", "httpGet", "port"]] == "metrics")
    #expect(daemonSet.container?["ports"] == [["name": "metrics", "containerPort": 9090, "protocol": "TCP"]])
    #expect(
      daemonSet.container?["resources"]
        == ["requests": ["cpu": "250m", "memory": "256Mi"], "limits": ["cpu": "1", "memory": "1Gi"]])
  }

  @Test func interceptorPassesTolerationsAndNodeSelectorThrough() throws {
    let sample = try #require(DesiredState.children(of: SensorFixtures.sample).child(.daemonSet, "edge-interceptor"))
    #expect(
      sample.podSpec?["tolerations"] == [
        ["key": "dedicated", "operator": "Equal", "value": "edge", "effect": "NoSchedule"],
        [
          "key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 30,
        ],
      ])
    #expect(sample.podSpec?["nodeSelector"] == ["kubernetes.io/os": "linux", "sovren.io/capture": "true"])

    let defaults = try #require(
      DesiredState.children(of: SensorFixtures.sensor()).child(.daemonSet, "edge-interceptor"))
    #expect(defaults.podSpec?["tolerations"] == [["operator": "Exists"]])
    #expect(defaults.podSpec?["nodeSelector"] == nil)
  }

  // MARK: Kafka

  @Test func embeddedKafkaIsASingleNodeKRaftStatefulSetWithTwoServices() throws {
    let children = DesiredState.children(of: SensorFixtures.sensor())
    let headless = try #require(children.child(.service, "edge-kafka-headless"))
    #expect(headless[path: ["spec", "clusterIP"]] == "None")
    #expect(headless[path: ["spec", "publishNotReadyAddresses"]] == true)
    let client = try #require(children.child(.service, "edge-kafka"))
    #expect(
      client[path: ["spec", "ports"]] == [["name": "kafka", "port": 9092, "targetPort": "kafka", "protocol": "TCP"]])
    #expect(client[path: ["spec", "clusterIP"]] == nil)

    let statefulSet = try #require(children.child(.statefulSet, "edge-kafka"))
    #expect(statefulSet[path: ["spec", "replicas"]] == 1)
    #expect(statefulSet[path: ["spec", "serviceName"]] == "edge-kafka-headless")
    #expect(statefulSet.container?["image"] == .string(SovrenSensor.Kafka.Embedded.defaultImage))
    let env = try #require(statefulSet.container?["env"]?.arrayValue)
    var settings: [String: String] = [:]
    for variable in env {
      if let name = variable["name"]?.stringValue, let value = variable["value"]?.stringValue { settings[name] = value }
    }
    let host = "edge-kafka-0.edge-kafka-headless.sovren.svc"
    #expect(settings["KAFKA_NODE_ID"] == "1")
    #expect(settings["KAFKA_PROCESS_ROLES"] == "broker,controller")
    #expect(settings["KAFKA_LISTENERS"] == "PLAINTEXT://:9092,CONTROLLER://:9093")
    #expect(settings["KAFKA_ADVERTISED_LISTENERS"] == "PLAINTEXT://\(host):9092")
    #expect(settings["KAFKA_CONTROLLER_QUORUM_VOTERS"] == "1@\(host):9093")
    #expect(settings["KAFKA_CONTROLLER_LISTENER_NAMES"] == "CONTROLLER")
    #expect(settings["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "1")
    #expect(settings["KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"] == "1")
    #expect(settings["KAFKA_LOG_RETENTION_HOURS"] == "24")
    #expect(settings["KAFKA_NUM_PARTITIONS"] == "12")
    #expect(settings["KAFKA_LOG_DIRS"]?.hasPrefix("/var/lib/kafka/data/") == true)
    let clusterID = try #require(settings["CLUSTER_ID"])
    #expect(clusterID.count == 22)
    #expect(clusterID.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
    #expect(statefulSet.container?["volumeMounts"] == [["name": "data", "mountPath": "/var/lib/kafka/data"]])
  }

  @Test func kafkaStorageIsAnEmptyDirWithALimitOrAClaimTemplate() throws {
    let emptyDir = try #require(DesiredState.children(of: SensorFixtures.sensor()).child(.statefulSet, "edge-kafka"))
    #expect(emptyDir.podSpec?["volumes"] == [["name": "data", "emptyDir": ["sizeLimit": "10Gi"]]])
    #expect(emptyDir[path: ["spec", "volumeClaimTemplates"]] == nil)

    let claim = try #require(DesiredState.children(of: SensorFixtures.sample).child(.statefulSet, "edge-kafka"))
    #expect(claim.podSpec?["volumes"] == nil)
    #expect(
      claim[path: ["spec", "volumeClaimTemplates"]] == [
        [
          "metadata": ["name": "data"],
          "spec": [
            "accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "20Gi"]],
            "storageClassName": "fast",
          ],
        ]
      ])
    let env = claim.env("KAFKA_LOG_RETENTION_HOURS")
    #expect(env?["value"] == "48")
    #expect(claim.env("KAFKA_NUM_PARTITIONS")?["value"] == "6")
  }

  @Test func externalKafkaRunsNoKafkaAndEveryClientGetsItsBrokers() throws {
    let external = SensorFixtures.sensor { spec in
      spec.kafka = SovrenSensor.Kafka(
        embedded: nil, external: SovrenSensor.Kafka.External(bootstrapServers: ["b1:9092", "b2.example:9093"]))
    }
    let children = DesiredState.children(of: external)
    #expect(children.allSatisfy { $0.component != .kafka })
    let clients = children.filter { [.interceptor, .digger].contains($0.component) && $0.kind != .serviceAccount }
      .filter { [.daemonSet, .deployment].contains($0.kind) }
    #expect(clients.count == 2)
    for client in clients {
      #expect(client.object.value(of: "--kafka-brokers") == "b1:9092,b2.example:9093", "\(client.name)")
    }
    // Neither set means embedded with defaults.
    let neither = SensorFixtures.sensor { spec in spec.kafka = SovrenSensor.Kafka(embedded: nil, external: nil) }
    let embedded = DesiredState.children(of: neither)
    #expect(embedded.child(.statefulSet, "edge-kafka") != nil)
    for client in embedded.workloads where client.component != .kafka && client.component != .detector {
      #expect(client.object.value(of: "--kafka-brokers") == "edge-kafka.sovren.svc:9092", "\(client.name)")
    }
  }

  // MARK: Digger

  @Test func diggerArgumentsWireKafkaTheDetectorAndTheMap() throws {
    let children = DesiredState.children(of: SensorFixtures.sample)
    let digger = try #require(children.child(.deployment, "edge-digger"))
    #expect(
      digger.args == [
        "digger", "--kafka-brokers", "edge-kafka.sovren.svc:9092", "--kafka-topic", "pairs.edge",
        "--kafka-group", "sovren-digger-edge", "--detector-url", "http://edge-detector.sovren.svc:8000",
        "--sampling-budget", "30", "--include-namespace", "shop-*", "--include-namespace", "payments",
        "--exclude-namespace", "shop-test", "--map-endpoint", "edge-map.sovren.svc:9000",
        "--metrics-address", "0.0.0.0:9090",
      ])
    #expect(digger[path: ["spec", "replicas"]] == 2)
    #expect(digger.podSpec?["serviceAccountName"] == "edge-digger")
    #expect(children.child(.serviceAccount, "edge-digger") != nil)
  }

  @Test func diggerMayReadOnlyWhatResolutionNeeds() throws {
    let children = DesiredState.children(of: SensorFixtures.sample)
    let role = try #require(children.child(.clusterRole, "sovren-sovren-edge-digger"))
    let rules = try #require(role["rules"]?.arrayValue)
    var granted: Set<String> = []
    for rule in rules {
      #expect(rule["verbs"] == ["get", "list", "watch"])
      for group in rule["apiGroups"]?.arrayValue ?? [] {
        for resource in rule["resources"]?.arrayValue ?? [] {
          granted.insert("\(group.stringValue ?? "?")/\(resource.stringValue ?? "?")")
        }
      }
    }
    #expect(
      granted == [
        "/pods", "/services", "/namespaces", "/nodes", "discovery.k8s.io/endpointslices", "apps/replicasets",
        "apps/deployments", "apps/statefulsets", "apps/daemonsets", "batch/jobs", "batch/cronjobs",
      ])
    let binding = try #require(children.child(.clusterRoleBinding, "sovren-sovren-edge-digger"))
    #expect(
      binding["roleRef"] == [
        "apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "sovren-sovren-edge-digger",
      ])
    #expect(binding["subjects"] == [["kind": "ServiceAccount", "name": "edge-digger", "namespace": "sovren"]])
  }

  // MARK: Detector and map

  @Test func detectorServesOnPort8000BehindItsService() throws {
    let children = DesiredState.children(of: SensorFixtures.sample)
    let detector = try #require(children.child(.deployment, "edge-detector"))
    #expect(detector.args == ["detector", "--listen", "0.0.0.0:8000"])
    #expect(detector[path: ["spec", "replicas"]] == 3)
    #expect(
      detector.container?[path: ["readinessProbe", "httpGet"]] == [
        "path": "/api/v2/alive", "port": "http", "scheme": "HTTP",
      ])
    #expect(detector.container?["ports"] == [["name": "http", "containerPort": 8000, "protocol": "TCP"]])
    #expect(
      detector.container?["resources"]
        == ["requests": ["cpu": "100m", "memory": "256Mi"], "limits": ["memory": "1Gi"]])
    let service = try #require(children.child(.service, "edge-detector"))
    #expect(
      service[path: ["spec", "ports"]] == [["name": "http", "port": 8000, "targetPort": "http", "protocol": "TCP"]])
    #expect(
      service[path: ["spec", "selector"]] == [
        SensorLayout.nameLabel: "sovren", SensorLayout.instanceLabel: "edge", SensorLayout.componentLabel: "detector",
      ])
  }

  @Test func mapIsDeployedOnlyWhenAskedAndTheDiggerFindsItOrTheEndpoint() throws {
    let deployed = DesiredState.children(of: SensorFixtures.sample)
    let map = try #require(deployed.child(.deployment, "edge-map"))
    #expect(map.args.first == "map")
    #expect(
      map.container?["ports"] == [
        ["name": "http", "containerPort": 8080, "protocol": "TCP"],
        ["name": "grpc", "containerPort": 9000, "protocol": "TCP"],
      ])
    #expect(deployed.child(.service, "edge-map")?[path: ["spec", "ports"]]?.arrayValue?.count == 2)

    let elsewhere = SensorFixtures.sensor { spec in
      spec.map = SovrenSensor.Map(endpoint: "map.example.com:443", tokenSecretRef: .init(name: "token"))
    }
    let remote = DesiredState.children(of: elsewhere)
    #expect(remote.allSatisfy { $0.component != .map })
    #expect(remote.child(.deployment, "edge-digger")?.value(of: "--map-endpoint") == "map.example.com:443")

    let none = DesiredState.children(of: SensorFixtures.sensor())
    #expect(none.allSatisfy { $0.component != .map })
    #expect(none.child(.deployment, "edge-digger")?.values(of: "--map-endpoint") == [])
  }

  @Test func theMapTokenReachesPodsOnlyAsASecretReference() throws {
    let children = DesiredState.children(of: SensorFixtures.sample)
    let reference: JSONValue = [
      "name": "SOVREN_MAP_TOKEN", "valueFrom": ["secretKeyRef": ["name": "map-token", "key": "token"]],
    ]
    #expect(children.child(.deployment, "edge-digger")?.env("SOVREN_MAP_TOKEN") == reference)
    #expect(children.child(.deployment, "edge-map")?.env("SOVREN_MAP_TOKEN") == reference)
    for child in children.workloads {
      let inline = (child.object.container?["env"]?.arrayValue ?? []).filter { $0["valueFrom"] == nil }
      let names = inline.compactMap { $0["name"]?.stringValue }
      #expect(names.allSatisfy { !$0.contains("TOKEN") }, "\(child.name) has an inline token")
    }
    let withoutToken = DesiredState.children(of: SensorFixtures.sensor())
    #expect(withoutToken.child(.deployment, "edge-digger")?.env("SOVREN_MAP_TOKEN") == nil)
  }
}
