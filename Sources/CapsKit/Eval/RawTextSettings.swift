import CapsArtifacts
import CapsStorage
import CapsText

/// How the model's training text became token rows, recovered from the model
/// file so raw text is scored through exactly the same steps.
///
/// `tokenize` stores its settings as root attributes (`lowercase`,
/// `normalize`, `char_level` as 0/1, `max_len`), `embed` copies them with the
/// prefix `tokens_`, and `capsfit` copies every data attribute with the
/// prefix `data_`; so a model carries `data_tokens_lowercase` and so on.
public struct RawTextSettings: Equatable, Sendable {
    /// The attribute prefix under which a model file keeps them.
    public static let prefix = "data_tokens_"

    public var tokenizer: TokenizerOptions
    /// Tokens per row, L.
    public var maxLength: Int
    /// Tokens per row of the lexical view the network reads, L_x (0: none).
    public var lexicalLength: Int

    public init(tokenizer: TokenizerOptions, maxLength: Int, lexicalLength: Int = 0) {
        self.tokenizer = tokenizer
        self.maxLength = maxLength
        self.lexicalLength = lexicalLength
    }

    /// Reads the settings of `model` (read from `path`, named in errors) and
    /// checks that their row length is the network's.
    public init(model: ModelFile, path: String) throws {
        func flag(_ name: String) throws -> Bool {
            let attribute = Self.prefix + name
            guard let value = model.attribute(attribute) else {
                throw ScoringError.missingTokenizerSettings(model: path, attribute: attribute)
            }
            guard let int = value.intValue, int == 0 || int == 1 else {
                throw ScoringError.invalidTokenizerSetting(model: path, attribute: attribute, found: value.description,
                                                           expected: "0 or 1")
            }
            return int == 1
        }
        let tokenizer = TokenizerOptions(normalize: try flag("normalize"), lowercase: try flag("lowercase"),
                                         characterLevel: try flag("char_level"))
        let lengthName = Self.prefix + "max_len"
        guard let value = model.attribute(lengthName) else {
            throw ScoringError.missingTokenizerSettings(model: path, attribute: lengthName)
        }
        guard let length = value.intValue, Int(length) == model.config.maxLength else {
            throw ScoringError.invalidTokenizerSetting(model: path, attribute: lengthName, found: value.description,
                                                       expected: "the network's max_len \(model.config.maxLength)")
        }
        // The network's lexical_len is the data's tokens_lexical_len; a model
        // without lexical capsules reads no view, whatever its data kept.
        let lexicalLength = model.config.lexicalLength
        if lexicalLength > 0 {
            let name = Self.prefix + "lexical_len"
            guard let stored = model.attribute(name)?.intValue, Int(stored) == lexicalLength else {
                throw ScoringError.invalidTokenizerSetting(model: path, attribute: name,
                                                           found: model.attribute(name)?.description ?? "missing",
                                                           expected: "the network's lexical_len \(lexicalLength)")
            }
        }
        self.init(tokenizer: tokenizer, maxLength: Int(length), lexicalLength: lexicalLength)
    }

    /// Checks that `tokens` (a tokens file at `input`) was made by these
    /// steps, so its token strings are what raw text would give: the same
    /// row length (and the lexical view's, when the network reads one), case
    /// folding, normalisation and token level. The
    /// vocabulary settings (min count, size) may differ; ids are mapped by
    /// token string (`ScoringInput.tokensFile`).
    func check(_ tokens: TokenizationSettings, input: String, model: String) throws {
        guard tokens.maxLength == maxLength else {
            throw ScoringError.maxLengthMismatch(model: model, modelLength: maxLength, input: input,
                                                 inputLength: tokens.maxLength)
        }
        if lexicalLength > 0 && tokens.lexicalLength != lexicalLength {
            throw ScoringError.lexicalLengthMismatch(model: model, modelLength: lexicalLength, input: input,
                                                     inputLength: tokens.lexicalLength)
        }
        let given = tokens.tokenizer
        for (attribute, expected, found) in [("lowercase", tokenizer.lowercase, given.lowercase),
                                             ("normalize", tokenizer.normalize, given.normalize),
                                             ("char_level", tokenizer.characterLevel, given.characterLevel)]
        where expected != found {
            throw ScoringError.tokenizerMismatch(model: model, input: input, attribute: attribute,
                                                 modelValue: expected ? "1" : "0", inputValue: found ? "1" : "0")
        }
    }
}
