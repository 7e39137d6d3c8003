import XCTest
@testable import CapsNet

final class AdamTests: XCTestCase {
    /// Two steps checked against the textbook form (Kingma & Ba, Algorithm 1:
    /// m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ), θ −= lr·m̂/(√v̂ + ε)), computed in Double.
    func testTwoStepsMatchTextbookAdam() throws {
        var layout = ParameterLayout()
        _ = layout.add("a", shape: [3])
        _ = layout.add("b", shape: [2])
        let store = ParameterStore(layout: layout)
        let initial: [Float] = [1, -0.5, 0.25, 2, 0]
        try store.set(contentsOf: initial)
        let steps: [[Float]] = [[0.5, -1, 1e-3, 4, 0], [-1, -0.5, 2e-3, 4, 0]]
        let lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8
        let adam = Adam(parameterCount: store.count, learningRate: Float(lr))
        var theta = initial.map(Double.init), m = [Double](repeating: 0, count: 5), v = m
        for (t, g) in steps.enumerated() {
            for i in 0..<5 { store.gradients[i] = g[i] }
            adam.update(store)
            for i in 0..<5 {
                m[i] = b1 * m[i] + (1 - b1) * Double(g[i])
                v[i] = b2 * v[i] + (1 - b2) * Double(g[i]) * Double(g[i])
                let mHat = m[i] / (1 - pow(b1, Double(t + 1))), vHat = v[i] / (1 - pow(b2, Double(t + 1)))
                theta[i] -= lr * mHat / (vHat.squareRoot() + eps)
            }
            TestData.assertClose(store.allValues(), theta.map(Float.init), relative: 1e-6, absolute: 1e-7, "after step \(t + 1)")
        }
        XCTAssertEqual(adam.step, 2)
        // A zero gradient never moves its parameter.
        XCTAssertEqual(store.allValues()[4], 0)
    }

    /// PyTorch's AdamW: θ ← θ·(1 − lr·λ), then the Adam step; computed in Double.
    /// Odd-sized (19) so both the eight-lane loop and the scalar tail decay.
    func testWeightDecayIsAdamWsDecoupledShrink() throws {
        var layout = ParameterLayout()
        _ = layout.add("w", shape: [19])
        let store = ParameterStore(layout: layout)
        let initial = (0..<19).map { Float($0 - 9) * 0.25 }
        try store.set(contentsOf: initial)
        let lr = 0.05, decay = 0.5, b1 = 0.9, b2 = 0.999, eps = 1e-8
        let adam = Adam(parameterCount: 19, learningRate: Float(lr), weightDecay: Float(decay))
        var theta = initial.map(Double.init), m = [Double](repeating: 0, count: 19), v = m
        for t in 1...3 {
            let g = (0..<19).map { Float(($0 * 7 + t) % 5) - 2 }  // includes zero gradients
            for i in 0..<19 { store.gradients[i] = g[i] }
            adam.update(store)
            for i in 0..<19 {
                m[i] = b1 * m[i] + (1 - b1) * Double(g[i])
                v[i] = b2 * v[i] + (1 - b2) * Double(g[i]) * Double(g[i])
                let mHat = m[i] / (1 - pow(b1, Double(t))), vHat = v[i] / (1 - pow(b2, Double(t)))
                theta[i] = theta[i] * (1 - lr * decay) - lr * mHat / (vHat.squareRoot() + eps)
            }
            TestData.assertClose(store.allValues(), theta.map(Float.init), relative: 1e-6, absolute: 1e-6, "after step \(t)")
        }
        // Decay pulls a parameter with a zero gradient history towards zero.
        let quiet = ParameterStore(layout: layout)
        try quiet.set(contentsOf: [Float](repeating: 1, count: 19))
        let shrinking = Adam(parameterCount: 19, learningRate: 0.1, weightDecay: 1)
        shrinking.update(quiet)
        XCTAssertEqual(quiet.allValues(), [Float](repeating: 0.9, count: 19))
    }

    func testLearningRateChangeAndRestore() throws {
        var layout = ParameterLayout()
        _ = layout.add("w", shape: [2])
        let a = ParameterStore(layout: layout), b = ParameterStore(layout: layout)
        let adamA = Adam(parameterCount: 2), adamB = Adam(parameterCount: 2)
        a.gradients[0] = 1; a.gradients[1] = -2
        adamA.update(a)
        // Resume B from A's state: the next step must then match exactly.
        try b.set(contentsOf: a.allValues())
        try adamB.restore(step: adamA.step,
                          firstMoment: Array(UnsafeBufferPointer(start: adamA.firstMoment, count: 2)),
                          secondMoment: Array(UnsafeBufferPointer(start: adamA.secondMoment, count: 2)))
        adamA.learningRate = 5e-4; adamB.learningRate = 5e-4
        for store in [a, b] { store.gradients[0] = 0.3; store.gradients[1] = 0.1 }
        adamA.update(a); adamB.update(b)
        XCTAssertEqual(a.allValues(), b.allValues())
        XCTAssertThrowsError(try adamB.restore(step: 1, firstMoment: [0], secondMoment: [0, 0]))
    }
}
