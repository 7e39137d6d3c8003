import CapsCore
import XCTest
@testable import CapsNet

/// Squash, class capsules with routing, lengths and the margin loss.
final class CapsuleLayerTests: XCTestCase {
    // Smooth non-linear maps: step 1e−2 keeps the O(h²) error and the float32
    // cancellation error (~1e−7/h) both near 1e−4 of the gradient's scale.
    let smoothCheck = GradientCheck(step: 1e-2, relative: 2e-3, absolute: 2e-4)

    func testSquashMatchesFormulaAndGradients() {
        var g = SeededGenerator(seed: 21)
        let capsules = 5, dim = 8
        var values = TestData.normal(capsules * dim, &g)
        for i in 0..<dim { values[i] = 0 }                     // a zero capsule
        for i in dim..<(2 * dim) { values[i] *= 1e-3 }         // a very short one
        let s = Buffer(values), v = Buffer(zeros: values.count)
        Squash.forward(s.pointer, v.pointer, capsules: capsules, dimension: dim)
        for c in 0..<capsules {
            let si = values[(c * dim)..<((c + 1) * dim)].map(Double.init)
            let n = si.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for i in 0..<dim {
                let expected = n * n / (1 + n * n) / (n + 1e-8) * si[i]
                XCTAssertEqual(Double(v.pointer[c * dim + i]), expected, accuracy: 1e-6 * max(1, abs(expected)))
            }
        }
        // Squashed lengths are below 1 and grow with |s|.
        var lengths = [Float](repeating: 0, count: capsules)
        CapsuleLength.forward(v.pointer, lengths: &lengths, capsules: capsules, dimension: dim)
        XCTAssertTrue(lengths.allSatisfy { $0 < 1 })

        let r = TestData.normal(values.count, &g)
        let ds = Buffer(zeros: values.count)
        r.withUnsafeBufferPointer { Squash.backward(s.pointer, $0.baseAddress!, ds.pointer, capsules: capsules, dimension: dim) }
        XCTAssertTrue(ds.array.allSatisfy(\.isFinite), "zero capsule must have a finite gradient")
        // At s = 0 the squash is flat to first order: its gradient is ~0.
        for i in 0..<dim { XCTAssertEqual(ds.pointer[i], 0, accuracy: 1e-6) }
        // Exclude the zero and tiny capsules from the difference check: the
        // step would dwarf them (their exact gradients are checked above).
        let offset = 2 * dim, count = values.count - offset
        let analytic = Array(ds.array[offset...])
        smoothCheck.check("squash", values: s.pointer + offset, count: count, analytic: analytic, generator: &g) {
            Squash.forward(s.pointer, v.pointer, capsules: capsules, dimension: dim)
            return TestData.dot(r, v.pointer)
        }
    }

    func testCapsuleLengthGradient() {
        var g = SeededGenerator(seed: 22)
        let capsules = 6, dim = 16
        let v = Buffer(TestData.normal(capsules * dim, scale: 0.3, &g))
        let lengths = Buffer(zeros: capsules)
        CapsuleLength.forward(v.pointer, lengths: lengths.pointer, capsules: capsules, dimension: dim)
        for c in 0..<capsules {
            let n = (0..<dim).reduce(0.0) { $0 + Double(v.pointer[c * dim + $1] * v.pointer[c * dim + $1]) }.squareRoot()
            XCTAssertEqual(Double(lengths.pointer[c]), n, accuracy: 1e-6)
        }
        let r = TestData.normal(capsules, &g)
        let dv = Buffer(zeros: v.count)
        r.withUnsafeBufferPointer {
            CapsuleLength.backward(v.pointer, lengths: lengths.pointer, dlengths: $0.baseAddress!, dv: dv.pointer,
                                   capsules: capsules, dimension: dim)
        }
        smoothCheck.check("lengths", values: v.pointer, count: v.count, analytic: dv.array, generator: &g) {
            CapsuleLength.forward(v.pointer, lengths: lengths.pointer, capsules: capsules, dimension: dim)
            return TestData.dot(r, lengths.pointer)
        }
    }

    func testMarginLossHandComputedAndGradient() {
        // Sample 0, label 0: lengths (0.95, 0.3, 0.05) → 0 + 0.5·0.2² + 0 = 0.02.
        // Sample 1, label 1: lengths (0.2, 0.5, 0.12) → 0.5·0.1² + 0.4² + 0.5·0.02² = 0.1652.
        let lengths: [Float] = [0.95, 0.3, 0.05, 0.2, 0.5, 0.12]
        let labels: [Int32] = [0, 1]
        let loss = MarginLoss()
        var d = [Float](repeating: 0, count: 6)
        let value = loss.forward(lengths: lengths, labels: labels, batch: 2, classes: 3, dlengths: &d)
        XCTAssertEqual(value, (0.02 + 0.1652) / 2, accuracy: 1e-6)
        // d/dl: present 2(l − m⁺) when l < m⁺; absent 2λ(l − m⁻) when l > m⁻; halved by the batch mean.
        let expected: [Float] = [0, 0.5 * 0.2, 0, 0.5 * 0.1, -0.4, 0.5 * 0.02]
        TestData.assertClose(d, expected, relative: 1e-5, absolute: 1e-6, "margin dlengths")
    }

    /// Class weights scale each sample's loss and gradient by its class's
    /// weight; the gradient matches central differences of the loss.
    func testWeightedMarginLossScalesEachSampleAndMatchesFiniteDifferences() {
        let lengths: [Float] = [0.95, 0.3, 0.05, 0.2, 0.5, 0.12]
        let labels: [Int32] = [0, 1]
        let plain = MarginLoss(), weighted = MarginLoss(classWeights: [2, 0.5, 1])
        XCTAssertEqual(weighted.forward(lengths: lengths, labels: labels, batch: 2, classes: 3),
                       (2 * 0.02 + 0.5 * 0.1652) / 2, accuracy: 1e-6)
        var d = [Float](repeating: 0, count: 6), dPlain = d
        _ = weighted.forward(lengths: lengths, labels: labels, batch: 2, classes: 3, dlengths: &d)
        _ = plain.forward(lengths: lengths, labels: labels, batch: 2, classes: 3, dlengths: &dPlain)
        TestData.assertClose(d, [2 * dPlain[0], 2 * dPlain[1], 2 * dPlain[2], 0.5 * dPlain[3], 0.5 * dPlain[4], 0.5 * dPlain[5]],
                             relative: 1e-6, absolute: 1e-7, "weighted dlengths")
        let h: Float = 1e-3
        for i in 0..<6 {
            var up = lengths, down = lengths
            up[i] += h; down[i] -= h
            let numeric = (weighted.forward(lengths: up, labels: labels, batch: 2, classes: 3)
                - weighted.forward(lengths: down, labels: labels, batch: 2, classes: 3)) / (2 * h)
            XCTAssertEqual(d[i], numeric, accuracy: 2e-3, "d loss / d length \(i)")
        }
    }

    /// Multi-label targets: every true class gets the m⁺ term, every other
    /// the λ m⁻ term; with one-hot targets it is the single-label loss; the
    /// gradient matches central differences.
    func testMultiLabelTargetsPushEveryTrueCapsuleAndMatchFiniteDifferences() {
        let lengths: [Float] = [0.95, 0.3, 0.05, 0.2, 0.5, 0.12]
        let labels: [Int32] = [0, 1]
        let loss = MarginLoss()
        let oneHot: [Float] = [1, 0, 0, 0, 1, 0]
        XCTAssertEqual(loss.forward(lengths: lengths, labels: labels, batch: 2, classes: 3, targets: oneHot),
                       loss.forward(lengths: lengths, labels: labels, batch: 2, classes: 3))
        // Sample 0 has classes 0 and 1: 0 + (0.9 − 0.3)² + 0 = 0.36; sample 1 classes 1 and 2:
        // 0.5·0.1² + 0.4² + 0.78² = 0.005 + 0.16 + 0.6084.
        let targets: [Float] = [1, 1, 0, 0, 1, 1]
        XCTAssertEqual(loss.forward(lengths: lengths, labels: labels, batch: 2, classes: 3, targets: targets),
                       (0.36 + 0.005 + 0.16 + 0.6084) / 2, accuracy: 1e-6)
        var d = [Float](repeating: 0, count: 6)
        _ = loss.forward(lengths: lengths, labels: labels, batch: 2, classes: 3, dlengths: &d, targets: targets)
        let h: Float = 1e-3
        for i in 0..<6 {
            var up = lengths, down = lengths
            up[i] += h; down[i] -= h
            let numeric = (loss.forward(lengths: up, labels: labels, batch: 2, classes: 3, targets: targets)
                - loss.forward(lengths: down, labels: labels, batch: 2, classes: 3, targets: targets)) / (2 * h)
            XCTAssertEqual(d[i], numeric, accuracy: 2e-3, "d loss / d length \(i)")
        }
    }

    /// The Double evaluation loss of one row is, bit for bit, the reports'
    /// formula: constants widened from Float, terms summed in Double in class order.
    func testMarginLossEvaluationInDoubleMatchesReference() {
        var g = SeededGenerator(seed: 24)
        let loss = MarginLoss(positive: 0.85, negative: 0.15, lambda: 0.4)
        let mPlus = Double(Float(0.85)), mMinus = Double(Float(0.15)), lambda = Double(Float(0.4))
        for C in [1, 2, 5] {
            for _ in 0..<20 {
                let row = (0..<C).map { _ in g.uniform(0, 1.2) }
                let label = g.nextInt(below: C)
                var expected = 0.0
                for c in 0..<C {
                    let l = Double(row[c])
                    if c == label {
                        let gap = max(0, mPlus - l)
                        expected += gap * gap
                    } else {
                        let excess = max(0, l - mMinus)
                        expected += lambda * excess * excess
                    }
                }
                XCTAssertEqual(loss.loss(row: row, label: label), expected)
                XCTAssertEqual(loss.loss(row: row[...], label: label), expected, "any collection of lengths")
                // The Float32 training loss of the same single sample agrees to float precision.
                let training = loss.forward(lengths: row, labels: [Int32(label)], batch: 1, classes: C)
                XCTAssertEqual(Double(training), expected, accuracy: 1e-6)
            }
        }
        // Hand-computed with the default constants: 0.5·(0.3 − 0.1)² + (0.9 − 0.5)².
        XCTAssertEqual(MarginLoss().loss(row: [0.3, 0.5] as [Float], label: 1), 0.5 * 0.04 + 0.16, accuracy: 1e-7)
        XCTAssertEqual(MarginLoss().loss(row: [0.95, 0.05] as [Float], label: 0), 0)
    }

    /// Reference routing in Double, written from the PyTorch reference:
    /// votes [B, C, N, O] and couplings [B, C, N] as it lays them out.
    /// `leaky`: Zhao et al.'s leaky softmax (an orphan logit 0 in the denominator).
    private func referenceRouting(u: [Float], w: [Float], B: Int, C: Int, N: Int, I: Int, O: Int, routings: Int,
                                  leaky: Bool = false)
        -> (votes: [Double], coupling: [Double], v: [Double]) {
        var uhat = [Double](repeating: 0, count: B * C * N * O)
        for b in 0..<B { for c in 0..<C { for n in 0..<N { for i in 0..<O {
            var s = 0.0
            for j in 0..<I { s += Double(w[((c * N + n) * O + i) * I + j]) * Double(u[(b * N + n) * I + j]) }
            uhat[((b * C + c) * N + n) * O + i] = s
        } } } }
        var logits = [Double](repeating: 0, count: B * C * N)
        var coupling = logits, v = [Double](repeating: 0, count: B * C * O)
        for r in 0..<routings {
            for b in 0..<B { for n in 0..<N {
                let e = (0..<C).map { exp(logits[(b * C + $0) * N + n]) }
                let z = e.reduce(0, +) + (leaky ? 1 : 0)
                for c in 0..<C { coupling[(b * C + c) * N + n] = e[c] / z }
            } }
            for b in 0..<B { for c in 0..<C {
                var s = [Double](repeating: 0, count: O)
                for n in 0..<N { for i in 0..<O { s[i] += coupling[(b * C + c) * N + n] * uhat[((b * C + c) * N + n) * O + i] } }
                let q = s.reduce(0) { $0 + $1 * $1 }, norm = q.squareRoot()
                for i in 0..<O { v[(b * C + c) * O + i] = q / (1 + q) / (norm + 1e-8) * s[i] }
            } }
            if r < routings - 1 {
                for b in 0..<B { for c in 0..<C { for n in 0..<N {
                    var a = 0.0
                    for i in 0..<O { a += v[(b * C + c) * O + i] * uhat[((b * C + c) * N + n) * O + i] }
                    logits[(b * C + c) * N + n] += a
                } } }
            }
        }
        return (uhat, coupling, v)
    }

    private func makeClassCapsules(routings: Int, scheme: RoutingScheme = .dynamic,
                                   couplingScale: CouplingScale = .reference, B: Int, C: Int, N: Int, I: Int,
                                   O: Int) -> (ClassCapsules, ParameterStore) {
        var layout = ParameterLayout()
        let layer = ClassCapsules(name: "digitcaps", classes: C, inCapsules: N, inDimension: I, outDimension: O,
                                  routings: routings, scheme: scheme, couplingScale: couplingScale, maxBatch: B,
                                  layout: &layout)
        return (layer, ParameterStore(layout: layout))
    }

    func testClassCapsulesForwardMatchesReferenceRouting() {
        var g = SeededGenerator(seed: 23)
        let B = 3, C = 4, N = 5, I = 8, O = 16
        for routings in [1, 3] {
            let (layer, store) = makeClassCapsules(routings: routings, B: B, C: C, N: N, I: I, O: O)
            XCTAssertEqual(layer.weight.shape, [C, N, O, I])
            let w = TestData.normal(layer.weight.count, scale: 0.3, &g)
            try! store.set("digitcaps.weight", w)
            let u = TestData.normal(B * N * I, scale: 0.5, &g)
            var v = [Float](repeating: 0, count: B * C * O)
            layer.forward(u: u, batch: B, parameters: store, out: &v)
            let reference = referenceRouting(u: u, w: w, B: B, C: C, N: N, I: I, O: O, routings: routings)
            TestData.assertClose(layer.votesInReferenceLayout(batch: B), reference.votes.map(Float.init),
                                 relative: 1e-5, absolute: 1e-6, "votes, \(routings) routings")
            TestData.assertClose(layer.couplingInReferenceLayout(batch: B), reference.coupling.map(Float.init),
                                 relative: 1e-5, absolute: 1e-6, "coupling, \(routings) routings")
            TestData.assertClose(v, reference.v.map(Float.init), relative: 1e-5, absolute: 1e-6,
                                 "class capsules, \(routings) routings")
        }
    }

    func testClassCapsulesGradientWithOneRouting() {
        // With one iteration the coupling is the constant 1/C, so the layer is a
        // plain differentiable map and its gradient is the true derivative.
        var g = SeededGenerator(seed: 24)
        let B = 2, C = 3, N = 4, I = 8, O = 16
        let (layer, store) = makeClassCapsules(routings: 1, B: B, C: C, N: N, I: I, O: O)
        for i in 0..<store.count { store.values[i] = 0.3 * g.normal() }
        let u = Buffer(TestData.normal(B * N * I, scale: 0.5, &g))
        checkTrueGradient(layer, store, u: u, batch: B, label: "", generator: &g)
    }

    /// For a layer whose coupling is a constant (one uniform pass), checks the
    /// weight and input gradients of φ = ⟨r, v⟩ against finite differences.
    private func checkTrueGradient(_ layer: ClassCapsules, _ store: ParameterStore, u: Buffer, batch B: Int,
                                   label: String, generator g: inout SeededGenerator) {
        let v = Buffer(zeros: B * layer.classes * layer.outDimension)
        let r = TestData.normal(v.count, &g)
        let objective = { () -> Double in
            layer.forward(u: u.pointer, batch: B, parameters: store, out: v.pointer)
            return TestData.dot(r, v.pointer)
        }
        _ = objective()
        store.zeroGradients()
        let du = Buffer(zeros: u.count)
        layer.backward(dv: r, u: u.pointer, batch: B, parameters: store, du: du.pointer)
        smoothCheck.check("digitcaps.weight" + label, values: store.value(layer.weight), count: layer.weight.count,
                          analytic: try! store.gradient(named: "digitcaps.weight"), generator: &g, objective: objective)
        smoothCheck.check("digitcaps du" + label, values: u.pointer, count: u.count, analytic: du.array,
                          generator: &g, objective: objective)
    }

    func testClassCapsulesGradientWithRoutingTreatsCouplingAsConstant() {
        checkFrozenCouplingGradient(scheme: .dynamic)
    }

    func testLeakyRoutingGradientTreatsCouplingAsConstant() {
        checkFrozenCouplingGradient(scheme: .leaky)
    }

    private func checkFrozenCouplingGradient(scheme: RoutingScheme) {
        // With three iterations the reference detaches the votes of the first
        // two, so the gradient is that of v = squash(Σ_n c·û) with the final
        // coupling c frozen. Check it against differences of exactly that map,
        // evaluated here in Double with the layer's coupling.
        var g = SeededGenerator(seed: 25)
        let B = 2, C = 3, N = 4, I = 8, O = 16
        let (layer, store) = makeClassCapsules(routings: 3, scheme: scheme, B: B, C: C, N: N, I: I, O: O)
        for i in 0..<store.count { store.values[i] = 0.3 * g.normal() }
        let u = Buffer(TestData.normal(B * N * I, scale: 0.5, &g))
        var v = [Float](repeating: 0, count: B * C * O)
        layer.forward(u: u.pointer, batch: B, parameters: store, out: &v)
        let coupling = layer.couplingInReferenceLayout(batch: B)
        let r = TestData.normal(v.count, &g)
        store.zeroGradients()
        let du = Buffer(zeros: u.count)
        layer.backward(dv: r, u: u.pointer, batch: B, parameters: store, du: du.pointer)
        let w = store.value(layer.weight)
        let frozen = { () -> Double in
            var total = 0.0
            for b in 0..<B { for c in 0..<C {
                var s = [Double](repeating: 0, count: O)
                for n in 0..<N { for i in 0..<O {
                    var vote = 0.0
                    for j in 0..<I { vote += Double(w[((c * N + n) * O + i) * I + j]) * Double(u.pointer[(b * N + n) * I + j]) }
                    s[i] += Double(coupling[(b * C + c) * N + n]) * vote
                } }
                let q = s.reduce(0) { $0 + $1 * $1 }, norm = q.squareRoot()
                for i in 0..<O { total += Double(r[(b * C + c) * O + i]) * q / (1 + q) / (norm + 1e-8) * s[i] }
            } }
            return total
        }
        // The frozen map is evaluated in Double: a smaller step, tighter tolerance.
        let check = GradientCheck(step: 1e-3, relative: 1e-4, absolute: 1e-6)
        check.check("digitcaps.weight (3 \(scheme) routings)", values: w, count: layer.weight.count,
                    analytic: try! store.gradient(named: "digitcaps.weight"), generator: &g, objective: frozen)
        check.check("digitcaps du (3 \(scheme) routings)", values: u.pointer, count: u.count, analytic: du.array,
                    generator: &g, objective: frozen)
    }

    func testLeakyRoutingMatchesTheReferenceAndLeavesTheOrphansShare() {
        var g = SeededGenerator(seed: 26)
        let B = 3, C = 4, N = 5, I = 8, O = 16
        for routings in [1, 3] {
            let (layer, store) = makeClassCapsules(routings: routings, scheme: .leaky, B: B, C: C, N: N, I: I, O: O)
            let w = TestData.normal(layer.weight.count, scale: 0.3, &g)
            try! store.set("digitcaps.weight", w)
            let u = TestData.normal(B * N * I, scale: 0.5, &g)
            var v = [Float](repeating: 0, count: B * C * O)
            layer.forward(u: u, batch: B, parameters: store, out: &v)
            let reference = referenceRouting(u: u, w: w, B: B, C: C, N: N, I: I, O: O, routings: routings, leaky: true)
            let coupling = layer.couplingInReferenceLayout(batch: B)
            TestData.assertClose(coupling, reference.coupling.map(Float.init),
                                 relative: 1e-5, absolute: 1e-6, "leaky coupling, \(routings) routings")
            TestData.assertClose(v, reference.v.map(Float.init), relative: 1e-5, absolute: 1e-6,
                                 "leaky class capsules, \(routings) routings")
            // Before any agreement every class gets 1/(C + 1): the orphan keeps one share.
            if routings == 1 { XCTAssertEqual(coupling[0], 1 / Float(C + 1), accuracy: 1e-7) }
            for b in 0..<B { for n in 0..<N {
                let total = (0..<C).reduce(Float(0)) { $0 + coupling[(b * C + $1) * N + n] }
                XCTAssertLessThan(total, 1, "the orphan class takes a share")
            } }
        }
    }

    func testStaticRoutingIsOneUniformPassWhateverTheIterations() {
        // Static routing with 3 "iterations" is dynamic routing's first pass:
        // coupling exactly 1/C, bit for bit the same class capsules.
        var g = SeededGenerator(seed: 27)
        let B = 2, C = 5, N = 6, I = 8, O = 16
        let (staticLayer, staticStore) = makeClassCapsules(routings: 3, scheme: .static, B: B, C: C, N: N, I: I, O: O)
        let (oneRouting, oneStore) = makeClassCapsules(routings: 1, B: B, C: C, N: N, I: I, O: O)
        let w = TestData.normal(staticLayer.weight.count, scale: 0.3, &g)
        try! staticStore.set("digitcaps.weight", w)
        try! oneStore.set("digitcaps.weight", w)
        let u = TestData.normal(B * N * I, scale: 0.5, &g)
        var vStatic = [Float](repeating: 0, count: B * C * O), vOne = vStatic
        staticLayer.forward(u: u, batch: B, parameters: staticStore, out: &vStatic)
        oneRouting.forward(u: u, batch: B, parameters: oneStore, out: &vOne)
        XCTAssertEqual(vStatic, vOne)
        XCTAssertTrue(staticLayer.couplingInReferenceLayout(batch: B).allSatisfy { $0 == 1 / Float(C) })
        // Its gradient is the true derivative (the coupling is a constant).
        for i in 0..<staticStore.count { staticStore.values[i] = 0.3 * g.normal() }
        checkTrueGradient(staticLayer, staticStore, u: Buffer(u), batch: B, label: " (static)", generator: &g)
    }

    func testCouplingScaledByTheClassCountKeepsTheUniformStartAndItsGradient() {
        // k = C: one uniform pass gives s = Σ_n û whatever C, the reference's s times C.
        var g = SeededGenerator(seed: 28)
        let B = 2, C = 7, N = 4, I = 8, O = 16
        let (scaled, scaledStore) = makeClassCapsules(routings: 1, couplingScale: .classes, B: B, C: C, N: N, I: I, O: O)
        let (plain, plainStore) = makeClassCapsules(routings: 1, B: B, C: C, N: N, I: I, O: O)
        XCTAssertEqual(scaled.couplingScale, Float(C))
        XCTAssertEqual(plain.couplingScale, 1)
        let w = TestData.normal(scaled.weight.count, scale: 0.3, &g)
        try! scaledStore.set("digitcaps.weight", w)
        try! plainStore.set("digitcaps.weight", w.map { $0 * Float(C) })   // C·W gives the same s
        let u = Buffer(TestData.normal(B * N * I, scale: 0.5, &g))
        var vScaled = [Float](repeating: 0, count: B * C * O), vPlain = vScaled
        scaled.forward(u: u.pointer, batch: B, parameters: scaledStore, out: &vScaled)
        plain.forward(u: u.pointer, batch: B, parameters: plainStore, out: &vPlain)
        TestData.assertClose(vScaled, vPlain, relative: 1e-5, absolute: 1e-7, "k = C equals C-fold weights")
        // One pass with a constant coupling is a plain map: its gradient is the true derivative.
        checkTrueGradient(scaled, scaledStore, u: u, batch: B, label: " (k = C)", generator: &g)
    }
}
