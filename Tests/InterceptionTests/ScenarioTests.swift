import Interception
import SovrenModel
import Testing
import TrafficSynth

/// Every scenario of the generated catalogue: the pairs out are exactly the expected set (none
/// missing, none extra, bodies byte-equal after decoding) and every drop counter reads what
/// the scenario caused.
@Suite("Generated captures")
struct ScenarioTests {
  @Test("pairs and drops match the ground truth", arguments: Scenarios.all.map(\.name))
  func scenario(named name: String) throws {
    let scenario = try #require(Scenarios.named(name))
    let result = try intercept(scenario)

    var expected = scenario.expectedPairs
    var actual = result.pairs
    if !scenario.timesAreExact {
      expected = expected.map(withoutTimes)
      actual = actual.map(withoutTimes)
    }
    expected.sort { sortKey($0) < sortKey($1) }
    actual.sort { sortKey($0) < sortKey($1) }
    let missing = expected.filter { !actual.contains($0) }
    let extra = actual.filter { !expected.contains($0) }
    let missingPairs = missing.map(describe)
    let unexpectedPairs = extra.map(describe)
    #expect(missingPairs.isEmpty)
    #expect(unexpectedPairs.isEmpty)
    #expect(actual.count == expected.count)
    if let mismatch = zip(expected, actual).first(where: { $0 != $1 }), missing.count == extra.count {
      // Name the differing field of the first pair that is off, so the failure says what broke.
      let (want, got) = mismatch
      #expect(want.request.headers == got.request.headers)
      #expect(want.response.headers == got.response.headers)
      #expect(want.request.body.count == got.request.body.count && want.request.body == got.request.body)
      #expect(want.response.body.count == got.response.body.count && want.response.body == got.response.body)
      #expect(want.requestTime == got.requestTime)
      #expect(want.responseTime == got.responseTime)
    }

    for reason in DropReason.allCases {
      let count = result.statistics.drops[reason]
      #expect(
        scenario.expectedCount(for: reason).matches(count),
        "\(reason.label): counted \(count), expected \(scenario.expectedCount(for: reason))")
    }
    #expect(result.statistics.bufferedBytes == 0, "bytes still accounted as buffered after the capture ended")
  }
}
