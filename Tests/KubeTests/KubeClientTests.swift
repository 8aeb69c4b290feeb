import Foundation
import Kube
import KubeModel
import Testing

/// Every verb of the client against FakeKube, through HTTP.
@Suite("Kube client verbs against FakeKube")
struct KubeClientVerbTests {
  func configMap(_ name: String, labels: [String: String]? = nil, data: [String: String] = ["k": "v"]) -> ConfigMap {
    ConfigMap(metadata: ObjectMeta(name: name, labels: labels), data: data)
  }

  @Test("create answers with the stored object and get reads it back")
  func createAndGet() async throws {
    try await withFakeKube { client, _ in
      let created = try await client.create(configMap("settings", labels: ["app": "web"]))
      #expect(created.metadata.namespace == "default")
      #expect(created.metadata.uid?.isEmpty == false)
      #expect(created.metadata.resourceVersion?.isEmpty == false)
      #expect(created.metadata.creationTimestamp != nil)
      #expect(created.data == ["k": "v"])

      let read = try await client.get(ConfigMap.self, name: "settings")
      #expect(read == created)
      let elsewhere = try await client.create(configMap("settings"), namespace: "kube-system")
      #expect(elsewhere.metadata.namespace == "kube-system")
      #expect(elsewhere.metadata.uid != created.metadata.uid)
    }
  }

  @Test("cluster-scoped kinds ignore the namespace")
  func clusterScoped() async throws {
    try await withFakeKube { client, _ in
      let namespace = try await client.create(Namespace(metadata: ObjectMeta(name: "shop")))
      #expect(namespace.metadata.namespace == nil)
      #expect(namespace.status?.phase == "Active")
      let read = try await client.get(Namespace.self, name: "shop", namespace: "ignored")
      #expect(read.metadata.uid == namespace.metadata.uid)
      let all = try await client.list(Namespace.self)
      #expect(Set(all.items.map(\.name)).isSuperset(of: ["default", "kube-system", "shop"]))
    }
  }

  @Test("list selects by label and field, in one namespace or all")
  func listWithSelectors() async throws {
    try await withFakeKube { client, _ in
      _ = try await client.create(configMap("web", labels: ["app": "web", "tier": "front"]))
      _ = try await client.create(configMap("cache", labels: ["app": "cache"]))
      _ = try await client.create(configMap("web", labels: ["app": "web"]), namespace: "kube-system")

      let web = try await client.list(ConfigMap.self, options: ListOptions(labelSelector: "app=web"))
      #expect(web.items.map(\.name) == ["web"])
      #expect(web.metadata.resourceVersion?.isEmpty == false)

      let notWeb = try await client.list(ConfigMap.self, options: ListOptions(labelSelector: "app!=web"))
      #expect(notWeb.items.map(\.name) == ["cache"])

      let everywhere = try await client.list(
        ConfigMap.self, namespace: KubeClient.allNamespaces, options: ListOptions(labelSelector: "app in (web)"))
      #expect(everywhere.items.map { $0.metadata.namespace ?? "" }.sorted() == ["default", "kube-system"])

      let byName = try await client.list(
        ConfigMap.self, namespace: KubeClient.allNamespaces,
        options: ListOptions(fieldSelector: "metadata.namespace=kube-system"))
      #expect(byName.items.map(\.name) == ["web"])
    }
  }

  @Test("list pages with limit and continue, and listAll follows the tokens")
  func paging() async throws {
    try await withFakeKube { client, _ in
      for index in 0..<5 { _ = try await client.create(configMap("map-\(index)")) }

      var names: [String] = []
      var options = ListOptions(limit: 2)
      var pages = 0
      repeat {
        let page = try await client.list(ConfigMap.self, options: options)
        #expect(page.items.count <= 2)
        names += page.items.map(\.name)
        options.continueToken = page.metadata.continueToken
        pages += 1
      } while options.continueToken != nil && pages < 10
      #expect(pages == 3)
      #expect(names == (0..<5).map { "map-\($0)" })

      let all = try await client.listAll(ConfigMap.self, options: ListOptions(limit: 2))
      #expect(all.items.map(\.name) == names)
      #expect(all.metadata.continueToken == nil)
      #expect(all.metadata.resourceVersion?.isEmpty == false)
    }
  }

  @Test("update replaces the object, and a stale resourceVersion is a conflict")
  func updateAndConflict() async throws {
    try await withFakeKube { client, _ in
      let created = try await client.create(configMap("settings"))
      var changed = created
      changed.data = ["k": "w"]
      let updated = try await client.update(changed)
      #expect(updated.data == ["k": "w"])
      #expect(updated.metadata.resourceVersion != created.metadata.resourceVersion)

      var stale = created
      stale.data = ["k": "stale"]
      let error = await #expect(throws: KubeError.self) { try await client.update(stale) }
      #expect(error?.kind == .conflict)
      #expect(error?.isConflict == true)
      #expect(error?.code == 409)
      #expect(error?.reason == "Conflict")
      #expect(error?.message.contains("the object has been modified") == true)
      #expect(try await client.get(ConfigMap.self, name: "settings").data == ["k": "w"])
    }
  }

  @Test("an update without a name is refused before anything is sent")
  func updateNeedsName() async throws {
    try await withFakeKube { client, _ in
      let error = await #expect(throws: KubeError.self) { try await client.update(ConfigMap()) }
      #expect(error?.kind == .invalidRequest)
      #expect(error?.code == nil)
    }
  }

  @Test("merge patch adds and removes fields; JSON patch applies operations in order")
  func patches() async throws {
    try await withFakeKube { client, _ in
      _ = try await client.create(configMap("settings", labels: ["app": "web", "tier": "front"]))
      let merged = try await client.patch(
        ConfigMap.self, name: "settings",
        .merge(["metadata": ["labels": ["tier": nil, "team": "shop"]], "data": ["extra": "1"]]))
      #expect(merged.metadata.labels == ["app": "web", "team": "shop"])
      #expect(merged.data == ["k": "v", "extra": "1"])

      let patched = try await client.patch(
        ConfigMap.self, name: "settings",
        .json([
          .test("/data/k", "v"),
          .replace("/data/k", "replaced"),
          .add(JSONPatchOperation.pointer("metadata", "labels", "app.kubernetes.io/name"), "web"),
          .remove("/data/extra"),
        ]))
      #expect(patched.data == ["k": "replaced"])
      #expect(patched.metadata.labels?["app.kubernetes.io/name"] == "web")

      let failed = await #expect(throws: KubeError.self) {
        try await client.patch(ConfigMap.self, name: "settings", .json([.test("/data/k", "v")]))
      }
      #expect(failed?.kind == .badRequest)
      #expect(try await client.get(ConfigMap.self, name: "settings").data == ["k": "replaced"])

      let fromType = try Patch.merge(encoding: ConfigMap(data: ["typed": "yes"]))
      let typed = try await client.patch(ConfigMap.self, name: "settings", fromType)
      #expect(typed.data == ["k": "replaced", "typed": "yes"])
    }
  }

  @Test("strategic merge patch merges containers by name")
  func strategicMerge() async throws {
    try await withFakeKube { client, _ in
      let deployment = Deployment(
        metadata: ObjectMeta(name: "web"),
        spec: Deployment.Spec(
          replicas: 1, selector: LabelSelector(matchLabels: ["app": "web"]),
          template: PodTemplateSpec(
            metadata: ObjectMeta(labels: ["app": "web"]),
            spec: PodSpec(containers: [Container(name: "web", image: "nginx:1"), Container(name: "log", image: "a")])))
      )
      _ = try await client.create(deployment)
      let patched = try await client.patch(
        Deployment.self, name: "web",
        .strategicMerge(["spec": ["template": ["spec": ["containers": [["name": "web", "image": "nginx:2"]]]]]]))
      let containers = patched.spec?.template.spec?.containers ?? []
      #expect(containers.map(\.name) == ["web", "log"])
      #expect(containers.first?.image == "nginx:2")
      #expect(patched.metadata.generation == 2)
    }
  }

  @Test("the status subresource: get, update and patch change status only")
  func statusSubresource() async throws {
    try await withFakeKube { client, _ in
      let deployment = Deployment(
        metadata: ObjectMeta(name: "web"),
        spec: Deployment.Spec(
          replicas: 2, selector: LabelSelector(matchLabels: ["app": "web"]),
          template: PodTemplateSpec(
            metadata: ObjectMeta(labels: ["app": "web"]),
            spec: PodSpec(containers: [Container(name: "web", image: "nginx:1.27")]))))
      var created = try await client.create(deployment)

      created.status = Deployment.Status(observedGeneration: 1, replicas: 2, readyReplicas: 1)
      created.spec?.replicas = 9
      let updated = try await client.updateStatus(created)
      #expect(updated.status?.readyReplicas == 1)
      #expect(updated.spec?.replicas == 2)

      let read = try await client.getStatus(Deployment.self, name: "web")
      #expect(read.status == updated.status)

      let patched = try await client.patchStatus(
        Deployment.self, name: "web", .merge(["status": ["readyReplicas": 2, "availableReplicas": 2]]))
      #expect(patched.status?.readyReplicas == 2)
      #expect(patched.status?.availableReplicas == 2)
      #expect(patched.status?.replicas == 2)

      // Through the main endpoint, status does not change.
      var main = patched
      main.status?.readyReplicas = 0
      main.spec?.replicas = 3
      let replaced = try await client.update(main)
      #expect(replaced.status?.readyReplicas == 2)
      #expect(replaced.spec?.replicas == 3)
    }
  }

  @Test("raw requests reach any path")
  func rawRequest() async throws {
    try await withFakeKube { client, _ in
      let version = try await client.send(KubeRequest(path: "/version"))
      #expect(version.statusCode == 200)
      let document = try version.decode(JSONValue.self)
      #expect(document["gitVersion"]?.stringValue?.hasPrefix("v1.") == true)
      #expect(version.header("content-type") == "application/json")

      let error = await #expect(throws: KubeError.self) {
        try await client.send(KubeRequest(path: "/apis/nothing.example/v1/things"))
      }
      #expect(error?.isNotFound == true)
    }
  }
}

/// Deletion: the answer, propagation to dependents, finalizers.
@Suite("Kube client deletion against FakeKube")
struct KubeClientDeletionTests {
  /// An owner ConfigMap and a dependent that names it in ownerReferences.
  func ownerAndDependent(_ client: KubeClient) async throws -> (owner: ConfigMap, dependent: ConfigMap) {
    let owner = try await client.create(ConfigMap(metadata: ObjectMeta(name: "owner")))
    let dependent = try await client.create(
      ConfigMap(
        metadata: ObjectMeta(
          name: "dependent", ownerReferences: [OwnerReference(controller: owner, blockOwnerDeletion: true)])))
    return (owner, dependent)
  }

  @Test("a background deletion answers with a success Status and takes the dependents")
  func background() async throws {
    try await withFakeKube { client, _ in
      _ = try await ownerAndDependent(client)
      let deletion = try await client.delete(
        ConfigMap.self, name: "owner", options: DeleteOptions(propagationPolicy: .background))
      #expect(deletion.status?.status == "Success")
      #expect(deletion.object == nil)
      #expect(!deletion.isPending)
      for name in ["owner", "dependent"] {
        let error = await #expect(throws: KubeError.self) { try await client.get(ConfigMap.self, name: name) }
        #expect(error?.isNotFound == true)
      }
    }
  }

  @Test("a foreground deletion answers with the terminating owner, and both go")
  func foreground() async throws {
    try await withFakeKube { client, _ in
      _ = try await ownerAndDependent(client)
      let deletion = try await client.delete(
        ConfigMap.self, name: "owner", options: DeleteOptions(propagationPolicy: .foreground))
      #expect(deletion.isPending)
      #expect(deletion.object?.metadata.deletionTimestamp != nil)
      #expect(deletion.object?.metadata.finalizers == ["foregroundDeletion"])
      let remaining = try await client.list(ConfigMap.self)
      #expect(remaining.items.isEmpty)
    }
  }

  @Test("an orphaning deletion keeps the dependents without their owner reference")
  func orphan() async throws {
    try await withFakeKube { client, _ in
      _ = try await ownerAndDependent(client)
      let deletion = try await client.delete(
        ConfigMap.self, name: "owner", options: DeleteOptions(propagationPolicy: .orphan))
      #expect(deletion.object?.metadata.finalizers == ["orphan"])
      let dependent = try await client.get(ConfigMap.self, name: "dependent")
      #expect(dependent.metadata.ownerReferences == nil)
      await #expect(throws: KubeError.self) { try await client.get(ConfigMap.self, name: "owner") }
    }
  }

  @Test("a finalizer holds a deleted object until it is removed")
  func finalizers() async throws {
    try await withFakeKube { client, _ in
      _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "held", finalizers: ["example.com/hold"])))
      let deletion = try await client.delete(ConfigMap.self, name: "held")
      #expect(deletion.isPending)
      let terminating = try await client.get(ConfigMap.self, name: "held")
      #expect(terminating.metadata.deletionTimestamp != nil)

      _ = try await client.patch(ConfigMap.self, name: "held", .merge(["metadata": ["finalizers": nil]]))
      let error = await #expect(throws: KubeError.self) { try await client.get(ConfigMap.self, name: "held") }
      #expect(error?.isNotFound == true)
    }
  }

  @Test("deleting a pod answers with the pod; deleting what is not there is notFound")
  func podAndMissing() async throws {
    try await withFakeKube { client, _ in
      _ = try await client.create(
        Pod(metadata: ObjectMeta(name: "p"), spec: PodSpec(containers: [Container(name: "c", image: "busybox:1.37")])))
      let deletion = try await client.delete(Pod.self, name: "p")
      #expect(deletion.object?.name == "p")
      #expect(deletion.status == nil)

      let error = await #expect(throws: KubeError.self) { try await client.delete(Pod.self, name: "p") }
      #expect(error?.isNotFound == true)
      #expect(error?.code == 404)
    }
  }

  @Test("a deletion by descriptor decodes the Status from the JSON answer")
  func untypedDeletion() async throws {
    try await withFakeKube { client, _ in
      _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "cm")))
      let untyped = try await client.delete(
        ConfigMap.resource, as: JSONValue.self, name: "cm", options: DeleteOptions(gracePeriodSeconds: 0))
      #expect(untyped.status?.details?.name == "cm")
    }
  }
}
