import CapsCore
import CapsText
import Foundation

/// The documents to score, prepared for a model: where their input matrices
/// come from, and their labels in the model's class order.
public struct ScoringInput {
    public enum Kind: String, Sendable {
        /// An embedded file (`embed`'s output).
        case embedded
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
    /// Where the rows come from for each member of the model: one entry
    /// shared by all (stored matrices, or one static table), or one per
    /// member (each member's fine-tuned table).
    public let memberRows: [ScoringRows]
    /// Member 1's rows (the model's, when it is a single one).
    public var rows: ScoringRows { memberRows[0] }
    /// [N, L] token ids in the model's vocabulary (ids it does not know, added
    /// by `tokenize --extend-vocab`, become `<unk>` as raw text's unknown
    /// words do): the lexical capsules' input.
    public let tokens: [Int32]
    /// For raw text: what tokenization did (unknown tokens, truncations…).
    public let statistics: CorpusStatistics?

    /// Opens `path` as an embedded file when it is one (HDF5 with format
    /// "capskit.embedded"), else reads it as raw text.
    public static func open(path: String, model: ScoringModel, options: ScoringOptions) throws -> ScoringInput {
        if path != "-" && isHDF5(path) {
            return try embedded(path: path, model: model, skipUnseenLabels: options.unseenLabels == .skip)
        }
        return try text(path: path, model: model, readOptions: options.readOptions,
                        skipUnseenLabels: options.unseenLabels == .skip)
    }

    /// Whether the file starts with the HDF5 signature (our writers never add a user block).
    static func isHDF5(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]
        return (try? handle.read(upToCount: signature.count)).map { [UInt8]($0) == signature } ?? false
    }
}
