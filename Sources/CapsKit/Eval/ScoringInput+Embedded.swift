import CapsArtifacts
import CapsCore
import CapsStorage
import CapsText

extension ScoringInput {
    /// An embedded file checked against the model: same D, L and label names.
    ///
    /// With a static model the stored matrices `/x` are scored as they are.
    /// With a fine-tuned model the rows are rebuilt from `/ids`: ids the model
    /// knows take its tuned vectors; ids past its vocabulary (words added by
    /// `tokenize --extend-vocab`) take the file's own `/embedding` rows. That
    /// needs the file's vocabulary to start with the model's.
    public static func embedded(path: String, model: ScoringModel, skipUnseenLabels: Bool) throws -> ScoringInput {
        let input = try EmbeddedFile(path: path)
        let config = model.config
        guard input.dim == config.dimension else {
            throw ScoringError.dimensionMismatch(model: model.path, modelDimension: config.dimension,
                                                 input: path, inputDimension: input.dim)
        }
        guard input.maxLength == config.maxLength else {
            throw ScoringError.maxLengthMismatch(model: model.path, modelLength: config.maxLength,
                                                 input: path, inputLength: input.maxLength)
        }
        if config.lexicalLength > 0 && input.lexicalLength != config.lexicalLength {
            throw ScoringError.lexicalLengthMismatch(model: model.path, modelLength: config.lexicalLength,
                                                     input: path, inputLength: input.lexicalLength)
        }
        guard input.count > 0 else { throw EmptyInputError(input: path) }
        let labels = try modelLabels(input.labels, names: input.labelNames, input: path, model: model,
                                     skipUnseenLabels: skipUnseenLabels)
        let rows: [ScoringRows]
        if model.isFineTuned {
            rows = try model.tables.map { .lookup(ids: input.ids, table: try lookupTable(model: model, table: $0, input: input)) }
        } else {
            rows = [.matrices(input.x)]
        }
        // The lexical capsules' view: the file's lexical view [N, L_x] when the
        // model reads one, else its ids [N, L]. Its ids serve as they are
        // unless it has ids the model lacks: a second copy only then (160 MB
        // at a million rows of 40).
        let (view, width) = input.tokenRows(lexicalLength: config.lexicalLength)
        let known = Int32(model.vocabulary.count)
        let tokens = view.contains { $0 >= known } ? view.map { $0 < known ? $0 : Vocabulary.unknownID } : view
        var scoring = ScoringInput(path: path, kind: .embedded, sha256: try SHA256.hexDigest(ofFileAt: path),
                                   documentCount: input.count, labels: labels, memberRows: rows,
                                   tokens: tokens, tokenRowLength: width, statistics: nil)
        scoring.tokenTexts = tokenTexts(ids: view, maxLength: width, vocabulary: input.vocabulary.tokens)
        scoring.labelSets = input.allLabels.map { lists in (0..<input.count).map { Array(lists[$0]) } }
        return scoring
    }

    /// The model's tuned rows (`table`, a member's) followed by the input's rows for the ids it added [V_input, D].
    static func lookupTable(model: ScoringModel, table: [Float], input: EmbeddedFile) throws -> [Float] {
        let known = model.vocabulary.count
        let modelTokens = model.vocabulary.tokens
        guard input.vocabulary.count >= known, Array(input.vocabulary.tokens.prefix(known)) == modelTokens else {
            let first = zip(input.vocabulary.tokens, modelTokens).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            throw ScoringError.vocabularyMismatch(model: model.path, modelSize: known, input: input.path,
                                                  inputSize: input.vocabulary.count, firstDifference: first)
        }
        let size = input.vocabulary.count
        if let bad = input.ids.firstIndex(where: { $0 < 0 || Int($0) >= size }) {
            throw ScoringError.idOutOfRange(input: input.path, row: bad / input.maxLength, position: bad % input.maxLength,
                                            id: input.ids[bad], vocabularySize: size)
        }
        return table + input.embedding[(known * input.dim)...]
    }
}
