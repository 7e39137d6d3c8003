import CapsArtifacts
import CapsReports

extension Scores {
    /// The terminal report: a line naming model, input and document counts,
    /// then the metrics' text report (accuracy, per-class P/R/F1, averages,
    /// confusion matrix), or a note that unlabelled input has no metrics.
    public func textReport() -> String {
        var head = "\(modelPath) on \(inputPath == "-" ? "<stdin>" : inputPath): \(documentCount) document\(documentCount == 1 ? "" : "s")"
        if skippedDocuments > 0 {
            head += ", \(skippedDocuments) with labels the model never saw (left out of the metrics)"
        }
        guard let metrics else { return head + "; no labels, so no metrics\n" }
        return head + "\n\n" + metrics.textReport()
    }

    /// The metrics as JSON (fixed key order, no timestamps), or for unlabelled
    /// input an object with the document count alone.
    public func jsonReport() -> String {
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
