import CapsCore
import XCTest
@testable import CapsNet

/// conv1 and the primary-capsule convolution: forward against a direct sum
/// written from the definition, gradients against finite differences.
final class ConvolutionTests: XCTestCase {
    // Both layers are linear in each argument, so the central difference is
    // exact up to float32 rounding: a large step and a tight tolerance.
    let linearCheck = GradientCheck(step: 0.25, relative: 1e-4, absolute: 1e-4)

    func testNgramConvolutionMatchesDefinitionAndGradients() {
        var g = SeededGenerator(seed: 11)
        let B = 2, L = 7, D = 3, n = 3, F = 4, h1 = L - n + 1
        var layout = ParameterLayout()
        let conv = NgramConvolution(name: "conv1", length: L, dimension: D, ngram: n, filters: F, layout: &layout)
        let store = ParameterStore(layout: layout)
        XCTAssertEqual(conv.weight.shape, [F, 1, n, D])
        for i in 0..<store.count { store.values[i] = g.uniform(-1, 1) }
        let x = Buffer(TestData.normal(B * L * D, &g))
        let out = Buffer(zeros: B * L * F)
        conv.forward(x: x.pointer, batch: B, parameters: store, out: out.pointer)

        let w = store.value(conv.weight), bias = store.value(conv.bias)
        var expected: [Float] = [], got: [Float] = []
        for b in 0..<B {
            for t in 0..<h1 {
                for f in 0..<F {
                    var s = Double(bias[f])
                    for k in 0..<n {
                        for d in 0..<D { s += Double(w[(f * n + k) * D + d]) * Double(x.pointer[(b * L + t + k) * D + d]) }
                    }
                    expected.append(Float(s))
                    got.append(out.pointer[(b * L + t) * F + f])
                }
            }
        }
        TestData.assertClose(got, expected, relative: 1e-5, absolute: 1e-5, "conv1 output")

        // Objective ⟨r, out⟩ over the valid rows only (scratch rows get r = 0, as the layer requires).
        var r = TestData.normal(B * L * F, &g)
        for b in 0..<B { for t in h1..<L { for f in 0..<F { r[(b * L + t) * F + f] = 0 } } }
        let objective = { () -> Double in
            conv.forward(x: x.pointer, batch: B, parameters: store, out: out.pointer)
            return TestData.dot(r, out.pointer)
        }
        store.zeroGradients()
        let dx = Buffer(zeros: B * L * D)
        r.withUnsafeBufferPointer { conv.backward(x: x.pointer, dout: $0.baseAddress!, batch: B, parameters: store, dx: dx.pointer) }
        for tensor in [conv.weight, conv.bias] {
            linearCheck.check(tensor.name, values: store.value(tensor), count: tensor.count,
                              analytic: try! store.gradient(named: tensor.name), generator: &g, objective: objective)
        }
        linearCheck.check("conv1 dx", values: x.pointer, count: x.count, analytic: dx.array, generator: &g, objective: objective)
    }

    func testPrimaryConvolutionWithStrideMatchesDefinitionAndGradients() {
        // (K, stride) = (3, 2): overlapping windows, h2 = 3; (2, 3): gaps, h2 = 3, position 7 unused.
        for (K, stride) in [(3, 2), (2, 3)] {
            var g = SeededGenerator(seed: 12 + UInt64(K))
            let B = 2, F = 3, P = 16, h1 = 8, rowsPerSample = 9
            var layout = ParameterLayout()
            let conv = PrimaryConvolution(name: "primarycaps.conv2d", inChannels: F, outChannels: P, kernel: K,
                                          stride: stride, inputPositions: h1, inputRowsPerSample: rowsPerSample,
                                          maxBatch: B, layout: &layout)
            let h2 = conv.outputPositions
            XCTAssertEqual(h2, (h1 - K) / stride + 1)
            XCTAssertEqual(conv.weight.shape, [P, F, K, 1])
            let store = ParameterStore(layout: layout)
            for i in 0..<store.count { store.values[i] = g.uniform(-1, 1) }
            let input = Buffer(TestData.normal(B * rowsPerSample * F, &g))
            let out = Buffer(zeros: B * P * h2)
            conv.forward(input: input.pointer, batch: B, parameters: store, out: out.pointer)

            // PyTorch: out[b, p, j] = bias[p] + Σ_{f,k} W[p, f, k] · h[b, f, j·s + k], h stored here as [b, t, f].
            let w = store.value(conv.weight), bias = store.value(conv.bias)
            var expected = [Float](repeating: 0, count: B * P * h2)
            for b in 0..<B {
                for p in 0..<P {
                    for j in 0..<h2 {
                        var s = Double(bias[p])
                        for f in 0..<F {
                            for k in 0..<K {
                                s += Double(w[(p * F + f) * K + k]) * Double(input.pointer[(b * rowsPerSample + j * stride + k) * F + f])
                            }
                        }
                        expected[(b * P + p) * h2 + j] = Float(s)
                    }
                }
            }
            TestData.assertClose(out.array, expected, relative: 1e-5, absolute: 1e-5, "primary conv output K=\(K) s=\(stride)")

            let r = TestData.normal(B * P * h2, &g)
            let objective = { () -> Double in
                conv.forward(input: input.pointer, batch: B, parameters: store, out: out.pointer)
                return TestData.dot(r, out.pointer)
            }
            _ = objective()
            store.zeroGradients()
            let dinput = Buffer(zeros: input.count)
            r.withUnsafeBufferPointer { conv.backward(dout: $0.baseAddress!, batch: B, parameters: store, dinput: dinput.pointer) }
            for tensor in [conv.weight, conv.bias] {
                linearCheck.check("\(tensor.name) K=\(K) s=\(stride)", values: store.value(tensor), count: tensor.count,
                                  analytic: try! store.gradient(named: tensor.name), generator: &g, objective: objective)
            }
            linearCheck.check("primary dinput K=\(K) s=\(stride)", values: input.pointer, count: input.count,
                              analytic: dinput.array, generator: &g, objective: objective)
            // Rows no window reads (t ≥ (h2−1)·s + K) must get exactly zero gradient.
            let lastRead = (h2 - 1) * stride + K
            for b in 0..<B {
                for t in lastRead..<rowsPerSample {
                    for f in 0..<F { XCTAssertEqual(dinput.pointer[(b * rowsPerSample + t) * F + f], 0) }
                }
            }
        }
    }
}
