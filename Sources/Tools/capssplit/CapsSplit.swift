import ArgumentParser
import ToolSupport
import CapsKit
import CapsText
import Foundation

@main
struct CapsSplit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capssplit",
        abstract: "Split labelled text into stratified, seeded train/test (and dev) TSV files.",
        discussion: """
        The inputs (TSV, CSV or fastText; several are concatenated) are split class by \
        class, so each class keeps its share in every part; the same inputs, fractions \
        and seed always give the same split. OUTDIR/train.tsv and OUTDIR/test.tsv are \
        written (and OUTDIR/dev.tsv with --dev-fraction), all or none; OUTDIR is created \
        if missing. A summary goes to standard error.

        EXAMPLE:
          capssplit --test-fraction 0.1 --seed 1 --dedupe reviews.tsv -o runs/reviews/data
        """)

    @Argument(help: "Labelled text files (TSV, CSV or fastText).")
    var inputs: [String] = []

    @Option(name: .shortAndLong, help: "The folder to write train.tsv, test.tsv (and dev.tsv) into.")
    var output: String

    @Option(help: "Share of each class for test.tsv.")
    var testFraction = 0.1

    @Option(help: "Share of each class for dev.tsv (0: no dev file).")
    var devFraction = 0.0

    @Option(help: "Seed of the split.")
    var seed: UInt64 = 1

    @Flag(help: "Keep one copy of repeated texts; drop empty texts and texts under different labels.")
    var dedupe = false

    @Option(help: "Input format: tsv, csv or fasttext (default: detect).")
    var format: InputFormat?

    @Flag(help: "CSV: the first record is a header naming the columns.")
    var csvHeader = false

    @Option(help: "CSV: the label column, a 0-based index or a header name (default 0).")
    var labelColumn: String?

    @Option(help: "CSV: the text columns, comma-separated indices or header names (default 1).")
    var textColumns: String?

    @Option(help: "CSV: the field separator, one character or 'tab' (default ,).")
    var csvSeparator: String?

    @Option(help: "fastText: the label marker.")
    var labelPrefix = "__label__"

    @Option(help: "Bytes that are not UTF-8: fail, or replace them with U+FFFD.")
    var invalidUtf8: InvalidUTF8Choice = .fail

    static func main() { mainWithOneLineErrors() }

    func run() throws {
        var stage = SplitStage()
        stage.splitter.testFraction = testFraction
        stage.splitter.devFraction = devFraction
        stage.splitter.seed = seed
        stage.splitter.dedupe = dedupe
        stage.input.format = format
        stage.input.csvHeader = csvHeader
        stage.input.labelColumn = labelColumn
        stage.input.textColumns = textColumns
        stage.input.csvSeparator = csvSeparator
        stage.input.labelPrefix = labelPrefix
        stage.input.invalidUTF8 = invalidUtf8 == .replace ? .replace : .fail
        let report = try stage.run(inputs: inputs, folder: output)
        FileHandle.standardError.write(Data("capssplit: \(report) → \(output)\n".utf8))
    }
}

enum InvalidUTF8Choice: String, ExpressibleByArgument, CaseIterable { case fail, replace }
extension InputFormat: ExpressibleByArgument {}
