import CapsCore
import CapsNet

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
    /// Early stopping: training (of each ensemble member) ends after this many
    /// epochs in a row without a new best validation accuracy; 0 never stops
    /// early. The kept epoch is the best one either way (`keep` best).
    public var patience = 0
    public var batchSize = 100
    public var learningRate: Float = 1e-3
    /// Adam step size of the lexical bucket table's rows (row-sparse), scaled
    /// by the same schedule as `learningRate`. 3e-3: the best validation
    /// accuracy of 0.003, 0.01 and 0.03 on CR, MR and SST-2 (README).
    public var lexicalLearningRate: Float = 3e-3
    /// The learning rate is multiplied by this after each epoch (or each
    /// epoch without a new best, see `learningRateSchedule`).
    public var learningRateDecay: Float = 0.9
    /// When the decay applies (exponential: every epoch, the reference).
    public var learningRateSchedule = LearningRateSchedule.exponential
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    public var seed: UInt64 = 1
    /// Threads for OpenBLAS and the library's own loops.
    public var threads = 1
    /// How training steps split the work across `threads`.
    public var threadSplit = ThreadSplit.batch
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
    /// Members of an ensemble (K), trained one after another from
    /// `memberSeed(1…K)`; capseval scores with the mean of their capsule
    /// lengths. 1: a single model.
    public var ensemble = 1
    /// Per-class weights of the margin loss (`ClassWeights`): "none",
    /// "balanced", or the path of a `label<TAB>weight` file.
    public var classWeights = ClassWeights.none
    /// Multi-label training (every label of a document a target; validated
    /// by micro-F1). Turned on by the data too: see `Trainer.multiLabel`.
    public var multiLabel = false

    public init() {}

    /// Whether a member that has completed `epochsCompleted` epochs, the best
    /// of them `bestEpoch` (0: none validated yet), trains no further: all
    /// `epochs` done, or `patience` epochs in a row without a new best.
    public func isFinished(epochsCompleted: Int, bestEpoch: Int) -> Bool {
        epochsCompleted >= epochs || (patience > 0 && bestEpoch > 0 && epochsCompleted - bestEpoch >= patience)
    }

    /// The seed of ensemble member `member` (1-based): member 1 takes `seed`
    /// itself, so it is bit for bit the single model of that seed; member
    /// k > 1 takes the first draw of a stream derived from `seed` and k.
    /// Only the member's own randomness follows it (initial weights,
    /// shuffles, dropout masks); the validation split stays a function of
    /// `seed`, so every member is validated on the same held-out rows.
    public func memberSeed(_ member: Int) -> UInt64 {
        precondition(member >= 1, "members are numbered from 1")
        if member == 1 { return seed }
        var generator = SeededGenerator(seed: seed).derived(0xE45E_3B1E_0000 &+ UInt64(member))
        return generator.next()
    }
}

// MARK: - The declaration of every stored option

extension TrainingOptions {
    /// Every training option a model file records, once: its attribute name,
    /// its capsfit flag and help, its check, and its value in models written
    /// before it existed. The model's attributes, `--resume` and capsfit's
    /// flags go through this list. (Validation — none, a split or a file —
    /// is stored by `Trainer.validationAttributes`; the log path is not stored.)
    public static let settings: [Setting<TrainingOptions>] = [
        .int("epochs", \.epochs, help: "Epochs in total (on --resume, train until this many are done).",
             check: atLeast(1)),
        .int("patience", \.patience,
             help: "Stop after this many epochs without a new best validation accuracy (0: train all --epochs); the best epoch is kept.",
             legacy: 0, check: atLeast(0)),
        .int("batch", \.batchSize, help: "Batch size.", check: atLeast(1)),
        .float("lr", \.learningRate, help: "Adam learning rate.", check: { $0 > 0 ? nil : "must be positive" }),
        .float("lexical_lr", \.lexicalLearningRate,
               help: "Adam step size of the lexical bucket rows (with --buckets; only the rows a batch uses are updated), decayed with --lr.",
               legacy: 3e-3, check: { $0 > 0 ? nil : "must be positive" }),
        .float("lr_decay", \.learningRateDecay, help: "Learning-rate factor applied after each epoch.",
               check: { $0 > 0 && $0 <= 1 ? nil : "must lie in (0, 1]" }),
        .choice("lr_schedule", \.learningRateSchedule,
                help: "When --lr-decay applies: exponential (after every epoch, the reference) or plateau (after each epoch that is not a new best validation accuracy, so training runs at full rate while it improves).",
                legacy: .exponential),
        .float("adam_beta1", \.beta1, flag: "beta1", help: "Adam β1."),
        .float("adam_beta2", \.beta2, flag: "beta2", help: "Adam β2."),
        .float("adam_eps", \.epsilon, flag: "eps", help: "Adam ε."),
        .seed("seed", \.seed, help: "Seed of every random choice (weights, shuffles, dropout, validation split)."),
        .int("threads", \.threads, commandLine: false,
             help: "Threads for OpenBLAS and the library's loops.", check: atLeast(1)),
        .choice("thread_split", \.threadSplit,
                help: "How training steps use --threads: batch (each thread trains its slice of the batch, the gradients summed in a fixed order) or blas (OpenBLAS splits each matrix product). Validation and scoring always use blas.",
                legacy: .blas),
        .choice("keep", \.keep, commandLine: false,
                help: "Which weights the model file keeps: best (validation accuracy) or last.", legacy: .best),
        .bool("fine_tune_embeddings", \.fineTuneEmbeddings, commandLine: false,
              help: "Train the embedding table with the model."),
        .choice("embedding_update", \.embeddingUpdate,
                help: "Adam on the fine-tuned table: dense (every row's moments decay each step, as PyTorch) or lazy (only the rows of the batch's words change).",
                legacy: .dense),
        .int("shuffle_buffer", \.shuffleBufferRows,
             help: "Rows of /x held in memory for shuffling (memory ≈ rows × max-len × dim × 4 bytes).",
             check: atLeast(1)),
        .float("weight_decay", \.weightDecay,
               help: "Decoupled weight decay (AdamW) on the network's weights; never on the embedding table.",
               legacy: 0, check: { $0 >= 0 ? nil : "must be at least 0" }),
        .double("word_dropout", \.wordDropout,
                help: "Share of token positions blanked (set to the padding vector) in each training batch.",
                legacy: 0, check: { $0 >= 0 && $0 < 1 ? nil : "must lie in [0, 1)" }),
        .float("input_dropout", \.inputDropout, help: "Dropout on every input value (the word vectors) of a training batch.",
               legacy: 0, check: { $0 >= 0 && $0 < 1 ? nil : "must lie in [0, 1)" }),
        .float("average_decay", \.averageDecay,
               help: "Validate and keep a moving average of the weights with this decay per step (e.g. 0.99); 0: the weights as trained.",
               legacy: 0, check: { $0 >= 0 && $0 < 1 ? nil : "must lie in [0, 1)" }),
        .text("class_weights", \.classWeights,
              help: "Weigh each sample's margin loss by its class: none, balanced (n / (C · n_c) from the training rows, so each class counts as much in total) or a file of 'label<TAB>weight' lines (labels not listed: 1).",
              expected: "none, balanced or a file", legacy: ClassWeights.none),
        .bool("multi_label", \.multiLabel, commandLine: false,
              help: "Multi-label: the margin loss over every label of a document, validation by micro-F1 at length 0.5.",
              legacy: false),
        .int("ensemble", \.ensemble,
             help: "Train this many members from seeds derived from --seed, one after another, into one model file; capseval scores with the mean of their capsule lengths (training time and model size × K).",
             legacy: 1, check: atLeast(1)),
    ]

    /// Settings a resumed run takes from the command line instead of the model file.
    public static let resumeOverrides: Set<String> = ["epochs", "patience", "threads", "thread_split"]

    private static func atLeast(_ minimum: Int) -> (Int) -> String? {
        { $0 >= minimum ? nil : "must be at least \(minimum)" }
    }
}
