import Dispatch
import Synchronization
import Testing

@testable import Detection

/// The key-context cache: a document's pairs of keys looked up from its leaf table's bytes give
/// the same contexts as looked up by name, once per pair, within the cache's bound.
@Suite struct KeyContextCacheTests {
  /// Each leaf's context by keys as strings: what the table lookup must agree with.
  func expectedKeys(_ document: String) throws -> [(last: String?, parent: String?)] {
    try JSONLeaves.of(Array(document.utf8)).map { leaf in
      let keys = leaf.path.keys
      return (keys.last, keys.count >= 2 ? keys[keys.count - 2] : nil)
    }
  }

  @Test(arguments: [
    #"{"user":{"name":"Jane","email":"j@x.org","address":{"city":"Oslo","name":"home"}}}"#,
    #"{"items":[{"id":1,"name":"a"},{"name":"b","id":2}],"name":"list","tags":["x","y"]}"#,
    #"[{"a":{"b":[[{"c":1}]]}},"top",3]"#,
    #"{"a":1,"a":2,"é\u00e9":"x","":{"":""},"k\"q":{"k\"q":null}}"#,
    #""just a string""#,
  ])
  func tableLookupsAgreeWithLookupsByName(_ document: String) throws {
    let cache = KeyContextCache()
    let table = try JSONLeaves.table(of: Array(document.utf8))
    let contexts = cache.contexts(of: table)
    let expected = try expectedKeys(document)
    #expect(table.leaves.count == expected.count)
    for (index, keys) in expected.enumerated() {
      let context = contexts.of(index)
      #expect(context.lastKey == keys.last && context.parentKey == keys.parent, "leaf \(index)")
      // The same pair by name is the very same context: analysed once.
      #expect(context === cache.context(lastKey: keys.last, parentKey: keys.parent))
    }
    // Looked up again, a document finds what the first lookup remembered.
    let again = cache.contexts(of: table)
    for index in expected.indices { #expect(again.of(index) === contexts.of(index)) }
  }

  @Test func aPairMetTwiceInADocumentIsOneContext() throws {
    let cache = KeyContextCache()
    let table = try JSONLeaves.table(
      of: Array(#"{"x":{"id":1},"y":{"id":2},"z":{"a":{"id":3}},"w":{"a":{"id":4}}}"#.utf8))
    let contexts = cache.contexts(of: table)
    #expect(contexts.of(0) !== contexts.of(1))  // id under x, id under y
    #expect(contexts.of(2) === contexts.of(3))  // id under a, twice
    #expect(contexts.haveSameLastKey(0, 1))
    #expect(cache.count == 3)
  }

  @Test func leavesAreToldApartByTheirLastKeysBytes() throws {
    let table = try JSONLeaves.table(of: Array(#"{"a":{"id":1,"name":"x"},"b":{"id":2},"ids":3}"#.utf8))
    let contexts = KeyContextCache().contexts(of: table)
    #expect(contexts.haveSameLastKey(0, 2))  // id under a, id under b
    #expect(!contexts.haveSameLastKey(0, 1))  // id, name
    #expect(!contexts.haveSameLastKey(0, 3))  // id, ids
    #expect(!contexts.haveSameLastKey(1, 2))
  }

  @Test func growsPastItsFirstSlotsAndStaysWithinItsBound() throws {
    let cache = KeyContextCache(capacity: 20_000)
    let keys = (0..<10_000).map { "key\($0)" }
    let document = "{" + keys.map { "\"\($0)\":1" }.joined(separator: ",") + "}"
    let table = try JSONLeaves.table(of: Array(document.utf8))
    let first = cache.contexts(of: table)
    #expect(cache.count == keys.count)
    let second = cache.contexts(of: table)
    for index in keys.indices {
      #expect(first.of(index).lastKey == keys[index])
      #expect(second.of(index) === first.of(index))
    }

    // Past its capacity the cache starts afresh: never more than the bound, answers still right.
    let small = KeyContextCache(capacity: 100)
    let answers = small.contexts(of: table)
    #expect(small.count <= 100)
    for index in keys.indices { #expect(answers.of(index).lastKey == keys[index]) }
  }

  /// Long keys count against the cache's byte budget: past it the cache starts afresh, and the
  /// answers stay right.
  @Test func longKeysStayWithinTheByteBudget() throws {
    let cache = KeyContextCache(keyByteBudget: 64 << 10)
    for part in 0..<8 {
      let keys = (0..<20).map { "k\(part)_\($0)_" + String(repeating: "x", count: 2_000) }
      let document = "{" + keys.map { "\"\($0)\":1" }.joined(separator: ",") + "}"
      let contexts = cache.contexts(of: try JSONLeaves.table(of: Array(document.utf8)))
      for index in keys.indices { #expect(contexts.of(index).lastKey == keys[index]) }
      // 20 keys of about 2 KB a document: never more than one budget and one document's keys.
      #expect(cache.count <= 40)
    }
  }

  @Test func threadsShareOneCache() throws {
    let cache = KeyContextCache(capacity: 300)
    let documents = try (0..<8).map { part in
      let keys = (0..<200).map { "k\(($0 * 7 + part * 31) % 500)" }
      let document = "{\"p\":{" + keys.map { "\"\($0)\":\"v\"" }.joined(separator: ",") + "}}"
      return (keys, try JSONLeaves.table(of: Array(document.utf8)))
    }
    let wrong = Mutex(0)
    DispatchQueue.concurrentPerform(iterations: 64) { iteration in
      let (keys, table) = documents[iteration % documents.count]
      let contexts = cache.contexts(of: table)
      let mismatches = keys.indices.filter { contexts.of($0).lastKey != keys[$0] || contexts.of($0).parentKey != "p" }
      wrong.withLock { $0 += mismatches.count }
    }
    #expect(wrong.withLock { $0 } == 0)
    #expect(cache.count <= 300)
  }
}
