/// Documents as fixed-length rows of token ids, ready to be stored.
public struct EncodedCorpus: Equatable, Sendable {
    /// The number of documents, N.
    public let count: Int
    /// Tokens per row, L.
    public let maxLength: Int
    /// Token ids, [N, L] row-major: row i holds document i's first
    /// `lengths[i]` ids, then `Vocabulary.padID` (0) to the end.
    public let ids: [Int32]
    /// Tokens kept per document, [N] (at most L).
    public let lengths: [Int32]
    /// The class (first label) index of each document, [N]; -1 when it has
    /// no label or its label is unseen (see `UnseenLabelPolicy`).
    public let labels: [Int32]
    /// Every label index of each document, in source order (-1 for unseen),
    /// for multi-label use.
    public let allLabels: [[Int32]]
    /// The 1-based source line of each document, [N].
    public let lines: [Int]
    public let statistics: CorpusStatistics

    /// Row `i` of `ids` (L ids, padding included).
    public func row(_ i: Int) -> ArraySlice<Int32> {
        ids[(i * maxLength)..<((i + 1) * maxLength)]
    }
}
