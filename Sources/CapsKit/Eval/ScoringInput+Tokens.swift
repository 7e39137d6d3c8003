import CapsArtifacts
import CapsCore
import CapsText

extension ScoringInput {
    /// A tokens file scored as its source text would be: its tokenizer
    /// settings must be the model's (`RawTextSettings.check`: max_len,
    /// lowercase, normalize, char_level), its labels are checked as an
    /// embedded file's, and its ids [N, L] are mapped by token string into the
    /// model's vocabulary — tokens the model does not know (words added by
    /// `tokenize --extend-vocab`, or a vocabulary built from other text)
    /// become `<unk>`, `<pad>` stays 0 — then looked up in the model's table
    /// (each member's fine-tuned one, or the static one).
    ///
    /// Mapping rather than refusing a differing vocabulary is what raw-text
    /// scoring does with every token; a file tokenized with the training
    /// vocabulary maps onto itself, so its ids are scored unchanged.
    public static func tokensFile(path: String, model: ScoringModel, skipUnseenLabels: Bool) throws -> ScoringInput {
        let input = try TokensFile.read(from: path)
        let settings = try RawTextSettings(model: model.file, path: model.path)
        try settings.check(input.settings, input: path, model: model.path)
        guard input.count > 0 else { throw EmptyInputError(input: path) }
        let labels = try modelLabels(input.labels, names: input.labelNames, input: path, model: model,
                                     skipUnseenLabels: skipUnseenLabels)
        // modelID[i]: the model's id of the input's token i ([V_input]).
        let modelID = input.vocabulary.tokens.map { model.vocabulary.id(for: $0) }
        let ids = input.ids.map { modelID[Int($0)] }   // [N, L]; TokensFile.read checked every id < V_input
        // [N, L_x] when the network reads the lexical view (settings.check saw the file has it).
        let lexical = settings.lexicalLength > 0 ? input.lexicalIds!.map { modelID[Int($0)] } : nil
        var scoring = ScoringInput(path: path, kind: .tokens, sha256: try SHA256.hexDigest(ofFileAt: path),
                                   documentCount: input.count, labels: labels, memberRows: ScoringRows.lookup(ids: ids, model: model),
                                   tokens: lexical ?? ids, tokenRowLength: model.config.tokenRowLength, statistics: nil)
        scoring.tokenTexts = tokenTexts(ids: lexical == nil ? input.ids : input.lexicalIds!, maxLength: model.config.tokenRowLength,
                                        vocabulary: input.vocabulary.tokens)
        scoring.labelSets = input.allLabels.map { lists in (0..<input.count).map { Array(lists[$0]) } }
        return scoring
    }
}
