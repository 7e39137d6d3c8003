/// Assembles RFC 4180 records from decoded lines.
///
/// A field that starts with `"` is quoted: inside it, `""` is one quote and
/// separators and line ends are literal (a line end inside quotes becomes
/// `\n`, whatever the file used). After the closing quote only a separator
/// or the end of the record may follow. A quote in the middle of an unquoted
/// field is kept as a literal character (lenient, as most CSV writers and
/// readers behave), not an error.
struct CSVRecordParser {
    let separator: Unicode.Scalar
    private var fields: [String] = []
    private var field = String.UnicodeScalarView()
    private var inQuotes = false
    private var fieldWasQuoted = false
    private var afterClosingQuote = false
    /// The line on which the record being assembled started, if one is open.
    private(set) var recordStartLine: Int?

    init(separator: Unicode.Scalar) {
        self.separator = separator
    }

    /// Feeds one physical line; returns the record's fields once it is complete,
    /// or nil while a quoted field continues on the next line.
    mutating func feed(_ line: String, number: Int, source: String) throws -> [String]? {
        if recordStartLine == nil { recordStartLine = number }
        let scalars = Array(line.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < scalars.count, scalars[i + 1] == "\"" {
                        field.append("\"")
                        i += 1
                    } else {
                        inQuotes = false
                        afterClosingQuote = true
                    }
                } else {
                    field.append(c)
                }
            } else if c == separator {
                endField()
            } else if afterClosingQuote {
                throw TextInputError(source: source, line: number,
                                     problem: .textAfterClosingQuote(Character(c)))
            } else if c == "\"", field.isEmpty, !fieldWasQuoted {
                inQuotes = true
                fieldWasQuoted = true
            } else {
                field.append(c)
            }
            i += 1
        }
        if inQuotes {
            field.append("\n")
            return nil
        }
        endField()
        defer {
            fields = []
            recordStartLine = nil
        }
        return fields
    }

    private mutating func endField() {
        fields.append(String(field))
        field = String.UnicodeScalarView()
        fieldWasQuoted = false
        afterClosingQuote = false
    }
}

/// The 0-based field indices of the label and text columns of a CSV file.
struct CSVColumnIndices {
    var label: Int?
    var text: [Int]

    /// Resolves `options`' columns against the header (nil when the file has none).
    init(options: CSVOptions, header: [String]?, source: String, line: Int?) throws {
        func resolve(_ column: CSVColumn) throws -> Int {
            switch column {
            case .index(let index):
                return index
            case .name(let name):
                let trimmedHeader = header?.map { $0.trimmingCharacters(in: .whitespaces) }
                guard let index = trimmedHeader?.firstIndex(of: name) else {
                    throw TextInputError(source: source, line: line,
                                         problem: .unknownColumn(name, available: trimmedHeader ?? []))
                }
                return index
            }
        }
        label = try options.labelColumn.map(resolve)
        text = try options.textColumns.map(resolve)
    }

    /// The number of fields a record needs to hold every chosen column.
    var requiredFieldCount: Int {
        ((text + [label ?? -1]).max() ?? -1) + 1
    }
}
