import CapsArtifacts
import Foundation

/// Training curves as an SVG figure with two panels side by side: loss per
/// epoch (training, and validation when recorded) and accuracy per epoch
/// (training and validation), each with axes, ticks, grid and a legend.
/// NaN or infinite values (a diverged epoch) leave a gap in their line.
public enum TrainingCurvesPlot {
    /// A standalone SVG document (UTF-8 text) for `history` (at least one epoch).
    public static func svg(history: [EpochRecord], title: String = "Training curves") throws -> String {
        guard !history.isEmpty else { throw EvaluationError.emptyHistory }
        let panel = (width: 420.0, height: 260.0)
        let margin = (left: 64.0, right: 24.0, top: 64.0, bottom: 56.0)
        var canvas = SVGCanvas(width: 2 * (margin.left + panel.width + margin.right),
                               height: margin.top + panel.height + margin.bottom)
        canvas.text(title, x: margin.left, y: 26, size: 16, bold: true)

        let epochs = history.map { Double($0.epoch) }
        let hasValidationLoss = history.contains { $0.validationLoss != nil }
        let hasValidationAccuracy = history.contains { $0.validationAccuracy != nil }

        var loss = [Series(name: "training", colour: "#1f77b4", values: history.map(\.loss))]
        if hasValidationLoss {
            loss.append(Series(name: "validation", colour: "#ff7f0e", values: history.map { $0.validationLoss ?? .nan }))
        }
        var accuracy = [Series(name: "training", colour: "#1f77b4", values: history.map(\.trainAccuracy))]
        if hasValidationAccuracy {
            accuracy.append(Series(name: "validation", colour: "#ff7f0e", values: history.map { $0.validationAccuracy ?? .nan }))
        }

        drawPanel(&canvas, x: margin.left, y: margin.top, size: panel,
                  title: "Loss", yTitle: "loss", epochs: epochs, series: loss)
        drawPanel(&canvas, x: 2 * margin.left + margin.right + panel.width, y: margin.top, size: panel,
                  title: "Accuracy", yTitle: "accuracy", epochs: epochs, series: accuracy)
        return canvas.render(title: title)
    }

    struct Series {
        let name: String
        let colour: String
        /// One value per epoch; non-finite values are gaps.
        let values: [Double]
    }

    private static func drawPanel(_ canvas: inout SVGCanvas, x: Double, y: Double,
                                  size: (width: Double, height: Double), title: String, yTitle: String,
                                  epochs: [Double], series: [Series]) {
        let finite = series.flatMap(\.values).filter(\.isFinite)
        let xAxis = AxisScale(minimum: epochs.min()!, maximum: epochs.max()!, targetTicks: 8, integer: true)
        let yAxis = AxisScale(minimum: finite.min() ?? 0, maximum: finite.max() ?? 1, targetTicks: 5)
        let (x0, x1, yBottom, yTop) = (x, x + size.width, y + size.height, y)
        func px(_ v: Double) -> Double { xAxis.position(v, from: x0, to: x1) }
        func py(_ v: Double) -> Double { yAxis.position(v, from: yBottom, to: yTop) }

        canvas.text(title, x: x0, y: y - 12, size: 13, bold: true)
        for tick in yAxis.ticks {
            canvas.line(x0, py(tick), x1, py(tick), stroke: "#e5e5e5")
            canvas.line(x0 - 5, py(tick), x0, py(tick), stroke: "#444")
            canvas.text(yAxis.label(tick), x: x0 - 8, y: py(tick), anchor: .end, size: 11, middle: true)
        }
        for tick in xAxis.ticks {
            canvas.line(px(tick), yBottom, px(tick), yBottom + 5, stroke: "#444")
            canvas.text(xAxis.label(tick), x: px(tick), y: yBottom + 18, anchor: .middle, size: 11)
        }
        canvas.line(x0, yBottom, x1, yBottom, stroke: "#444")
        canvas.line(x0, yBottom, x0, yTop, stroke: "#444")
        canvas.text("epoch", x: (x0 + x1) / 2, y: yBottom + 38, anchor: .middle, size: 12)
        canvas.text(yTitle, x: x0 - 48, y: (yTop + yBottom) / 2, anchor: .middle, size: 12, rotate: -90)

        for s in series {
            var run: [(Double, Double)] = []
            func flush() {
                if run.count > 1 { canvas.polyline(run, stroke: s.colour) }
                run.removeAll()
            }
            for (e, v) in zip(epochs, s.values) {
                guard v.isFinite else { flush(); continue }
                run.append((px(e), py(v)))
                canvas.circle(px(e), py(v), r: 2.5, fill: s.colour)
            }
            flush()
        }

        // Legend on a white backing, in whichever corner covers the fewest
        // data points (top-right first), so it hides as little as possible.
        let entryWidth = 24 + (series.map { SVGCanvas.textWidth($0.name, size: 11) }.max() ?? 0)
        let box = (width: entryWidth + 8, height: Double(series.count) * 18 + 6)
        let corners = [(x1 - box.width - 8, yTop + 8), (x1 - box.width - 8, yBottom - box.height - 8),
                       (x0 + 8, yTop + 8), (x0 + 8, yBottom - box.height - 8)]
        let points = series.flatMap { s in zip(epochs, s.values).filter { $0.1.isFinite }.map { (px($0.0), py($0.1)) } }
        func covered(_ corner: (Double, Double)) -> Int {
            points.filter { p in
                p.0 >= corner.0 - 4 && p.0 <= corner.0 + box.width + 4 && p.1 >= corner.1 - 4 && p.1 <= corner.1 + box.height + 4
            }.count
        }
        // min(by:) keeps the first of equal minima, so top-right wins ties.
        let (legendX, legendY) = corners.min { covered($0) < covered($1) }!
        canvas.rect(x: legendX, y: legendY, width: box.width, height: box.height,
                    fill: "#ffffff", stroke: "#cccccc", extra: " fill-opacity=\"0.85\"")
        for (i, s) in series.enumerated() {
            let ly = legendY + 12 + Double(i) * 18
            canvas.line(legendX + 6, ly, legendX + 24, ly, stroke: s.colour, width: 2)
            canvas.text(s.name, x: legendX + 28, y: ly, size: 11, middle: true)
        }
    }
}
