import CapsCore
import CapsTestSupport
@testable import CapsVectors
import Foundation
import XCTest

/// Lookup order, out-of-vocabulary rows, padding, and the coverage report.
final class EmbeddingTableBuilderTests: XCTestCase {
    /// A file where "Apple" is missing but "apple" is present, "Paris" is
    /// present exactly and lower-cased (exact must win although it comes
    /// later), and "dog" occurs twice (first must win).
    private let fileRows: [(String, [Float])] = [
        ("apple", [1, 1]),
        ("paris", [2, 2]),
        ("dog", [3, 3]),
        ("Paris", [4, 4]),
        ("dog", [5, 5]),
        ("é", [6, 6]),
    ]

    private func vectorFile() throws -> String {
        try writer().write(VectorFileWriter.text(fileRows), to: "small.txt")
    }

    private let vocabulary = ["<pad>", "<unk>", "Apple", "Paris", "dog", "zebra", "É"]

    func testExactThenLowercaseLookupFirstOccurrenceWins() throws {
        let builder = EmbeddingTableBuilder(vocabulary: vocabulary, oovPolicy: .zeros, seed: 1)
        let table = try builder.build(vectorFile: try vectorFile())
        XCTAssertEqual(table.dim, 2)
        XCTAssertEqual(table.values.count, vocabulary.count * 2)
        XCTAssertEqual(Array(table.row(2)), [1, 1], "Apple → apple")
        XCTAssertEqual(Array(table.row(3)), [4, 4], "Paris exact beats paris")
        XCTAssertEqual(Array(table.row(4)), [3, 3], "first dog")
        XCTAssertEqual(Array(table.row(5)), [0, 0], "zebra missing → zeros")
        XCTAssertEqual(Array(table.row(6)), [6, 6], "É → é (non-ASCII lower-casing)")
        XCTAssertEqual(Array(table.row(1)), [0, 0], "<unk> follows the zeros policy")
        XCTAssertEqual(Array(table.row(0)), [0, 0])
        XCTAssertEqual(table.report.types, 5)
        XCTAssertEqual(table.report.typesExact, 2)
        XCTAssertEqual(table.report.typesLowercased, 2)
        XCTAssertNil(table.report.tokens)
    }

    func testTokenCoverageWeightsByCounts() throws {
        // pad and unk counts must not enter the figures.
        let counts: [Int64] = [1000, 1000, 10, 20, 30, 40, 0]
        let builder = EmbeddingTableBuilder(vocabulary: vocabulary, counts: counts, seed: 1)
        let report = try builder.build(vectorFile: try vectorFile()).report
        XCTAssertEqual(report.tokens, 100)
        XCTAssertEqual(report.tokensExact, 50)       // Paris 20 + dog 30
        XCTAssertEqual(report.tokensLowercased, 10)  // Apple 10 + É 0
        XCTAssertEqual(report.tokenCoverage ?? -1, 0.6, accuracy: 1e-12)
        XCTAssertEqual(report.typeCoverage, 0.8, accuracy: 1e-12)
        XCTAssertEqual(report.file?.rowsRead, fileRows.count)
        XCTAssertEqual(report.file?.format, .gloveText)
        XCTAssertTrue(report.description.contains("4 / 5"), report.description)
        XCTAssertTrue(report.description.contains("60 / 100"), report.description)
    }

    func testUniformOOVRangeAndReproducibility() throws {
        let words = ["<pad>", "<unk>"] + (0..<500).map { "oov\($0)" }
        let path = try vectorFile()
        let bound: Float = 0.25
        let a = try EmbeddingTableBuilder(vocabulary: words, oovPolicy: .uniform(bound: bound), seed: 42).build(vectorFile: path)
        let b = try EmbeddingTableBuilder(vocabulary: words, oovPolicy: .uniform(bound: bound), seed: 42).build(vectorFile: path)
        let c = try EmbeddingTableBuilder(vocabulary: words, oovPolicy: .uniform(bound: bound), seed: 43).build(vectorFile: path)
        XCTAssertEqual(a.values, b.values, "same seed, same table")
        XCTAssertNotEqual(a.values, c.values, "another seed, another table")
        let random = a.values[a.dim...]  // every row but padding
        XCTAssertTrue(random.allSatisfy { $0 >= -bound && $0 < bound })
        // 1,002 draws of U(-0.25, 0.25): mean 0 (sd ≈ 0.0046), variance 1/48.
        let mean = random.reduce(0, +) / Float(random.count)
        let variance = random.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(random.count)
        XCTAssertEqual(mean, 0, accuracy: 0.02)
        XCTAssertEqual(variance, 1.0 / 48.0, accuracy: 0.003)
        XCTAssertTrue(random.contains { $0 < -0.2 } && random.contains { $0 > 0.2 }, "draws fill the range")
    }

    func testMatchedOOVTakesTheVarianceOfTheVectorsFound() throws {
        // Found rows: Apple [1, 1], Paris [4, 4], dog [3, 3], É [6, 6] → components
        // 1,1,4,4,3,3,6,6: mean 3.5, variance 3.25, so bound √9.75.
        let table = try EmbeddingTableBuilder(vocabulary: vocabulary, oovPolicy: .matched, seed: 7).build(vectorFile: try vectorFile())
        let bound = Float(9.75.squareRoot())
        XCTAssertEqual(table.report.oovPolicy, .uniform(bound: bound))
        XCTAssertTrue(table.report.oovMatched)
        XCTAssertTrue(table.report.description.contains("matched to the pretrained vectors' variance"), table.report.description)
        // The same draws as --oov uniform with that bound: zebra and <unk> scaled, found rows untouched.
        let uniform = try EmbeddingTableBuilder(vocabulary: vocabulary, oovPolicy: .uniform(bound: bound), seed: 7)
            .build(vectorFile: try vectorFile())
        XCTAssertEqual(table.values, uniform.values)
        XCTAssertEqual(Array(table.row(2)), [1, 1])
        XCTAssertTrue(table.row(5).allSatisfy { abs($0) < bound } && table.row(5).contains { abs($0) > 0.25 },
                      "zebra: \(Array(table.row(5))) within ±\(bound), beyond Kim's 0.25")
    }

    func testRandomRowsAreDrawnInIdOrderFromTheSeed() throws {
        // Row id gets draws (id-1)*dim ..< id*dim of SeededGenerator(seed),
        // whether or not the file covers other rows.
        let seed: UInt64 = 7
        var generator = SeededGenerator(seed: seed)
        var expected = [Float](repeating: 0, count: vocabulary.count * 2)
        for i in 2..<expected.count { expected[i] = generator.uniform(-0.25, 0.25) }
        let table = try EmbeddingTableBuilder(vocabulary: vocabulary, seed: seed).build(vectorFile: try vectorFile())
        XCTAssertEqual(Array(table.row(1)), Array(expected[2..<4]), "<unk>")
        XCTAssertEqual(Array(table.row(5)), Array(expected[10..<12]), "zebra")
        // Without a file every row but padding holds exactly those draws.
        let random = EmbeddingTableBuilder(vocabulary: vocabulary, seed: seed).buildRandom(dim: 2)
        XCTAssertEqual(random.values, expected)
        XCTAssertNil(random.report.file)
        XCTAssertEqual(random.report.typesFound, 0)
    }

    func testPaddingRowIsZeroEvenWhenTheFileHasIt() throws {
        let path = try writer().write(VectorFileWriter.text([("<pad>", [9, 9]), ("<unk>", [8, 8])]), to: "pad.txt")
        let table = try EmbeddingTableBuilder(vocabulary: ["<pad>", "<unk>", "x"], seed: 3).build(vectorFile: path)
        XCTAssertEqual(Array(table.row(0)), [0, 0])
        XCTAssertNotEqual(Array(table.row(1)), [8, 8], "<unk> is never looked up")
        XCTAssertEqual(EmbeddingTableBuilder(vocabulary: ["<pad>", "<unk>"], seed: 3).buildRandom(dim: 4).row(0), [0, 0, 0, 0])
    }

    func testRequestedDimensionIsChecked() throws {
        let builder = EmbeddingTableBuilder(vocabulary: vocabulary, seed: 1)
        let path = try vectorFile()
        XCTAssertEqual(try builder.build(vectorFile: path, dim: 2).dim, 2)
        let e = vectorError { _ = try builder.build(vectorFile: path, dim: 3) }
        XCTAssertEqual(e?.kind, .dimensionMismatch(file: 2, requested: 3))
    }

    func testVocabularyOfSpecialTokensOnly() throws {
        let table = try EmbeddingTableBuilder(vocabulary: ["<pad>", "<unk>"], counts: [0, 0], seed: 1)
            .build(vectorFile: try vectorFile())
        XCTAssertEqual(table.report.types, 0)
        XCTAssertEqual(table.report.typeCoverage, 0)
        XCTAssertEqual(table.report.tokenCoverage, 0)
    }
}
