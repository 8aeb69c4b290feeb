import Foundation
import KubeModel
import TestSupport
import Testing

@testable import FakeKube

@Suite("Table output")
struct TableTests {
  let pods: ResourceType

  init() throws {
    pods = try #require(ResourceType.builtIn.first { $0.kind == "Pod" })
  }

  let pod: JSONValue = [
    "metadata": ["name": "web-1", "creationTimestamp": "2026-01-01T00:00:00Z"],
    "spec": ["containers": [["name": "a"], ["name": "b"]]],
    "status": [
      "phase": "Running",
      "containerStatuses": [
        ["ready": true, "restartCount": 2, "state": ["running": [:]]],
        ["ready": false, "restartCount": 1, "state": ["running": [:]]],
      ],
    ],
  ]

  @Test func podsShowReadyStatusRestartsAndAge() throws {
    let now = try Date("2026-01-01T00:03:10Z", strategy: .iso8601)
    let table = Tables.table(pods, objects: [pod], resourceVersion: 7, include: .none, now: now)
    let names = table["columnDefinitions"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
    #expect(
      names == ["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"])
    #expect(
      table[path: ["rows"]]?.arrayValue?.first?["cells"]
        == ["web-1", "1/2", "Running", "3", "3m10s", "<none>", "<none>", "<none>", "<none>"])
    #expect(table[path: ["rows"]]?.arrayValue?.first?["object"] == nil)
    #expect(table[path: ["metadata", "resourceVersion"]] == "7")
  }

  @Test func eventsShowWhatHappenedToWhichObject() throws {
    let events = try #require(ResourceType.builtIn.first { $0.kind == "Event" })
    let event: JSONValue = [
      "metadata": ["name": "sample.1a2b", "creationTimestamp": "2026-01-01T00:00:00Z"],
      "involvedObject": ["kind": "SovrenSensor", "name": "sample"], "type": "Normal", "reason": "Created",
      "message": "Created DaemonSet sample-interceptor.", "source": ["component": "sovren-operator"],
      "firstTimestamp": "2026-01-01T00:00:00Z", "lastTimestamp": "2026-01-01T00:01:00Z", "count": 2,
    ]
    let now = try Date("2026-01-01T00:01:30Z", strategy: .iso8601)
    let table = Tables.table(events, objects: [event], resourceVersion: 3, include: .none, now: now)
    let names = table["columnDefinitions"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
    #expect(
      names == [
        "Last Seen", "Type", "Reason", "Object", "Message", "Subobject", "Source", "First Seen", "Count", "Name",
      ])
    #expect(
      table[path: ["rows"]]?.arrayValue?.first?["cells"]
        == [
          "30s", "Normal", "Created", "sovrensensor/sample", "Created DaemonSet sample-interceptor.", "",
          "sovren-operator", "90s", 2, "sample.1a2b",
        ])
  }

  @Test func includeObjectChoosesWhatEachRowCarries() {
    let metadata = Tables.table(pods, objects: [pod], resourceVersion: 1, include: .metadata, now: Date())
    let partial = metadata["rows"]?.arrayValue?.first?["object"]
    #expect(partial?["kind"] == "PartialObjectMetadata" && partial?[path: ["metadata", "name"]] == "web-1")
    #expect(partial?["spec"] == nil)
    let full = Tables.table(pods, objects: [pod], resourceVersion: 1, include: .object, now: Date())
    #expect(full["rows"]?.arrayValue?.first?["object"] == pod)
  }

  static let ages: [(seconds: Double, text: String)] = [
    (5, "5s"), (119, "119s"), (125, "2m5s"), (3600, "60m"), (4 * 3600 + 60, "4h1m"), (30 * 3600, "30h"),
    (3 * 86400 + 3600, "3d1h"), (100 * 86400, "100d"), (800 * 86400, "2y"),
  ]

  @Test(arguments: ages)
  func agesReadAsKubectlShowsThem(seconds: Double, text: String) {
    #expect(Tables.humanDuration(seconds) == text)
  }

  @Test func acceptHeadersAreRecognised() {
    #expect(Tables.wantsTable("application/json;as=Table;v=v1;g=meta.k8s.io,application/json"))
    #expect(!Tables.wantsTable("application/json"))
    #expect(
      Discovery.wantsAggregated(
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"))
    #expect(!Discovery.wantsAggregated("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"))
  }
}
