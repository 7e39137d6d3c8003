import CapsTestSupport
@testable import CapsVectors
import Foundation
import XCTest

/// The real vector files in ../shared (skipped when absent).
final class SharedVectorsTests: XCTestCase {
    /// The first line of a text file, split on spaces.
    private func firstLine(of path: String, skippingHeader: Bool) throws -> [Substring] {
        let handle = try XCTUnwrap(FileHandle(forReadingAtPath: path))
        defer { try? handle.close() }
        let head = String(decoding: handle.readData(ofLength: 64 * 1024), as: UTF8.self)
        let lines = head.split(separator: "\n")
        return lines[skippingHeader ? 1 : 0].split(separator: " ")
    }

    func testGloVe50dForASmallVocabulary() throws {
        let path = try Fixtures.shared("vectors/glove.6B.50d.txt")
        let vocabulary = ["<pad>", "<unk>", "the", "of", "question", "The", "qqxzyzzyq"]
        let table = try EmbeddingTableBuilder(vocabulary: vocabulary, counts: [0, 0, 5, 3, 1, 1, 2], seed: 1)
            .build(vectorFile: path, dim: 50)
        XCTAssertEqual(table.dim, 50)
        let the = try firstLine(of: path, skippingHeader: false)
        XCTAssertEqual(the.first, "the")
        // Parsed independently by Swift's Float(String), not strtof.
        let expected = the.dropFirst().map { Float(String($0))! }
        XCTAssertEqual(Array(table.row(2)), expected)
        XCTAssertEqual(Array(table.row(5)), expected, "The → the")
        let report = table.report
        XCTAssertEqual(report.file?.rowsRead, 400_000)
        XCTAssertEqual(report.file?.format, .gloveText)
        XCTAssertEqual(report.typesExact, 3)
        XCTAssertEqual(report.typesLowercased, 1)
        XCTAssertEqual(report.tokens, 12)
        XCTAssertEqual(report.tokenCoverage ?? 0, 10.0 / 12.0, accuracy: 1e-12)
        XCTAssertTrue(table.row(6).allSatisfy { abs($0) <= 0.25 } && table.row(6).contains { $0 != 0 })
    }

    func testTencentChineseCharacters() throws {
        let path = try Fixtures.shared("vectors/tencent_char200.txt")
        let first = try firstLine(of: path, skippingHeader: true)
        let firstWord = String(first[0])
        let vocabulary = ["<pad>", "<unk>", "中", "国", firstWord, "\u{10FFFD}"]
        let table = try EmbeddingTableBuilder(vocabulary: vocabulary, oovPolicy: .zeros, seed: 1).build(vectorFile: path)
        XCTAssertEqual(table.report.file?.format, .word2vecText)
        XCTAssertEqual(table.report.file?.rowsRead, 4729)
        XCTAssertEqual(table.dim, 200)
        XCTAssertEqual(Array(table.row(4)), first.dropFirst().map { Float(String($0))! })
        XCTAssertEqual(table.report.typesExact, 3)
        for id in [2, 3] { XCTAssertTrue(table.row(id).contains { $0 != 0 }, vocabulary[id]) }
        XCTAssertTrue(table.row(5).allSatisfy { $0 == 0 })
    }
}
