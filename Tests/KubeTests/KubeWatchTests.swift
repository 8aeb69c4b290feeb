import Foundation
import KubeModel
import NIOCore
import Testing

@testable import Kube

/// The next event that is not a bookmark, or nil when the stream ends.
func nextChange<Object>(_ iterator: inout WatchEvents<Object>.Iterator) async throws -> WatchEvent<Object>? {
  while let event = try await iterator.next() {
    if case .bookmark = event { continue }
    return event
  }
  return nil
}

/// `ADDED a`, for comparing event sequences.
func summary(_ event: WatchEvent<ConfigMap>?) -> String {
  guard let event else { return "end" }
  return "\(event.type) \(event.object?.name ?? "")"
}

/// Watches against FakeKube. Each watch asks the server to end it after a few seconds, so a test
/// whose event never comes fails instead of hanging.
@Suite("Kube client watches against FakeKube")
struct KubeWatchTests {
  static let safety = 15

  @Test("current objects come first, then the changes made while watching, in order")
  func eventsInOrder() async throws {
    try await withFakeKube { client, _ in
      _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "a")))
      _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "b")))
      var events = try await client.watch(ConfigMap.self, options: WatchOptions(timeoutSeconds: Self.safety))
        .makeAsyncIterator()
      #expect(summary(try await nextChange(&events)) == "ADDED a")
      #expect(summary(try await nextChange(&events)) == "ADDED b")

      _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "c")))
      _ = try await client.patch(ConfigMap.self, name: "a", .merge(["data": ["k": "v"]]))
      _ = try await client.delete(ConfigMap.self, name: "b")
      #expect(summary(try await nextChange(&events)) == "ADDED c")
      let modified = try await nextChange(&events)
      #expect(summary(modified) == "MODIFIED a")
      #expect(modified?.object?.data == ["k": "v"])
      #expect(summary(try await nextChange(&events)) == "DELETED b")
    }
  }

  @Test("a watch from a list's resourceVersion sees only what changed after the list")
  func fromResourceVersion() async throws {
    try await withFakeKube { client, _ in
      _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "before")))
      let list = try await client.list(ConfigMap.self)
      _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "after")))
      var events = try await client.watch(
        ConfigMap.self,
        options: WatchOptions(resourceVersion: list.metadata.resourceVersion, timeoutSeconds: Self.safety)
      ).makeAsyncIterator()
      let event = try await nextChange(&events)
      #expect(summary(event) == "ADDED after")
      #expect(event?.object?.metadata.resourceVersion != list.metadata.resourceVersion)
    }
  }

  @Test("timeoutSeconds ends the stream")
  func timeoutEndsStream() async throws {
    try await withFakeKube { client, _ in
      let count = try await within(.seconds(30), "the watch to end") {
        var count = 0
        for try await _ in try await client.watch(
          ConfigMap.self, options: WatchOptions(allowWatchBookmarks: false, timeoutSeconds: 1))
        {
          count += 1
        }
        return count
      }
      #expect(count == 0)
    }
  }

  @Test("a resourceVersion older than the server's history is an ERROR event, thrown as gone")
  func gone() async throws {
    try await withFakeKube(historyLimit: 2) { client, _ in
      for index in 0..<5 { _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "m\(index)"))) }
      var events = try await client.watch(
        ConfigMap.self, options: WatchOptions(resourceVersion: "1", timeoutSeconds: Self.safety)
      ).makeAsyncIterator()
      let error = await #expect(throws: KubeError.self) { _ = try await events.next() }
      #expect(error?.isGone == true)
      #expect(error?.code == 410)
      #expect(error?.reason == "Expired")
      #expect(error?.message.contains("too old resource version") == true)
      // The stream is over after its error.
      #expect(try await events.next() == nil)
    }
  }

  @Test("bookmarks carry a resourceVersion to resume from")
  func bookmarks() async throws {
    try await withFakeKube(bookmarkInterval: .milliseconds(200)) { client, _ in
      let list = try await client.list(ConfigMap.self)
      var events = try await client.watch(
        ConfigMap.self,
        options: WatchOptions(
          resourceVersion: list.metadata.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: Self.safety)
      ).makeAsyncIterator()
      let event = try await events.next()
      guard case .bookmark(let bookmark) = event else {
        Issue.record("expected a bookmark, got \(String(describing: event))")
        return
      }
      #expect(bookmark.resourceVersion == list.metadata.resourceVersion)
      #expect(event?.object == nil)
    }
  }

  @Test("an event larger than one chunk arrives whole; one over the limit fails the stream")
  func largeEvents() async throws {
    try await withFakeKube { client, _ in
      let big = String(repeating: "0123456789", count: 30_000)
      _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "big"), data: ["blob": big]))
      var events = try await client.watch(ConfigMap.self, options: WatchOptions(timeoutSeconds: Self.safety))
        .makeAsyncIterator()
      let event = try await nextChange(&events)
      #expect(event?.object?.data?["blob"] == big)

      var limited = try await client.watch(
        ConfigMap.self, options: WatchOptions(timeoutSeconds: Self.safety, maximumEventSize: 64 * 1024)
      ).makeAsyncIterator()
      let error = await #expect(throws: KubeError.self) { _ = try await limited.next() }
      #expect(error?.kind == .responseTooLarge)
    }
  }

  @Test("selectors narrow the watch; unstructured objects watch through a descriptor")
  func selectorsAndDescriptors() async throws {
    try await withFakeKube { client, _ in
      _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "web", labels: ["app": "web"])))
      _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "db", labels: ["app": "db"])))
      var events = try await client.watch(
        ConfigMap.resource, as: JSONValue.self, namespace: KubeClient.allNamespaces,
        options: WatchOptions(labelSelector: "app=db", allowWatchBookmarks: false, timeoutSeconds: Self.safety)
      ).makeAsyncIterator()
      let first = try await events.next()
      #expect(first?.type == "ADDED")
      #expect(first?.object?[path: ["metadata", "name"]] == "db")
      _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "web2", labels: ["app": "web"])))
      _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "db2", labels: ["app": "db"])))
      let second = try await events.next()
      #expect(second?.object?[path: ["metadata", "name"]] == "db2")
    }
  }

  @Test("a refused watch throws before any event")
  func refused() async throws {
    try await withFakeKube { client, _ in
      let error = await #expect(throws: KubeError.self) {
        _ = try await client.watch(ConfigMap.self, options: WatchOptions(labelSelector: "=nokey"))
      }
      #expect(error?.kind == .badRequest)
    }
  }

  @Test("leaving a watch early frees the client for other requests")
  func stopEarly() async throws {
    try await withFakeKube { client, _ in
      _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "a")))
      for _ in 0..<3 {
        for try await event in try await client.watch(ConfigMap.self) {
          #expect(event.object?.name == "a")
          break
        }
      }
      #expect(try await client.list(ConfigMap.self).items.count == 1)
    }
  }
}

/// Watch streams shaped by the test, and the requests the watch sends.
@Suite("Kube client watch streams from canned answers")
struct CannedWatchTests {
  @Test("events split anywhere across chunks, blank lines and a last line without newline")
  func chunking() async throws {
    let pieces = [
      #"{"type":"ADD"#,
      #"ED","object":{"metadata":{"name":"a","resourceVersion":"1"}}}"# + "\n" + #"{"type":"MODIFIED","obj"#,
      #"ect":{"metadata":{"name":"a","resourceVersion":"2"}}}"# + "\n\n\r\n",
      #"{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9","annotations":"#,
      #"{"k8s.io/initial-events-end":"true"}}}}"#,
    ]
    try await withCannedServer(answer: { _ in .chunks(pieces) }) { client, server in
      var seen: [WatchEvent<ConfigMap>] = []
      for try await event in try await client.watch(
        ConfigMap.self, namespace: "shop",
        options: WatchOptions(
          resourceVersion: "7", labelSelector: "app=web", fieldSelector: "metadata.name=a", timeoutSeconds: 30))
      {
        seen.append(event)
      }
      #expect(seen.map(\.type) == ["ADDED", "MODIFIED", "BOOKMARK"])
      #expect(seen[1].object?.metadata.resourceVersion == "2")
      guard case .bookmark(let bookmark) = seen.last else {
        Issue.record("expected a bookmark last")
        return
      }
      #expect(bookmark.resourceVersion == "9")
      #expect(bookmark.isInitialEventsEnd)

      let request = try #require(server.requests.first)
      #expect(request.method == "GET")
      #expect(request.path == "/api/v1/namespaces/shop/configmaps")
      #expect(
        request.query == [
          "watch": "true", "resourceVersion": "7", "labelSelector": "app=web",
          "fieldSelector": "metadata.name=a", "allowWatchBookmarks": "true", "timeoutSeconds": "30",
        ])
    }
  }

  @Test("an ERROR event's Status is thrown as its kind")
  func errorEvent() async throws {
    let line =
      #"{"type":"ERROR","object":{"kind":"Status","status":"Failure","message":"etcd is sad","#
      + #""reason":"InternalError","code":500}}"# + "\n"
    try await withCannedServer(answer: { _ in .chunks([line]) }) { client, _ in
      var events = try await client.watch(Pod.self).makeAsyncIterator()
      let error = await #expect(throws: KubeError.self) { _ = try await events.next() }
      #expect(error?.kind == .serverError)
      #expect(error?.message == "etcd is sad")
    }
  }

  @Test("a line that is not an event is a decoding error")
  func garbage() async throws {
    try await withCannedServer(answer: { _ in .chunks([#"{"type":"SURPRISE","object":{}}"# + "\n"]) }) { client, _ in
      var events = try await client.watch(Pod.self).makeAsyncIterator()
      let error = await #expect(throws: KubeError.self) { _ = try await events.next() }
      #expect(error?.kind == .decoding)
    }
  }

  @Test("a status other than 200 is thrown from watch itself")
  func forbidden() async throws {
    try await withCannedServer(answer: { _ in
      CannedServer.status(code: 403, reason: "Forbidden", message: "pods is forbidden")
    }) { client, _ in
      let error = await #expect(throws: KubeError.self) { _ = try await client.watch(Pod.self) }
      #expect(error?.isForbidden == true)
      #expect(error?.message == "pods is forbidden")
    }
  }
}

@Suite("Watch line splitting")
struct LineSplitterTests {
  static let stream = Array("{\"a\":1}\n\n{\"b\":\"two\"}\r\n  \n{\"c\":[3,3,3]}\n{\"d\":4}".utf8)
  static let lines = [#"{"a":1}"#, #"{"b":"two"}"# + "\r", #"{"c":[3,3,3]}"#, #"{"d":4}"#]

  func split(_ bytes: [UInt8], chunkSize: Int, limit: Int = 1000) throws -> [String] {
    var splitter = LineSplitter(maximumLineSize: limit)
    var lines: [String] = []
    var offset = 0
    while offset < bytes.count {
      let end = min(offset + chunkSize, bytes.count)
      splitter.append(ByteBuffer(bytes: bytes[offset..<end]))
      offset = end
      while let line = try splitter.nextLine() { lines.append(String(decoding: line, as: UTF8.self)) }
    }
    if let last = try splitter.finish() { lines.append(String(decoding: last, as: UTF8.self)) }
    return lines
  }

  @Test("every chunk size gives the same lines", arguments: 1...20)
  func chunkSizes(_ size: Int) throws {
    #expect(try split(Self.stream, chunkSize: size) == Self.lines)
  }

  @Test("a line over the limit fails whether complete or not")
  func limit() throws {
    #expect(throws: KubeError.self) { try split(Self.stream, chunkSize: 3, limit: 10) }
    #expect(throws: KubeError.self) {
      try split(Array(repeating: UInt8(ascii: "x"), count: 50), chunkSize: 7, limit: 20)
    }
    #expect(try split(Self.stream, chunkSize: 64, limit: 13) == Self.lines)
  }
}
