import CapsCore

/// conv1: a one-channel 2-D convolution whose kernel covers `ngram` (n)
/// whole word vectors, i.e. out[b,t,f] = bias[f] + Σ_{k,d} W[f,k,d] · x[b,t+k,d]
/// for t < h1 = L − n + 1 (ReLU is a separate layer).
///
/// Layout: the window x[b, t..<t+n, :] is contiguous, so the product is
/// n large GEMMs over ALL B·L rows at once, each with the input shifted
/// by k rows (an overlapping im2col view would need lda < K, which BLAS
/// rejects). Output rows are time-major, [B, L, F]: rows t ≥ h1 of each
/// sample mix two samples' tokens and are scratch, never read downstream.
public struct NgramConvolution: Sendable {
    /// Layer name, the prefix of its tensors' names.
    public let name: String
    public let length: Int, dimension: Int, ngram: Int, filters: Int
    /// [F, 1, n, D]
    public let weight: ParameterTensor
    /// [F]
    public let bias: ParameterTensor

    /// Valid output positions per sample, h1 = L − n + 1.
    public var positions: Int { length - ngram + 1 }

    public init(name: String, length: Int, dimension: Int, ngram: Int, filters: Int,
                layout: inout ParameterLayout) {
        self.name = name
        self.length = length; self.dimension = dimension; self.ngram = ngram; self.filters = filters
        weight = layout.add("\(name).weight", shape: [filters, 1, ngram, dimension])
        bias = layout.add("\(name).bias", shape: [filters])
    }

    /// PyTorch's Conv2d default: weight, then bias, U(−1/√fan_in, 1/√fan_in)
    /// with fan_in = n·D.
    public func initialize(_ parameters: ParameterStore, using generator: inout SeededGenerator) {
        let fanIn = ngram * dimension
        parameters.fillUniform(weight, fanIn: fanIn, using: &generator)
        parameters.fillUniform(bias, fanIn: fanIn, using: &generator)
    }

    /// x: [B, L, D] → out: [B, L, F] (rows t ≥ h1 of each sample are scratch).
    public func forward(x: UnsafePointer<Float>, batch: Int, parameters: ParameterStore,
                        out: UnsafeMutablePointer<Float>) {
        let rows = batch * length, computed = rows - ngram + 1
        let w = parameters.value(weight), b = parameters.value(bias)
        for r in 0..<computed { (out + r * filters).update(from: b, count: filters) }
        // The last n−1 rows would read past x; they are scratch rows of the last sample.
        (out + computed * filters).update(repeating: 0, count: (rows - computed) * filters)
        for k in 0..<ngram {
            // out[r, f] += Σ_d x[r+k, d] · W[f, k, d]
            BLAS.gemm(transB: true, m: computed, n: filters, k: dimension,
                      a: x + k * dimension, lda: dimension,
                      b: w + k * dimension, ldb: ngram * dimension,
                      beta: 1, c: out, ldc: filters)
        }
    }

    /// x: [B, L, D]; dout: [B, L, F] whose scratch rows (t ≥ h1) are ZERO.
    /// Accumulates into the weight and bias gradients and, if given, dx [B, L, D] (+=).
    public func backward(x: UnsafePointer<Float>, dout: UnsafePointer<Float>, batch: Int,
                         parameters: ParameterStore, dx: UnsafeMutablePointer<Float>?) {
        let rows = batch * length, computed = rows - ngram + 1
        let w = parameters.value(weight)
        let dw = parameters.gradient(weight), db = parameters.gradient(bias)
        for k in 0..<ngram {
            // dW[f, k, d] += Σ_r dout[r, f] · x[r+k, d]
            BLAS.gemm(transA: true, m: filters, n: dimension, k: computed,
                      a: dout, lda: filters, b: x + k * dimension, ldb: dimension,
                      beta: 1, c: dw + k * dimension, ldc: ngram * dimension)
        }
        // Column sums in row order: a fixed summation order, independent of threads.
        for r in 0..<computed {
            let row = dout + r * filters
            for f in 0..<filters { db[f] += row[f] }
        }
        guard let dx else { return }
        for k in 0..<ngram {
            // dx[r+k, d] += Σ_f dout[r, f] · W[f, k, d]; the n passes run in sequence, so
            // the overlapping row ranges accumulate correctly.
            BLAS.gemm(m: computed, n: dimension, k: filters,
                      a: dout, lda: filters, b: w + k * dimension, ldb: ngram * dimension,
                      beta: 1, c: dx + k * dimension, ldc: dimension)
        }
    }
}
