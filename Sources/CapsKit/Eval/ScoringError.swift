import Foundation

/// Why a model cannot score an input. Every message is one line that names
/// the file(s) involved and what was expected, so `capseval` prints it as is.
public enum ScoringError: Error, CustomStringConvertible, LocalizedError, Equatable {
    /// The input's vectors have another width than the model's.
    case dimensionMismatch(model: String, modelDimension: Int, input: String, inputDimension: Int)
    /// The input's rows have another length than the model's.
    case maxLengthMismatch(model: String, modelLength: Int, input: String, inputLength: Int)
    /// The model's lexical capsules read a lexical view of L_x tokens the input lacks (or has of another length).
    case lexicalLengthMismatch(model: String, modelLength: Int, input: String, inputLength: Int)
    /// The input's label names differ from the model's.
    case labelSetMismatch(model: String, modelLabels: [String], input: String, inputLabels: [String])
    /// The input's vocabulary does not start with the model's, so its ids mean other words.
    case vocabularyMismatch(model: String, modelSize: Int, input: String, inputSize: Int, firstDifference: Int?)
    /// An embedded input row carries a label the model never saw (index −1).
    case unseenLabel(input: String, row: Int)
    /// The model has no record of the tokenizer its data was made with.
    case missingTokenizerSettings(model: String, attribute: String)
    /// A stored tokenizer setting has an unusable value.
    case invalidTokenizerSetting(model: String, attribute: String, found: String, expected: String)
    /// An HDF5 input that is neither an embedded file nor a tokens file.
    case notScorable(input: String, format: String?)
    /// A tokens file made with another tokenizer setting than the model's training data.
    case tokenizerMismatch(model: String, input: String, attribute: String, modelValue: String, inputValue: String)
    /// A stored token id outside the vocabulary that should cover it.
    case idOutOfRange(input: String, row: Int, position: Int, id: Int32, vocabularySize: Int)
    /// A model's embedding table that does not hold one row per vocabulary entry.
    case tableSize(model: String, values: Int, rows: Int, dimension: Int)
    /// An ensemble whose training stopped before every member was begun.
    case incompleteEnsemble(model: String, members: Int, of: Int)
    /// An option value out of range.
    case invalidOption(String)

    public var description: String {
        switch self {
        case let .dimensionMismatch(model, m, input, i):
            return "\(input): vectors have dimension \(i), but \(model) was trained on dimension \(m); embed the input with the model's vectors"
        case let .maxLengthMismatch(model, m, input, i):
            return "\(input): rows have max_len \(i), but \(model) was trained with max_len \(m); tokenize the input with --max-len \(m)"
        case let .lexicalLengthMismatch(model, m, input, i):
            let has = i > 0 ? "a lexical view of \(i) tokens (lexical_len)" : "no lexical view (lexical_len 0)"
            return "\(input): has \(has), but \(model)'s lexical capsules read \(m) tokens per document; tokenize the input with --lexical-len \(m)"
        case let .labelSetMismatch(model, m, input, i):
            return "\(input): label names \(i) differ from \(model)'s \(m); tokenize the input with the training label set"
        case let .vocabularyMismatch(model, m, input, i, first):
            let detail = first.map { "they differ at id \($0)" } ?? "the input has only \(i) entries"
            return "\(input): vocabulary (\(i) entries) does not start with \(model)'s vocabulary (\(m) entries; \(detail)); tokenize the input with the training vocabulary"
        case let .unseenLabel(input, row):
            return "\(input): /labels[\(row)] = -1, a label the model never saw; pass --unseen-labels skip to score such rows without metrics"
        case let .missingTokenizerSettings(model, attribute):
            return "\(model): attribute '\(attribute)' is missing, so raw text cannot be tokenized as in training; score an embedded file instead"
        case let .invalidTokenizerSetting(model, attribute, found, expected):
            return "\(model): attribute '\(attribute)' is \(found); expected \(expected)"
        case let .notScorable(input, format):
            return "\(input): an HDF5 file but neither an embedded file nor a tokens file (attribute format = \(format.map { "'\($0)'" } ?? "missing"), expected 'capskit.embedded' or 'capskit.tokens')"
        case let .tokenizerMismatch(model, input, attribute, m, i):
            return "\(input): tokenized with \(attribute) = \(i), but \(model) was trained on text tokenized with \(attribute) = \(m); tokenize the input with --vocab TRAIN.tokens.h5"
        case let .idOutOfRange(input, row, position, id, size):
            return "\(input): /ids[\(row), \(position)] = \(id) is outside the vocabulary 0..<\(size)"
        case let .tableSize(model, values, rows, dimension):
            return "\(model): the embedding table holds \(values) values; expected \(rows) × \(dimension) (vocabulary × dim)"
        case let .incompleteEnsemble(model, members, of):
            return "\(model): an ensemble of \(of) members holds only \(members) (its training was interrupted); finish it with capsfit --resume"
        case let .invalidOption(message):
            return message
        }
    }

    public var errorDescription: String? { description }
}
