/// The body of a detect request: `{"documents": [<any JSON value>, …]}`, or one document alone.
///
/// A body counts as a batch only when it is an object whose one key is `documents` holding an
/// array; anything else (including an object with `documents` beside other keys) is one document.
public enum DetectRequest {
  /// Each document's leaves, in request order, with paths rooted at the document.
  public static func documents(in body: some Collection<UInt8>) throws(JSONLeafError) -> [[JSONLeaf]] {
    try tables(in: body).map(\.jsonLeaves)
  }

  /// Each document's leaves as a table, in request order: what the detector reads.
  public static func tables(in body: some Collection<UInt8>) throws(JSONLeafError) -> [JSONLeafTable] {
    let read = body.withContiguousStorageIfAvailable(tables(in:))
    return try (read ?? Array(body).withUnsafeBufferPointer(tables(in:))).get()
  }

  static func tables(in bytes: UnsafeBufferPointer<UInt8>) -> Result<[JSONLeafTable], JSONLeafError> {
    Result { () throws(JSONLeafError) in
      if let documents = try batch(bytes) { return documents }
      return [try JSONLeaves.table(in: bytes).get()]
    }
  }

  /// The documents of a batch body, each read once as it is met; nil when the body is not a batch
  /// (then it is read again as one document). Throws when the body is not JSON at all.
  static func batch(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONLeafError) -> [JSONLeafTable]? {
    var reader = try JSONLeaves.Reader(bytes: bytes)
    reader.skipWhitespace()
    guard reader.current == UInt8(ascii: "{") else { return nil }
    reader.index += 1
    reader.skipWhitespace()
    guard reader.current == UInt8(ascii: "\"") else { return nil }
    guard try reader.stringValue() == "documents" else { return nil }
    reader.skipWhitespace()
    guard reader.current == UInt8(ascii: ":") else { return nil }
    reader.index += 1
    reader.skipWhitespace()
    guard reader.current == UInt8(ascii: "[") else { return nil }
    reader.index += 1
    reader.skipWhitespace()
    var documents: [JSONLeafTable] = []
    if reader.current == UInt8(ascii: "]") {
      reader.index += 1
    } else {
      elements: while true {
        // Object numbers go on counting across documents; each document gets a table of its own.
        reader.startTable()
        try reader.value(depth: 1, node: 0)
        documents.append(reader.finishTable())
        reader.skipWhitespace()
        switch reader.current {
        case UInt8(ascii: ",")?:
          reader.index += 1
          reader.skipWhitespace()
        case UInt8(ascii: "]")?:
          reader.index += 1
          break elements
        default:
          throw reader.failure("expected ',' or ']' in an array")
        }
      }
    }
    // Only `documents` may be in the object: with other keys beside it, the body is one document.
    reader.skipWhitespace()
    guard reader.current == UInt8(ascii: "}") else { return nil }
    reader.index += 1
    reader.skipWhitespace()
    guard reader.index == bytes.count else { throw reader.failure("unexpected data after the document") }
    return documents
  }
}
