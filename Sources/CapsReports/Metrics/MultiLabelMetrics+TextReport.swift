import Foundation

extension MultiLabelMetrics {
    /// A readable report for the terminal:
    ///
    ///     5 documents, 6 true labels (1.2000 per document), 1 unseen label ignored
    ///     exact match 0.2000 (1 of 5 documents), hamming loss 0.3333 (5 of 15 decisions wrong)
    ///     micro  precision 0.5714  recall 0.6667  f1 0.6154
    ///     macro  precision 0.6111  recall 0.6667  f1 0.6333  (mean over all 3 classes)
    ///
    ///     class  threshold  support  precision  recall  f1-score
    ///     ...
    ///
    ///     P@1 0.7500  R@1 0.5000
    ///     ...
    ///     (P@k/R@k as fastText test -k, over the 4 documents with a known label)
    ///
    /// Columns are aligned by terminal display width, so CJK names line up;
    /// names longer than `maxNameWidth` columns are cut with "…".
    public func textReport(maxNameWidth: Int = 24, decimals: Int = 4) -> String {
        func number(_ x: Double) -> String { String(format: "%.\(decimals)f", x) }
        func plural(_ n: Int, _ word: String, _ words: String? = nil) -> String {
            "\(n) \(n == 1 ? word : words ?? word + "s")"
        }
        var lines: [String] = []
        var summary = "\(plural(documentCount, "document")), \(plural(goldLabelCount, "true label")) "
            + "(\(number(labelsPerDocument)) per document)"
        if unseenLabelCount > 0 { summary += ", \(plural(unseenLabelCount, "unseen label")) ignored" }
        lines.append(summary)
        let wrong = micro.falsePositives + micro.falseNegatives
        lines.append("exact match \(number(exactMatch)) (\(exactMatchCount) of \(plural(documentCount, "document"))), "
                     + "hamming loss \(number(hammingLoss)) (\(wrong) of \(documentCount * classNames.count) decisions wrong)")
        lines.append("micro  precision \(number(microPrecision))  recall \(number(microRecall))  f1 \(number(microF1))")
        lines.append("macro  precision \(number(macroPrecision))  recall \(number(macroRecall))  f1 \(number(macroF1))"
                     + "  (mean over all \(plural(classNames.count, "class", "classes")))")
        lines.append("")

        var table = TextTable(header: ["class", "threshold", "support", "precision", "recall", "f1-score"])
        for (c, d) in perClass.enumerated() {
            table.add([TerminalWidth.truncate(classNames[c], to: maxNameWidth), number(Double(thresholds.values[c])),
                       String(d.truePositives + d.falseNegatives), number(d.precision), number(d.recall), number(d.f1)])
        }
        lines += table.lines()

        if !precisionAtK.isEmpty {
            lines.append("")
            for (k, precision, recall) in precisionAtK {
                lines.append("P@\(k) \(number(precision))  R@\(k) \(number(recall))")
            }
            lines.append("(P@k/R@k as fastText test -k, over the \(plural(atKDocumentCount, "document")) with a known label)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
