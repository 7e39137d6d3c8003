extension MultiLabelMetrics {
    /// The same numbers as `textReport()`, as a JSON object with a fixed key
    /// order and no timestamps, so identical inputs give identical bytes:
    ///
    ///     {"documents", "labels_per_document", "unseen_labels",
    ///      "micro_precision", "micro_recall", "micro_f1",
    ///      "macro_precision", "macro_recall", "macro_f1",
    ///      "exact_match", "hamming_loss", "thresholds": [Float],
    ///      "classes": [{"index", "name", "support", "predicted", "precision", "recall", "f1", "threshold"}],
    ///      "at_k_documents", "at_k": [{"k", "precision", "recall"}]}
    ///
    /// `unseen_labels` counts the dropped −1 labels; `predicted` counts the
    /// documents the class is predicted for; `at_k_documents` is the number
    /// of documents with a known label, the ones P@k/R@k are over.
    public var json: JSONValue {
        let classes: [JSONValue] = perClass.enumerated().map { c, d in
            .object([
                ("index", .int(c)), ("name", .string(classNames[c])),
                ("support", .int(d.truePositives + d.falseNegatives)),
                ("predicted", .int(d.truePositives + d.falsePositives)),
                ("precision", .double(d.precision)), ("recall", .double(d.recall)), ("f1", .double(d.f1)),
                ("threshold", .float(thresholds.values[c])),
            ])
        }
        let atK: [JSONValue] = precisionAtK.map {
            .object([("k", .int($0.k)), ("precision", .double($0.precision)), ("recall", .double($0.recall))])
        }
        return .object([
            ("documents", .int(documentCount)),
            ("labels_per_document", .double(labelsPerDocument)),
            ("unseen_labels", .int(unseenLabelCount)),
            ("micro_precision", .double(microPrecision)),
            ("micro_recall", .double(microRecall)),
            ("micro_f1", .double(microF1)),
            ("macro_precision", .double(macroPrecision)),
            ("macro_recall", .double(macroRecall)),
            ("macro_f1", .double(macroF1)),
            ("exact_match", .double(exactMatch)),
            ("hamming_loss", .double(hammingLoss)),
            ("thresholds", .array(thresholds.values.map(JSONValue.float))),
            ("classes", .array(classes)),
            ("at_k_documents", .int(atKDocumentCount)),
            ("at_k", .array(atK)),
        ])
    }
}
