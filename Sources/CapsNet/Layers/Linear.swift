import CapsCore

/// A fully connected layer y = x · Wᵀ + b (PyTorch `nn.Linear`, W [out, in]).
public struct Linear: Sendable {
    /// Layer name, the prefix of its tensors' names.
    public let name: String
    public let inFeatures: Int, outFeatures: Int
    /// [out, in]
    public let weight: ParameterTensor
    /// [out]
    public let bias: ParameterTensor

    public init(name: String, inFeatures: Int, outFeatures: Int, layout: inout ParameterLayout) {
        self.name = name
        self.inFeatures = inFeatures; self.outFeatures = outFeatures
        weight = layout.add("\(name).weight", shape: [outFeatures, inFeatures])
        bias = layout.add("\(name).bias", shape: [outFeatures])
    }

    /// PyTorch's Linear default: weight, then bias, U(−1/√in, 1/√in).
    public func initialize(_ parameters: ParameterStore, using generator: inout SeededGenerator) {
        parameters.fillUniform(weight, fanIn: inFeatures, using: &generator)
        parameters.fillUniform(bias, fanIn: inFeatures, using: &generator)
    }

    /// x: [B, in] → out: [B, out].
    public func forward(x: UnsafePointer<Float>, batch: Int, parameters: ParameterStore,
                        out: UnsafeMutablePointer<Float>) {
        let b = parameters.value(bias)
        for r in 0..<batch { (out + r * outFeatures).update(from: b, count: outFeatures) }
        BLAS.gemm(transB: true, m: batch, n: outFeatures, k: inFeatures,
                  a: x, lda: inFeatures, b: parameters.value(weight), ldb: inFeatures,
                  beta: 1, c: out, ldc: outFeatures)
    }

    /// dout: [B, out], x: [B, in] the forward input. Accumulates the weight and
    /// bias gradients and, if given, dx [B, in] (+=).
    public func backward(x: UnsafePointer<Float>, dout: UnsafePointer<Float>, batch: Int,
                         parameters: ParameterStore, dx: UnsafeMutablePointer<Float>?) {
        let db = parameters.gradient(bias)
        for r in 0..<batch {
            let row = dout + r * outFeatures
            for o in 0..<outFeatures { db[o] += row[o] }
        }
        // dW[out, in] += doutᵀ · x
        BLAS.gemm(transA: true, m: outFeatures, n: inFeatures, k: batch,
                  a: dout, lda: outFeatures, b: x, ldb: inFeatures,
                  beta: 1, c: parameters.gradient(weight), ldc: inFeatures)
        guard let dx else { return }
        // dx[B, in] += dout · W
        BLAS.gemm(m: batch, n: inFeatures, k: outFeatures,
                  a: dout, lda: outFeatures, b: parameters.value(weight), ldb: inFeatures,
                  beta: 1, c: dx, ldc: inFeatures)
    }
}
