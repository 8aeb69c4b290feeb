import Detection
import DetectionCorpus
import Testing

@Suite struct ScoringTests {
  static func labels(_ line: String) throws -> [String: Set<DataType>] { try ScoringLine.labels(Array(line.utf8)) }
  static func prediction(_ line: String) throws -> Prediction { try ScoringLine.prediction(Array(line.utf8)) }

  @Test func labelsLinesGiveTypesPerPathIncludingEscapedPaths() throws {
    let line = #"""
      {"document":{"a b":"+1 415 555 0100","it's":"x","items":[{"dob":"1980-01-02"}],"labels":"decoy"},\#
      "labels":{"$['a b']":["phone"],"$['it\\'s']":["username","person_name"],"$.items[*].dob":["date_of_birth"],\#
      "$.none":[]}}
      """#
    let labels = try Self.labels(line)
    #expect(
      labels == [
        "$['a b']": [.phone], "$['it\\'s']": [.username, .personName], "$.items[*].dob": [.dateOfBirth],
      ])
  }

  @Test func labelsLinesRefuseUnknownTypesAndOtherShapes() {
    #expect(throws: ScoringError.unknownType("social")) { try Self.labels(#"{"labels":{"$.a":["social"]}}"#) }
    #expect {
      try Self.labels(#"{"labels":{"$.a":"email"}}"#)
    } throws: { error in
      guard case ScoringError.malformedLabels = error else { return false }
      return true
    }
    #expect {
      try Self.labels(#"{"labels":{"$.a":["email"]"#)
    } throws: { error in
      guard case ScoringError.invalidJSON = error else { return false }
      return true
    }
  }

  @Test func predictionLinesUnionTypesPerPath() throws {
    let line = #"""
      {"fields":[{"path":"$.customer.email","types":["email"],"sensitivity":"medium","source":"value","score":0.97},\#
      {"path":"$['odd key'][*].x","types":["ip_address","phone"],"sensitivity":"medium","source":"both","score":0.5},\#
      {"path":"$.customer.email","types":["username"],"sensitivity":"medium","source":"key","score":0.4}],\#
      "sensitivity":"medium"}
      """#
    let prediction = try Self.prediction(line)
    #expect(!prediction.isError)
    #expect(prediction.types == ["$.customer.email": [.email, .username], "$['odd key'][*].x": [.ipAddress, .phone]])
  }

  @Test func predictionLinesReadWhatTheDetectorWrites() throws {
    let path = FieldPath([.key("odd key"), .anyElement, .key("it's")])
    let findings = DocumentFindings(
      fields: [FieldFinding(path: path, types: [.email, .username], source: .both, score: 0.9)], sensitivity: .medium)
    #expect(try Self.prediction(findings.json).types == [path.description: [.email, .username]])
    #expect(try Self.prediction(DocumentFindings(fields: [], sensitivity: nil).json).types.isEmpty)
  }

  @Test func errorLinesAreNoPredictionsAndAreCounted() throws {
    let prediction = try Self.prediction(#"{"error":"invalid JSON at byte 3: unexpected character"}"#)
    #expect(prediction.isError)
    #expect(prediction.types.isEmpty)

    var board = Scoreboard()
    board.add(labels: ["$.a": [.email]], prediction: prediction)
    board.add(labels: ["$.a": [.email]], prediction: try Self.prediction(#"{"fields":[],"sensitivity":"none"}"#))
    #expect(board.documents == 2)
    #expect(board.errors == 1)
    #expect(board[.email] == TripleCounts(truePositives: 0, falsePositives: 0, falseNegatives: 2))
  }

  @Test func predictionLinesRefuseTypesWithoutAPathDocumentsAndUnknownTypes() {
    #expect {
      try Self.prediction(#"{"fields":[{"types":["email"],"path":"$.a"}]}"#)
    } throws: { error in
      guard case ScoringError.malformedPredictions = error else { return false }
      return true
    }
    #expect {
      try Self.prediction(#"{"customer":{"email":"a@example.com"}}"#)
    } throws: { error in
      guard case ScoringError.malformedPredictions = error else { return false }
      return true
    }
    #expect(throws: ScoringError.unknownType("EMAIL_ADDRESS")) {
      try Self.prediction(#"{"fields":[{"path":"$.a","types":["EMAIL_ADDRESS"]}]}"#)
    }
  }

  /// Two documents whose counts are worked out by hand:
  /// email TP 1; person_name TP 1; phone TP 1; date_of_birth TP 1, FP 1; address FP 1;
  /// card_number FN 1; tax_id (not required) FP 1, FN 1.
  static func handWorkedBoard() -> Scoreboard {
    var board = Scoreboard()
    board.add(
      labels: ["$.email": [.email], "$.name": [.personName], "$.card": [.cardNumber], "$['a b']": [.phone]],
      predicted: ["$.email": [.email], "$.name": [.personName, .address], "$['a b']": [.phone], "$.id": [.taxID]])
    board.add(
      labels: ["$.items[*].dob": [.dateOfBirth], "$.tin": [.taxID]],
      predicted: ["$.items[*].dob": [.dateOfBirth], "$.created": [.dateOfBirth]])
    return board
  }

  @Test func countsPerTypeAndMicroAveragesMatchTheHandWorkedExample() {
    let board = Self.handWorkedBoard()
    #expect(board[.email] == TripleCounts(truePositives: 1))
    #expect(board[.address] == TripleCounts(falsePositives: 1))
    #expect(board[.cardNumber] == TripleCounts(falseNegatives: 1))
    #expect(board[.dateOfBirth] == TripleCounts(truePositives: 1, falsePositives: 1))
    #expect(board[.taxID] == TripleCounts(falsePositives: 1, falseNegatives: 1))
    #expect(board.counts[.gender] == nil)
    #expect(board[.dateOfBirth].precision == 0.5)
    #expect(board[.dateOfBirth].recall == 1)
    #expect(abs(board[.dateOfBirth].f1 - 2.0 / 3.0) < 1e-12)
    #expect(board[.taxID].f1 == 0)

    // Required: TP 4 (email, person_name, phone, date_of_birth), FP 2 (address, date_of_birth), FN 1 (card).
    let required = board.microRequired
    #expect(required == TripleCounts(truePositives: 4, falsePositives: 2, falseNegatives: 1))
    #expect(required.support == 5)
    #expect(abs(required.precision - 4.0 / 6.0) < 1e-12)
    #expect(abs(required.recall - 0.8) < 1e-12)
    #expect(abs(required.f1 - 8.0 / 11.0) < 1e-12)
    #expect(abs(required.f05 - 5.0 / 7.25) < 1e-12)

    // All types add tax_id: FP 3, FN 2.
    let all = board.microAll
    #expect(all == TripleCounts(truePositives: 4, falsePositives: 3, falseNegatives: 2))
    #expect(abs(all.f1 - 8.0 / 13.0) < 1e-12)
    #expect(abs(all.f05 - 5.0 / 8.5) < 1e-12)

    #expect(
      board.summary(name: "sovren")
        == "sovren: required P 0.667 R 0.800 F1 0.727 F0.5 0.690 (TP 4, FP 2, FN 1); "
        + "all types P 0.571 R 0.667 F1 0.615 F0.5 0.588 (TP 4, FP 3, FN 2); 2 documents, 0 errors")
  }

  @Test func sideBySideMarkdownTableHasOneRowPerSeenTypeAndColumnsPerSystem() {
    var other = Scoreboard()
    other.add(labels: ["$.email": [.email]], predicted: ["$.email": [.email], "$.ip": [.ipAddress]])
    let table = Scoreboard.table([("sovren", Self.handWorkedBoard()), ("presidio", other)], markdown: true)
    let lines = table.split(separator: "\n").map(String.init)
    #expect(
      lines.first == "| type | support | sovren P | sovren R | sovren F1 | presidio P | presidio R | presidio F1 |")
    #expect(lines.dropFirst().first == "|---|---:|---:|---:|---:|---:|---:|---:|")
    // Required types first in the contract's order, then the others, then the micro rows.
    #expect(
      lines.dropFirst(2).map { $0.split(separator: "|").first.map { $0.trimmingSpaces } ?? "" } == [
        "email", "phone", "person_name", "address", "date_of_birth", "ip_address", "card_number", "tax_id (not judged)",
        "**micro, required**", "**micro, all types**",
      ])
    #expect(lines.contains("| email | 1 | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 |"))
    // Labelled by nobody, predicted by presidio only: no support, no recall; sovren predicted none.
    #expect(lines.contains("| ip_address | 0 | - | - | - | 0.000 | - | 0.000 |"))
    #expect(lines.contains("| date_of_birth | 1 | 0.500 | 1.000 | 0.667 | - | - | - |"))
    #expect(lines.contains("| **micro, required** | 5 | 0.667 | 0.800 | 0.727 | 0.500 | 1.000 | 0.667 |"))
    #expect(!table.contains("gender"))
  }

  @Test func plainTableAlignsColumns() {
    let table = Scoreboard.table([("sovren", Self.handWorkedBoard())], markdown: false)
    let lines = table.split(separator: "\n")
    #expect(lines.count == 10)  // the header, seven types, two micro rows
    #expect(Set(lines.map(\.count)).count == 1)
    #expect(lines.first?.hasPrefix("type ") == true)
    #expect(lines.contains { $0.hasPrefix("tax_id (not judged)") && $0.hasSuffix("0.000") })
  }
}

extension Substring {
  fileprivate var trimmingSpaces: String {
    String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
  }
}
