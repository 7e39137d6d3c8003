import Foundation

/// Reads labelled (or plain) documents from a file, standard input or bytes
/// in memory, one record at a time.
///
/// Format rules (the format itself comes from `ReadOptions.format` or
/// `InputFormat.detect`):
/// - TSV: the label is everything before the first tab, the text everything
///   after it; further tabs stay in the text (the tokenizer treats them as
///   spaces). `label<TAB>` with nothing after is an empty document. A line
///   without a tab is an error.
/// - CSV: RFC 4180 (see `DocumentReader+CSV.swift`).
/// - fastText: leading `__label__X` words are labels (several allowed), the
///   rest of the line is the text; a prefixed word later in the text is text.
/// - plain: every line is one unlabelled document, blank lines included, so
///   documents stay one-to-one with input lines.
///
/// Labels are trimmed of surrounding whitespace and may not be empty. In the
/// labelled formats, blank lines are skipped and counted in `statistics`.
/// Every document carries the 1-based line on which it starts.
public struct DocumentReader {
    /// The file path, or `<stdin>` / the name given for in-memory input.
    public let source: String
    /// The format in use (given or detected).
    public let format: InputFormat
    public let options: ReadOptions
    /// Skipped and repaired lines so far.
    public internal(set) var statistics = ReadStatistics()

    private var lines: LineReader
    /// Lines read ahead while detecting the format, replayed first.
    private var lookahead: [(bytes: [UInt8], number: Int)] = []
    /// CSV state: the record being assembled, and the column indices once known.
    var csvParser: CSVRecordParser
    var csvColumns: CSVColumnIndices?

    /// Opens `path`, or standard input when `path` is `-`.
    public init(path: String, options: ReadOptions = ReadOptions()) throws {
        if path == "-" {
            try self.init(lines: LineReader(handle: .standardInput), source: "<stdin>",
                          detectionPath: "", options: options)
            return
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TextInputError(source: path, line: nil, problem: .unreadable("no such file"))
        }
        guard !isDirectory.boolValue, let handle = FileHandle(forReadingAtPath: path) else {
            throw TextInputError(source: path, line: nil,
                                 problem: .unreadable(isDirectory.boolValue ? "is a directory" : "permission denied"))
        }
        try self.init(lines: LineReader(handle: handle), source: path, detectionPath: path, options: options)
    }

    /// Reads bytes already in memory; `source` names them in errors and, through
    /// its extension, guides format detection like a path would.
    public init(data: Data, source: String, options: ReadOptions = ReadOptions()) throws {
        try self.init(lines: LineReader(data: data), source: source, detectionPath: source, options: options)
    }

    private init(lines: LineReader, source: String, detectionPath: String, options: ReadOptions) throws {
        var lines = lines
        var lookahead: [(bytes: [UInt8], number: Int)] = []
        if let format = options.format {
            self.format = format
        } else {
            // Read ahead to the first non-blank line; it is replayed afterwards.
            var firstNonBlank: String?
            while firstNonBlank == nil, let bytes = try Self.read(&lines, source: source) {
                lookahead.append((bytes, lines.lineNumber))
                let text = String(decoding: bytes, as: UTF8.self)
                if !Self.isBlank(text) { firstNonBlank = text }
            }
            self.format = InputFormat.detect(path: detectionPath, firstNonBlankLine: firstNonBlank,
                                             labelPrefix: options.labelPrefix)
        }
        self.lines = lines
        self.lookahead = lookahead
        self.source = source
        self.options = options
        self.csvParser = CSVRecordParser(separator: options.csv.separator)
        if format == .csv, !options.csv.hasHeader {
            csvColumns = try CSVColumnIndices(options: options.csv, header: nil, source: source, line: nil)
        }
    }

    /// The next document, or nil at the end of the input.
    public mutating func next() throws -> LabeledDocument? {
        if format == .csv { return try nextCSV() }
        while let (text, number) = try nextLine() {
            switch format {
            case .plain:
                return LabeledDocument(labels: [], text: text, line: number)
            case .tsv, .fastText:
                if Self.isBlank(text) {
                    statistics.skippedBlankLines += 1
                    continue
                }
                return format == .tsv ? try parseTSV(text, line: number) : try parseFastText(text, line: number)
            case .csv:
                preconditionFailure("CSV records are read by nextCSV")
            }
        }
        return nil
    }

    /// All remaining documents.
    public mutating func readAll() throws -> [LabeledDocument] {
        var documents: [LabeledDocument] = []
        while let document = try next() { documents.append(document) }
        return documents
    }

    /// The next decoded line and its number, applying the UTF-8 policy.
    mutating func nextLine() throws -> (String, Int)? {
        let bytes: [UInt8], number: Int
        if !lookahead.isEmpty {
            (bytes, number) = lookahead.removeFirst()
        } else if let read = try Self.read(&lines, source: source) {
            (bytes, number) = (read, lines.lineNumber)
        } else {
            return nil
        }
        if let text = String(validating: bytes, as: UTF8.self) { return (text, number) }
        guard options.invalidUTF8 == .replace else {
            throw TextInputError(source: source, line: number, problem: .invalidUTF8)
        }
        statistics.repairedLines += 1
        return (String(decoding: bytes, as: UTF8.self), number)
    }

    private static func read(_ lines: inout LineReader, source: String) throws -> [UInt8]? {
        do {
            return try lines.nextLine()
        } catch {
            throw TextInputError(source: source, line: lines.lineNumber + 1,
                                 problem: .unreadable(error.localizedDescription))
        }
    }

    static func isBlank(_ text: String) -> Bool {
        text.allSatisfy(\.isWhitespace)
    }

    /// The labels of a TSV or CSV label field: the whole field, or its parts
    /// between `ReadOptions.labelSeparator`s (each non-empty, in order).
    func labels(_ field: Substring, line: Int) throws -> [String] {
        guard let separator = options.labelSeparator else { return [try label(field, line: line)] }
        return try field.split(separator: separator, omittingEmptySubsequences: false).map { try label($0, line: line) }
    }

    /// A label field trimmed of whitespace, or an error when nothing is left.
    func label(_ field: Substring, line: Int) throws -> String {
        let trimmed = field.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw TextInputError(source: source, line: line, problem: .emptyLabel)
        }
        return trimmed
    }
}
