import Foundation
import KubeModel

/// Reads the protobuf bodies that client-go's typed clients send for a few built-in kinds
/// (`kubectl create namespace|configmap|secret|deployment|service` among them) and turns them
/// into JSON.
///
/// client-go sends protobuf for built-in kinds whatever the server says, and does not retry in JSON
/// after a 415, so a fake server has to read it. A body is the magic `k8s\0` followed by a
/// `runtime.Unknown` (typeMeta = 1, raw = 2) whose `raw` is the typed object. Only the kinds in
/// `schemas` are understood, with the fields listed; other fields are skipped. The other kinds get
/// 415 Unsupported Media Type.
enum ProtobufBody {
  static let magic: [UInt8] = [0x6b, 0x38, 0x73, 0x00]

  indirect enum FieldType: Sendable {
    case string
    /// Bytes, written to JSON as base64 (as Secret `data` is).
    case bytes
    /// A pointer (`*bool`) or required field: kept whatever its value.
    case bool
    /// A pointer (`*int32`) or required field: kept whatever its value, 0 included.
    case int
    /// A plain Go `bool` marked `omitempty`: protobuf always carries it, JSON leaves `false` out.
    case plainBool
    /// A plain Go integer marked `omitempty`: protobuf always carries it, JSON leaves 0 out.
    case plainInt
    /// `intstr.IntOrString`: a number or a string, as a port or a percentage is given.
    case intOrString
    case message([Int: (String, FieldType)])
    case stringMap(valueIsBytes: Bool)
    case repeated(FieldType)
  }

  static let objectMeta: [Int: (String, FieldType)] = [
    1: ("name", .string), 2: ("generateName", .string), 3: ("namespace", .string),
    11: ("labels", .stringMap(valueIsBytes: false)), 12: ("annotations", .stringMap(valueIsBytes: false)),
    14: ("finalizers", .repeated(.string)),
  ]

  static let labelSelector: [Int: (String, FieldType)] = [
    1: ("matchLabels", .stringMap(valueIsBytes: false)),
    2: (
      "matchExpressions",
      .repeated(.message([1: ("key", .string), 2: ("operator", .string), 3: ("values", .repeated(.string))]))
    ),
  ]

  /// The parts of a Container that kubectl's generators set.
  static let container: [Int: (String, FieldType)] = [
    1: ("name", .string), 2: ("image", .string), 3: ("command", .repeated(.string)), 4: ("args", .repeated(.string)),
    5: ("workingDir", .string),
    6: (
      "ports",
      .repeated(
        .message([
          1: ("name", .string), 2: ("hostPort", .plainInt), 3: ("containerPort", .int), 4: ("protocol", .string),
          5: ("hostIP", .string),
        ]))
    ),
    7: (
      "env",
      .repeated(
        .message([
          1: ("name", .string), 2: ("value", .string),
          3: (
            "valueFrom", .message([1: ("fieldRef", .message([1: ("apiVersion", .string), 2: ("fieldPath", .string)]))])
          ),
        ]))
    ),
    9: (
      "volumeMounts",
      .repeated(
        .message([
          1: ("name", .string), 2: ("readOnly", .plainBool), 3: ("mountPath", .string), 4: ("subPath", .string),
        ]))
    ),
    13: ("terminationMessagePath", .string), 14: ("imagePullPolicy", .string), 16: ("stdin", .plainBool),
    17: ("stdinOnce", .plainBool), 18: ("tty", .plainBool), 20: ("terminationMessagePolicy", .string),
  ]

  static let podTemplate: [Int: (String, FieldType)] = [
    1: ("metadata", .message(objectMeta)),
    2: (
      "spec",
      .message([
        2: ("containers", .repeated(.message(container))), 3: ("restartPolicy", .string),
        4: ("terminationGracePeriodSeconds", .int), 5: ("activeDeadlineSeconds", .int), 6: ("dnsPolicy", .string),
        7: ("nodeSelector", .stringMap(valueIsBytes: false)), 8: ("serviceAccountName", .string),
        10: ("nodeName", .string), 11: ("hostNetwork", .plainBool), 19: ("schedulerName", .string),
        20: ("initContainers", .repeated(.message(container))), 24: ("priorityClassName", .string),
      ])
    ),
  ]

  static let schemas: [String: [Int: (String, FieldType)]] = [
    "Namespace": [
      1: ("metadata", .message(objectMeta)), 2: ("spec", .message([1: ("finalizers", .repeated(.string))])),
    ],
    "ConfigMap": [
      1: ("metadata", .message(objectMeta)), 2: ("data", .stringMap(valueIsBytes: false)),
      3: ("binaryData", .stringMap(valueIsBytes: true)), 4: ("immutable", .bool),
    ],
    "Secret": [
      1: ("metadata", .message(objectMeta)), 2: ("data", .stringMap(valueIsBytes: true)), 3: ("type", .string),
      4: ("stringData", .stringMap(valueIsBytes: false)), 5: ("immutable", .bool),
    ],
    "ServiceAccount": [1: ("metadata", .message(objectMeta))],
    "Deployment": [
      1: ("metadata", .message(objectMeta)),
      2: (
        "spec",
        .message([
          1: ("replicas", .int), 2: ("selector", .message(labelSelector)), 3: ("template", .message(podTemplate)),
          4: (
            "strategy",
            .message([
              1: ("type", .string),
              2: ("rollingUpdate", .message([1: ("maxUnavailable", .intOrString), 2: ("maxSurge", .intOrString)])),
            ])
          ),
          5: ("minReadySeconds", .plainInt), 6: ("revisionHistoryLimit", .int), 7: ("paused", .plainBool),
          9: ("progressDeadlineSeconds", .int),
        ])
      ),
    ],
    "Service": [
      1: ("metadata", .message(objectMeta)),
      2: (
        "spec",
        .message([
          1: (
            "ports",
            .repeated(
              .message([
                1: ("name", .string), 2: ("protocol", .string), 3: ("port", .int), 4: ("targetPort", .intOrString),
                5: ("nodePort", .plainInt), 6: ("appProtocol", .string),
              ]))
          ),
          2: ("selector", .stringMap(valueIsBytes: false)), 3: ("clusterIP", .string),
          4: ("type", .string), 5: ("externalIPs", .repeated(.string)), 7: ("sessionAffinity", .string),
          10: ("externalName", .string), 11: ("externalTrafficPolicy", .string), 18: ("clusterIPs", .repeated(.string)),
        ])
      ),
    ],
  ]

  /// Decodes a protobuf body; throws 415 for kinds it does not know.
  static func decode(_ bytes: [UInt8], contentType: String) throws(FakeKubeError) -> JSONValue {
    guard bytes.starts(with: magic) else { throw .unsupportedMediaType(contentType) }
    var envelope = Reader(bytes: bytes[4...])
    var apiVersion = ""
    var kind = ""
    var raw: ArraySlice<UInt8> = []
    while let (field, value) = try envelope.next() {
      switch (field, value) {
      case (1, .lengthDelimited(let typeMeta)):
        var reader = Reader(bytes: typeMeta)
        while let (typeField, typeValue) = try reader.next() {
          if case .lengthDelimited(let text) = typeValue {
            if typeField == 1 { apiVersion = String(decoding: text, as: UTF8.self) }
            if typeField == 2 { kind = String(decoding: text, as: UTF8.self) }
          }
        }
      case (2, .lengthDelimited(let body)): raw = body
      default: break
      }
    }
    guard let schema = schemas[kind] else { throw .unsupportedMediaType("\(contentType) (kind \(kind))") }
    var object = try message(raw, schema)
    object["apiVersion"] = .string(apiVersion)
    object["kind"] = .string(kind)
    return object
  }

  private static func message(
    _ bytes: ArraySlice<UInt8>, _ schema: [Int: (String, FieldType)]
  ) throws(FakeKubeError)
    -> JSONValue
  {
    var members: [String: JSONValue] = [:]
    var reader = Reader(bytes: bytes)
    while let (field, value) = try reader.next() {
      guard let (name, type) = schema[field] else { continue }
      switch (type, value) {
      case (.repeated(let elementType), _):
        var elements = members[name]?.arrayValue ?? []
        elements.append(try scalar(elementType, value))
        members[name] = .array(elements)
      case (.stringMap(let valueIsBytes), .lengthDelimited(let entry)):
        var key = ""
        var entryValue: JSONValue = ""
        var entryReader = Reader(bytes: entry)
        while let (entryField, entryContent) = try entryReader.next() {
          guard case .lengthDelimited(let data) = entryContent else { continue }
          if entryField == 1 { key = String(decoding: data, as: UTF8.self) }
          if entryField == 2 {
            entryValue =
              valueIsBytes ? .string(Data(data).base64EncodedString()) : .string(String(decoding: data, as: UTF8.self))
          }
        }
        var map = members[name]?.objectValue ?? [:]
        map[key] = entryValue
        members[name] = .object(map)
      case (.plainInt, _), (.plainBool, _):
        let converted = try scalar(type, value)
        if converted != 0 && converted != false { members[name] = converted }
      default:
        let converted = try scalar(type, value)
        // Empty strings and messages stand for absent fields, as `omitempty` does in JSON.
        if converted != "" && converted != .object([:]) { members[name] = converted }
      }
    }
    return .object(members)
  }

  private static func scalar(_ type: FieldType, _ value: Reader.Value) throws(FakeKubeError) -> JSONValue {
    switch (type, value) {
    case (.string, .lengthDelimited(let data)): return .string(String(decoding: data, as: UTF8.self))
    case (.bytes, .lengthDelimited(let data)): return .string(Data(data).base64EncodedString())
    case (.bool, .varint(let number)), (.plainBool, .varint(let number)): return .bool(number != 0)
    case (.int, .varint(let number)), (.plainInt, .varint(let number)):
      // int32 fields carry negative numbers sign-extended to 64 bits, as int64 fields do.
      return .int(Int64(bitPattern: number))
    case (.intOrString, .lengthDelimited(let data)):
      let parts = try message(data, [1: ("type", .int), 2: ("intVal", .int), 3: ("strVal", .string)])
      return parts["type"] == 1 ? (parts["strVal"] ?? "") : (parts["intVal"] ?? 0)
    case (.message(let schema), .lengthDelimited(let data)): return try message(data, schema)
    default: throw .badRequest("the protobuf body has a field of an unexpected wire type")
    }
  }

  /// Protobuf wire format: (field number, value) pairs.
  struct Reader {
    enum Value {
      case varint(UInt64)
      case lengthDelimited(ArraySlice<UInt8>)
      case fixed
    }

    var bytes: ArraySlice<UInt8>

    mutating func next() throws(FakeKubeError) -> (Int, Value)? {
      guard !bytes.isEmpty else { return nil }
      let key = try varint()
      let field = Int(key >> 3)
      switch key & 7 {
      case 0: return (field, .varint(try varint()))
      case 1: return (field, try skip(8))
      case 5: return (field, try skip(4))
      case 2:
        let length = Int(try varint())
        guard length >= 0, bytes.count >= length else { throw truncated }
        let data = bytes.prefix(length)
        bytes = bytes.dropFirst(length)
        return (field, .lengthDelimited(data))
      default: throw .badRequest("the protobuf body uses an unsupported wire type")
      }
    }

    private var truncated: FakeKubeError { .badRequest("the protobuf body is truncated") }

    private mutating func skip(_ count: Int) throws(FakeKubeError) -> Value {
      guard bytes.count >= count else { throw truncated }
      bytes = bytes.dropFirst(count)
      return .fixed
    }

    private mutating func varint() throws(FakeKubeError) -> UInt64 {
      var result: UInt64 = 0
      var shift: UInt64 = 0
      while let byte = bytes.first {
        bytes = bytes.dropFirst()
        result |= UInt64(byte & 0x7f) << shift
        if byte & 0x80 == 0 { return result }
        shift += 7
        if shift > 63 { break }
      }
      throw truncated
    }
  }
}
