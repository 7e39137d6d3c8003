import CapsArtifacts
import CapsCore
@testable import CapsKit
import CapsKitTestSupport
import CapsTestSupport
import XCTest

final class LearningRateScheduleTests: XCTestCase {
    private func record(_ epoch: Int, val: Double?, loss: Double = 1) -> EpochRecord {
        EpochRecord(epoch: epoch, loss: loss, marginLoss: loss, reconstructionLoss: nil, trainAccuracy: 0.5, validationAccuracy: val,
                    learningRate: 0, seconds: 1, samplesPerSecond: 1)
    }

    func testExponentialDecaysEveryEpochAsTheReference() {
        let rates = (1...4).map { LearningRateSchedule.exponential.rate(epoch: $0, base: 1e-3, decay: 0.9, history: []) }
        // The trainer's formula before schedules existed, so reference runs are unchanged bit for bit.
        let decay: Float = 0.9, base: Float = 1e-3
        XCTAssertEqual(rates, (1...4).map { base * Float(pow(Double(decay), Double($0 - 1))) })
        XCTAssertEqual(rates[1], 9e-4, accuracy: 1e-10)
    }

    /// Validation accuracies 0.5, 0.6, 0.6, 0.55, 0.7: epochs 3 and 4 are
    /// not new bests (a tie is not), so epochs 4 and 5 run at ×0.5 and ×0.25.
    func testPlateauDecaysOnlyAfterAnEpochWithoutANewBest() {
        let accuracies = [0.5, 0.6, 0.6, 0.55, 0.7]
        let history = accuracies.enumerated().map { record($0.offset + 1, val: $0.element) }
        let rates = (1...6).map { LearningRateSchedule.plateau.rate(epoch: $0, base: 1, decay: 0.5, history: history) }
        XCTAssertEqual(rates, [1, 1, 1, 0.5, 0.25, 0.25])
        // Without a validation split the training loss decides (lower is better).
        let losses = [0.9, 0.8, 0.85].enumerated().map { record($0.offset + 1, val: nil, loss: $0.element) }
        XCTAssertEqual(LearningRateSchedule.plateau.rate(epoch: 4, base: 1, decay: 0.5, history: losses), 0.5)
        XCTAssertEqual(LearningRateSchedule.plateau.rate(epoch: 3, base: 1, decay: 0.5, history: losses), 1)
    }

    /// In training: every epoch's recorded rate follows the rule from the
    /// epochs before it, and a resumed run continues with the same rates.
    func testTrainerRecordsPlateauRatesAndResumesThem() throws {
        let directory = try Fixtures.temporaryDirectory(for: self)
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        try SyntheticData.write(to: path("train.h5"))
        var options = ScoringFixture.smallOptions(epochs: 1, seed: 3)
        options.learningRateDecay = 0.5; options.learningRateSchedule = .plateau
        func train(_ output: String, epochs: Int, resume: String? = nil) throws -> TrainingHistory {
            options.epochs = epochs
            return try Trainer(inputPath: path("train.h5"), outputPath: path(output),
                               config: SyntheticData.smallConfig(decoder: false), options: options,
                               resumeFrom: resume, commandLine: "test").run()
        }
        let straight = try train("straight.h5", epochs: 6)
        for record in straight.records {
            let expected = LearningRateSchedule.plateau.rate(epoch: record.epoch, base: 0.01, decay: 0.5,
                                                             history: straight.records)
            XCTAssertEqual(record.learningRate, Double(expected), accuracy: 1e-9, "epoch \(record.epoch)")
        }
        _ = try train("resumed.h5", epochs: 3)
        let resumed = try train("resumed.h5", epochs: 6, resume: path("resumed.h5"))
        XCTAssertEqual(resumed.records.map(\.learningRate), straight.records.map(\.learningRate))
        XCTAssertEqual(try ModelFile.read(from: path("resumed.h5")).weights,
                       try ModelFile.read(from: path("straight.h5")).weights)
        let stored = try ModelFile.read(from: path("straight.h5"))
        XCTAssertEqual(stored.attribute("lr_schedule")?.stringValue, "plateau")
    }
}
