import AsyncHTTPClient
import Foundation
import KubeModel
import NIOCore

/// The low-level watch: one `GET …?watch=true` and its stream of events. It does not list first,
/// resume, back off or relist on 410; a watcher built on it does (keep the last resourceVersion
/// seen, from objects and bookmarks; on `isGone`, list again).
extension KubeClient {
  /// Starts a watch and returns its events once the server has accepted it.
  ///
  /// The HTTP status is checked before anything is returned: a refusal (403, 404, a bad
  /// selector, …) is thrown here as a `KubeError`. The stream ends normally when the server ends
  /// the watch (after `timeoutSeconds`, or when it restarts); an `ERROR` event (such as 410
  /// `Expired` for a resourceVersion the server no longer has) is thrown from the iteration as the
  /// `KubeError` its Status describes. Stop early by leaving the loop or cancelling the task: the
  /// connection is closed.
  ///
  /// ```swift
  /// let events = try await client.watch(Pod.self, options: WatchOptions(resourceVersion: list.metadata.resourceVersion))
  /// for try await event in events {
  ///   switch event {
  ///   case .added(let pod), .modified(let pod): cache[pod.name] = pod
  ///   case .deleted(let pod): cache[pod.name] = nil
  ///   case .bookmark(let bookmark): resumeFrom = bookmark.resourceVersion
  ///   }
  /// }
  /// ```
  ///
  /// - Parameter namespace: nil for the client's namespace, `KubeClient.allNamespaces` for all.
  public func watch<Object: Decodable & Sendable>(
    _ resource: ResourceDescriptor, as type: Object.Type, namespace: String? = nil,
    options: WatchOptions = WatchOptions()
  ) async throws(KubeError) -> WatchEvents<Object> {
    let request = APIRequest(
      method: .GET, path: collectionPath(resource, namespace: namespace), query: options.query)
    let response = try await openStream(request)
    return WatchEvents(
      body: response.body, maximumEventSize: max(1, options.maximumEventSize), request: request.summary)
  }
}

/// One change a watch reports.
public enum WatchEvent<Object: Sendable>: Sendable {
  case added(Object)
  case modified(Object)
  /// The object as it was last, with the resourceVersion of its deletion.
  case deleted(Object)
  /// No change: only a newer resourceVersion to resume from.
  case bookmark(Bookmark)

  /// `ADDED`, `MODIFIED`, `DELETED` or `BOOKMARK`, as on the wire.
  public var type: String {
    switch self {
    case .added: "ADDED"
    case .modified: "MODIFIED"
    case .deleted: "DELETED"
    case .bookmark: "BOOKMARK"
    }
  }

  /// The object, for every event but a bookmark.
  public var object: Object? {
    switch self {
    case .added(let object), .modified(let object), .deleted(let object): object
    case .bookmark: nil
    }
  }
}

extension WatchEvent: Equatable where Object: Equatable {}

/// What a `BOOKMARK` event carries.
public struct Bookmark: Sendable, Hashable {
  public var resourceVersion: String
  public var annotations: [String: String]

  public init(resourceVersion: String, annotations: [String: String] = [:]) {
    self.resourceVersion = resourceVersion
    self.annotations = annotations
  }

  /// Set on the bookmark that ends the initial `ADDED` events of a watch that asked for them
  /// (`sendInitialEvents`).
  public var isInitialEventsEnd: Bool { annotations["k8s.io/initial-events-end"] == "true" }
}

/// The events of one watch, in the order the server sent them.
///
/// The body is a stream of JSON documents, one per line; chunk boundaries mean nothing, so an
/// event may arrive in many chunks and a chunk may hold many events. Lines are buffered up to
/// `maximumEventSize` bytes. Iteration throws only `KubeError`s: an `ERROR` event, a line
/// that is not an event (`decoding`), a line over the limit (`responseTooLarge`), a broken
/// connection (`transport`) or cancellation (`cancelled`). After an error the sequence ends.
///
/// Iterate it once.
public struct WatchEvents<Object: Decodable & Sendable>: AsyncSequence, Sendable {
  public typealias Element = WatchEvent<Object>

  let body: HTTPClientResponse.Body
  let maximumEventSize: Int
  let request: String

  public func makeAsyncIterator() -> Iterator {
    Iterator(
      body: body.makeAsyncIterator(), splitter: LineSplitter(maximumLineSize: maximumEventSize), request: request)
  }

  public struct Iterator: AsyncIteratorProtocol {
    var body: HTTPClientResponse.Body.AsyncIterator
    var splitter: LineSplitter
    let request: String
    var finished = false

    public mutating func next() async throws -> WatchEvent<Object>? {
      while !finished {
        do {
          if let line = try splitter.nextLine() {
            return try WatchEventDecoding.decode(Object.self, line: line, request: request)
          }
          if let chunk = try await body.next() {
            splitter.append(chunk)
          } else if let last = try splitter.finish() {
            finished = true
            return try WatchEventDecoding.decode(Object.self, line: last, request: request)
          } else {
            finished = true
          }
        } catch {
          finished = true
          throw Self.translate(error, request: request)
        }
      }
      return nil
    }

    private static func translate(_ error: any Error, request: String) -> KubeError {
      switch error {
      case let error as KubeError: return error
      case is CancellationError: return KubeError(.cancelled, message: "the task was cancelled", request: request)
      case let error as HTTPClientError where error == .cancelled:
        return KubeError(.cancelled, message: "the watch was cancelled", request: request)
      default:
        return KubeError(.transport, message: "the watch stream broke off: \(error)", request: request)
      }
    }
  }
}

/// Cuts a byte stream into lines (without the `\n`), holding at most one unfinished line of
/// at most `maximumLineSize` bytes.
struct LineSplitter: Sendable {
  let maximumLineSize: Int
  private var buffer: [UInt8] = []
  /// Where the unread part of `buffer` starts.
  private var start = 0
  /// Where the search for the next newline resumes: bytes before it hold none.
  private var scanned = 0

  init(maximumLineSize: Int) {
    self.maximumLineSize = maximumLineSize
  }

  mutating func append(_ chunk: ByteBuffer) {
    // Drop what was read before growing, so the buffer holds one unfinished line at most.
    if start > 0 {
      buffer.removeFirst(start)
      scanned -= start
      start = 0
    }
    buffer.append(contentsOf: chunk.readableBytesView)
  }

  /// The next complete non-blank line, nil when none is complete yet.
  mutating func nextLine() throws(KubeError) -> ArraySlice<UInt8>? {
    while let newline = buffer[scanned...].firstIndex(of: UInt8(ascii: "\n")) {
      let line = buffer[start..<newline]
      start = newline + 1
      scanned = start
      try check(line.count)
      if !Self.isBlank(line) { return line }
    }
    scanned = buffer.count
    try check(buffer.count - start)
    return nil
  }

  /// At the end of the stream: the last line when it lacks its `\n`.
  mutating func finish() throws(KubeError) -> ArraySlice<UInt8>? {
    let rest = buffer[start...]
    start = buffer.count
    scanned = start
    return Self.isBlank(rest) ? nil : rest
  }

  private func check(_ length: Int) throws(KubeError) {
    guard length <= maximumLineSize else {
      throw KubeError(
        .responseTooLarge,
        message: "a watch event exceeds \(maximumLineSize) bytes (WatchOptions.maximumEventSize)")
    }
  }

  private static func isBlank(_ bytes: ArraySlice<UInt8>) -> Bool {
    bytes.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t") || $0 == 10 }
  }
}

/// One line of a watch stream, `{"type": "...", "object": {...}}`, decoded in one pass: the type
/// decides how the object is read (the watched type, a bookmark's bare metadata, or the Status of
/// an `ERROR`).
enum WatchEventDecoding {
  static func decode<Object: Decodable & Sendable>(
    _ type: Object.Type, line: ArraySlice<UInt8>, request: String
  )
    throws(KubeError) -> WatchEvent<Object>
  {
    let envelope: Envelope<Object>
    do {
      envelope = try JSONDecoder().decode(Envelope<Object>.self, from: Data(line))
    } catch let error as DecodingError {
      throw KubeError(
        .decoding, message: "a watch event is not a \(type) event: \(KubeClient.describe(error))", request: request)
    } catch {
      throw KubeError(.decoding, message: "a watch event is not a \(type) event: \(error)", request: request)
    }
    switch envelope.event {
    case .event(let event): return event
    case .error(let status): throw KubeError(status: status, request: request)
    }
  }

  struct Envelope<Object: Decodable & Sendable>: Decodable {
    enum Content {
      case event(WatchEvent<Object>)
      case error(Status)
    }

    var event: Content

    enum CodingKeys: String, CodingKey {
      case type, object
    }

    init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      let type = try container.decode(String.self, forKey: .type)
      switch type {
      case "ADDED": event = .event(.added(try container.decode(Object.self, forKey: .object)))
      case "MODIFIED": event = .event(.modified(try container.decode(Object.self, forKey: .object)))
      case "DELETED": event = .event(.deleted(try container.decode(Object.self, forKey: .object)))
      case "BOOKMARK":
        let object = try container.decode(BookmarkObject.self, forKey: .object)
        event = .event(
          .bookmark(
            Bookmark(
              resourceVersion: object.metadata.resourceVersion ?? "",
              annotations: object.metadata.annotations ?? [:])))
      case "ERROR": event = .error(try container.decode(Status.self, forKey: .object))
      default:
        throw DecodingError.dataCorruptedError(
          forKey: .type, in: container, debugDescription: "unknown event type \"\(type)\"")
      }
    }
  }

  struct BookmarkObject: Decodable {
    struct Metadata: Decodable {
      var resourceVersion: String?
      var annotations: [String: String]?
    }
    var metadata: Metadata
  }
}
