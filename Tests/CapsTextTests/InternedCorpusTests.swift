import XCTest
@testable import CapsText

/// `InternedCorpus` must encode as `CorpusEncoder` does, once the vocabulary
/// is known: the same ids, lengths, labels and statistics.
final class InternedCorpusTests: XCTestCase {
    /// Seeded random documents over a small alphabet, so counts tie, tokens
    /// repeat, rows truncate, and labels come zero, one or several at a time.
    func randomDocuments(count: Int, seed: UInt64) -> [TokenizedDocument] {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        let words = ["a", "b", "c", "d", "e", "f", "gg", "hh", "<unk>", "<pad>", "猫", "🐈"]
        let labels = ["x", "y", "z", "w"]
        return (0..<count).map { i in
            TokenizedDocument(labels: (0..<[0, 1, 1, 1, 2, 3][next(6)]).map { _ in labels[next(labels.count)] },
                              tokens: (0..<next(9)).map { _ in words[next(words.count)] }, line: i + 1)
        }
    }

    func interned(_ documents: [TokenizedDocument], maxLength: Int) -> InternedCorpus {
        var corpus = InternedCorpus(maxLength: maxLength)
        for document in documents { corpus.add(document) }
        return corpus
    }

    func assertSame(_ documents: [TokenizedDocument], vocabulary: Vocabulary, labelSet: LabelSet?, maxLength: Int,
                    unseenLabels: UnseenLabelPolicy, line: UInt = #line) throws {
        let reading = ReadStatistics(skippedBlankLines: 2, repairedLines: 1)
        let expected = try CorpusEncoder(vocabulary: vocabulary, labelSet: labelSet, maxLength: maxLength,
                                         unseenLabels: unseenLabels).encode(documents, source: "t", reading: reading)
        var corpus = interned(documents, maxLength: maxLength)
        let actual = try corpus.encode(vocabulary: vocabulary, labelSet: labelSet, unseenLabels: unseenLabels,
                                       source: "t", reading: reading)
        XCTAssertEqual(actual.ids, expected.ids, line: line)
        XCTAssertEqual(actual.lengths, expected.lengths, line: line)
        XCTAssertEqual(actual.labels, expected.labels, line: line)
        XCTAssertEqual(actual.statistics, expected.statistics, line: line)
        XCTAssertEqual(actual.isMultiLabel, expected.allLabels.contains { $0.count > 1 }, line: line)
        let lists = (0..<documents.count).map {
            Array(actual.labelIndices[Int(actual.labelOffsets[$0])..<Int(actual.labelOffsets[$0 + 1])])
        }
        XCTAssertEqual(lists, expected.allLabels, line: line)
    }

    func testEncodesAsCorpusEncoderForTrainingForeignAndExtendedVocabularies() throws {
        for seed in 1...20 as ClosedRange<UInt64> {
            let documents = randomDocuments(count: 60, seed: seed)
            let corpus = interned(documents, maxLength: 4)
            for (minCount, maxSize) in [(1, nil), (3, nil), (1, 5), (2, 8)] as [(Int64, Int?)] {
                let vocabulary = corpus.vocabulary(minCount: minCount, maxSize: maxSize)
                XCTAssertEqual(vocabulary, Vocabulary(documents: documents, minCount: minCount, maxSize: maxSize))
                for maxLength in [1, 4, 9] {
                    try assertSame(documents, vocabulary: vocabulary, labelSet: LabelSet(documents.flatMap(\.labels)),
                                   maxLength: maxLength, unseenLabels: .fail)
                    try assertSame(documents, vocabulary: vocabulary, labelSet: nil, maxLength: maxLength,
                                   unseenLabels: .fail)
                }
            }
            // A training vocabulary and label set from other documents, then extended.
            let training = randomDocuments(count: 10, seed: seed + 100)
            var vocabulary = Vocabulary(documents: training, minCount: 2)
            let labelSet = LabelSet(["x", "y"])
            try assertSame(documents, vocabulary: vocabulary, labelSet: labelSet, maxLength: 3, unseenLabels: .markUnknown)
            vocabulary.extend(with: corpus.tokens)
            var reference = Vocabulary(documents: training, minCount: 2)
            reference.extend(with: documents.flatMap(\.tokens))
            XCTAssertEqual(vocabulary, reference)
            try assertSame(documents, vocabulary: vocabulary, labelSet: labelSet, maxLength: 3, unseenLabels: .markUnknown)
        }
    }

    func testTokensOfADocumentAreItsFirstLTokensAsWritten() {
        let documents = randomDocuments(count: 40, seed: 7)
        let corpus = interned(documents, maxLength: 3)
        for (i, document) in documents.enumerated() {
            XCTAssertEqual(corpus.tokens(ofDocument: i), Array(document.tokens.prefix(3)))
        }
    }

    /// The lexical view is the rows `CorpusEncoder` gives at L_x, beside the
    /// rows at L, which (and whose statistics) it leaves as they were.
    func testALexicalViewIsTheEncodingAtItsOwnLength() throws {
        let documents = randomDocuments(count: 50, seed: 11)
        let vocabulary = Vocabulary(documents: documents, minCount: 2)
        let labelSet = LabelSet(documents.flatMap(\.labels))
        for (L, lexical) in [(3, 3), (3, 7), (1, 12)] {
            var corpus = InternedCorpus(maxLength: L, lexicalLength: lexical)
            for document in documents { corpus.add(document) }
            for (i, document) in documents.enumerated() {
                XCTAssertEqual(corpus.lexicalTokens(ofDocument: i), Array(document.tokens.prefix(lexical)))
            }
            let encoded = try corpus.encode(vocabulary: vocabulary, labelSet: labelSet, source: "t")
            let rows = try CorpusEncoder(vocabulary: vocabulary, labelSet: labelSet, maxLength: L).encode(documents, source: "t")
            let view = try CorpusEncoder(vocabulary: vocabulary, labelSet: labelSet, maxLength: lexical).encode(documents, source: "t")
            XCTAssertEqual(encoded.ids, rows.ids)
            XCTAssertEqual(encoded.statistics, rows.statistics, "truncation is counted at L")
            XCTAssertEqual(encoded.lexicalIds, view.ids)
        }
        var plain = interned(documents, maxLength: 3)
        XCTAssertNil(try plain.encode(vocabulary: vocabulary, labelSet: labelSet, source: "t").lexicalIds)
    }

    func testFirstUnseenLabelFailsAsCorpusEncoderDoes() throws {
        let documents = [
            TokenizedDocument(labels: ["x"], tokens: ["a"], line: 3),
            TokenizedDocument(labels: ["x", "q"], tokens: ["b"], line: 5),
            TokenizedDocument(labels: ["p"], tokens: [], line: 8),
            TokenizedDocument(labels: ["q"], tokens: [], line: 9),
        ]
        let vocabulary = Vocabulary(documents: documents)
        let labelSet = LabelSet(["x"])
        var expected: Error?, actual: Error?
        XCTAssertThrowsError(try CorpusEncoder(vocabulary: vocabulary, labelSet: labelSet, maxLength: 2)
            .encode(documents, source: "t.tsv")) { expected = $0 }
        var corpus = interned(documents, maxLength: 2)
        XCTAssertThrowsError(try corpus.encode(vocabulary: vocabulary, labelSet: labelSet, source: "t.tsv")) { actual = $0 }
        XCTAssertEqual(actual as? TextInputError, expected as? TextInputError)
        XCTAssertTrue("\(actual!)".contains("t.tsv:5"), "\(actual!)")
    }
}
