import CapsStorage
import CapsText

/// The statistics of a tokenisation run as root attributes of a tokens file:
/// `documents`, `tokens`, `unknown_tokens`, `unknown_rate`,
/// `truncated_documents`, `truncated_share`, `empty_documents`,
/// `unlabeled_documents`, `skipped_lines`, `repaired_lines`; when labelled,
/// `label_counts` (documents per class, aligned with `/label_names`); when
/// some labels were unseen, `unseen_labels` and `unseen_label_counts`.
extension CorpusStatistics {
    func attributes(labelNames: [String]) -> [(String, H5AttributeValue)] {
        var list: [(String, H5AttributeValue)] = [
            ("documents", .int(Int64(documents))),
            ("tokens", .int(Int64(tokens))),
            ("unknown_tokens", .int(Int64(unknownTokens))),
            ("unknown_rate", .double(unknownRate)),
            ("truncated_documents", .int(Int64(truncatedDocuments))),
            ("truncated_share", .double(truncatedShare)),
            ("empty_documents", .int(Int64(emptyDocuments))),
            ("unlabeled_documents", .int(Int64(unlabeledDocuments))),
            ("skipped_lines", .int(Int64(skippedLines))),
            ("repaired_lines", .int(Int64(repairedLines))),
        ]
        if !labelNames.isEmpty {
            list.append(("label_counts", .ints(labelNames.map { Int64(labelCounts[$0] ?? 0) })))
        }
        if !unseenLabels.isEmpty {
            let names = unseenLabels.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            list.append(("unseen_labels", .strings(names)))
            list.append(("unseen_label_counts", .ints(names.map { Int64(unseenLabels[$0]!) })))
        }
        return list
    }

    /// Reads the statistics back; `vocabularySize` comes from the stored vocabulary.
    init(file: H5File, labelNames: [String], vocabularySize: Int) throws {
        self.init()
        documents = try file.requireInt("documents")
        tokens = try file.requireInt("tokens")
        unknownTokens = try file.requireInt("unknown_tokens")
        truncatedDocuments = try file.requireInt("truncated_documents")
        emptyDocuments = try file.requireInt("empty_documents")
        unlabeledDocuments = try file.requireInt("unlabeled_documents")
        skippedLines = try file.requireInt("skipped_lines")
        repairedLines = try file.requireInt("repaired_lines")
        self.vocabularySize = vocabularySize
        if try file.attribute("label_counts") != nil {
            let counts = try file.requireInts("label_counts")
            guard counts.count == labelNames.count else {
                throw ArtifactError(file: file.path, object: "attribute 'label_counts' on /",
                                    message: "has \(counts.count) entries; expected one per label (\(labelNames.count))")
            }
            for (name, count) in zip(labelNames, counts) where count > 0 { labelCounts[name] = count }
        }
        if try file.attribute("unseen_labels") != nil {
            let names = try file.requireStrings("unseen_labels")
            let counts = try file.requireInts("unseen_label_counts")
            guard names.count == counts.count else {
                throw ArtifactError(file: file.path, object: "attribute 'unseen_label_counts' on /",
                                    message: "has \(counts.count) entries; expected one per unseen label (\(names.count))")
            }
            unseenLabels = Dictionary(uniqueKeysWithValues: zip(names, counts))
        }
    }
}
