import DetectionCorpus
import Testing

@Suite struct CorpusTests {
  @Test func splitsAreNamed() { #expect(CorpusSplit.heldOut.rawValue == "held-out") }
}
