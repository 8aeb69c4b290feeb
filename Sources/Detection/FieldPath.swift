/// Where a value sits in a JSON document, in the detector contract's notation: `$` for the root,
/// `.key` (or `['key']` when the key is not made of `[A-Za-z0-9_-]`), and `[*]` for any element
/// of an array, so every element of a list shares one path: `$.items[*].customer.email`.
public struct FieldPath: Sendable, Hashable, Comparable, CustomStringConvertible {
  public enum Component: Sendable, Hashable {
    case key(String)
    case anyElement
  }

  public var components: [Component]

  public init(_ components: [Component] = []) { self.components = components }

  public static let root = FieldPath()

  public func appending(_ component: Component) -> FieldPath {
    FieldPath(components + [component])
  }

  /// The object keys along the path, outermost first: what key hints read.
  public var keys: [String] {
    components.compactMap { if case .key(let key) = $0 { key } else { nil } }
  }

  /// The innermost key, if any.
  public var lastKey: String? { keys.last }

  public var description: String {
    var text = "$"
    for component in components {
      switch component {
      case .anyElement:
        text += "[*]"
      case .key(let key):
        if !key.isEmpty, key.utf8.allSatisfy(Self.isPlainKeyByte) {
          text += "." + key
        } else {
          text += "['"
          for character in key {
            if character == "\\" || character == "'" { text.append("\\") }
            text.append(character)
          }
          text += "']"
        }
      }
    }
    return text
  }

  static func isPlainKeyByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
      true
    default: false
    }
  }

  public static func < (lhs: FieldPath, rhs: FieldPath) -> Bool { lhs.description < rhs.description }
}
