import CapsArtifacts
import CapsKit
import CapsKitTestSupport
import CapsReports
import CapsStorage
import CapsTestSupport
import CapsText
import XCTest

/// End-to-end runs of the built `embed` on a small tokens file and small
/// vector files, checking `/x` against the vectors written here.
final class EmbedToolTests: ToolTestCase {
    /// Vectors for some of the training words; "zebra" is not in the corpus.
    /// Values are exact binary fractions, so text round trips are exact.
    static let vectors: [(String, [Float])] = [
        ("how", [0.5, -1.0, 2.25]), ("many", [0.125, 0.0, -3.5]), ("tokyo", [1.0, 2.0, 3.0]),
        ("?", [-0.75, 0.25, 0.5]), ("zebra", [9.0, 9.0, 9.0]),
    ]

    static func text(_ rows: [(String, [Float])], header: Bool) -> String {
        (header ? ["\(rows.count) \(rows[0].1.count)"] : [])
            .appending(contentsOf: rows.map { ([$0.0] + $0.1.map(\.description)).joined(separator: " ") })
            .joined(separator: "\n") + "\n"
    }

    override func setUpWithError() throws {
        try super.setUpWithError()
        try write(TokenizeToolTests.train, to: "train.tsv")
        try runOK("tokenize", ["train.tsv", "-o", "train.tokens.h5"])
    }

    /// Checks every row of `/x` in `file`: pretrained words have their
    /// vectors, other words values within ±bound, padding zeros, and each row
    /// equals the `/embedding` row of its id. `vectors` are the file's rows.
    func checkRows(_ file: String, dim: Int, bound: Float = 0.25,
                   vectors: [(String, [Float])] = vectors) throws -> (known: Int, random: Int) {
        let tokens = try TokensFile.read(from: path("train.tokens.h5"))
        let x = try readX(file)
        XCTAssertEqual(x.shape, [tokens.count, 40, dim])
        let h5 = try H5File.open(at: file)
        defer { try? h5.close() }
        let embedding = try h5.read(Float.self, from: "/embedding").values
        let known = Dictionary(uniqueKeysWithValues: vectors)
        var counts = (known: 0, random: 0)
        for i in 0..<tokens.count {
            for j in 0..<40 {
                let row = Array(x.values[((i * 40 + j) * dim)..<((i * 40 + j + 1) * dim)])
                let id = Int(tokens.ids[i * 40 + j])
                XCTAssertEqual(row, Array(embedding[(id * dim)..<((id + 1) * dim)]), "document \(i), token \(j)")
                if j >= Int(tokens.lengths[i]) {
                    XCTAssertEqual(row, [Float](repeating: 0, count: dim), "padding of document \(i) at \(j)")
                } else if let vector = known[tokens.vocabulary.token(for: Int32(id))] {
                    XCTAssertEqual(row, vector)
                    counts.known += 1
                } else {
                    XCTAssertTrue(row.allSatisfy { abs($0) <= bound }, "\(row) outside ±\(bound)")
                    XCTAssertTrue(row.contains { $0 != 0 }, "random row of document \(i) at \(j) is zero")
                    counts.random += 1
                }
            }
        }
        return counts
    }

    func testGloVeVectorsFillTheRowsOfTheirTokens() throws {
        try write(Self.text(Self.vectors, header: false), to: "small.glove.txt")
        let run = try runOK("embed", ["--vectors", "small.glove.txt", "train.tokens.h5", "-o", "train.emb.h5"])
        let counts = try checkRows(path("train.emb.h5"), dim: 3)
        // how×2, many×2, tokyo×2, ?×4 of the 24 tokens have vectors.
        XCTAssertEqual(counts.known, 10)
        XCTAssertEqual(counts.random, 14)
        XCTAssertTrue(run.stderr.contains("tokens: 10 / 24"), run.stderr)

        let file = try EmbeddedFile(path: path("train.emb.h5"))
        XCTAssertEqual(file.settings.vectorsFormat, .gloveText)
        XCTAssertEqual(file.settings.vectorsPath, "small.glove.txt")
        XCTAssertEqual(file.attributes["coverage_types_found"], .int(4))
        XCTAssertEqual(file.tokenization.tokenizer, TokenizerOptions())
        XCTAssertEqual(file.attributes["tokens_source"], .string("train.tsv"))
        XCTAssertEqual(file.provenance.tool, "embed")
    }

    /// A test file tokenized with the training vocabulary: its token coverage
    /// counts its own tokens, not the training counts the vocabulary carries.
    func testTokenCoverageCountsTheFilesOwnTokens() throws {
        try write(Self.text(Self.vectors, header: false), to: "small.glove.txt")
        try write("LOC\thow many tokyo ?\nNUM\tunheard words\n", to: "test.tsv")
        try runOK("tokenize", ["--vocab", "train.tokens.h5", "--extend-vocab", "test.tsv", "-o", "test.tokens.h5"])
        let run = try runOK("embed", ["--vectors", "small.glove.txt", "test.tokens.h5", "-o", "test.emb.h5"])
        // 6 tokens; how, many, tokyo and ? have vectors.
        XCTAssertTrue(run.stderr.contains("tokens: 4 / 6"), run.stderr)
        let file = try EmbeddedFile(path: path("test.emb.h5"))
        XCTAssertEqual(file.attributes["coverage_tokens"], .int(6))
        XCTAssertEqual(file.attributes["coverage_tokens_found"], .int(4))
    }

    func testGzipWord2VecGivesTheSameRows() throws {
        try write(Self.text(Self.vectors, header: false), to: "small.glove.txt")
        _ = try writeGzip(Self.text(Self.vectors, header: true), to: "small.w2v.txt.gz")
        try runOK("embed", ["--vectors", "small.glove.txt", "train.tokens.h5", "-o", "glove.emb.h5"])
        try runOK("embed", ["--vectors", "small.w2v.txt.gz", "train.tokens.h5", "-o", "w2v.emb.h5"])
        XCTAssertEqual(try checkRows(path("w2v.emb.h5"), dim: 3).known, 10)
        XCTAssertEqual(try readX(path("w2v.emb.h5")), try readX(path("glove.emb.h5")), "same vectors, same seed")
        XCTAssertEqual(try EmbeddedFile(path: path("w2v.emb.h5")).settings.vectorsFormat, .word2vecText)
    }

    func testRandomRowsAreReproducibleBySeed() throws {
        try write(Self.text(Self.vectors, header: false), to: "v.txt")
        try runOK("embed", ["--vectors", "v.txt", "--seed", "7", "train.tokens.h5", "-o", "a.emb.h5"])
        try runOK("embed", ["--vectors", "v.txt", "--seed", "7", "train.tokens.h5", "-o", "b.emb.h5"])
        try runOK("embed", ["--vectors", "v.txt", "--seed", "8", "train.tokens.h5", "-o", "c.emb.h5"])
        let a = try readX(path("a.emb.h5")), b = try readX(path("b.emb.h5")), c = try readX(path("c.emb.h5"))
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        // Only random rows differ between seeds: pretrained rows and padding agree.
        let tokens = try TokensFile.read(from: path("train.tokens.h5"))
        let known = Set(Self.vectors.map(\.0))
        for k in 0..<(tokens.count * 40) where tokens.ids[k] == 0 || known.contains(tokens.vocabulary.token(for: tokens.ids[k])) {
            XCTAssertEqual(a.values[(k * 3)..<(k * 3 + 3)], c.values[(k * 3)..<(k * 3 + 3)])
        }
        XCTAssertEqual(try EmbeddedFile(path: path("c.emb.h5")).settings.seed, 8)
    }

    func testWithoutVectorsEveryRowIsRandomOfTheGivenDimension() throws {
        try runOK("embed", ["--dim", "8", "--oov-bound", "0.1", "train.tokens.h5", "-o", "r.emb.h5"])
        let counts = try checkRows(path("r.emb.h5"), dim: 8, bound: 0.1, vectors: [])
        XCTAssertEqual(counts.random, 24)
    }

    func testZeroPolicyLeavesUnknownWordsZero() throws {
        try write(Self.text(Self.vectors, header: false), to: "v.txt")
        try runOK("embed", ["--vectors", "v.txt", "--oov", "zero", "train.tokens.h5", "-o", "z.emb.h5"])
        let x = try readX(path("z.emb.h5"))
        let nonZeroRows = stride(from: 0, to: x.values.count, by: 3).filter { x.values[$0..<($0 + 3)].contains { $0 != 0 } }
        XCTAssertEqual(nonZeroRows.count, 10, "only the 10 tokens with vectors are non-zero")
    }

    func testMatchedPolicyScalesRandomRowsToThePretrainedVariance() throws {
        try write(Self.text(Self.vectors, header: false), to: "v.txt")
        let result = try runOK("embed", ["--vectors", "v.txt", "--oov", "matched", "train.tokens.h5", "-o", "m.emb.h5"])
        XCTAssertTrue(result.stderr.contains("matched to the pretrained vectors' variance"), result.stderr)
        // The four words found (zebra is not in the corpus): variance of their 12 components.
        let found = Self.vectors.filter { $0.0 != "zebra" }.flatMap(\.1).map(Double.init)
        let mean = found.reduce(0, +) / Double(found.count)
        let variance = found.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(found.count)
        let bound = (3 * variance).squareRoot()
        let h5 = try H5File.open(at: path("m.emb.h5"))
        XCTAssertEqual(try h5.requireString("oov"), "uniform")
        XCTAssertEqual(try h5.requireDouble("oov_bound"), bound, accuracy: 1e-5)
        try h5.close()
        let counts = try checkRows(path("m.emb.h5"), dim: 3, bound: Float(bound))
        XCTAssertEqual(counts.known, 10)
        try assertFailsCleanly("embed", ["--oov", "matched", "train.tokens.h5", "-o", "none.emb.h5"],
                               mentions: ["--oov matched needs --vectors"])
    }

    // MARK: - Failures

    func testVectorFileWithABadLine() throws {
        try write("how 1 2 3\nmany 4 5 6\ntokyo 7 oops 9\n", to: "bad.txt")
        try assertFailsCleanly("embed", ["--vectors", "bad.txt", "train.tokens.h5", "-o", "out.emb.h5"],
                               mentions: ["bad.txt:3", "oops"])
    }

    func testDimensionMismatch() throws {
        try write(Self.text(Self.vectors, header: false), to: "v.txt")
        try assertFailsCleanly("embed", ["--vectors", "v.txt", "--dim", "4", "train.tokens.h5", "-o", "out.emb.h5"],
                               mentions: ["v.txt:1", "3 components", "4"])
    }

    func testInputThatIsNotATokensFile() throws {
        try assertFailsCleanly("embed", ["train.tsv", "-o", "out.emb.h5"], mentions: ["train.tsv", "not an HDF5 file"])
        try runOK("embed", ["--dim", "4", "train.tokens.h5", "-o", "train.emb.h5"])
        try assertFailsCleanly("embed", ["train.emb.h5", "-o", "out.emb.h5"],
                               mentions: ["train.emb.h5", "'format'", "capskit.tokens"])
        try assertFailsCleanly("embed", ["nothing.tokens.h5", "-o", "out.emb.h5"], mentions: ["nothing.tokens.h5", "no such file"])
    }

    func testHelpShowsAnExample() throws {
        let run = try runOK("embed", ["--help"])
        XCTAssertTrue(run.stdout.contains("EXAMPLE"), run.stdout)
        XCTAssertTrue(run.stdout.contains("--oov-bound"), run.stdout)
    }
}

private extension Array {
    func appending(contentsOf other: [Element]) -> [Element] { self + other }
}
