import Foundation
import KubeModel

/// Reads the protobuf bodies that client-go's typed clients send for built-in kinds (`kubectl
/// create deployment|job|service|role|…`, `kubectl run`, `kubectl expose`) and turns them into JSON.
///
/// client-go sends protobuf for built-in kinds whatever the server says, and does not retry in JSON
/// after a 415, so a fake server has to read it. A body is the magic `k8s\0` followed by a
/// `runtime.Unknown` (typeMeta = 1, raw = 2) whose `raw` is the typed object, encoded by gogo-protobuf
/// from the `generated.proto` of its API group.
///
/// The JSON produced is what client-go would have sent had it used JSON (`encoding/json` of the Go
/// object), except that zero values of non-pointer fields are left out everywhere, structs included,
/// as a JSON client leaves them out: gogo writes every non-pointer field, so `0`, `""`, `false` and
/// empty messages on the wire usually mean "not set". Pointer fields (`replicas`, `suspend`,
/// `emptyDir`, …) and fields without `omitempty` whose zero matters (`PriorityClass.value`) keep
/// their zero values; their schemas mark them `.pointer`.
///
/// Only the kinds in `kinds` are understood, with the fields their schemas list (the
/// `ProtobufBody+Schemas…` files); other fields are skipped, whatever their wire type. Other kinds
/// get 415 Unsupported Media Type. A malformed body (truncated, a length past the end, an overlong varint, a wire type that
/// does not fit the field) gets 400 Bad Request naming the field where it went wrong.
enum ProtobufBody {
  static let magic: [UInt8] = [0x6b, 0x38, 0x73, 0x00]

  /// Messages nest at most this deep. The schemas are finite trees, so only a schema bug could reach
  /// it; it is the guard that keeps recursion bounded whatever the body says.
  static let maximumDepth = 64

  /// A message's fields by field number: the JSON name and how to read the value.
  typealias Schema = [Int: (String, FieldType)]

  indirect enum FieldType: Sendable {
    case string
    /// Bytes, written to JSON as base64 (as Secret `data` is).
    case bytes
    case bool
    /// A varint read as a signed 32-bit integer (negative values are sign-extended to 10 bytes).
    case int32
    case int64
    /// `intstr.IntOrString` {type = 1, intVal = 2, strVal = 3}: a JSON number or string.
    case intOrString
    /// `resource.Quantity` {string = 1}: its canonical text.
    case quantity
    /// `metav1.Time` {seconds = 1, nanos = 2}: RFC 3339 with whole seconds; the zero time is empty.
    case time
    case message(Schema)
    /// A Go struct embedded with `json:",inline"` (`VolumeSource` in `Volume`, `ProbeHandler` in
    /// `Probe`): its own field on the wire, but its members are written into the parent object.
    case inline(Schema)
    /// `map<string, T>`: entries {key = 1, value = 2}. Entries keep empty values (`labels: {a: ""}`).
    case map(FieldType)
    /// Elements keep zero values; varint elements may also come packed.
    case repeated(FieldType)
    /// A pointer in the Go type, or a field without `omitempty`: written even when zero.
    case pointer(FieldType)
  }

  /// Decodes a protobuf body; throws 415 for kinds it does not know and 400 for malformed bodies.
  static func decode(_ bytes: [UInt8], contentType: String) throws(FakeKubeError) -> JSONValue {
    guard bytes.starts(with: magic) else { throw .unsupportedMediaType(contentType) }
    let envelope: Envelope
    do throws(Malformed) {
      envelope = try Envelope(bytes[magic.count...])
    } catch {
      throw .badRequest("The protobuf body is malformed: \(error.description).")
    }
    guard !envelope.kind.isEmpty else {
      throw .badRequest("The protobuf body names no kind in its runtime.Unknown envelope.")
    }
    guard let schema = kinds["\(envelope.apiVersion) \(envelope.kind)"] else {
      throw .unsupportedMediaType("\(contentType) (kind \(envelope.kind), apiVersion \(envelope.apiVersion))")
    }
    var members: [String: JSONValue]
    do throws(Malformed) {
      members = try message(envelope.raw, schema, depth: 1)
    } catch {
      throw .badRequest("The protobuf body of the \(envelope.kind) is malformed: \(error.description).")
    }
    members["apiVersion"] = .string(envelope.apiVersion)
    members["kind"] = .string(envelope.kind)
    return .object(members)
  }

  /// What went wrong in a body, and where: the JSON path is built as the error unwinds.
  struct Malformed: Error, CustomStringConvertible {
    var reason: String
    /// Innermost first.
    var reversedPath: [String] = []

    init(_ reason: String) { self.reason = reason }

    func inside(_ component: String) -> Malformed {
      var copy = self
      copy.reversedPath.append(component)
      return copy
    }

    var description: String {
      guard !reversedPath.isEmpty else { return reason }
      var path = ""
      for component in reversedPath.reversed() {
        if !path.isEmpty && !component.hasPrefix("[") { path += "." }
        path += component
      }
      return "\(reason) (at \(path))"
    }
  }

  /// The `runtime.Unknown` around the object: typeMeta = 1 {apiVersion = 1, kind = 2}, raw = 2.
  struct Envelope {
    var apiVersion = ""
    var kind = ""
    var raw: ArraySlice<UInt8> = []

    init(_ bytes: ArraySlice<UInt8>) throws(Malformed) {
      var reader = Reader(bytes: bytes)
      while let (field, value) = try reader.next() {
        switch (field, value) {
        case (1, .lengthDelimited(let typeMeta)):
          var typeReader = Reader(bytes: typeMeta)
          while let (typeField, typeValue) = try typeReader.next() {
            guard case .lengthDelimited(let text) = typeValue else { continue }
            if typeField == 1 { apiVersion = String(decoding: text, as: UTF8.self) }
            if typeField == 2 { kind = String(decoding: text, as: UTF8.self) }
          }
        case (2, .lengthDelimited(let body)): raw = body
        default: break
        }
      }
    }
  }

  // MARK: Messages

  static func message(
    _ bytes: ArraySlice<UInt8>, _ schema: Schema, depth: Int
  ) throws(Malformed)
    -> [String: JSONValue]
  {
    guard depth <= maximumDepth else { throw Malformed("messages are nested more than \(maximumDepth) deep") }
    var members: [String: JSONValue] = [:]
    // Repeated fields and maps are gathered apart so that appending stays linear.
    var lists: [String: [JSONValue]] = [:]
    var maps: [String: [String: JSONValue]] = [:]
    var reader = Reader(bytes: bytes)
    while let (number, value) = try reader.next() {
      guard let (name, type) = schema[number] else { continue }
      do throws(Malformed) {
        switch type {
        case .repeated(let element):
          try appendElements(element, value, to: &lists[name, default: []], depth: depth)
        case .map(let valueType):
          let (key, entry) = try mapEntry(valueType, value, depth: depth)
          maps[name, default: [:]][key] = entry
        case .inline(let inlined):
          guard case .lengthDelimited(let data) = value else { throw wrongWireType(value, expected: "a message") }
          for (innerName, innerValue) in try message(data, inlined, depth: depth + 1) {
            members[innerName] = innerValue
          }
        case .pointer(let pointee):
          members[name] = try scalar(pointee, value, depth: depth)
        default:
          let converted = try scalar(type, value, depth: depth)
          if converted.isZero {
            members.removeValue(forKey: name)
          } else {
            members[name] = converted
          }
        }
      } catch {
        switch type {
        case .repeated: throw error.inside("[\(lists[name]?.count ?? 0)]").inside(name)
        default: throw error.inside(name)
        }
      }
    }
    for (name, elements) in lists where !elements.isEmpty { members[name] = .array(elements) }
    for (name, entries) in maps where !entries.isEmpty { members[name] = .object(entries) }
    return members
  }

  private static func appendElements(
    _ element: FieldType, _ value: Reader.Value, to elements: inout [JSONValue], depth: Int
  ) throws(Malformed) {
    switch (element, value) {
    case (.bool, .lengthDelimited(let packed)), (.int32, .lengthDelimited(let packed)),
      (.int64, .lengthDelimited(let packed)):
      var reader = Reader(bytes: packed)
      while !reader.bytes.isEmpty {
        elements.append(try scalar(element, .varint(try reader.varint()), depth: depth))
      }
    default:
      elements.append(try scalar(element, value, depth: depth))
    }
  }

  private static func mapEntry(
    _ valueType: FieldType, _ value: Reader.Value, depth: Int
  ) throws(Malformed) -> (
    String, JSONValue
  ) {
    guard case .lengthDelimited(let entry) = value else { throw wrongWireType(value, expected: "a map entry") }
    var key = ""
    var entryValue: JSONValue?
    var reader = Reader(bytes: entry)
    while let (field, content) = try reader.next() {
      switch field {
      case 1:
        guard case .lengthDelimited(let text) = content else { throw wrongWireType(content, expected: "a map key") }
        key = String(decoding: text, as: UTF8.self)
      case 2:
        do throws(Malformed) {
          entryValue = try scalar(valueType, content, depth: depth)
        } catch {
          throw error.inside("[\"\(key)\"]")
        }
      default: continue
      }
    }
    if let entryValue { return (key, entryValue) }
    return (key, try zero(of: valueType))
  }

  /// What an entry without a value holds: Go's zero value, as gogo reads it.
  private static func zero(of type: FieldType) throws(Malformed) -> JSONValue {
    switch type {
    case .string, .bytes: ""
    case .quantity: "0"
    case .bool: false
    case .int32, .int64, .intOrString: 0
    case .time: .null
    case .message, .inline: [:]
    case .map, .repeated: throw Malformed("the schema nests a map or list directly in a map")
    case .pointer(let pointee): try zero(of: pointee)
    }
  }

  /// One value of a singular field, a list element or a map value.
  private static func scalar(_ type: FieldType, _ value: Reader.Value, depth: Int) throws(Malformed) -> JSONValue {
    switch (type, value) {
    case (.string, .lengthDelimited(let data)): return .string(String(decoding: data, as: UTF8.self))
    case (.bytes, .lengthDelimited(let data)): return .string(Data(data).base64EncodedString())
    case (.bool, .varint(let number)): return .bool(number != 0)
    case (.int32, .varint(let number)): return .int(Int64(Int32(truncatingIfNeeded: number)))
    case (.int64, .varint(let number)): return .int(Int64(bitPattern: number))
    case (.intOrString, .lengthDelimited(let data)): return try intOrString(data)
    case (.quantity, .lengthDelimited(let data)): return try quantity(data)
    case (.time, .lengthDelimited(let data)): return try time(data)
    case (.message(let schema), .lengthDelimited(let data)):
      return .object(try message(data, schema, depth: depth + 1))
    case (.pointer(let pointee), _): return try scalar(pointee, value, depth: depth)
    case (.inline, _), (.map, _), (.repeated, _):
      throw Malformed("the schema nests a map, list or inline struct where a single value belongs")
    case (.string, _), (.bytes, _): throw wrongWireType(value, expected: "a length-delimited string")
    case (.bool, _), (.int32, _), (.int64, _): throw wrongWireType(value, expected: "a varint")
    case (.intOrString, _), (.quantity, _), (.time, _), (.message, _):
      throw wrongWireType(value, expected: "a length-delimited message")
    }
  }

  private static func wrongWireType(_ value: Reader.Value, expected: String) -> Malformed {
    Malformed("the field is \(value.wireTypeName) where \(expected) was expected")
  }

  private static func intOrString(_ data: ArraySlice<UInt8>) throws(Malformed) -> JSONValue {
    var type: UInt64 = 0
    var intValue: Int32 = 0
    var stringValue = ""
    var reader = Reader(bytes: data)
    while let (field, value) = try reader.next() {
      switch (field, value) {
      case (1, .varint(let number)): type = number
      case (2, .varint(let number)): intValue = Int32(truncatingIfNeeded: number)
      case (3, .lengthDelimited(let text)): stringValue = String(decoding: text, as: UTF8.self)
      case (1, _), (2, _), (3, _): throw wrongWireType(value, expected: "an IntOrString member").inside("\(field)")
      default: continue
      }
    }
    return type == 1 ? .string(stringValue) : .int(Int64(intValue))
  }

  private static func quantity(_ data: ArraySlice<UInt8>) throws(Malformed) -> JSONValue {
    var text = ""
    var reader = Reader(bytes: data)
    while let (field, value) = try reader.next() {
      guard field == 1 else { continue }
      guard case .lengthDelimited(let bytes) = value else {
        throw wrongWireType(value, expected: "the quantity's text")
      }
      text = String(decoding: bytes, as: UTF8.self)
    }
    // client-go always writes the canonical text ("0" for zero); an empty one cannot be parsed.
    guard !text.isEmpty else { throw Malformed("a quantity has no text") }
    return .string(text)
  }

  /// 0001-01-01T00:00:00Z ... 9999-12-31T23:59:59Z, the range RFC 3339 and metav1.Time allow.
  private static let timeRange: ClosedRange<Int64> = -62_135_596_800...253_402_300_799

  private static func time(_ data: ArraySlice<UInt8>) throws(Malformed) -> JSONValue {
    // client-go writes the zero time as an empty message.
    guard !data.isEmpty else { return .null }
    var seconds: Int64 = 0
    var reader = Reader(bytes: data)
    while let (field, value) = try reader.next() {
      switch (field, value) {
      case (1, .varint(let number)): seconds = Int64(bitPattern: number)
      case (1, _): throw wrongWireType(value, expected: "the time's seconds")
      default: continue  // Nanoseconds are dropped, as the API server drops them.
      }
    }
    guard timeRange.contains(seconds) else { throw Malformed("a time of \(seconds) seconds is out of range") }
    return .string(Timestamp(secondsSince1970: seconds).description)
  }

  // MARK: Wire format

  /// Protobuf wire format: (field number, value) pairs, read with every length checked.
  struct Reader {
    enum Value {
      case varint(UInt64)
      case lengthDelimited(ArraySlice<UInt8>)
      /// A fixed32 or fixed64 value, skipped: no schema uses one.
      case fixed

      var wireTypeName: String {
        switch self {
        case .varint: "a varint"
        case .lengthDelimited: "length-delimited"
        case .fixed: "a fixed-width number"
        }
      }
    }

    var bytes: ArraySlice<UInt8>

    /// The largest field number protobuf allows.
    static let maximumFieldNumber: UInt64 = (1 << 29) - 1

    mutating func next() throws(Malformed) -> (Int, Value)? {
      guard !bytes.isEmpty else { return nil }
      let key = try varint()
      let number = key >> 3
      guard number >= 1, number <= Self.maximumFieldNumber else {
        throw Malformed("a field has the invalid number \(number)")
      }
      let field = Int(number)
      switch key & 7 {
      case 0: return (field, .varint(try varint()))
      case 1: return (field, try skip(8))
      case 5: return (field, try skip(4))
      case 2:
        let declared = try varint()
        guard let length = Int(exactly: declared), length <= bytes.count else {
          throw Malformed("field \(field) declares \(declared) bytes but only \(bytes.count) remain")
        }
        let data = bytes.prefix(length)
        bytes = bytes.dropFirst(length)
        return (field, .lengthDelimited(data))
      case let wireType:
        throw Malformed("field \(field) uses wire type \(wireType), which Kubernetes objects never use")
      }
    }

    private mutating func skip(_ count: Int) throws(Malformed) -> Value {
      guard bytes.count >= count else { throw Malformed("a fixed-width field is cut short") }
      bytes = bytes.dropFirst(count)
      return .fixed
    }

    /// A base-128 varint of at most 10 bytes whose value fits in 64 bits.
    mutating func varint() throws(Malformed) -> UInt64 {
      var result: UInt64 = 0
      var shift: UInt64 = 0
      while true {
        guard let byte = bytes.first else { throw Malformed("a varint is cut short") }
        bytes = bytes.dropFirst()
        if shift == 63 {  // The tenth byte holds only the 64th bit and must end the varint.
          if byte & 0x80 != 0 { throw Malformed("a varint is longer than 10 bytes") }
          if byte > 1 { throw Malformed("a varint overflows 64 bits") }
        }
        result |= UInt64(byte & 0x7f) << shift
        if byte & 0x80 == 0 { return result }
        shift += 7
      }
    }
  }
}

extension JSONValue {
  /// Whether Go would leave this out of a non-pointer field with `omitempty` (structs included).
  fileprivate var isZero: Bool {
    switch self {
    case .null: true
    case .bool(let flag): !flag
    case .int(let number): number == 0
    case .double(let number): number == 0
    case .string(let text): text.isEmpty
    case .array(let elements): elements.isEmpty
    case .object(let members): members.isEmpty
    }
  }
}
