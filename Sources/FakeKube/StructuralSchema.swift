import Foundation
import KubeModel

/// The `openAPIV3Schema` of one served CRD version, and what the API server does with it to every
/// custom resource written: fill in `default`s, prune fields the schema does not declare (or, under
/// `fieldValidation=Strict`, reject them), then validate, reporting each failure with its field path.
///
/// Messages follow the real server's word for word (`spec.replicas in body should be less than or
/// equal to 10`), since kubectl prints them as they come.
public struct StructuralSchema: Sendable, Hashable {
  /// The schema document itself, as written in the CRD.
  public let root: JSONValue

  public init(_ root: JSONValue) {
    self.root = root
  }

  /// Fields every object has at its top level whatever its schema says.
  static let rootTypeFields: Set<String> = ["apiVersion", "kind", "metadata"]

  // MARK: Defaulting

  /// The object with every absent property that declares a `default` filled in, at every level
  /// that is present (a default is never applied inside an object that is itself absent, unless
  /// that object was just created by its own default).
  public func defaulted(_ object: JSONValue) -> JSONValue {
    Self.defaulted(object, schema: root)
  }

  private static func defaulted(_ value: JSONValue, schema: JSONValue) -> JSONValue {
    switch value {
    case .object(var members):
      if let properties = schema["properties"]?.objectValue {
        for (name, propertySchema) in properties {
          if let fallback = propertySchema["default"], members[name] == nil || members[name] == .null {
            members[name] = fallback
          }
          if let present = members[name] { members[name] = defaulted(present, schema: propertySchema) }
        }
      } else if let additional = schema["additionalProperties"], additional.objectValue != nil {
        members = members.mapValues { defaulted($0, schema: additional) }
      }
      return .object(members)
    case .array(let elements):
      guard let items = schema["items"] else { return value }
      return .array(elements.map { defaulted($0, schema: items) })
    default:
      return value
    }
  }

  // MARK: Pruning

  /// The object without the fields its schema does not declare, and the paths of those fields
  /// (`spec.bogus`), in a stable order. `apiVersion`, `kind` and `metadata` are always kept.
  public func pruned(_ object: JSONValue) -> (object: JSONValue, removed: [String]) {
    var removed: [String] = []
    let result = Self.pruned(object, schema: root, path: "", isRoot: true, removed: &removed)
    return (result, removed)
  }

  private static func pruned(
    _ value: JSONValue, schema: JSONValue, path: String, isRoot: Bool, removed: inout [String]
  ) -> JSONValue {
    switch value {
    case .object(let members):
      let properties = schema["properties"]?.objectValue
      let additional = schema["additionalProperties"]?.objectValue.map { JSONValue.object($0) }
      let preserves = schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
      var kept: [String: JSONValue] = [:]
      for name in members.keys.sorted() {
        guard let child = members[name] else { continue }
        let childPath = path.isEmpty ? name : "\(path).\(name)"
        if isRoot, rootTypeFields.contains(name) {
          kept[name] = child
        } else if let childSchema = properties?[name] ?? additional {
          kept[name] = pruned(child, schema: childSchema, path: childPath, isRoot: false, removed: &removed)
        } else if preserves {
          kept[name] = child
        } else {
          removed.append(childPath)
        }
      }
      return .object(kept)
    case .array(let elements):
      guard let items = schema["items"] else { return value }
      return .array(
        elements.enumerated().map { index, element in
          pruned(element, schema: items, path: "\(path)[\(index)]", isRoot: false, removed: &removed)
        })
    default:
      return value
    }
  }

  // MARK: Validation

  /// Every way the object breaks its schema, each with its field path; empty when it is valid.
  public func validate(_ object: JSONValue) -> [FieldCause] {
    var causes: [FieldCause] = []
    Self.validate(object, schema: root, path: "", isRoot: true, causes: &causes)
    return causes
  }

  private static func validate(
    _ value: JSONValue, schema: JSONValue, path: String, isRoot: Bool, causes: inout [FieldCause]
  ) {
    let display = path.isEmpty ? "body" : path
    if value == .null, schema["nullable"]?.boolValue == true { return }
    if let expected = schema["type"]?.stringValue, !matches(value, type: expected, schema: schema) {
      causes.append(
        FieldCause(
          reason: "FieldValueTypeInvalid", field: display,
          message: "Invalid value: \"\(typeName(value))\": \(display) in body must be of type \(expected): "
            + "\"\(typeName(value))\""))
      return
    }
    if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
      causes.append(
        FieldCause(
          reason: "FieldValueNotSupported", field: display,
          message: "Unsupported value: \(goValue(value)): supported values: "
            + allowed.map(goValue).joined(separator: ", ")))
    }
    switch value {
    case .int, .double:
      validateNumber(value, schema: schema, path: display, causes: &causes)
    case .string(let text):
      validateString(text, schema: schema, path: display, causes: &causes)
    case .array(let elements):
      let count = Int64(elements.count)
      if let least = schema["minItems"]?.intValue, count < least {
        causes.append(invalid(value, display, "should have at least \(least) items"))
      }
      if let most = schema["maxItems"]?.intValue, count > most {
        causes.append(invalid(value, display, "should have at most \(most) items"))
      }
      if let items = schema["items"] {
        for (index, element) in elements.enumerated() {
          validate(element, schema: items, path: "\(path)[\(index)]", isRoot: false, causes: &causes)
        }
      }
    case .object(let members):
      for name in (schema["required"]?.arrayValue ?? []).compactMap(\.stringValue) where members[name] == nil {
        let field = path.isEmpty ? name : "\(path).\(name)"
        causes.append(FieldCause(reason: "FieldValueRequired", field: field, message: "Required value"))
      }
      let properties = schema["properties"]?.objectValue ?? [:]
      let additional = schema["additionalProperties"]?.objectValue.map { JSONValue.object($0) }
      for name in members.keys.sorted() {
        guard let child = members[name], !(isRoot && rootTypeFields.contains(name)) else { continue }
        guard let childSchema = properties[name] ?? additional else { continue }
        let childPath = path.isEmpty ? name : "\(path).\(name)"
        validate(child, schema: childSchema, path: childPath, isRoot: false, causes: &causes)
      }
    default:
      break
    }
  }

  private static func validateNumber(_ value: JSONValue, schema: JSONValue, path: String, causes: inout [FieldCause]) {
    guard let number = doubleValue(value) else { return }
    if let minimum = schema["minimum"], let bound = doubleValue(minimum) {
      if schema["exclusiveMinimum"]?.boolValue == true, number <= bound {
        causes.append(invalid(value, path, "should be greater than \(goValue(minimum))"))
      } else if number < bound {
        causes.append(invalid(value, path, "should be greater than or equal to \(goValue(minimum))"))
      }
    }
    if let maximum = schema["maximum"], let bound = doubleValue(maximum) {
      if schema["exclusiveMaximum"]?.boolValue == true, number >= bound {
        causes.append(invalid(value, path, "should be less than \(goValue(maximum))"))
      } else if number > bound {
        causes.append(invalid(value, path, "should be less than or equal to \(goValue(maximum))"))
      }
    }
  }

  private static func validateString(_ text: String, schema: JSONValue, path: String, causes: inout [FieldCause]) {
    // Lengths count Unicode code points, as Go's utf8.RuneCountInString does.
    let length = Int64(text.unicodeScalars.count)
    if let least = schema["minLength"]?.intValue, length < least {
      causes.append(invalid(.string(text), path, "should be at least \(least) chars long"))
    }
    if let most = schema["maxLength"]?.intValue, length > most {
      causes.append(invalid(.string(text), path, "should be at most \(most) chars long"))
    }
    if let pattern = schema["pattern"]?.stringValue {
      let matched: Bool
      if let expression = try? NSRegularExpression(pattern: pattern) {
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        matched = expression.firstMatch(in: text, range: range) != nil
      } else {
        matched = false
      }
      if !matched { causes.append(invalid(.string(text), path, "should match '\(pattern)'")) }
    }
  }

  private static func invalid(_ value: JSONValue, _ path: String, _ problem: String) -> FieldCause {
    FieldCause(
      reason: "FieldValueInvalid", field: path, message: "Invalid value: \(goValue(value)): \(path) in body \(problem)")
  }

  private static func matches(_ value: JSONValue, type: String, schema: JSONValue) -> Bool {
    if schema["x-kubernetes-int-or-string"]?.boolValue == true {
      if case .string = value { return true }
      return value.intValue != nil
    }
    switch (type, value) {
    case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool): return true
    case ("integer", .int), ("number", .int), ("number", .double): return true
    case ("integer", .double(let number)): return number.rounded() == number
    default: return false
    }
  }

  private static func typeName(_ value: JSONValue) -> String {
    switch value {
    case .null: "null"
    case .bool: "boolean"
    case .int: "integer"
    case .double: "number"
    case .string: "string"
    case .array: "array"
    case .object: "object"
    }
  }

  private static func doubleValue(_ value: JSONValue) -> Double? {
    switch value {
    case .int(let number): Double(number)
    case .double(let number): number
    default: nil
    }
  }

  /// A value as Go's `%v`/`%q` shows it in field errors: strings quoted, numbers and booleans bare.
  private static func goValue(_ value: JSONValue) -> String {
    switch value {
    case .string(let text): JSONValue.string(text).serialized
    default: value.serialized
    }
  }
}
