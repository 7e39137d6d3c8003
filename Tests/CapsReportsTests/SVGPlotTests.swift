import CapsArtifacts
import CapsKitTestSupport
@testable import CapsReports
import XCTest

final class SVGPlotTests: XCTestCase {
    func testConfusionHeatMapIsWellFormedAndEscapesNames() throws {
        let names = ["R&D <lab>", "\"quoted\" 'name'", "科技新闻"]
        let matrix = try ThreeClassExample.metrics().confusion
        let svg = try ConfusionMatrixPlot.svg(matrix: matrix, classNames: names)
        let doc = SVGInspector.parse(svg)
        XCTAssertEqual(doc.root, "svg")
        XCTAssertFalse(svg.contains("R&D <lab>"), "raw markup characters must be escaped")
        for name in names {
            // Each name labels one row and one column.
            XCTAssertEqual(doc.texts.filter { $0 == name }.count, 2, name)
        }
        XCTAssertEqual(doc.elementCounts["rect"]! - 3, 9, "9 cells besides background, frame and colour bar")
        // Cell counts in row-major order follow the row and column labels.
        let counts = doc.texts.filter { Int($0) != nil }
        XCTAssertEqual(counts, ["2", "1", "0", "0", "0", "0", "2", "1", "0"])
        XCTAssertTrue(doc.texts.contains("1.00") && doc.texts.contains("0.00"), "colour scale ticks")
    }

    func testHeatColoursAreRowNormalised() throws {
        // Row 0 has 2 of 3 in column 0, row 2 likewise: same share, same colour,
        // even though row 1 (empty) stays at the lowest colour.
        let matrix = try ThreeClassExample.metrics().confusion
        let svg = try ConfusionMatrixPlot.svg(matrix: matrix, classNames: ThreeClassExample.names)
        let twoThirds = HeatColour.hex(2.0 / 3), third = HeatColour.hex(1.0 / 3)
        XCTAssertEqual(svg.components(separatedBy: "fill=\"\(twoThirds)\"").count - 1, 2)
        XCTAssertEqual(svg.components(separatedBy: "fill=\"\(third)\"").count - 1, 2)
        XCTAssertEqual(HeatColour.hex(0), "#f7fbff")
        XCTAssertEqual(HeatColour.hex(1), "#08306b")
    }

    func testControlCharactersCannotBreakTheDocument() throws {
        let matrix = ConfusionMatrix(classCount: 1, labels: [0], predictions: [0])
        let svg = try ConfusionMatrixPlot.svg(matrix: matrix, classNames: ["bell\u{7}"], title: "a & b")
        let doc = SVGInspector.parse(svg)
        XCTAssertTrue(doc.texts.contains("bell\u{FFFD}"))
        XCTAssertTrue(doc.texts.contains("a & b"))
    }

    private func epoch(_ e: Int, loss: Double, acc: Double, valLoss: Double?, valAcc: Double?) -> EpochRecord {
        EpochRecord(epoch: e, loss: loss, marginLoss: loss * 0.9, reconstructionLoss: loss * 0.1,
                      trainAccuracy: acc, validationLoss: valLoss, validationAccuracy: valAcc,
                      learningRate: 0.001, seconds: 10, samplesPerSecond: 500)
    }

    func testTrainingCurvesHaveBothPanelsAxesAndLegend() throws {
        let history = (1...6).map { e in
            epoch(e, loss: 1 / Double(e), acc: 0.5 + 0.05 * Double(e), valLoss: 1.2 / Double(e), valAcc: 0.45 + 0.05 * Double(e))
        }
        let svg = try TrainingCurvesPlot.svg(history: history)
        let doc = SVGInspector.parse(svg)
        XCTAssertEqual(doc.root, "svg")
        XCTAssertEqual(doc.elementCounts["polyline"], 4, "training and validation in each panel")
        XCTAssertEqual(doc.elementCounts["circle"], 24, "one marker per epoch per series")
        XCTAssertEqual(doc.texts.filter { $0 == "training" }.count, 2)
        XCTAssertEqual(doc.texts.filter { $0 == "validation" }.count, 2)
        for label in ["Loss", "Accuracy", "epoch"] { XCTAssertTrue(doc.texts.contains(label), label) }
        for tick in ["1", "2", "6"] { XCTAssertTrue(doc.texts.contains(tick), "x tick \(tick)") }
    }

    func testDivergedEpochLeavesAGapAndNoValidationMeansNoValidationLine() throws {
        let losses = [1.0, 0.8, .nan, 0.5, 0.4]
        let history = losses.enumerated().map { epoch($0 + 1, loss: $1, acc: 0.5, valLoss: nil, valAcc: nil) }
        let doc = SVGInspector.parse(try TrainingCurvesPlot.svg(history: history))
        // Loss: two runs (epochs 1–2 and 4–5); accuracy: one run.
        XCTAssertEqual(doc.elementCounts["polyline"], 3)
        XCTAssertEqual(doc.elementCounts["circle"], 4 + 5)
        XCTAssertFalse(doc.texts.contains("validation"))
        XCTAssertFalse(try TrainingCurvesPlot.svg(history: history).contains("NaN"))
    }

    func testSingleEpochAndEmptyHistory() throws {
        let doc = SVGInspector.parse(try TrainingCurvesPlot.svg(history: [epoch(1, loss: 0.3, acc: 0.9, valLoss: nil, valAcc: 0.8)]))
        XCTAssertEqual(doc.elementCounts["circle"], 3)
        XCTAssertThrowsError(try TrainingCurvesPlot.svg(history: [])) {
            XCTAssertEqual($0 as? EvaluationError, .emptyHistory)
        }
    }

    func testAxisTicksAreRoundAndCoverTheData() {
        let axis = AxisScale(minimum: 0.13, maximum: 0.92, targetTicks: 5)
        XCTAssertEqual(axis.step, 0.2, accuracy: 1e-12)
        XCTAssertEqual(axis.lower, 0)
        XCTAssertEqual(axis.upper, 1, accuracy: 1e-12)
        XCTAssertEqual(axis.ticks.map(axis.label), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        XCTAssertEqual(AxisScale.niceStep(0.23), 0.5, accuracy: 1e-12)
        XCTAssertEqual(AxisScale.niceStep(7), 10)
        let epochs = AxisScale(minimum: 1, maximum: 3, targetTicks: 8, integer: true)
        XCTAssertEqual(epochs.ticks, [1, 2, 3])
        XCTAssertEqual(axis.position(0.5, from: 100, to: 0), 50, accuracy: 1e-9)
    }
}
