import CapsArtifacts
import CapsMPI
import CapsNet
import CapsStorage

/// What `capsfit` does: train a capsule network on an embedded file and
/// write the model file (kept weights, history, checkpoint) after every
/// epoch; with `resume`, continue that file's run exactly. The loop itself
/// is `Trainer`.
public struct FitStage: PipelineStage {
    public struct Options {
        /// The embedded training file.
        public var input = "train.emb.h5"
        /// The model file to write.
        public var output = "model.h5"
        /// The network; classes, max_len and dim are taken from the data.
        public var model = CapsNetConfig(classes: 1)
        public var training = TrainingOptions()
        /// A model file to continue from (its configuration and options are reused).
        public var resume: String?
        /// The command line recorded as provenance.
        public var command = ""
        /// `--autotune N`: search instead of training one configuration.
        public var autotune: Autotuner.Options?
        /// Start from `Autotuner.applyRecommended` instead of the reference design.
        public var recommended = false
        /// Setting names the user set (the search and `recommended` leave them alone).
        public var fixedSettings: Set<String> = []

        public init() {}
    }

    public let options: Options
    /// The processes training together (`mpirun -np K capsfit …`: its ranks).
    public var group: ProcessGroup = .single
    /// Where log lines go (stderr in the tool; nowhere by default).
    public var log: (String) -> Void = { _ in }
    /// Whether progress bars are drawn (nil: when stderr is a terminal).
    public var interactiveProgress: Bool? = nil

    public init(options: Options) { self.options = options }

    /// Trains until `training.epochs` epochs are complete; returns the history.
    @discardableResult
    public func run() throws -> TrainingHistory {
        // One run per output: a second capsfit with the same -o refuses here
        // rather than overwrite this one's checkpoints (released on return).
        // Under MPI rank 0 alone writes, so it alone holds the lock.
        let lock = try group.agreeing { group.rank == 0 ? try OutputLock.acquire(for: options.output) : nil }
        defer { lock?.release() }
        try group.agreeing {
            if options.autotune != nil && group.size > 1 {
                throw TrainingError.invalidOption("--autotune runs its trials in one process; run the search without mpirun, then train its winner's configuration with mpirun")
            }
        }
        if let search = options.autotune {
            if let resume = options.resume, resume != options.output {
                throw TrainingError.invalidOption("--autotune --resume continues the search of its -o file: give the same path to both (got \(resume) and \(options.output))")
            }
            let tuner = try Autotuner(inputPath: options.input, outputPath: options.output, config: options.model,
                                      options: options.training, search: search, fixed: options.fixedSettings,
                                      resume: options.resume != nil, commandLine: options.command)
            tuner.log = log
            tuner.interactiveProgress = interactiveProgress
            try tuner.run()
            return try ModelFile.read(from: options.output).history
        }
        var config = options.model, training = options.training
        if options.recommended {
            try Autotuner.applyRecommended(to: &config, options: &training, fixed: options.fixedSettings,
                                           characterTokens: Autotuner.characterTokens(of: options.input))
        }
        let trainer = try group.agreeing {
            try Trainer(inputPath: options.input, outputPath: options.output, config: config,
                        options: training, resumeFrom: options.resume, commandLine: options.command, group: group)
        }
        if group.size > 1 {
            log("capsfit: \(group.size) MPI ranks share each batch of \(trainer.options.batchSize) (each rank reads and trains its share, \(trainer.options.threads) thread\(trainer.options.threads == 1 ? "" : "s") per rank; one allreduce of the gradients per step; rank 0 writes \(options.output))")
        }
        trainer.log = log
        trainer.interactiveProgress = interactiveProgress
        return try trainer.run()
    }
}
