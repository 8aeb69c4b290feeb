import Detection
import Foundation
import Testing

/// The ids, categories and levels are a contract (the project's data-types file): a test keeps
/// the Swift catalogue equal to it, row by row.
@Suite struct DataTypeTests {
  static let required: [(String, String, String)] = [
    ("email", "pii", "medium"), ("phone", "pii", "medium"), ("person_name", "pii", "medium"),
    ("address", "pii", "high"), ("date_of_birth", "pii", "low"), ("gender", "pii", "low"),
    ("username", "pii", "medium"), ("geo_coordinates", "pii", "high"), ("ip_address", "technical", "medium"),
    ("mac_address", "technical", "medium"), ("us_ssn", "government_id", "high"),
    ("passport_number", "government_id", "high"), ("drivers_license", "government_id", "high"),
    ("iban", "financial", "high"), ("card_number", "pci", "critical"), ("card_expiration", "pci", "high"),
    ("card_cvv", "pci", "critical"), ("masked_card_number", "pci", "medium"), ("password", "secret", "critical"),
    ("jwt", "secret", "high"), ("aws_access_key", "secret", "critical"), ("private_key", "secret", "critical"),
    ("api_key", "secret", "critical"),
  ]
  static let alsoExpected: [(String, String, String)] = [
    ("tax_id", "government_id", "high"), ("national_id", "government_id", "high"),
    ("bank_account", "financial", "high"), ("aba_routing_number", "financial", "medium"),
    ("swift_bic", "financial", "low"), ("crypto_wallet", "financial", "medium"), ("card_track_data", "pci", "critical"),
    ("imei", "technical", "medium"), ("basic_auth_credentials", "secret", "critical"),
    ("url_with_credentials", "secret", "high"), ("medical_record_number", "health", "high"),
    ("health_insurance_id", "health", "high"), ("diagnosis_code", "health", "high"), ("age", "pii", "low"),
  ]

  @Test func everyContractRowHasItsCategoryAndLevel() throws {
    for (rows, required) in [(Self.required, true), (Self.alsoExpected, false)] {
      for (id, category, level) in rows {
        let type = try #require(DataType(rawValue: id), "no type \(id)")
        #expect(type.category.rawValue == category, "\(id)")
        #expect(type.sensitivity.rawValue == level, "\(id)")
        #expect(type.isRequired == required, "\(id)")
      }
    }
    #expect(DataType.allCases.count == Self.required.count + Self.alsoExpected.count)
  }

  @Test func idsEncodeAsTheContractSpellsThem() throws {
    let encoded = try JSONEncoder().encode([DataType.dateOfBirth, .usSSN])
    #expect(String(decoding: encoded, as: UTF8.self) == #"["date_of_birth","us_ssn"]"#)
    #expect(Sensitivity.low < .critical && Sensitivity.high < .critical && !(Sensitivity.medium < .low))
  }
}
