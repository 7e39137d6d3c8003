import CapsArtifacts
import CapsCore
@testable import CapsKit
import CapsKitTestSupport
import CapsReports
import CapsStorage
import CapsTestSupport
import Foundation
import XCTest

/// The built `capseval` tool: raw text from standard input, per-document
/// TSV, plots, and mismatches that stop with one line and write nothing.
final class CapsEvalToolTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory(for: self) }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// A trained static model on the synthetic data (vocabulary `<pad> <unk> w2 … w19`, L = 8, D = 6).
    func trainModel() throws {
        try ScoringFixture.embeddedFile(at: path("data.h5"))
        try ScoringFixture.train(input: path("data.h5"), output: path("model.h5"), epochs: 6)
    }

    /// Raw TSV documents; expected ids follow from the vocabulary by hand:
    /// `wK` is id K, any other word is <unk> (1), upper case is folded, rows
    /// are cut at 8 tokens and padded with 0.
    let text = """
    class1\tw4 w10 w11
    class0\tW2 w13 nosuchword w17
    class2\tw6 w7 w8 w9 w10 w11 w12 w13 w14 w15
    class1\tw5

    """
    let expectedIDs: [Int32] = [
        4, 10, 11, 0, 0, 0, 0, 0,
        2, 13, 1, 17, 0, 0, 0, 0,
        6, 7, 8, 9, 10, 11, 12, 13,
        5, 0, 0, 0, 0, 0, 0, 0,
    ]

    /// The model variants score raw text as the network does: three n-gram
    /// branches with pooled positions and leaky routing.
    func testRawTextScoresAModelWithNgramBranchesAndPooling() throws {
        try ScoringFixture.embeddedFile(at: path("data.h5"))
        try ScoringFixture.train(input: path("data.h5"), output: path("model.h5"), epochs: 3) { config in
            config.ngrams = [2, 3, 4]; config.primaryKernel = 2; config.primaryStride = 1; config.positionPool = 2
            config.routing = .leaky
        }
        let model = try ModelFile.read(from: path("model.h5"))
        XCTAssertEqual(model.config.ngrams, [2, 3, 4])
        let run = try Fixtures.run("capseval", ["--model", path("model.h5"), "--threads", "1", "-", "-o", path("scores.h5")],
                                   stdin: text)
        XCTAssertEqual(run.status, 0, run.stderr)
        let expected = try ScoringFixture.directLengths(
            model: path("model.h5"), x: ScoringFixture.gather(ids: expectedIDs, table: model.embedding, dimension: 6))
        let lengths = try H5File.open(at: path("scores.h5")).read(Float.self, from: "/lengths", shape: [4, 3]).values
        XCTAssertLessThanOrEqual(zip(lengths, expected).map { abs($0 - $1) }.max()!, 1e-5)
    }

    /// Lexical capsules score raw text from its token ids: the same lengths as
    /// the network given the hand-encoded ids and their vectors; the ids drive
    /// the result (another document's ids give other lengths).
    func testRawTextScoresAModelWithLexicalCapsules() throws {
        try ScoringFixture.embeddedFile(at: path("data.h5"))
        try ScoringFixture.train(input: path("data.h5"), output: path("model.h5"), epochs: 3) { config in
            config.buckets = 64; config.lexicalNgrams = 2; config.lexicalCapsules = 3
        }
        let model = try ModelFile.read(from: path("model.h5"))
        XCTAssertEqual(model.config.buckets, 64)
        let run = try Fixtures.run("capseval", ["--model", path("model.h5"), "--threads", "1", "-", "-o", path("scores.h5")],
                                   stdin: text)
        XCTAssertEqual(run.status, 0, run.stderr)
        let x = ScoringFixture.gather(ids: expectedIDs, table: model.embedding, dimension: 6)
        let expected = try ScoringFixture.directLengths(model: path("model.h5"), x: x, tokens: expectedIDs)
        let lengths = try H5File.open(at: path("scores.h5")).read(Float.self, from: "/lengths", shape: [4, 3]).values
        XCTAssertLessThanOrEqual(zip(lengths, expected).map { abs($0 - $1) }.max()!, 1e-5)
        let shuffled = Array(expectedIDs[8...]) + Array(expectedIDs[..<8])
        let other = try ScoringFixture.directLengths(model: path("model.h5"), x: x, tokens: shuffled)
        XCTAssertGreaterThan(zip(other, expected).map { abs($0 - $1) }.max()!, 1e-4, "the tokens reach the lengths")
    }

    func testRawTextFromStandardInputScoresLikeTheHandEncodedRows() throws {
        try trainModel()
        let run = try Fixtures.run("capseval", ["--model", path("model.h5"), "--threads", "1", "-", "-o", path("scores.h5")],
                                   stdin: text)
        XCTAssertEqual(run.status, 0, run.stderr)
        let model = try ModelFile.read(from: path("model.h5"))
        let expected = try ScoringFixture.directLengths(
            model: path("model.h5"), x: ScoringFixture.gather(ids: expectedIDs, table: model.embedding, dimension: 6))
        let file = try H5File.open(at: path("scores.h5"))
        let lengths = try file.read(Float.self, from: "/lengths", shape: [4, 3]).values
        XCTAssertLessThanOrEqual(zip(lengths, expected).map { abs($0 - $1) }.max()!, 1e-5)
        XCTAssertEqual(try file.read(Int32.self, from: "/labels").values, [1, 0, 2, 1])
        XCTAssertEqual(try file.attribute("input")?.stringValue, "-")
        XCTAssertEqual(try file.attribute("input_sha256")?.stringValue, SHA256.hexDigest(of: Array(text.utf8)))
        XCTAssertEqual(try file.attribute("input_kind")?.stringValue, "text")
        // The report went to standard output.
        XCTAssertTrue(run.stdout.contains("accuracy"), run.stdout)
        XCTAssertTrue(run.stdout.contains("confusion matrix"), run.stdout)
    }

    /// Parses `index predicted true classes` lines into (index, [(class, length)]).
    func parseTSV(_ tsv: String) -> [(index: Int, predicted: String, classes: [(String, Float)])] {
        let lines = tsv.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(lines.first, "index\tpredicted\ttrue\tclasses")
        return lines.dropFirst().map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            let pairs = fields[3].split(separator: " ").map { pair -> (String, Float) in
                let colon = pair.lastIndex(of: ":")!
                return (String(pair[..<colon]), Float(pair[pair.index(after: colon)...])!)
            }
            return (Int(fields[0])!, String(fields[1]), pairs)
        }
    }

    func testTopKAndThresholdSelectTheListedClasses() throws {
        try trainModel()
        let names = ["class0", "class1", "class2"]
        let topK = try Fixtures.run("capseval", ["--model", path("model.h5"), "--predictions", "-", "--top-k", "2",
                                                 "-o", path("scores.h5"), "-"], stdin: text)
        XCTAssertEqual(topK.status, 0, topK.stderr)
        XCTAssertTrue(topK.stderr.contains("accuracy"), "the report moves to stderr: \(topK.stderr)")
        let lengths = try H5File.open(at: path("scores.h5")).read(Float.self, from: "/lengths").values
        let rows = parseTSV(topK.stdout)
        XCTAssertEqual(rows.map(\.index), [0, 1, 2, 3])
        for row in rows {
            let scores = (0..<3).map { lengths[row.index * 3 + $0] }
            let order = (0..<3).sorted { scores[$0] > scores[$1] }
            XCTAssertEqual(row.classes.map(\.0), order.prefix(2).map { names[$0] })
            XCTAssertEqual(row.predicted, names[order[0]])
            for (name, value) in row.classes {
                XCTAssertEqual(value, scores[names.firstIndex(of: name)!], accuracy: 5e-5)
            }
        }

        // A threshold between the lengths of document 0 lists exactly the classes above it.
        let doc0 = (0..<3).map { lengths[$0] }.sorted()
        let threshold = (doc0[0] + doc0[1]) / 2
        let above = try Fixtures.run("capseval", ["--model", path("model.h5"), "--predictions", path("p.tsv"),
                                                  "--threshold", "\(threshold)", "-"], stdin: text)
        XCTAssertEqual(above.status, 0, above.stderr)
        for row in parseTSV(try String(contentsOfFile: path("p.tsv"), encoding: .utf8)) {
            let expected = (0..<3).filter { lengths[row.index * 3 + $0] >= threshold }
                .sorted { lengths[row.index * 3 + $0] > lengths[row.index * 3 + $1] }.map { names[$0] }
            XCTAssertEqual(row.classes.map(\.0), expected, "document \(row.index)")
        }
    }

    func testUnseenLabelInRawTextNamesLabelAndLine() throws {
        try trainModel()
        let input = "class1\tw4 w5\nclass9\tw6\n"
        let run = try Fixtures.run("capseval", ["--model", path("model.h5"), "-", "-o", path("scores.h5")], stdin: input)
        XCTAssertNotEqual(run.status, 0)
        let lines = run.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("<stdin>:2") && run.stderr.contains("class9"), run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("scores.h5")))

        let skipped = try Fixtures.run("capseval", ["--model", path("model.h5"), "--unseen-labels", "skip", "-",
                                                    "-o", path("scores.h5")], stdin: input)
        XCTAssertEqual(skipped.status, 0, skipped.stderr)
        let file = try H5File.open(at: path("scores.h5"))
        XCTAssertEqual(try file.read(Int32.self, from: "/labels").values, [1, -1])
        XCTAssertEqual(try file.attribute("labelled_documents")?.intValue, 1)
        XCTAssertEqual(try file.attribute("documents")?.intValue, 2)
    }

    func testMismatchedInputsStopWithOneLineNamingBothFilesAndWriteNothing() throws {
        try trainModel()
        var wide = SyntheticData.Shape()
        wide.dimension = 5
        try ScoringFixture.embeddedFile(at: path("wide.h5"), shape: wide)
        try ScoringFixture.embeddedFile(at: path("relabelled.h5"))
        let file = try H5File.open(at: path("relabelled.h5"), writable: true)
        try file.write(strings: ["a", "b", "c"], to: "/label_names")
        try file.close()

        for input in ["wide.h5", "relabelled.h5"] {
            let run = try Fixtures.run("capseval", ["--model", path("model.h5"), path(input), "-o", path("scores.h5"),
                                                    "--json", path("m.json"), "--predictions", path("p.tsv")])
            XCTAssertNotEqual(run.status, 0, input)
            XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, run.stderr)
            XCTAssertTrue(run.stderr.contains(path("model.h5")) && run.stderr.contains(path(input)), run.stderr)
            XCTAssertEqual(run.stdout, "")
            let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            XCTAssertEqual(left, ["data.h5", "model.h5", "relabelled.h5", "wide.h5"], "nothing written for \(input)")
        }
    }

    func testPlotWritesConfusionAndTrainingFigures() throws {
        try trainModel()
        let run = try Fixtures.run("capseval", ["--model", path("model.h5"), "--plot", path("figures"),
                                                "--json", path("metrics.json"), path("data.h5")])
        XCTAssertEqual(run.status, 0, run.stderr)
        let confusion = SVGInspector.parse(try String(contentsOfFile: path("figures/confusion.svg"), encoding: .utf8))
        XCTAssertEqual(confusion.root, "svg")
        XCTAssertTrue(confusion.texts.contains("class2"), "\(confusion.texts)")
        let training = SVGInspector.parse(try String(contentsOfFile: path("figures/training.svg"), encoding: .utf8))
        XCTAssertEqual(training.root, "svg")
        XCTAssertGreaterThan(training.elementCounts["polyline", default: 0] + training.elementCounts["path", default: 0], 0)

        // The JSON holds the numbers of scores computed in the library.
        var options = ScoringOptions()
        options.threads = 1
        let scores = try EvalStage(model: path("model.h5"), input: path("data.h5"), scoring: options).run()
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("metrics.json")))) as! [String: Any]
        XCTAssertEqual(json["accuracy"] as? Double, scores.metrics?.accuracy)
        XCTAssertEqual(json["documents"] as? Int, 120)
    }

    func testHelpHasAnExampleAndSaysScoresAreNotASoftmax() throws {
        let run = try Fixtures.run("capseval", ["--help"])
        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.stdout.contains("EXAMPLES"), run.stdout)
        // Help text is wrapped to the terminal width: compare with runs of white space collapsed.
        let flat = run.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        XCTAssertTrue(flat.contains("independent values in [0, 1), one per class, NOT a softmax"), run.stdout)
    }

    func testOptionErrorsAreOneLine() throws {
        for arguments in [["--model", "m.h5", "--top-k", "0", "in.h5"], ["--model", "m.h5", "--threshold", "1.5", "in.h5"],
                          ["--model", "m.h5"], ["--model", "m.h5", "--top-k", "2", "--threshold", "0.5", "in.h5"]] {
            let run = try Fixtures.run("capseval", arguments)
            XCTAssertNotEqual(run.status, 0, "\(arguments)")
            XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, run.stderr)
            XCTAssertTrue(run.stderr.hasPrefix("capseval: "), run.stderr)
        }
    }

    /// --choose-thresholds writes one threshold per class chosen on the input;
    /// --thresholds reads them back into the report, the JSON and the predictions.
    func testThresholdsAreChosenWrittenAndApplied() throws {
        try trainModel()
        let choose = try Fixtures.run("capseval", ["--model", path("model.h5"), path("data.h5"),
                                                   "--choose-thresholds", path("t.tsv"), "--report", path("r0.txt")])
        XCTAssertEqual(choose.status, 0, choose.stderr)
        XCTAssertTrue(choose.stderr.contains("chose 3 thresholds"), choose.stderr)
        let lines = try String(contentsOfFile: path("t.tsv"), encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
        XCTAssertEqual(lines.map { $0.split(separator: "\t")[0] }, ["class0", "class1", "class2"])
        let chosen = try lines.map { try XCTUnwrap(Float($0.split(separator: "\t")[1])) }
        XCTAssertTrue(chosen.allSatisfy { $0 > 0 && $0 < 1 }, "\(chosen)")

        let apply = try Fixtures.run("capseval", ["--model", path("model.h5"), path("data.h5"), "--thresholds", path("t.tsv"),
                                                  "--json", path("m.json"), "--predictions", path("p.tsv"), "--report", path("r.txt")])
        XCTAssertEqual(apply.status, 0, apply.stderr)
        let report = try String(contentsOfFile: path("r.txt"), encoding: .utf8)
        XCTAssertTrue(report.contains("One-vs-rest at per-class thresholds (\(path("t.tsv"))): micro precision"), report)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("m.json")))) as? [String: Any])
        let section = try XCTUnwrap(json["thresholds"] as? [String: Any])
        XCTAssertNotNil(section["micro_f1"] as? Double)
        let classF1 = try XCTUnwrap(section["classes"] as? [[String: Any]]).map { $0["f1"] as! Double }
        // Chosen on this very input, each class's F1 is at least what the shared midpoint 0.5 gives it.
        let scored = try Fixtures.run("capseval", ["--model", path("model.h5"), path("data.h5"), "-o", path("s.h5")])
        XCTAssertEqual(scored.status, 0, scored.stderr)
        let file = try H5File.open(at: path("s.h5"))
        let lengths = try CapsuleLengths(values: try file.read(Float.self, from: "/lengths").values, classCount: 3)
        let labels = try file.read(Int32.self, from: "/labels").values
        try file.close()
        let atHalf = ClassThresholds(values: [0.5, 0.5, 0.5]).decisions(lengths: lengths, labels: labels).perClass
        for c in 0..<3 { XCTAssertGreaterThanOrEqual(classF1[c], atHalf[c].f1 - 1e-9, "class \(c)") }
        // Each listed class reaches its own threshold.
        for row in try String(contentsOfFile: path("p.tsv"), encoding: .utf8).split(separator: "\n").dropFirst() {
            let fields = row.split(separator: "\t", omittingEmptySubsequences: false)
            for pair in fields[3].split(separator: " ") {
                let name = String(pair[..<pair.lastIndex(of: ":")!]), length = Float(pair[pair.index(after: pair.lastIndex(of: ":")!)...])!
                XCTAssertGreaterThanOrEqual(length, chosen[["class0", "class1", "class2"].firstIndex(of: name)!], String(row))
            }
        }
        try "class1\t1.5\n".write(toFile: path("bad.tsv"), atomically: true, encoding: .utf8)
        let bad = try Fixtures.run("capseval", ["--model", path("model.h5"), path("data.h5"), "--thresholds", path("bad.tsv")])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertEqual(bad.stderr, "capseval: --thresholds \(path("bad.tsv")):1: value '1.5' of 'class1' must lie in [0, 1), the range of capsule lengths\n")
        let both = try Fixtures.run("capseval", ["--model", path("model.h5"), path("data.h5"), "--thresholds", path("t.tsv"), "--top-k", "2"])
        XCTAssertTrue(both.stderr.hasPrefix("capseval: --top-k, --threshold and --thresholds exclude each other"), both.stderr)
    }
}
