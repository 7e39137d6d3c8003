import CapsArtifacts
import CapsCore
import CapsNet
import CapsStorage
import Foundation

/// `capsfit --autotune N`: successive halving over `SearchSpace` on the
/// validation split (never test data).
///
///   rung 0: every trial trains `firstRungEpochs` epochs
///   rung k: the best third (rounded up, by best validation accuracy, ties
///           to the lower trial number) continue from their checkpoints to
///           3× the epochs of rung k − 1 (at most `--epochs`)
///   last:   the one survivor trains to `--epochs` (early stopping with
///           `--patience`) and becomes the model file, with the table of
///           every trial in `/autotune`
///
/// so N trials cost about N·3 + N/3·6 + N/9·18 + … epochs — a few full
/// trainings, not N. A continued trial is exactly the run that trained that
/// many epochs straight (`Trainer`'s resume), so the search is a function of
/// (data, seed, N, thread count). Trials live in `<output>.autotune/` as
/// ordinary model files until the search ends; an interrupted search
/// continues from them (`--resume`).
public final class Autotuner {
    public struct Options: Equatable, Sendable {
        /// Trials N (≥ 1).
        public var trials = 9
        /// Wall-clock cap in seconds: no trial starts after it (the best trial
        /// so far is then trained to completion). Makes the search depend on
        /// the machine's speed.
        public var duration: Double?
        /// The searched settings (without those the user fixed); nil: the
        /// standard space for the input's tokens (`SearchSpace.standard(characterTokens:)`).
        public var space: SearchSpace?

        public init() {}
    }

    /// Epochs of rung 0, and the share of trials kept per rung (1 in
    /// `keepOneIn`). 3, not 2: on CR (61 steps an epoch) 7 of 9 trials still
    /// predicted the majority class after 2 epochs, so rung 0 ranked by
    /// how fast a trial starts rather than where it goes.
    public static let firstRungEpochs = 3, keepOneIn = 3

    /// What every trial shares beyond the user's flags, unless set by them:
    /// no decoder (it never helped accuracy and costs time), the plateau
    /// schedule and early stopping after 3 stale epochs.
    public static let base: [(name: String, value: String)] = [
        ("lam_recon", "0"), ("lr_schedule", "plateau"), ("patience", "3"),
    ]

    /// What character tokens add to `base`: the lexical bag pooled as its sum
    /// over √n. A bag of character 1–3-grams holds about three members a
    /// character, so the mean shrinks a long review's evidence the most;
    /// chosen on validation (README, Long documents: THUCNews titles,
    /// waimai_10k and the demo, 3 seeds each).
    public static let characterBase: [(name: String, value: String)] = [("lexical_pool", "sqrtn")]

    /// `base`, with `characterBase` for character tokens.
    public static func base(characterTokens: Bool) -> [(name: String, value: String)] {
        characterTokens ? base + characterBase : base
    }

    /// The recommended configuration, trial 1 of every search: `base` and
    /// the first value of every dimension of `SearchSpace.standard`, with
    /// fine-tuned embeddings (`capsfit --recommended`). Settings in `fixed`
    /// (the user's flags) are left as they are.
    public static func applyRecommended(to config: inout CapsNetConfig, options: inout TrainingOptions,
                                        fixed: Set<String>, characterTokens: Bool) throws {
        try applyBase(to: &config, options: &options, fixed: fixed, characterTokens: characterTokens)
        let standard = SearchSpace.standard(characterTokens: characterTokens)
        let first = standard.choices(Array(repeating: 0, count: standard.dimensions.count))
        try SearchSpace.apply(first.filter { !fixed.contains($0.name) }, to: &config, options: &options)
    }

    /// What every trial shares: `base(characterTokens:)` where the user set nothing, and fine-tuned embeddings.
    static func applyBase(to config: inout CapsNetConfig, options: inout TrainingOptions, fixed: Set<String>,
                          characterTokens: Bool) throws {
        try SearchSpace.apply(base(characterTokens: characterTokens).filter { !fixed.contains($0.name) },
                              to: &config, options: &options)
        options.fineTuneEmbeddings = true
    }

    /// Whether an embedded file's tokens are characters (its `tokens_char_level`).
    public static func characterTokens(of inputPath: String) throws -> Bool {
        let file = try H5File.open(at: inputPath)
        defer { try? file.close() }
        return try file.attribute("tokens_char_level")?.intValue == 1
    }

    /// One row of the trial table.
    public struct TrialRecord: Equatable, Sendable {
        /// 1-based.
        public var trial: Int
        /// The trial's searched settings as flags.
        public var flags: String
        /// Epochs trained, the best of them and its validation accuracy.
        public var epochs: Int, bestEpoch: Int, validationAccuracy: Double
        /// Seconds of training over every epoch of the trial.
        public var seconds: Double
        /// The last rung the trial reached (0-based).
        public var rung: Int
    }

    public let inputPath: String, outputPath: String
    public let config: CapsNetConfig
    public let options: TrainingOptions
    public let search: Options
    let resume: Bool
    let commandLine: String
    public var log: (String) -> Void = { _ in }
    public var interactiveProgress: Bool? = nil

    /// The searched settings.
    var space: SearchSpace { search.space! }

    /// The folder of the trials' model files.
    public var workDirectory: String { outputPath + ".autotune" }

    /// `config` and `options` are the user's, with `Autotuner.base` applied
    /// where the user set nothing (`fixed`: the setting names the user set).
    public init(inputPath: String, outputPath: String, config: CapsNetConfig, options: TrainingOptions,
                search: Options, fixed: Set<String>, resume: Bool, commandLine: String) throws {
        guard search.trials >= 1 else {
            throw TrainingError.invalidOption("--autotune must be at least 1 trial (got \(search.trials))")
        }
        if let duration = search.duration, !(duration > 0) {
            throw TrainingError.invalidOption("--autotune-duration must be a positive number of seconds (got \(duration))")
        }
        if case .none = options.validation {
            throw TrainingError.invalidOption("--autotune needs validation (--val-split or --val): trials are compared on it")
        }
        var config = config, options = options
        let characterTokens = try Autotuner.characterTokens(of: inputPath)
        try Autotuner.applyBase(to: &config, options: &options, fixed: fixed, characterTokens: characterTokens)
        options.keep = .best
        self.inputPath = inputPath
        self.outputPath = outputPath
        self.config = config
        self.options = options
        var search = search
        let space = search.space ?? SearchSpace.standard(characterTokens: characterTokens)
        search.space = space.removing(fixed)
        self.search = search
        self.resume = resume
        self.commandLine = commandLine
    }

    /// The manifest that ties the work folder to one search.
    var manifest: String {
        var lines = ["capsfit autotune", "input \(inputPath)", "seed \(options.seed)", "trials \(search.trials)"]
        lines += space.dimensions.map { "\($0.name) \($0.values.joined(separator: ","))" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Runs the search and writes the winner to `outputPath`; returns the table.
    @discardableResult
    public func run() throws -> [TrialRecord] {
        let manifestPath = (workDirectory as NSString).appendingPathComponent("search.txt")
        let files = FileManager.default
        if resume {
            guard let stored = try? String(contentsOfFile: manifestPath, encoding: .utf8) else {
                throw TrainingError.mismatch("\(workDirectory): no interrupted search to resume (its search.txt is missing)")
            }
            guard stored == manifest else {
                throw TrainingError.mismatch("\(workDirectory): holds a search with other inputs, seed, trials or space; rerun without --resume after removing it")
            }
        } else {
            if files.fileExists(atPath: workDirectory) {
                throw TrainingError.mismatch("\(workDirectory) exists (an interrupted search): continue it with --resume \(outputPath), or remove it")
            }
            try files.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
            try TextOutput.write(manifest, to: manifestPath)
        }

        let trials = space.trials(search.trials, seed: options.seed)
        let started = ProgressReporter.monotonicSeconds()
        var records = trials.enumerated().map { index, indices in
            TrialRecord(trial: index + 1, flags: SearchSpace.flags(space.choices(indices)), epochs: 0,
                        bestEpoch: 0, validationAccuracy: -.infinity, seconds: 0, rung: 0)
        }
        log("autotune: \(trials.count) trials of \(space.dimensions.map(\.name).joined(separator: ", ")); successive halving from \(Autotuner.firstRungEpochs) epochs, keeping 1 in \(Autotuner.keepOneIn) per rung, the winner to \(options.epochs) epochs (--patience \(options.patience))")
        var survivors = Array(trials.indices)
        var epochs = min(Autotuner.firstRungEpochs, options.epochs)
        var rung = 0
        while true {
            let last = survivors.count == 1
            let target = last ? options.epochs : epochs
            var capped = false
            for t in survivors {
                if !last, let cap = search.duration, ProgressReporter.monotonicSeconds() - started > cap,
                   records.contains(where: { $0.epochs > 0 }) {
                    log("autotune: --autotune-duration \(fixed(cap, 0)) s reached; trial \(t + 1) and later ones of rung \(rung) not trained")
                    capped = true
                    break
                }
                records[t] = try train(trial: t, indices: trials[t], epochs: target, rung: rung, of: trials.count)
                let r = records[t]
                log("autotune: trial \(t + 1)/\(trials.count), rung \(rung) (\(target) epochs): \(r.flags.isEmpty ? "(no searched setting)" : r.flags) → val \(fixed(100 * r.validationAccuracy, 2))% at epoch \(r.bestEpoch) of \(r.epochs) (\(fixed(r.seconds, 0)) s)")
            }
            if last { break }
            let ranked = survivors.filter { records[$0].epochs > 0 }.sorted {
                (records[$0].validationAccuracy, -$0) > (records[$1].validationAccuracy, -$1)
            }
            survivors = capped ? [ranked[0]] : Array(ranked.prefix((ranked.count + Autotuner.keepOneIn - 1) / Autotuner.keepOneIn))
            rung += 1
            epochs = min(epochs * 3, options.epochs)
        }
        let winner = survivors[0]
        log(Autotuner.table(records, winner: winner))
        try writeWinner(trial: winner, records: records)
        try? files.removeItem(atPath: workDirectory)
        log("autotune: kept trial \(winner + 1) (validation accuracy \(fixed(100 * records[winner].validationAccuracy, 2))%) in \(outputPath); the table is in /autotune")
        return records
    }

    func trialPath(_ t: Int) -> String {
        (workDirectory as NSString).appendingPathComponent(String(format: "trial-%03d.h5", t + 1))
    }

    /// Trains trial `t` until `epochs` epochs (or its early stop), continuing its file.
    func train(trial t: Int, indices: [Int], epochs: Int, rung: Int, of count: Int) throws -> TrialRecord {
        var config = self.config, options = self.options
        let choices = space.choices(indices)
        try SearchSpace.apply(choices, to: &config, options: &options)
        options.epochs = epochs
        let path = trialPath(t)
        let trainer = try Trainer(inputPath: inputPath, outputPath: path, config: config, options: options,
                                  resumeFrom: FileManager.default.fileExists(atPath: path) ? path : nil,
                                  commandLine: commandLine)
        let label = "trial \(t + 1)/\(count) "
        trainer.log = { [log] line in if !line.hasPrefix("capsfit: ") { log(label + line) } }
        trainer.interactiveProgress = interactiveProgress
        do {
            try trainer.run()
        } catch TrainingError.interrupted(let signal, let epoch, let batch, let batches, _, _) {
            throw TrainingError.interrupted(signal: signal, epoch: epoch, batch: batch, batches: batches,
                                            resume: resumeCommand(), member: label)
        }
        let history = trainer.history.records
        return TrialRecord(trial: t + 1, flags: SearchSpace.flags(choices), epochs: history.count,
                           bestEpoch: trainer.bestEpoch, validationAccuracy: trainer.bestValidationAccuracy,
                           seconds: history.reduce(0) { $0 + $1.seconds }, rung: rung)
    }

    func resumeCommand() -> String {
        "capsfit --autotune \(search.trials) --resume \(shellQuoted([outputPath])) … (the same flags) \(shellQuoted([inputPath])) -o \(shellQuoted([outputPath]))"
    }

    /// The winner's model file with the trial table as `/autotune`, written atomically.
    func writeWinner(trial winner: Int, records: [TrialRecord]) throws {
        try AtomicOutput.write(to: outputPath) { temporary in
            try? FileManager.default.removeItem(atPath: temporary)
            try FileManager.default.copyItem(atPath: trialPath(winner), toPath: temporary)
            let file = try H5File.open(at: temporary, writable: true)
            try Autotuner.writeTable(records, winner: winner, search: search, seed: options.seed, to: file)
            try file.close()
        }
    }

    /// `/autotune`: one row per trial (h5dump-readable), the winner and the search as attributes.
    static func writeTable(_ records: [TrialRecord], winner: Int, search: Options, seed: UInt64, to file: H5File) throws {
        let n = records.count
        try file.createGroup("/autotune")
        try file.write(records.map { Int64($0.trial) }, shape: [n], to: "/autotune/trial")
        try file.write(strings: records.map(\.flags), to: "/autotune/options")
        try file.write(records.map { $0.validationAccuracy.isFinite ? $0.validationAccuracy : .nan }, shape: [n],
                       to: "/autotune/val_acc")
        try file.write(records.map { Int64($0.epochs) }, shape: [n], to: "/autotune/epochs")
        try file.write(records.map { Int64($0.bestEpoch) }, shape: [n], to: "/autotune/best_epoch")
        try file.write(records.map(\.seconds), shape: [n], to: "/autotune/seconds")
        try file.write(records.map { Int64($0.rung) }, shape: [n], to: "/autotune/rung")
        let attributes: [(String, H5AttributeValue)] = [
            ("trials", .int(Int64(search.trials))), ("winner", .int(Int64(winner + 1))),
            ("seed", .int(Int64(bitPattern: seed))), ("first_rung_epochs", .int(Int64(firstRungEpochs))),
            ("keep_one_in", .int(Int64(keepOneIn))), ("duration", .double(search.duration ?? 0)),
            ("searched", .string((search.space?.dimensions ?? []).map(\.name).joined(separator: ","))),
        ]
        for (name, value) in attributes { try file.setAttribute(name, value, on: "/autotune") }
    }

    /// Reads `/autotune` of a model file (nil when the model was not autotuned).
    public static func readTable(from path: String) throws -> [TrialRecord]? {
        let file = try H5File.open(at: path)
        defer { try? file.close() }
        guard file.contains("/autotune") else { return nil }
        let trial = try file.read(Int64.self, from: "/autotune/trial").values
        let flags = try file.readStrings(from: "/autotune/options")
        let accuracy = try file.read(Double.self, from: "/autotune/val_acc").values
        let epochs = try file.read(Int64.self, from: "/autotune/epochs").values
        let best = try file.read(Int64.self, from: "/autotune/best_epoch").values
        let seconds = try file.read(Double.self, from: "/autotune/seconds").values
        let rung = try file.read(Int64.self, from: "/autotune/rung").values
        return trial.indices.map {
            TrialRecord(trial: Int(trial[$0]), flags: flags[$0], epochs: Int(epochs[$0]), bestEpoch: Int(best[$0]),
                        validationAccuracy: accuracy[$0], seconds: seconds[$0], rung: Int(rung[$0]))
        }
    }

    /// The table printed at the end of a search, best first.
    public static func table(_ records: [TrialRecord], winner: Int) -> String {
        let order = records.indices.sorted {
            (records[$0].rung, records[$0].validationAccuracy, -$0) > (records[$1].rung, records[$1].validationAccuracy, -$1)
        }
        var lines = ["autotune: trial  rung  val acc  epochs (best)  seconds  options"]
        for i in order {
            let r = records[i]
            let accuracy = r.epochs > 0 ? fixed(100 * r.validationAccuracy, 2) + "%" : "—"
            let mark = i == winner ? " *" : "  "
            lines.append("autotune: \(pad(String(r.trial), 5))\(mark)\(pad(String(r.rung), 3))  \(pad(accuracy, 7))  \(pad("\(r.epochs) (\(r.bestEpoch))", 13))  \(pad(fixed(r.seconds, 0), 7))  \(r.flags)")
        }
        return lines.joined(separator: "\n")
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
