import Foundation
import Kube
import KubeModel
import Testing

/// What the client puts on the wire, seen by a canned server: methods, paths, queries, headers and
/// bodies. Server-side apply is checked here because FakeKube does not serve it yet.
@Suite("Kube client requests on the wire")
struct KubeRequestTests {
  static let lease = #"{"metadata":{"name":"leader","namespace":"team","resourceVersion":"5"}}"#

  @Test("every request carries User-Agent, Accept and the bearer token")
  func headers() async throws {
    try await withCannedServer(
      configure: { $0.credentials = .bearerToken("t0ken") },
      answer: { _ in .body(status: 200, Self.lease) }
    ) { client, server in
      _ = try await client.get(Lease.self, name: "leader")
      let request = try #require(server.requests.first)
      #expect(request.method == "GET")
      #expect(request.path == "/apis/coordination.k8s.io/v1/namespaces/team/leases/leader")
      #expect(request.headers["user-agent"]?.hasPrefix("sovren/") == true)
      #expect(request.headers["accept"] == "application/json")
      #expect(request.headers["authorization"] == "Bearer t0ken")
    }
  }

  @Test("basic credentials are sent as HTTP basic authentication; none sends no Authorization")
  func basicAndNone() async throws {
    try await withCannedServer(
      configure: { $0.credentials = .basic(username: "ada", password: "pw") },
      answer: { _ in .body(status: 200, Self.lease) }
    ) { client, server in
      _ = try await client.get(Lease.self, name: "leader")
      #expect(server.requests.first?.headers["authorization"] == "Basic YWRhOnB3")
    }
    try await withCannedServer(answer: { _ in .body(status: 200, Self.lease) }) { client, server in
      _ = try await client.get(Lease.self, name: "leader")
      #expect(server.requests.first?.headers["authorization"] == nil)
    }
  }

  @Test("server-side apply: PATCH, apply-patch+yaml, fieldManager and force, a JSON body naming the object")
  func serverSideApply() async throws {
    try await withCannedServer(answer: { _ in .body(status: 200, Self.lease) }) { client, server in
      let lease = Lease(
        metadata: ObjectMeta(name: "leader"),
        spec: Lease.Spec(holderIdentity: "me", leaseDurationSeconds: 15))
      let applied = try await client.apply(lease, fieldManager: "sovren-operator", force: true)
      #expect(applied.metadata.resourceVersion == "5")
      _ = try await client.apply(lease, namespace: "other", fieldManager: "sovren-operator")
      _ = try await client.applyStatus(lease, fieldManager: "sovren-status", dryRun: true)

      let requests = server.requests
      try #require(requests.count == 3)
      let forced = requests[0]
      #expect(forced.method == "PATCH")
      #expect(forced.path == "/apis/coordination.k8s.io/v1/namespaces/team/leases/leader")
      #expect(forced.headers["content-type"] == "application/apply-patch+yaml")
      #expect(forced.query == ["fieldManager": "sovren-operator", "force": "true"])
      let body = try JSONValue(parsing: forced.body)
      #expect(body["apiVersion"] == "coordination.k8s.io/v1")
      #expect(body["kind"] == "Lease")
      #expect(body[path: ["metadata", "name"]] == "leader")
      #expect(body[path: ["spec", "holderIdentity"]] == "me")
      #expect(body[path: ["spec", "leaseDurationSeconds"]] == 15)
      // Fields the object leaves unset are not sent, so the manager does not claim them.
      #expect(body[path: ["spec", "renewTime"]] == nil)

      #expect(requests[1].path == "/apis/coordination.k8s.io/v1/namespaces/other/leases/leader")
      #expect(requests[1].query == ["fieldManager": "sovren-operator"])
      #expect(requests[2].path == "/apis/coordination.k8s.io/v1/namespaces/team/leases/leader/status")
      #expect(requests[2].query == ["fieldManager": "sovren-status", "dryRun": "All"])
    }
  }

  @Test("apply needs a name and a field manager")
  func applyPreconditions() async throws {
    try await withCannedServer(answer: { _ in .body(status: 200, Self.lease) }) { client, server in
      let unnamed = await #expect(throws: KubeError.self) {
        try await client.apply(Lease(), fieldManager: "m")
      }
      #expect(unnamed?.kind == .invalidRequest)
      let unmanaged = await #expect(throws: KubeError.self) {
        try await client.apply(Lease(metadata: ObjectMeta(name: "x")), fieldManager: "")
      }
      #expect(unmanaged?.kind == .invalidRequest)
      #expect(server.requests.isEmpty)
    }
  }

  @Test("patch content types and write options")
  func patchTypes() async throws {
    try await withCannedServer(answer: { _ in .body(status: 200, Self.lease) }) { client, server in
      let options = WriteOptions(fieldManager: "me", dryRun: true, fieldValidation: "Strict")
      _ = try await client.patch(
        Lease.self, name: "leader", .merge(["spec": ["holderIdentity": nil]]), options: options)
      _ = try await client.patch(Lease.self, name: "leader", .json([.remove("/spec/holderIdentity")]))
      _ = try await client.patch(Lease.self, name: "leader", .strategicMerge(["spec": [:]]))
      let requests = server.requests
      #expect(
        requests.map { $0.headers["content-type"] ?? "" } == [
          "application/merge-patch+json", "application/json-patch+json", "application/strategic-merge-patch+json",
        ])
      #expect(requests[0].query == ["fieldManager": "me", "dryRun": "All", "fieldValidation": "Strict"])
      #expect(requests[0].bodyText == #"{"spec":{"holderIdentity":null}}"#)
      #expect(requests[1].bodyText == #"[{"op":"remove","path":"/spec/holderIdentity"}]"#)
    }
  }

  @Test("create posts to the collection, update puts to the object, delete sends DeleteOptions")
  func verbsOnTheWire() async throws {
    try await withCannedServer(answer: { request in
      request.method == "DELETE"
        ? .body(status: 200, #"{"kind":"Status","apiVersion":"v1","status":"Success"}"#)
        : .body(status: 200, Self.lease)
    }) { client, server in
      let lease = Lease(metadata: ObjectMeta(name: "leader", namespace: "own", resourceVersion: "4"))
      _ = try await client.create(lease)
      _ = try await client.update(lease)
      let deletion = try await client.delete(
        Lease.self, name: "leader",
        options: DeleteOptions(
          propagationPolicy: .foreground, preconditions: DeleteOptions.Preconditions(resourceVersion: "4")))
      #expect(deletion.status?.status == "Success")

      let requests = server.requests
      #expect(requests.map(\.method) == ["POST", "PUT", "DELETE"])
      // The object's own namespace is used when the call names none.
      #expect(requests[0].path == "/apis/coordination.k8s.io/v1/namespaces/own/leases")
      #expect(requests[1].path == "/apis/coordination.k8s.io/v1/namespaces/own/leases/leader")
      #expect(requests[0].headers["content-type"] == "application/json")
      let updateBody = try JSONValue(parsing: requests[1].body)
      #expect(updateBody[path: ["metadata", "resourceVersion"]] == "4")
      let options = try JSONValue(parsing: requests[2].body)
      #expect(options["kind"] == "DeleteOptions")
      #expect(options["propagationPolicy"] == "Foreground")
      #expect(options[path: ["preconditions", "resourceVersion"]] == "4")
    }
  }

  @Test("names and selectors are escaped in paths and queries")
  func escaping() async throws {
    try await withCannedServer(answer: { _ in .body(status: 200, #"{"metadata":{},"items":[]}"#) }) { client, server in
      _ = try await client.list(
        Pod.self, namespace: "a b", options: ListOptions(labelSelector: "app in (x, y),!legacy&x", limit: 3))
      let request = try #require(server.requests.first)
      #expect(request.path == "/api/v1/namespaces/a%20b/pods")
      #expect(request.query == ["labelSelector": "app in (x, y),!legacy&x", "limit": "3"])
    }
  }

  @Test("listAll starts over in one request when the continue token expires")
  func listAllAfterExpiredToken() async throws {
    try await withCannedServer(answer: { request in
      switch (request.query["continue"], request.query["limit"]) {
      case (nil, "2"?):
        return .body(
          status: 200, #"{"metadata":{"resourceVersion":"10","continue":"t1"},"items":[{"metadata":{"name":"a"}}]}"#)
      case ("t1"?, _):
        return CannedServer.status(code: 410, reason: "Expired", message: "continue token expired")
      default:
        return .body(
          status: 200,
          #"{"metadata":{"resourceVersion":"12"},"items":[{"metadata":{"name":"a"}},{"metadata":{"name":"b"}}]}"#)
      }
    }) { client, server in
      let all = try await client.listAll(Pod.self, options: ListOptions(limit: 2))
      #expect(all.items.map(\.name) == ["a", "b"])
      #expect(all.metadata.resourceVersion == "12")
      #expect(server.requests.count == 3)
    }
  }
}
