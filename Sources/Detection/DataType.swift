/// The sensitive data types every part of Sovren names, with the ids fixed by the project's
/// data-types contract: the detector's API and CLI, the metadata sent to the map, the map itself.
/// Ids are stable; a new type gets a new id, never a renamed one.
public enum DataType: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
  // Required: the detector is judged on these.
  case email
  case phone
  case personName = "person_name"
  case address
  case dateOfBirth = "date_of_birth"
  case gender
  case username
  case geoCoordinates = "geo_coordinates"
  case ipAddress = "ip_address"
  case macAddress = "mac_address"
  case usSSN = "us_ssn"
  case passportNumber = "passport_number"
  case driversLicense = "drivers_license"
  case iban
  case cardNumber = "card_number"
  case cardExpiration = "card_expiration"
  case cardCVV = "card_cvv"
  case maskedCardNumber = "masked_card_number"
  case password
  case jwt
  case awsAccessKey = "aws_access_key"
  case privateKey = "private_key"
  case apiKey = "api_key"
  // Also expected: detected, not yet judged.
  case taxID = "tax_id"
  case nationalID = "national_id"
  case bankAccount = "bank_account"
  case abaRoutingNumber = "aba_routing_number"
  case swiftBIC = "swift_bic"
  case cryptoWallet = "crypto_wallet"
  case cardTrackData = "card_track_data"
  case imei
  case basicAuthCredentials = "basic_auth_credentials"
  case urlWithCredentials = "url_with_credentials"
  case medicalRecordNumber = "medical_record_number"
  case healthInsuranceID = "health_insurance_id"
  case diagnosisCode = "diagnosis_code"
  case age

  /// The id, as every interface spells it.
  public var id: String { rawValue }

  public var category: Category {
    switch self {
    case .email, .phone, .personName, .address, .dateOfBirth, .gender, .username, .geoCoordinates, .age: .pii
    case .ipAddress, .macAddress, .imei: .technical
    case .usSSN, .passportNumber, .driversLicense, .taxID, .nationalID: .governmentID
    case .iban, .bankAccount, .abaRoutingNumber, .swiftBIC, .cryptoWallet: .financial
    case .cardNumber, .cardExpiration, .cardCVV, .maskedCardNumber, .cardTrackData: .pci
    case .password, .jwt, .awsAccessKey, .privateKey, .apiKey, .basicAuthCredentials, .urlWithCredentials: .secret
    case .medicalRecordNumber, .healthInsuranceID, .diagnosisCode: .health
    }
  }

  public var sensitivity: Sensitivity {
    switch self {
    case .dateOfBirth, .gender, .swiftBIC, .age: .low
    case .email, .phone, .personName, .username, .ipAddress, .macAddress, .maskedCardNumber, .abaRoutingNumber,
      .cryptoWallet, .imei:
      .medium
    case .address, .geoCoordinates, .usSSN, .passportNumber, .driversLicense, .iban, .cardExpiration, .jwt, .taxID,
      .nationalID, .bankAccount, .urlWithCredentials, .medicalRecordNumber, .healthInsuranceID, .diagnosisCode:
      .high
    case .cardNumber, .cardCVV, .password, .awsAccessKey, .privateKey, .apiKey, .cardTrackData,
      .basicAuthCredentials:
      .critical
    }
  }

  /// Whether the detector is judged on this type (the contract's "required" table).
  public var isRequired: Bool {
    guard let index = Self.allCases.firstIndex(of: self), let first = Self.allCases.firstIndex(of: .taxID) else {
      return false
    }
    return index < first
  }

  public static func < (lhs: DataType, rhs: DataType) -> Bool { lhs.rawValue < rhs.rawValue }

  public enum Category: String, Sendable, Hashable, CaseIterable, Codable {
    case pii
    case governmentID = "government_id"
    case financial
    case pci
    case health
    case secret
    case technical
  }
}

/// How much harm a value does in the wrong hands, from a quasi-identifier to enough for fraud.
public enum Sensitivity: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
  case low
  case medium
  case high
  case critical

  public static func < (lhs: Sensitivity, rhs: Sensitivity) -> Bool { lhs.severityRank < rhs.severityRank }

  /// The level's place from low (0) to critical (3).
  var severityRank: Int {
    switch self {
    case .low: 0
    case .medium: 1
    case .high: 2
    case .critical: 3
    }
  }
}
