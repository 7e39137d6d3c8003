import CapsArtifacts
import CapsText

extension TokenizeStage {
    /// The settings to use: the options' values over the defaults, or, with a
    /// training file, that file's settings, which given options must match.
    func resolveSettings(against trainFile: TokensFile?) throws -> TokenizationSettings {
        if options.extendVocabulary, trainFile == nil {
            throw OptionError("--extend-vocab extends a training vocabulary; it needs --vocab TRAIN.tokens.h5")
        }
        if let length = options.maxLength, length < 1 { throw OptionError("--max-len \(length): expected at least 1") }
        if let lexical = options.lexicalLength, lexical != 0, lexical < (options.maxLength ?? trainFile?.settings.maxLength ?? 40) {
            throw OptionError("--lexical-len \(lexical): expected 0 (none) or at least --max-len \(options.maxLength ?? trainFile?.settings.maxLength ?? 40)")
        }
        if let count = options.minCount, count < 1 { throw OptionError("--min-count \(count): expected at least 1") }
        if let size = options.maxVocabularySize, size < 2 {
            throw OptionError("--max-vocab \(size): expected at least 2 (<pad> and <unk> count)")
        }
        guard let trainFile else {
            let defaults = TokenizerOptions()
            return TokenizationSettings(
                tokenizer: TokenizerOptions(normalize: options.normalize ?? defaults.normalize,
                                            lowercase: options.lowercase ?? defaults.lowercase,
                                            characterLevel: options.characterLevel ?? defaults.characterLevel),
                maxLength: options.maxLength ?? 40, lexicalLength: options.lexicalLength ?? 0, minCount: options.minCount ?? 1,
                maxVocabularySize: options.maxVocabularySize)
        }
        let stored = trainFile.settings
        let source = options.vocabularyFile ?? trainFile.source
        func check<T: Equatable>(_ given: T?, _ kept: T, _ flag: String, _ attribute: String, _ shown: String) throws {
            guard let given, given != kept else { return }
            throw OptionError("\(flag) conflicts with --vocab \(source), made with \(attribute) = \(shown); "
                              + "drop \(flag) to reuse the file's settings")
        }
        try check(options.lowercase, stored.tokenizer.lowercase, options.lowercase == false ? "--no-lowercase" : "--lowercase",
                  "lowercase", stored.tokenizer.lowercase ? "1" : "0")
        try check(options.normalize, stored.tokenizer.normalize, options.normalize == false ? "--no-normalize" : "--normalize",
                  "normalize", stored.tokenizer.normalize ? "1" : "0")
        try check(options.characterLevel, stored.tokenizer.characterLevel, "--char-level", "char_level",
                  stored.tokenizer.characterLevel ? "1" : "0")
        try check(options.maxLength, stored.maxLength, "--max-len \(options.maxLength ?? 0)", "max_len", "\(stored.maxLength)")
        try check(options.lexicalLength, stored.lexicalLength, "--lexical-len \(options.lexicalLength ?? 0)", "lexical_len",
                  "\(stored.lexicalLength)")
        try check(options.minCount, stored.minCount, "--min-count \(options.minCount ?? 0)", "vocab_min_count", "\(stored.minCount)")
        try check(options.maxVocabularySize, stored.maxVocabularySize ?? 0, "--max-vocab \(options.maxVocabularySize ?? 0)",
                  "vocab_max_size", "\(stored.maxVocabularySize ?? 0)")
        return stored
    }
}
