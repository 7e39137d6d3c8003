import CapsArtifacts
import CapsCore
import CapsNet
import CapsReports

/// `capseval`'s pipeline: load the model, prepare the input for it, score.
public enum Scorer {
    /// Scores `inputPath` (embedded file, raw text file, or `-`) with the model at `modelPath`.
    /// Mismatches (dimension, max_len, label set, vocabulary) are found before
    /// any inference runs, so nothing is written for them.
    public static func score(modelPath: String, inputPath: String, options: ScoringOptions) throws -> Scores {
        ComputeThreads.set(options.threads)
        let model = try ScoringModel(path: modelPath, batchSize: options.batchSize)
        let input = try ScoringInput.open(path: inputPath, model: model, options: options)
        let progress = options.showProgress && input.documentCount >= options.progressMinimum
            ? ProgressReporter(label: "scoring", total: input.documentCount, unit: "documents",
                               interactive: options.interactiveProgress)
            : nil
        return try Scores(model: model, input: input, progress: progress)
    }
}
