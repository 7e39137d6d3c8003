import CapsArtifacts
import CapsKitTestSupport
import CapsNet
@testable import CapsReports
import XCTest

final class MarginLossTests: XCTestCase {
    func testDefaultParametersMatchTheHandComputation() throws {
        let m = try ThreeClassExample.metrics()
        XCTAssertEqual(m.marginLoss, 2.0125 / 6, accuracy: 1e-6)   // lengths are Float32: ~1e-8 input error
        XCTAssertEqual(m.marginParameters, MarginLoss(positive: 0.9, negative: 0.1, lambda: 0.5))
    }

    func testEachTermOfTheFormula() {
        // m⁺ 1, m⁻ 0, λ 1 make the loss Σ (1 − v_true)² + Σ v_other²; values are exact in binary.
        let loss = MarginLoss(positive: 1, negative: 0, lambda: 1)
        XCTAssertEqual(loss.loss(row: [0.5, 0.25] as [Float], label: 0), 0.25 + 0.0625)
        XCTAssertEqual(loss.loss(row: [0.5, 0.25] as [Float], label: 1), 0.5625 + 0.25)
        // λ scales only the absent-class term.
        let half = MarginLoss(positive: 1, negative: 0, lambda: 0.5)
        XCTAssertEqual(half.loss(row: [0.5, 0.25] as [Float], label: 0), 0.25 + 0.03125)
        // Inside the margins there is nothing to pay.
        XCTAssertEqual(MarginLoss().loss(row: [0.95, 0.05] as [Float], label: 0), 0)
    }

    func testMeanAveragesOverDocumentsNotClasses() throws {
        let lengths = try CapsuleLengths(values: [0.5, 0.25, 1, 0], classCount: 2)
        let loss = MarginLoss(positive: 1, negative: 0, lambda: 1)
        // Document losses 0.3125 and 0; the mean over 2 documents.
        XCTAssertEqual(try loss.mean(lengths: lengths, labels: [0, 0]), 0.15625)
    }
}
