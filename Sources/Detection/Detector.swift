#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Finds which sensitive data each field of a JSON document holds.
///
/// Stateless and `Sendable`: one detector serves every thread.
public struct Detector: Sendable {
  /// The year birth dates are judged against (a birth date lies 0–120 years before it).
  public var referenceYear: Int

  public init(referenceYear: Int = Detector.currentYear) {
    self.referenceYear = referenceYear
  }

  /// The findings for one JSON document; throws when it is not JSON.
  public func detect(json document: some Collection<UInt8>) throws(JSONLeafError) -> DocumentFindings {
    detect(leaves: try JSONLeaves.of(document))
  }

  /// The findings for a document already read into its leaves.
  public func detect(leaves: [JSONLeaf]) -> DocumentFindings {
    var fields: [FieldFinding] = []
    for leaf in leaves {
      guard case .string(let text) = leaf.value else { continue }
      var types: [DataType] = []
      if Validators.isEmail(text) { types.append(.email) }
      if Validators.isCardNumber(text) { types.append(.cardNumber) }
      if Validators.isIBAN(text) { types.append(.iban) }
      if !types.isEmpty {
        fields.append(FieldFinding(path: leaf.path, types: types, source: .value, score: 0.9))
      }
    }
    return DocumentFindings(fields: fields, sensitivity: fields.map(\.sensitivity).max())
  }

  /// This year by the system clock (UTC).
  public static var currentYear: Int {
    let seconds = Int(time(nil))
    return 1970 + Int(Double(seconds) / 31_556_952)
  }
}
