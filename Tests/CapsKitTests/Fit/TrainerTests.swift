import CapsArtifacts
import CapsCore
@testable import CapsKit
import CapsKitTestSupport
import CapsNet
import CapsReports
import CapsTestSupport
import XCTest

final class TrainerTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory(for: self)
        InterruptFlag.reset()
    }

    override func tearDown() { InterruptFlag.reset() }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func smallConfig(decoder: Bool = true) -> CapsNetConfig { SyntheticData.smallConfig(decoder: decoder) }

    func options(epochs: Int, validation: TrainingOptions.Validation = .split(0.2)) -> TrainingOptions {
        var options = ScoringFixture.smallOptions(epochs: epochs, seed: 3)
        options.validation = validation
        options.keep = validation == .none ? .last : .best
        return options
    }

    func train(_ input: String, _ output: String, config: CapsNetConfig? = nil, options: TrainingOptions,
               resume: String? = nil) throws -> TrainingHistory {
        let trainer = try Trainer(inputPath: input, outputPath: output, config: config ?? smallConfig(),
                                  options: options, resumeFrom: resume, commandLine: "test")
        return try trainer.run()
    }

    func testLearnsASeparableProblem() throws {
        var shape = SyntheticData.Shape()
        shape.rows = 400
        try SyntheticData.write(to: path("train.h5"), shape: shape)
        let history = try train(path("train.h5"), path("model.h5"), options: options(epochs: 14))
        XCTAssertEqual(history.records.count, 14)
        XCTAssertGreaterThanOrEqual(history.records.last!.trainAccuracy, 0.95, "\(history.records.map(\.trainAccuracy))")
        XCTAssertLessThan(history.records.last!.loss, history.records.first!.loss)
        // The model file holds the best validation epoch's weights and the whole history.
        let model = try ModelFile.read(from: path("model.h5"), withCheckpoint: true)
        XCTAssertEqual(model.history, history)
        XCTAssertEqual(model.config.classes, 3)
        XCTAssertEqual(model.attribute("best_epoch")?.intValue, Int64(history.best!.epoch))
        XCTAssertEqual(model.labelNames, ["class0", "class1", "class2"])
        XCTAssertEqual(model.checkpoint?.epochsCompleted, 14)
    }

    func testSameSeedGivesBitIdenticalWeights() throws {
        try SyntheticData.write(to: path("train.h5"))
        _ = try train(path("train.h5"), path("a.h5"), options: options(epochs: 2))
        _ = try train(path("train.h5"), path("b.h5"), options: options(epochs: 2))
        let a = try ModelFile.read(from: path("a.h5"), withCheckpoint: true)
        let b = try ModelFile.read(from: path("b.h5"), withCheckpoint: true)
        XCTAssertEqual(a.checkpoint!.parameters, b.checkpoint!.parameters)
        XCTAssertEqual(a.weights, b.weights)
        var other = options(epochs: 2)
        other.seed = 4
        _ = try train(path("train.h5"), path("c.h5"), options: other)
        XCTAssertNotEqual(try ModelFile.read(from: path("c.h5"), withCheckpoint: true).checkpoint!.parameters,
                          a.checkpoint!.parameters)
    }

    func testResumeAfterAnEpochEqualsTrainingStraight() throws {
        try SyntheticData.write(to: path("train.h5"))
        _ = try train(path("train.h5"), path("straight.h5"), options: options(epochs: 2))
        _ = try train(path("train.h5"), path("resumed.h5"), options: options(epochs: 1))
        let history = try train(path("train.h5"), path("resumed.h5"), options: options(epochs: 2), resume: path("resumed.h5"))
        let straight = try ModelFile.read(from: path("straight.h5"), withCheckpoint: true)
        let resumed = try ModelFile.read(from: path("resumed.h5"), withCheckpoint: true)
        XCTAssertEqual(resumed.checkpoint!.parameters, straight.checkpoint!.parameters)
        XCTAssertEqual(resumed.checkpoint!.adamFirstMoment, straight.checkpoint!.adamFirstMoment)
        XCTAssertEqual(resumed.weights, straight.weights)
        XCTAssertEqual(history.records.map(\.loss), straight.history.records.map(\.loss))
    }

    func testRegularisedRunIsReproducibleResumableAndDiffersFromThePlainOne() throws {
        try SyntheticData.write(to: path("train.h5"))
        var opts = options(epochs: 2)
        opts.fineTuneEmbeddings = true
        opts.wordDropout = 0.2
        opts.weightDecay = 0.5
        opts.inputDropout = 0.3
        _ = try train(path("train.h5"), path("straight.h5"), options: opts)
        _ = try train(path("train.h5"), path("again.h5"), options: opts)
        var first = opts
        first.epochs = 1
        _ = try train(path("train.h5"), path("resumed.h5"), options: first)
        // Resume restores both options from the model file, not from the command line.
        _ = try train(path("train.h5"), path("resumed.h5"), options: options(epochs: 2), resume: path("resumed.h5"))
        var plain = opts
        plain.wordDropout = 0
        plain.weightDecay = 0
        plain.inputDropout = 0
        _ = try train(path("train.h5"), path("plain.h5"), options: plain)

        let straight = try ModelFile.read(from: path("straight.h5"), withCheckpoint: true)
        let again = try ModelFile.read(from: path("again.h5"), withCheckpoint: true)
        let resumed = try ModelFile.read(from: path("resumed.h5"), withCheckpoint: true)
        let unregularised = try ModelFile.read(from: path("plain.h5"), withCheckpoint: true)
        XCTAssertEqual(again.checkpoint!.parameters, straight.checkpoint!.parameters)
        XCTAssertEqual(resumed.checkpoint!.parameters, straight.checkpoint!.parameters)
        XCTAssertEqual(resumed.checkpoint!.embeddingTable, straight.checkpoint!.embeddingTable)
        XCTAssertEqual(straight.attribute("word_dropout")?.doubleValue, 0.2)
        XCTAssertEqual(straight.attribute("input_dropout")?.doubleValue ?? 0, 0.3, accuracy: 1e-7)
        XCTAssertEqual(straight.attribute("weight_decay")?.doubleValue ?? 0, 0.5, accuracy: 1e-7)
        XCTAssertNotEqual(unregularised.checkpoint!.parameters, straight.checkpoint!.parameters)
        // Decay shrinks the weights: the decayed run's are smaller overall.
        func norm(_ values: [Float]) -> Float { values.reduce(0) { $0 + $1 * $1 } }
        XCTAssertLessThan(norm(straight.checkpoint!.parameters), norm(unregularised.checkpoint!.parameters))

        var bad = opts
        bad.wordDropout = 1
        XCTAssertThrowsError(try train(path("train.h5"), path("bad.h5"), options: bad)) { error in
            XCTAssertTrue("\(error)".contains("--word-dropout must lie in [0, 1)"), "\(error)")
        }
    }

    func testAveragingKeepsTheAverageWithoutChangingTheTrainingItself() throws {
        try SyntheticData.write(to: path("train.h5"))
        var opts = options(epochs: 2)
        opts.fineTuneEmbeddings = true
        opts.keep = .last
        _ = try train(path("train.h5"), path("live.h5"), options: opts)
        opts.averageDecay = 0.9
        _ = try train(path("train.h5"), path("averaged.h5"), options: opts)
        var first = opts
        first.epochs = 1
        _ = try train(path("train.h5"), path("resumed.h5"), options: first)
        let resumedHistory = try train(path("train.h5"), path("resumed.h5"), options: options(epochs: 2), resume: path("resumed.h5"))

        let live = try ModelFile.read(from: path("live.h5"), withCheckpoint: true)
        let averaged = try ModelFile.read(from: path("averaged.h5"), withCheckpoint: true)
        let resumed = try ModelFile.read(from: path("resumed.h5"), withCheckpoint: true)
        // The optimiser's trajectory is untouched: same live parameters and table.
        XCTAssertEqual(averaged.checkpoint!.parameters, live.checkpoint!.parameters)
        XCTAssertEqual(averaged.checkpoint!.embeddingTable, live.checkpoint!.embeddingTable)
        XCTAssertEqual(live.weights, live.checkpoint!.parameters)
        // What is kept (--keep last) is the average, not the live weights.
        let average = try XCTUnwrap(averaged.checkpoint!.averageParameters)
        XCTAssertEqual(averaged.weights, average)
        XCTAssertNotEqual(averaged.weights, live.weights)
        XCTAssertEqual(averaged.tunedEmbedding, averaged.checkpoint!.averageEmbedding)
        XCTAssertNotEqual(averaged.tunedEmbedding, live.tunedEmbedding)
        // Validation scores the average: the accuracies differ from the live run's somewhere, or the losses do.
        XCTAssertNotEqual(averaged.history.records.map(\.validationLoss), live.history.records.map(\.validationLoss))
        // Resume continues the average exactly.
        XCTAssertEqual(resumed.checkpoint!.averageParameters, average)
        XCTAssertEqual(resumed.weights, averaged.weights)
        XCTAssertEqual(resumedHistory.records.map(\.validationLoss), averaged.history.records.map(\.validationLoss))
        XCTAssertEqual(averaged.attribute("average_decay")?.doubleValue ?? 0, 0.9, accuracy: 1e-7)
    }

    func testInterruptMidEpochWritesACheckpointThatResumesExactly() throws {
        try SyntheticData.write(to: path("train.h5"))
        var opts = options(epochs: 2)
        opts.fineTuneEmbeddings = true
        _ = try train(path("train.h5"), path("straight.h5"), options: opts)

        // Interrupt during epoch 2: the flag is seen after the step in progress.
        let trainer = try Trainer(inputPath: path("train.h5"), outputPath: path("cut.h5"), config: smallConfig(),
                                  options: opts, commandLine: "test")
        var epochsLogged = 0
        trainer.log = { line in
            if line.hasPrefix("epoch 1/") { epochsLogged += 1; InterruptFlag.simulate(SIGINT) }
        }
        XCTAssertThrowsError(try trainer.run()) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("interrupted by SIGINT in epoch 2 after batch 1/"), message)
            XCTAssertTrue(message.contains("capsfit --resume"), message)
        }
        XCTAssertEqual(epochsLogged, 1)
        InterruptFlag.reset()
        let cut = try ModelFile.read(from: path("cut.h5"), withCheckpoint: true)
        XCTAssertEqual(cut.checkpoint?.epochsCompleted, 1)
        XCTAssertEqual(cut.checkpoint?.batchesDone, 1)

        _ = try train(path("train.h5"), path("cut.h5"), options: opts, resume: path("cut.h5"))
        let straight = try ModelFile.read(from: path("straight.h5"), withCheckpoint: true)
        let resumed = try ModelFile.read(from: path("cut.h5"), withCheckpoint: true)
        XCTAssertEqual(resumed.checkpoint!.parameters, straight.checkpoint!.parameters)
        XCTAssertEqual(resumed.checkpoint!.embeddingTable, straight.checkpoint!.embeddingTable)
        XCTAssertEqual(resumed.history.records.map(\.trainAccuracy), straight.history.records.map(\.trainAccuracy))
    }

    func testFineTuningMovesOnlyTheRowsOfWordsSeenAndNeverPadding() throws {
        for update in EmbeddingTuner.Update.allCases {
            try checkFineTuning(update)
        }
    }

    func checkFineTuning(_ update: EmbeddingTuner.Update) throws {
        var shape = SyntheticData.Shape()
        shape.vocabulary = 24
        try SyntheticData.write(to: path("train.h5"), shape: shape)
        var opts = options(epochs: 1, validation: .none)
        opts.fineTuneEmbeddings = true
        opts.embeddingUpdate = update
        _ = try train(path("train.h5"), path("model.h5"), options: opts)
        let model = try ModelFile.read(from: path("model.h5"))
        let tuned = try XCTUnwrap(model.tunedEmbedding)
        let D = shape.dimension
        XCTAssertEqual(Array(tuned[0..<D]), [Float](repeating: 0, count: D), "padding row must stay zero")
        XCTAssertEqual(Array(tuned[D..<(2 * D)]), Array(model.embedding[D..<(2 * D)]), "<unk> never occurs, never moves")
        XCTAssertNotEqual(Array(tuned[(2 * D)..<(3 * D)]), Array(model.embedding[(2 * D)..<(3 * D)]), "a signal word moves")
    }

    /// 16 rows with --batch 100: the batch is the data (one short batch per
    /// epoch), stored as used, and the run says so; a resume keeps it.
    func testBatchLargerThanTheDataIsClampedWithANote() throws {
        var shape = SyntheticData.Shape()
        shape.rows = 16
        try SyntheticData.write(to: path("tiny.h5"), shape: shape)
        var big = options(epochs: 1, validation: .none)
        big.batchSize = 100
        var lines: [String] = []
        let trainer = try Trainer(inputPath: path("tiny.h5"), outputPath: path("m.h5"), config: smallConfig(),
                                  options: big, commandLine: "test")
        trainer.log = { lines.append($0) }
        XCTAssertEqual(trainer.options.batchSize, 16)
        let history = try trainer.run()
        XCTAssertEqual(history.records.count, 1)
        XCTAssertTrue(history.records[0].loss.isFinite)
        XCTAssertTrue(lines.contains { $0.contains("--batch 100 is more than the 16 training rows; using batches of 16") }, "\(lines)")
        let model = try ModelFile.read(from: path("m.h5"))
        XCTAssertEqual(model.attribute("batch")?.intValue, 16)
        big.epochs = 2
        let resumed = try Trainer(inputPath: path("tiny.h5"), outputPath: path("m.h5"), config: smallConfig(),
                                  options: big, resumeFrom: path("m.h5"), commandLine: "test")
        XCTAssertEqual(resumed.options.batchSize, 16)
        XCTAssertEqual(try resumed.run().records.count, 2)
    }

    func testRejectsDataThatDoesNotFit() throws {
        var empty = SyntheticData.Shape()
        empty.rows = 0
        try SyntheticData.write(to: path("empty.h5"), shape: empty)
        XCTAssertThrowsError(try Trainer(inputPath: path("empty.h5"), outputPath: path("m.h5"), config: smallConfig(),
                                         options: options(epochs: 1, validation: .none), commandLine: "test")) { error in
            XCTAssertTrue("\(error)".contains("empty.h5 holds no documents"), "\(error)")
        }
        try SyntheticData.write(to: path("train.h5"))
        var noValidation = options(epochs: 1, validation: .none)
        noValidation.keep = .best
        XCTAssertThrowsError(try Trainer(inputPath: path("train.h5"), outputPath: path("m.h5"), config: smallConfig(),
                                         options: noValidation, commandLine: "test")) { error in
            XCTAssertTrue("\(error)".contains("--keep best needs validation"), "\(error)")
        }
        // Resuming on data of another shape names both sides.
        _ = try train(path("train.h5"), path("m.h5"), options: options(epochs: 1))
        var other = SyntheticData.Shape()
        other.dimension = 5
        try SyntheticData.write(to: path("other.h5"), shape: other)
        XCTAssertThrowsError(try Trainer(inputPath: path("other.h5"), outputPath: path("m.h5"), config: smallConfig(),
                                         options: options(epochs: 2), resumeFrom: path("m.h5"), commandLine: "test")) { error in
            XCTAssertTrue("\(error)".contains("SHA-256"), "\(error)")
        }
        XCTAssertThrowsError(try Trainer(inputPath: path("m.h5"), outputPath: path("m2.h5"), config: smallConfig(),
                                         options: options(epochs: 1), commandLine: "test")) { error in
            XCTAssertTrue("\(error)".contains("expected \"capskit.embedded\""), "\(error)")
        }
    }

    func testANonFiniteLossStopsTrainingAndWritesNothing() throws {
        // Word w6's vector holds a NaN: the first batch that contains it has a NaN loss.
        try SyntheticData.write(to: path("train.h5")) { _, table in table[6 * 6] = .nan }
        XCTAssertThrowsError(try train(path("train.h5"), path("model.h5"), options: options(epochs: 2))) { error in
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix("non-finite loss at epoch 1, batch "), message)
            XCTAssertTrue(message.contains("no epoch completed, nothing written"), message)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("model.h5")))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["train.h5"])
    }

    func testALabelTheModelCannotLearnIsRejectedBeforeTraining() throws {
        // −1 is what `tokenize --unseen-labels unknown` writes for a label outside the label set.
        try SyntheticData.write(to: path("train.h5")) { labels, _ in labels[17] = -1 }
        XCTAssertThrowsError(try train(path("train.h5"), path("model.h5"), options: options(epochs: 1))) { error in
            XCTAssertEqual("\(error)", "\(path("train.h5")): /labels[17] = -1 is outside 0..<3 (a label the training set never saw?)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("model.h5")))
    }
}
