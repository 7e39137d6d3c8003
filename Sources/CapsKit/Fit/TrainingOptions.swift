import CapsArtifacts
import CapsReports

/// How `capsfit` trains: optimiser, schedule, validation, data streaming.
/// The model's own sizes are a `CapsNetConfig`; these are the run's choices.
public struct TrainingOptions: Equatable, Sendable {
    public enum Validation: Equatable, Sendable {
        /// No validation: `keep` must be `.last`.
        case none
        /// A stratified, seeded share of the training file, held out from training.
        case split(Double)
        /// Another embedded file.
        case file(String)
    }

    public enum Keep: String, Sendable, CaseIterable {
        /// The weights of the epoch with the best validation accuracy.
        case best
        /// The weights after the last epoch.
        case last
    }

    /// Total epochs; on `--resume`, training continues until this many are done.
    public var epochs = 10
    public var batchSize = 100
    public var learningRate: Float = 1e-3
    /// The learning rate is multiplied by this after each epoch.
    public var learningRateDecay: Float = 0.9
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    public var seed: UInt64 = 1
    /// Threads for OpenBLAS and the library's own loops.
    public var threads = 1
    public var validation = Validation.split(0.1)
    public var keep = Keep.best
    /// Train the embedding table with the model (input = ids + table).
    public var fineTuneEmbeddings = false
    /// Decoupled weight decay (AdamW): each step multiplies the network's
    /// parameters by 1 − lr·decay before the Adam update. Never applied to the
    /// fine-tuned embedding table, which should stay near its pretrained vectors.
    public var weightDecay: Float = 0
    /// Inverted dropout on every input value x[b, t, k] of a training batch
    /// (on the word vectors, before conv1).
    public var inputDropout: Float = 0
    /// Share of token positions blanked in each training batch (see `WordDropout`).
    public var wordDropout: Double = 0
    /// Decay of the moving average of the weights that is validated and kept
    /// (`WeightAverage`); 0 validates and keeps the live weights.
    public var averageDecay: Float = 0
    /// How Adam updates the fine-tuned table (see `EmbeddingTuner.Update`).
    public var embeddingUpdate = EmbeddingTuner.Update.dense
    /// Rows of `/x` held in memory at once; the shuffle mixes rows within
    /// such a window (after shuffling the order of chunks). When the whole
    /// file fits, the shuffle is global.
    public var shuffleBufferRows = 32_768
    /// Optional CSV copy of the per-epoch history.
    public var logPath: String?

    public init() {}
}
