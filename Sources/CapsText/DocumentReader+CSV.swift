/// CSV records (RFC 4180): quoted fields, doubled quotes, line ends inside
/// quotes, an optional header row, label and text columns chosen by index or
/// header name. Text columns are joined with one space, skipping empty ones.
/// A record may have more fields than the chosen columns need, not fewer.
/// Blank lines between records are skipped and counted.
extension DocumentReader {
    mutating func nextCSV() throws -> LabeledDocument? {
        while let (text, number) = try nextLine() {
            if csvParser.recordStartLine == nil, Self.isBlank(text) {
                statistics.skippedBlankLines += 1
                continue
            }
            let start = csvParser.recordStartLine ?? number
            guard let fields = try csvParser.feed(text, number: number, source: source) else { continue }
            guard let columns = csvColumns else {
                // The first record of a file with a header names the columns.
                csvColumns = try CSVColumnIndices(options: options.csv, header: fields, source: source, line: start)
                continue
            }
            guard fields.count >= columns.requiredFieldCount else {
                throw TextInputError(source: source, line: start,
                                     problem: .tooFewFields(expected: columns.requiredFieldCount, found: fields.count))
            }
            let labels = try columns.label.map { try self.labels(fields[$0][...], line: start) } ?? []
            let body = columns.text.map { fields[$0] }.filter { !$0.isEmpty }.joined(separator: " ")
            return LabeledDocument(labels: labels, text: body, line: start)
        }
        if let open = csvParser.recordStartLine {
            throw TextInputError(source: source, line: open, problem: .unterminatedQuote)
        }
        return nil
    }
}
