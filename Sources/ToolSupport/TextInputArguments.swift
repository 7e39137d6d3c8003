import ArgumentParser
import CapsArtifacts
import CapsKit
import CapsText

/// The options that say how to read a text file, shared by `tokenize`,
/// `capssplit` and `capseval` (`@OptionGroup var text: TextInputArguments`),
/// so the three tools spell and document them the same way.
public struct TextInputArguments: ParsableArguments {
    @Option(help: "Input format: tsv, csv, fasttext or plain (default: detect from the extension and first line).")
    public var format: InputFormat?

    @Flag(help: "CSV: the first record is a header naming the columns.")
    public var csvHeader = false

    @Option(help: "CSV: the label column, a 0-based index or a header name (default 0).")
    public var labelColumn: String?

    @Option(help: "CSV: the text columns, comma-separated indices or header names, joined with a space (default 1).")
    public var textColumns: String?

    @Option(help: "CSV: the field separator, one character or 'tab' (default ,).")
    public var csvSeparator: String?

    @Option(help: "fastText: the label marker.")
    public var labelPrefix = "__label__"

    @Option(help: "TSV and CSV: the character between several labels of one document (e.g. , for 'a,b<TAB>text'); multi-label data. fastText lines list several labels by themselves.")
    public var labelSeparator: String?

    @Option(help: "Bytes that are not UTF-8: fail (naming the line), or replace them with U+FFFD.")
    public var invalidUtf8: InvalidUTF8Choice = .fail

    public init() {}

    /// These choices as the library's input options (`unlabeled` as given).
    public func inputOptions(unlabeled: Bool = false) -> InputOptions {
        var options = InputOptions()
        options.format = format
        options.csvHeader = csvHeader
        options.labelColumn = labelColumn
        options.textColumns = textColumns
        options.csvSeparator = csvSeparator
        options.labelPrefix = labelPrefix
        options.labelSeparator = labelSeparator
        options.unlabeled = unlabeled
        options.invalidUTF8 = invalidUtf8 == .replace ? .replace : .fail
        return options
    }
}

public enum InvalidUTF8Choice: String, ExpressibleByArgument, CaseIterable { case fail, replace }
extension InputFormat: ExpressibleByArgument {}
