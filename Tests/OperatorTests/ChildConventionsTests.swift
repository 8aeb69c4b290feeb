import KubeModel
import Operator
import Testing

/// What every child shares whatever its role: labels, ownership, selectors, the production
/// defaults of its pods, no empty or null fields, and its applied hash.
@Suite struct ChildConventionsTests {
  static let sensors: [SovrenSensor] = [SensorFixtures.sensor(), SensorFixtures.sample]

  @Test(arguments: sensors)
  func namespacedChildrenAreOwnedAndClusterScopedOnesLabelled(sensor: SovrenSensor) throws {
    let owner: JSONValue = [
      "apiVersion": "sovren.io/v1alpha1", "kind": "SovrenSensor", "name": "edge", "uid": .string(SensorFixtures.uid),
      "controller": true, "blockOwnerDeletion": true,
    ]
    for child in DesiredState.children(of: sensor) {
      let metadata = try #require(child.object["metadata"])
      let labels = metadata["labels"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
      let expected = SensorLayout.labels(
        sensor: NamespacedName(namespace: "sovren", name: "edge"), component: child.component)
      #expect(expected.allSatisfy { labels[$0.key] == $0.value }, "\(child.kind) \(child.name)")
      if child.kind.namespaced {
        #expect(child.namespace == "sovren")
        #expect(metadata["ownerReferences"] == [owner], "\(child.kind) \(child.name)")
        #expect(labels[SensorLayout.sensorNamespaceLabel] == nil)
      } else {
        #expect(metadata["namespace"] == nil)
        #expect(metadata["ownerReferences"] == nil, "\(child.kind) \(child.name)")
        #expect(labels[SensorLayout.sensorNamespaceLabel] == "sovren")
      }
      #expect(SensorLayout.owningSensor(of: child.object) == NamespacedName(namespace: "sovren", name: "edge"))
    }
  }

  @Test(arguments: sensors)
  func workloadsSelectTheirPodsByTheSelectorLabelsOnly(sensor: SovrenSensor) throws {
    let name = NamespacedName(namespace: "sovren", name: "edge")
    for child in DesiredState.children(of: sensor).workloads {
      let selector = SensorLayout.selectorLabels(sensor: name, component: child.component)
      #expect(
        child.object[path: ["spec", "selector"]] == ["matchLabels": .object(selector.mapValues(JSONValue.string))])
      #expect(
        child.object[path: ["spec", "template", "metadata", "labels"]]
          == .object(SensorLayout.labels(sensor: name, component: child.component).mapValues(JSONValue.string)))
    }
    for service in DesiredState.children(of: sensor).filter({ $0.kind == .service }) {
      let selector = SensorLayout.selectorLabels(sensor: name, component: service.component)
      #expect(service.object[path: ["spec", "selector"]] == .object(selector.mapValues(JSONValue.string)))
    }
  }

  @Test(arguments: sensors)
  func podsGetProductionDefaults(sensor: SovrenSensor) throws {
    let workloads = DesiredState.children(of: sensor).workloads
    #expect(workloads.count >= 4)
    for child in workloads {
      let pod = try #require(child.object.podSpec)
      #expect(pod[path: ["securityContext", "seccompProfile", "type"]] == "RuntimeDefault", "\(child.name)")
      // Capture needs root for its capabilities to be effective; every other role runs as another user.
      let nonRoot: JSONValue = child.component == .interceptor ? false : true
      #expect(pod[path: ["securityContext", "runAsNonRoot"]] == nonRoot, "\(child.name)")
      for container in pod["containers"]?.arrayValue ?? [] {
        #expect(container["imagePullPolicy"] == "IfNotPresent", "\(child.name)")
        let security = try #require(container["securityContext"])
        #expect(security["allowPrivilegeEscalation"] == false, "\(child.name)")
        #expect(security[path: ["capabilities", "drop"]] == ["ALL"], "\(child.name)")
        #expect(security["privileged"] == nil, "\(child.name)")
        // The Kafka image writes its configuration at start.
        let readOnly: JSONValue = child.component == .kafka ? false : true
        #expect(security["readOnlyRootFilesystem"] == readOnly, "\(child.name)")
        #expect(container["readinessProbe"] != nil && container["livenessProbe"] != nil, "\(child.name)")
        if child.component != .kafka {
          #expect(container["image"] == .string(sensor.spec.image), "\(child.name)")
          #expect(container["args"]?.arrayValue?.first == .string(child.component.rawValue), "\(child.name)")
        }
      }
    }
  }

  /// Fields the server would drop (nulls, empty maps and lists) make an applied object read back
  /// differently; an emptyDir is the one empty object that means something.
  @Test(arguments: sensors)
  func childrenSetNoNullsAndNoEmptyValues(sensor: SovrenSensor) {
    func emptyPlaces(_ value: JSONValue, _ path: String) -> [String] {
      switch value {
      case .null: return [path]
      case .object(let members):
        if members.isEmpty, !path.hasSuffix(".emptyDir") { return [path] }
        return members.flatMap { emptyPlaces($0.value, "\(path).\($0.key)") }
      case .array(let elements):
        if elements.isEmpty { return [path] }
        return elements.enumerated().flatMap { emptyPlaces($0.element, "\(path)[\($0.offset)]") }
      default: return []
      }
    }
    for child in DesiredState.children(of: sensor) where child.kind != .serviceAccount {
      #expect(emptyPlaces(child.object, "").isEmpty, "\(child.kind) \(child.name): \(emptyPlaces(child.object, ""))")
    }
  }

  @Test func everyChildCarriesAStableHashOfItself() throws {
    let first = DesiredState.children(of: SensorFixtures.sample)
    let second = DesiredState.children(of: SensorFixtures.sample)
    #expect(first == second)
    var hashes: Set<String> = []
    for child in first {
      let hash = try #require(
        child.object[path: ["metadata", "annotations", SensorLayout.appliedHashAnnotation]]?.stringValue)
      #expect(hash.count == 16 && hash.allSatisfy(\.isHexDigit))
      hashes.insert(hash)
    }
    #expect(hashes.count == first.count)

    // A change to the spec changes the hash of exactly the children it reaches.
    var spec = SensorFixtures.sampleSpec
    spec.detector.replicas = 4
    let changed = DesiredState.children(of: SensorFixtures.sensor(spec))
    let hash = { (child: DesiredChild) in
      child.object[path: ["metadata", "annotations", SensorLayout.appliedHashAnnotation]]
    }
    let differing = zip(first, changed).filter { hash($0) != hash($1) }.map { $0.0.name }
    #expect(differing == ["edge-detector"])
  }

  @Test func theDefaultSensorSpecHasTheEmbeddedKafkaImageDefault() {
    #expect(SovrenSensor.Spec(image: "x").kafka.embedded?.image == "apache/kafka:3.9.1")
  }
}
