import CapsCore
import XCTest
@testable import CapsNet

/// Linear layers, the masked first decoder layer, activations, dropout and
/// the reconstruction loss.
final class DecoderLayerTests: XCTestCase {
    let linearCheck = GradientCheck(step: 0.25, relative: 1e-4, absolute: 1e-4)
    let smoothCheck = GradientCheck(step: 1e-2, relative: 2e-3, absolute: 2e-4)

    func testLinearMatchesDefinitionAndGradients() {
        var g = SeededGenerator(seed: 31)
        let B = 3, inF = 5, outF = 4
        var layout = ParameterLayout()
        let layer = Linear(name: "decoder.2", inFeatures: inF, outFeatures: outF, layout: &layout)
        XCTAssertEqual(layer.weight.shape, [outF, inF])
        let store = ParameterStore(layout: layout)
        for i in 0..<store.count { store.values[i] = g.uniform(-1, 1) }
        let x = Buffer(TestData.normal(B * inF, &g)), out = Buffer(zeros: B * outF)
        layer.forward(x: x.pointer, batch: B, parameters: store, out: out.pointer)
        let w = store.value(layer.weight), bias = store.value(layer.bias)
        var expected = [Float]()
        for b in 0..<B {
            for o in 0..<outF {
                expected.append(bias[o] + (0..<inF).reduce(0) { $0 + w[o * inF + $1] * x.pointer[b * inF + $1] })
            }
        }
        TestData.assertClose(out.array, expected, relative: 1e-5, absolute: 1e-6, "linear output")
        let r = TestData.normal(out.count, &g)
        let objective = { () -> Double in
            layer.forward(x: x.pointer, batch: B, parameters: store, out: out.pointer)
            return TestData.dot(r, out.pointer)
        }
        store.zeroGradients()
        let dx = Buffer(zeros: x.count)
        layer.backward(x: x.pointer, dout: r, batch: B, parameters: store, dx: dx.pointer)
        for tensor in [layer.weight, layer.bias] {
            linearCheck.check(tensor.name, values: store.value(tensor), count: tensor.count,
                              analytic: try! store.gradient(named: tensor.name), generator: &g, objective: objective)
        }
        linearCheck.check("linear dx", values: x.pointer, count: x.count, analytic: dx.array, generator: &g, objective: objective)
    }

    func testMaskedCapsuleLinearEqualsLinearOnMaskedInput() {
        // The 16-column product must give exactly what the full C·16-column
        // layer gives on the capsules with every class but the selected one zeroed.
        var g = SeededGenerator(seed: 32)
        let B = 4, C = 3, O = 16, H = 7
        var layout = ParameterLayout()
        let masked = MaskedCapsuleLinear(name: "decoder.0", classes: C, capsuleDimension: O, outFeatures: H, layout: &layout)
        let store = ParameterStore(layout: layout)
        var fullLayout = ParameterLayout()
        let full = Linear(name: "decoder.0", inFeatures: C * O, outFeatures: H, layout: &fullLayout)
        let fullStore = ParameterStore(layout: fullLayout)
        XCTAssertEqual(masked.weight.shape, full.weight.shape)
        for i in 0..<store.count { store.values[i] = g.uniform(-1, 1) }
        fullStore.copyValues(from: store)

        let v = Buffer(TestData.normal(B * C * O, &g))
        let selected: [Int32] = [2, 0, 2, 1]
        var maskedInput = [Float](repeating: 0, count: B * C * O)
        for b in 0..<B {
            let k = Int(selected[b])
            for i in 0..<O { maskedInput[(b * C + k) * O + i] = v.pointer[(b * C + k) * O + i] }
        }
        let out = Buffer(zeros: B * H)
        var fullOut = [Float](repeating: 0, count: B * H)
        masked.forward(v: v.pointer, selected: selected, batch: B, parameters: store, out: out.pointer)
        full.forward(x: maskedInput, batch: B, parameters: fullStore, out: &fullOut)
        TestData.assertClose(out.array, fullOut, relative: 1e-5, absolute: 1e-6, "masked forward")

        let r = TestData.normal(B * H, &g)
        store.zeroGradients(); fullStore.zeroGradients()
        let dv = Buffer(zeros: v.count)
        var dFull = [Float](repeating: 0, count: B * C * O)
        masked.backward(v: v.pointer, selected: selected, dout: r, batch: B, parameters: store, dv: dv.pointer)
        full.backward(x: maskedInput, dout: r, batch: B, parameters: fullStore, dx: &dFull)
        for name in ["decoder.0.weight", "decoder.0.bias"] {
            TestData.assertClose(try! store.gradient(named: name), try! fullStore.gradient(named: name),
                                 relative: 1e-5, absolute: 1e-6, "masked \(name) gradient")
        }
        // Only the selected capsule receives a gradient; there it equals the full layer's dx.
        for b in 0..<B {
            for c in 0..<C {
                for i in 0..<O {
                    let idx = (b * C + c) * O + i
                    if c == Int(selected[b]) {
                        XCTAssertEqual(dv.pointer[idx], dFull[idx], accuracy: 1e-5)
                    } else {
                        XCTAssertEqual(dv.pointer[idx], 0)
                    }
                }
            }
        }
        let objective = { () -> Double in
            masked.forward(v: v.pointer, selected: selected, batch: B, parameters: store, out: out.pointer)
            return TestData.dot(r, out.pointer)
        }
        linearCheck.check("masked dv", values: v.pointer, count: v.count, analytic: dv.array, generator: &g, objective: objective)
        linearCheck.check("masked weight", values: store.value(masked.weight), count: masked.weight.count,
                          analytic: try! store.gradient(named: "decoder.0.weight"), generator: &g, objective: objective)
    }

    func testActivationGradients() {
        var g = SeededGenerator(seed: 33)
        let n = 40
        // Keep ReLU inputs away from the kink so the difference never straddles it.
        let x = Buffer(TestData.normal(n, &g).map { $0 >= 0 ? $0 + 0.1 : $0 - 0.1 })
        let y = Buffer(zeros: n)
        let r = TestData.normal(n, &g)
        for (name, forward, backward) in [
            ("relu", Activation.reluForward, Activation.reluBackward),
            ("sigmoid", Activation.sigmoidForward, Activation.sigmoidBackward),
        ] as [(String, (UnsafeMutablePointer<Float>, Int) -> Void,
               (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void)] {
            let objective = { () -> Double in
                y.pointer.update(from: x.pointer, count: n)
                forward(y.pointer, n)
                return TestData.dot(r, y.pointer)
            }
            _ = objective()
            let dy = Buffer(r)
            backward(y.pointer, dy.pointer, n)
            smoothCheck.check(name, values: x.pointer, count: n, analytic: dy.array, generator: &g, objective: objective)
        }
        var s: [Float] = [0]
        Activation.sigmoidForward(&s, count: 1)
        XCTAssertEqual(s[0], 0.5)
    }

    func testDropoutWithFixedMask() {
        var g = SeededGenerator(seed: 34)
        let n = 20_000, p: Float = 0.3
        let mask = Buffer(zeros: n)
        Dropout.makeMask(mask.pointer, count: n, probability: p, generator: &g)
        let dropped = mask.array.filter { $0 == 0 }.count
        // Binomial(20000, 0.3): standard deviation ≈ 65, so ±400 is > 6σ.
        XCTAssertEqual(Double(dropped), Double(n) * Double(p), accuracy: 400)
        XCTAssertTrue(mask.array.allSatisfy { $0 == 0 || $0 == 1 / (1 - p) })

        let m = 30
        let x = Buffer(TestData.normal(m, &g)), out = Buffer(zeros: m)
        let r = TestData.normal(m, &g)
        let dx = Buffer(zeros: m)
        Dropout.backward(dout: r, mask: mask.pointer, dx: dx.pointer, count: m)
        linearCheck.check("dropout", values: x.pointer, count: m, analytic: dx.array, generator: &g) {
            Dropout.forward(x: x.pointer, mask: mask.pointer, out: out.pointer, count: m)
            return TestData.dot(r, out.pointer)
        }
    }

    func testReconstructionLossValueAndGradient() {
        var g = SeededGenerator(seed: 35)
        let recon: [Float] = [0.5, 0.25, 1, 0]
        let target: [Float] = [0, 0.25, 0.5, 1]
        // (0.25 + 0 + 0.25 + 1) / 4 = 0.375
        XCTAssertEqual(ReconstructionLoss.forward(recon: recon, target: target, count: 4), 0.375, accuracy: 1e-7)
        let n = 12
        let r = Buffer(TestData.normal(n, &g)), t = TestData.normal(n, &g)
        var d = [Float](repeating: 0, count: n)
        _ = ReconstructionLoss.forward(recon: r.pointer, target: t, count: n, drecon: &d, scale: 0.7)
        smoothCheck.check("mse", values: r.pointer, count: n, analytic: d, generator: &g) {
            Double(0.7 * ReconstructionLoss.forward(recon: r.pointer, target: t, count: n))
        }
    }
}
