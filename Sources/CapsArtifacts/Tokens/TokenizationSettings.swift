import CapsStorage
import CapsText

/// How raw text became token rows: what a later stage (capseval on raw text)
/// must repeat to get the same ids.
///
/// Stored as root attributes `lowercase`, `normalize`, `char_level` (0/1),
/// `max_len`, `lexical_len` (0 = no lexical view; absent in files written
/// before it existed), `vocab_min_count` and `vocab_max_size` (0 = no
/// limit); an embedded file carries them with the prefix `tokens_`.
public struct TokenizationSettings: Equatable, Sendable {
    public var tokenizer: TokenizerOptions
    /// Tokens per row, L.
    public var maxLength: Int
    /// Tokens per row of the lexical view `/lexical_ids`, L_x ≥ L: what
    /// lexical capsules read of a document past the L tokens the
    /// convolutions see. 0: no such view.
    public var lexicalLength: Int
    /// Training tokens seen fewer times than this are left out of the vocabulary.
    public var minCount: Int64
    /// The vocabulary's size limit (`<pad>` and `<unk>` included), nil for none.
    public var maxVocabularySize: Int?

    public init(tokenizer: TokenizerOptions = TokenizerOptions(), maxLength: Int = 40, lexicalLength: Int = 0,
                minCount: Int64 = 1, maxVocabularySize: Int? = nil) {
        self.tokenizer = tokenizer
        self.maxLength = maxLength
        self.lexicalLength = lexicalLength
        self.minCount = minCount
        self.maxVocabularySize = maxVocabularySize
    }

    var attributes: [(String, H5AttributeValue)] {
        [("lowercase", .int(tokenizer.lowercase ? 1 : 0)),
         ("normalize", .int(tokenizer.normalize ? 1 : 0)),
         ("char_level", .int(tokenizer.characterLevel ? 1 : 0)),
         ("max_len", .int(Int64(maxLength))),
         ("lexical_len", .int(Int64(lexicalLength))),
         ("vocab_min_count", .int(minCount)),
         ("vocab_max_size", .int(Int64(maxVocabularySize ?? 0)))]
    }

    /// Reads the settings from the root of `file`, names prefixed with `prefix`.
    init(file: H5File, prefix: String = "") throws {
        let tokenizer = TokenizerOptions(normalize: try file.requireFlag(prefix + "normalize"),
                                         lowercase: try file.requireFlag(prefix + "lowercase"),
                                         characterLevel: try file.requireFlag(prefix + "char_level"))
        let maxLength = try file.requireInt(prefix + "max_len")
        guard maxLength >= 1 else {
            throw ArtifactError(file: file.path, object: "attribute '\(prefix)max_len' on /",
                                message: "found \(maxLength); expected a positive row length")
        }
        let lexicalLength = try file.attribute(prefix + "lexical_len") == nil ? 0 : try file.requireInt(prefix + "lexical_len")
        guard lexicalLength == 0 || lexicalLength >= maxLength else {
            throw ArtifactError(file: file.path, object: "attribute '\(prefix)lexical_len' on /",
                                message: "found \(lexicalLength); expected 0 (no lexical view) or at least max_len \(maxLength)")
        }
        let maxSize = try file.requireInt(prefix + "vocab_max_size")
        self.init(tokenizer: tokenizer, maxLength: maxLength, lexicalLength: lexicalLength,
                  minCount: Int64(try file.requireInt(prefix + "vocab_min_count")),
                  maxVocabularySize: maxSize > 0 ? maxSize : nil)
    }
}
