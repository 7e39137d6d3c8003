import CapsArtifacts
import CapsCore
@testable import CapsKit
import CapsKitTestSupport
import CapsNet
import CapsReports
import CapsStorage
import CapsTestSupport
import Foundation
import XCTest

/// `capsfit` as a user runs it: the built executable on a small embedded file.
final class CapsFitToolTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory(for: self)
        try SyntheticData.write(to: path("train.h5"))
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Flags for a model small enough to train in a fraction of a second.
    let small = ["--ngram", "2", "--filters", "12", "--primary-channels", "16", "--primary-kernel", "3",
                 "--class-dim", "8", "--decoder-hidden", "16,24", "--lam-recon", "0.1", "--batch", "10",
                 "--lr", "0.01", "--threads", "1"]

    func testTrainsLogsOneLinePerEpochAndWritesTheModelAndCSV() throws {
        let run = try Fixtures.run("capsfit", small + ["--epochs", "3", "--log", path("history.csv"),
                                                       path("train.h5"), "-o", path("model.h5")])
        XCTAssertEqual(run.status, 0, run.stderr)
        let epochLines = run.stderr.split(separator: "\n").filter { $0.hasPrefix("epoch ") && $0.contains("val acc") }
        XCTAssertEqual(epochLines.count, 3, run.stderr)
        XCTAssertTrue(epochLines[2].hasPrefix("epoch 3/3  loss "), String(epochLines[2]))
        let model = try ModelFile.read(from: path("model.h5"))
        XCTAssertEqual(model.history.records.count, 3)
        XCTAssertEqual(model.config.filters, 12)
        XCTAssertEqual(model.provenance.tool, "capsfit")
        let csv = try String(contentsOfFile: path("history.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.count, 4)
        XCTAssertEqual(String(csv[0]), EpochRecord.columns.joined(separator: ","))
    }

    func testBadInputFailsWithOneLineAndWritesNothing() throws {
        let missing = try Fixtures.run("capsfit", small + [path("absent.h5"), "-o", path("model.h5")])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertEqual(missing.stderr.split(separator: "\n").count, 1, missing.stderr)
        XCTAssertTrue(missing.stderr.hasPrefix("capsfit: ") && missing.stderr.contains("absent.h5"), missing.stderr)

        let badOption = try Fixtures.run("capsfit", small + ["--decoder-output", "tanh", path("train.h5"), "-o", path("model.h5")])
        XCTAssertNotEqual(badOption.status, 0)
        XCTAssertEqual(badOption.stderr, "capsfit: --decoder-output must be one of sigmoid, linear (got 'tanh')\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("model.h5")))
    }

    func testRegularisersReachTheModelFileAndBadValuesFailInOneLine() throws {
        let flags = ["--fine-tune-embeddings", "--dropout", "0.5", "--input-dropout", "0.3", "--word-dropout", "0.1",
                     "--weight-decay", "0.2", "--average-decay", "0.9"]
        let run = try Fixtures.run("capsfit", small + flags + ["--epochs", "2", path("train.h5"), "-o", path("model.h5")])
        XCTAssertEqual(run.status, 0, run.stderr)
        let model = try ModelFile.read(from: path("model.h5"), withCheckpoint: true)
        XCTAssertEqual(model.config.dropout, 0.5)
        XCTAssertEqual(model.attribute("input_dropout")?.doubleValue ?? 0, 0.3, accuracy: 1e-7)
        XCTAssertEqual(model.attribute("word_dropout")?.doubleValue, 0.1)
        XCTAssertEqual(model.attribute("weight_decay")?.doubleValue ?? 0, 0.2, accuracy: 1e-7)
        XCTAssertEqual(model.attribute("average_decay")?.doubleValue ?? 0, 0.9, accuracy: 1e-7)
        XCTAssertNotNil(model.checkpoint?.averageParameters, "the average is checkpointed")
        XCTAssertNotNil(model.checkpoint?.averageEmbedding, "with the tuned table's average")

        let bad = try Fixtures.run("capsfit", small + ["--input-dropout", "1", path("train.h5"), "-o", path("bad.h5")])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertEqual(bad.stderr, "capsfit: --input-dropout must lie in [0, 1) (got 1.0)\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("bad.h5")))
    }

    /// The flags are generated from the one declaration of each field: every
    /// `CapsNetConfig.settings` and `TrainingOptions.settings` entry that has
    /// a flag is listed with its declared help and default, and applying a
    /// flag reaches the field it names (checked through the model file).
    func testEveryDeclaredSettingHasItsFlagHelpAndDefault() throws {
        let help = try Fixtures.run("capsfit", ["--help"])
        XCTAssertEqual(help.status, 0, help.stderr)
        let text = help.stdout.replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: " +", with: " ", options: .regularExpression)
        func check<Root>(_ settings: [Setting<Root>], defaults: Root) {
            for setting in settings where setting.isFlag {
                XCTAssertTrue(text.contains("--\(setting.flag) <\(setting.flag)>"), "--\(setting.flag) missing from --help")
                let words = setting.helpText(defaults: defaults).split(separator: " ").suffix(3).joined(separator: " ")
                XCTAssertTrue(text.contains(words), "--\(setting.flag): '\(words)' missing from --help")
            }
        }
        check(CapsNetConfig.settings, defaults: CapsNetConfig(classes: 1))
        check(TrainingOptions.settings, defaults: TrainingOptions())

        let run = try Fixtures.run("capsfit", small + ["--routings", "2", "--routing", "leaky", "--m-plus", "0.8", "--epochs", "1",
                                                       "--seed", "5", path("train.h5"), "-o", path("model.h5")])
        XCTAssertEqual(run.status, 0, run.stderr)
        let model = try ModelFile.read(from: path("model.h5"))
        XCTAssertEqual(model.config.routings, 2)
        XCTAssertEqual(model.config.routing, .leaky)
        let summary = try Fixtures.run("capsexport", ["--format", "summary", path("model.h5"), "-o", "-"])
        XCTAssertTrue(summary.stdout.contains("class_caps (leaky routing ×2)"), summary.stdout)
        XCTAssertTrue(summary.stdout.contains("routing             leaky"), summary.stdout)
        XCTAssertEqual(model.config.marginPositive, 0.8)
        XCTAssertEqual(model.config.primaryKernel, 3)
        XCTAssertEqual(model.attribute("seed")?.intValue, 5)

        let bad = try Fixtures.run("capsfit", small + ["--routings", "two", path("train.h5"), "-o", path("bad.h5")])
        XCTAssertEqual(bad.stderr, "capsfit: --routings must be a whole number (got 'two')\n")
        let zero = try Fixtures.run("capsfit", small + ["--routings", "0", path("train.h5"), "-o", path("bad.h5")])
        XCTAssertEqual(zero.stderr.split(separator: "\n").count, 1, zero.stderr)
        XCTAssertTrue(zero.stderr.contains("--routings must be at least 1 (got 0)"), zero.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("bad.h5")))
    }

    /// Capsule-B branches with pooled positions, end to end: stored in the
    /// model, summarised and exported by their n-gram, scored by capseval,
    /// and continued by --resume exactly as an uninterrupted run.
    func testNgramBranchesWithPooledPositionsTrainScoreExportAndResume() throws {
        let branches = ["--ngram", "2,3", "--filters", "12", "--primary-channels", "16", "--primary-kernel", "2",
                        "--primary-stride", "1", "--position-pool", "2", "--class-dim", "8", "--lam-recon", "0",
                        "--batch", "10", "--lr", "0.01", "--threads", "1", "--seed", "3"]
        let straight = try Fixtures.run("capsfit", branches + ["--epochs", "2", path("train.h5"), "-o", path("two.h5")])
        XCTAssertEqual(straight.status, 0, straight.stderr)
        let model = try ModelFile.read(from: path("two.h5"))
        XCTAssertEqual(model.config.ngrams, [2, 3])
        XCTAssertEqual(model.config.positionPool, 2)
        XCTAssertEqual(model.config.primaryCapsules, 2 * 2 * 2)          // 2 branches × 16/8 channels × 2 segments
        XCTAssertEqual(Array(model.tensors.map(\.name).prefix(2)), ["conv1_2gram.weight", "conv1_2gram.bias"])

        try assertOneEpochAndResume(flags: branches, give: model.weights)

        let summary = try Fixtures.run("capsexport", ["--format", "summary", path("two.h5"), "-o", "-"])
        XCTAssertEqual(summary.status, 0, summary.stderr)
        for row in ["conv1_2gram (Conv2d 2×6, ReLU)", "conv1_3gram (Conv2d 3×6, ReLU)",
                    "primary_caps_2gram (Conv2d 2×1 /1, max over 2 of 6 positions, squash)",
                    "primary_caps_3gram (Conv2d 2×1 /1, max over 2 of 5 positions, squash)"] {
            XCTAssertTrue(summary.stdout.contains(row), "\(row) missing from\n\(summary.stdout)")
        }
        let export = try Fixtures.run("capsexport", ["--format", "h5", path("two.h5"), "-o", path("export.h5")])
        XCTAssertEqual(export.status, 0, export.stderr)
        let dump = try H5Dump.header(path("export.h5"))
        XCTAssertTrue(dump.contains("primarycaps_3gram.conv2d.weight"), dump)

        let scored = try Fixtures.run("capseval", ["--model", path("two.h5"), "--threads", "1", path("train.h5"),
                                                   "-o", path("scores.h5")])
        XCTAssertEqual(scored.status, 0, scored.stderr)
        let lengths = try H5File.open(at: path("scores.h5")).read(Float.self, from: "/lengths").values
        XCTAssertEqual(lengths.count, 120 * 3)
        XCTAssertTrue(lengths.allSatisfy { $0.isFinite && $0 >= 0 && $0 < 1 })

        let bad = try Fixtures.run("capsfit", branches + ["--ngram", "2,2", path("train.h5"), "-o", path("bad.h5")])
        XCTAssertEqual(bad.stderr.split(separator: "\n").count, 1, bad.stderr)
        XCTAssertTrue(bad.stderr.hasPrefix("capsfit: ") && bad.stderr.contains("must not repeat a width"), bad.stderr)
    }

    /// Lexical capsules end to end: the bucket table is stored and exported
    /// under its name, the summary shows it, the log states its memory,
    /// capseval scores with it, --resume continues exactly (the row-sparse
    /// Adam state included), and a bad value is one line.
    func testLexicalCapsulesTrainScoreExportAndResume() throws {
        let lexical = small + ["--buckets", "97", "--lexical-ngrams", "3", "--lexical-capsules", "2",
                               "--lexical-lr", "0.05", "--lam-recon", "0", "--seed", "4"]
        let straight = try Fixtures.run("capsfit", lexical + ["--epochs", "2", path("train.h5"), "-o", path("two.h5")])
        XCTAssertEqual(straight.status, 0, straight.stderr)
        XCTAssertTrue(straight.stderr.contains("lexical table 97×16"), straight.stderr)
        let model = try ModelFile.read(from: path("two.h5"))
        XCTAssertEqual(model.config.buckets, 97)
        XCTAssertEqual(model.config.lexicalNgrams, 3)
        XCTAssertEqual(model.config.lexicalCapsules, 2)
        XCTAssertEqual(model.attribute("lexical_lr")?.doubleValue, Double(Float(0.05)))
        let table = try XCTUnwrap(model.tensors.first { $0.name == "lexical.buckets" })
        XCTAssertEqual(table.shape, [97, 16])

        try assertOneEpochAndResume(flags: lexical, give: model.weights)

        let summary = try Fixtures.run("capsexport", ["--format", "summary", path("two.h5"), "-o", "-"])
        XCTAssertEqual(summary.status, 0, summary.stderr)
        XCTAssertTrue(summary.stdout.contains("lexical_caps (hashed 1–3-grams, 97 buckets × 16, mean, squash)"),
                      summary.stdout)
        let export = try Fixtures.run("capsexport", ["--format", "h5", path("two.h5"), "-o", path("export.h5")])
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertTrue(try H5Dump.header(path("export.h5")).contains("lexical.buckets"))

        let scored = try Fixtures.run("capseval", ["--model", path("two.h5"), "--threads", "1", path("train.h5"),
                                                   "-o", path("scores.h5")])
        XCTAssertEqual(scored.status, 0, scored.stderr)
        XCTAssertTrue(try H5File.open(at: path("scores.h5")).read(Float.self, from: "/lengths").values
            .allSatisfy { $0.isFinite && $0 >= 0 && $0 < 1 })

        let bad = try Fixtures.run("capsfit", lexical + ["--buckets=-3", path("train.h5"), "-o", path("bad.h5")])
        XCTAssertEqual(bad.stderr.split(separator: "\n").count, 1, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("--buckets must be at least 0 (got -3)"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("bad.h5")))
    }

    /// One epoch with `flags`, then `--resume` to two: the weights must be
    /// `weights`, those of two epochs straight.
    func assertOneEpochAndResume(flags: [String], give weights: [Float], file: StaticString = #filePath,
                                 line: UInt = #line) throws {
        let first = try Fixtures.run("capsfit", flags + ["--epochs", "1", path("train.h5"), "-o", path("one.h5")])
        XCTAssertEqual(first.status, 0, first.stderr, file: file, line: line)
        let resumed = try Fixtures.run("capsfit", ["--resume", path("one.h5"), "--epochs", "2", "--threads", "1",
                                                   path("train.h5"), "-o", path("one.h5")])
        XCTAssertEqual(resumed.status, 0, resumed.stderr, file: file, line: line)
        XCTAssertEqual(try ModelFile.read(from: path("one.h5")).weights, weights, "resumed = uninterrupted",
                       file: file, line: line)
    }

    /// --threads 2 splits each batch across two threads (the default
    /// --thread-split batch): runs repeat bit for bit, resuming included, and
    /// the model records the split; --thread-split blas is the other way.
    func testBatchSplitThreadsAreDeterministicResumableAndRecorded() throws {
        let two = small.dropLast(2) + ["--threads", "2", "--dropout", "0.3"]
        func weights(_ name: String) throws -> [Float] { try ModelFile.read(from: path(name)).weights }
        for name in ["a.h5", "b.h5"] {
            let run = try Fixtures.run("capsfit", two + ["--epochs", "2", path("train.h5"), "-o", path(name)])
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        XCTAssertEqual(try weights("a.h5"), try weights("b.h5"))
        XCTAssertEqual(try ModelFile.read(from: path("a.h5")).attribute("thread_split")?.stringValue, "batch")
        // One epoch, then --resume to two: the same weights as two in one go.
        XCTAssertEqual(try Fixtures.run("capsfit", two + ["--epochs", "1", path("train.h5"), "-o", path("c.h5")]).status, 0)
        let resumed = try Fixtures.run("capsfit", ["--resume", path("c.h5"), "--epochs", "2", "--threads", "2",
                                                   path("train.h5"), "-o", path("c.h5")])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try weights("c.h5"), try weights("a.h5"))
        let blas = try Fixtures.run("capsfit", two + ["--thread-split", "blas", "--epochs", "1", path("train.h5"), "-o", path("d.h5")])
        XCTAssertEqual(blas.status, 0, blas.stderr)
        XCTAssertEqual(try ModelFile.read(from: path("d.h5")).attribute("thread_split")?.stringValue, "blas")
        XCTAssertEqual(try Fixtures.run("capsfit", two + ["--epochs", "1", path("train.h5"), "-o", path("e.h5")]).status, 0)
        XCTAssertNotEqual(try weights("d.h5"), try weights("e.h5"), "the two splits draw different dropout masks")
    }

    func testHelpShowsExamples() throws {
        let help = try Fixtures.run("capsfit", ["--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("EXAMPLES:") && help.stdout.contains("capsfit --resume model.h5"), help.stdout)
    }

    /// Ctrl-C mid-run: the step in progress finishes, a checkpoint is written,
    /// the tool exits non-zero with the command that resumes, and resuming works.
    func testSIGINTWritesACheckpointThatResumes() throws {
        let process = Process()
        process.executableURL = try Fixtures.tool("capsfit")
        process.arguments = small + ["--epochs", "500", path("train.h5"), "-o", path("model.h5")]
        let errURL = directory.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // The model file appears after the first epoch: then interrupt.
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: path("model.h5")) && Date() < deadline && process.isRunning {
            Thread.sleep(forTimeInterval: 0.02)
        }
        XCTAssertTrue(process.isRunning, "capsfit ended before it could be interrupted")
        process.interrupt()
        process.waitUntilExit()
        try err.close()
        let stderr = try String(contentsOf: errURL, encoding: .utf8)
        XCTAssertNotEqual(process.terminationStatus, 0)
        let last = stderr.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(last.hasPrefix("capsfit: interrupted by SIGINT in epoch "), stderr)
        XCTAssertTrue(last.contains("resume with: capsfit --resume"), last)

        let cut = try ModelFile.read(from: path("model.h5"), withCheckpoint: true)
        let state = try XCTUnwrap(cut.checkpoint)
        XCTAssertGreaterThanOrEqual(state.epochsCompleted, 1)
        let target = state.epochsCompleted + 1
        let resumed = try Fixtures.run("capsfit", ["--resume", path("model.h5"), "--epochs", "\(target)", "--threads", "1",
                                                   path("train.h5"), "-o", path("model.h5")])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        let done = try ModelFile.read(from: path("model.h5"), withCheckpoint: true)
        XCTAssertEqual(done.checkpoint?.epochsCompleted, target)
        XCTAssertEqual(done.checkpoint?.batchesDone, 0)
        XCTAssertEqual(done.history.records.count, target)
    }
}
