import FakeKube
import Foundation
import KubeModel
import TestSupport
import Testing

/// kubectl's imperative commands (`create deployment`, `run`, `expose`, `create role`, …) send
/// protobuf through client-go's typed clients. Each test runs a command twice: first with
/// `--dry-run=client -o json`, which prints the object kubectl builds (and sends), then for real;
/// every field kubectl printed must come back from `kubectl get -o json` as it was.
@Suite("kubectl imperative commands (protobuf bodies)", .serialized)
struct KubectlImperativeTests {
  @Test func workloads() async throws {
    try await withFakeKube { kubectl, _ in
      let deployment = try await kubectl.createAndGet(
        ["create", "deployment", "web", "--image=nginx:1.27", "--replicas=2", "--port=80"], get: ["deploy", "web"])
      #expect(deployment[path: ["spec", "replicas"]] == 2)
      #expect(deployment[path: ["spec", "selector"]] == ["matchLabels": ["app": "web"]])
      let container = deployment[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first
      #expect(container?["image"] == "nginx:1.27" && container?["name"] == "nginx")
      #expect(container?["ports"]?.arrayValue?.first?["containerPort"] == 80)

      let service = try await kubectl.createAndGet(
        ["expose", "deployment", "web", "--port=80", "--target-port=8080"], get: ["service", "web"])
      let port = service[path: ["spec", "ports"]]?.arrayValue?.first
      #expect(port?["port"] == 80 && port?["targetPort"] == 8080)
      #expect(service[path: ["spec", "selector"]] == ["app": "web"])

      let pod = try await kubectl.createAndGet(
        ["run", "tmp", "--image=busybox", "--restart=Never", "--labels=a=b", "--env=X=1", "--", "sleep", "3600"],
        get: ["pod", "tmp"])
      #expect(pod[path: ["metadata", "labels"]] == ["a": "b"])
      #expect(pod[path: ["spec", "restartPolicy"]] == "Never")
      let runContainer = pod[path: ["spec", "containers"]]?.arrayValue?.first
      #expect(runContainer?["args"] == ["sleep", "3600"] && runContainer?["env"] == [["name": "X", "value": "1"]])

      let job = try await kubectl.createAndGet(
        ["create", "job", "once", "--image=busybox", "--", "echo", "hi"], get: ["job", "once"])
      let jobContainer = job[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first
      #expect(jobContainer?["command"] == ["echo", "hi"])
      #expect(job[path: ["spec", "template", "spec", "restartPolicy"]] == "Never")

      let cronJob = try await kubectl.createAndGet(
        ["create", "cronjob", "tick", "--image=busybox", "--schedule=*/5 * * * *", "--", "date"],
        get: ["cronjob", "tick"])
      #expect(cronJob[path: ["spec", "schedule"]] == "*/5 * * * *")
      #expect(cronJob[path: ["spec", "jobTemplate", "metadata", "name"]] == "tick")
      #expect(cronJob[path: ["spec", "jobTemplate", "spec", "template", "spec", "restartPolicy"]] == "OnFailure")

      // A job made from the cron job carries an owner reference and an annotation.
      let manual = try await kubectl.createAndGet(
        ["create", "job", "tick-now", "--from=cronjob/tick"], get: ["job", "tick-now"])
      let owner = manual[path: ["metadata", "ownerReferences"]]?.arrayValue?.first
      #expect(owner?["kind"] == "CronJob" && owner?["name"] == "tick" && owner?["controller"] == true)
      #expect(owner?["uid"] == cronJob[path: ["metadata", "uid"]])
      #expect(manual[path: ["metadata", "annotations", "cronjob.kubernetes.io/instantiate"]] == "manual")
    }
  }

  @Test func services() async throws {
    try await withFakeKube { kubectl, _ in
      let clusterIP = try await kubectl.createAndGet(
        ["create", "service", "clusterip", "db", "--tcp=5432:5432"], get: ["service", "db"])
      #expect(clusterIP[path: ["spec", "type"]] == "ClusterIP")
      #expect(
        clusterIP[path: ["spec", "ports"]]?.arrayValue?.first?.subset(["port": 5432, "targetPort": 5432]) == true)
      #expect(clusterIP[path: ["spec", "selector"]] == ["app": "db"])

      let nodePort = try await kubectl.createAndGet(
        ["create", "service", "nodeport", "np", "--tcp=80:8080", "--node-port=30080"], get: ["service", "np"])
      #expect(nodePort[path: ["spec", "type"]] == "NodePort")
      #expect(
        nodePort[path: ["spec", "ports"]]?.arrayValue?.first?.subset([
          "port": 80, "targetPort": 8080, "nodePort": 30080, "name": "80-8080", "protocol": "TCP",
        ]) == true)

      let external = try await kubectl.createAndGet(
        ["create", "service", "externalname", "search", "--external-name=search.example.com"],
        get: ["service", "search"])
      #expect(external[path: ["spec", "type"]] == "ExternalName")
      #expect(external[path: ["spec", "externalName"]] == "search.example.com")
    }
  }

  @Test func rbac() async throws {
    try await withFakeKube { kubectl, _ in
      let role = try await kubectl.createAndGet(
        ["create", "role", "r", "--verb=get,list", "--resource=pods"], get: ["role", "r"])
      #expect(role["rules"] == [["verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods"]]])

      let binding = try await kubectl.createAndGet(
        ["create", "rolebinding", "rb", "--role=r", "--serviceaccount=default:default"], get: ["rolebinding", "rb"])
      #expect(binding["subjects"] == [["kind": "ServiceAccount", "name": "default", "namespace": "default"]])
      #expect(binding["roleRef"] == ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "r"])

      let clusterRole = try await kubectl.createAndGet(
        ["create", "clusterrole", "cr", "--verb=get", "--resource=nodes", "--non-resource-url=/healthz"],
        get: ["clusterrole", "cr"])
      #expect(
        clusterRole["rules"]
          == [
            ["verbs": ["get"], "apiGroups": [""], "resources": ["nodes"]],
            ["verbs": ["get"], "nonResourceURLs": ["/healthz"]],
          ])

      let clusterBinding = try await kubectl.createAndGet(
        ["create", "clusterrolebinding", "crb", "--clusterrole=cr", "--user=alice"],
        get: ["clusterrolebinding", "crb"])
      #expect(
        clusterBinding["subjects"] == [["kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": "alice"]])
      #expect(
        clusterBinding["roleRef"] == ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cr"])

      let account = try await kubectl.createAndGet(["create", "serviceaccount", "builder"], get: ["sa", "builder"])
      #expect(account[path: ["metadata", "name"]] == "builder")
    }
  }

  @Test func secrets() async throws {
    try await withFakeKube { kubectl, _ in
      let certificates = try FakeKubeCertificates.generate()
      let certificate = try kubectl.file("tls.crt", certificates.serverCertificatePEM)
      let key = try kubectl.file("tls.key", certificates.serverKeyPEM)
      let tls = try await kubectl.createAndGet(
        ["create", "secret", "tls", "web-tls", "--cert=\(certificate)", "--key=\(key)"], get: ["secret", "web-tls"])
      #expect(tls["type"] == "kubernetes.io/tls")
      let encodedCertificate = try #require(tls[path: ["data", "tls.crt"]]?.stringValue)
      #expect(Data(base64Encoded: encodedCertificate) == Data(certificates.serverCertificatePEM.utf8))

      let registry = try await kubectl.createAndGet(
        [
          "create", "secret", "docker-registry", "regcred", "--docker-server=registry.example.com",
          "--docker-username=robot", "--docker-password=s3cret", "--docker-email=robot@example.com",
        ], get: ["secret", "regcred"])
      #expect(registry["type"] == "kubernetes.io/dockerconfigjson")
      let encodedConfig = try #require(registry[path: ["data", ".dockerconfigjson"]]?.stringValue)
      let config = try JSONValue(parsing: Array(try #require(Data(base64Encoded: encodedConfig))))
      #expect(config[path: ["auths", "registry.example.com", "username"]] == "robot")
      #expect(config[path: ["auths", "registry.example.com", "password"]] == "s3cret")

      let generic = try await kubectl.createAndGet(
        ["create", "secret", "generic", "plain", "--from-literal=user=admin", "--from-literal=empty="],
        get: ["secret", "plain"])
      #expect(generic["data"] == ["user": "YWRtaW4=", "empty": ""])
    }
  }

  @Test func policies() async throws {
    try await withFakeKube { kubectl, _ in
      let quota = try await kubectl.createAndGet(
        ["create", "quota", "q", "--hard=cpu=1,memory=1G,pods=10", "--scopes=NotTerminating"],
        get: ["resourcequota", "q"])
      #expect(quota[path: ["spec", "hard"]] == ["cpu": "1", "memory": "1G", "pods": "10"])
      #expect(quota[path: ["spec", "scopes"]] == ["NotTerminating"])

      let priority = try await kubectl.createAndGet(
        [
          "create", "priorityclass", "high", "--value=1000", "--description=for the web tier",
          "--preemption-policy=Never",
        ],
        get: ["priorityclass", "high"])
      #expect(priority["value"] == 1000 && priority["description"] == "for the web tier")
      #expect(priority["preemptionPolicy"] == "Never")
      let zero = try await kubectl.createAndGet(
        ["create", "priorityclass", "zero", "--value=0", "--global-default=true"], get: ["pc", "zero"])
      #expect(zero["value"] == 0 && zero["globalDefault"] == true)

      let budget = try await kubectl.createAndGet(
        ["create", "pdb", "web-pdb", "--selector=app=web", "--min-available=50%"], get: ["pdb", "web-pdb"])
      #expect(budget[path: ["spec", "minAvailable"]] == "50%")
      #expect(budget[path: ["spec", "selector"]] == ["matchLabels": ["app": "web"]])
      let strict = try await kubectl.createAndGet(
        ["create", "pdb", "strict", "--selector=app=db", "--max-unavailable=0"], get: ["pdb", "strict"])
      #expect(strict[path: ["spec", "maxUnavailable"]] == 0)

      let ingress = try await kubectl.createAndGet(
        [
          "create", "ingress", "web", "--class=nginx", "--rule=example.com/=web:80,tls=example-tls",
          "--rule=example.com/api*=api:http", "--default-backend=fallback:8080",
        ], get: ["ingress", "web"])
      #expect(ingress[path: ["spec", "ingressClassName"]] == "nginx")
      #expect(ingress[path: ["spec", "tls"]] == [["hosts": ["example.com"], "secretName": "example-tls"]])
      let paths = ingress[path: ["spec", "rules"]]?.arrayValue?.first?[path: ["http", "paths"]]
      #expect(
        paths
          == [
            ["path": "/", "pathType": "Exact", "backend": ["service": ["name": "web", "port": ["number": 80]]]],
            ["path": "/api", "pathType": "Prefix", "backend": ["service": ["name": "api", "port": ["name": "http"]]]],
          ])
      #expect(
        ingress[path: ["spec", "defaultBackend"]] == ["service": ["name": "fallback", "port": ["number": 8080]]])
    }
  }

  static let newlyServedKinds = """
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: {name: web}
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
      maxReplicas: 4
      metrics:
      - type: Resource
        resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
    ---
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: deny}
    spec:
      podSelector: {}
      policyTypes: [Ingress]
    ---
    apiVersion: v1
    kind: PersistentVolumeClaim
    metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
    ---
    apiVersion: v1
    kind: PersistentVolume
    metadata: {name: pv1}
    spec:
      capacity: {storage: 1Gi}
      accessModes: [ReadWriteOnce]
      hostPath: {path: /tmp/pv1}
    ---
    apiVersion: networking.k8s.io/v1
    kind: IngressClass
    metadata: {name: nginx}
    spec: {controller: k8s.io/ingress-nginx}
    """

  /// The kinds added to the registry for these commands also take `kubectl apply` and re-apply.
  @Test func newlyServedKindsApply() async throws {
    try await withFakeKube { kubectl, _ in
      let manifest = try kubectl.file("kinds.yaml", Self.newlyServedKinds)
      let created = try await kubectl.succeed("apply", "-f", manifest)
      for name in [
        "horizontalpodautoscaler.autoscaling/web", "networkpolicy.networking.k8s.io/deny", "persistentvolumeclaim/data",
        "persistentvolume/pv1", "ingressclass.networking.k8s.io/nginx",
      ] {
        #expect(created.contains("\(name) created"), "\(name)")
      }
      _ = try kubectl.file(
        "kinds.yaml", Self.newlyServedKinds.replacingOccurrences(of: "maxReplicas: 4", with: "maxReplicas: 6"))
      let reapplied = try await kubectl.run("apply", "-f", manifest)
      #expect(reapplied.status == 0 && reapplied.stderr == "")
      #expect(reapplied.stdout.contains("horizontalpodautoscaler.autoscaling/web configured"))
      #expect(reapplied.stdout.contains("networkpolicy.networking.k8s.io/deny unchanged"))
      #expect(try await kubectl.succeed("get", "hpa", "web", "-o", "jsonpath={.spec.maxReplicas}") == "6")
      let names = try await kubectl.succeed("get", "pvc,pv,netpol,ingressclass,quota,pdb,pc,ing", "-A", "-o", "name")
      #expect(names.split(separator: "\n").count == 4)
    }
  }
}

extension Kubectl {
  /// Runs kubectl with an argument list and requires it to succeed.
  func succeed(arguments: [String], timeout: Duration = .seconds(30)) async throws -> String {
    let process = try start(arguments)
    defer { process.stop() }
    let status = try await process.waitForExit(timeout: timeout)
    guard status == 0 else {
      throw SupportFailure("kubectl \(arguments.joined(separator: " ")) exited \(status): \(process.stderr)")
    }
    return process.stdout
  }

  /// Prints the object `command` would create (`--dry-run=client -o json`), runs it, reads the
  /// object back with `get`, and records every field kubectl printed (status aside) that did not
  /// come back as it was.
  func createAndGet(
    _ command: [String], get: [String], sourceLocation: SourceLocation = #_sourceLocation
  ) async throws -> JSONValue {
    let split = command.firstIndex(of: "--") ?? command.endIndex
    let dryRun = Array(command[..<split]) + ["--dry-run=client", "-o", "json"] + command[split...]
    var expected = try JSONValue(parsing: Array(try await succeed(arguments: dryRun).utf8))
    // The server owns status; kubectl prints the zeros of PodDisruptionBudget's non-omitempty counts.
    expected["status"] = nil
    try await succeed(arguments: command)
    let stored = try JSONValue(parsing: Array(try await succeed(arguments: ["get"] + get + ["-o", "json"]).utf8))
    let differences = expected.differences(from: stored)
    #expect(differences.isEmpty, "\(command.joined(separator: " ")): \(differences)", sourceLocation: sourceLocation)
    return stored
  }
}

extension JSONValue {
  /// The paths at which `self`'s fields are missing from `actual` or differ. Vacuous values in `self`
  /// need not be there: kubectl prints `creationTimestamp: null`, `resources: {}`, `status: {}`, which
  /// a JSON client would leave out and a server may fill in.
  func differences(from actual: JSONValue?, path: String = "") -> [String] {
    if isVacuous { return [] }
    switch self {
    case .object(let members):
      guard case .object(let actualMembers)? = actual else {
        return ["\(path): not an object in \(String(describing: actual))"]
      }
      return members.sorted { $0.key < $1.key }.flatMap { key, value in
        value.differences(from: actualMembers[key], path: "\(path).\(key)")
      }
    case .array(let elements):
      guard case .array(let actualElements)? = actual, actualElements.count == elements.count else {
        return ["\(path): \(String(describing: actual)) instead of \(self)"]
      }
      return zip(elements, actualElements).enumerated().flatMap { index, pair in
        pair.0.differences(from: pair.1, path: "\(path)[\(index)]")
      }
    default:
      return self == actual ? [] : ["\(path): \(String(describing: actual)) instead of \(self)"]
    }
  }

  /// Null, empty, or an object of such values only (`metadata: {creationTimestamp: null}`).
  var isVacuous: Bool {
    switch self {
    case .null, .string(""): true
    case .array(let elements): elements.isEmpty
    case .object(let members): members.values.allSatisfy(\.isVacuous)
    default: false
    }
  }

  /// Whether every member of `expected` is in this object with the same value.
  func subset(_ expected: JSONValue) -> Bool { expected.differences(from: self).isEmpty }
}
