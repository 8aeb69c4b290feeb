import Foundation
import KubeModel
import Testing

@Suite("Kubernetes times")
struct TimeTests {
  @Test("RFC 3339 times read and write as the API server writes them")
  func timestamps() throws {
    let time = try #require(Timestamp(rfc3339: "2024-01-02T03:04:05Z"))
    #expect(time.secondsSince1970 == 1_704_164_645)
    #expect(time.description == "2024-01-02T03:04:05Z")
    #expect(Timestamp(rfc3339: "2024-01-02T05:04:05.999+02:00") == time)
    #expect(Timestamp(rfc3339: "1969-12-31T23:59:59Z")?.secondsSince1970 == -1)
    #expect(Timestamp(rfc3339: "2024-02-29T00:00:00Z")?.description == "2024-02-29T00:00:00Z")
    #expect(Timestamp(secondsSince1970: 951_782_400).description == "2000-02-29T00:00:00Z")
    #expect(Timestamp(secondsSince1970: 253_402_300_799).description == "9999-12-31T23:59:59Z")
  }

  @Test(
    "text that is not RFC 3339 is refused",
    arguments: [
      "", "2024-01-02", "2024-01-02T03:04:05", "2024-13-02T03:04:05Z", "2023-02-29T00:00:00Z",
      "2024-01-02T24:00:00Z", "2024-01-02T03:04:05.Z", "2024-01-02T03:04:05Zjunk", "yesterday",
    ])
  func invalid(_ text: String) {
    #expect(Timestamp(rfc3339: text) == nil)
  }

  @Test("MicroTime keeps six fractional digits")
  func microTime() throws {
    let time = try #require(MicroTimestamp(rfc3339: "2024-01-02T03:04:05.123456Z"))
    #expect(time.microseconds == 123_456)
    #expect(time.description == "2024-01-02T03:04:05.123456Z")
    #expect(MicroTimestamp(rfc3339: "2024-01-02T03:04:05Z")?.description == "2024-01-02T03:04:05.000000Z")
    #expect(MicroTimestamp(rfc3339: "2024-01-02T03:04:05.5Z")?.microseconds == 500_000)
    #expect(MicroTimestamp(rfc3339: "2024-01-02T03:04:05.1234567Z")?.microseconds == 123_456)
    #expect(time.advanced(by: .milliseconds(900)).description == "2024-01-02T03:04:06.023456Z")
    #expect(time < time.advanced(by: .microseconds(1)))
    let now = Date()
    #expect(abs(MicroTimestamp(now).date.timeIntervalSince(now)) < 0.000_002)
  }
}

@Suite("Kubernetes objects as JSON")
struct ObjectCodingTests {
  @Test("a Lease round-trips with MicroTime and without fields it does not set")
  func lease() throws {
    let json = """
      {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"leader","namespace":"sovren",\
      "resourceVersion":"42","creationTimestamp":"2024-01-02T03:04:05Z","managedFields":[{"manager":"x"}]},\
      "spec":{"holderIdentity":"pod-1","leaseDurationSeconds":15,"acquireTime":"2024-01-02T03:04:05.000000Z",\
      "renewTime":"2024-01-02T03:04:20.654321Z","leaseTransitions":2}}
      """
    let lease = try JSONDecoder().decode(Lease.self, from: Data(json.utf8))
    #expect(lease.metadata.resourceVersion == "42")
    #expect(lease.spec?.renewTime?.microseconds == 654_321)
    #expect(lease.spec?.leaseTransitions == 2)
    let encoded = try JSONValue(parsing: JSONEncoder().encode(lease))
    #expect(encoded[path: ["spec", "renewTime"]] == "2024-01-02T03:04:20.654321Z")
    #expect(encoded[path: ["metadata", "creationTimestamp"]] == "2024-01-02T03:04:05Z")
    #expect(encoded[path: ["metadata", "labels"]] == nil)
    #expect(encoded["status"] == nil)
  }

  @Test("pods carry IPs, conditions and untyped extras")
  func pod() throws {
    let json = """
      {"metadata":{"name":"web-1","ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web",\
      "uid":"u1","controller":true}]},"spec":{"nodeName":"n1","hostNetwork":true,"containers":[{"name":"web",\
      "image":"nginx","ports":[{"containerPort":80}],"volumeMounts":[{"name":"v","mountPath":"/v"}]}],\
      "tolerations":[{"operator":"Exists"}]},"status":{"phase":"Running","podIP":"10.0.0.5",\
      "podIPs":[{"ip":"10.0.0.5"},{"ip":"fd00::5"}],"hostIP":"192.168.1.2","conditions":[{"type":"Ready",\
      "status":"True","lastTransitionTime":"2024-01-02T03:04:05Z"}]}}
      """
    let pod = try JSONDecoder().decode(Pod.self, from: Data(json.utf8))
    #expect(pod.metadata.ownerReferences?.first?.controller == true)
    #expect(pod.spec?.hostNetwork == true)
    #expect(pod.spec?.containers.first?.ports?.first?.containerPort == 80)
    #expect(pod.spec?.containers.first?.volumeMounts?.first?["mountPath"] == "/v")
    #expect(pod.status?.podIPs?.map(\.ip) == ["10.0.0.5", "fd00::5"])
    #expect(pod.status?.conditions?.first?.type == "Ready")
  }

  @Test("IntOrString, Secret bytes and lists read as the server writes them")
  func smallTypes() throws {
    let service = try JSONDecoder().decode(
      Service.self,
      from: Data(
        #"{"metadata":{},"spec":{"ports":[{"port":80,"targetPort":"http"},{"port":81,"targetPort":8081}]}}"#.utf8))
    #expect(service.spec?.ports?.map(\.targetPort) == [.string("http"), .int(8081)])

    let secret = try JSONDecoder().decode(Secret.self, from: Data(#"{"metadata":{},"data":{"k":"aGVsbG8="}}"#.utf8))
    #expect(secret.data?["k"] == Data("hello".utf8))

    let list = try JSONDecoder().decode(
      ObjectList<ConfigMap>.self,
      from: Data(#"{"metadata":{"resourceVersion":"9","continue":"abc","remainingItemCount":3},"items":null}"#.utf8))
    #expect(list.items.isEmpty)
    #expect(list.metadata.continueToken == "abc")
    #expect(list.metadata.remainingItemCount == 3)
  }

  @Test("kinds describe where the API serves them")
  func descriptors() {
    #expect(Pod.resource == ResourceDescriptor(group: "", version: "v1", plural: "pods", namespaced: true, kind: "Pod"))
    #expect(Deployment.apiVersion == "apps/v1")
    #expect(ClusterRoleBinding.resource.description == "clusterrolebindings.rbac.authorization.k8s.io")
    #expect(!Node.namespaced)
    #expect(CustomResourceDefinition.resource.apiVersion == "apiextensions.k8s.io/v1")
  }
}
