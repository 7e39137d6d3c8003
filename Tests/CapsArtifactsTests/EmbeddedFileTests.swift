@testable import CapsArtifacts
import CapsKit
import CapsKitTestSupport
import CapsReports
import CapsStorage
import CapsTestSupport
import CapsText
import CapsVectors
import XCTest

final class EmbeddedFileTests: XCTestCase {
    func write(_ tokens: TokensFile, dim: Int) throws -> (path: String, table: EmbeddingTable) {
        let path = try Fixtures.temporaryDirectory(for: self).appendingPathComponent("e.emb.h5").path
        let table = ArtifactSamples.table(for: tokens, dim: dim)
        let settings = EmbeddingSettings(vectorsPath: "v.txt", vectorsSHA256: "00ff", vectorsFormat: .word2vecBinary,
                                         oov: .uniform(bound: 0.5), seed: UInt64.max)
        try EmbeddedFile.write(tokens: tokens, table: table, settings: settings,
                               provenance: Provenance(tool: "embed", command: "embed t.h5 -o e.h5"), to: path)
        return (path, table)
    }

    func testRoundTrip() throws {
        let tokens = try ArtifactSamples.tokens()
        let (path, table) = try write(tokens, dim: 5)
        let file = try EmbeddedFile(path: path)
        XCTAssertEqual([file.count, file.maxLength, file.dim], [3, 4, 5])
        XCTAssertEqual(file.ids, tokens.ids)
        XCTAssertEqual(file.lengths, tokens.lengths)
        XCTAssertEqual(file.labels, tokens.labels)
        XCTAssertEqual(try file.requireLabels(), [1, -1, 0])
        XCTAssertEqual(file.allLabels, tokens.allLabels)
        XCTAssertEqual(file.labelNames, tokens.labelNames)
        XCTAssertEqual(file.vocabulary, tokens.vocabulary)
        XCTAssertEqual(file.trainVocabularySize, 5)
        XCTAssertEqual(file.embedding, table.values)
        XCTAssertEqual(file.tokenization, tokens.settings, "tokenizer settings survive through the tokens_ prefix")
        XCTAssertEqual(file.settings.seed, UInt64.max, "seeds above Int64.max survive as bit patterns")
        XCTAssertEqual(file.settings.oov, .uniform(bound: 0.5))
        XCTAssertEqual(file.settings.vectorsFormat, .word2vecBinary)
        XCTAssertEqual(file.provenance.tool, "embed")
        XCTAssertEqual(file.attributes["tokens_tool"], .string("tokenize"))
        XCTAssertEqual(file.attributes["tokens_source_sha256"], .string(tokens.sourceSHA256))
        XCTAssertEqual(file.attributes["coverage_types"], .int(4))

        // Each /x row is the table row of its id; padding (id 0) is zeros.
        var x = [Float](repeating: 0, count: 3 * 4 * 5)
        try x.withUnsafeMutableBufferPointer { try file.readRows(start: 0, count: 3, into: $0) }
        for (k, id) in tokens.ids.enumerated() {
            XCTAssertEqual(Array(x[(k * 5)..<(k * 5 + 5)]), Array(table.row(Int(id))), "token \(k)")
        }
        XCTAssertEqual(Array(x[(2 * 5)..<(4 * 5)]), [Float](repeating: 0, count: 10), "padding of document 0")
    }

    func testManyDocumentsStreamAcrossChunksAndBlocks() throws {
        // 1100 documents: more than two write blocks (512) and many 64-row chunks.
        let n = 1100
        let base = try ArtifactSamples.tokens(labeled: false)
        var ids: [Int32] = []
        for i in 0..<n { ids += [Int32(i % 6), Int32((i / 6) % 6), 0, Int32(i % 5)] }
        var tokens = base
        tokens.ids = ids
        tokens.lengths = [Int32](repeating: 4, count: n)
        let (path, table) = try write(tokens, dim: 3)
        let file = try EmbeddedFile(path: path)
        XCTAssertNil(file.labels)
        XCTAssertThrowsError(try file.requireLabels()) { XCTAssertTrue("\($0)".contains("/labels"), "\($0)") }
        // Read an unaligned range crossing a chunk and a block boundary.
        let start = 500, count = 30
        var rows = [Float](repeating: -1, count: count * 4 * 3)
        try rows.withUnsafeMutableBufferPointer { try file.readRows(start: start, count: count, into: $0) }
        for k in 0..<(count * 4) {
            let id = Int(ids[start * 4 + k])
            XCTAssertEqual(Array(rows[(k * 3)..<(k * 3 + 3)]), Array(table.row(id)))
        }
        let h5 = try H5File.open(at: path)
        XCTAssertEqual(try h5.shape(of: "/x"), [n, 4, 3])
    }

    func testTokensFileIsRejectedAsEmbedded() throws {
        let path = try Fixtures.temporaryDirectory(for: self).appendingPathComponent("t.tokens.h5").path
        try ArtifactSamples.tokens().write(to: path)
        XCTAssertThrowsError(try EmbeddedFile(path: path)) { error in
            XCTAssertEqual("\(error)", "\(path): attribute 'format' on /: found \"capskit.tokens\"; expected \"capskit.embedded\"")
        }
    }

    func testShapesMustAgree() throws {
        let (path, _) = try write(try ArtifactSamples.tokens(), dim: 5)
        let h5 = try H5File.open(at: path, writable: true)
        try h5.setAttribute("dim", 6)
        try h5.close()
        XCTAssertThrowsError(try EmbeddedFile(path: path)) { error in
            XCTAssertTrue("\(error)".contains("dataset /x: expected shape [*,4,6], found [3,4,5]"), "\(error)")
        }
    }
}
