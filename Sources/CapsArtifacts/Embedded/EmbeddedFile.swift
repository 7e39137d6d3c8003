import CapsStorage
import CapsText

/// An embedded corpus: the artifact `embed` writes and `capsfit` /
/// `capseval` read (`*.emb.h5`). Opening it loads the small datasets and
/// keeps `/x` open for streaming rows.
///
/// Layout (HDF5; N documents, L tokens per row, D vector components, V
/// vocabulary entries, C labels):
///
/// | dataset         | type    | shape     | content |
/// |-----------------|---------|-----------|---------|
/// | `/x`            | float32 | [N, L, D] | document matrices: row i, token j = `/embedding[ids[i, j]]` (padding rows zero); chunked 64 documents per chunk, deflate |
/// | `/embedding`    | float32 | [V, D]    | the lookup table, row = token id; row 0 (`<pad>`) is zeros |
/// | `/ids`          | int32   | [N, L]    | carried over from the tokens file |
/// | `/lengths`      | int32   | [N]       | carried over |
/// | `/labels`       | int32   | [N]       | carried over (labelled corpora only; −1 = unseen label) |
/// | `/label_names`  | string  | [C]       | carried over |
/// | `/vocab`        | string  | [V]       | carried over |
/// | `/vocab_counts` | int64   | [V]       | carried over |
/// | `/label_offsets`, `/label_indices` | | | carried over when present (multi-label, see `LabelLists`) |
///
/// Root attributes: `format` = "capskit.embedded", `format_version` = 1,
/// `dim` (D), `max_len` (L), `train_vocab_size`; the vector source
/// (`EmbeddingSettings`: `vectors`, `vectors_sha256`, `vectors_format`,
/// `oov`, `oov_bound`, `seed`); coverage (`coverage_*`, see
/// `EmbeddingReport.coverageAttributes`); `tool` = "embed", `tool_version`,
/// `command`; and every root attribute of the tokens file with the prefix
/// `tokens_` (so `tokens_lowercase`, `tokens_normalize`, `tokens_char_level`,
/// `tokens_max_len`, `tokens_lexical_len` give the tokenizer settings to
/// repeat on raw text).
public final class EmbeddedFile {
    /// The layout this type reads and writes.
    public static let format = ArtifactFormat(name: "capskit.embedded", version: 1)
    /// Documents per chunk of `/x`: a training batch's worth, so reading a
    /// batch touches one or two chunks.
    public static let chunkRows = 64
    /// zlib level for `/x`. Measured on THUCNews at character level
    /// ([10000, 40, 200], 325 MB raw): level 1 stores 135 MB (mostly the
    /// padding rows' zeros); levels 4 and 6 save under 1% more and take
    /// about 20% longer (h5repack timings), so level 1.
    public static let deflateLevel = 1

    /// The file's path as given.
    public let path: String
    /// Documents, N.
    public let count: Int
    /// Tokens per row, L.
    public let maxLength: Int
    /// Vector components, D.
    public let dim: Int
    /// Token ids, [N * L] row-major.
    public let ids: [Int32]
    /// Tokens kept per document, [N].
    public let lengths: [Int32]
    /// Each document's first L_x token ids, [N * L_x] row-major, when the
    /// tokens file kept a lexical view (`tokenization.lexicalLength` = L_x > 0).
    public let lexicalIds: [Int32]?
    /// Class index per document, [N] (−1 = unseen label); nil when unlabelled.
    public let labels: [Int32]?
    /// Every label per document, for multi-label corpora.
    public let allLabels: LabelLists?
    /// Label names by index, [C].
    public let labelNames: [String]
    /// Tokens and training counts by id, [V].
    public let vocabulary: Vocabulary
    /// The vocabulary's size before test words were appended.
    public let trainVocabularySize: Int
    /// The embedding table, [V * D] row-major: row `id` starts at `id * dim`.
    public let embedding: [Float]
    /// The tokenizer settings of the tokens file this was made from.
    public let tokenization: TokenizationSettings
    /// Where the vectors came from.
    public let settings: EmbeddingSettings
    /// Who wrote this file.
    public let provenance: Provenance
    /// Every root attribute, by name.
    public let attributes: [String: H5AttributeValue]
    /// `/x` [N, L, D], open for reading rows (one row = one document's L × D values).
    public let x: H5Dataset<Float>
    private let file: H5File

    /// Opens and checks an embedded file: format and version, the shapes of
    /// all datasets against N, L, D and V, and the ranges of ids and labels.
    public init(path: String) throws {
        let file = try H5File.open(at: path)
        self.file = file
        self.path = path
        try file.requireFormat(Self.format)
        let l = try file.requireInt("max_len"), d = try file.requireInt("dim")
        let shape = try file.requireShape("/x", [nil, l, d])
        let n = shape[0]
        count = n; maxLength = l; dim = d
        ids = try file.read(Int32.self, from: "/ids", shape: [n, l]).values
        lengths = try file.read(Int32.self, from: "/lengths", shape: [n]).values
        labels = file.contains("/labels") ? try file.read(Int32.self, from: "/labels", shape: [n]).values : nil
        labelNames = try file.readStrings(from: "/label_names")
        let tokens = try file.readStrings(from: "/vocab")
        let counts = try file.read(Int64.self, from: "/vocab_counts", shape: [tokens.count]).values
        do {
            vocabulary = try Vocabulary(tokens: tokens, counts: counts)
        } catch let error as VocabularyError {
            throw ArtifactError(file: path, object: "dataset /vocab", message: error.description)
        }
        embedding = try file.read(Float.self, from: "/embedding", shape: [tokens.count, d]).values
        allLabels = file.contains("/label_offsets")
            ? try LabelLists(offsets: try file.read(Int64.self, from: "/label_offsets").values,
                             indices: try file.read(Int32.self, from: "/label_indices").values,
                             documents: n, labels: labelNames.count, file: path)
            : nil
        try TokensFile.checkRanges(ids: ids, lengths: lengths, labels: labels, maxLength: l,
                                   vocabularySize: tokens.count, labelCount: labelNames.count, file: path)
        trainVocabularySize = try file.requireInt("train_vocab_size")
        tokenization = try TokenizationSettings(file: file, prefix: "tokens_")
        lexicalIds = try TokensFile.readLexicalIds(file, settings: tokenization, documents: n)
        try TokensFile.checkLexicalRanges(lexicalIds, settings: tokenization, vocabularySize: tokens.count, file: path)
        guard tokenization.maxLength == l else {
            throw ArtifactError(file: path, object: "attribute 'tokens_max_len' on /",
                                message: "found \(tokenization.maxLength); expected \(l), the row length of /x")
        }
        settings = try EmbeddingSettings(file: file)
        provenance = try Provenance(file: file)
        var attributes: [String: H5AttributeValue] = [:]
        for name in try file.attributeNames() { attributes[name] = try file.attribute(name) }
        self.attributes = attributes
        x = try file.dataset(at: "/x", as: Float.self)
    }

    /// Tokens per row of the lexical view, L_x (0: none).
    public var lexicalLength: Int { tokenization.lexicalLength }

    /// The token rows a network reads for its lexical capsules: the lexical
    /// view [N, L_x] when it reads one (`lexicalLength` = L_x > 0, which
    /// must be this file's), else `/ids` [N, L]; with their row length.
    public func tokenRows(lexicalLength: Int) -> (ids: [Int32], width: Int) {
        precondition(lexicalLength == 0 || lexicalLength == self.lexicalLength, "the model's lexical view is the file's")
        return lexicalLength > 0 ? (lexicalIds!, lexicalLength) : (ids, maxLength)
    }

    /// The labels, or an error naming the file when it holds none.
    public func requireLabels() throws -> [Int32] {
        guard let labels else {
            throw ArtifactError(file: path, object: "dataset /labels",
                                message: "missing; expected a labelled corpus (this one was tokenised as unlabelled text)")
        }
        return labels
    }

    /// Reads documents `start ..< start + count` of `/x` into `buffer`, which
    /// must hold `count * maxLength * dim` floats ([count, L, D] row-major).
    public func readRows(start: Int, count: Int, into buffer: UnsafeMutableBufferPointer<Float>) throws {
        try x.readRows(startRow: start, count: count, into: buffer)
    }

    /// Closes the file (and `x`). Later reads throw.
    public func close() throws {
        try file.close()
    }
}
