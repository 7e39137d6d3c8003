import XCTest
@testable import CapsText

final class CorpusEncoderTests: XCTestCase {
    let vocabulary = try! Vocabulary(tokens: ["<pad>", "<unk>", "a", "b", "c"], counts: [0, 0, 5, 4, 3])

    func testLabelSetIsSortedByBytesAndIndexesBothWays() {
        let labels = LabelSet(["pos", "neg", "NUM", "pos", "ABBR"])
        XCTAssertEqual(labels.names, ["ABBR", "NUM", "neg", "pos"])
        XCTAssertEqual(labels.index(of: "neg"), 2)
        XCTAssertEqual(labels.name(at: 3), "pos")
        XCTAssertNil(labels.index(of: "other"))
    }

    func testPaddingTruncationLengthsAndUnknownTokens() throws {
        let docs = [
            TokenizedDocument(labels: ["y"], tokens: ["a", "b"], line: 1),
            TokenizedDocument(labels: ["x"], tokens: ["c", "zz", "a", "b", "c"], line: 2),
            TokenizedDocument(labels: ["y"], tokens: [], line: 3),
            TokenizedDocument(labels: ["x"], tokens: ["b", "a", "qq"], line: 4),
        ]
        let encoder = CorpusEncoder(vocabulary: vocabulary, labelSet: LabelSet(["x", "y"]), maxLength: 3)
        let corpus = try encoder.encode(docs, source: "t.tsv")
        XCTAssertEqual(corpus.ids, [2, 3, 0,
                                    4, 1, 2,
                                    0, 0, 0,
                                    3, 2, 1])
        XCTAssertEqual(corpus.lengths, [2, 3, 0, 3])
        XCTAssertEqual(corpus.labels, [1, 0, 1, 0])
        XCTAssertEqual(corpus.lines, [1, 2, 3, 4])
        XCTAssertEqual(Array(corpus.row(1)), [4, 1, 2])

        let stats = corpus.statistics
        XCTAssertEqual(stats.documents, 4)
        XCTAssertEqual(stats.tokens, 10)            // counted before truncation
        XCTAssertEqual(stats.unknownTokens, 2)      // "zz" and "qq"
        XCTAssertEqual(stats.unknownRate, 0.2, accuracy: 1e-12)
        XCTAssertEqual(stats.truncatedDocuments, 1)
        XCTAssertEqual(stats.truncatedShare, 0.25, accuracy: 1e-12)
        XCTAssertEqual(stats.emptyDocuments, 1)
        XCTAssertEqual(stats.labelCounts, ["x": 2, "y": 2])
        XCTAssertEqual(stats.vocabularySize, 5)
        XCTAssertTrue(stats.description.contains("unknown tokens:     2 (20.0%)"), stats.description)
        XCTAssertTrue(stats.description.contains("  x: 2"), stats.description)
    }

    func testUnknownTokensPastTheRowEndStillCount() throws {
        let doc = TokenizedDocument(labels: [], tokens: ["a", "zz", "zz"], line: 1)
        let corpus = try CorpusEncoder(vocabulary: vocabulary, labelSet: nil, maxLength: 1).encode([doc], source: "-")
        XCTAssertEqual(corpus.ids, [2])
        XCTAssertEqual(corpus.statistics.unknownTokens, 2)
        XCTAssertEqual(corpus.labels, [-1])
        XCTAssertEqual(corpus.statistics.unlabeledDocuments, 1)
    }

    func testMultiLabelKeepsFirstAsClassAndAllInOrder() throws {
        let doc = TokenizedDocument(labels: ["news", "sports"], tokens: ["a"], line: 7)
        let corpus = try CorpusEncoder(vocabulary: vocabulary, labelSet: LabelSet(["sports", "news", "tech"]), maxLength: 2)
            .encode([doc], source: "ft.txt")
        XCTAssertEqual(corpus.labels, [0])
        XCTAssertEqual(corpus.allLabels, [[0, 1]])
    }

    func testUnseenLabelIsAnErrorNamingLabelAndLine() {
        let docs = [TokenizedDocument(labels: ["pos"], tokens: ["a"], line: 1),
                    TokenizedDocument(labels: ["meh"], tokens: ["b"], line: 9)]
        let encoder = CorpusEncoder(vocabulary: vocabulary, labelSet: LabelSet(["neg", "pos"]), maxLength: 2)
        XCTAssertThrowsError(try encoder.encode(docs, source: "test.tsv")) { error in
            let error = error as? TextInputError
            XCTAssertEqual(error?.problem, .unseenLabel("meh", known: 2))
            XCTAssertEqual(error?.line, 9)
            XCTAssertTrue(error?.description.hasPrefix("test.tsv:9: label \"meh\"") ?? false)
        }
    }

    func testUnseenLabelCanBeMarkedUnknown() throws {
        let docs = [TokenizedDocument(labels: ["pos"], tokens: ["a"], line: 1),
                    TokenizedDocument(labels: ["meh"], tokens: ["b"], line: 2)]
        let encoder = CorpusEncoder(vocabulary: vocabulary, labelSet: LabelSet(["neg", "pos"]), maxLength: 2,
                                    unseenLabels: .markUnknown)
        let corpus = try encoder.encode(docs, source: "test.tsv", reading: ReadStatistics(skippedBlankLines: 3))
        XCTAssertEqual(corpus.labels, [1, -1])
        XCTAssertEqual(corpus.ids, [2, 0, 3, 0])
        XCTAssertEqual(corpus.statistics.unseenLabels, ["meh": 1])
        XCTAssertEqual(corpus.statistics.labelCounts, ["pos": 1])
        XCTAssertEqual(corpus.statistics.skippedLines, 3)
    }
}
