import DetectorService
import Testing

@Suite struct DetectorServiceTests {
  @Test func placeholder() { #expect(Bool(true)) }
}
