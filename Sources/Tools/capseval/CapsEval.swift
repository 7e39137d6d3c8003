import ArgumentParser
import ToolSupport
import CapsArtifacts
import CapsKit
import CapsNet
import CapsReports
import CapsText
import Foundation

@main
struct CapsEval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capseval",
        abstract: "Score documents with a trained capsule network: predictions, metrics, scores.h5.",
        discussion: """
        INPUT is an embedded file (embed's output), a tokens file (tokenize's output) or raw \
        text: TSV, CSV, fastText or plain lines, a file or - for standard input. A file named \
        .h5/.hdf5 or carrying the HDF5 signature is read as an embedded or tokens file (by its \
        format attribute) or refused, never as text. Raw text is \
        tokenized with the model's own tokenizer settings (recorded at training), mapped through \
        its vocabulary (unknown words → <unk>), cut or padded to its max_len and embedded with \
        its table (the fine-tuned one when the embeddings were trained). A tokens file must have \
        the model's max_len, tokenizer settings and label names; its ids are mapped by token \
        string into the model's vocabulary (tokens the model lacks → <unk>, as in raw text) and \
        embedded with its table. An embedded INPUT must \
        match the model's vector dimension, max_len and label names; with a fine-tuned model its \
        vocabulary must start with the model's.

        Scores are the lengths of the class capsules: independent values in [0, 1), one per \
        class, NOT a softmax — they need not sum to 1, and several classes (or none) may score \
        high. The prediction is the longest capsule. --top-k lists the K longest per document; \
        --threshold lists every class whose length reaches T (possibly none). An ensemble \
        (capsfit --ensemble K) scores with the mean over its members of their capsule lengths, \
        each member with its own weights and table.

        With labels, a report (accuracy, per-class precision/recall/F1/support, macro and \
        weighted averages, confusion matrix, mean margin loss) goes to standard output, or to \
        --report FILE; --json writes the same numbers. When --predictions or --json is -, the \
        report goes to standard error instead. -o writes scores.h5 (/lengths [N, C], \
        /predictions, /labels, /confusion, /label_names, metrics and provenance as attributes); \
        without -o no scores file is written. Nothing is written when model and input do not match.

        EXAMPLES:
          capseval --model model.h5 test.emb.h5 -o scores.h5
          capseval --model model.h5 --predictions - --top-k 3 questions.txt
          cat test.tsv | capseval --model model.h5 --json metrics.json --plot figures -
          capseval --model model.h5 dev.emb.h5 --choose-thresholds thresholds.tsv
          capseval --model model.h5 test.emb.h5 --thresholds thresholds.tsv --predictions -
          capseval --model model.h5 test.tsv --explain why.html --explain-documents 50 --reconstruct
          capseval --model model.h5 test.emb.h5 --faithfulness -

        EXPLANATIONS: --explain writes one HTML page (no scripts, fonts or images to \
        fetch) and --explain-tsv a table (index, rank, class, length, position, token, \
        share), for the first --explain-documents documents: each of the \
        --explain-classes longest class capsules with its length split over the tokens, \
        and the routing coefficients as a heat map. The default shares are gradient × \
        input (Σ over the word vector of ∂length/∂x · x, through the routing as training \
        sees it), which the deletion test (--faithfulness) ranks the more faithful on \
        every dataset measured. --explain-method route gives the exact split instead: the \
        length divided over the primary capsules by their routing coefficients and votes, \
        each capsule's share carried back through the primary convolution to conv1's \
        n-gram windows (a window's share divided equally among its tokens; lexical \
        n-grams alike), so that token, padding and bias shares sum to the length.
        """)

    @Argument(help: "An embedded file, a tokens file, a text file, or - for standard input.")
    var input: String

    @Option(help: "The model file (capsfit's output).")
    var model: String

    @Option(name: .shortAndLong, help: "The scores file to write (HDF5); omit to write none.")
    var output: String?

    @Option(help: "Write the text report here instead of standard output (- = standard output).")
    var report: String?

    @Option(help: "Write the metrics as JSON to this file (- = standard output).")
    var json: String?

    @Option(help: "Write per-document predictions as TSV to this file (- = standard output).")
    var predictions: String?

    @Option(help: "In --predictions, list the K longest capsules per document (default 1).")
    var topK: Int?

    @Option(help: "In --predictions, list every class whose capsule length is at least T, in [0, 1).")
    var threshold: Float?

    @Option(help: "Decide each class by its own threshold on the capsule length, from a file of 'label<TAB>threshold' lines (unlisted: 0.5): the report and --json add one-vs-rest precision, recall and F1 at them, --predictions lists the classes that reach theirs.")
    var thresholds: String?

    @Option(help: "Choose each class's threshold for the best one-vs-rest F1 on this (labelled, validation) input and write them to FILE for --thresholds. Never choose them on the test data.")
    var chooseThresholds: String?

    @Option(help: "Explain the first --explain-documents documents as one self-contained HTML page: each top class's capsule length split over the tokens (shaded), and the routing coefficients as a heat map.")
    var explain: String?

    @Option(help: "Write the same explanations as TSV (index, rank, class, length, position, token, share; - = standard output).")
    var explainTsv: String?

    @Option(help: "How many documents, from the first, --explain and --explain-tsv cover (0 = all).")
    var explainDocuments = 100

    @Option(help: "Explain the K longest class capsules of each document.")
    var explainClasses = 3

    @Option(help: "How shares are computed: gradient (gradient × input through the routing; the more faithful in the deletion test) or route (exact: the length split by the routing coefficients and votes, carried back to conv1's n-gram windows).")
    var explainMethod: AttributionMethod = .gradient

    @Flag(help: "In the --explain page, read the decoder's reconstruction from the longest capsule as words (nearest by cosine in the embedding table) and show which words change when each capsule dimension moves by ±0.25. Needs a model with a decoder.")
    var reconstruct = false

    @Option(help: "Run the deletion test of the explanations on every document and write its table here (- = standard output): how much removing the k tokens ranked first by route, by gradient × input and at random lowers the predicted capsule.")
    var faithfulness: String?

    @Option(help: "The k of --faithfulness, comma-separated.")
    var faithfulnessK = "1,3,5"

    @Option(help: "Seed of the random tokens removed by --faithfulness.")
    var seed: UInt64 = 1

    @Option(help: "Write confusion.svg and training.svg (an ensemble: training-member<k>.svg) into this folder (created if missing).")
    var plot: String?

    @Option(help: "Documents per inference batch.")
    var batch = 100

    @Option(help: "Threads for OpenBLAS and the library's loops (default: all cores).")
    var threads: Int?

    @Option(help: "A label the model never saw: fail, or skip the document in the metrics (it is still scored).")
    var unseenLabels: UnseenLabelScoring = .fail

    @OptionGroup(title: "Reading raw text")
    var text: TextInputArguments

    @Flag(help: "Raw text has no labels (CSV text columns only; fastText lines without a label).")
    var unlabeled = false

    static func main() { mainWithOneLineErrors() }

    /// The k of --faithfulness-k.
    func faithfulnessKs() throws -> [Int] {
        let values = faithfulnessK.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw ValidationError("--faithfulness-k must be comma-separated whole numbers of at least 1 (got '\(faithfulnessK)')")
        }
        return values.map { $0! }
    }

    func validate() throws {
        if [topK != nil, threshold != nil, thresholds != nil].filter({ $0 }).count > 1 {
            throw ValidationError("--top-k, --threshold and --thresholds exclude each other")
        }
        if let topK, topK < 1 { throw ValidationError("--top-k must be at least 1 (got \(topK))") }
        if let threshold, !(threshold >= 0 && threshold < 1) {
            throw ValidationError("--threshold must be in [0, 1), the range of capsule lengths (got \(threshold))")
        }
        if batch < 1 { throw ValidationError("--batch must be at least 1 (got \(batch))") }
        if reconstruct && explain == nil { throw ValidationError("--reconstruct adds to the --explain page; give --explain FILE.html") }
        if explainDocuments < 0 { throw ValidationError("--explain-documents must be at least 0 (got \(explainDocuments))") }
        if explainClasses < 1 { throw ValidationError("--explain-classes must be at least 1 (got \(explainClasses))") }
        _ = try faithfulnessKs()
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads))") }
    }

    func run() throws {
        var options = ScoringOptions()
        options.batchSize = batch
        options.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
        options.unseenLabels = unseenLabels
        options.showProgress = true
        var read = try text.inputOptions().readOptions()
        if unlabeled {
            // Scoring unlabeled text: no label column, and fastText lines need no label.
            read.csv.labelColumn = nil
            read.labelsRequired = false
        }
        options.readOptions = read

        var stage = EvalStage.Options()
        stage.model = model
        stage.input = input
        stage.scoring = options
        let evaluation = EvalStage(options: stage)
        let (model, scoringInput) = try evaluation.open()
        var explainOptions = ExplainOptions()
        explainOptions.documents = explainDocuments
        explainOptions.topClasses = explainClasses
        explainOptions.method = explainMethod
        explainOptions.reconstruct = reconstruct
        try explainOptions.check(model: model)
        let scores = try evaluation.score(model: model, input: scoringInput)
        if explain != nil || explainTsv != nil {
            let explainer = Explainer(model: model, input: scoringInput)
            let count = explainDocuments == 0 ? scoringInput.documentCount : min(explainDocuments, scoringInput.documentCount)
            let explanations = try explainer.explain(explainOptions,
                                                     progress: evaluation.progress("explaining", total: count, documents: count))
            if let explain { try TextOutput.write(explanations.html(), to: explain) }
            if let explainTsv { try TextOutput.write(explanations.tsv(), to: explainTsv) }
        }
        if let faithfulness {
            let explainer = Explainer(model: model, input: scoringInput)
            let n = scoringInput.documentCount
            let report = try explainer.deletionTest(ks: try faithfulnessKs(), seed: seed,
                                                    progress: evaluation.progress("deletion test", total: n, documents: n))
            try TextOutput.write(report.text(), to: faithfulness)
        }

        let perClass = try thresholds.map { try scores.readThresholds($0) }
        if let chooseThresholds {
            let chosen = try scores.chooseThresholds(writingTo: chooseThresholds)
            FileHandle.standardError.write(Data("capseval: chose \(chosen.values.count) thresholds for the best one-vs-rest F1 on \(input) → \(chooseThresholds) (use them with --thresholds on other data)\n".utf8))
        }
        if let output { try scores.write(to: output, command: currentCommandLine) }
        if let predictions {
            let selection: ScoreSelection = perClass.map { .thresholds($0) } ?? threshold.map { .threshold($0) } ?? .topK(topK ?? 1)
            try TextOutput.write(try scores.predictionsTSV(selection: selection), to: predictions)
        }
        // Multi-label metrics decide each class at --thresholds, or at --threshold (default 0.5) for all.
        let decision = perClass ?? threshold.map { ClassThresholds(values: [Float](repeating: $0, count: scores.labelNames.count)) }
        if let json { try TextOutput.write(try scores.jsonReport(thresholds: decision, source: thresholds ?? ""), to: json) }
        if let plot {
            try FileManager.default.createDirectory(atPath: plot, withIntermediateDirectories: true)
            for figure in try scores.plots() {
                try TextOutput.write(figure.svg, to: (plot as NSString).appendingPathComponent(figure.name))
            }
            if scores.metrics == nil {
                FileHandle.standardError.write(Data("capseval: no labels, so \(plot)/confusion.svg is not drawn\n".utf8))
            }
        }
        // The report shares standard output only when nothing else is written there.
        var text = try scores.textReport(thresholds: decision)
        if let perClass, scores.metrics != nil, !scores.isMultiLabel { text += try scores.thresholdReport(perClass, source: thresholds!) }
        if let report {
            try TextOutput.write(text, to: report)
        } else if [predictions, json, faithfulness, explainTsv].contains("-") {
            FileHandle.standardError.write(Data(text.utf8))
        } else {
            try TextOutput.write(text, to: "-")
        }
    }
}

extension UnseenLabelScoring: ExpressibleByArgument {}
extension AttributionMethod: ExpressibleByArgument {}
