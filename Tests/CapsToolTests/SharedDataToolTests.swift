import CapsArtifacts
import CapsKit
import CapsKitTestSupport
import CapsReports
import CapsStorage
import CapsTestSupport
import XCTest

/// The tools on the real data sets in ../shared (skipped when it is absent).
/// Slow in debug builds: each embed with GloVe hashes and scans 171 MB.
final class SharedDataToolTests: ToolTestCase {
    /// Runs a tool and prints its wall-clock time, for the test log.
    func timed(_ tool: String, _ arguments: [String]) throws {
        let start = Date()
        try runOK(tool, arguments)
        print("\(tool) \(arguments.joined(separator: " ")): \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
    }

    func testTRECWithGloVe() throws {
        let train = try Fixtures.shared("data/en/trec/train.tsv")
        let test = try Fixtures.shared("data/en/trec/test.tsv")
        let glove = try Fixtures.shared("vectors/glove.6B.50d.txt")
        try timed("tokenize", [train, "-o", "train.tokens.h5"])
        try timed("tokenize", ["--vocab", "train.tokens.h5", "--extend-vocab", test, "-o", "test.tokens.h5"])
        try timed("embed", ["--vectors", glove, "train.tokens.h5", "-o", "train.emb.h5"])
        try timed("embed", ["--vectors", glove, "test.tokens.h5", "-o", "test.emb.h5"])

        for (name, n) in [("train.emb.h5", 5452), ("test.emb.h5", 500)] {
            let datasets = H5Dump.datasets(in: try H5Dump.header(path(name)))
            XCTAssertEqual(datasets["x"]?.shape, "\(n), 40, 50", name)
            XCTAssertEqual(datasets["labels"]?.shape, "\(n)", name)
            let file = try EmbeddedFile(path: path(name))
            XCTAssertEqual(file.labelNames, ["ABBR", "DESC", "ENTY", "HUM", "LOC", "NUM"])
            XCTAssertFalse(try file.requireLabels().contains(-1), "every TREC test label is a training label")
        }

        // GloVe's first line is the vector of "the": the table row and every
        // /x row of "the" must hold exactly those values.
        let handle = try XCTUnwrap(FileHandle(forReadingAtPath: glove))
        let head = String(decoding: handle.readData(ofLength: 4096), as: UTF8.self)
        let fields = head.prefix { $0 != "\n" }.split(separator: " ")
        XCTAssertEqual(fields.first, "the")
        let the = fields.dropFirst().map { Float(String($0))! }
        let file = try EmbeddedFile(path: path("test.emb.h5"))
        let id = Int(file.vocabulary.id(for: "the"))
        XCTAssertEqual(Array(file.embedding[(id * 50)..<((id + 1) * 50)]), the)
        var x = [Float](repeating: 0, count: 40 * 50)
        var seen = 0
        for i in 0..<file.count {
            let row = file.ids[(i * 40)..<((i + 1) * 40)]
            guard let j = row.firstIndex(of: Int32(id)) else { continue }
            try x.withUnsafeMutableBufferPointer { try file.readRows(start: i, count: 1, into: $0) }
            XCTAssertEqual(Array(x[((j - i * 40) * 50)..<((j - i * 40 + 1) * 50)]), the, "document \(i)")
            seen += 1
        }
        XCTAssertGreaterThan(seen, 100, "many TREC test questions contain \"the\"")
        // The test file's ids agree with the training vocabulary.
        let trainFile = try EmbeddedFile(path: path("train.emb.h5"))
        XCTAssertEqual(Array(file.vocabulary.tokens.prefix(trainFile.vocabulary.count)), trainFile.vocabulary.tokens)
    }

    func testTHUCNewsCharactersWithTencentVectors() throws {
        let train = try Fixtures.shared("data/zh/thucnews_title/train.tsv")
        let vectors = try Fixtures.shared("vectors/tencent_char200.txt")
        try timed("tokenize", ["--char-level", train, "-o", "thuc.tokens.h5"])
        try timed("embed", ["--vectors", vectors, "thuc.tokens.h5", "-o", "thuc.emb.h5"])
        let datasets = H5Dump.datasets(in: try H5Dump.header(path("thuc.emb.h5")))
        XCTAssertEqual(datasets["x"]?.shape, "10000, 40, 200")
        let file = try EmbeddedFile(path: path("thuc.emb.h5"))
        XCTAssertEqual(file.labelNames.count, 10)
        XCTAssertTrue(file.tokenization.tokenizer.characterLevel)
        // 1,000 titles per class.
        let labels = try file.requireLabels()
        XCTAssertEqual(Set((0..<10).map { c in labels.filter { $0 == c }.count }), [1000])
        // Every title fits in 40 characters: nothing was cut.
        XCTAssertEqual(file.attributes["tokens_truncated_documents"], .int(0))
    }
}
