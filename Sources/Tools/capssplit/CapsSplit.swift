import ArgumentParser
import ToolSupport
import CapsArtifacts
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

    @OptionGroup(title: "Reading the input")
    var text: TextInputArguments

    static func main() { mainWithOneLineErrors() }

    func run() throws {
        var options = SplitStage.Options()
        options.inputs = inputs
        options.folder = output
        options.splitter.testFraction = testFraction
        options.splitter.devFraction = devFraction
        options.splitter.seed = seed
        options.splitter.dedupe = dedupe
        options.reading = text.inputOptions()
        let report = try SplitStage(options: options).run()
        FileHandle.standardError.write(Data("capssplit: \(report) → \(output)\n".utf8))
    }
}

