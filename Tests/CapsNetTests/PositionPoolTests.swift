import CapsCore
@testable import CapsNet
import XCTest

final class PositionPoolTests: XCTestCase {
    /// Segments as PyTorch's adaptive_max_pool1d cuts them: ⌊q·h/Q⌋ ..< ⌈(q+1)·h/Q⌉,
    /// covering every position, overlapping when Q does not divide h.
    func testSegmentsCoverEveryPositionAsAdaptivePoolingDoes() {
        let pool = PositionPool(channels: 1, inputPositions: 7, outputPositions: 3)
        XCTAssertEqual((0..<3).map(pool.segment), [0..<3, 2..<5, 4..<7])
        let whole = PositionPool(channels: 1, inputPositions: 5, outputPositions: 1)
        XCTAssertEqual(whole.segment(0), 0..<5)
        let identity = PositionPool(channels: 1, inputPositions: 4, outputPositions: 4)
        XCTAssertEqual((0..<4).map(identity.segment), [0..<1, 1..<2, 2..<3, 3..<4])
    }

    func testMaxOverSegmentsMatchesDefinitionAndGradients() {
        for (h, Q) in [(7, 3), (9, 1), (6, 2)] {
            var g = SeededGenerator(seed: 70 + UInt64(h))
            let B = 2, P = 3
            let pool = PositionPool(channels: P, inputPositions: h, outputPositions: Q)
            // Distinct values 0.1 apart, so a step of 0.01 never changes which position is largest.
            var order = Array(0..<(B * P * h))
            g.shuffle(&order)
            let input = Buffer(order.map { 0.1 * Float($0) - 1 })
            let out = Buffer(zeros: B * P * Q)
            pool.forward(input: input.pointer, batch: B, out: out.pointer)
            var expected = [Float]()
            for r in 0..<(B * P) {
                for q in 0..<Q {
                    let start = q * h / Q, end = ((q + 1) * h + Q - 1) / Q
                    expected.append((start..<end).map { input.pointer[r * h + $0] }.max()!)
                }
            }
            XCTAssertEqual(out.array, expected, "max pooling h=\(h) Q=\(Q)")

            let weights = TestData.normal(B * P * Q, &g)
            let objective = { () -> Double in
                pool.forward(input: input.pointer, batch: B, out: out.pointer)
                return TestData.dot(weights, out.pointer)
            }
            let dinput = Buffer(zeros: input.count)
            weights.withUnsafeBufferPointer {
                pool.backward(input: input.pointer, dout: $0.baseAddress!, batch: B, dinput: dinput.pointer)
            }
            // Each output's gradient lands on exactly one input position (two when segments overlap on it).
            XCTAssertEqual(dinput.array.filter { $0 != 0 }.count <= B * P * Q, true)
            GradientCheck(step: 0.01, relative: 1e-3, absolute: 1e-4, samples: 40)
                .check("pool dinput h=\(h) Q=\(Q)", values: input.pointer, count: input.count,
                       analytic: dinput.array, generator: &g, objective: objective)
        }
    }
}
