import CapsArtifacts
import CapsKitTestSupport
import CapsStorage
import CapsTestSupport
import Foundation
import XCTest

/// `tokenize --lexical-len`: lexical capsules that read past the L tokens
/// the convolutions see, through every tool — on a problem whose one
/// deciding word always lies past L.
final class LexicalViewToolTests: ToolTestCase {
    let small = ["--ngram", "2", "--filters", "12", "--primary-channels", "16", "--primary-kernel", "2",
                 "--class-dim", "8", "--batch", "10", "--lr", "0.01", "--threads", "1", "--seed", "2",
                 "--lam-recon", "0", "--buckets", "257", "--lexical-lr", "0.05"]
    /// Ten words a document: the cue at position 6…9 among 9 filler words,
    /// so the first 4 tokens never tell the label.
    func corpus(documents: Int, seed: UInt64) -> String {
        cueCorpus(documents: documents, seed: seed, fillerCount: 9) { next in 6 + next(4) }
    }

    /// Tokenizes and embeds train.tsv and test.tsv with `tokenize` flags `flags`, into `name`.{train,test}.h5.
    func prepare(_ name: String, _ flags: [String]) throws {
        try runOK("tokenize", flags + [path("train.tsv"), "-o", path("\(name).train.tokens.h5")])
        try runOK("tokenize", ["--vocab", path("\(name).train.tokens.h5"), "--extend-vocab", path("test.tsv"),
                               "-o", path("\(name).test.tokens.h5")])
        for split in ["train", "test"] {
            try runOK("embed", [path("\(name).\(split).tokens.h5"), "--dim", "8", "--seed", "3",
                                "-o", path("\(name).\(split).h5")])
        }
    }

    func accuracy(_ report: String) throws -> Double {
        let line = try XCTUnwrap(report.split(separator: "\n").first { $0.hasPrefix("accuracy ") })
        return try XCTUnwrap(Double(line.split(separator: " ")[1]))
    }

    func testLexicalCapsulesReadTheViewPastTheRowsThroughEveryTool() throws {
        try write(corpus(documents: 200, seed: 0), to: "train.tsv")
        try write(corpus(documents: 60, seed: 1), to: "test.tsv")
        try prepare("view", ["--max-len", "4", "--lexical-len", "12"])
        try prepare("rows", ["--max-len", "4"])

        // The tokens file keeps each document's first 12 tokens beside its 4-token rows.
        let tokens = try TokensFile.read(from: path("view.train.tokens.h5"))
        XCTAssertEqual(tokens.settings.lexicalLength, 12)
        let view = try XCTUnwrap(tokens.lexicalIds)
        XCTAssertEqual(view.count, 200 * 12)
        for i in 0..<200 {
            XCTAssertEqual(Array(view[(i * 12)..<(i * 12 + 4)]), Array(tokens.row(i)), "the view starts with the row")
            XCTAssertEqual(view[(i * 12)..<(i * 12 + 12)].filter { $0 != 0 }.count, 10, "all ten words, then padding")
        }
        let embedded = try H5File.open(at: path("view.train.h5"))
        XCTAssertEqual(try embedded.shape(of: "/lexical_ids"), [200, 12])
        XCTAssertEqual(try embedded.requireInt("tokens_lexical_len"), 12)
        XCTAssertEqual(try embedded.shape(of: "/x"), [200, 4, 8], "the convolutions' rows stay 4 tokens")

        // Only the lexical view holds the cue: with it the model learns the
        // task, without it (the same flags on the 4-token rows) it cannot.
        try runOK("capsfit", small + ["--epochs", "12", path("view.train.h5"), "-o", path("view.h5")])
        try runOK("capsfit", small + ["--epochs", "12", path("rows.train.h5"), "-o", path("rows.h5")])
        XCTAssertEqual(try ModelFile.read(from: path("view.h5")).config.lexicalLength, 12)
        XCTAssertEqual(try ModelFile.read(from: path("rows.h5")).config.lexicalLength, 0)
        let summary = try runOK("capsexport", ["--format", "summary", path("view.h5"), "-o", "-"]).stdout
        XCTAssertTrue(summary.contains("lexical_caps (hashed 1–2-grams of the first 12 tokens, 257 buckets × 64, mean, squash)"), summary)
        let withView = try accuracy(runOK("capseval", ["--model", path("view.h5"), path("view.test.h5")]).stdout)
        let withoutView = try accuracy(runOK("capseval", ["--model", path("rows.h5"), path("rows.test.h5")]).stdout)
        XCTAssertGreaterThanOrEqual(withView, 0.95, "the cue past L is learnt through the view")
        XCTAssertLessThanOrEqual(withoutView, 0.75, "4 filler tokens do not tell the label")

        // The embedded file, the tokens file and the raw text score alike.
        var scores: [[Float]] = []
        for (i, input) in [path("view.test.h5"), path("view.test.tokens.h5"), path("test.tsv")].enumerated() {
            try runOK("capseval", ["--model", path("view.h5"), input, "-o", path("s\(i).h5")])
            scores.append(try H5File.open(at: path("s\(i).h5")).read(Float.self, from: "/lengths").values)
        }
        XCTAssertEqual(scores[0].count, 60 * 2)
        for other in scores.dropFirst() {
            XCTAssertLessThanOrEqual(zip(scores[0], other).map { abs($0 - $1) }.max()!, 1e-5)
        }

        // Explanations cover the ten tokens the model read, and the route
        // shares (token, padding, bias) still sum to each length.
        try runOK("capseval", ["--model", path("view.h5"), path("test.tsv"), "--explain-tsv", path("why.tsv"),
                               "--explain-documents", "10", "--explain-classes", "1", "--explain-method", "route"])
        let table = try String(contentsOfFile: path("why.tsv"), encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        let texts = corpus(documents: 60, seed: 1).split(separator: "\n").map { $0.split(separator: "\t")[1].split(separator: " ").map(String.init) }
        for index in 0..<10 {
            let rows = table.filter { $0[0] == "\(index)" }
            XCTAssertEqual(rows.filter { !$0[4].isEmpty }.map { $0[5] }, texts[index], "document \(index): all ten tokens")
            let total = rows.reduce(0.0) { $0 + Double($1[6])! }
            XCTAssertEqual(total, Double(rows[0][3])!, accuracy: 1e-4, "document \(index): shares sum to the length")
        }
        _ = try runOK("capseval", ["--model", path("view.h5"), path("view.test.h5"), "--faithfulness", path("f.txt"),
                                   "--faithfulness-k", "1"])

        // A model that reads the view refuses input without it, in one line.
        try assertFailsCleanly("capseval", ["--model", path("view.h5"), path("rows.test.h5"), "-o", path("bad.h5")],
                               mentions: ["rows.test.h5", "no lexical view", "--lexical-len 12"])
        try assertFailsCleanly("capseval", ["--model", path("view.h5"), path("rows.test.tokens.h5"), "-o", path("bad.h5")],
                               mentions: ["rows.test.tokens.h5", "--lexical-len 12"])
        try assertFailsCleanly("capsfit", small + ["--val", path("rows.test.h5"), path("view.train.h5"), "-o", path("bad.h5")],
                               mentions: ["rows.test.h5", "no lexical view", "--lexical-len 12"])
        try assertFailsCleanly("capsfit", small + ["--resume", path("view.h5"), "--epochs", "13", path("rows.train.h5"),
                                                   "-o", path("view.h5")],
                               mentions: ["rows.train.h5"])
    }

    func testBadLexicalLengthsFailInOneLine() throws {
        try write(corpus(documents: 6, seed: 0), to: "train.tsv")
        try assertFailsCleanly("tokenize", ["--max-len", "8", "--lexical-len", "5", path("train.tsv"), "-o", path("t.h5")],
                               mentions: ["--lexical-len 5", "--max-len 8"])
        try runOK("tokenize", ["--max-len", "4", "--lexical-len", "12", path("train.tsv"), "-o", path("t.h5")])
        try assertFailsCleanly("tokenize", ["--vocab", path("t.h5"), "--lexical-len", "20", path("train.tsv"),
                                            "-o", path("u.h5")],
                               mentions: ["--lexical-len 20", "lexical_len = 12"])
        // A test file tokenized with the training file's settings inherits its view.
        try runOK("tokenize", ["--vocab", path("t.h5"), path("train.tsv"), "-o", path("u.h5")])
        XCTAssertEqual(try TokensFile.read(from: path("u.h5")).settings.lexicalLength, 12)
    }
}
