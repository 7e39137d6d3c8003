import XCTest
@testable import CapsText
import CapsTestSupport

/// Facts the shared README states about the real data sets, checked through
/// the whole read → tokenise → encode path.
final class SharedDataTests: XCTestCase {
    private func load(_ relativePath: String) throws -> (docs: [TokenizedDocument], reader: DocumentReader) {
        var reader = try DocumentReader(path: try Fixtures.shared(relativePath))
        XCTAssertEqual(reader.format, .tsv)
        let tokenizer = Tokenizer()
        let docs = try reader.readAll().map(tokenizer.tokenize)
        return (docs, reader)
    }

    func testTRECTrainHas5452QuestionsOfSixTypesEachWithin40Tokens() throws {
        let (docs, reader) = try load("data/en/trec/train.tsv")
        XCTAssertEqual(docs.count, 5452)
        XCTAssertEqual(reader.statistics, ReadStatistics())
        let labels = LabelSet(docs.flatMap(\.labels))
        XCTAssertEqual(labels.names, ["ABBR", "DESC", "ENTY", "HUM", "LOC", "NUM"])
        XCTAssertLessThanOrEqual(docs.map(\.tokens.count).max() ?? 0, 40)
        XCTAssertFalse(docs.contains { $0.tokens.isEmpty })

        let vocabulary = Vocabulary(documents: docs)
        let corpus = try CorpusEncoder(vocabulary: vocabulary, labelSet: labels, maxLength: 40)
            .encode(docs, source: "trec/train.tsv")
        XCTAssertEqual(corpus.statistics.truncatedDocuments, 0)
        XCTAssertEqual(corpus.statistics.unknownTokens, 0)   // its own vocabulary covers it
        XCTAssertEqual(corpus.statistics.labelCounts.values.reduce(0, +), 5452)
    }

    func testTHUCNewsTrainHas1000TitlesPerTopicWithin40Characters() throws {
        let (docs, _) = try load("data/zh/thucnews_title/train.tsv")
        XCTAssertEqual(docs.count, 10_000)
        let labels = LabelSet(docs.flatMap(\.labels))
        XCTAssertEqual(labels.count, 10)
        let corpus = try CorpusEncoder(vocabulary: Vocabulary(documents: docs), labelSet: labels, maxLength: 40)
            .encode(docs, source: "thucnews/train.tsv")
        XCTAssertEqual(corpus.statistics.labelCounts, Dictionary(uniqueKeysWithValues: labels.names.map { ($0, 1000) }))
        XCTAssertEqual(corpus.statistics.truncatedDocuments, 0)

        // Character level: one token per non-space character, so ≤ 40 as well,
        // and every Han character is a token of its own in the default mode.
        let chars = Tokenizer(options: TokenizerOptions(characterLevel: true))
        var reader = try DocumentReader(path: try Fixtures.shared("data/zh/thucnews_title/train.tsv"))
        for document in try reader.readAll() {
            let tokens = chars.tokenize(document.text)
            XCTAssertEqual(tokens.count, document.text.precomposedStringWithCompatibilityMapping.filter { !$0.isWhitespace }.count)
            XCTAssertLessThanOrEqual(tokens.count, 40, "line \(document.line)")
        }
        let han = docs.flatMap(\.tokens).filter { $0.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } }
        XCTAssertFalse(han.isEmpty)
        XCTAssertTrue(han.allSatisfy { $0.count == 1 })
    }
}
