/// The body of a detect request: `{"documents": [<any JSON value>, …]}`, or one document alone.
///
/// A body counts as a batch only when it is an object whose one key is `documents` holding an
/// array; anything else (including an object with `documents` beside other keys) is one document.
public enum DetectRequest {
  /// Each document's leaves, in request order, with paths rooted at the document.
  public static func documents(in body: some Collection<UInt8>) throws(JSONLeafError) -> [[JSONLeaf]] {
    let bytes = Array(body)
    if let elements = try batchElements(bytes) {
      var reader = JSONLeaves.Reader(bytes: bytes)
      reader.index = elements.lowerBound + 1
      var documents: [[JSONLeaf]] = []
      reader.skipWhitespace()
      if reader.current == UInt8(ascii: "]") { return [] }
      while true {
        var leaves: [JSONLeaf] = []
        var path: [FieldPath.Component] = []
        try reader.value(path: &path, depth: 1, into: &leaves)
        documents.append(leaves)
        reader.skipWhitespace()
        if reader.current == UInt8(ascii: ",") {
          reader.index += 1
          reader.skipWhitespace()
        } else {
          return documents
        }
      }
    }
    return [try JSONLeaves.of(bytes)]
  }

  /// The byte range of the `documents` array when the body is a batch, nil when it is one
  /// document; throws when the body is not JSON at all.
  static func batchElements(_ bytes: [UInt8]) throws(JSONLeafError) -> Range<Int>? {
    var reader = JSONLeaves.Reader(bytes: bytes)
    reader.skipWhitespace()
    guard reader.current == UInt8(ascii: "{") else { return nil }
    reader.index += 1
    reader.skipWhitespace()
    guard reader.current == UInt8(ascii: "\"") else { return nil }
    guard try reader.string() == "documents" else { return nil }
    reader.skipWhitespace()
    guard reader.current == UInt8(ascii: ":") else { return nil }
    reader.index += 1
    reader.skipWhitespace()
    guard reader.current == UInt8(ascii: "[") else { return nil }
    let start = reader.index
    // Check the whole array, then that nothing but the closing brace follows.
    var scratch: [JSONLeaf] = []
    var path: [FieldPath.Component] = []
    try reader.value(path: &path, depth: 0, into: &scratch)
    let end = reader.index
    reader.skipWhitespace()
    guard reader.current == UInt8(ascii: "}") else { return nil }
    reader.index += 1
    reader.skipWhitespace()
    guard reader.index == bytes.count else { throw reader.failure("unexpected data after the document") }
    return start..<end
  }
}
