extension ClassCapsules {
    /// dv: [B, C, O] for the batch of the latest `forward`; u: [B, N, I] its input.
    /// Accumulates the weight gradient and du [B, N, I] (+=). Like the
    /// parameter gradients, the layer's gradient scratch must be zero on entry
    /// (`ActivationStore.zeroGradients()`, once per training step).
    ///
    /// As in the reference, routing iterations before the last use detached
    /// votes, so the gradient flows only through the last s = Σ_n c·û with the
    /// coupling c held constant: dû[n, b, c] = k·c[b, n, c] · ds[b, c].
    public func backward(dv: UnsafePointer<Float>, u: UnsafePointer<Float>, batch: Int,
                         parameters: ParameterStore, du: UnsafeMutablePointer<Float>) {
        let C = classes, N = inCapsules, I = inDimension, O = outDimension, width = voteWidth
        let ds = workspace.pointer(preSquashGrad), dvotes = workspace.pointer(voteGrad)
        let coupling = workspace.pointer(self.coupling)
        Squash.backward(workspace.pointer(preSquash), dv, ds, capsules: batch * C, dimension: O)
        let wt = workspace.pointer(transposedWeight), dwt = workspace.pointer(transposedGrad)
        for n in 0..<N {
            // dû_n[b, c·O + i] = c[b, n, c] · ds[b, c, i]
            for b in 0..<batch {
                let cn = coupling + (b * N + n) * C, dsb = ds + b * width, dvb = dvotes + b * width
                for c in 0..<C {
                    let weight = couplingScale * cn[c]
                    for i in 0..<O { dvb[c * O + i] = weight * dsb[c * O + i] }
                }
            }
            // du[:, n, :] [B, I] += dû_n [B, C·O] · Wᵗ_nᵀ [C·O, I]
            BLAS.gemm(transB: true, m: batch, n: I, k: width, a: dvotes, lda: width,
                      b: wt + n * I * width, ldb: width, beta: 1, c: du + n * I, ldc: N * I)
            // dWᵗ_n [I, C·O] = u[:, n, :]ᵀ [I, B] · dû_n [B, C·O]
            BLAS.gemm(transA: true, m: I, n: width, k: batch, a: u + n * I, lda: N * I,
                      b: dvotes, ldb: width, beta: 0, c: dwt + n * I * width, ldc: width)
        }
        // dW[c, n, i, j] += dWᵗ[n, j, c·O + i]
        let dw = parameters.gradient(weight)
        for c in 0..<C {
            for n in 0..<N {
                let dst = dw + (c * N + n) * O * I
                let src = dwt + n * I * width + c * O
                for i in 0..<O {
                    for j in 0..<I { dst[i * I + j] += src[j * width + i] }
                }
            }
        }
    }
}
