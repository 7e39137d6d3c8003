import XCTest
@testable import CapsNet

final class GEMMCeilingTests: XCTestCase {
    /// Recording sees exactly the products made inside it, from every thread, and none outside.
    func testRecordsTheShapesOfTheProductsInsideItOnly() {
        let a = [Float](repeating: 1, count: 6 * 4), b = [Float](repeating: 2, count: 4 * 5)
        var c = [Float](repeating: 0, count: 6 * 5)
        func product(m: Int, transB: Bool = false) {
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        BLAS.gemm(transB: transB, m: m, n: 5, k: 4, a: a.baseAddress!, lda: 4, b: b.baseAddress!,
                                  ldb: transB ? 4 : 5, beta: 0, c: c.baseAddress!, ldc: 5)
                    }
                }
            }
        }
        product(m: 6)
        let shapes = GEMMCeiling.record {
            product(m: 6)
            product(m: 3, transB: true)
        }
        product(m: 2)
        XCTAssertEqual(shapes, [GEMMCeiling.Shape(transA: false, transB: false, m: 6, n: 5, k: 4),
                                GEMMCeiling.Shape(transA: false, transB: true, m: 3, n: 5, k: 4)])
        XCTAssertEqual(shapes[0].flops, 240)
        XCTAssertEqual(c[0], 8, "the product itself is unchanged by recording")
        XCTAssertTrue(GEMMCeiling.record {}.isEmpty)
    }

    /// A training step's recorded products are the network's big ones, and
    /// sgemm alone replays them in a positive time no longer than the step.
    func testAStepsProductsReplayFasterThanTheStep() throws {
        var config = CapsNetConfig(classes: 3)
        config.maxLength = 12; config.dimension = 16; config.filters = 32; config.primaryChannels = 32
        config.decoderHidden = [32]
        let network = try CapsuleNetwork(config: config, maxBatch: 8, seed: 1)
        let x = [Float](repeating: 0.5, count: 8 * network.sampleSize), labels = [Int32](repeating: 1, count: 8)
        let step = { _ = try network.trainStep(x: x, labels: labels) }
        try step()
        let shapes = try GEMMCeiling.record(step)
        XCTAssertGreaterThan(shapes.count, 4)
        // conv1's forward products: the windows' word vectors (k = D per n-gram offset) against the F filters.
        XCTAssertTrue(shapes.contains { $0.n == config.filters && $0.k == config.dimension && $0.m >= 8 }, "\(shapes)")
        // The primary capsules' convolution: F input channels, 32 output channels.
        XCTAssertTrue(shapes.contains { $0.n == config.primaryChannels && $0.k % config.filters == 0 }, "\(shapes)")
        let seconds = GEMMCeiling.seconds(of: shapes, threads: 1, splitAcrossThreads: false)
        XCTAssertGreaterThan(seconds, 0)
        XCTAssertEqual(GEMMCeiling.seconds(of: [], threads: 1, splitAcrossThreads: false), 0)
    }
}
