import CapsArtifacts
import CapsCore
@testable import CapsKit
import CapsKitTestSupport
import CapsNet
import CapsReports
import CapsStorage
import CapsTestSupport
import XCTest

/// `--ensemble K`: members from derived seeds in one model file, member 1 the
/// single model of the seed, per-member state that resumes exactly, and the
/// ensemble's validation accuracy from the mean capsule lengths.
final class EnsembleTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory(for: self)
        InterruptFlag.reset()
    }

    override func tearDown() { InterruptFlag.reset() }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func options(epochs: Int, ensemble: Int, fineTune: Bool = true) -> TrainingOptions {
        var options = ScoringFixture.smallOptions(epochs: epochs, seed: 3)
        options.fineTuneEmbeddings = fineTune
        options.ensemble = ensemble
        return options
    }

    @discardableResult
    func train(_ output: String, options: TrainingOptions, resume: String? = nil,
               log: @escaping (String) -> Void = { _ in }) throws -> Trainer {
        let trainer = try Trainer(inputPath: path("train.h5"), outputPath: output, config: SyntheticData.smallConfig(),
                                  options: options, resumeFrom: resume, commandLine: "test")
        trainer.log = log
        try trainer.run()
        return trainer
    }

    /// What training decided, without the wall-clock columns (seconds, samples/s).
    func decisions(_ history: TrainingHistory) -> [[Double]] {
        history.records.map { Array($0.values.prefix(8)) }
    }

    func assertSameMembers(_ a: ModelFile, _ b: ModelFile, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.members.count, b.members.count, file: file, line: line)
        for (k, (x, y)) in zip(a.members, b.members).enumerated() {
            XCTAssertEqual(x.weights, y.weights, "member \(k + 1) weights", file: file, line: line)
            XCTAssertEqual(x.tunedEmbedding, y.tunedEmbedding, "member \(k + 1) table", file: file, line: line)
            XCTAssertEqual(x.checkpoint?.parameters, y.checkpoint?.parameters, "member \(k + 1) parameters", file: file, line: line)
            XCTAssertEqual(x.checkpoint?.adamSecondMoment, y.checkpoint?.adamSecondMoment, "member \(k + 1) Adam", file: file, line: line)
            XCTAssertEqual(x.checkpoint?.embeddingTable, y.checkpoint?.embeddingTable, "member \(k + 1) live table", file: file, line: line)
            XCTAssertEqual(decisions(x.history), decisions(y.history), "member \(k + 1) history", file: file, line: line)
        }
    }

    func testMemberSeedsAreDerivedAndTheFirstIsTheSeedItself() {
        var options = TrainingOptions()
        options.seed = 3
        XCTAssertEqual(options.memberSeed(1), 3)
        let seeds = (1...4).map(options.memberSeed)
        XCTAssertEqual(Set(seeds).count, 4, "\(seeds)")
        var stream = SeededGenerator(seed: 3).derived(0xE45E_3B1E_0000 + 2)
        XCTAssertEqual(options.memberSeed(2), stream.next())
        options.seed = 4
        XCTAssertNotEqual(options.memberSeed(2), seeds[1], "member seeds follow --seed")
    }

    func testMemberOneIsTheSingleModelOfTheSeedAndMembersDiffer() throws {
        try SyntheticData.write(to: path("train.h5"))
        try train(path("single.h5"), options: options(epochs: 2, ensemble: 1))
        var lines: [String] = []
        try train(path("ensemble.h5"), options: options(epochs: 2, ensemble: 2)) { lines.append($0) }
        let single = try ModelFile.read(from: path("single.h5"), withCheckpoint: true)
        let ensemble = try ModelFile.read(from: path("ensemble.h5"), withCheckpoint: true)

        XCTAssertFalse(single.isEnsemble)
        XCTAssertEqual(ensemble.ensembleSize, 2)
        XCTAssertEqual(ensemble.members.count, 2)
        let first = ensemble.members[0], second = ensemble.members[1]
        // Member 1 is bit for bit the single model of --seed 3: kept and live weights, tuned table, Adam, history.
        XCTAssertEqual(first.weights, single.weights)
        XCTAssertEqual(first.tunedEmbedding, single.tunedEmbedding)
        XCTAssertEqual(first.checkpoint?.parameters, single.checkpoint?.parameters)
        XCTAssertEqual(first.checkpoint?.adamFirstMoment, single.checkpoint?.adamFirstMoment)
        XCTAssertEqual(decisions(first.history), decisions(single.history))
        // Member 2 has its own seed, weights and fine-tuned table.
        XCTAssertEqual(first.attribute("seed")?.intValue, 3)
        XCTAssertEqual(second.attribute("seed")?.intValue, Int64(bitPattern: options(epochs: 2, ensemble: 2).memberSeed(2)))
        XCTAssertNotEqual(second.weights, first.weights)
        XCTAssertNotNil(second.tunedEmbedding)
        XCTAssertNotEqual(second.tunedEmbedding, first.tunedEmbedding)
        XCTAssertEqual(second.history.records.count, 2)
        XCTAssertEqual(second.attribute("best_epoch")?.intValue, Int64(second.history.best!.epoch))
        XCTAssertEqual(ensemble.attribute("ensemble")?.intValue, 2)
        XCTAssertEqual(single.attribute("ensemble")?.intValue, 1)

        // Lines say which member they are about; the last gives the ensemble's accuracy.
        XCTAssertEqual(lines.filter { $0.hasPrefix("member 1/2 epoch ") }.count, 2, "\(lines)")
        XCTAssertEqual(lines.filter { $0.hasPrefix("member 2/2 epoch ") }.count, 2, "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("member 2/2 kept epoch ") }, "\(lines)")
        let last = try XCTUnwrap(lines.last)
        XCTAssertTrue(last.hasPrefix("ensemble of 2 members: validation accuracy "), last)
        let accuracy = try XCTUnwrap(ensemble.attribute("ensemble_val_acc")?.doubleValue)
        XCTAssertTrue(last.contains("\(fixed(100 * accuracy, 2))%"), last)
    }

    func testTheFileLayoutKeepsASingleModelAsBeforeAndGroupsMembers() throws {
        try SyntheticData.write(to: path("train.h5"))
        try train(path("single.h5"), options: options(epochs: 1, ensemble: 1))
        try train(path("ensemble.h5"), options: options(epochs: 1, ensemble: 2))
        let single = try H5File.open(at: path("single.h5"))
        XCTAssertEqual(try single.children(of: "/"),
                       ["checkpoint", "embedding", "history", "label_names", "vocab", "vocab_counts", "weights"])
        XCTAssertNotNil(try single.attribute("best_epoch"))
        let file = try H5File.open(at: path("ensemble.h5"))
        XCTAssertEqual(try file.children(of: "/"),
                       ["embedding", "label_names", "members", "vocab", "vocab_counts"])
        XCTAssertEqual(try file.children(of: "/members"), ["1", "2"])
        for k in ["1", "2"] {
            XCTAssertEqual(try file.children(of: "/members/\(k)"), ["checkpoint", "history", "weights"])
            XCTAssertEqual(try file.children(of: "/members/\(k)/weights"), try single.children(of: "/weights"))
            XCTAssertEqual(try file.children(of: "/members/\(k)/checkpoint"), try single.children(of: "/checkpoint"))
            for name in ["seed", "epochs_completed", "best_epoch", "best_val_acc"] {
                XCTAssertNotNil(try file.attribute(name, on: "/members/\(k)"), "\(name) on member \(k)")
            }
        }
        XCTAssertNil(try file.attribute("best_epoch"), "an ensemble's progress is per member")
        XCTAssertEqual(try file.attribute("ensemble")?.intValue, 2)
    }

    func testAModelFileRoundTripsEveryMember() throws {
        try SyntheticData.write(to: path("train.h5"))
        var opts = options(epochs: 1, ensemble: 3)
        opts.averageDecay = 0.9
        try train(path("ensemble.h5"), options: opts)
        let model = try ModelFile.read(from: path("ensemble.h5"), withCheckpoint: true)
        try model.write(to: path("copy.h5"))
        let copy = try ModelFile.read(from: path("copy.h5"), withCheckpoint: true)
        XCTAssertEqual(copy.ensembleSize, 3)
        assertSameMembers(copy, model)
        for (a, b) in zip(copy.members, model.members) {
            XCTAssertEqual(a.checkpoint, b.checkpoint)
            XCTAssertEqual(a.attributes.map(\.0), b.attributes.map(\.0))
            XCTAssertNotNil(a.checkpoint?.averageEmbedding, "each member's average is kept")
        }
        XCTAssertEqual(copy.attributes.map(\.0), model.attributes.map(\.0))
    }

    func testInterruptedEnsembleResumesExactlyInEitherMember() throws {
        try SyntheticData.write(to: path("train.h5"))
        let opts = options(epochs: 2, ensemble: 2)
        try train(path("straight.h5"), options: opts)
        let straight = try ModelFile.read(from: path("straight.h5"), withCheckpoint: true)

        // Ctrl-C after member 1's first epoch, and after member 2's first epoch: the flag is seen after the next step.
        for (cutAfter, membersPresent) in [("member 1/2 epoch 1/", 1), ("member 2/2 epoch 1/", 2)] {
            InterruptFlag.reset()
            let cut = path("cut-\(membersPresent).h5")
            XCTAssertThrowsError(try train(cut, options: opts) { line in
                if line.hasPrefix(cutAfter) { InterruptFlag.simulate(SIGINT) }
            }) { error in
                let message = "\(error)"
                XCTAssertTrue(message.contains("interrupted by SIGINT in member \(membersPresent)/2 epoch 2 after batch 1/"), message)
            }
            InterruptFlag.reset()
            let partial = try ModelFile.read(from: cut, withCheckpoint: true)
            XCTAssertEqual(partial.ensembleSize, 2)
            XCTAssertEqual(partial.members.count, membersPresent)
            XCTAssertEqual(partial.members.last?.checkpoint?.epochsCompleted, 1)
            XCTAssertEqual(partial.members.last?.checkpoint?.batchesDone, 1)
            XCTAssertNil(partial.attribute("ensemble_val_acc"))
            if membersPresent < 2 {
                // capseval refuses an ensemble with members missing (a single interrupted model, or one
                // whose members are all begun, scores with the weights kept so far).
                XCTAssertThrowsError(try ScoringModel(path: cut, batchSize: 4)) { error in
                    XCTAssertTrue("\(error)".contains("holds only \(membersPresent)"), "\(error)")
                }
            }

            var lines: [String] = []
            // Resume takes the options (ensemble included) from the file, not from the caller.
            try train(cut, options: options(epochs: 2, ensemble: 1), resume: cut) { lines.append($0) }
            XCTAssertTrue(lines.contains("member \(membersPresent)/2 (seed \(opts.memberSeed(membersPresent))): continuing at epoch 2"), "\(lines)")
            XCTAssertFalse(lines.contains { $0.hasPrefix("member 1/2 epoch 1/") }, "member 1's first epoch is not redone: \(lines)")
            let resumed = try ModelFile.read(from: cut, withCheckpoint: true)
            assertSameMembers(resumed, straight)
            XCTAssertEqual(resumed.attribute("ensemble_val_acc")?.doubleValue, straight.attribute("ensemble_val_acc")?.doubleValue)
        }
    }

    func testMoreEpochsOnResumeContinueEveryMember() throws {
        try SyntheticData.write(to: path("train.h5"))
        try train(path("straight.h5"), options: options(epochs: 3, ensemble: 2))
        try train(path("short.h5"), options: options(epochs: 2, ensemble: 2))
        var lines: [String] = []
        try train(path("short.h5"), options: options(epochs: 3, ensemble: 2), resume: path("short.h5")) { lines.append($0) }
        assertSameMembers(try ModelFile.read(from: path("short.h5"), withCheckpoint: true),
                          try ModelFile.read(from: path("straight.h5"), withCheckpoint: true))
        XCTAssertEqual(lines.filter { $0.contains(" epoch 3/3 ") }.count, 2, "\(lines)")
        // Once done, a resume has nothing to do.
        lines = []
        try train(path("short.h5"), options: options(epochs: 3, ensemble: 2), resume: path("short.h5")) { lines.append($0) }
        XCTAssertEqual(lines, ["\(path("short.h5")): all 2 members already trained for 3 epochs (--epochs 3); nothing to do"])
    }

    func testEnsembleValidationAccuracyIsTheArgmaxOfTheMeanLengthsOnTheHeldOutRows() throws {
        let data = try ScoringFixture.embeddedFile(at: path("train.h5"))
        let opts = options(epochs: 2, ensemble: 3, fineTune: false)
        try train(path("ensemble.h5"), options: opts)
        let model = try ModelFile.read(from: path("ensemble.h5"))
        // The rows every member was validated on: the split of --seed, as for a single model.
        let rows = StratifiedSplit(labels: data.labels, fraction: 0.2, seed: opts.seed &+ 0x5EED).heldOut
        let x = try H5File.open(at: path("train.h5")).read(Float.self, from: "/x").values
        let sample = 8 * 6, c = 3
        let heldOut = rows.flatMap { x[($0 * sample)..<(($0 + 1) * sample)] }
        var sum = [Float](repeating: 0, count: rows.count * c)
        var memberAccuracies: [Double] = []
        func accuracy(_ lengths: [Float]) -> Double {
            let correct = rows.indices.filter { i in
                let scores = lengths[(i * c)..<((i + 1) * c)]
                return scores.firstIndex(of: scores.max()!)! - i * c == Int(data.labels[rows[i]])
            }.count
            return Double(correct) / Double(rows.count)
        }
        for k in 0..<3 {
            let lengths = try ScoringFixture.directLengths(model: path("ensemble.h5"), x: heldOut, member: k)
            memberAccuracies.append(accuracy(lengths))
            for i in sum.indices { sum[i] += lengths[i] }
        }
        let expected = accuracy(sum.map { $0 / 3 })
        XCTAssertEqual(try XCTUnwrap(model.attribute("ensemble_val_acc")?.doubleValue), expected, accuracy: 1e-12)
        // Each member's own best validation accuracy is that of its kept weights on the same rows.
        for (member, own) in zip(model.members, memberAccuracies) {
            XCTAssertEqual(member.history.best?.validationAccuracy ?? -1, own, accuracy: 1e-12)
        }
    }

    func testEnsembleHistoryCSVHasAMemberColumn() throws {
        try SyntheticData.write(to: path("train.h5"))
        var opts = options(epochs: 2, ensemble: 2)
        opts.logPath = path("history.csv")
        try train(path("ensemble.h5"), options: opts)
        let lines = try String(contentsOfFile: path("history.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 5)
        XCTAssertEqual(String(lines[0]), (["member"] + EpochRecord.columns).joined(separator: ","))
        XCTAssertEqual(lines.dropFirst().map { $0.prefix(4) }, ["1,1,", "1,2,", "2,1,", "2,2,"])
    }
}
