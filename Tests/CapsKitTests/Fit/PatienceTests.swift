import CapsArtifacts
import CapsCore
@testable import CapsKit
import CapsKitTestSupport
import CapsTestSupport
import XCTest

/// `--patience K`: training stops after K epochs without a new best
/// validation accuracy, keeps the best epoch, and resumes as a finished run.
final class PatienceTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory(for: self) }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func train(_ output: String, options: TrainingOptions, resume: String? = nil,
               log: ((String) -> Void)? = nil) throws -> Trainer {
        let trainer = try Trainer(inputPath: path("train.h5"), outputPath: path(output),
                                  config: SyntheticData.smallConfig(decoder: false), options: options,
                                  resumeFrom: resume, commandLine: "test")
        if let log { trainer.log = log }
        try trainer.run()
        return trainer
    }

    func testTheStoppingRule() {
        var options = TrainingOptions()
        options.epochs = 10
        XCTAssertFalse(options.isFinished(epochsCompleted: 9, bestEpoch: 1), "patience 0 trains every epoch")
        XCTAssertTrue(options.isFinished(epochsCompleted: 10, bestEpoch: 1))
        options.patience = 2
        XCTAssertFalse(options.isFinished(epochsCompleted: 2, bestEpoch: 1))
        XCTAssertTrue(options.isFinished(epochsCompleted: 3, bestEpoch: 1))
        XCTAssertFalse(options.isFinished(epochsCompleted: 3, bestEpoch: 0), "nothing validated yet: no reason to stop")
        XCTAssertTrue(options.isFinished(epochsCompleted: 10, bestEpoch: 10))
    }

    /// The synthetic problem is learnt within a few epochs, after which the
    /// validation accuracy cannot improve: with patience 2 training stops
    /// two epochs after the best one, and its model is bit for bit the
    /// model of a run told to train exactly that many epochs.
    func testStopsAfterPatienceEpochsWithoutANewBestAndKeepsTheBest() throws {
        try SyntheticData.write(to: path("train.h5"))
        var options = ScoringFixture.smallOptions(epochs: 30, seed: 3)
        options.patience = 2
        var lines: [String] = []
        let early = try train("early.h5", options: options) { lines.append($0) }
        let records = early.history.records
        XCTAssertLessThan(records.count, 30, "the run should have stopped early")
        XCTAssertEqual(records.count, early.bestEpoch + 2)
        let best = records[early.bestEpoch - 1].validationAccuracy!
        XCTAssertTrue(records[early.bestEpoch...].allSatisfy { $0.validationAccuracy! <= best })
        XCTAssertTrue(lines.contains { $0.contains("stopped early after epoch \(records.count)") }, "\(lines)")

        var straight = options
        straight.patience = 0
        straight.epochs = records.count
        _ = try train("straight.h5", options: straight)
        let a = try ModelFile.read(from: path("early.h5")), b = try ModelFile.read(from: path("straight.h5"))
        XCTAssertEqual(a.weights, b.weights)
        XCTAssertEqual(a.attribute("best_epoch")?.intValue, Int64(early.bestEpoch))
        XCTAssertEqual(a.attribute("patience")?.intValue, 2)
    }

    /// A resumed run of a model that stopped early has nothing to do under
    /// the same patience; a larger patience continues it exactly as a run
    /// that had that patience from the start.
    func testResumeHonoursThePatienceOfTheCommandLine() throws {
        try SyntheticData.write(to: path("train.h5"))
        var options = ScoringFixture.smallOptions(epochs: 30, seed: 3)
        options.patience = 1
        let first = try train("model.h5", options: options)
        let stoppedAt = first.history.records.count
        XCTAssertLessThan(stoppedAt, 30)
        var lines: [String] = []
        let again = try train("model.h5", options: options, resume: path("model.h5")) { lines.append($0) }
        XCTAssertEqual(again.history.records.count, stoppedAt)
        XCTAssertTrue(lines.contains { $0.contains("nothing to do") && $0.contains("--patience 1") }, "\(lines)")

        options.patience = 3
        let longer = try train("model.h5", options: options, resume: path("model.h5"))
        let fresh = try train("fresh.h5", options: options)
        XCTAssertGreaterThan(longer.history.records.count, stoppedAt)
        XCTAssertEqual(longer.history.records.map(\.validationAccuracy), fresh.history.records.map(\.validationAccuracy))
        XCTAssertEqual(try ModelFile.read(from: path("model.h5")).weights, try ModelFile.read(from: path("fresh.h5")).weights)
    }

    /// Each ensemble member stops by its own validation curve.
    func testEveryEnsembleMemberStopsOnItsOwn() throws {
        try SyntheticData.write(to: path("train.h5"))
        var options = ScoringFixture.smallOptions(epochs: 30, seed: 3)
        options.patience = 2
        options.ensemble = 2
        let trainer = try train("ensemble.h5", options: options)
        let stored = try ModelFile.read(from: path("ensemble.h5"))
        XCTAssertEqual(stored.members.count, 2)
        for (k, member) in stored.members.enumerated() {
            let best = try XCTUnwrap(member.attribute("best_epoch")?.intValue, "member \(k + 1)")
            XCTAssertEqual(member.history.records.count, Int(best) + 2, "member \(k + 1)")
            XCTAssertLessThan(member.history.records.count, 30, "member \(k + 1) should stop early")
        }
        XCTAssertNotNil(trainer.ensembleValidationAccuracy)
    }

    func testPatienceWithoutValidationIsRefused() throws {
        try SyntheticData.write(to: path("train.h5"))
        var options = ScoringFixture.smallOptions(epochs: 3, seed: 3)
        options.validation = .none
        options.keep = .last
        options.patience = 2
        XCTAssertThrowsError(try train("model.h5", options: options)) { error in
            XCTAssertTrue("\(error)".contains("--patience needs validation"), "\(error)")
        }
    }
}
