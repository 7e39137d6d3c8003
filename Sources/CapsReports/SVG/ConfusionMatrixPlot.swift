import Foundation

/// The confusion matrix as an SVG heat map: true classes down the left,
/// predicted classes along the bottom, the count in every cell, and each
/// cell coloured by its share of its row (recall-style normalisation, so a
/// rare class is as visible as a common one), with a colour scale at the right.
public enum ConfusionMatrixPlot {
    /// - Parameters:
    ///   - matrix: counts `[C, C]`, rows = true class.
    ///   - classNames: `[C]` names; cut to `maxNameWidth` terminal columns.
    ///   - title: the figure title.
    /// - Returns: a standalone SVG document (UTF-8 text).
    public static func svg(matrix: ConfusionMatrix, classNames: [String],
                           title: String = "Confusion matrix", maxNameWidth: Int = 20) throws -> String {
        let c = matrix.classCount
        guard classNames.count == c else {
            throw EvaluationError.classNameCount(names: classNames.count, classCount: c)
        }
        let names = classNames.map { TerminalWidth.truncate($0, to: maxNameWidth) }
        let labelSize = 12.0
        let cell = c <= 12 ? 48.0 : max(18.0, 576.0 / Double(c))
        let countSize = min(13.0, cell * 0.32)
        let labelWidth = (names.map { SVGCanvas.textWidth($0, size: labelSize) }.max() ?? 0) + 8

        // Layout: title band, then [axis title | row labels | matrix | colour bar],
        // then the rotated column labels and the axis title below.
        let left = 28 + labelWidth
        let top = 56.0
        let side = cell * Double(c)
        let bottomLabels = labelWidth * 0.71 + 12   // labels rotated by 45°
        let barX = left + side + 28
        let subtitle = "colour: share of the true class (row-normalised)"
        let headingWidth = max(SVGCanvas.textWidth(title, size: 16), SVGCanvas.textWidth(subtitle, size: 11))
        let width = max(barX + 16 + 48, left + headingWidth + 16)
        let height = top + side + bottomLabels + 32
        var canvas = SVGCanvas(width: width, height: max(height, top + 200))

        canvas.text(title, x: left, y: 24, size: 16, bold: true)
        canvas.text(subtitle, x: left, y: 42, size: 11, fill: "#555")

        for t in 0..<c {
            let support = matrix.rowTotal(t)
            for p in 0..<c {
                let count = matrix[t, p]
                let share = support > 0 ? Double(count) / Double(support) : 0
                let x = left + Double(p) * cell, y = top + Double(t) * cell
                canvas.rect(x: x, y: y, width: cell, height: cell, fill: HeatColour.hex(share), stroke: "#ffffff")
                canvas.text(String(count), x: x + cell / 2, y: y + cell / 2, anchor: .middle,
                            size: countSize, fill: HeatColour.textColour(share), middle: true)
            }
            canvas.text(names[t], x: left - 6, y: top + (Double(t) + 0.5) * cell, anchor: .end,
                        size: labelSize, middle: true)
        }
        for p in 0..<c {
            let x = left + (Double(p) + 0.5) * cell, y = top + side + 8
            canvas.text(names[p], x: x, y: y, anchor: .end, size: labelSize, rotate: -45, middle: true)
        }
        canvas.rect(x: left, y: top, width: side, height: side, fill: "none", stroke: "#888")
        canvas.text("true class", x: 14, y: top + side / 2, anchor: .middle, size: 12, bold: true, rotate: -90)
        canvas.text("predicted class", x: left + side / 2, y: top + side + bottomLabels + 20,
                    anchor: .middle, size: 12, bold: true)

        // Colour scale: 1 at the top, 0 at the bottom, ticks every quarter.
        canvas.verticalGradient(id: "heat", stops: [(0, HeatColour.hex(1)), (1, HeatColour.hex(0))])
        canvas.rect(x: barX, y: top, width: 16, height: side, fill: "url(#heat)", stroke: "#888")
        for q in 0...4 {
            let value = Double(q) / 4, y = top + side * (1 - value)
            canvas.line(barX + 16, y, barX + 20, y, stroke: "#888")
            canvas.text(String(format: "%.2f", value), x: barX + 23, y: y, size: 10, middle: true)
        }
        return canvas.render(title: title)
    }
}
