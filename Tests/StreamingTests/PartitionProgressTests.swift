import Testing

@testable import Streaming

@Suite("Partition progress") struct PartitionProgressTests {
  /// The commit point is the first offset not done, whatever order messages are done in, and gaps
  /// in the offsets (compacted away, transaction markers) are stepped over.
  @Test func theCommitPointIsTheFirstOffsetNotDone() {
    var progress = PartitionProgress(from: 10)
    #expect(progress.commitPoint == 10)
    for offset: Int64 in [10, 11, 13, 14] { progress.handedOut(offset) }
    #expect(progress.commitPoint == 10 && progress.open == 4 && progress.end == 15)
    #expect(progress.done(11) == false)
    #expect(progress.commitPoint == 10)
    #expect(progress.done(10) == true)
    #expect(progress.commitPoint == 13)
    #expect(progress.done(10) == false && progress.done(12) == false && progress.done(99) == false)
    #expect(progress.done(14) == false && progress.commitPoint == 13)
    #expect(progress.done(13) == true && progress.commitPoint == 15 && progress.open == 0)
  }

  /// Many messages, done in reverse order within batches: the point moves only when a batch's
  /// first is done, and the bookkeeping does not grow without end.
  @Test func longRunsStayCorrect() {
    var progress = PartitionProgress(from: 0)
    for batch in 0..<100 {
      let base = Int64(batch * 100)
      for offset in base..<base + 100 { progress.handedOut(offset) }
      for offset in (base + 1..<base + 100).reversed() { #expect(progress.done(offset) == false) }
      #expect(progress.commitPoint == base)
      #expect(progress.done(base) == true)
      #expect(progress.commitPoint == base + 100)
      #expect(progress.retained == 0)
    }
    #expect(progress.open == 0)
  }

  /// A long run with messages still out at the end: the offsets done before the commit point are
  /// dropped as it moves, in steps of at least 1,024 (not kept until everything is done), and the
  /// point stays right.
  @Test func doneOffsetsAreDroppedWhileOthersAreOut() {
    var progress = PartitionProgress(from: 0)
    for offset: Int64 in 0..<3_000 { progress.handedOut(offset) }
    for offset: Int64 in 0..<2_500 { _ = progress.done(offset) }
    #expect(progress.commitPoint == 2_500 && progress.open == 500)
    // Without the dropping, all 3,000 would be kept.
    #expect(progress.retained <= 500 + 1_024)
    #expect(progress.done(2_999) == false && progress.commitPoint == 2_500)
    for offset: Int64 in 2_500..<2_999 { _ = progress.done(offset) }
    #expect(progress.commitPoint == 3_000 && progress.open == 0 && progress.retained == 0)
  }
}
