/// The class ("digit") capsule layer: votes û = W[c,n] · u[b,n] from every
/// primary capsule n to every class c, then routing-by-agreement, giving one
/// capsule v[b,c] of `outDimension` values per class.
///
/// Layout. The weight stays in PyTorch layout W [C, N, 16, 8] in the store;
/// each forward pass copies it to `transposedWeight` [N, 8, C·16], so that the
/// votes of primary capsule n for the whole batch are ONE GEMM,
/// û_n[B, C·16] = u_n[B, 8] · Wᵗ_n[8, C·16], and the votes live as
/// [N, B, C, 16]: every routing pass then streams over contiguous C·16 rows.
public final class ClassCapsules {
    public let classes: Int, inCapsules: Int, inDimension: Int, outDimension: Int, routings: Int
    /// [C, N, outDimension, inDimension]
    public let weight: ParameterTensor
    public let maxBatch: Int

    let transposedWeight: FloatBuffer   // [N, 8, C·16]
    let transposedGrad: FloatBuffer     // [N, 8, C·16]
    let votes: FloatBuffer              // [N, B, C·16]
    let logits: FloatBuffer             // [B, N, C] routing logits b
    let coupling: FloatBuffer           // [B, N, C] coupling of the last iteration
    let preSquash: FloatBuffer          // [B, C, 16] s of the last iteration
    let preSquashGrad: FloatBuffer      // [B, C, 16]
    let voteGrad: FloatBuffer           // [B, C·16] gradient of one capsule's votes

    /// Row width of one primary capsule's votes for one sample, C·16.
    var voteWidth: Int { classes * outDimension }

    public init(name: String, classes: Int, inCapsules: Int, inDimension: Int, outDimension: Int,
                routings: Int, maxBatch: Int, layout: inout ParameterLayout) {
        precondition(routings >= 1)
        self.classes = classes; self.inCapsules = inCapsules; self.inDimension = inDimension
        self.outDimension = outDimension; self.routings = routings; self.maxBatch = maxBatch
        weight = layout.add("\(name).weight", shape: [classes, inCapsules, outDimension, inDimension])
        let w = classes * inCapsules * outDimension * inDimension
        let width = classes * outDimension
        transposedWeight = FloatBuffer(count: w)
        transposedGrad = FloatBuffer(count: w)
        votes = FloatBuffer(count: inCapsules * maxBatch * width)
        logits = FloatBuffer(count: maxBatch * inCapsules * classes)
        coupling = FloatBuffer(count: maxBatch * inCapsules * classes)
        preSquash = FloatBuffer(count: maxBatch * width)
        preSquashGrad = FloatBuffer(count: maxBatch * width)
        voteGrad = FloatBuffer(count: maxBatch * width)
    }

    /// u: [B, N, 8] → v: [B, C, 16]. Keeps votes, coupling and s for `backward`.
    public func forward(u: UnsafePointer<Float>, batch: Int, parameters: ParameterStore,
                        out v: UnsafeMutablePointer<Float>) {
        precondition(batch <= maxBatch)
        let C = classes, N = inCapsules, I = inDimension, O = outDimension, width = voteWidth
        let w = parameters.value(weight), wt = transposedWeight.pointer
        // Wᵗ[n, j, c·O + i] = W[c, n, i, j]
        for c in 0..<C {
            for n in 0..<N {
                let src = w + (c * N + n) * O * I
                let dst = wt + n * I * width + c * O
                for i in 0..<O {
                    for j in 0..<I { dst[j * width + i] = src[i * I + j] }
                }
            }
        }
        for n in 0..<N {
            // û_n[B, C·O] = u[:, n, :] [B, I] · Wᵗ_n [I, C·O]
            BLAS.gemm(m: batch, n: width, k: I, a: u + n * I, lda: N * I,
                      b: wt + n * I * width, ldb: width,
                      beta: 0, c: votes.pointer + n * batch * width, ldc: width)
        }
        route(batch: batch, out: v)
    }

    /// The votes as the reference lays them out, [B, C, N, 16] (for tests and inspection).
    public func votesInReferenceLayout(batch: Int) -> [Float] {
        let C = classes, N = inCapsules, O = outDimension
        var out = [Float](repeating: 0, count: batch * C * N * O)
        for n in 0..<N {
            for b in 0..<batch {
                for c in 0..<C {
                    for i in 0..<O {
                        out[((b * C + c) * N + n) * O + i] = votes.pointer[(n * batch + b) * voteWidth + c * O + i]
                    }
                }
            }
        }
        return out
    }

    /// The last iteration's coupling coefficients as the reference lays them out, [B, C, N].
    public func couplingInReferenceLayout(batch: Int) -> [Float] {
        let C = classes, N = inCapsules
        var out = [Float](repeating: 0, count: batch * C * N)
        for b in 0..<batch {
            for n in 0..<N {
                for c in 0..<C { out[(b * C + c) * N + n] = coupling.pointer[(b * N + n) * C + c] }
            }
        }
        return out
    }
}
