import ArgumentParser
import ToolSupport
import CapsCore
import CapsArtifacts
import CapsKit
import CapsMPI
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

        --ensemble K trains K members into the one model file, one after another, each with its \
        own seed derived from --seed (member 1 takes --seed itself, so it is the single model of \
        that seed), its own validation and best epoch, history, checkpoint and fine-tuned table; \
        all use the same validation rows. capseval scores with the mean of the members' capsule \
        lengths; --resume continues at the member and epoch where the run stopped.

        --patience K stops after K epochs without a new best validation accuracy (the best epoch \
        is kept). --autotune N searches the model and training options on the validation split \
        (never the test data) by successive halving: N trials train 3 epochs, the best third go \
        on to 9, the best third of those to 27, …; the last one trains to --epochs with early \
        stopping and is written with the table of every trial (/autotune). Flags you give are \
        held fixed; the trials fine-tune the embeddings without a decoder. Trials are model \
        files in OUTPUT.autotune/ until the search ends, so --resume OUTPUT continues an \
        interrupted search. The same data, seed, N and --threads give the same search.

        Under mpirun (mpirun -np K capsfit …, Open MPI loaded at run time) the K ranks train one \
        model data-parallel: --batch is each rank's share of a global batch of K × --batch, each rank \
        reads only its rows of /x, one allreduce of the gradients per step keeps the ranks in step, \
        and rank 0 alone logs and writes the model; K ranks of T threads train the model of one \
        process with K × T threads. The embedded file must be at the same path on every host.

        EXAMPLES:
          capsfit --epochs 10 --val-split 0.1 train.emb.h5 -o model.h5
          capsfit --fine-tune-embeddings --dropout 0.5 --lam-recon 0 train.emb.h5 -o model.h5
          capsfit --fine-tune-embeddings --dropout 0.7 --input-dropout 0.3 --average-decay 0.995 --batch 50 --lam-recon 0 train.emb.h5 -o model.h5
          capsfit --resume model.h5 --epochs 20 train.emb.h5 -o model.h5
          capsfit --ensemble 3 --fine-tune-embeddings --dropout 0.5 --lam-recon 0 train.emb.h5 -o model.h5
          capsfit --autotune 9 --epochs 20 train.emb.h5 -o model.h5
          mpirun -np 2 capsfit --threads 1 --batch 50 train.emb.h5 -o model.h5
        """)

    @Argument(help: "The embedded training file (from embed).")
    var input: String

    @Option(name: .shortAndLong, help: "The model file to write.")
    var output: String

    @OptionGroup(title: "The model (defaults = the reference design)")
    var model: ModelArguments

    @OptionGroup(title: "Training")
    var training: TrainingArguments

    @Option(help: "Threads for OpenBLAS and the library's loops (default: all cores).") var threads: Int?
    @Option(help: "A separate embedded validation file.") var val: String?
    @Option(help: "Share of the training file held out for validation (stratified, seeded).") var valSplit = 0.1
    @Flag(help: "Train without validation (implies --keep last).") var noValidation = false
    @Option(help: "Which weights the model file keeps: best (validation accuracy) or last.") var keep: String?
    @Flag(help: "Train the embedding table with the model (input = ids + table; 'non-static').")
    var fineTuneEmbeddings = false
    @Flag(help: "Multi-label training: every label of a document is a target of the margin loss; validation by micro-F1 at capsule length 0.5. On by itself when the data has a document with several labels (__label__a __label__b, or a,b with --label-separator).")
    var multiLabel = false
    @Option(help: "Also write the per-epoch history as CSV.") var log: String?
    @Option(help: "Continue from this model file's checkpoint (its configuration and options are reused); with --autotune, continue the interrupted search of this -o file.")
    var resume: String?
    @Flag(help: "Start from the recommended configuration (what --autotune tries first: fine-tuned embeddings, no decoder, lexical capsules, --coupling-scale classes, --lr-schedule plateau, --patience 3, …; see the README) instead of the reference design; flags you give override it.")
    var recommended = false
    @Option(help: ArgumentHelp("Search the model and training options on the validation split with this many trials (successive halving: all train 3 epochs, the best third 3× as many, …; the winner trains to --epochs with early stopping) and keep the winner; flags you give stay fixed. The table of trials is printed and stored in /autotune.", valueName: "trials"))
    var autotune: Int?
    @Option(help: ArgumentHelp("With --autotune: start no trial after this many seconds and train the best so far to completion (the result then depends on the machine's speed).", valueName: "seconds"))
    var autotuneDuration: Double?

    static func main() { mainWithOneLineErrors() }

    /// The names of the settings the user gave a flag for (kept by --recommended and --autotune).
    var givenSettings: Set<String> {
        let given = SettingFlags.given(in: model).map(\.flag) + SettingFlags.given(in: training).map(\.flag)
        return Set(given.compactMap { flag in
            CapsNetConfig.settings.first { $0.flag == flag }?.name ?? TrainingOptions.settings.first { $0.flag == flag }?.name
        })
    }

    func run() throws {
        let config = try model.configuration()

        var options = TrainingOptions()
        try training.apply(to: &options)
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
        options.multiLabel = multiLabel
        options.logPath = log
        if recommended && autotune != nil {
            throw ValidationError("--recommended and --autotune: the search starts from the recommended configuration already")
        }

        InterruptFlag.install()
        // Under mpirun every rank runs this same command; rank 0 logs and writes.
        let group = try ProcessGroup.world()
        // mpirun stops forwarding output when it ends a job: a closed stderr must not kill a
        // rank (SIGPIPE) before rank 0 has written the checkpoint.
        if group.isMPI { signal(SIGPIPE, SIG_IGN) }
        var stage = FitStage.Options()
        stage.input = input
        stage.output = output
        stage.model = config
        stage.training = options
        stage.resume = resume
        stage.command = currentCommandLine
        stage.recommended = recommended
        stage.fixedSettings = givenSettings
        if let autotune {
            var search = Autotuner.Options()
            search.trials = autotune
            search.duration = autotuneDuration
            stage.autotune = search
        } else if autotuneDuration != nil {
            throw ValidationError("--autotune-duration needs --autotune")
        }
        var fit = FitStage(options: stage)
        fit.group = group
        fit.log = group.rank == 0 ? { FileHandle.standardError.write(Data(($0 + "\n").utf8)) } : { _ in }
        do {
            try fit.run()
            group.finish()
        } catch {
            throw group.isMPI ? Self.rankFailure(error, group: group) : error
        }
    }

    /// What a rank of an MPI job reports of `error`: a failure every rank
    /// reached at the same step (agreed) is printed by rank 0 alone and each
    /// rank ends MPI; a failure of this rank alone is printed as
    /// `capsfit: rank R: reason`, and the rank exits at once (mpirun then
    /// ends the job).
    static func rankFailure(_ error: Error, group: ProcessGroup) -> Error {
        var agreed = error is QuietExit || error is FailedOnAnotherRank
        if case TrainingError.interrupted = error { agreed = true }
        if case TrainingError.nonFiniteLoss = error { agreed = true }
        if agreed {
            group.finish()
            if group.rank > 0 { return (error as? QuietExit) ?? QuietExit(code: exitCode(for: error).rawValue) }
            return error
        }
        return group.rank == 0 ? error : RankError(rank: group.rank, underlying: error)
    }
}
