import XCTest
@testable import CapsText

final class VocabularyTests: XCTestCase {
    private func documents(_ texts: [String]) -> [TokenizedDocument] {
        texts.enumerated().map { TokenizedDocument(labels: [], tokens: $1.split(separator: " ").map(String.init), line: $0 + 1) }
    }

    func testOrderIsCountThenUTF8BytesAfterTheSpecialTokens() {
        // Counts: b 3, a 2, B 2, é 2, c 1. Byte order: "B" (0x42) < "a" < "é" (0xC3 0xA9).
        let vocabulary = Vocabulary(documents: documents(["b a B c", "b a é", "b B é"]))
        XCTAssertEqual(vocabulary.tokens, ["<pad>", "<unk>", "b", "B", "a", "é", "c"])
        XCTAssertEqual(vocabulary.counts, [0, 0, 3, 2, 2, 2, 1])
        XCTAssertEqual(vocabulary.id(for: "a"), 4)
        XCTAssertEqual(vocabulary.id(for: "never seen"), Vocabulary.unknownID)
        XCTAssertEqual(vocabulary.token(for: 5), "é")
    }

    func testInputOrderDoesNotChangeIds() {
        let forward = Vocabulary(documents: documents(["x y z", "z y", "q"]))
        let backward = Vocabulary(documents: documents(["q", "z y", "x y z"]))
        XCTAssertEqual(forward, backward)
    }

    func testMinCountAndMaxSize() {
        let docs = documents(["a a a b b c", "d d d d"])
        XCTAssertEqual(Vocabulary(documents: docs, minCount: 2).tokens, ["<pad>", "<unk>", "d", "a", "b"])
        // maxSize counts the two special tokens: 4 rows leave room for 2 words.
        XCTAssertEqual(Vocabulary(documents: docs, maxSize: 4).tokens, ["<pad>", "<unk>", "d", "a"])
        XCTAssertEqual(Vocabulary(documents: docs, minCount: 5).tokens, ["<pad>", "<unk>"])
    }

    func testSpecialTokensInInputAreNotCounted() {
        let vocabulary = Vocabulary(documents: documents(["<unk> <pad> w"]))
        XCTAssertEqual(vocabulary.tokens, ["<pad>", "<unk>", "w"])
    }

    func testExtendAppendsUnseenTokensSortedWithoutMovingTrainingIds() {
        var vocabulary = Vocabulary(documents: documents(["the cat the"]))
        let before = vocabulary.tokens
        let added = vocabulary.extend(with: ["zebra", "cat", "apple", "zebra", "<unk>"])
        XCTAssertEqual(added, 2)
        XCTAssertEqual(Array(vocabulary.tokens.prefix(before.count)), before)
        XCTAssertEqual(vocabulary.tokens.suffix(2), ["apple", "zebra"])
        XCTAssertEqual(vocabulary.counts.suffix(2), [0, 0])
        XCTAssertEqual(vocabulary.id(for: "zebra"), Int32(before.count + 1))
    }

    func testRestoringFromStoredArraysRoundTripsAndValidates() throws {
        let original = Vocabulary(documents: documents(["a b b"]))
        XCTAssertEqual(try Vocabulary(tokens: original.tokens, counts: original.counts), original)
        XCTAssertThrowsError(try Vocabulary(tokens: ["<pad>", "<unk>", "a"], counts: [0, 0])) {
            XCTAssertEqual($0 as? VocabularyError, .countMismatch(tokens: 3, counts: 2))
        }
        XCTAssertThrowsError(try Vocabulary(tokens: ["<unk>", "<pad>"], counts: [0, 0])) {
            XCTAssertEqual($0 as? VocabularyError, .missingSpecialTokens(found: ["<unk>", "<pad>"]))
        }
        XCTAssertThrowsError(try Vocabulary(tokens: ["<pad>", "<unk>", "a", "a"], counts: [0, 0, 1, 1])) {
            XCTAssertEqual($0 as? VocabularyError, .duplicateToken("a", firstID: 2, secondID: 3))
        }
    }
}
