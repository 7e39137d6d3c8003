/// The on-disk layouts of pretrained word-vector files. Each may also be
/// gzip-compressed; compression is detected separately and never needs saying.
public enum VectorFormat: String, CaseIterable, Sendable, CustomStringConvertible {
    /// GloVe text: one `word v1 … vD` line per word, no header.
    case gloveText = "glove"
    /// word2vec text (also fastText `.vec`): a `count dim` header line, then
    /// `word v1 … vD` lines.
    case word2vecText = "word2vec"
    /// word2vec binary: a `count dim\n` header line, then per record the word,
    /// one space, and `dim` little-endian float32 values, optionally followed
    /// by `\n`.
    case word2vecBinary = "word2vec-binary"

    /// Whether the file starts with a `count dim` header line.
    public var hasHeader: Bool { self != .gloveText }

    public var description: String {
        switch self {
        case .gloveText: return "GloVe text"
        case .word2vecText: return "word2vec text"
        case .word2vecBinary: return "word2vec binary"
        }
    }
}
