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
        let documents = try reader.readAll()
        guard !documents.isEmpty else { throw EmptyInputError(input: reader.source) }
        let labelled = documents.contains { !$0.labels.isEmpty }
        // LabelSet sorts its names; `classOf` maps its indices back to the model's order.
        let labelSet = LabelSet(model.labelNames)
        let classOf = labelSet.names.map { Int32(model.labelNames.firstIndex(of: $0)!) }
        let encoder = CorpusEncoder(vocabulary: model.vocabulary, labelSet: labelled ? labelSet : nil,
                                    maxLength: settings.maxLength,
                                    unseenLabels: skipUnseenLabels ? .markUnknown : .fail)
        let corpus = try encoder.encode(documents, tokenizer: Tokenizer(options: settings.tokenizer),
                                        source: reader.source, reading: reader.statistics)
        let labels = labelled ? corpus.labels.map { $0 < 0 ? $0 : classOf[Int($0)] } : nil
        var input = ScoringInput(path: path, kind: .text, sha256: digest, documentCount: corpus.count, labels: labels,
                                 memberRows: ScoringRows.lookup(ids: corpus.ids, model: model),
                                 tokens: corpus.ids, statistics: corpus.statistics)
        let tokenizer = Tokenizer(options: settings.tokenizer), maxLength = settings.maxLength
        input.tokenTexts = { Array(tokenizer.tokenize(documents[$0]).tokens.prefix(maxLength)) }
        if labelled && corpus.allLabels.contains(where: { $0.count > 1 }) {
            input.labelSets = corpus.allLabels.map { $0.map { $0 < 0 ? $0 : classOf[Int($0)] } }
        }
        return input
    }
}
