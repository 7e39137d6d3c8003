import CapsCore

/// The primary-capsule convolution: Conv2d(F → P, kernel (K, 1), stride s)
/// over conv1's h1 positions, giving [B, P, h2] with h2 = (h1 − K)/s + 1 in
/// PyTorch order, so that primary capsule i is the I consecutive values
/// I·i..<I·i+I of the flat (channel, position) order, as `reshape(B, −1, I)`
/// makes them (I = the primary capsule dimension; the squash is separate).
///
/// Computed as im2col + one GEMM: the patch of output position (b, j) is
/// gathered into a row of `columns` [B·h2, F·K] in the weight's (f, k) order,
/// then rows[B·h2, P] = columns · Wᵀ. With the defaults (K = h1, h2 = 1) the
/// gather is just a per-sample transpose of conv1's [h1, F] block, and the
/// GEMM writes the [B, P] output directly.
public final class PrimaryConvolution {
    /// Layer name, the prefix of its tensors' names.
    public let name: String
    public let inChannels: Int, outChannels: Int, kernel: Int, stride: Int
    /// Valid input positions per sample (h1) and rows per sample of the input buffer (L ≥ h1).
    public let inputPositions: Int, inputRowsPerSample: Int
    /// [P, F, K, 1]
    public let weight: ParameterTensor
    /// [P]
    public let bias: ParameterTensor
    public let maxBatch: Int

    /// The workspace holding the scratch below.
    let workspace: ActivationStore
    private let columns: ActivationTensor     // [B·h2, F·K] patches, kept for backward
    private let rows: ActivationTensor?       // [B·h2, P] position-major output (h2 > 1 only)
    private let columnGrad: ActivationTensor  // [B·h2, F·K] (gradient block)
    private let rowGrad: ActivationTensor?    // [B·h2, P] position-major dout (gradient block, h2 > 1 only)

    /// Output positions per sample, h2.
    public var outputPositions: Int { (inputPositions - kernel) / stride + 1 }
    private var patch: Int { inChannels * kernel }

    /// Declares the weight and bias in `layout` and the layer's scratch, for
    /// the workspace's `maxBatch` samples, in `workspace`; the layer runs once
    /// the workspace is allocated.
    public init(name: String, inChannels: Int, outChannels: Int, kernel: Int, stride: Int,
                inputPositions: Int, inputRowsPerSample: Int, layout: inout ParameterLayout,
                workspace: ActivationStore) {
        precondition(kernel <= inputPositions && inputPositions <= inputRowsPerSample && stride >= 1)
        self.name = name
        self.inChannels = inChannels; self.outChannels = outChannels; self.kernel = kernel; self.stride = stride
        self.inputPositions = inputPositions; self.inputRowsPerSample = inputRowsPerSample
        self.maxBatch = workspace.maxBatch
        self.workspace = workspace
        weight = layout.add("\(name).weight", shape: [outChannels, inChannels, kernel, 1])
        bias = layout.add("\(name).bias", shape: [outChannels])
        let h2 = (inputPositions - kernel) / stride + 1, B = workspace.maxBatch
        columns = workspace.activation("\(name).columns", shape: [B * h2, inChannels * kernel])
        rows = h2 > 1 ? workspace.activation("\(name).rows", shape: [B * h2, outChannels]) : nil
        columnGrad = workspace.gradient("\(name).columns", shape: [B * h2, inChannels * kernel])
        rowGrad = h2 > 1 ? workspace.gradient("\(name).rows", shape: [B * h2, outChannels]) : nil
    }

    /// A standalone layer with a workspace of its own for `maxBatch` samples.
    public convenience init(name: String, inChannels: Int, outChannels: Int, kernel: Int, stride: Int,
                            inputPositions: Int, inputRowsPerSample: Int, maxBatch: Int,
                            layout: inout ParameterLayout) {
        let workspace = ActivationStore(maxBatch: maxBatch)
        self.init(name: name, inChannels: inChannels, outChannels: outChannels, kernel: kernel, stride: stride,
                  inputPositions: inputPositions, inputRowsPerSample: inputRowsPerSample, layout: &layout,
                  workspace: workspace)
        workspace.allocate()
    }

    /// PyTorch's Conv2d default: weight, then bias, U(−1/√fan_in, 1/√fan_in)
    /// with fan_in = F·K.
    public func initialize(_ parameters: ParameterStore, using generator: inout SeededGenerator) {
        parameters.fillUniform(weight, fanIn: patch, using: &generator)
        parameters.fillUniform(bias, fanIn: patch, using: &generator)
    }

    /// input: [B, inputRowsPerSample, F] (rows ≥ h1 unused) → out: [B, P, h2].
    public func forward(input: UnsafePointer<Float>, batch: Int, parameters: ParameterStore,
                        out: UnsafeMutablePointer<Float>) {
        precondition(batch <= maxBatch)
        let h2 = outputPositions, F = inChannels, K = kernel, P = outChannels
        let cols = workspace.pointer(columns)
        for b in 0..<batch {
            for j in 0..<h2 {
                let dst = cols + (b * h2 + j) * patch
                for k in 0..<K {
                    let src = input + (b * inputRowsPerSample + j * stride + k) * F
                    for f in 0..<F { dst[f * K + k] = src[f] }
                }
            }
        }
        let target = rows.map(workspace.pointer) ?? out    // [B·h2, P]
        let bias = parameters.value(self.bias)
        for r in 0..<(batch * h2) { (target + r * P).update(from: bias, count: P) }
        BLAS.gemm(transB: true, m: batch * h2, n: P, k: patch,
                  a: cols, lda: patch, b: parameters.value(weight), ldb: patch,
                  beta: 1, c: target, ldc: P)
        guard h2 > 1 else { return }
        // [B, h2, P] → [B, P, h2]
        for b in 0..<batch {
            for j in 0..<h2 {
                let src = target + (b * h2 + j) * P
                let dst = out + b * P * h2 + j
                for p in 0..<P { dst[p * h2] = src[p] }
            }
        }
    }

    /// dout: [B, P, h2] for the batch of the latest `forward`. Accumulates the
    /// weight and bias gradients and dinput [B, inputRowsPerSample, F] (+=;
    /// rows no window covers get nothing).
    public func backward(dout: UnsafePointer<Float>, batch: Int, parameters: ParameterStore,
                         dinput: UnsafeMutablePointer<Float>) {
        let h2 = outputPositions, F = inChannels, K = kernel, P = outChannels
        let drows: UnsafePointer<Float>                    // [B·h2, P]
        if let rowGrad {
            let transposed = workspace.pointer(rowGrad)
            for b in 0..<batch {
                for j in 0..<h2 {
                    let src = dout + b * P * h2 + j
                    let dst = transposed + (b * h2 + j) * P
                    for p in 0..<P { dst[p] = src[p * h2] }
                }
            }
            drows = UnsafePointer(transposed)
        } else {
            drows = dout
        }
        let db = parameters.gradient(bias)
        for r in 0..<(batch * h2) {
            let row = drows + r * P
            for p in 0..<P { db[p] += row[p] }
        }
        // dW[P, F·K] += drowsᵀ · columns
        BLAS.gemm(transA: true, m: P, n: patch, k: batch * h2,
                  a: drows, lda: P, b: workspace.pointer(columns), ldb: patch,
                  beta: 1, c: parameters.gradient(weight), ldc: patch)
        // dcolumns[B·h2, F·K] = drows · W
        let dcols = workspace.pointer(columnGrad)
        BLAS.gemm(m: batch * h2, n: patch, k: P,
                  a: drows, lda: P, b: parameters.value(weight), ldb: patch,
                  beta: 0, c: dcols, ldc: patch)
        // Scatter-add the patches back; overlapping windows (K > s) accumulate in j order.
        for b in 0..<batch {
            for j in 0..<h2 {
                let src = dcols + (b * h2 + j) * patch
                for k in 0..<K {
                    let dst = dinput + (b * inputRowsPerSample + j * stride + k) * F
                    for f in 0..<F { dst[f] += src[f * K + k] }
                }
            }
        }
    }
}
