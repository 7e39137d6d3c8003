import CapsStorage
import CapsText

extension TokensFile {
    /// Rows per chunk of `/ids`: 1024 rows × 40 ids × 4 bytes ≈ 160 KiB.
    static let idChunkRows = 1024
    /// zlib level for `/ids`: token ids compress well even at a low level.
    static let deflateLevel = 4

    /// Every root attribute the file holds: the artifact header, then the
    /// content's own (an embedded file copies them with the prefix `tokens_`).
    public var rootAttributes: [(String, H5AttributeValue)] {
        Self.format.attributes + provenance.attributes + contentAttributes
    }

    /// The attributes that describe this corpus (everything but the header).
    var contentAttributes: [(String, H5AttributeValue)] {
        settings.attributes
            + [("train_vocab_size", .int(Int64(trainVocabularySize))),
               ("source", .string(source)), ("source_sha256", .string(sourceSHA256))]
            + statistics.attributes(labelNames: labelNames)
    }

    /// Writes the file at `path` all-or-nothing (see `ArtifactWriter`).
    public func write(to path: String) throws {
        try ArtifactWriter.write(Self.format, provenance: provenance, to: path) { file in
            let n = count, l = maxLength
            try file.write(ids, shape: [n, l], to: "/ids",
                           options: H5WriteOptions(chunkRows: Self.idChunkRows, deflateLevel: Self.deflateLevel))
            try file.write(lengths, shape: [n], to: "/lengths")
            if let lexicalIds {
                try file.write(lexicalIds, shape: [n, settings.lexicalLength], to: "/lexical_ids",
                               options: H5WriteOptions(chunkRows: Self.idChunkRows, deflateLevel: Self.deflateLevel))
            }
            if let labels { try file.write(labels, shape: [n], to: "/labels") }
            try file.write(strings: labelNames, to: "/label_names")
            try file.write(strings: vocabulary.tokens, to: "/vocab")
            try file.write(vocabulary.counts, shape: [vocabulary.count], to: "/vocab_counts")
            if let allLabels {
                try file.write(allLabels.offsets, shape: [allLabels.offsets.count], to: "/label_offsets")
                try file.write(allLabels.indices, shape: [allLabels.indices.count], to: "/label_indices")
            }
            try file.setRootAttributes(contentAttributes)
        }
    }

    /// Reads and checks a tokens file: its format and version, the shapes
    /// of its datasets, and that every id, length and label is in range.
    public static func read(from path: String) throws -> TokensFile {
        let file = try H5File.open(at: path)
        defer { try? file.close() }
        try file.requireFormat(format)
        let settings = try TokenizationSettings(file: file)
        let l = settings.maxLength
        let n = try file.requireShape("/ids", [nil, l])[0]
        let ids = try file.read(Int32.self, from: "/ids").values
        let lengths = try file.read(Int32.self, from: "/lengths", shape: [n]).values
        let lexicalIds = try readLexicalIds(file, settings: settings, documents: n)
        let labelNames = try file.readStrings(from: "/label_names")
        let labels = file.contains("/labels") ? try file.read(Int32.self, from: "/labels", shape: [n]).values : nil
        let tokens = try file.readStrings(from: "/vocab")
        let counts = try file.read(Int64.self, from: "/vocab_counts", shape: [tokens.count]).values
        let vocabulary: Vocabulary
        do {
            vocabulary = try Vocabulary(tokens: tokens, counts: counts)
        } catch let error as VocabularyError {
            throw ArtifactError(file: path, object: "dataset /vocab", message: error.description)
        }
        var allLabels: LabelLists?
        if file.contains("/label_offsets") {
            allLabels = try LabelLists(offsets: try file.read(Int64.self, from: "/label_offsets").values,
                                       indices: try file.read(Int32.self, from: "/label_indices").values,
                                       documents: n, labels: labelNames.count, file: path)
        }
        try checkRanges(ids: ids, lengths: lengths, labels: labels, maxLength: l,
                        vocabularySize: vocabulary.count, labelCount: labelNames.count, file: path)
        try checkLexicalRanges(lexicalIds, settings: settings, vocabularySize: vocabulary.count, file: path)
        let trainSize = try file.requireInt("train_vocab_size")
        guard (2...vocabulary.count).contains(trainSize) else {
            throw ArtifactError(file: path, object: "attribute 'train_vocab_size' on /",
                                message: "found \(trainSize); expected 2…\(vocabulary.count) (the vocabulary's size)")
        }
        return TokensFile(ids: ids, lengths: lengths, lexicalIds: lexicalIds, labels: labels, allLabels: allLabels, labelNames: labelNames,
                          vocabulary: vocabulary, trainVocabularySize: trainSize, settings: settings,
                          source: try file.requireString("source"),
                          sourceSHA256: try file.requireString("source_sha256"),
                          statistics: try CorpusStatistics(file: file, labelNames: labelNames,
                                                           vocabularySize: vocabulary.count),
                          provenance: try Provenance(file: file))
    }

    /// `/lexical_ids` [N, L_x] when `lexical_len` = L_x > 0 (then required), else nil.
    static func readLexicalIds(_ file: H5File, settings: TokenizationSettings, documents n: Int) throws -> [Int32]? {
        let width = settings.lexicalLength
        guard width > 0 else { return nil }
        guard file.contains("/lexical_ids") else {
            throw ArtifactError(file: file.path, object: "dataset /lexical_ids",
                                message: "missing; expected [\(n), \(width)] token ids, as lexical_len = \(width) says")
        }
        return try file.read(Int32.self, from: "/lexical_ids", shape: [n, width]).values
    }

    /// Rejects lexical ids outside the vocabulary.
    static func checkLexicalRanges(_ ids: [Int32]?, settings: TokenizationSettings, vocabularySize: Int, file: String) throws {
        guard let ids, let i = ids.firstIndex(where: { $0 < 0 || Int($0) >= vocabularySize }) else { return }
        throw ArtifactError(file: file, object: "dataset /lexical_ids",
                            message: "row \(i / settings.lexicalLength) holds id \(ids[i]); expected ids in 0..<\(vocabularySize) (the vocabulary)")
    }

    /// Rejects ids outside the vocabulary, lengths outside 0…L and labels
    /// outside −1..<C, so later stages can index with them safely.
    static func checkRanges(ids: [Int32], lengths: [Int32], labels: [Int32]?, maxLength: Int,
                            vocabularySize: Int, labelCount: Int, file: String) throws {
        if let i = ids.firstIndex(where: { $0 < 0 || Int($0) >= vocabularySize }) {
            throw ArtifactError(file: file, object: "dataset /ids",
                                message: "row \(i / maxLength) holds id \(ids[i]); expected ids in 0..<\(vocabularySize) (the vocabulary)")
        }
        if let i = lengths.firstIndex(where: { $0 < 0 || Int($0) > maxLength }) {
            throw ArtifactError(file: file, object: "dataset /lengths",
                                message: "row \(i) holds \(lengths[i]); expected 0…\(maxLength)")
        }
        if let labels, let i = labels.firstIndex(where: { $0 < -1 || Int($0) >= labelCount }) {
            throw ArtifactError(file: file, object: "dataset /labels",
                                message: "row \(i) holds \(labels[i]); expected −1 or a label index below \(labelCount)")
        }
    }
}
