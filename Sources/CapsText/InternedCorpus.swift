/// A corpus encoded while it streams, before its vocabulary exists: each
/// distinct token gets a provisional index in order of first appearance (with
/// its count over the whole corpus), each distinct label likewise, and each
/// document keeps only what its encoded row needs — its first L provisional
/// indices, its length and its labels' provisional indices. Once the corpus
/// is read, `encode` maps the provisional indices to a vocabulary's ids and a
/// label set's indices and derives every `CorpusStatistics` field from the
/// counts.
///
/// This is `CorpusEncoder` without holding every document's token strings:
/// memory grows with N × L ids and the number of distinct tokens, not with the
/// corpus's text, so `tokenize` can build a vocabulary from a million
/// documents in one pass. The result is the one `CorpusEncoder` gives for the
/// same documents and vocabulary, id for id and count for count.
public struct InternedCorpus: Sendable {
    /// Row length L.
    public let maxLength: Int
    /// Row length L_x of the longer lexical view (`Encoded.lexicalIds`), 0 for none.
    public let lexicalLength: Int
    /// Distinct tokens by provisional index, in order of first appearance.
    public private(set) var tokens: [String] = []
    /// Occurrences of each distinct token, at every position (truncated tails included).
    private var tokenCounts: [Int64] = []
    private var tokenIndices: [String: Int32] = [:]
    /// Distinct label names by provisional index, in order of first appearance.
    public private(set) var labelNames: [String] = []
    private var labelIndices: [String: Int32] = [:]
    /// Per label: documents whose first label it is, documents' mentions of
    /// it (all positions), and the line of its first mention — what
    /// `encode` needs for `labelCounts`, `unseenLabels` and the error naming
    /// the first unseen label.
    private var firstLabelCounts: [Int] = []
    private var labelMentions: [Int] = []
    private var labelFirstLines: [Int] = []
    /// Provisional token indices, [N, L] row-major; `padding` past a document's end.
    private var rows: [Int32] = []
    /// Provisional token indices, [N, L_x] row-major, with a lexical view.
    private var lexicalRows: [Int32] = []
    private var lengths: [Int32] = []
    /// Every document's provisional label indices, in CSR form (see `Encoded`).
    private var labelOffsets: [Int64] = [0]
    private var documentLabels: [Int32] = []
    /// The statistics that do not depend on the vocabulary or the label set.
    private var statistics = CorpusStatistics()

    /// Marks a row position past the document's end (no provisional index is negative).
    private static let padding: Int32 = -1

    /// - Parameter lexicalLength: also keep each document's first L_x ≥ L
    ///   tokens (0: no such view), for lexical capsules that read past L.
    public init(maxLength: Int, lexicalLength: Int = 0) {
        precondition(maxLength > 0, "rows need at least one token")
        precondition(lexicalLength == 0 || lexicalLength >= maxLength, "the lexical view is at least L tokens")
        self.maxLength = maxLength
        self.lexicalLength = lexicalLength
    }

    /// The number of documents added, N.
    public var count: Int { lengths.count }

    /// Adds the next document.
    public mutating func add(_ document: TokenizedDocument) {
        let tokenCount = document.tokens.count
        statistics.documents += 1
        statistics.tokens += tokenCount
        if tokenCount == 0 { statistics.emptyDocuments += 1 }
        if tokenCount > maxLength { statistics.truncatedDocuments += 1 }
        for (j, token) in document.tokens.enumerated() {
            let index = intern(token)
            if j < maxLength { rows.append(index) }
            if j < lexicalLength { lexicalRows.append(index) }
        }
        let kept = min(tokenCount, maxLength)
        rows.append(contentsOf: repeatElement(Self.padding, count: maxLength - kept))
        if lexicalLength > 0 {
            lexicalRows.append(contentsOf: repeatElement(Self.padding, count: lexicalLength - min(tokenCount, lexicalLength)))
        }
        lengths.append(Int32(kept))

        for (position, name) in document.labels.enumerated() {
            let index = internLabel(name, line: document.line)
            labelMentions[Int(index)] += 1
            if position == 0 { firstLabelCounts[Int(index)] += 1 }
            documentLabels.append(index)
        }
        labelOffsets.append(Int64(documentLabels.count))
        if document.labels.isEmpty { statistics.unlabeledDocuments += 1 }
    }

    /// The tokens document `i` keeps (its first L at most), as strings:
    /// what `encode` maps to ids, spelled as in the input.
    public func tokens(ofDocument i: Int) -> [String] {
        rows[(i * maxLength)..<((i + 1) * maxLength)].prefix { $0 != Self.padding }.map { tokens[Int($0)] }
    }

    /// The tokens of document i's lexical view (its first L_x at most), as
    /// strings; its first L tokens without a lexical view.
    public func lexicalTokens(ofDocument i: Int) -> [String] {
        guard lexicalLength > 0 else { return tokens(ofDocument: i) }
        return lexicalRows[(i * lexicalLength)..<((i + 1) * lexicalLength)].prefix { $0 != Self.padding }.map { tokens[Int($0)] }
    }

    private mutating func intern(_ token: String) -> Int32 {
        if let index = tokenIndices[token] {
            tokenCounts[Int(index)] += 1
            return index
        }
        let index = Int32(tokens.count)
        tokenIndices[token] = index
        tokens.append(token)
        tokenCounts.append(1)
        return index
    }

    private mutating func internLabel(_ name: String, line: Int) -> Int32 {
        if let index = labelIndices[name] { return index }
        let index = Int32(labelNames.count)
        labelIndices[name] = index
        labelNames.append(name)
        firstLabelCounts.append(0)
        labelMentions.append(0)
        labelFirstLines.append(line)
        return index
    }

    /// The training vocabulary of the documents added, exactly as
    /// `Vocabulary(counter:minCount:maxSize:)` builds it from the same tokens.
    public func vocabulary(minCount: Int64 = 1, maxSize: Int? = nil) -> Vocabulary {
        Vocabulary(tokenCounts: zip(tokens, tokenCounts), minCount: minCount, maxSize: maxSize)
    }

    /// The documents as `CorpusEncoder` encodes them.
    public struct Encoded: Sendable {
        /// Token ids, [N, L] row-major, padded with `Vocabulary.padID`.
        public var ids: [Int32]
        /// Tokens kept per document, [N] (at most L).
        public var lengths: [Int32]
        /// With a lexical view: each document's first L_x token ids, [N, L_x]
        /// row-major, padded with `Vocabulary.padID`; nil without one.
        public var lexicalIds: [Int32]?
        /// The class (first label) index of each document, [N]; -1 when it has
        /// no label, its label is unseen, or there is no label set.
        public var labels: [Int32]
        /// Every label index of every document in source order (-1 for
        /// unseen), in CSR form: document i's are
        /// `labelIndices[labelOffsets[i] ..< labelOffsets[i + 1]]`.
        public var labelOffsets: [Int64]
        public var labelIndices: [Int32]
        /// Whether some document has more than one label.
        public var isMultiLabel: Bool
        public var statistics: CorpusStatistics
    }

    /// Maps the documents onto `vocabulary` (tokens it lacks become `<unk>`)
    /// and `labelSet` (nil for unlabelled input: all labels -1). The rows
    /// move into the result, so the corpus is left with none: N × L ids are
    /// never held twice. Under `UnseenLabelPolicy.fail` a label outside the set
    /// throws for its first mention, the one `CorpusEncoder` stops at;
    /// `source` names it and `reading` carries the reader's counts.
    public mutating func encode(vocabulary: Vocabulary, labelSet: LabelSet?, unseenLabels: UnseenLabelPolicy = .fail,
                                 source: String, reading: ReadStatistics = ReadStatistics()) throws -> Encoded {
        var stats = statistics
        stats.vocabularySize = vocabulary.count
        stats.skippedLines = reading.skippedBlankLines
        stats.repairedLines = reading.repairedLines

        // Provisional label → final index; labels are interned in order of
        // first mention, so the first unseen one is the one to report.
        var labelMap = [Int32](repeating: -1, count: labelNames.count)
        if let labelSet {
            for (index, name) in labelNames.enumerated() {
                if let final = labelSet.index(of: name) {
                    labelMap[index] = final
                    if firstLabelCounts[index] > 0 { stats.labelCounts[name] = firstLabelCounts[index] }
                    continue
                }
                switch unseenLabels {
                case .fail:
                    throw TextInputError(source: source, line: labelFirstLines[index],
                                         problem: .unseenLabel(name, known: labelSet.count))
                case .markUnknown:
                    stats.unseenLabels[name] = labelMentions[index]
                }
            }
        }

        // Provisional token → final id; a token's every occurrence is unknown or none is.
        let tokenMap = tokens.map(vocabulary.id(for:))
        for (index, id) in tokenMap.enumerated() where id == Vocabulary.unknownID {
            stats.unknownTokens += Int(tokenCounts[index])
        }
        var ids: [Int32] = []
        swap(&ids, &rows)
        for k in ids.indices {
            ids[k] = ids[k] == Self.padding ? Vocabulary.padID : tokenMap[Int(ids[k])]
        }
        var lexicalIds: [Int32]? = nil
        if lexicalLength > 0 {
            var view: [Int32] = []
            swap(&view, &lexicalRows)
            for k in view.indices {
                view[k] = view[k] == Self.padding ? Vocabulary.padID : tokenMap[Int(view[k])]
            }
            lexicalIds = view
        }

        let labelIndices = documentLabels.map { labelMap[Int($0)] }
        let labels = (0..<count).map { i in
            labelOffsets[i] < labelOffsets[i + 1] ? labelIndices[Int(labelOffsets[i])] : -1
        }
        let isMultiLabel = (0..<count).contains { labelOffsets[$0 + 1] - labelOffsets[$0] > 1 }
        return Encoded(ids: ids, lengths: lengths, lexicalIds: lexicalIds, labels: labels, labelOffsets: labelOffsets,
                       labelIndices: labelIndices, isMultiLabel: isMultiLabel, statistics: stats)
    }
}
