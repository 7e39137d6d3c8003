import ArgumentParser
import ToolSupport
import CapsArtifacts
import CapsKit
import CapsText
import Foundation

@main
struct Tokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Turn labelled text into fixed-length rows of token ids (a .tokens.h5 file).",
        discussion: """
        INPUT is a text file, or - for standard input: TSV (label<TAB>text), CSV, \
        fastText (__label__X text) or plain text (one unlabelled document per line). \
        The format is detected from the extension and the first line unless --format is given.

        Without --vocab the input is a training set: its tokens seen at least --min-count \
        times make the vocabulary (ids 0 <pad> and 1 <unk>, then by falling count) and its \
        labels the label set. With --vocab the training file's vocabulary, labels and \
        tokenizer options are reused, so ids match; --extend-vocab appends the input's \
        unseen words with count 0.

        A summary goes to standard error. On any error nothing is written.

        EXAMPLE:
          tokenize data/train.tsv -o runs/trec/train.tokens.h5
          tokenize --vocab runs/trec/train.tokens.h5 --extend-vocab data/test.tsv -o runs/trec/test.tokens.h5
          cat titles.txt | tokenize --char-level --unlabeled - -o titles.tokens.h5
        """)

    @Argument(help: "The text file to read, or - for standard input.")
    var input: String

    @Option(name: .shortAndLong, help: "The tokens file to write (.tokens.h5).")
    var output: String

    @OptionGroup(title: "Reading the input")
    var text: TextInputArguments

    @Flag(help: "The input has no labels (plain text, or CSV text columns only).")
    var unlabeled = false

    @Option(help: "Tokens per row: longer documents are cut, shorter ones padded (default 40).")
    var maxLen: Int?

    @Option(help: "Also keep each document's first N tokens (N ≥ --max-len; default 0, none) as /lexical_ids: what capsfit's lexical capsules (--buckets) read, past the --max-len tokens the convolutions see. 4·N bytes a document.")
    var lexicalLen: Int?

    @Flag(help: "Keep upper case.")
    var noLowercase = false

    @Flag(help: "Skip Unicode NFKC normalisation.")
    var noNormalize = false

    @Flag(help: "Make every character a token (Chinese and other unsegmented text).")
    var charLevel = false

    @Option(help: "Leave out of the vocabulary training tokens seen fewer times (default 1).")
    var minCount: Int64?

    @Option(help: "Keep at most N vocabulary entries, <pad> and <unk> included (default: no limit).")
    var maxVocab: Int?

    @Option(help: "A training .tokens.h5 whose vocabulary, labels and tokenizer options to reuse.")
    var vocab: String?

    @Flag(help: "With --vocab: append the input's unseen words to the vocabulary with count 0.")
    var extendVocab = false

    @Option(help: "With --vocab, a label the training set lacks: fail, or keep the document as unknown (-1).")
    var unseenLabels: UnseenLabelPolicy = .fail

    @Flag(help: "An input without documents (empty, or blank lines only) writes a tokens file of 0 rows instead of failing.")
    var allowEmpty = false

    static func main() { mainWithOneLineErrors() }

    func run() throws {
        var options = TokenizeStage.Options()
        options.input = input
        options.output = output
        options.command = currentCommandLine
        options.reading = text.inputOptions(unlabeled: unlabeled)
        options.lowercase = noLowercase ? false : nil
        options.normalize = noNormalize ? false : nil
        options.characterLevel = charLevel ? true : nil
        options.maxLength = maxLen
        options.lexicalLength = lexicalLen
        options.minCount = minCount
        options.maxVocabularySize = maxVocab
        options.vocabularyFile = vocab
        options.extendVocabulary = extendVocab
        options.unseenLabels = unseenLabels
        options.allowEmpty = allowEmpty
        let report = try TokenizeStage(options: options).run()
        FileHandle.standardError.write(Data((report.description + "\n").utf8))
    }
}

extension UnseenLabelPolicy: ExpressibleByArgument {}
