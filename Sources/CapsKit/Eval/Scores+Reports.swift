import Foundation
import CapsArtifacts
import CapsReports

extension Scores {
    /// The terminal report: a line naming model, input and document counts,
    /// then the metrics' text report (accuracy, per-class P/R/F1, averages,
    /// confusion matrix), or a note that unlabelled input has no metrics.
    /// Multi-label input: the multi-label metrics at `thresholds` (one per
    /// class; default `Scores.defaultThreshold` for each) in place of the
    /// single-label ones.
    public func textReport(thresholds: ClassThresholds? = nil) throws -> String {
        var head = "\(modelPath) on \(inputPath == "-" ? "<stdin>" : inputPath): \(documentCount) document\(documentCount == 1 ? "" : "s")"
        if let multi = try multiLabelMetrics(thresholds: thresholds ?? uniformThresholds) {
            return head + " (multi-label)\n\n" + multi.textReport()
        }
        if skippedDocuments > 0 {
            head += ", \(skippedDocuments) with labels the model never saw (left out of the metrics)"
        }
        guard let metrics else { return head + "; no labels, so no metrics\n" }
        return head + "\n\n" + metrics.textReport()
    }

    /// `defaultThreshold` for every class.
    var uniformThresholds: ClassThresholds {
        ClassThresholds(values: [Float](repeating: Self.defaultThreshold, count: labelNames.count))
    }

    /// The metrics as JSON (fixed key order, no timestamps), or for unlabelled
    /// input an object with the document count alone; multi-label input as
    /// `textReport`.
    public func jsonReport(thresholds: ClassThresholds? = nil) throws -> String {
        if let multi = try multiLabelMetrics(thresholds: thresholds ?? uniformThresholds) {
            return multi.json.serialized()
        }
        guard let metrics else {
            return JSONValue.object([("documents", .int(documentCount)), ("labelled_documents", .int(0))]).serialized()
        }
        return metrics.json.serialized()
    }

    /// Per-document TSV lines (see `DocumentPredictions`). The `true` column
    /// is filled only when every document has a label the model knows.
    public func predictionsTSV(selection: ScoreSelection, decimals: Int = 4) throws -> String {
        let truth = labels.flatMap { $0.contains { $0 < 0 } ? nil : $0 }
        return try DocumentPredictions(lengths: lengths, labels: truth, classNames: labelNames)
            .tsv(selection: selection, decimals: decimals)
    }

    /// The figures of `--plot`: `confusion.svg` (labelled input only) and
    /// `training.svg` (the model's history; for an ensemble
    /// `training-member<k>.svg`, one per member), as (file name, SVG text).
    public func plots() throws -> [(name: String, svg: String)] {
        var figures: [(name: String, svg: String)] = []
        if let metrics {
            figures.append(("confusion.svg", try ConfusionMatrixPlot.svg(
                matrix: metrics.confusion, classNames: labelNames,
                title: "Confusion matrix (\(metrics.documentCount) documents)")))
        }
        if histories.count == 1 {
            figures.append(("training.svg", try TrainingCurvesPlot.svg(history: history.records)))
        } else {
            for (index, member) in histories.enumerated() {
                figures.append(("training-member\(index + 1).svg", try TrainingCurvesPlot.svg(
                    history: member.records, title: "Training curves, member \(index + 1) of \(histories.count)")))
            }
        }
        return figures
    }
}

// MARK: - Per-class thresholds (`capseval --thresholds`, `--choose-thresholds`)

extension Scores {
    /// The labels of the documents the metrics count (−1 for unseen ones), or
    /// an error saying thresholds need labelled input.
    func requireLabels(for flag: String) throws -> [Int32] {
        guard let labels else { throw OptionError("\(flag) needs labelled input; \(inputPath) has no labels") }
        return labels
    }

    /// Reads a thresholds file for this model's classes: values in [0, 1),
    /// the range of capsule lengths; classes not listed keep 0.5, the
    /// midpoint the margin loss aims either side of (m⁻ 0.1, m⁺ 0.9).
    public func readThresholds(_ path: String) throws -> ClassThresholds {
        ClassThresholds(values: try PerClassValueFile.read(path, flag: "--thresholds", names: labelNames, unlisted: 0.5) {
            $0 >= 0 && $0 < 1 ? nil : "must lie in [0, 1), the range of capsule lengths"
        })
    }

    /// Chooses each class's threshold for the best one-vs-rest F1 on these
    /// documents and writes them as a `--thresholds` file.
    public func chooseThresholds(writingTo path: String) throws -> ClassThresholds {
        let chosen: ClassThresholds
        if let labelSets {
            chosen = ClassThresholds.bestF1(lengths: lengths, gold: labelSets)
        } else {
            chosen = ClassThresholds.bestF1(lengths: lengths, labels: try requireLabels(for: "--choose-thresholds"))
        }
        let comment = ["thresholds on capsule lengths, chosen for the best one-vs-rest F1 per class",
                       "on \(inputPath) (\(documentCount) documents) with \(modelPath); choose them on validation data, never on test data"]
        try TextOutput.write(PerClassValueFile.text(chosen.values, names: labelNames, comment: comment), to: path)
        return chosen
    }

    /// The text report's section for `thresholds` (from `source`): micro and
    /// per-class precision, recall and F1 when each class is decided by its
    /// own threshold.
    public func thresholdReport(_ thresholds: ClassThresholds, source: String) throws -> String {
        let (perClass, micro) = thresholds.decisions(lengths: lengths, labels: try requireLabels(for: "--thresholds"))
        func f(_ x: Double) -> String { String(format: "%.4f", x) }
        let width = max(5, labelNames.map(\.count).max() ?? 5)
        func pad(_ s: String) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }
        var out = "\nOne-vs-rest at per-class thresholds (\(source)): micro precision \(f(micro.precision)) recall \(f(micro.recall)) F1 \(f(micro.f1))\n"
        out += "\(pad("class"))  threshold  precision  recall  f1\n"
        for (c, d) in perClass.enumerated() {
            out += "\(pad(labelNames[c]))  \(f(Double(thresholds.values[c])))     \(f(d.precision))     \(f(d.recall))  \(f(d.f1))\n"
        }
        return out
    }

    /// The same section as JSON (`thresholds` in `--json`).
    public func thresholdJSON(_ thresholds: ClassThresholds, source: String) throws -> JSONValue {
        let (perClass, micro) = thresholds.decisions(lengths: lengths, labels: try requireLabels(for: "--thresholds"))
        return .object([
            ("source", .string(source)),
            ("micro_precision", .double(micro.precision)), ("micro_recall", .double(micro.recall)), ("micro_f1", .double(micro.f1)),
            ("classes", .array(perClass.enumerated().map { c, d in
                .object([("name", .string(labelNames[c])), ("threshold", .float(thresholds.values[c])),
                         ("precision", .double(d.precision)), ("recall", .double(d.recall)), ("f1", .double(d.f1))])
            })),
        ])
    }

    /// `jsonReport()` with the thresholds section added.
    public func jsonReport(thresholds: ClassThresholds?, source: String) throws -> String {
        if isMultiLabel { return try jsonReport(thresholds: thresholds) }
        guard let thresholds, metrics != nil else { return try jsonReport() }
        guard case .object(var pairs) = metrics!.json else { return try jsonReport() }
        pairs.append(("thresholds", try thresholdJSON(thresholds, source: source)))
        return JSONValue.object(pairs).serialized()
    }
}
