/// A document's level: the highest of its fields, raised when fields combine into more than each
/// alone (the data-types contract): a person's name with two ways to reach or find them is one
/// level higher; a card number with its expiry or security code, or a government id with a name
/// and a birth date, is critical; birth date, gender and a place identify most people (high).
public enum DocumentSensitivity {
  public static func level(of fields: [FieldFinding]) -> Sensitivity? {
    level(ofFields: fields.lazy.map { (types: $0.types, sensitivity: $0.sensitivity) })
  }

  /// `level(of:)` of fields given by their levels and types.
  static func level<Types: Sequence<DataType>>(
    ofFields fields: some Sequence<(types: Types, sensitivity: Sensitivity)>
  ) -> Sensitivity? {
    var found: Sensitivity?
    // One pass over the fields' types, noting only the types the rules below ask about.
    var personName = false
    var username = false
    var reach = Reach()
    var card = false
    var governmentID = false
    var dateOfBirth = false
    var gender = false
    var health = false
    for field in fields {
      if found.map({ field.sensitivity.severityRank > $0.severityRank }) ?? true { found = field.sensitivity }
      for type in field.types {
        switch type {
        case .personName: personName = true
        case .username: username = true
        case .email: reach.email = true
        case .phone: reach.phone = true
        case .address: reach.address = true
        case .geoCoordinates: reach.geoCoordinates = true
        case .ipAddress: reach.ipAddress = true
        case .cardNumber, .cardTrackData: card = true
        case .usSSN, .passportNumber, .driversLicense, .taxID, .nationalID: governmentID = true
        case .dateOfBirth: dateOfBirth = true
        case .gender: gender = true
        case .diagnosisCode, .medicalRecordNumber, .healthInsuranceID: health = true
        default: break
        }
      }
    }
    guard var level = found else { return nil }
    func raise(to floor: Sensitivity) { if level.severityRank < floor.severityRank { level = floor } }

    let identifies = personName || username
    if identifies, reach.count >= 2 { raise(to: level == .low ? .medium : level == .medium ? .high : .critical) }
    if card { raise(to: .critical) }
    if governmentID, personName, dateOfBirth { raise(to: .critical) }
    if dateOfBirth, gender, reach.address || reach.geoCoordinates { raise(to: .high) }
    if health, identifies { raise(to: .critical) }
    return level
  }

  /// Which ways to reach or find a person the document holds.
  private struct Reach {
    var email = false
    var phone = false
    var address = false
    var geoCoordinates = false
    var ipAddress = false

    var count: Int {
      (email ? 1 : 0) + (phone ? 1 : 0) + (address ? 1 : 0) + (geoCoordinates ? 1 : 0) + (ipAddress ? 1 : 0)
    }
  }
}
