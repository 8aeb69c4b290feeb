import KubeModel

/// The subset of kubectl's JSONPath that CRD printer columns use: field steps (`.status.ready`),
/// indexes (`[0]`), wildcards (`[*]`) and equality filters
/// (`.status.conditions[?(@.type=="Ready")].status`).
public struct JSONPath: Sendable, Hashable {
  enum Step: Sendable, Hashable {
    case field(String)
    case index(Int)
    case all
    /// Elements whose value at `path` equals (or, negated, differs from) `value`; with `value`
    /// nil, elements that have `path` at all.
    case filter(path: [String], value: JSONValue?, negated: Bool)
  }

  let steps: [Step]
  /// The text it was parsed from.
  public let text: String

  public init(parsing text: String) throws(FakeKubeError) {
    self.text = text
    var body = Substring(text.trimmed)
    if body.hasPrefix("{"), body.hasSuffix("}") { body = body.dropFirst().dropLast() }
    if body.hasPrefix("$") { body = body.dropFirst() }
    var steps: [Step] = []
    while let first = body.first {
      if first == "." {
        body = body.dropFirst()
        let name = body.prefix { $0 != "." && $0 != "[" }
        body = body.dropFirst(name.count)
        if !name.isEmpty { steps.append(name == "*" ? .all : .field(String(name))) }
      } else if first == "[" {
        guard let close = Self.closingBracket(in: body) else { throw Self.invalid(text) }
        let inner = body[body.index(after: body.startIndex)..<close].trimmed
        body = body[body.index(after: close)...]
        if inner == "*" {
          steps.append(.all)
        } else if let index = Int(inner) {
          steps.append(.index(index))
        } else if inner.hasPrefix("?(") && inner.hasSuffix(")") {
          steps.append(try Self.filter(String(inner.dropFirst(2).dropLast()), in: text))
        } else if inner.hasPrefix("'") || inner.hasPrefix("\"") {
          steps.append(.field(String(inner.dropFirst().dropLast())))
        } else {
          throw Self.invalid(text)
        }
      } else {
        throw Self.invalid(text)
      }
    }
    self.steps = steps
  }

  /// Every value the path reaches in `document`, in document order.
  public func values(in document: JSONValue) -> [JSONValue] {
    var current = [document]
    for step in steps {
      current = current.flatMap { value -> [JSONValue] in
        switch step {
        case .field(let name): return value[name].map { [$0] } ?? []
        case .index(let index):
          guard let elements = value.arrayValue else { return [] }
          let position = index < 0 ? elements.count + index : index
          return elements.indices.contains(position) ? [elements[position]] : []
        case .all:
          if let elements = value.arrayValue { return elements }
          guard let members = value.objectValue else { return [] }
          return members.keys.sorted().compactMap { members[$0] }
        case .filter(let path, let expected, let negated):
          return (value.arrayValue ?? []).filter { element in
            let found = element[path: path]
            guard let expected else { return found != nil }
            return (found == expected) != negated
          }
        }
      }
    }
    return current
  }

  private static func invalid(_ text: String) -> FakeKubeError {
    .badRequest("unrecognized JSONPath expression: \(text)")
  }

  /// The `]` that closes the bracket at the start of `text`, skipping any inside quotes.
  private static func closingBracket(in text: Substring) -> Substring.Index? {
    var quote: Character?
    for index in text.indices.dropFirst() {
      let character = text[index]
      if let open = quote {
        if character == open { quote = nil }
      } else if character == "'" || character == "\"" {
        quote = character
      } else if character == "]" {
        return index
      }
    }
    return nil
  }

  /// `@.type=="Ready"`, `@.type!='x'`, `@.ready==true`, `@.count==3` or `@.name`.
  private static func filter(_ expression: String, in text: String) throws(FakeKubeError) -> Step {
    let negated = expression.contains("!=")
    let parts = expression.components(separatedBy: negated ? "!=" : "==")
    let left = parts[0].trimmed
    guard left.hasPrefix("@") else { throw invalid(text) }
    let path = left.dropFirst().split(separator: ".").map(String.init)
    guard parts.count == 2 else {
      guard parts.count == 1 else { throw invalid(text) }
      return .filter(path: path, value: nil, negated: false)
    }
    let right = parts[1].trimmed
    let value: JSONValue
    if right.count >= 2, let first = right.first, first == "\"" || first == "'", right.last == first {
      value = .string(String(right.dropFirst().dropLast()))
    } else if right == "true" || right == "false" {
      value = .bool(right == "true")
    } else if let number = Int64(right) {
      value = .int(number)
    } else {
      throw invalid(text)
    }
    return .filter(path: path, value: value, negated: negated)
  }
}
