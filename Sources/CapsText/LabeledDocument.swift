/// One input record: its labels, its text and where it came from.
///
/// Labelled formats (TSV, CSV, fastText) give one or more labels; plain text
/// gives none. The first label is the document's class; the others are kept
/// for multi-label use.
public struct LabeledDocument: Equatable, Sendable {
    /// Label names in the order they were written (zero, one or several).
    public var labels: [String]
    /// The document text, not yet normalised or tokenised.
    public var text: String
    /// The 1-based line of the source on which the record starts (a CSV
    /// record with newlines inside quotes spans several lines).
    public var line: Int

    public init(labels: [String], text: String, line: Int) {
        self.labels = labels
        self.text = text
        self.line = line
    }
}

/// A document after tokenisation: what the vocabulary and the encoder consume.
public struct TokenizedDocument: Equatable, Sendable {
    /// Label names as in the source record.
    public var labels: [String]
    /// Tokens in text order.
    public var tokens: [String]
    /// The 1-based source line of the record.
    public var line: Int

    public init(labels: [String], tokens: [String], line: Int) {
        self.labels = labels
        self.tokens = tokens
        self.line = line
    }
}
