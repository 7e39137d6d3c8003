import CapsArtifacts
@testable import CapsKit
import CapsKitTestSupport
import CapsReports
import XCTest

final class EmbeddingTunerTests: XCTestCase {
    /// Table of 4 rows × 2: row 0 padding. One document of length 2 per batch.
    func makeTuner(_ update: EmbeddingTuner.Update) -> EmbeddingTuner {
        EmbeddingTuner(table: [0, 0, 1, 1, 2, 2, 3, 3], dimension: 2, update: update)
    }

    /// Step 1 sees word 2, step 2 sees only word 3.
    func run(_ tuner: EmbeddingTuner) -> (afterFirst: [Float], afterSecond: [Float]) {
        let dx: [Float] = [0.5, -0.25, 0, 0]  // [1, L=2, D=2]: gradient for position 0 only
        tuner.accumulate(ids: [2, 0], maxLength: 2, rows: [0][...], dx: dx)
        tuner.update(learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: 1)
        let first = tuner.table
        tuner.accumulate(ids: [3, 0], maxLength: 2, rows: [0][...], dx: dx)
        tuner.update(learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: 2)
        return (first, tuner.table)
    }

    func testFirstStepIsPyTorchsAdamStepOnTheRowsSeen() {
        for update in EmbeddingTuner.Update.allCases {
            let (first, _) = run(makeTuner(update))
            // Adam's first step is lr · sign(g) (up to ε): row 2 moves by (−0.1, +0.1).
            XCTAssertEqual(first[4], 2 - 0.1, accuracy: 1e-6, "\(update)")
            XCTAssertEqual(first[5], 2 + 0.1, accuracy: 1e-6, "\(update)")
            XCTAssertEqual(Array(first[0..<4]), [0, 0, 1, 1], "padding and unseen rows stay (\(update))")
            XCTAssertEqual(Array(first[6..<8]), [3, 3], "\(update)")
        }
    }

    func testDenseKeepsMovingARowWithItsMomentumLazyDoesNot() {
        let (lazyFirst, lazySecond) = run(makeTuner(.lazy))
        XCTAssertEqual(Array(lazySecond[4..<6]), Array(lazyFirst[4..<6]), "lazy: row 2 unseen at step 2, unchanged")
        let (denseFirst, denseSecond) = run(makeTuner(.dense))
        // m = 0.09·g, v = 0.000999·g²; m̂/√v̂ = (0.09/0.19)/√(0.000999/0.001999) ≈ 0.67 in the direction of step 1.
        XCTAssertEqual(denseSecond[4], denseFirst[4] - 0.1 * 0.67, accuracy: 2e-3)
        XCTAssertEqual(denseSecond[5], denseFirst[5] + 0.1 * 0.67, accuracy: 2e-3)
        XCTAssertEqual(Array(denseSecond[0..<4]), [0, 0, 1, 1], "padding and never-seen rows stay")
        // Row 3, first seen at step 2, gets the same update from either variant.
        XCTAssertEqual(denseSecond[6], lazySecond[6], accuracy: 1e-6)
    }
}
