/// A document's level: the highest of its fields, raised when fields combine into more than each
/// alone (the data-types contract): a person's name with two ways to reach or find them is one
/// level higher; a card number with its expiry or security code, or a government id with a name
/// and a birth date, is critical; birth date, gender and a place identify most people (high).
public enum DocumentSensitivity {
  public static func level(of fields: [FieldFinding]) -> Sensitivity? {
    guard var level = fields.map(\.sensitivity).max() else { return nil }
    var types: Set<DataType> = []
    for field in fields { types.formUnion(field.types) }
    func raise(to floor: Sensitivity) { if level < floor { level = floor } }

    let identifies = types.contains(.personName) || types.contains(.username)
    let reach = [DataType.email, .phone, .address, .geoCoordinates, .ipAddress].filter(types.contains).count
    if identifies, reach >= 2 { raise(to: level == .low ? .medium : level == .medium ? .high : .critical) }
    if types.contains(.cardNumber) || types.contains(.cardTrackData) { raise(to: .critical) }
    let governmentIDs: [DataType] = [.usSSN, .passportNumber, .driversLicense, .taxID, .nationalID]
    if governmentIDs.contains(where: types.contains), types.contains(.personName), types.contains(.dateOfBirth) {
      raise(to: .critical)
    }
    if types.contains(.dateOfBirth), types.contains(.gender),
      types.contains(.address) || types.contains(.geoCoordinates)
    {
      raise(to: .high)
    }
    let health: [DataType] = [.diagnosisCode, .medicalRecordNumber, .healthInsuranceID]
    if health.contains(where: types.contains), identifies { raise(to: .critical) }
    return level
  }
}
