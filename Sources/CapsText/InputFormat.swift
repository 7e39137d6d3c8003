import Foundation

/// The line formats a text file can have.
public enum InputFormat: String, CaseIterable, Sendable {
    /// `label<TAB>text` per line.
    case tsv
    /// RFC 4180 comma-separated values (see `CSVOptions`).
    case csv
    /// fastText: `__label__A __label__B text` per line.
    case fastText = "fasttext"
    /// One unlabelled document per line.
    case plain

    /// The format implied by a path's extension and, where the extension does
    /// not settle it, by the first non-blank line of the input.
    ///
    /// `.tsv` → TSV and `.csv` → CSV whatever the content. `.txt` → fastText
    /// when the first non-blank line starts with `labelPrefix`, else plain.
    /// Any other extension, and standard input, is sniffed: the fastText
    /// prefix → fastText, a tab → TSV, else plain.
    public static func detect(path: String, firstNonBlankLine: String?,
                              labelPrefix: String = "__label__") -> InputFormat {
        let ext = path.isEmpty ? "" : URL(fileURLWithPath: path).pathExtension.lowercased()
        let startsWithLabel = firstNonBlankLine.map {
            $0.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix(labelPrefix)
        } ?? false
        switch ext {
        case "tsv": return .tsv
        case "csv": return .csv
        case "txt": return startsWithLabel ? .fastText : .plain
        default:
            if startsWithLabel { return .fastText }
            if firstNonBlankLine?.contains("\t") == true { return .tsv }
            return .plain
        }
    }
}
