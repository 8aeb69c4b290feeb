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
    }
    #expect(progress.open == 0)
  }
}
