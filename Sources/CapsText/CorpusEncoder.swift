/// Turns tokenised documents into fixed-length id rows and label indices.
///
/// It needs every document in memory at once; the stages stream through
/// `InternedCorpus` instead, which encodes exactly as this does (the tests
/// hold it to this), for corpora too large to keep as token strings.
public struct CorpusEncoder: Sendable {
    public var vocabulary: Vocabulary
    /// The training label set, or nil for unlabelled input (all labels -1).
    public var labelSet: LabelSet?
    /// Row length L: longer documents are truncated (their first L tokens
    /// kept), shorter ones padded with 0 at the end.
    public var maxLength: Int
    public var unseenLabels: UnseenLabelPolicy

    public init(vocabulary: Vocabulary, labelSet: LabelSet?, maxLength: Int,
                unseenLabels: UnseenLabelPolicy = .fail) {
        precondition(maxLength > 0, "rows need at least one token")
        self.vocabulary = vocabulary
        self.labelSet = labelSet
        self.maxLength = maxLength
        self.unseenLabels = unseenLabels
    }

    /// Encodes `documents` read from `source` (named in errors); `reading`
    /// carries the reader's counts into the statistics.
    public func encode(_ documents: [TokenizedDocument], source: String,
                       reading: ReadStatistics = ReadStatistics()) throws -> EncodedCorpus {
        let n = documents.count
        var ids = [Int32](repeating: Vocabulary.padID, count: n * maxLength)
        var lengths = [Int32](repeating: 0, count: n)
        var labels = [Int32](repeating: -1, count: n)
        var allLabels: [[Int32]] = []
        allLabels.reserveCapacity(n)
        var stats = CorpusStatistics()
        stats.documents = n
        stats.vocabularySize = vocabulary.count
        stats.skippedLines = reading.skippedBlankLines
        stats.repairedLines = reading.repairedLines

        for (i, document) in documents.enumerated() {
            let tokens = document.tokens
            stats.tokens += tokens.count
            if tokens.isEmpty { stats.emptyDocuments += 1 }
            if tokens.count > maxLength { stats.truncatedDocuments += 1 }
            for (j, token) in tokens.enumerated() {
                let id = vocabulary.id(for: token)
                if id == Vocabulary.unknownID { stats.unknownTokens += 1 }
                if j < maxLength { ids[i * maxLength + j] = id }
            }
            lengths[i] = Int32(min(tokens.count, maxLength))

            let indices = try document.labels.map { try labelIndex($0, line: document.line, source: source, stats: &stats) }
            allLabels.append(indices)
            if let first = document.labels.first {
                labels[i] = indices[0]
                if indices[0] >= 0 { stats.labelCounts[first, default: 0] += 1 }
            } else {
                stats.unlabeledDocuments += 1
            }
        }
        return EncodedCorpus(count: n, maxLength: maxLength, ids: ids, lengths: lengths, labels: labels,
                             allLabels: allLabels, lines: documents.map(\.line), statistics: stats)
    }

    /// Tokenises and encodes `documents`.
    public func encode(_ documents: [LabeledDocument], tokenizer: Tokenizer, source: String,
                       reading: ReadStatistics = ReadStatistics()) throws -> EncodedCorpus {
        try encode(documents.map(tokenizer.tokenize), source: source, reading: reading)
    }

    private func labelIndex(_ name: String, line: Int, source: String,
                            stats: inout CorpusStatistics) throws -> Int32 {
        guard let labelSet else { return -1 }
        if let index = labelSet.index(of: name) { return index }
        switch unseenLabels {
        case .fail:
            throw TextInputError(source: source, line: line, problem: .unseenLabel(name, known: labelSet.count))
        case .markUnknown:
            stats.unseenLabels[name, default: 0] += 1
            return -1
        }
    }
}
