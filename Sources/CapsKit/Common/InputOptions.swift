import CapsText
import Foundation

/// The text-input options shared by `tokenize` and `capssplit`, as given on
/// the command line, turned into `ReadOptions` by `readOptions()`.
public struct InputOptions: Equatable, Sendable {
    /// The format, or nil to detect it from the extension and first line.
    public var format: InputFormat?
    /// CSV: the first record names the columns.
    public var csvHeader = false
    /// CSV: the label column, a 0-based index or a header name (default 0).
    public var labelColumn: String?
    /// CSV: comma-separated text columns, indices or header names (default 1).
    public var textColumns: String?
    /// CSV: the field separator, one character; `tab` or `\t` for a tab.
    public var csvSeparator: String?
    /// fastText: the label marker.
    public var labelPrefix = "__label__"
    /// TSV and CSV: one character between several labels of a document (`a,b`).
    public var labelSeparator: String?
    public var invalidUTF8: ReadOptions.InvalidUTF8Policy = .fail
    /// The input has no labels: plain text, or CSV with text columns only.
    public var unlabeled = false

    public init() {}

    /// The reader options these choices mean.
    /// - Throws: `OptionError` for a bad column or separator, or for
    ///   `--unlabeled` with a labelled format.
    public func readOptions() throws -> ReadOptions {
        var csv = CSVOptions(hasHeader: csvHeader)
        if let csvSeparator { csv.separator = try Self.separator(csvSeparator) }
        if let labelColumn { csv.labelColumn = try Self.column(labelColumn, option: "--label-column") }
        if let textColumns {
            let parts = textColumns.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            csv.textColumns = try parts.map { try Self.column($0, option: "--text-columns") }
        }
        var format = self.format
        if unlabeled {
            switch format {
            case nil: format = .plain
            case .plain?: break
            case .csv?:
                guard labelColumn == nil else { throw OptionError("--unlabeled and --label-column contradict each other") }
                csv.labelColumn = nil
            case let other?:
                throw OptionError("--unlabeled reads plain text or CSV text columns; --format \(other.rawValue) always has labels")
            }
        }
        guard !labelPrefix.isEmpty, !labelPrefix.contains(where: \.isWhitespace) else {
            throw OptionError("--label-prefix '\(labelPrefix)' must be non-empty and without spaces")
        }
        var options = ReadOptions(format: format, invalidUTF8: invalidUTF8, labelPrefix: labelPrefix,
                                  labelsRequired: true, csv: csv)
        if let labelSeparator {
            guard labelSeparator.count == 1, let character = labelSeparator.first, character != "\t", character != "\n",
                  !(format == .csv && String(character) == String(csv.separator)) else {
                throw OptionError("--label-separator '\(labelSeparator)' must be one character other than a tab, a newline or the CSV field separator")
            }
            options.labelSeparator = character
        }
        return options
    }

    /// Whether documents read with `options` carry labels.
    static func isLabeled(_ options: ReadOptions, detected format: InputFormat) -> Bool {
        switch format {
        case .plain: return false
        case .csv: return options.csv.labelColumn != nil
        case .tsv, .fastText: return true
        }
    }

    static func column(_ text: String, option: String) throws -> CSVColumn {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw OptionError("\(option) '\(text)' names an empty column; expected an index or a header name") }
        if let index = Int(trimmed) {
            guard index >= 0 else { throw OptionError("\(option) \(index): column indices start at 0") }
            return .index(index)
        }
        return .name(trimmed)
    }

    static func separator(_ text: String) throws -> Unicode.Scalar {
        switch text {
        case "tab", "\\t", "\t": return "\t"
        default:
            let scalars = text.unicodeScalars
            guard scalars.count == 1, let scalar = scalars.first, scalar != "\"", scalar != "\n", scalar != "\r" else {
                throw OptionError("--csv-separator '\(text)' must be one character other than a quote or line end (or 'tab')")
            }
            return scalar
        }
    }
}
