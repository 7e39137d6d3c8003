/// What a tokenisation run did, for the tool's summary.
public struct CorpusStatistics: Equatable, Sendable {
    /// Documents encoded.
    public var documents = 0
    /// Tokens produced by the tokenizer, before truncation.
    public var tokens = 0
    /// Of `tokens`, those mapped to `<unk>`.
    public var unknownTokens = 0
    /// Entries in the vocabulary used (`<pad>` and `<unk>` included).
    public var vocabularySize = 0
    /// Documents with more tokens than the row length (their tail is cut).
    public var truncatedDocuments = 0
    /// Documents with no tokens at all.
    public var emptyDocuments = 0
    /// Documents with no label (plain text, or fastText with labels optional).
    public var unlabeledDocuments = 0
    /// Lines the reader skipped (blank lines of labelled formats).
    public var skippedLines = 0
    /// Lines whose invalid UTF-8 was replaced with U+FFFD.
    public var repairedLines = 0
    /// Documents per class (first label), by label name.
    public var labelCounts: [String: Int] = [:]
    /// Unseen label names (kept under `UnseenLabelPolicy.markUnknown`), with
    /// the number of documents carrying each.
    public var unseenLabels: [String: Int] = [:]

    public init() {}

    /// `unknownTokens / tokens` (0 when there are no tokens).
    public var unknownRate: Double {
        tokens == 0 ? 0 : Double(unknownTokens) / Double(tokens)
    }

    /// `truncatedDocuments / documents` (0 when there are none).
    public var truncatedShare: Double {
        documents == 0 ? 0 : Double(truncatedDocuments) / Double(documents)
    }
}

extension CorpusStatistics: CustomStringConvertible {
    /// A multi-line summary, one fact per line.
    public var description: String {
        func percent(_ x: Double) -> String {
            let tenths = (x * 1000).rounded()
            return "\(Int(tenths) / 10).\(Int(tenths) % 10)%"
        }
        var lines = [
            "documents:          \(documents)",
            "tokens:             \(tokens)",
            "vocabulary size:    \(vocabularySize)",
            "unknown tokens:     \(unknownTokens) (\(percent(unknownRate)))",
            "truncated docs:     \(truncatedDocuments) (\(percent(truncatedShare)))",
            "empty documents:    \(emptyDocuments)",
        ]
        if unlabeledDocuments > 0 { lines.append("unlabeled docs:     \(unlabeledDocuments)") }
        if skippedLines > 0 { lines.append("skipped lines:      \(skippedLines)") }
        if repairedLines > 0 { lines.append("repaired UTF-8:     \(repairedLines) lines") }
        let byName = { (a: (key: String, value: Int), b: (key: String, value: Int)) in
            a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
        }
        if !labelCounts.isEmpty {
            lines.append("labels:             \(labelCounts.count)")
            lines += labelCounts.sorted(by: byName).map { "  \($0.key): \($0.value)" }
        }
        if !unseenLabels.isEmpty {
            lines.append("unseen labels:      \(unseenLabels.values.reduce(0, +)) documents")
            lines += unseenLabels.sorted(by: byName).map { "  \($0.key): \($0.value)" }
        }
        return lines.joined(separator: "\n")
    }
}
