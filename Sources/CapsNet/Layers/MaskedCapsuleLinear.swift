import CapsCore

/// The decoder's first layer, Linear(C·O → H), applied to the class capsules
/// masked to ONE class per sample (the true label in training, the longest
/// capsule at inference). Every other input is zero, so only the O weight
/// columns of the selected class matter: y[b] = W[:, O·k..<O·k+O] · v[b, k] + bias,
/// an O-column product per sample instead of a C·O-column one.
public struct MaskedCapsuleLinear: Sendable {
    /// Layer name, the prefix of its tensors' names.
    public let name: String
    public let classes: Int, capsuleDimension: Int, outFeatures: Int
    /// [H, C·O]
    public let weight: ParameterTensor
    /// [H]
    public let bias: ParameterTensor

    public init(name: String, classes: Int, capsuleDimension: Int, outFeatures: Int,
                layout: inout ParameterLayout) {
        self.name = name
        self.classes = classes; self.capsuleDimension = capsuleDimension; self.outFeatures = outFeatures
        weight = layout.add("\(name).weight", shape: [outFeatures, classes * capsuleDimension])
        bias = layout.add("\(name).bias", shape: [outFeatures])
    }

    /// PyTorch's Linear default over the whole (unmasked) input: weight, then
    /// bias, U(−1/√(C·O), 1/√(C·O)).
    public func initialize(_ parameters: ParameterStore, using generator: inout SeededGenerator) {
        let fanIn = classes * capsuleDimension
        parameters.fillUniform(weight, fanIn: fanIn, using: &generator)
        parameters.fillUniform(bias, fanIn: fanIn, using: &generator)
    }

    /// v: [B, C, O], selected: [B] class per sample → out: [B, H].
    public func forward(v: UnsafePointer<Float>, selected: UnsafePointer<Int32>, batch: Int,
                        parameters: ParameterStore, out: UnsafeMutablePointer<Float>) {
        let O = capsuleDimension, width = classes * O
        let w = parameters.value(weight), bias = parameters.value(self.bias)
        for b in 0..<batch {
            let k = Int(selected[b])
            let y = out + b * outFeatures
            y.update(from: bias, count: outFeatures)
            BLAS.gemv(m: outFeatures, n: O, a: w + k * O, lda: width,
                      x: v + (b * classes + k) * O, beta: 1, y: y)
        }
    }

    /// dout: [B, H]; v, selected as in forward. Accumulates the weight and bias
    /// gradients (only the selected O columns per sample) and dv [B, C, O] (+=,
    /// only the selected capsule per sample).
    public func backward(v: UnsafePointer<Float>, selected: UnsafePointer<Int32>, dout: UnsafePointer<Float>,
                         batch: Int, parameters: ParameterStore, dv: UnsafeMutablePointer<Float>?) {
        let O = capsuleDimension, width = classes * O
        let w = parameters.value(weight), dw = parameters.gradient(weight), db = parameters.gradient(bias)
        for b in 0..<batch {
            let k = Int(selected[b])
            let dy = dout + b * outFeatures
            for o in 0..<outFeatures { db[o] += dy[o] }
            // dW[:, O·k..<O·k+O] += dy ⊗ v[b, k]
            BLAS.ger(m: outFeatures, n: O, x: dy, y: v + (b * classes + k) * O, a: dw + k * O, lda: width)
            if let dv {
                // dv[b, k] += W[:, O·k..<O·k+O]ᵀ · dy
                BLAS.gemv(trans: true, m: outFeatures, n: O, a: w + k * O, lda: width,
                          x: dy, beta: 1, y: dv + (b * classes + k) * O)
            }
        }
    }
}
