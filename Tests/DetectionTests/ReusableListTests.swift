import Testing

@testable import Detection

/// The scratch list the detector empties and refills field after field.
@Suite struct ReusableListTests {
  @Test func refillingAfterEmptyingShowsOnlyTheNewElements() {
    var list = ReusableList<Int>(capacity: 2)
    #expect(list.isEmpty)
    for value in 1...5 { list.append(value) }
    #expect(Array(list) == [1, 2, 3, 4, 5])
    list.removeAll()
    #expect(list.isEmpty && list.count == 0)
    list.append(9)
    list.append(8)
    // The storage still holds 3, 4, 5 past the count: none of them shows.
    #expect(Array(list) == [9, 8])
    #expect(list[1] == 8 && list.last == 8)
    #expect(Array(list.prefix(1)) == [9])
    for value in 10...16 { list.append(value) }
    #expect(Array(list) == [9, 8] + Array(10...16))
  }

  @Test func appendingABufferWritesOverLeftoversAndGrows() {
    var list = ReusableList<UInt64>()
    let first: [UInt64] = [1, 2, 3, 4, 5, 6]
    first.withUnsafeBufferPointer { list.append(contentsOf: $0) }
    list.removeAll()
    list.append(7)
    let second: [UInt64] = [8, 9, 10, 11, 12, 13, 14, 15]
    second.withUnsafeBufferPointer { list.append(contentsOf: $0) }
    #expect(Array(list) == [7] + second)
    [UInt64]().withUnsafeBufferPointer { list.append(contentsOf: $0) }
    #expect(list.count == 9)
  }
}
