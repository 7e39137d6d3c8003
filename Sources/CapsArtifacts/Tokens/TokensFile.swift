import CapsText

/// A tokenised corpus: the artifact `tokenize` writes and `embed` reads
/// (`*.tokens.h5`).
///
/// Layout (HDF5; N documents, L = `max_len` tokens per row, V vocabulary
/// entries, C labels):
///
/// | dataset          | type   | shape   | content |
/// |------------------|--------|---------|---------|
/// | `/ids`           | int32  | [N, L]  | token ids, row-major; 0 (`<pad>`) after a document's end, 1 = `<unk>`; chunked by rows, deflate |
/// | `/lengths`       | int32  | [N]     | tokens kept per document (≤ L) |
/// | `/lexical_ids`   | int32  | [N, L_x] | with `lexical_len` L_x > 0 only: each document's first L_x token ids (padded as `/ids`), the lexical capsules' view past L |
/// | `/labels`        | int32  | [N]     | class (first label) index; −1 = unseen label (`--unseen-labels unknown`); only in labelled files |
/// | `/label_names`   | string | [C]     | label names by index (the training set's, sorted by UTF-8 bytes) |
/// | `/vocab`         | string | [V]     | token by id: `<pad>`, `<unk>`, then training tokens by falling count |
/// | `/vocab_counts`  | int64  | [V]     | training count by id; 0 for the special tokens and for words added by `--extend-vocab` |
/// | `/label_offsets` | int64  | [N + 1] | multi-label input only: CSR offsets into `/label_indices` (see `LabelLists`) |
/// | `/label_indices` | int32  | [offsets[N]] | multi-label input only: every label of every document, in source order |
///
/// Root attributes: `format` = "capskit.tokens", `format_version` = 1;
/// the tokenizer settings (`lowercase`, `normalize`, `char_level`, `max_len`, `lexical_len`,
/// `vocab_min_count`, `vocab_max_size`, see `TokenizationSettings`);
/// `train_vocab_size` (V before `--extend-vocab`); `source` (the input path,
/// or `<stdin>`) and `source_sha256`; `tool` = "tokenize", `tool_version`,
/// `command`; and the run's statistics (see `CorpusStatistics+Attributes`).
public struct TokensFile: Equatable, Sendable {
    /// The layout this type reads and writes.
    public static let format = ArtifactFormat(name: "capskit.tokens", version: 1)

    /// Token ids, [N, L] row-major.
    public var ids: [Int32]
    /// Tokens kept per document, [N].
    public var lengths: [Int32]
    /// Each document's first L_x token ids, [N, L_x] row-major, when
    /// `settings.lexicalLength` = L_x > 0; nil otherwise.
    public var lexicalIds: [Int32]?
    /// Class index per document, [N]; nil for an unlabelled corpus.
    public var labels: [Int32]?
    /// Every label of each document, when some document has more than one.
    public var allLabels: LabelLists?
    /// Label names by index, [C] (may be non-empty for an unlabelled corpus
    /// tokenised with a training file's labels).
    public var labelNames: [String]
    /// The vocabulary (tokens and training counts by id).
    public var vocabulary: Vocabulary
    /// The vocabulary's size before words were added with `--extend-vocab`.
    public var trainVocabularySize: Int
    public var settings: TokenizationSettings
    /// The input's path, or `<stdin>`.
    public var source: String
    /// The SHA-256 of the input's bytes, lower-case hex.
    public var sourceSHA256: String
    public var statistics: CorpusStatistics
    public var provenance: Provenance

    public init(ids: [Int32], lengths: [Int32], lexicalIds: [Int32]? = nil, labels: [Int32]?, allLabels: LabelLists?, labelNames: [String],
                vocabulary: Vocabulary, trainVocabularySize: Int, settings: TokenizationSettings,
                source: String, sourceSHA256: String, statistics: CorpusStatistics, provenance: Provenance) {
        precondition(ids.count == lengths.count * settings.maxLength,
                     "\(ids.count) ids do not fill \(lengths.count) rows of \(settings.maxLength)")
        precondition((lexicalIds?.count ?? 0) == lengths.count * settings.lexicalLength,
                     "the lexical view does not fill \(lengths.count) rows of \(settings.lexicalLength)")
        self.ids = ids
        self.lengths = lengths
        self.lexicalIds = lexicalIds
        self.labels = labels
        self.allLabels = allLabels
        self.labelNames = labelNames
        self.vocabulary = vocabulary
        self.trainVocabularySize = trainVocabularySize
        self.settings = settings
        self.source = source
        self.sourceSHA256 = sourceSHA256
        self.statistics = statistics
        self.provenance = provenance
    }

    /// The number of documents, N.
    public var count: Int { lengths.count }
    /// Tokens per row, L.
    public var maxLength: Int { settings.maxLength }

    /// Row `i` of `ids` (L ids, padding included).
    public func row(_ i: Int) -> ArraySlice<Int32> {
        ids[(i * maxLength) ..< ((i + 1) * maxLength)]
    }
}
