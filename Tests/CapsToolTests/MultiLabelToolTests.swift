import CapsArtifacts
import CapsKitTestSupport
import CapsTestSupport
import Foundation
import XCTest

/// Multi-label data through the built tools: `a,b<TAB>text` split by
/// tokenize, detected and trained by capsfit, scored by capseval with
/// multi-label metrics and per-class thresholds.
final class MultiLabelToolTests: ToolTestCase {
    let small = ["--ngram", "2", "--filters", "12", "--primary-channels", "16", "--primary-kernel", "3",
                 "--class-dim", "8", "--lam-recon", "0", "--batch", "10", "--lr", "0.01", "--threads", "1", "--seed", "2"]

    /// Topic words: "goal" → sport, "vote" → politics, "stock" → money; a
    /// document has one, two or three topics, with filler words.
    func corpus(documents: Int, seed: Int) -> String {
        let topics = [("sport", "goal"), ("politics", "vote"), ("money", "stock")]
        let filler = ["the", "a", "day", "news", "people", "city", "today", "report"]
        var lines = ""
        for i in 0..<documents {
            let mask = (i * 3 + seed) % 7 + 1          // 1…7: every non-empty subset of the three topics
            let chosen = topics.indices.filter { mask & (1 << $0) != 0 }
            var words = (0..<6).map { filler[($0 * 3 + i + seed) % filler.count] }
            for t in chosen { words.insert(topics[t].1, at: (i + t) % words.count) }
            lines += chosen.map { topics[$0].0 }.joined(separator: ",") + "\t" + words.joined(separator: " ") + "\n"
        }
        return lines
    }

    func testMultiLabelTrainsAndScoresWithMultiLabelMetrics() throws {
        try write(corpus(documents: 280, seed: 0), to: "train.tsv")
        try write(corpus(documents: 70, seed: 3), to: "test.tsv")
        try runOK("tokenize", ["--label-separator", ",", path("train.tsv"), "-o", path("train.tokens.h5"), "--max-len", "10"])
        try runOK("tokenize", ["--label-separator", ",", "--vocab", path("train.tokens.h5"), path("test.tsv"),
                               "-o", path("test.tokens.h5")])
        try runOK("embed", [path("train.tokens.h5"), "--dim", "8", "-o", path("train.h5")])
        try runOK("embed", [path("test.tokens.h5"), "--dim", "8", "-o", path("test.h5")])
        let fit = try runOK("capsfit", small + ["--epochs", "25", "--buckets", "4096", "--lexical-lr", "0.03", path("train.h5"), "-o", path("model.h5")])
        XCTAssertTrue(fit.stderr.contains("capsfit: multi-label (the data has documents with several labels)"), fit.stderr)
        let model = try ModelFile.read(from: path("model.h5"))
        XCTAssertEqual(model.attribute("multi_label")?.intValue, 1)
        XCTAssertGreaterThan(try XCTUnwrap(model.history.records.last?.validationAccuracy), 0.8, "validation micro-F1")

        let score = try runOK("capseval", ["--model", path("model.h5"), path("test.h5"), "--json", path("m.json"),
                                           "--report", path("report.txt")])
        XCTAssertEqual(score.status, 0)
        let report = try String(contentsOfFile: path("report.txt"), encoding: .utf8)
        XCTAssertTrue(report.contains("(multi-label)") && report.contains("exact match") && report.contains("hamming loss"), report)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("m.json")))) as? [String: Any])
        let microF1 = try XCTUnwrap(json["micro_f1"] as? Double)
        XCTAssertGreaterThan(microF1, 0.8, "test micro-F1 on a problem a word decides")
        XCTAssertEqual(json["documents"] as? Int, 70)

        // Raw text scores the same as its embedded file; per-class thresholds chosen on it read back.
        let text = try runOK("capseval", ["--model", path("model.h5"), "--label-separator", ",", path("test.tsv"),
                                          "--json", path("t.json"), "--choose-thresholds", path("thr.tsv")])
        XCTAssertEqual(text.status, 0)
        let textJSON = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("t.json")))) as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(textJSON["micro_f1"] as? Double), microF1, accuracy: 1e-12)
        let tuned = try runOK("capseval", ["--model", path("model.h5"), path("test.h5"), "--thresholds", path("thr.tsv"),
                                           "--json", path("tuned.json")])
        XCTAssertEqual(tuned.status, 0)
        let tunedJSON = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("tuned.json")))) as? [String: Any])
        // Chosen for the best per-class F1 on these very documents: no class does worse than at 0.5.
        let at = { (j: [String: Any]) in (j["classes"] as! [[String: Any]]).map { $0["f1"] as! Double } }
        for (tunedF1, halfF1) in zip(at(tunedJSON), at(json)) { XCTAssertGreaterThanOrEqual(tunedF1, halfF1 - 1e-12) }
    }

    func testMultiLabelRefusesADecoderAndClassWeightsInOneLine() throws {
        try write(corpus(documents: 60, seed: 0), to: "train.tsv")
        try runOK("tokenize", ["--label-separator", ",", path("train.tsv"), "-o", path("train.tokens.h5"), "--max-len", "10"])
        try runOK("embed", [path("train.tokens.h5"), "--dim", "8", "-o", path("train.h5")])
        let decoder = small.filter { $0 != "--lam-recon" && $0 != "0" } + ["--lam-recon", "0.1"]
        try assertFailsCleanly("capsfit", decoder + ["--epochs", "1", path("train.h5"), "-o", path("m.h5")],
                               mentions: ["multi-label training needs --lam-recon 0"])
        try assertFailsCleanly("capsfit", small + ["--class-weights", "balanced", "--epochs", "1", path("train.h5"), "-o", path("m.h5")],
                               mentions: ["--class-weights", "multi-label"])
        try assertFailsCleanly("tokenize", ["--label-separator", "ab", path("train.tsv"), "-o", path("x.h5")],
                               mentions: ["--label-separator 'ab' must be one character"])
    }
}
