import CapsArtifacts
import CapsCore
import CapsStorage
import CapsText
import Foundation

/// The documents to score, prepared for a model: where their input matrices
/// come from, and their labels in the model's class order.
public struct ScoringInput {
    public enum Kind: String, Sendable {
        /// An embedded file (`embed`'s output).
        case embedded
        /// A tokens file (`tokenize`'s output), embedded here with the model's table.
        case tokens
        /// Raw text (TSV, CSV, fastText or plain lines), tokenized here.
        case text
    }

    /// The path as given (`-` for standard input).
    public let path: String
    public let kind: Kind
    /// SHA-256 of the input's bytes (of what was read, for standard input).
    public let sha256: String
    /// N.
    public let documentCount: Int
    /// [N] class per document in the model's label order; −1 marks a label the
    /// model never saw (kept only with `unseenLabels` = `.skip`); nil for unlabelled input.
    public let labels: [Int32]?
    /// [N] every class of each document (model order; −1 for a label the
    /// model never saw), when the input lists several labels for some
    /// document (`LabelLists`); nil otherwise — the `labels` are then each
    /// document's only class.
    public var labelSets: [[Int32]]? = nil
    /// Where the rows come from for each member of the model: one entry
    /// shared by all (stored matrices, or one static table), or one per
    /// member (each member's fine-tuned table).
    public let memberRows: [ScoringRows]
    /// Member 1's rows (the model's, when it is a single one).
    public var rows: ScoringRows { memberRows[0] }
    /// [N, L_t] token ids in the model's vocabulary (ids it does not know, added
    /// by `tokenize --extend-vocab`, become `<unk>` as raw text's unknown
    /// words do): the lexical capsules' input — the lexical view [N, L_x]
    /// when the model reads one, else the rows' ids [N, L].
    public let tokens: [Int32]
    /// L_t, the tokens per row of `tokens` (`CapsNetConfig.tokenRowLength`).
    public let tokenRowLength: Int
    /// For raw text: what tokenization did (unknown tokens, truncations…).
    public let statistics: CorpusStatistics?
    /// The tokens of document i as the model reads them (at most L_t), as
    /// text: the input's own token strings (words the model lacks keep their
    /// spelling, though they are scored as `<unk>`). For explanations.
    public internal(set) var tokenTexts: (Int) -> [String] = { _ in [] }

    /// Document i's length in tokens as the model reads them, T ≤ L_t: the
    /// positions of `tokens` before its padding.
    public func tokenCount(_ i: Int) -> Int {
        let row = tokens[(i * tokenRowLength)..<((i + 1) * tokenRowLength)]
        return (row.firstIndex(of: Vocabulary.padID) ?? row.endIndex) - row.startIndex
    }

    /// The token strings of rows of `ids` [N, L] (or [N, L_x]) in `vocabulary` (padding left out).
    static func tokenTexts(ids: [Int32], maxLength: Int, vocabulary: [String]) -> (Int) -> [String] {
        { i in
            ids[(i * maxLength)..<((i + 1) * maxLength)].prefix { $0 != Vocabulary.padID }.map { vocabulary[Int($0)] }
        }
    }

    /// Opens `path` as what its format says: a file named `.h5`/`.hdf5` or
    /// carrying HDF5's signature (`H5File.claimsHDF5`) is an artifact — an
    /// embedded file or a tokens file, by its `format` attribute — or refused;
    /// anything else (and standard input) is raw text. Text is never a
    /// fallback for an HDF5 file that cannot be read.
    public static func open(path: String, model: ScoringModel, options: ScoringOptions) throws -> ScoringInput {
        let skipUnseenLabels = options.unseenLabels == .skip
        guard H5File.claimsHDF5(path) else {
            return try text(path: path, model: model, readOptions: options.readOptions, skipUnseenLabels: skipUnseenLabels)
        }
        let file = try H5File.open(at: path)
        let format = try file.attribute("format")?.stringValue
        try file.close()
        switch format {
        case EmbeddedFile.format.name:
            return try embedded(path: path, model: model, skipUnseenLabels: skipUnseenLabels)
        case TokensFile.format.name:
            return try tokensFile(path: path, model: model, skipUnseenLabels: skipUnseenLabels)
        default:
            throw ScoringError.notScorable(input: path, format: format)
        }
    }
}
