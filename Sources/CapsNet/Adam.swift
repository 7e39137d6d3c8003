import Foundation

/// Adam with PyTorch's semantics (bias-corrected moments, ε added outside the
/// square root; with `weightDecay` > 0, AdamW's decoupled decay) over a whole `ParameterStore`: the moment
/// buffers run parallel to the parameter buffer, and one fused loop updates
/// every parameter.
public final class Adam {
    /// Step size; the trainer may change it between steps (e.g. per-epoch decay).
    public var learningRate: Float
    public let beta1: Float, beta2: Float, epsilon: Float
    /// Decoupled weight decay (PyTorch's AdamW): p ← p·(1 − lr·decay) before
    /// the Adam step. 0 is plain Adam, bit for bit.
    public let weightDecay: Float
    /// Number of updates applied so far (t in the bias corrections).
    public private(set) var step = 0
    /// Length of the moment buffers (the store's parameter count).
    public let count: Int
    /// First and second moments [count], parallel to the parameter buffer.
    public let firstMoment: UnsafeMutablePointer<Float>
    public let secondMoment: UnsafeMutablePointer<Float>

    public init(parameterCount: Int, learningRate: Float = 1e-3, beta1: Float = 0.9,
                beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0) {
        count = parameterCount
        self.learningRate = learningRate; self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon
        self.weightDecay = weightDecay
        rowSparseLearningRate = learningRate
        firstMoment = .allocate(capacity: max(count, 1))
        firstMoment.initialize(repeating: 0, count: max(count, 1))
        secondMoment = .allocate(capacity: max(count, 1))
        secondMoment.initialize(repeating: 0, count: max(count, 1))
    }

    deinit {
        firstMoment.deallocate()
        secondMoment.deallocate()
    }

    /// Step size of the rows of row-sparse tensors (the lexical bucket
    /// table); the trainer sets it with `learningRate`.
    public var rowSparseLearningRate: Float

    /// One update of every parameter from its gradient:
    /// m ← β1 m + (1−β1) g, v ← β2 v + (1−β2) g²,
    /// p ← p·(1 − lr·decay) − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε),
    /// over the dense tensors; and over the rows of each row-sparse tensor
    /// that this step touched, with `rowSparseLearningRate` and no weight
    /// decay ("lazy" Adam: rows a step did not see keep their values and
    /// moments).
    ///
    /// Why lazy Adam for a table of hashed n-grams: a batch sees a few
    /// thousand of its rows, so a dense update would spend nearly all its
    /// time decaying the moments of rows with no gradient, and would keep
    /// moving rare n-grams for hundreds of steps after their one occurrence;
    /// per-row normalisation gives a rare n-gram a step as large as a common
    /// one when it does occur (what makes fastText's rare features learn);
    /// and a decay applied only when a row is seen would shrink common
    /// n-grams more than rare ones, so there is none.
    public func update(_ store: ParameterStore) {
        precondition(store.count == count, "Adam state of \(count) values used on a store of \(store.count)")
        step += 1
        let constants = Constants(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                                  step: step, weightDecay: weightDecay)
        let p = store.values, g = store.gradients, m = firstMoment, v = secondMoment
        // Elementwise and memory-bound (7 streams of `count` floats), so every
        // thread takes a slice; the split never changes a value.
        for dense in store.denseRanges {
            ComputeThreads.forEachChunk(dense.count, minimumChunk: 1 << 16) { range in
                let range = (range.lowerBound + dense.lowerBound)..<(range.upperBound + dense.lowerBound)
                Adam.update(values: p, gradients: g, firstMoment: m, secondMoment: v, range: range, constants: constants)
            }
        }
        let tensors = store.rowSparseTensors
        guard !tensors.isEmpty else { return }
        let sparse = Constants(learningRate: rowSparseLearningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                               step: step)
        for tensor in tensors {
            let width = tensor.rowWidth
            for row in store.touchedRows(of: tensor) {
                let start = tensor.offset + row * width
                Adam.update(values: p, gradients: g, firstMoment: m, secondMoment: v, range: start..<(start + width),
                            constants: sparse)
            }
        }
    }

    /// The scalars of one Adam step, computed once per step. The bias
    /// corrections are computed in Double (as PyTorch does, in Python floats)
    /// and folded into a Float step size lr/(1 − β1ᵗ) and a Float √(1 − β2ᵗ).
    public struct Constants: Equatable, Sendable {
        public let beta1: Float, beta2: Float, epsilon: Float
        /// lr / (1 − β1ᵗ).
        public let stepSize: Float
        /// √(1 − β2ᵗ).
        public let rootCorrection2: Float
        /// 1 − lr·decay; exactly 1 without weight decay.
        public let shrink: Float

        /// The constants of update number `step` (≥ 1) with these
        /// hyper-parameters; `weightDecay` is AdamW's decoupled decay (0: none).
        public init(learningRate: Float, beta1: Float, beta2: Float, epsilon: Float, step: Int,
                    weightDecay: Float = 0) {
            let correction1 = 1 - pow(Double(beta1), Double(step))
            let correction2 = 1 - pow(Double(beta2), Double(step))
            self.init(beta1: beta1, beta2: beta2, epsilon: epsilon,
                      stepSize: Float(Double(learningRate) / correction1),
                      rootCorrection2: Float(correction2.squareRoot()),
                      shrink: 1 - learningRate * weightDecay)
        }

        /// The constants given directly (for tests of the kernel).
        init(beta1: Float, beta2: Float, epsilon: Float, stepSize: Float, rootCorrection2: Float, shrink: Float) {
            self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon
            self.stepSize = stepSize; self.rootCorrection2 = rootCorrection2; self.shrink = shrink
        }
    }

    /// THE Adam kernel: one update of the elements `range` of parallel raw
    /// buffers — values p, gradients g (read only), first and second moments
    /// m and v — with the constants of the step. Every Adam update in CapsKit
    /// (the network's parameters, the fine-tuned embedding table) runs here.
    ///
    /// Eight lanes at a time; lane arithmetic is the scalar tail's operation
    /// for operation (IEEE square root and division, no fused multiply-add),
    /// so results do not depend on where a range starts or how a buffer is
    /// split into ranges.
    @inline(__always)
    public static func update(values p: UnsafeMutablePointer<Float>, gradients g: UnsafePointer<Float>,
                              firstMoment m: UnsafeMutablePointer<Float>, secondMoment v: UnsafeMutablePointer<Float>,
                              range: Range<Int>, constants k: Constants) {
        typealias V = SIMD8<Float>
        let b1 = V(repeating: k.beta1), b2 = V(repeating: k.beta2)
        let c1 = V(repeating: 1 - k.beta1), c2 = V(repeating: 1 - k.beta2)
        let step = V(repeating: k.stepSize), root = V(repeating: k.rootCorrection2), eps = V(repeating: k.epsilon)
        let shrink = V(repeating: k.shrink)
        var i = range.lowerBound
        while i + 8 <= range.upperBound {
            let gi = UnsafeRawPointer(g + i).loadUnaligned(as: V.self)
            let mi = b1 * UnsafeRawPointer(m + i).loadUnaligned(as: V.self) + c1 * gi
            let vi = b2 * UnsafeRawPointer(v + i).loadUnaligned(as: V.self) + c2 * gi * gi
            UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: V.self)
            UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: V.self)
            let pi = shrink * UnsafeRawPointer(p + i).loadUnaligned(as: V.self)
            UnsafeMutableRawPointer(p + i).storeBytes(of: pi - step * mi / (vi.squareRoot() / root + eps), as: V.self)
            i += 8
        }
        while i < range.upperBound {
            let gi = g[i]
            let mi = k.beta1 * m[i] + (1 - k.beta1) * gi
            let vi = k.beta2 * v[i] + (1 - k.beta2) * gi * gi
            m[i] = mi
            v[i] = vi
            p[i] = k.shrink * p[i] - k.stepSize * mi / (vi.squareRoot() / k.rootCorrection2 + k.epsilon)
            i += 1
        }
    }

    /// Restores a saved state (step count and both moments) for resuming a run.
    public func restore(step: Int, firstMoment m: [Float], secondMoment v: [Float]) throws {
        guard m.count == count else { throw CapsNetError.parameterSizeMismatch(name: "adam first moment", expected: count, got: m.count) }
        guard v.count == count else { throw CapsNetError.parameterSizeMismatch(name: "adam second moment", expected: count, got: v.count) }
        self.step = step
        m.withUnsafeBufferPointer { firstMoment.update(from: $0.baseAddress!, count: count) }
        v.withUnsafeBufferPointer { secondMoment.update(from: $0.baseAddress!, count: count) }
    }
}
