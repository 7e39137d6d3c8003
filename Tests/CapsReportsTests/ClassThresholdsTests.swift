import CapsReports
import XCTest

final class ClassThresholdsTests: XCTestCase {
    /// Four documents, two classes; class 0's lengths 0.9 (0), 0.6 (1), 0.5 (0), 0.2 (1).
    let lengths = try! CapsuleLengths(values: [0.9, 0.1, 0.6, 0.7, 0.5, 0.3, 0.2, 0.8], classCount: 2)
    let labels: [Int32] = [0, 1, 0, 1]

    func testDecisionsCountEachClassOneVsRest() {
        let (perClass, micro) = ClassThresholds(values: [0.55, 0.5]).decisions(lengths: lengths, labels: labels)
        // class 0 ≥ 0.55: documents 0 (true) and 1 (false); document 2 (true) missed.
        XCTAssertEqual(perClass[0], .init(truePositives: 1, falsePositives: 1, falseNegatives: 1))
        // class 1 ≥ 0.5: documents 1 and 3, both true.
        XCTAssertEqual(perClass[1], .init(truePositives: 2, falsePositives: 0, falseNegatives: 0))
        XCTAssertEqual(micro, .init(truePositives: 3, falsePositives: 1, falseNegatives: 1))
        XCTAssertEqual(micro.f1, 6.0 / 8.0, accuracy: 1e-12)
        XCTAssertEqual(perClass[0].precision, 0.5)
    }

    /// Class 0: predicting {0.9} gives F1 2/3, {0.9, 0.6} 2/4, {0.9, 0.6, 0.5} 4/5, all 4/6 → the cut
    /// between 0.5 and 0.2. Class 1 separates perfectly: the cut between 0.7 and 0.3.
    func testBestF1CutsBetweenLengthsAtTheBestPoint() {
        let best = ClassThresholds.bestF1(lengths: lengths, labels: labels)
        XCTAssertEqual(best.values[0], 0.35, accuracy: 1e-6)
        XCTAssertEqual(best.values[1], 0.5, accuracy: 1e-6)
        let (perClass, _) = best.decisions(lengths: lengths, labels: labels)
        XCTAssertEqual(perClass[0].f1, 0.8, accuracy: 1e-12)
        XCTAssertEqual(perClass[1].f1, 1)
        // A class with no labelled document keeps the fallback; unseen labels (−1) are left out.
        let none = ClassThresholds.bestF1(lengths: lengths, labels: [0, -1, 0, -1], fallback: 0.5)
        XCTAssertEqual(none.values[1], 0.5)
    }
}
