import Foundation

extension ClassificationMetrics {
    /// A readable report for the terminal:
    ///
    ///     accuracy 0.6000 (3 of 5 documents), mean margin loss 0.1234
    ///
    ///     class  precision  recall  f1-score  support
    ///     ...
    ///
    ///     confusion matrix (rows: true class, columns: predicted class)
    ///     ...
    ///
    /// Columns are aligned by terminal display width, so CJK names line up.
    /// Names longer than `maxNameWidth` columns are cut with "…"; in the
    /// confusion matrix the column headers are cut to `maxColumnWidth`.
    public func textReport(maxNameWidth: Int = 24, maxColumnWidth: Int = 10, decimals: Int = 4) -> String {
        func number(_ x: Double) -> String { String(format: "%.\(decimals)f", x) }
        var lines: [String] = []
        lines.append("accuracy \(number(accuracy)) (\(confusion.trace) of \(documentCount) documents), "
                     + "mean margin loss \(number(marginLoss))")
        lines.append("")

        var scores = TextTable(header: ["class", "precision", "recall", "f1-score", "support"])
        func add(_ name: String, _ s: ClassScores) {
            scores.add([TerminalWidth.truncate(name, to: maxNameWidth),
                        number(s.precision), number(s.recall), number(s.f1), String(s.support)])
        }
        for (name, s) in zip(classNames, perClass) { add(name, s) }
        scores.addBreak()
        add("macro avg", macroAverage)
        add("weighted avg", weightedAverage)
        lines += scores.lines()
        lines.append("")

        lines.append("confusion matrix (rows: true class, columns: predicted class)")
        var matrix = TextTable(header: ["true \\ predicted"] + classNames.map { TerminalWidth.truncate($0, to: maxColumnWidth) })
        for (c, row) in confusion.rows.enumerated() {
            matrix.add([TerminalWidth.truncate(classNames[c], to: maxNameWidth)] + row.map(String.init))
        }
        lines += matrix.lines()
        return lines.joined(separator: "\n") + "\n"
    }
}
