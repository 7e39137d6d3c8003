import ArgumentParser
import ToolSupport
import CapsCore
import CapsArtifacts
import CapsKit
import CapsNet
import Foundation

@main
struct CapsFit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capsfit",
        abstract: "Train a capsule network on an embedded file (embed's output).",
        discussion: """
        The model (defaults = the reference design): conv1 with FILTERS n-gram filters over the \
        full vector width, ReLU; a primary-capsule convolution (kernel K×1, stride S) giving \
        capsules of PRIMARY-DIM; one CLASS-DIM capsule per class from dynamic routing; the \
        length of a class capsule is its score; margin loss plus LAM-RECON × the reconstruction \
        error of a decoder on the masked capsules. Adam with the learning rate × LR-DECAY per epoch.

        The model file holds the kept weights (best validation epoch, or the last), the history, \
        the vocabulary, label names and embedding table, and a checkpoint: --resume continues \
        a run exactly where it stopped (after any epoch, or after Ctrl-C mid-epoch). The same \
        data, --seed and --threads give bit-identical weights.

        Regularisers beyond the design (all off by default): --dropout on conv1's output, \
        --input-dropout on the word vectors, --word-dropout on whole tokens, --weight-decay \
        (AdamW), and --average-decay, which validates and keeps a moving average of the weights.

        EXAMPLES:
          capsfit --epochs 10 --val-split 0.1 train.emb.h5 -o model.h5
          capsfit --fine-tune-embeddings --dropout 0.5 --lam-recon 0 train.emb.h5 -o model.h5
          capsfit --fine-tune-embeddings --dropout 0.7 --input-dropout 0.3 --average-decay 0.995 --batch 50 --lam-recon 0 train.emb.h5 -o model.h5
          capsfit --resume model.h5 --epochs 20 train.emb.h5 -o model.h5
        """)

    @Argument(help: "The embedded training file (from embed).")
    var input: String

    @Option(name: .shortAndLong, help: "The model file to write.")
    var output: String

    @OptionGroup(title: "The model (defaults = the reference design)")
    var model: ModelArguments

    @Option(help: "Epochs in total (on --resume, train until this many are done).") var epochs = 10
    @Option(help: "Batch size.") var batch = 100
    @Option(help: "Adam learning rate.") var lr: Float = 1e-3
    @Option(help: "Learning-rate factor applied after each epoch.") var lrDecay: Float = 0.9
    @Option(help: "Adam β1.") var beta1: Float = 0.9
    @Option(help: "Adam β2.") var beta2: Float = 0.999
    @Option(help: "Adam ε.") var eps: Float = 1e-8
    @Option(help: "Decoupled weight decay (AdamW) on the network's weights; never on the embedding table.")
    var weightDecay: Float = 0
    @Option(help: "Dropout on every input value (the word vectors) of a training batch.")
    var inputDropout: Float = 0
    @Option(help: "Share of token positions blanked (set to the padding vector) in each training batch.")
    var wordDropout = 0.0
    @Option(help: "Validate and keep a moving average of the weights with this decay per step (e.g. 0.99); 0: the weights as trained.")
    var averageDecay: Float = 0
    @Option(help: "Seed of every random choice (weights, shuffles, dropout, validation split).") var seed: UInt64 = 1
    @Option(help: "Threads for OpenBLAS and the library's loops (default: all cores).") var threads: Int?
    @Option(help: "A separate embedded validation file.") var val: String?
    @Option(help: "Share of the training file held out for validation (stratified, seeded).") var valSplit = 0.1
    @Flag(help: "Train without validation (implies --keep last).") var noValidation = false
    @Option(help: "Which weights the model file keeps: best (validation accuracy) or last.") var keep: String?
    @Flag(help: "Train the embedding table with the model (input = ids + table; 'non-static').")
    var fineTuneEmbeddings = false
    @Option(help: "Adam on the fine-tuned table: dense (every row's moments decay each step, as PyTorch) or lazy (only the rows of the batch's words change).")
    var embeddingUpdate = "dense"
    @Option(help: "Rows of /x held in memory for shuffling (memory ≈ rows × max-len × dim × 4 bytes).")
    var shuffleBuffer = 32_768
    @Option(help: "Also write the per-epoch history as CSV.") var log: String?
    @Option(help: "Continue from this model file's checkpoint (its configuration and options are reused).")
    var resume: String?

    static func main() { mainWithOneLineErrors() }

    func run() throws {
        let config = try model.configuration()

        var options = TrainingOptions()
        options.epochs = epochs
        options.batchSize = batch
        options.learningRate = lr
        options.learningRateDecay = lrDecay
        options.beta1 = beta1
        options.beta2 = beta2
        options.epsilon = eps
        options.seed = seed
        options.weightDecay = weightDecay
        options.wordDropout = wordDropout
        options.inputDropout = inputDropout
        options.averageDecay = averageDecay
        options.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
        if noValidation {
            options.validation = .none
        } else if let val {
            options.validation = .file(val)
        } else {
            options.validation = .split(valSplit)
        }
        if let keep {
            guard let parsed = TrainingOptions.Keep(rawValue: keep) else {
                throw ValidationError("--keep must be best or last (got '\(keep)')")
            }
            options.keep = parsed
        } else {
            options.keep = noValidation ? .last : .best
        }
        options.fineTuneEmbeddings = fineTuneEmbeddings
        guard let update = EmbeddingTuner.Update(rawValue: embeddingUpdate) else {
            throw ValidationError("--embedding-update must be dense or lazy (got '\(embeddingUpdate)')")
        }
        options.embeddingUpdate = update
        options.shuffleBufferRows = shuffleBuffer
        options.logPath = log

        InterruptFlag.install()
        let trainer = try Trainer(inputPath: input, outputPath: output, config: config, options: options,
                                  resumeFrom: resume, commandLine: shellQuoted(CommandLine.arguments))
        trainer.log = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        try trainer.run()
    }
}
