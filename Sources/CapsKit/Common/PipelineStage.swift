import CapsArtifacts

/// One stage of the pipeline — split, tokenize, embed, fit, eval, export —
/// in one shape: an `Options` value that holds everything the stage reads
/// and writes (paths included), and one entry point. Each tool builds the
/// options from its flags and calls `run()`; nothing is written unless the
/// run succeeds.
///
///     capssplit → SplitStage    tokenize → TokenizeStage   embed → EmbedStage
///     capsfit   → FitStage      capseval → EvalStage       capsexport → ExportStage
public protocol PipelineStage {
    associatedtype Options
    /// What the run produced, for the tool's summary on standard error.
    associatedtype Report

    var options: Options { get }
    init(options: Options)
    func run() throws -> Report
}

/// The command line a stage records as provenance: this process's, shell-quoted.
public var currentCommandLine: String { shellQuoted(CommandLine.arguments) }
