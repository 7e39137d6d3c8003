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
        let (model, input) = try open()
        return try score(model: model, input: input)
    }

    /// The model and the input prepared for it, checked against each other
    /// (what `run` scores; explanations read both).
    public func open() throws -> (ScoringModel, ScoringInput) {
        let scoring = options.scoring
        ComputeThreads.set(scoring.threads)
        let model = try ScoringModel(path: options.model, batchSize: scoring.batchSize)
        return (model, try ScoringInput.open(path: options.input, model: model, options: scoring))
    }

    /// Scores `input` under `model`, with progress on standard error when asked for.
    public func score(model: ScoringModel, input: ScoringInput) throws -> Scores {
        let progress = progress(model.memberCount == 1 ? "scoring" : "scoring with \(model.memberCount) members",
                                total: input.documentCount * model.memberCount, documents: input.documentCount)
        return try Scores(model: model, input: input, progress: progress)
    }

    /// A progress reporter for `total` steps over `documents` documents, or
    /// nil when progress is off or the input is small.
    public func progress(_ label: String, total: Int, documents: Int) -> ProgressReporter? {
        let scoring = options.scoring
        guard scoring.showProgress && documents >= scoring.progressMinimum else { return nil }
        return ProgressReporter(label: label, total: total, unit: "documents", interactive: scoring.interactiveProgress)
    }
}
