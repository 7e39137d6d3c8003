import CapsArtifacts
import CapsKitTestSupport
import CapsTestSupport
import Foundation
import XCTest

/// `capsfit --patience K` through the built tool.
final class PatienceToolTests: ToolTestCase {
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
}
