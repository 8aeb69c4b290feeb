import Foundation
import Operator
import Testing

/// `Quantity` reads Kubernetes quantities exactly, so spellings of one amount compare equal, and
/// refuses what the API server would refuse.
@Suite struct QuantityTests {
  @Test(arguments: [
    ("1Gi", "1024Mi"), ("0.5", "500m"), ("1", "1000m"), ("1k", "1000"), ("1e3", "1k"), ("1E3", "1000"),
    ("1.5Gi", "1536Mi"), ("100m", "0.1"), ("1Ki", "1024"), ("1Ei", "1024Pi"), ("1M", "1e6"), ("1u", "1000n"),
    ("+2", "2"), ("0", "0Gi"), ("-0", "0"), (".5", "500m"), ("1.", "1"), ("007", "7"), ("10e-1", "1"),
    ("1E", "1000P"), ("1.000000", "1"), ("12345678901234567n", "12345678901.234567m"),
  ])
  func spellingsOfOneAmountAreEqual(_ lhs: String, _ rhs: String) throws {
    #expect(try Quantity(lhs) == Quantity(rhs))
  }

  @Test(arguments: [("1Gi", "1000Mi"), ("500m", "499m"), ("1k", "1Ki"), ("1M", "1Mi"), ("1m", "1M")])
  func differentAmountsDiffer(_ lhs: String, _ rhs: String) throws {
    #expect(try Quantity(lhs) != Quantity(rhs))
  }

  @Test func valuesAreInBaseUnits() throws {
    #expect(try Quantity("128Mi").value == Decimal(134_217_728))
    #expect(try Quantity("250m").value == Decimal(string: "0.25"))
    #expect(try Quantity("2.5e2").value == Decimal(250))
    #expect(try Quantity("-1.5k").value == Decimal(-1500))
    #expect(try Quantity("-1").isNegative)
    #expect(try Quantity("1Gi") > Quantity("1G"))
    #expect(try Quantity("2Gi").description == "2Gi")
  }

  @Test(arguments: [
    "", "Gi", "1.2.3", "1KiB", "1GB", "1 Gi", " 1", "1 ", "1k5", "1e", "1e+", "1e1.5", "--1", "+-1", ".", "+", "1ki",
    "0x10", "1,5", "1e12345", "1e101", "1234567890123456789", "١",
  ])
  func badInputIsRefused(_ text: String) {
    #expect(throws: QuantityError.self) { try Quantity(text) }
  }

  @Test func errorsSayWhatIsWrong() {
    #expect(QuantityError.empty.description == "An empty text is not a quantity.")
    do {
      _ = try Quantity("10GB")
      Issue.record("10GB was read as a quantity")
    } catch {
      #expect(error.description.hasPrefix("\"10GB\" is not a quantity: \"GB\" is not a suffix"))
    }
  }
}
