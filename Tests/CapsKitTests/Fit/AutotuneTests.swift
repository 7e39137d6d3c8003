import CapsArtifacts
import CapsCore
@testable import CapsKit
import CapsKitTestSupport
import CapsNet
import CapsStorage
import CapsTestSupport
import XCTest

final class AutotuneTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory(for: self)
        InterruptFlag.reset()
    }

    override func tearDown() { InterruptFlag.reset() }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// A grid of 8 that trains in well under a second per trial.
    let space = SearchSpace(dimensions: [
        .init("lr", ["0.01", "0.003"]), .init("dropout", ["0", "0.5"]), .init("routings", ["3", "1"]),
    ])

    func search(trials: Int) -> Autotuner.Options {
        var search = Autotuner.Options()
        search.trials = trials
        search.space = space
        return search
    }

    func options(epochs: Int) -> TrainingOptions { ScoringFixture.smallOptions(epochs: epochs, seed: 3) }

    func tuner(_ output: String, trials: Int = 5, epochs: Int = 12, fixed: Set<String> = [], resume: Bool = false,
               log: ((String) -> Void)? = nil) throws -> Autotuner {
        let tuner = try Autotuner(inputPath: path("train.h5"), outputPath: path(output),
                                  config: SyntheticData.smallConfig(decoder: false), options: options(epochs: epochs),
                                  search: search(trials: trials), fixed: fixed, resume: resume, commandLine: "test")
        if let log { tuner.log = log }
        return tuner
    }

    // MARK: - The search space

    func testTrialsAreDeterministicDistinctAndStartFromTheRecommendedValues() {
        let a = SearchSpace.standard.trials(20, seed: 5), b = SearchSpace.standard.trials(20, seed: 5)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, SearchSpace.standard.trials(20, seed: 6))
        XCTAssertEqual(a[0], Array(repeating: 0, count: SearchSpace.standard.dimensions.count))
        XCTAssertEqual(Set(a).count, 20)
        // Without buckets the lexical settings have no effect: such trials hold their first value.
        let dims = SearchSpace.standard.dimensions
        let buckets = dims.firstIndex { $0.name == "buckets" }!, lexicalLR = dims.firstIndex { $0.name == "lexical_lr" }!
        for trial in a where dims[buckets].values[trial[buckets]] == "0" { XCTAssertEqual(trial[lexicalLR], 0) }
        // A budget beyond the grid gives the grid, once each.
        XCTAssertEqual(Set(space.trials(50, seed: 1)).count, 8)
        XCTAssertEqual(space.trials(50, seed: 1).count, 8)
    }

    func testChoicesGoThroughTheDeclaredSettings() throws {
        var config = CapsNetConfig(classes: 2), options = TrainingOptions()
        try SearchSpace.apply([("buckets", "4096"), ("lr", "0.002"), ("coupling_scale", "classes")],
                              to: &config, options: &options)
        XCTAssertEqual(config.buckets, 4096)
        XCTAssertEqual(options.learningRate, 0.002)
        XCTAssertEqual(config.couplingScale, .classes)
        XCTAssertThrowsError(try SearchSpace.apply([("lr", "fast")], to: &config, options: &options))
        XCTAssertEqual(SearchSpace.flags([("lexical_lr", "0.01"), ("buckets", "0")]), "--lexical-lr 0.01 --buckets 0")
        XCTAssertEqual(SearchSpace.standard.removing(["buckets", "lr"]).dimensions.map(\.name).filter { ["buckets", "lr"].contains($0) }, [])
    }

    /// Character tokens try 1–3-grams first, words 1–2-grams, and pool the
    /// bag as its sum over √n (words: its mean); the recommended
    /// configuration is the first value of every dimension plus the base.
    func testTheRecommendedConfigurationFollowsTheTokens() throws {
        for (characters, n, rate, pool) in [(false, 2, Float(0.003), LexicalPooling.mean), (true, 3, Float(0.01), .sqrtn)] {
            var config = CapsNetConfig(classes: 4), options = TrainingOptions()
            try Autotuner.applyRecommended(to: &config, options: &options, fixed: ["dropout"], characterTokens: characters)
            XCTAssertEqual(config.lexicalPooling, pool)
            XCTAssertEqual(config.lexicalNgrams, n)
            XCTAssertEqual(options.lexicalLearningRate, rate)
            XCTAssertEqual(config.buckets, 131072)
            XCTAssertEqual(config.dropout, 0, "fixed by the user: left alone")
            XCTAssertEqual(config.reconstructionWeight, 0)
            XCTAssertEqual(options.patience, 3)
            XCTAssertEqual(options.learningRateSchedule, .plateau)
            XCTAssertTrue(options.fineTuneEmbeddings)
            let space = SearchSpace.standard(characterTokens: characters)
            XCTAssertEqual(space.dimensions.first { $0.name == "lexical_ngrams" }?.values.first, String(n))
        }
    }

    // MARK: - The search

    /// 5 trials: all train r0 = 3 epochs, the best 2 continue to 3·r0 = 9,
    /// the best of those trains to 12 (each may stop early, --patience 3). The kept model is bit for bit a
    /// plain training of the winner's configuration, and its file stores
    /// the table that was printed.
    func testSuccessiveHalvingKeepsTheWinnerAndStoresTheTable() throws {
        try SyntheticData.write(to: path("train.h5"))
        var lines: [String] = []
        let records = try tuner("model.h5") { lines.append($0) }.run()
        XCTAssertEqual(records.count, 5)
        let r0 = Autotuner.firstRungEpochs
        XCTAssertEqual(records.filter { $0.rung == 0 }.count, 3, "three trials stop at rung 0")
        for r in records where r.rung == 0 { XCTAssertTrue(r.epochs == r0 || r.epochs == r.bestEpoch + 3, "\(r)") }
        let rung1 = records.filter { $0.rung >= 1 }
        XCTAssertEqual(rung1.count, 2)
        let winner = try XCTUnwrap(records.first { $0.rung == 2 })
        let loser = try XCTUnwrap(records.first { $0.rung == 1 })
        XCTAssertGreaterThanOrEqual(winner.validationAccuracy, loser.validationAccuracy)
        XCTAssertTrue(loser.epochs == 3 * r0 || (loser.epochs > r0 && loser.epochs == loser.bestEpoch + 3), "\(loser)")
        XCTAssertEqual(lines.filter { $0.hasPrefix("autotune: trial ") && $0.contains(", rung ") }.count, 5 + 2 + 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("model.h5.autotune")), "the work folder is removed")

        let stored = try XCTUnwrap(try Autotuner.readTable(from: path("model.h5")))
        XCTAssertEqual(stored, records)
        let file = try H5File.open(at: path("model.h5"))
        XCTAssertEqual(try file.attribute("winner", on: "/autotune")?.intValue, Int64(winner.trial))
        try file.close()

        // The winner trained straight: the same weights.
        var config = SyntheticData.smallConfig(decoder: false), straight = options(epochs: 12)
        try SearchSpace.apply(Autotuner.base, to: &config, options: &straight)
        straight.fineTuneEmbeddings = true
        try SearchSpace.apply(space.choices(space.trials(5, seed: 3)[winner.trial - 1]), to: &config, options: &straight)
        try Trainer(inputPath: path("train.h5"), outputPath: path("straight.h5"), config: config, options: straight,
                    commandLine: "test").run()
        XCTAssertEqual(try ModelFile.read(from: path("model.h5")).weights, try ModelFile.read(from: path("straight.h5")).weights)
        XCTAssertEqual(try ModelFile.read(from: path("model.h5")).history.records.count, winner.epochs)
    }

    /// Rung 0 ranks on its 3 epochs: the two trials that go on had the best
    /// 2-epoch validation accuracies of the five (as the progress lines say).
    func testRungZeroKeepsTheBestThirdOnTwoEpochs() throws {
        try SyntheticData.write(to: path("train.h5"))
        var rung0: [Int: Double] = [:]
        let records = try tuner("model.h5") { line in
            guard line.hasPrefix("autotune: trial "), line.contains(", rung 0 "),
                  let slash = line.firstIndex(of: "/"), let arrow = line.range(of: "→ val "),
                  let percent = line[arrow.upperBound...].firstIndex(of: "%") else { return }
            let trial = Int(line[line.index(line.startIndex, offsetBy: 16)..<slash])!
            rung0[trial] = Double(line[arrow.upperBound..<percent])!
        }.run()
        XCTAssertEqual(rung0.count, 5)
        let kept = records.filter { $0.rung >= 1 }.map(\.trial), dropped = records.filter { $0.rung == 0 }.map(\.trial)
        XCTAssertLessThanOrEqual(dropped.map { rung0[$0]! }.max()!, kept.map { rung0[$0]! }.min()!)
    }

    func testTheSameSeedGivesTheSameSearch() throws {
        try SyntheticData.write(to: path("train.h5"))
        let a = try tuner("a.h5").run(), b = try tuner("b.h5").run()
        XCTAssertEqual(a.map(\.flags), b.map(\.flags))
        XCTAssertEqual(a.map(\.validationAccuracy), b.map(\.validationAccuracy))
        XCTAssertEqual(a.map(\.epochs), b.map(\.epochs))
        XCTAssertEqual(try ModelFile.read(from: path("a.h5")).weights, try ModelFile.read(from: path("b.h5")).weights)
    }

    /// Ctrl-C in the middle of the search leaves the trials' files; --resume
    /// finishes the same search with the same winner, bit for bit.
    func testAnInterruptedSearchResumesToTheSameModel() throws {
        try SyntheticData.write(to: path("train.h5"))
        let straight = try tuner("straight.h5").run()
        var seen = 0
        let cut = try tuner("cut.h5") { line in
            if line.hasPrefix("autotune: trial ") { seen += 1; if seen == 4 { InterruptFlag.simulate(SIGINT) } }
        }
        XCTAssertThrowsError(try cut.run()) { error in
            XCTAssertTrue("\(error)".contains("interrupted by SIGINT in trial 5/5 epoch 1"), "\(error)")
            XCTAssertTrue("\(error)".contains("capsfit --autotune 5 --resume"), "\(error)")
        }
        InterruptFlag.reset()
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("cut.h5")))
        XCTAssertThrowsError(try tuner("cut.h5").run(), "a fresh search refuses to overwrite an interrupted one")
        let resumed = try tuner("cut.h5", resume: true).run()
        XCTAssertEqual(resumed.map(\.validationAccuracy), straight.map(\.validationAccuracy))
        XCTAssertEqual(try ModelFile.read(from: path("cut.h5")).weights, try ModelFile.read(from: path("straight.h5")).weights)
        // Nothing to resume where no search was interrupted.
        XCTAssertThrowsError(try tuner("none.h5", resume: true).run()) { error in
            XCTAssertTrue("\(error)".contains("no interrupted search to resume"), "\(error)")
        }
    }

    func testSettingsTheUserFixedAreNotSearched() throws {
        try SyntheticData.write(to: path("train.h5"))
        let records = try tuner("model.h5", trials: 3, fixed: ["lr", "routings"]).run()
        XCTAssertEqual(records.map(\.flags), ["--dropout 0", "--dropout 0.5"], "two values left: a grid of 2")
    }

    /// A time cap reached after the first trial: no other trial starts, and
    /// the one trained so far is trained to the end and kept.
    func testADurationCapTrainsTheBestSoFarToTheEnd() throws {
        try SyntheticData.write(to: path("train.h5"))
        var search = search(trials: 5)
        search.duration = 1e-9
        let tuner = try Autotuner(inputPath: path("train.h5"), outputPath: path("model.h5"),
                                  config: SyntheticData.smallConfig(decoder: false), options: options(epochs: 12),
                                  search: search, fixed: [], resume: false, commandLine: "test")
        var lines: [String] = []
        tuner.log = { lines.append($0) }
        let records = try tuner.run()
        XCTAssertEqual(records.filter { $0.epochs > 0 }.map(\.trial), [1])
        XCTAssertGreaterThan(records[0].epochs, Autotuner.firstRungEpochs, "trained on past rung 0")
        XCTAssertTrue(lines.contains { $0.contains("--autotune-duration 0 s reached; trial 2 and later ones of rung 0 not trained") }, "\(lines)")
        XCTAssertEqual(try Autotuner.readTable(from: path("model.h5"))?.count, 5)
    }

    func testABadBudgetIsRefused() throws {
        try SyntheticData.write(to: path("train.h5"))
        XCTAssertThrowsError(try tuner("model.h5", trials: 0)) { error in
            XCTAssertEqual("\(error)", "--autotune must be at least 1 trial (got 0)")
        }
        var search = search(trials: 3)
        search.duration = -1
        XCTAssertThrowsError(try Autotuner(inputPath: path("train.h5"), outputPath: path("m.h5"),
                                           config: SyntheticData.smallConfig(decoder: false), options: options(epochs: 3),
                                           search: search, fixed: [], resume: false, commandLine: "test"))
    }
}
