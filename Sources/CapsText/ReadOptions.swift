/// How `DocumentReader` interprets its input.
public struct ReadOptions: Equatable, Sendable {
    /// What to do with bytes that are not valid UTF-8.
    public enum InvalidUTF8Policy: Equatable, Sendable {
        /// Stop with an error naming the file and line.
        case fail
        /// Replace each invalid sequence with U+FFFD and count the line in
        /// `ReadStatistics.repairedLines`.
        case replace
    }

    /// The format, or nil to detect it (see `InputFormat.detect`).
    public var format: InputFormat?
    public var invalidUTF8: InvalidUTF8Policy
    /// The fastText label marker.
    public var labelPrefix: String
    /// Whether a fastText line without a label is an error (true) or an
    /// unlabelled document (false).
    public var labelsRequired: Bool
    /// Column choice for CSV input.
    public var csv: CSVOptions
    /// TSV and CSV: the character between several labels of one document
    /// in the label field (`a,b<TAB>text`), or nil for one label per field.
    /// fastText lines list several labels by themselves.
    public var labelSeparator: Character? = nil

    public init(format: InputFormat? = nil, invalidUTF8: InvalidUTF8Policy = .fail,
                labelPrefix: String = "__label__", labelsRequired: Bool = true,
                csv: CSVOptions = CSVOptions()) {
        self.format = format
        self.invalidUTF8 = invalidUTF8
        self.labelPrefix = labelPrefix
        self.labelsRequired = labelsRequired
        self.csv = csv
    }
}

/// A CSV column, chosen by 0-based index or by header name.
public enum CSVColumn: Equatable, Sendable, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    case index(Int)
    case name(String)

    public init(integerLiteral value: Int) { self = .index(value) }
    public init(stringLiteral value: String) { self = .name(value) }
}

/// Which CSV columns hold the label and the text.
///
/// For AG News (`class,title,description` with a header):
/// `CSVOptions(hasHeader: true, labelColumn: "class", textColumns: ["title", "description"])`.
public struct CSVOptions: Equatable, Sendable {
    /// The field separator (`,` per RFC 4180; `;` is common in some locales).
    public var separator: Unicode.Scalar
    /// Whether the first non-blank record names the columns (it is not a document).
    public var hasHeader: Bool
    /// The label column, or nil for unlabelled CSV.
    public var labelColumn: CSVColumn?
    /// The text columns; their non-empty fields are joined with one space.
    public var textColumns: [CSVColumn]

    public init(separator: Unicode.Scalar = ",", hasHeader: Bool = false,
                labelColumn: CSVColumn? = .index(0), textColumns: [CSVColumn] = [.index(1)]) {
        self.separator = separator
        self.hasHeader = hasHeader
        self.labelColumn = labelColumn
        self.textColumns = textColumns
    }
}

/// Counts a reader keeps about lines that did not become documents as written.
public struct ReadStatistics: Equatable, Sendable {
    /// Blank (empty or all-whitespace) lines skipped between records of a
    /// labelled format. Plain text keeps them as empty documents instead.
    public var skippedBlankLines = 0
    /// Lines whose invalid UTF-8 was replaced with U+FFFD.
    public var repairedLines = 0

    public init(skippedBlankLines: Int = 0, repairedLines: Int = 0) {
        self.skippedBlankLines = skippedBlankLines
        self.repairedLines = repairedLines
    }
}
