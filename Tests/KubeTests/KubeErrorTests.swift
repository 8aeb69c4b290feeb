import Foundation
import Kube
import KubeModel
import Testing

/// A CRD with a schema FakeKube validates, for 422 Invalid and for unstructured access.
enum WidgetFixtures {
  static let resource = ResourceDescriptor(
    group: "example.com", version: "v1", plural: "widgets", namespaced: true, kind: "Widget")

  static let definition = CustomResourceDefinition(
    metadata: ObjectMeta(name: "widgets.example.com"),
    spec: CustomResourceDefinition.Spec(
      group: "example.com",
      names: CustomResourceDefinition.Names(kind: "Widget", plural: "widgets", singular: "widget"),
      scope: "Namespaced",
      versions: [
        CustomResourceDefinition.Version(
          name: "v1", served: true, storage: true,
          schema: CustomResourceDefinition.Schema(openAPIV3Schema: [
            "type": "object",
            "properties": [
              "spec": [
                "type": "object",
                "required": ["size"],
                "properties": [
                  "size": ["type": "integer", "minimum": 1, "maximum": 10],
                  "color": ["type": "string", "enum": ["red", "blue"]],
                ],
              ],
              "status": ["type": "object", "properties": ["ready": ["type": "boolean"]]],
            ],
          ]),
          subresources: ["status": [:]])
      ]))

  static func widget(_ name: String, spec: JSONValue) -> JSONValue {
    ["apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": .string(name)], "spec": spec]
  }
}

/// The errors FakeKube answers with, decoded from their Status bodies.
@Suite("Kube errors from FakeKube")
struct FakeKubeErrorTests {
  @Test("404 NotFound carries the server's message, code and reason")
  func notFound() async throws {
    try await withFakeKube { client, _ in
      let error = await #expect(throws: KubeError.self) { try await client.get(ConfigMap.self, name: "missing") }
      #expect(error?.kind == .notFound)
      #expect(error?.code == 404)
      #expect(error?.reason == "NotFound")
      #expect(error?.message == "configmaps \"missing\" not found")
      #expect(error?.status?.details?.name == "missing")
      #expect(
        error?.description
          == "GET /api/v1/namespaces/default/configmaps/missing failed with HTTP 404 (NotFound): "
          + "configmaps \"missing\" not found.")
    }
  }

  @Test("409 AlreadyExists for a second create of the same name")
  func alreadyExists() async throws {
    try await withFakeKube { client, _ in
      _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "twice")))
      let error = await #expect(throws: KubeError.self) {
        try await client.create(ConfigMap(metadata: ObjectMeta(name: "twice")))
      }
      #expect(error?.kind == .alreadyExists)
      #expect(error?.isAlreadyExists == true)
      #expect(error?.isConflict == false)
      #expect(error?.code == 409)
    }
  }

  @Test("422 Invalid names every field that failed the CRD's schema")
  func invalid() async throws {
    try await withFakeKube { client, _ in
      let definition = try await client.create(WidgetFixtures.definition)
      #expect(definition.isEstablished)
      let error = await #expect(throws: KubeError.self) {
        try await client.create(
          WidgetFixtures.widget("bad", spec: ["size": 20, "color": "green"]), in: WidgetFixtures.resource)
      }
      #expect(error?.kind == .invalid)
      #expect(error?.code == 422)
      #expect(Set(error?.fieldPaths ?? []) == ["spec.size", "spec.color"])
      #expect(error?.causes.allSatisfy { $0.message?.isEmpty == false } == true)
      #expect(error?.message.contains("is invalid") == true)
    }
  }

  @Test("400 BadRequest for a malformed label selector")
  func badRequest() async throws {
    try await withFakeKube { client, _ in
      let error = await #expect(throws: KubeError.self) {
        try await client.list(ConfigMap.self, options: ListOptions(labelSelector: "=nokey"))
      }
      #expect(error?.kind == .badRequest)
      #expect(error?.code == 400)
    }
  }

  @Test("405 MethodNotAllowed for a create across all namespaces")
  func methodNotAllowed() async throws {
    try await withFakeKube { client, _ in
      let error = await #expect(throws: KubeError.self) {
        try await client.send(
          KubeRequest(
            method: "POST", path: "/api/v1/configmaps", body: Array(#"{"metadata":{"name":"x"}}"#.utf8),
            contentType: "application/json"))
      }
      #expect(error?.kind == .methodNotAllowed)
      #expect(error?.code == 405)
    }
  }

  @Test("415 UnsupportedMediaType for a patch in an unknown format")
  func unsupportedMediaType() async throws {
    try await withFakeKube { client, _ in
      _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "cm")))
      let error = await #expect(throws: KubeError.self) {
        try await client.send(
          KubeRequest(
            method: "PATCH", path: "/api/v1/namespaces/default/configmaps/cm", body: Array("{}".utf8),
            contentType: "text/plain"))
      }
      #expect(error?.kind == .unsupportedMediaType)
      #expect(error?.code == 415)
    }
  }

  @Test("a create in a namespace that does not exist is notFound")
  func missingNamespace() async throws {
    try await withFakeKube { client, _ in
      let error = await #expect(throws: KubeError.self) {
        try await client.create(ConfigMap(metadata: ObjectMeta(name: "cm")), namespace: "nowhere")
      }
      #expect(error?.isNotFound == true)
      #expect(error?.message.contains("nowhere") == true)
    }
  }
}

/// Custom resources through descriptors and `JSONValue`.
@Suite("Unstructured custom resources against FakeKube")
struct UnstructuredTests {
  @Test("create, get, list, patch, status and delete a custom resource as JSONValue")
  func customResource() async throws {
    try await withFakeKube { client, _ in
      _ = try await client.create(WidgetFixtures.definition)
      let crd = try await client.get(CustomResourceDefinition.self, name: "widgets.example.com")
      #expect(crd.status?.conditions?.contains { $0.type == "NamesAccepted" && $0.status == "True" } == true)

      let resource = WidgetFixtures.resource
      // No apiVersion or kind in the body: the client fills them in from the descriptor.
      let created = try await client.create(
        ["metadata": ["name": "w1"], "spec": ["size": 3]] as JSONValue, in: resource)
      #expect(created["apiVersion"] == "example.com/v1")
      #expect(created["kind"] == "Widget")
      #expect(created[path: ["metadata", "namespace"]] == "default")

      let read = try await client.get(resource, as: JSONValue.self, name: "w1")
      #expect(read[path: ["spec", "size"]] == 3)

      let list = try await client.list(resource, as: JSONValue.self)
      #expect(list.items.count == 1)

      let patched = try await client.patch(resource, as: JSONValue.self, name: "w1", .merge(["spec": ["color": "red"]]))
      #expect(patched[path: ["spec", "color"]] == "red")

      let status = try await client.patchStatus(
        resource, as: JSONValue.self, name: "w1", .merge(["status": ["ready": true]]))
      #expect(status[path: ["status", "ready"]] == true)
      var replaced = status
      replaced["status"] = ["ready": false]
      let updatedStatus = try await client.updateStatus(replaced, in: resource)
      #expect(updatedStatus[path: ["status", "ready"]] == false)
      #expect(try await client.getStatus(resource, as: JSONValue.self, name: "w1")[path: ["status", "ready"]] == false)

      let deletion = try await client.delete(resource, as: JSONValue.self, name: "w1")
      #expect(deletion.object?[path: ["metadata", "name"]] == "w1" || deletion.status?.details?.name == "w1")
      #expect(try await client.list(resource, as: JSONValue.self).items.isEmpty)
    }
  }
}

/// The errors FakeKube cannot produce, from canned Status bodies.
@Suite("Kube errors from canned answers")
struct CannedErrorTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var code: Int
    var reason: String
    var kind: KubeError.Kind
    var testDescription: String { "\(code) \(reason)" }
  }

  @Test(
    "each Status becomes its kind, with code, reason and message",
    arguments: [
      Case(code: 401, reason: "Unauthorized", kind: .unauthorized),
      Case(code: 403, reason: "Forbidden", kind: .forbidden),
      Case(code: 410, reason: "Gone", kind: .gone),
      Case(code: 410, reason: "Expired", kind: .gone),
      Case(code: 429, reason: "TooManyRequests", kind: .tooManyRequests),
      Case(code: 500, reason: "InternalError", kind: .serverError),
      Case(code: 503, reason: "ServiceUnavailable", kind: .serviceUnavailable),
      Case(code: 504, reason: "Timeout", kind: .timeout),
      Case(code: 500, reason: "ServerTimeout", kind: .timeout),
      Case(code: 502, reason: "", kind: .serverError),
      Case(code: 418, reason: "", kind: .unexpectedStatus),
    ])
  func statusKinds(_ testCase: Case) async throws {
    try await withCannedServer(answer: { _ in
      CannedServer.status(code: testCase.code, reason: testCase.reason, message: "canned \(testCase.code)")
    }) { client, _ in
      let error = await #expect(throws: KubeError.self) { try await client.get(Pod.self, name: "p") }
      #expect(error?.kind == testCase.kind)
      #expect(error?.code == testCase.code)
      #expect(error?.reason == testCase.reason)
      #expect(error?.message == "canned \(testCase.code)")
      #expect(error?.request == "GET /api/v1/namespaces/team/pods/p")
    }
  }

  @Test("429 carries Retry-After from the header, or else from the Status details")
  func retryAfter() async throws {
    try await withCannedServer(answer: { request in
      if request.path.hasSuffix("/header") {
        var answer = CannedServer.status(code: 429, reason: "TooManyRequests", message: "slow down")
        if case .body(let status, let text, _) = answer {
          answer = .body(status: status, text, headers: ["Retry-After": "7"])
        }
        return answer
      }
      return CannedServer.status(
        code: 429, reason: "TooManyRequests", message: "slow down", details: #"{"retryAfterSeconds":3}"#)
    }) { client, _ in
      let fromHeader = await #expect(throws: KubeError.self) { try await client.get(Pod.self, name: "header") }
      #expect(fromHeader?.retryAfter == .seconds(7))
      #expect(fromHeader?.isRetryable == true)
      #expect(fromHeader?.description.hasSuffix("slow down; retry after 7 s.") == true)
      let fromDetails = await #expect(throws: KubeError.self) { try await client.get(Pod.self, name: "details") }
      #expect(fromDetails?.retryAfter == .seconds(3))
    }
  }

  @Test("a body that is not a Status still gives the kind from the code and its text")
  func notAStatus() async throws {
    try await withCannedServer(answer: { _ in .body(status: 404, "404 page not found\n") }) { client, _ in
      let error = await #expect(throws: KubeError.self) { try await client.get(Pod.self, name: "p") }
      #expect(error?.kind == .notFound)
      #expect(error?.message == "404 page not found")
      #expect(error?.reason == nil)
    }
  }

  @Test("a successful answer that is not the asked type is a decoding error naming the field")
  func decodingError() async throws {
    try await withCannedServer(answer: { _ in .body(status: 200, #"{"metadata":{"name":7}}"#) }) { client, _ in
      let error = await #expect(throws: KubeError.self) { try await client.get(Pod.self, name: "p") }
      #expect(error?.kind == .decoding)
      #expect(error?.message.contains("metadata.name") == true)
    }
  }

  @Test("an answer over maximumResponseSize is refused")
  func tooLarge() async throws {
    let big = #"{"metadata":{"name":"big"},"data":{"k":""# + String(repeating: "x", count: 10_000) + #""}}"#
    try await withCannedServer(
      configure: { $0.maximumResponseSize = 1000 }, answer: { _ in .body(status: 200, big) }
    ) { client, _ in
      let error = await #expect(throws: KubeError.self) { try await client.get(ConfigMap.self, name: "big") }
      #expect(error?.kind == .responseTooLarge)
    }
  }

  @Test("a request the server does not answer in time fails with timeout")
  func clientTimeout() async throws {
    let gate = Gate()
    try await withCannedServer(
      configure: { $0.requestTimeout = .milliseconds(200) },
      answer: { _ in
        await gate.wait(atMost: .seconds(10))
        return .body(status: 200, "{}")
      }
    ) { client, _ in
      let error = await #expect(throws: KubeError.self) { try await client.get(ConfigMap.self, name: "slow") }
      gate.open()
      #expect(error?.kind == .timeout)
      #expect(error?.isTimeout == true)
      #expect(error?.code == nil)
    }
  }

  @Test("no server at the address is a transport error")
  func transport() async throws {
    let client = try KubeClient(
      configuration: KubeConfiguration(server: "http://127.0.0.1:1", requestTimeout: .milliseconds(500)))
    let error = await #expect(throws: KubeError.self) { try await client.get(Pod.self, name: "p") }
    try await client.shutdown()
    #expect(error?.kind == .transport)
    #expect(error?.isRetryable == true)
    #expect(
      error?.description.hasPrefix("GET /api/v1/namespaces/default/pods/p could not reach the API server") == true)
  }

  @Test("a namespaced request with an empty namespace is refused before sending")
  func emptyNamespace() async throws {
    try await withCannedServer(answer: { _ in .body(status: 200, "{}") }) { client, server in
      let error = await #expect(throws: KubeError.self) {
        try await client.get(Pod.self, name: "p", namespace: KubeClient.allNamespaces)
      }
      #expect(error?.kind == .invalidRequest)
      #expect(server.requests.isEmpty)
    }
  }
}

@Suite("KubeError")
struct KubeErrorValueTests {
  @Test("the kind comes from the reason first, then from the code")
  func kindMapping() {
    #expect(KubeError.kind(code: 409, reason: "AlreadyExists") == .alreadyExists)
    #expect(KubeError.kind(code: 409, reason: "Conflict") == .conflict)
    #expect(KubeError.kind(code: 409, reason: nil) == .conflict)
    #expect(KubeError.kind(code: 410, reason: "Expired") == .gone)
    #expect(KubeError.kind(code: 422, reason: "SomethingNew") == .invalid)
    #expect(KubeError.kind(code: 500, reason: "ServerTimeout") == .timeout)
    #expect(KubeError.kind(code: 302, reason: nil) == .unexpectedStatus)
  }

  @Test("an ERROR event's Status becomes the same error as a response would")
  func fromStatus() {
    let error = KubeError(
      status: Status(
        status: "Failure", message: "too old resource version: 1 (5)", reason: "Expired", code: 410))
    #expect(error.isGone)
    #expect(error.code == 410)
    #expect(error.description == "The request failed with HTTP 410 (Expired): too old resource version: 1 (5).")
  }
}
