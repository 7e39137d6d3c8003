import CapsArtifacts
import CapsKitTestSupport
@testable import CapsReports
import XCTest

final class ClassificationMetricsTests: XCTestCase {
    func testPredictionsBreakTiesTowardsTheLowestClass() throws {
        XCTAssertEqual(try ThreeClassExample.lengths().predictions(), [0, 1, 0, 0, 0, 1])
        let allEqual = try CapsuleLengths(values: [0.3, 0.3, 0.3, 0.1, 0.4, 0.4], classCount: 3)
        XCTAssertEqual(allEqual.predictions(), [0, 1])
    }

    func testConfusionMatrixRowsAreTrueColumnsPredicted() throws {
        let m = try ThreeClassExample.metrics()
        XCTAssertEqual(m.confusion.rows, [[2, 1, 0], [0, 0, 0], [2, 1, 0]])
        XCTAssertEqual(m.confusion.trace, 2)
        XCTAssertEqual(m.confusion.total, 6)
        XCTAssertEqual((0..<3).map(m.confusion.columnTotal), [4, 2, 0])
    }

    func testPerClassScoresMatchTheHandComputation() throws {
        let m = try ThreeClassExample.metrics()
        XCTAssertEqual(m.accuracy, 1.0 / 3, accuracy: 1e-12)
        let expected: [(Double, Double, Double, Int)] = [(0.5, 2.0 / 3, 4.0 / 7, 3), (0, 0, 0, 0), (0, 0, 0, 3)]
        for (c, e) in expected.enumerated() {
            XCTAssertEqual(m.perClass[c].precision, e.0, accuracy: 1e-12, "precision of class \(c)")
            XCTAssertEqual(m.perClass[c].recall, e.1, accuracy: 1e-12, "recall of class \(c)")
            XCTAssertEqual(m.perClass[c].f1, e.2, accuracy: 1e-12, "F1 of class \(c)")
            XCTAssertEqual(m.perClass[c].support, e.3, "support of class \(c)")
        }
    }

    func testMacroAndWeightedAverages() throws {
        let m = try ThreeClassExample.metrics()
        XCTAssertEqual(m.macroAverage.precision, 1.0 / 6, accuracy: 1e-12)
        XCTAssertEqual(m.macroAverage.recall, 2.0 / 9, accuracy: 1e-12)
        XCTAssertEqual(m.macroAverage.f1, 4.0 / 21, accuracy: 1e-12)
        XCTAssertEqual(m.weightedAverage.precision, 0.25, accuracy: 1e-12)
        XCTAssertEqual(m.weightedAverage.recall, 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(m.weightedAverage.f1, 2.0 / 7, accuracy: 1e-12)
        // Weighted recall is accuracy by definition: an independent identity.
        XCTAssertEqual(m.weightedAverage.recall, m.accuracy, accuracy: 1e-12)
        XCTAssertEqual(m.macroAverage.support, 6)
    }

    func testPerfectPredictionsScoreOneEverywhere() throws {
        let lengths = try CapsuleLengths(values: [0.9, 0.1, 0.2, 0.8], classCount: 2)
        let m = try ClassificationMetrics(lengths: lengths, labels: [0, 1], classNames: ["x", "y"])
        XCTAssertEqual(m.accuracy, 1)
        XCTAssertEqual(m.perClass.map(\.f1), [1, 1])
        XCTAssertEqual(m.macroAverage.f1, 1)
    }

    func testEmptyBatchGivesZerosNotNaN() throws {
        let m = try ClassificationMetrics(lengths: CapsuleLengths(values: [], classCount: 2),
                                          labels: [], classNames: ["x", "y"])
        XCTAssertEqual(m.accuracy, 0)
        XCTAssertEqual(m.weightedAverage.f1, 0)
        XCTAssertEqual(m.marginLoss, 0)
    }

    func testInvalidInputsAreRejectedWithOneLineMessages() throws {
        let lengths = try ThreeClassExample.lengths()
        XCTAssertThrowsError(try CapsuleLengths(values: [0.1, 0.2, 0.3], classCount: 2)) {
            XCTAssertEqual($0 as? EvaluationError, .lengthsShape(count: 3, classCount: 2))
        }
        XCTAssertThrowsError(try CapsuleLengths(values: [0.1, .nan, 0.3, 0.4], classCount: 2)) {
            guard case .nonFiniteLength(document: 0, classIndex: 1, _)? = $0 as? EvaluationError else {
                return XCTFail("unexpected \($0)")
            }
        }
        XCTAssertThrowsError(try ClassificationMetrics(lengths: lengths, labels: [0, 0, 3, 0, 0, 0],
                                                       classNames: ThreeClassExample.names)) {
            XCTAssertEqual($0 as? EvaluationError, .labelOutOfRange(document: 2, label: 3, classCount: 3))
            XCTAssertTrue("\($0)".contains("document 2"))
            XCTAssertFalse("\($0)".contains("\n"))
        }
        XCTAssertThrowsError(try ClassificationMetrics(lengths: lengths, labels: [0], classNames: ThreeClassExample.names))
        XCTAssertThrowsError(try ClassificationMetrics(lengths: lengths, labels: ThreeClassExample.labels, classNames: ["A"]))
    }
}
