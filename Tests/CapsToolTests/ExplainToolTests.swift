import CapsKitTestSupport
import CapsTestSupport
import Foundation
import XCTest

/// `capseval --explain`, `--explain-tsv`, `--reconstruct` and `--faithfulness`
/// through the built tools, on a problem one word decides.
final class ExplainToolTests: ToolTestCase {
    let small = ["--ngram", "2", "--filters", "12", "--primary-channels", "16", "--primary-kernel", "3",
                 "--class-dim", "8", "--batch", "10", "--lr", "0.01", "--threads", "1", "--seed", "2"]
    /// Eight words a document: the cue at a random place among 7 filler words.
    func corpus(documents: Int, seed: UInt64) -> String {
        cueCorpus(documents: documents, seed: seed, fillerCount: 7) { next in next(8) }
    }

    /// A trained model (with a decoder unless `decoder` is false) and the test text.
    func trained(decoder: Bool = true) throws {
        try write(corpus(documents: 200, seed: 0), to: "train.tsv")
        try write(corpus(documents: 40, seed: 1), to: "test.tsv")
        try runOK("tokenize", [path("train.tsv"), "-o", path("train.tokens.h5"), "--max-len", "10"])
        try runOK("embed", [path("train.tokens.h5"), "--dim", "16", "-o", path("train.h5")])
        let recon = decoder ? ["--lam-recon", "0.05", "--decoder-hidden", "16,32", "--decoder-output", "linear"]
                            : ["--lam-recon", "0"]
        try runOK("capsfit", small + recon + ["--fine-tune-embeddings", "--epochs", "15", path("train.h5"), "-o", path("model.h5")])
    }

    /// TSV rows: (index, rank, class, length, position, token, share).
    func rows(_ tsv: String) -> [[String]] {
        tsv.split(separator: "\n").dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    func testExplanationsAddUpPointAtTheCueAndRenderAsOnePage() throws {
        try trained()
        let run = try runOK("capseval", ["--model", path("model.h5"), path("test.tsv"), "--explain", path("why.html"),
                                         "--explain-tsv", path("why.tsv"), "--explain-documents", "30", "--explain-classes", "2",
                                         "--explain-method", "route", "--reconstruct", "--predictions", path("p.tsv")])
        XCTAssertTrue(run.stdout.contains("accuracy"), run.stdout)
        let table = rows(try String(contentsOfFile: path("why.tsv"), encoding: .utf8))
        let predictions = try String(contentsOfFile: path("p.tsv"), encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: "\t").map(String.init) }
        let texts = try String(contentsOfFile: path("test.tsv"), encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: "\t")[1].split(separator: " ").map(String.init) }
        var aboveMean = 0, inTopTwo = 0, correct = 0
        for index in 0..<30 {
            let mine = table.filter { $0[0] == "\(index)" }
            XCTAssertEqual(Set(mine.map { $0[1] }), ["1", "2"], "document \(index): two classes")
            for rank in ["1", "2"] {
                let part = mine.filter { $0[1] == rank }
                let length = try XCTUnwrap(Double(part[0][3]))
                let total = part.reduce(0.0) { $0 + Double($1[6])! }
                XCTAssertEqual(total, length, accuracy: 1e-4, "document \(index) rank \(rank): token, padding and bias shares sum to the length")
                XCTAssertEqual(part.filter { !$0[4].isEmpty }.map { $0[5] }, texts[index], "document \(index): the tokens in order")
                XCTAssertEqual(part.suffix(2).map { $0[5] }, ["<padding>", "<bias>"])
            }
            let top = mine.filter { $0[1] == "1" }
            XCTAssertEqual(top[0][2], predictions[index][1], "rank 1 is the prediction")
            guard top[0][2] == predictions[index][2] else { continue }
            correct += 1
            // The cue's share beats the other tokens' mean, and (a 2-gram window's share being split
            // between its two tokens) it is one of the two largest.
            let shares = top.filter { !$0[4].isEmpty }.map { ($0[5], Double($0[6])!) }
            let cueShare = shares.first { $0.0 == cue[top[0][2]] }!.1
            let others = shares.filter { $0.0 != cue[top[0][2]] }.map(\.1)
            if cueShare > others.reduce(0, +) / Double(others.count) { aboveMean += 1 }
            if others.filter({ $0 > cueShare }).count <= 1 { inTopTwo += 1 }
        }
        XCTAssertGreaterThanOrEqual(correct, 27, "the model learnt the cue")
        XCTAssertGreaterThanOrEqual(Double(aboveMean), 0.85 * Double(correct), "the cue word's share is above the others' mean")
        XCTAssertGreaterThanOrEqual(Double(inTopTwo), 0.75 * Double(correct), "the cue word's share is one of the two largest")

        let html = try String(contentsOfFile: path("why.html"), encoding: .utf8)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
        XCTAssertEqual(html.components(separatedBy: "<section class=\"doc\"").count - 1, 30)
        XCTAssertEqual(html.components(separatedBy: "<details class=\"recon\"").count - 1, 30, "a reconstruction per document")
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 30, "a routing heat map per document")
        for external in ["<script", "src=", "href=", "url(", "@import", "<link"] {
            XCTAssertFalse(html.contains(external), "the page fetches nothing: found \(external)")
        }

        // Gradient × input, the default: other shares, the same tokens and lengths.
        try runOK("capseval", ["--model", path("model.h5"), path("test.tsv"), "--explain-tsv", path("grad.tsv"),
                               "--explain-documents", "30", "--explain-classes", "2"])
        let gradient = rows(try String(contentsOfFile: path("grad.tsv"), encoding: .utf8))
        XCTAssertEqual(gradient.map { $0[0...5] }, table.map { $0[0...5] })
        XCTAssertNotEqual(gradient.map { $0[6] }, table.map { $0[6] })
    }

    /// An ensemble's lengths are its members' mean, and so are its shares:
    /// they still add up to the (mean) length the predictions report.
    func testEnsembleExplanationsAddUpToTheMeanLength() throws {
        try write(corpus(documents: 120, seed: 0), to: "train.tsv")
        try write(corpus(documents: 12, seed: 1), to: "test.tsv")
        try runOK("tokenize", [path("train.tsv"), "-o", path("train.tokens.h5"), "--max-len", "10"])
        try runOK("embed", [path("train.tokens.h5"), "--dim", "16", "-o", path("train.h5")])
        try runOK("capsfit", small + ["--lam-recon", "0", "--fine-tune-embeddings", "--ensemble", "2", "--epochs", "3",
                                      path("train.h5"), "-o", path("model.h5")])
        try runOK("capseval", ["--model", path("model.h5"), path("test.tsv"), "--explain-tsv", path("why.tsv"),
                               "--explain-classes", "1", "--explain-method", "route", "--predictions", path("p.tsv"), "--top-k", "1"])
        let table = rows(try String(contentsOfFile: path("why.tsv"), encoding: .utf8))
        let predictions = try String(contentsOfFile: path("p.tsv"), encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: "\t").map(String.init) }
        for (index, prediction) in predictions.enumerated() {
            let part = table.filter { $0[0] == "\(index)" }
            let length = try XCTUnwrap(Double(part[0][3]))
            XCTAssertEqual(part.reduce(0.0) { $0 + Double($1[6])! }, length, accuracy: 1e-4, "document \(index)")
            // --predictions prints "class:length" with 4 decimals.
            XCTAssertEqual(prediction[3], "\(part[0][2]):\(String(format: "%.4f", length))")
        }
    }

    func testDeletionTestRanksTheExplanationsAboveRandomTokens() throws {
        try trained(decoder: false)
        let args = ["--model", path("model.h5"), path("test.tsv"), "--faithfulness", path("f.txt"), "--faithfulness-k", "1,3"]
        try runOK("capseval", args)
        let text = try String(contentsOfFile: path("f.txt"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        let header = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("k ") })
        XCTAssertTrue(lines[header].contains("route") && lines[header].contains("gradient × input") && lines[header].contains("random"))
        let k1 = lines[header + 1].split(separator: " ", omittingEmptySubsequences: true)
        XCTAssertEqual(k1[0], "1")
        XCTAssertEqual(k1[1], "40", "every document has more than one token")
        // Cells are "mean ± se (changed%)": the means are fields 2, 6 and 10.
        let route = try XCTUnwrap(Double(k1[2])), gradient = try XCTUnwrap(Double(k1[6])), random = try XCTUnwrap(Double(k1[10]))
        XCTAssertGreaterThan(route, 2 * random, text)
        XCTAssertGreaterThan(gradient, 2 * random, text)
        XCTAssertTrue(lines[header + 2].hasPrefix("3 "))
        // The random ranking is seeded: the same seed, the same table; another seed, another random column.
        try runOK("capseval", args.dropLast(4) + ["--faithfulness", path("g.txt"), "--faithfulness-k", "1,3"])
        XCTAssertEqual(try String(contentsOfFile: path("g.txt"), encoding: .utf8), text)
        try runOK("capseval", args.dropLast(4) + ["--faithfulness", path("h.txt"), "--faithfulness-k", "1,3", "--seed", "9"])
        XCTAssertNotEqual(try String(contentsOfFile: path("h.txt"), encoding: .utf8), text)
    }

    func testExplainOptionsAreRefusedInOneLineBeforeScoring() throws {
        try trained(decoder: false)
        try assertFailsCleanly("capseval", ["--model", path("model.h5"), path("test.tsv"), "--explain", path("a.html"), "--reconstruct"],
                               mentions: ["--reconstruct needs a model with a decoder", "model.h5"])
        try assertFailsCleanly("capseval", ["--model", path("model.h5"), path("test.tsv"), "--reconstruct"],
                               mentions: ["--reconstruct adds to the --explain page"])
        try assertFailsCleanly("capseval", ["--model", path("model.h5"), path("test.tsv"), "--explain", path("a.html"), "--explain-classes", "0"],
                               mentions: ["--explain-classes must be at least 1"])
        try assertFailsCleanly("capseval", ["--model", path("model.h5"), path("test.tsv"), "--faithfulness", "-", "--faithfulness-k", "2,x"],
                               mentions: ["--faithfulness-k must be comma-separated whole numbers"])
        try assertFailsCleanly("capseval", ["--model", path("model.h5"), path("test.tsv"), "--explain", path("a.html"), "--explain-method", "saliency"],
                               mentions: ["--explain-method"])
    }

    /// The page opens in a real browser: headless Chromium (Debian's
    /// `chromium`) loads it from disk, lays it out and gives back its DOM.
    func testThePageLoadsInHeadlessChromium() throws {
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("no Chromium installed (apt-get install chromium); the page is not rendered in a browser")
        }
        try trained()
        try runOK("capseval", ["--model", path("model.h5"), path("test.tsv"), "--explain", path("why.html"),
                               "--explain-documents", "5", "--reconstruct"])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                             "--user-data-dir=\(path("chromium-profile"))", "--enable-logging=stderr", "--v=0",
                             "--virtual-time-budget=5000", "--dump-dom", URL(fileURLWithPath: path("why.html")).absoluteString]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let dom = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, log)
        // The DOM as the browser built it: every section, the token spans, the inline heat maps.
        XCTAssertEqual(dom.components(separatedBy: "<section class=\"doc\"").count - 1, 5, String(dom.prefix(2000)))
        XCTAssertGreaterThanOrEqual(dom.components(separatedBy: "class=\"tok\"").count - 1, 5 * 2 * 8)
        XCTAssertEqual(dom.components(separatedBy: "<svg").count - 1, 5)
        XCTAssertTrue(dom.contains("What the “"), "the reconstruction tables")
        for problem in ["Uncaught", "Failed to load resource", "ERR_FILE_NOT_FOUND", "Refused to"] {
            XCTAssertFalse(log.contains(problem), "the browser reported \(problem): \(log)")
        }
    }
}
