import CapsNet


extension ClassScores {
    /// `{"precision", "recall", "f1", "support"}` in that order.
    var json: [(String, JSONValue)] {
        [("precision", .double(precision)), ("recall", .double(recall)),
         ("f1", .double(f1)), ("support", .int(support))]
    }
}

extension ClassificationMetrics {
    /// The same numbers as `textReport()`, as a JSON object with a fixed key
    /// order and no timestamps, so identical inputs give identical bytes:
    ///
    ///     {"documents", "accuracy", "correct", "margin_loss",
    ///      "margin_loss_parameters": {"m_plus", "m_minus", "lambda"},
    ///      "classes": [{"index", "name", "precision", "recall", "f1", "support", "predicted"}],
    ///      "macro_avg": {...}, "weighted_avg": {...},
    ///      "confusion_matrix": {"rows": "true", "columns": "predicted", "counts": [[Int]]}}
    ///
    /// `predicted` counts documents predicted as the class (a column sum).
    public var json: JSONValue {
        let classes: [JSONValue] = perClass.enumerated().map { c, s in
            .object([("index", .int(c)), ("name", .string(classNames[c]))] + s.json
                    + [("predicted", .int(confusion.columnTotal(c)))])
        }
        return .object([
            ("documents", .int(documentCount)),
            ("accuracy", .double(accuracy)),
            ("correct", .int(confusion.trace)),
            ("margin_loss", .double(marginLoss)),
            ("margin_loss_parameters", .object([
                ("m_plus", .double(Double(marginParameters.positive))),
                ("m_minus", .double(Double(marginParameters.negative))),
                ("lambda", .double(Double(marginParameters.lambda))),
            ])),
            ("classes", .array(classes)),
            ("macro_avg", .object(macroAverage.json)),
            ("weighted_avg", .object(weightedAverage.json)),
            ("confusion_matrix", .object([
                ("rows", .string("true")),
                ("columns", .string("predicted")),
                ("counts", .array(confusion.rows.map { .array($0.map(JSONValue.int)) })),
            ])),
        ])
    }
}
