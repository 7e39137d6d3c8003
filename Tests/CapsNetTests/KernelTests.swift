import CapsCore
import XCTest
@testable import CapsNet

/// The fast paths behind the layers: BLAS.gemm's one-row (matrix-vector)
/// route and Adam's eight-lane update split across threads, each against a
/// direct Double computation of the same definition.
final class KernelTests: XCTestCase {
    func testOneRowGemmMatchesDirectProductForBothLayoutsOfB() {
        var g = SeededGenerator(seed: 71)
        let n = 5, k = 7
        let a = TestData.normal(k, &g)
        let bRows = TestData.normal(n * k, &g)          // [n, k]: used as Bᵀ (transB)
        let bCols = TestData.normal(k * n, &g)          // [k, n]: used as B
        let c0 = TestData.normal(n, &g)
        for transB in [true, false] {
            let b = transB ? bRows : bCols
            var c = c0
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    c.withUnsafeMutableBufferPointer { cp in
                        BLAS.gemm(transB: transB, m: 1, n: n, k: k, alpha: 2, a: ap.baseAddress!, lda: k,
                                  b: bp.baseAddress!, ldb: transB ? k : n, beta: 0.5, c: cp.baseAddress!, ldc: n)
                    }
                }
            }
            let expected = (0..<n).map { j -> Float in
                var s = 0.0
                for i in 0..<k { s += Double(a[i]) * Double(transB ? b[j * k + i] : b[i * n + j]) }
                return Float(2 * s + 0.5 * Double(c0[j]))
            }
            TestData.assertClose(c, expected, relative: 1e-5, absolute: 1e-6, "gemm m = 1, transB = \(transB)")
        }
    }

    /// 37 parameters: four full lanes of 8 and a tail of 5, updated by two
    /// threads, whose slices start off lane boundaries.
    func testVectorisedThreadedAdamMatchesTextbookAndIsSplitIndependent() throws {
        var g = SeededGenerator(seed: 72)
        var layout = ParameterLayout()
        _ = layout.add("w", shape: [37])
        let initial = TestData.normal(37, &g)
        let gradients = [TestData.normal(37, &g), TestData.normal(37, scale: 1e-3, &g)]
        func run(threads: Int) throws -> [Float] {
            let previous = ComputeThreads.count
            ComputeThreads.set(threads)
            defer { ComputeThreads.set(previous) }
            let store = ParameterStore(layout: layout)
            try store.set(contentsOf: initial)
            let adam = Adam(parameterCount: 37, learningRate: 0.01)
            for step in gradients {
                for i in 0..<37 { store.gradients[i] = step[i] }
                adam.update(store)
            }
            return store.allValues()
        }
        var theta = initial.map(Double.init), m = [Double](repeating: 0, count: 37), v = m
        for (t, step) in gradients.enumerated() {
            for i in 0..<37 {
                let gi = Double(step[i])
                m[i] = 0.9 * m[i] + 0.1 * gi
                v[i] = 0.999 * v[i] + 0.001 * gi * gi
                let mHat = m[i] / (1 - pow(0.9, Double(t + 1))), vHat = v[i] / (1 - pow(0.999, Double(t + 1)))
                theta[i] -= 0.01 * mHat / (vHat.squareRoot() + 1e-8)
            }
        }
        let one = try run(threads: 1)
        TestData.assertClose(one, theta.map(Float.init), relative: 1e-5, absolute: 1e-6, "Adam, 2 steps")
        // Adam's slices are at least 65,536 values, so force a real split through the kernel directly.
        XCTAssertEqual(try run(threads: 2), one)
        let constants = Adam.Constants(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, stepSize: 0.01, rootCorrection2: 0.5, shrink: 0.999)
        var p1 = initial, m1 = gradients[0], v1 = gradients[1].map { $0 * $0 }
        var p2 = p1, m2 = m1, v2 = v1
        let grad = gradients[1]
        grad.withUnsafeBufferPointer { gp in
            Adam.update(values: &p1, gradients: gp.baseAddress!, firstMoment: &m1, secondMoment: &v1, range: 0..<37,
                        constants: constants)
            for range in [0..<3, 3..<20, 20..<37] {
                Adam.update(values: &p2, gradients: gp.baseAddress!, firstMoment: &m2, secondMoment: &v2, range: range,
                            constants: constants)
            }
        }
        XCTAssertEqual(p1, p2, "lane-aligned and unaligned slices give identical parameters")
        XCTAssertEqual(m1, m2)
        XCTAssertEqual(v1, v2)
    }
}
