import FakeKube
import Foundation
import KubeModel
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Every request FakeKube answers is recorded: in memory, over HTTP and in a file.
@Suite("Request log", .serialized)
struct RequestLogTests {
  static let configMaps = "/api/v1/namespaces/default/configmaps"

  static let configMap = """
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: logged
      namespace: default
    data:
      colour: blue

    """

  // MARK: In memory

  @Test func kubectlGetAndApplyAreRecordedWithMethodStatusAndUserAgent() async throws {
    let log = RequestLog()
    try await withFakeKube(requestLog: log) { kubectl, _ in
      var mark = log.lastSequence
      try await kubectl.succeed("get", "configmaps")
      let listed = log.entries(since: mark)
      let list = try #require(listed.last { $0.path == Self.configMaps })
      #expect(list.method == "GET")
      #expect(list.status == 200)
      #expect(list.userAgent.hasPrefix("kubectl/"), "user agent: \(list.userAgent)")
      #expect(!list.isMutating)
      #expect(!list.isWatch)
      #expect(listed.allSatisfy { !$0.isMutating })

      mark = log.lastSequence
      let file = try kubectl.file("logged.yaml", Self.configMap)
      try await kubectl.succeed("apply", "-f", file)
      let created = log.mutating(userAgentPrefix: "kubectl").filter { $0.sequence > mark }
      #expect(created.map(\.method) == ["POST"])
      #expect(created.first?.path == Self.configMaps)
      #expect(created.first?.status == 201)
      // kubectl looked for the object first and did not find it.
      #expect(
        log.entries(since: mark).contains { $0.method == "GET" && $0.path.hasSuffix("/logged") && $0.status == 404 })

      mark = log.lastSequence
      try await kubectl.succeed("apply", "-f", try kubectl.file("logged.yaml", Self.configMap + "  size: large\n"))
      let patched = log.entries(since: mark).filter(\.isMutating)
      #expect(patched.map(\.method) == ["PATCH"])
      #expect(patched.first?.path == Self.configMaps + "/logged")
      #expect(patched.first?.status == 200)

      // Applying what is there already sends no write at all.
      mark = log.lastSequence
      let unchanged = try await kubectl.succeed(
        "apply", "-f", try kubectl.file("logged.yaml", Self.configMap + "  size: large\n"))
      #expect(unchanged.contains("unchanged"))
      #expect(log.entries(since: mark).filter(\.isMutating).isEmpty)
      #expect(!log.entries(since: mark).isEmpty)

      #expect(log.mutating(userAgentPrefix: "kubectl").map(\.method) == ["POST", "PATCH"])
      #expect(log.mutating(userAgentPrefix: "sovren").isEmpty)
      #expect(log.mutating().count == 2)
      let totals = log.totals
      #expect(totals.mutating == 2)
      #expect(totals.successfulWrites == 2)
      #expect(totals.requests == log.entries.count)
      #expect(totals.errors >= 1)
    }
  }

  @Test func watchesAndDryRunsAreMarked() async throws {
    let log = RequestLog()
    try await withFakeKube(requestLog: log) { kubectl, _ in
      let mark = log.lastSequence
      let file = try kubectl.file("logged.yaml", Self.configMap)
      try await kubectl.succeed("apply", "-f", file, "--dry-run=server")
      let dryRun = try #require(log.entries(since: mark).first { $0.isMutating })
      #expect(dryRun.isDryRun)
      #expect(log.totals.successfulWrites == 0)

      _ = try await kubectl.curl(Self.configMaps + "?watch=1&timeoutSeconds=1")
      let watch = try #require(log.entries.last { $0.path == Self.configMaps && $0.isWatch })
      #expect(watch.query.contains("watch=1"))
      #expect(watch.userAgent.hasPrefix("curl/"))
      #expect(log.totals.watches == 1)
    }
  }

  @Test func theRingKeepsItsCapacityWhileTheTotalsCountEverything() {
    let log = RequestLog(capacity: 5)
    for number in 1...12 {
      log.record(
        method: number.isMultiple(of: 3) ? "DELETE" : "GET", path: "/api/v1/pods/\(number)", query: "",
        userAgent: number.isMultiple(of: 2) ? "sovren/0.1" : "kubectl/v1.32", status: number == 12 ? 500 : 200)
    }
    #expect(log.entries.map(\.sequence) == [8, 9, 10, 11, 12])
    #expect(log.entries.map(\.path).first == "/api/v1/pods/8")
    #expect(log.lastSequence == 12)
    #expect(log.entries(since: 10).map(\.sequence) == [11, 12])
    #expect(log.entries(since: 2).map(\.sequence) == [8, 9, 10, 11, 12])
    #expect(log.entries(since: 12).isEmpty)
    #expect(log.entries(since: 400).isEmpty)
    #expect(log.mutating().map(\.sequence) == [9, 12])
    #expect(log.mutating(userAgentPrefix: "sovren").map(\.sequence) == [12])
    #expect(log.entries(userAgentPrefix: "kubectl").map(\.sequence) == [9, 11])

    let totals = log.totals
    #expect(totals.requests == 12)
    #expect(totals.mutating == 4)
    #expect(totals.successfulWrites == 3)
    #expect(totals.errors == 1)
  }

  @Test func anEntryReadsBackFromItsJSON() throws {
    let log = RequestLog()
    let entry = log.record(
      method: "PATCH", path: "/apis/apps/v1/namespaces/a/deployments/b", query: "dryRun=All&fieldManager=x",
      userAgent: "sovren/0.1", status: 200)
    let line = entry.json.serialized
    let parsed = try #require(RequestLog.Entry(json: try JSONValue(parsing: Array(line.utf8))))
    #expect(parsed == entry)
    #expect(parsed.isMutating && parsed.isDryRun && !parsed.isWatch)
    #expect(RequestLog.Entry(json: ["sequence": 1]) == nil)
  }

  // MARK: Over HTTP

  @Test func theEndpointServesTheLogPagedBySequenceAndFilteredByUserAgent() async throws {
    let log = RequestLog()
    try await withFakeKube(requestLog: log) { kubectl, _ in
      try await kubectl.succeed("get", "namespaces")
      let first = try await kubectl.curl("/fakekube/requests")
      #expect(first.status == 200)
      #expect(first.headers["content-type"] == "application/json")
      let items = try #require(first.json?["items"]?.arrayValue)
      #expect(!items.isEmpty)
      #expect(items.compactMap(RequestLog.Entry.init(json:)).count == items.count)
      #expect(items.contains { $0["path"] == "/api/v1/namespaces" && $0["method"] == "GET" && $0["status"] == 200 })
      #expect(first.json?["total"]?.intValue == Int64(items.count))
      let last = try #require(first.json?["last"]?.intValue)
      #expect(last == items.last?["sequence"]?.intValue)

      try await kubectl.succeed("create", "configmap", "paged", "--from-literal=a=b")
      let since = try await kubectl.curl("/fakekube/requests?since=\(last)")
      let newer = try #require(since.json?["items"]?.arrayValue)
      // The previous read of the log is itself a request, then kubectl's.
      #expect(newer.first?["path"] == "/fakekube/requests")
      #expect(newer.allSatisfy { ($0["sequence"]?.intValue ?? 0) > last })
      #expect(newer.contains { $0["method"] == "POST" && $0["status"] == 201 })

      let kubectlOnly = try await kubectl.curl("/fakekube/requests?userAgent=kubectl&since=\(last)")
      let fromKubectl = try #require(kubectlOnly.json?["items"]?.arrayValue)
      #expect(!fromKubectl.isEmpty)
      #expect(fromKubectl.allSatisfy { $0["userAgent"]?.stringValue?.hasPrefix("kubectl") == true })

      let writes = try await kubectl.curl("/fakekube/requests?mutating=true")
      #expect(writes.json?["items"]?.arrayValue?.map { $0["method"] } == ["POST"])
      #expect(writes.json?["mutating"] == 1)

      let limited = try await kubectl.curl("/fakekube/requests?limit=2")
      let two = try #require(limited.json?["items"]?.arrayValue)
      #expect(two.map { $0["sequence"] } == [1, 2])
      #expect(limited.json?["last"] == 2)

      let bad = try await kubectl.curl("/fakekube/requests?since=yesterday")
      #expect(bad.status == 400)
      #expect(bad.json?["reason"] == "BadRequest")
      #expect(try await kubectl.curl("/fakekube/requests?limit=0").status == 400)
      let post = try await kubectl.curl("/fakekube/requests", method: "POST", body: "{}")
      #expect(post.status == 405)
    }
  }

  @Test func theEndpointNeedsTheTokenAndUnauthorizedRequestsAreRecorded() async throws {
    let log = RequestLog()
    try await withFakeKube(tls: true, token: "log-token", requestLog: log) { kubectl, _ in
      let refused = try await kubectl.curl("/fakekube/requests", authorized: false)
      #expect(refused.status == 401)
      let allowed = try await kubectl.curl("/fakekube/requests")
      #expect(allowed.status == 200)
      let items = try #require(allowed.json?["items"]?.arrayValue)
      #expect(items.contains { $0["path"] == "/fakekube/requests" && $0["status"] == 401 })
    }
  }

  @Test func requestsRefusedByInjectedFaultsAreRecordedWithTheirStatusAndTheEndpointIsNotFaulted() async throws {
    let faults = FaultInjection(seed: 7)
    let log = RequestLog()
    try await withFakeKube(faults: faults, requestLog: log) { kubectl, _ in
      faults.errorRate = 1
      #expect(try await kubectl.curl(Self.configMaps).status == 500)
      faults.errorRate = 0
      faults.throttleRate = 1
      #expect(try await kubectl.curl(Self.configMaps, method: "POST", body: "{}").status == 429)
      let answer = try await kubectl.curl("/fakekube/requests?userAgent=curl")
      #expect(answer.status == 200)
      let items = try #require(answer.json?["items"]?.arrayValue)
      #expect(items.map { $0["status"] } == [500, 429])
      #expect(items.map { $0["mutating"] } == [false, true])
      #expect(log.totals.successfulWrites == 0)
      #expect(log.totals.errors == 2)
    }
  }

  // MARK: To a file

  @Test(arguments: [false, true])
  func fakeAPIServerAppendsEveryRequestToTheRequestLogFile(throughEnvironment: Bool) async throws {
    let scratch = try Kubectl(server: "http://127.0.0.1:1")
    defer { scratch.removeFiles() }
    let kubeconfig = scratch.directory.appendingPathComponent("written-kubeconfig").path
    let logFile = scratch.directory.appendingPathComponent("requests.jsonl").path
    // An existing file is appended to, not replaced.
    try "{\"earlier\":true}\n".write(toFile: logFile, atomically: true, encoding: .utf8)
    let output = scratch.directory.appendingPathComponent("server").path
    var environment = ["PATH": "/usr/bin:/bin"]
    var arguments = ["fake-apiserver", "--port", "0", "--kubeconfig", kubeconfig]
    if throughEnvironment {
      environment["SOVREN_FAKE_APISERVER_REQUEST_LOG"] = logFile
    } else {
      arguments += ["--request-log", logFile]
    }
    let server = try ChildProcess.launch(
      try builtExecutable(named: "sovren"), arguments, stdout: output + ".out", stderr: output + ".err",
      environment: environment)
    defer { server.stop() }
    try await waitUntil(timeout: .seconds(20), "the kubeconfig to be written") {
      FileManager.default.fileExists(atPath: kubeconfig) || !server.isRunning
    }
    #expect(server.stdout.contains("request log appended to \(logFile)"), "stdout: \(server.stdout)")
    var kubectlEnvironment = scratch.environment
    kubectlEnvironment["KUBECONFIG"] = kubeconfig
    let kubectl = Kubectl(executable: scratch.executable, directory: scratch.directory, environment: kubectlEnvironment)
    try await kubectl.succeed("create", "configmap", "from-file-test", "--from-literal=a=b")

    // The line is written as the request completes, while the server still runs.
    var entries: [RequestLog.Entry] = []
    try await waitUntil(timeout: .seconds(10), "the POST in the request log file") {
      let text = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
      let lines = text.split(separator: "\n").dropFirst()
      entries = lines.compactMap { try? JSONValue(parsing: Array($0.utf8)) }.compactMap(RequestLog.Entry.init(json:))
      return entries.contains { $0.method == "POST" }
    }
    let text = try String(contentsOfFile: logFile, encoding: .utf8)
    #expect(text.hasPrefix("{\"earlier\":true}\n"))
    #expect(text.hasSuffix("\n"))
    #expect(entries.count == text.split(separator: "\n").count - 1)
    #expect(entries.map(\.sequence) == Array(1...UInt64(entries.count)))
    let created = try #require(entries.first { $0.method == "POST" })
    #expect(created.path == Self.configMaps)
    #expect(created.status == 201)
    #expect(created.isMutating)
    #expect(created.userAgent.hasPrefix("kubectl/"))

    kill(server.pid, SIGTERM)
    #expect(try await server.waitForExit(timeout: .seconds(10)) == 0)
  }

  @Test func aRequestLogFileThatCannotBeOpenedStopsStartUpNamingTheOption() async throws {
    let scratch = try Kubectl(server: "http://127.0.0.1:1")
    defer { scratch.removeFiles() }
    let output = scratch.directory.appendingPathComponent("server").path
    let missing = scratch.directory.appendingPathComponent("no-such-directory/requests.jsonl").path
    let server = try ChildProcess.launch(
      try builtExecutable(named: "sovren"), ["fake-apiserver", "--port", "0", "--request-log", missing],
      stdout: output + ".out", stderr: output + ".err", environment: ["PATH": "/usr/bin:/bin"])
    defer { server.stop() }
    #expect(try await server.waitForExit(timeout: .seconds(20)) != 0)
    #expect(server.stderr.contains("--request-log"), "stderr: \(server.stderr)")
    #expect(server.stderr.contains(missing), "stderr: \(server.stderr)")
  }

  @Test func theFileWriterAppendsOneLinePerEntry() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("request-log-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("log.jsonl").path
    let file = try RequestLogFile(path: path)
    let log = RequestLog(capacity: 2) { file.append($0) }
    for number in 1...5 {
      log.record(method: "GET", path: "/api/v1/pods/\(number)", query: "", userAgent: "test", status: 200)
    }
    file.close()
    log.record(method: "GET", path: "/after-close", query: "", userAgent: "test", status: 200)
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    let entries = try lines.map { try #require(RequestLog.Entry(json: try JSONValue(parsing: Array($0.utf8)))) }
    // The file keeps what the ring dropped, and nothing after close.
    #expect(entries.map(\.sequence) == [1, 2, 3, 4, 5])
    #expect(file.failedWrites.count == 0)
    #expect(throws: RequestLogFile.OpenError.self) { try RequestLogFile(path: directory.path + "/missing/log.jsonl") }
  }
}
