import CapsCore
import CapsText
import Foundation

extension ScoringInput {
    /// Raw text scored as in training: tokenized with the model's own
    /// tokenizer settings (`RawTextSettings`), mapped through its vocabulary
    /// (unknown tokens → `<unk>`), cut or padded to its max_len, and looked up
    /// in its table (fine-tuned or static).
    ///
    /// A label the model never saw is an error naming it and its line, unless
    /// `skipUnseenLabels`: then the document is scored but left out of the metrics.
    public static func text(path: String, model: ScoringModel, readOptions: ReadOptions,
                            skipUnseenLabels: Bool) throws -> ScoringInput {
        let settings = try RawTextSettings(model: model.file, path: model.path)
        var (reader, digest) = try DocumentReader.openFingerprinted(path, options: readOptions)
        // Streamed as tokenize does (`InternedCorpus`): each document's text
        // and token strings are dropped once read, not held for all N.
        let tokenizer = Tokenizer(options: settings.tokenizer)
        var corpus = InternedCorpus(maxLength: settings.maxLength, lexicalLength: settings.lexicalLength)
        while let document = try reader.next() { corpus.add(tokenizer.tokenize(document)) }
        guard corpus.count > 0 else { throw EmptyInputError(input: reader.source) }
        let labelled = !corpus.labelNames.isEmpty
        // Explanations show the input's own spellings: this copy keeps the
        // provisional rows that `encode` maps to ids (N × L more ids, not the text).
        let spelled = corpus
        // LabelSet sorts its names; `classOf` maps its indices back to the model's order.
        let labelSet = LabelSet(model.labelNames)
        let classOf = labelSet.names.map { Int32(model.labelNames.firstIndex(of: $0)!) }
        let encoded = try corpus.encode(vocabulary: model.vocabulary, labelSet: labelled ? labelSet : nil,
                                        unseenLabels: skipUnseenLabels ? .markUnknown : .fail,
                                        source: reader.source, reading: reader.statistics)
        let modelClass = { (index: Int32) in index < 0 ? index : classOf[Int(index)] }
        var input = ScoringInput(path: path, kind: .text, sha256: digest, documentCount: spelled.count,
                                 labels: labelled ? encoded.labels.map(modelClass) : nil,
                                 memberRows: ScoringRows.lookup(ids: encoded.ids, model: model),
                                 tokens: encoded.lexicalIds ?? encoded.ids, tokenRowLength: model.config.tokenRowLength,
                                 statistics: encoded.statistics)
        input.tokenTexts = { spelled.lexicalTokens(ofDocument: $0) }
        if labelled && encoded.isMultiLabel {
            input.labelSets = (0..<spelled.count).map { i in
                encoded.labelIndices[Int(encoded.labelOffsets[i])..<Int(encoded.labelOffsets[i + 1])].map(modelClass)
            }
        }
        return input
    }
}
