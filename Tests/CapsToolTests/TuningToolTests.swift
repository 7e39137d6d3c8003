import CapsArtifacts
import CapsKitTestSupport
import CapsTestSupport
import Foundation
import XCTest

/// `capsfit --patience K`, `--autotune N` and `--recommended` through the built tool.
final class TuningToolTests: ToolTestCase {
    /// Flags for a model small enough to train in a fraction of a second.
    let small = ["--ngram", "2", "--filters", "12", "--primary-channels", "16", "--primary-kernel", "3",
                 "--class-dim", "8", "--decoder-hidden", "16,24", "--lam-recon", "0", "--batch", "10",
                 "--lr", "0.01", "--threads", "1"]

    override func setUpWithError() throws {
        try super.setUpWithError()
        try ScoringFixture.embeddedFile(at: path("train.h5"))
    }

    /// `--patience` end to end: the run stops on its own with a line saying
    /// why, the model records it, a resume has nothing left to do, and bad
    /// values (or patience without validation) fail in one line.
    func testPatienceStopsEarlyAndResumesAsFinished() throws {
        let fit = try Fixtures.run("capsfit", small + ["--epochs", "40", "--patience", "1", path("train.h5"),
                                                       "-o", path("model.h5")])
        XCTAssertEqual(fit.status, 0, fit.stderr)
        let lines = fit.stderr.split(separator: "\n").map(String.init)
        let epochs = lines.filter { $0.hasPrefix("epoch ") && $0.contains("val acc") }.count
        XCTAssertLessThan(epochs, 40, fit.stderr)
        XCTAssertTrue(lines.contains("stopped early after epoch \(epochs): no better validation accuracy for 1 epoch (--patience)"),
                      fit.stderr)
        let model = try ModelFile.read(from: path("model.h5"))
        XCTAssertEqual(model.attribute("patience")?.intValue, 1)
        XCTAssertEqual(model.history.records.count, epochs)
        XCTAssertEqual(model.attribute("best_epoch")?.intValue, Int64(epochs - 1))

        let again = try Fixtures.run("capsfit", small + ["--resume", path("model.h5"), "--epochs", "40", "--patience", "1",
                                                         path("train.h5"), "-o", path("model.h5")])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("already trained for \(epochs) epochs (stopped early, --patience 1); nothing to do"),
                      again.stderr)

        try assertFailsCleanly("capsfit", small + ["--patience=-1", path("train.h5"), "-o", path("bad.h5")],
                               mentions: ["capsfit: --patience must be at least 0 (got -1)"])
        try assertFailsCleanly("capsfit", small + ["--patience", "2", "--no-validation", "--keep", "last", path("train.h5"),
                                                   "-o", path("bad.h5")],
                               mentions: ["capsfit: --patience needs validation"])
    }

    /// A search end to end: the table on stderr and in /autotune (h5dump),
    /// a model capseval scores, and bad budgets refused in one line.
    func testAutotuneSearchesKeepsTheWinnerAndStoresTheTable() throws {
        let fit = try Fixtures.run("capsfit", small + ["--autotune", "4", "--epochs", "4", "--buckets", "64",
                                                       path("train.h5"), "-o", path("model.h5")])
        XCTAssertEqual(fit.status, 0, fit.stderr)
        let lines = fit.stderr.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("autotune: 4 trials of lexical_lr, lexical_ngrams, dropout, input_dropout, coupling_scale, average_decay;"),
                      "--buckets, --lr and --batch were given, so they are not searched: \(lines[0])")
        XCTAssertEqual(lines.filter { $0.hasPrefix("autotune: trial ") && $0.contains(", rung 0 (3 epochs)") }.count, 4)
        XCTAssertTrue(lines.last!.hasPrefix("autotune: kept trial "), fit.stderr)
        let dump = try H5Dump.header(path("model.h5"))
        for name in ["trial", "options", "val_acc", "epochs", "best_epoch", "seconds", "rung", "winner", "searched"] {
            XCTAssertTrue(dump.contains("\"\(name)\""), "h5dump lacks \(name): \(dump)")
        }
        let eval = try Fixtures.run("capseval", ["--model", path("model.h5"), path("train.h5")])
        XCTAssertEqual(eval.status, 0, eval.stderr)

        try assertFailsCleanly("capsfit", small + ["--autotune", "0", path("train.h5"), "-o", path("bad.h5")],
                               mentions: ["capsfit: --autotune must be at least 1 trial (got 0)"])
        try assertFailsCleanly("capsfit", small + ["--autotune", "3", "--resume", path("other.h5"), path("train.h5"),
                                                   "-o", path("bad.h5")],
                               mentions: ["capsfit: --autotune --resume continues the search of its -o file"])
        try assertFailsCleanly("capsfit", small + ["--autotune", "3", "--resume", path("bad.h5"), path("train.h5"),
                                                   "-o", path("bad.h5")],
                               mentions: ["no interrupted search to resume"])
        try assertFailsCleanly("capsfit", small + ["--autotune-duration", "60", path("train.h5"), "-o", path("bad.h5")],
                               mentions: ["capsfit: --autotune-duration needs --autotune"])
        try assertFailsCleanly("capsfit", small + ["--autotune", "3", "--autotune-duration", "0", path("train.h5"),
                                                   "-o", path("bad.h5")],
                               mentions: ["capsfit: --autotune-duration must be a positive number of seconds"])
    }

    /// `--recommended` is trial 1 of every search; a flag given beside it wins.
    func testRecommendedIsTheFirstTrialAndGivenFlagsOverrideIt() throws {
        let fit = try Fixtures.run("capsfit", small + ["--recommended", "--buckets", "64", "--epochs", "1",
                                                       path("train.h5"), "-o", path("model.h5")])
        XCTAssertEqual(fit.status, 0, fit.stderr)
        let model = try ModelFile.read(from: path("model.h5"))
        XCTAssertEqual(model.config.buckets, 64, "the given flag")
        XCTAssertEqual(model.config.couplingScale, .classes)
        XCTAssertEqual(model.config.dropout, 0.7)
        XCTAssertEqual(model.config.reconstructionWeight, 0)
        XCTAssertEqual(model.attribute("lr_schedule")?.stringValue, "plateau")
        XCTAssertEqual(model.attribute("patience")?.intValue, 3)
        XCTAssertEqual(model.attribute("fine_tune_embeddings")?.intValue, 1)
        XCTAssertEqual(model.attribute("lr")?.doubleValue ?? 0, 0.01, accuracy: 1e-7, "--lr was given")
        XCTAssertEqual(model.attribute("average_decay")?.doubleValue ?? 0, 0.995, accuracy: 1e-7)
        try assertFailsCleanly("capsfit", small + ["--recommended", "--autotune", "3", path("train.h5"), "-o", path("bad.h5")],
                               mentions: ["capsfit: --recommended and --autotune"])
    }
}
