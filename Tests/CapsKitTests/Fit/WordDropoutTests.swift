import CapsArtifacts
import CapsCore
@testable import CapsKit
import CapsKitTestSupport
import CapsReports
import XCTest

final class WordDropoutTests: XCTestCase {
    /// x [B=50, L=40, D=3] of ones.
    func blank(_ p: Double, seed: UInt64) -> (x: [Float], blanked: [Bool]) {
        var dropout = WordDropout(probability: p, batchSize: 50, maxLength: 40, dimension: 3)
        var x = [Float](repeating: 1, count: 50 * 40 * 3)
        var generator = SeededGenerator(seed: seed)
        x.withUnsafeMutableBufferPointer { dropout.apply(to: $0.baseAddress!, batch: 50, generator: &generator) }
        return (x, dropout.blanked)
    }

    func testBlanksWholeTokenVectorsAtTheRequestedRate() {
        let (x, blanked) = blank(0.25, seed: 7)
        let share = Double(blanked.filter { $0 }.count) / Double(blanked.count)
        // 2000 positions: the binomial's standard deviation is ≈ 0.0097.
        XCTAssertEqual(share, 0.25, accuracy: 0.04)
        for position in 0..<blanked.count {
            let vector = Array(x[(position * 3)..<(position * 3 + 3)])
            XCTAssertEqual(vector, blanked[position] ? [0, 0, 0] : [1, 1, 1], "position \(position): no rescaling")
        }
    }

    func testSameGeneratorSameBlanksAnotherSeedOthers() {
        XCTAssertEqual(blank(0.3, seed: 1).blanked, blank(0.3, seed: 1).blanked)
        XCTAssertNotEqual(blank(0.3, seed: 1).blanked, blank(0.3, seed: 2).blanked)
    }

    func testBlankedPositionsSendNoGradientToTheirWord() {
        // Table 4 × 2, row 0 padding; one document [2, 3]; the gradient reaches both positions.
        let tuner = EmbeddingTuner(table: [0, 0, 1, 1, 2, 2, 3, 3], dimension: 2)
        let dx: [Float] = [0.5, -0.25, 1, 1]
        tuner.accumulate(ids: [2, 3], maxLength: 2, rows: [0][...], dx: dx, skipping: [false, true])
        tuner.update(learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: 1)
        XCTAssertEqual(tuner.table[4], 2 - 0.1, accuracy: 1e-6, "word 2 was seen")
        XCTAssertEqual(Array(tuner.table[6..<8]), [3, 3], "word 3 was blanked: unchanged")
    }
}

final class InputDropoutTests: XCTestCase {
    func testScalesKeptValuesZeroesTheRestAndMasksTheGradientAlike() {
        var dropout = InputDropout(probability: 0.5, batchSize: 2, sampleSize: 500)
        var x = (0..<1000).map { Float($0 % 7) + 1 }
        let original = x
        var generator = SeededGenerator(seed: 3)
        x.withUnsafeMutableBufferPointer { dropout.apply(to: $0.baseAddress!, count: 1000, generator: &generator) }
        var gradient = [Float](repeating: 1, count: 1000)
        dropout.backward(&gradient)
        var dropped = 0
        for i in 0..<1000 {
            if x[i] == 0 {
                dropped += 1
                XCTAssertEqual(gradient[i], 0, "a dropped value passes no gradient (\(i))")
            } else {
                XCTAssertEqual(x[i], original[i] * 2, "kept values are scaled by 1/(1 − p) (\(i))")
                XCTAssertEqual(gradient[i], 2, "the gradient is scaled alike (\(i))")
            }
        }
        // Binomial(1000, 0.5): standard deviation ≈ 16.
        XCTAssertEqual(Double(dropped), 500, accuracy: 80)
    }

    /// Under MPI a rank holds rows [a, b) of the batch: it blanks exactly
    /// the positions one process blanks in those rows, and so does input dropout.
    func testARanksShareOfTheBatchGetsTheWholeBatchsMasks() {
        let held = 17..<33, L = 40, D = 3
        var full = WordDropout(probability: 0.3, batchSize: 50, maxLength: L, dimension: D)
        var whole = [Float](repeating: 1, count: 50 * L * D)
        var wholeGenerator = SeededGenerator(seed: 5)
        whole.withUnsafeMutableBufferPointer { full.apply(to: $0.baseAddress!, batch: 50, generator: &wholeGenerator) }
        let wholeBlanked = full.blanked
        var dropout = WordDropout(probability: 0.3, batchSize: 50, maxLength: L, dimension: D)
        var x = [Float](repeating: 1, count: held.count * L * D)
        var generator = SeededGenerator(seed: 5)
        x.withUnsafeMutableBufferPointer { dropout.apply(to: $0.baseAddress!, batch: 50, rows: held, generator: &generator) }
        XCTAssertEqual(x, Array(whole[(held.lowerBound * L * D)..<(held.upperBound * L * D)]))
        XCTAssertEqual(Array(dropout.blanked[0..<(held.count * L)]),
                       Array(wholeBlanked[(held.lowerBound * L)..<(held.upperBound * L)]))

        let count = 50 * 8, values = 120..<280
        var all = InputDropout(probability: 0.4, batchSize: 50, sampleSize: 8)
        var part = InputDropout(probability: 0.4, batchSize: 50, sampleSize: 8)
        var xAll = (0..<count).map { Float($0 + 1) }, xPart = Array(xAll[values])
        var g1 = SeededGenerator(seed: 9), g2 = SeededGenerator(seed: 9)
        xAll.withUnsafeMutableBufferPointer { all.apply(to: $0.baseAddress!, count: count, generator: &g1) }
        xPart.withUnsafeMutableBufferPointer { part.apply(to: $0.baseAddress!, count: count, values: values, generator: &g2) }
        XCTAssertEqual(xPart, Array(xAll[values]))
        XCTAssertTrue(xPart.contains(0) && xPart.contains { $0 != 0 })
        var gradAll = [Float](repeating: 1, count: count), gradPart = [Float](repeating: 1, count: values.count)
        all.backward(&gradAll)
        part.backward(&gradPart)
        XCTAssertEqual(gradPart, Array(gradAll[values]))
    }
}
