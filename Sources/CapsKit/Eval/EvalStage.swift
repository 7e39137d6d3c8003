import CapsCore
import CapsNet

/// What `capseval` does: load the model, prepare the input for it (an
/// embedded file, a tokens file embedded with the model's table, or raw text
/// tokenized and embedded with the model's own settings), score it. Mismatches (dimension, max_len, label set,
/// vocabulary) are found before any inference runs, so nothing is written
/// for them; the tool then writes the `Scores` it asks for.
public struct EvalStage: PipelineStage {
    public struct Options: Sendable {
        /// The model file (capsfit's output).
        public var model = "model.h5"
        /// An embedded file, a tokens file, a text file, or `-` for standard input.
        public var input = "-"
        /// How the input is read and scored.
        public var scoring = ScoringOptions()

        public init() {}
    }

    public let options: Options
    public init(options: Options) { self.options = options }

    /// The stage for `model` scoring `input`.
    public init(model: String, input: String, scoring: ScoringOptions) {
        var options = Options()
        options.model = model
        options.input = input
        options.scoring = scoring
        self.init(options: options)
    }

    public func run() throws -> Scores {
        let scoring = options.scoring
        ComputeThreads.set(scoring.threads)
        let model = try ScoringModel(path: options.model, batchSize: scoring.batchSize)
        let input = try ScoringInput.open(path: options.input, model: model, options: scoring)
        let progress = scoring.showProgress && input.documentCount >= scoring.progressMinimum
            ? ProgressReporter(label: model.memberCount == 1 ? "scoring" : "scoring with \(model.memberCount) members",
                               total: input.documentCount * model.memberCount, unit: "documents",
                               interactive: scoring.interactiveProgress)
            : nil
        return try Scores(model: model, input: input, progress: progress)
    }
}
