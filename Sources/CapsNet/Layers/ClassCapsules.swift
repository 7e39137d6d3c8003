import CapsCore

/// The class ("digit") capsule layer: votes û = W[c,n] · u[b,n] from every
/// primary capsule n to every class c, then routing-by-agreement, giving one
/// capsule v[b,c] of O (`outDimension`) values per class, from primary
/// capsules of I (`inDimension`) values.
///
/// Layout. The weight stays in PyTorch layout W [C, N, O, I] in the store;
/// each forward pass copies it to `transposedWeight` [N, I, C·O], so that the
/// votes of primary capsule n for the whole batch are ONE GEMM,
/// û_n[B, C·O] = u_n[B, I] · Wᵗ_n[I, C·O], and the votes live as
/// [N, B, C, O]: every routing pass then streams over contiguous C·O rows.
/// How the coupling of each primary capsule to the classes is found.
public enum RoutingScheme: String, Sendable, CaseIterable {
    /// Routing-by-agreement (Sabour et al. 2017): `routings` passes, coupling
    /// = softmax over the classes of the agreement logits. The reference design.
    case dynamic
    /// Dynamic routing with a leaky softmax (Zhao et al. 2018): an orphan
    /// class with logit 0 joins the softmax and is dropped, so a primary
    /// capsule that agrees with no class sends little to any of them.
    case leaky
    /// Static routing (Kim et al. 2018): uniform coupling 1/C in one pass,
    /// whatever `routings` says — the class capsules are plain vote sums.
    case `static`
}

/// The factor on the coupling coefficients in s[c] = Σ_n k·c[n, c]·û[n, c].
///
/// Why: the softmax over C classes starts every coupling at 1/C, so at the
/// start s shrinks as 1/C; a class capsule's length ‖v‖ ≈ ‖s‖² for small s,
/// and Adam moves each weight by about lr per step whatever its gradient, so
/// the weights must grow C-fold before the capsules reach the margins —
/// training time grows with the number of classes (BANKING77's 77 classes
/// crawl where TREC's 6 are quick). k = C makes the uniform start Σ_n û,
/// the same for any C.
public enum CouplingScale: String, Sendable, CaseIterable {
    /// k = 1: the coupling sums to 1 over the classes (Sabour et al. 2017; the reference).
    case reference
    /// k = C: the coupling averages to 1, so s does not shrink with the class count.
    case classes
}

public final class ClassCapsules {
    /// Layer name, the prefix of its tensors' names.
    public let name: String
    public let classes: Int, inCapsules: Int, inDimension: Int, outDimension: Int, routings: Int
    public let scheme: RoutingScheme
    /// k in s = Σ_n k·c·û (see `CouplingScale`): 1 or C.
    public let couplingScale: Float
    /// [C, N, O, I]
    public let weight: ParameterTensor
    public let maxBatch: Int

    /// The workspace holding the scratch below.
    let workspace: ActivationStore
    // Activation block: written by forward, read by backward.
    let transposedWeight: ActivationTensor  // [N, I, C·O]
    let votes: ActivationTensor             // [N, B, C·O]
    let logits: ActivationTensor            // [B, N, C] routing logits b
    let coupling: ActivationTensor          // [B, N, C] coupling of the last iteration
    let preSquash: ActivationTensor         // [B, C, O] s of the last iteration
    // Gradient block (zeroed by the workspace's owner before each backward).
    let transposedGrad: ActivationTensor    // [N, I, C·O]
    let preSquashGrad: ActivationTensor     // [B, C, O]
    let voteGrad: ActivationTensor          // [B, C·O] gradient of one capsule's votes

    /// Row width of one primary capsule's votes for one sample, C·O.
    var voteWidth: Int { classes * outDimension }

    /// Declares the weight in `layout` and the layer's scratch, for the
    /// workspace's `maxBatch` samples, in `workspace`; the layer runs once the
    /// workspace is allocated.
    public init(name: String, classes: Int, inCapsules: Int, inDimension: Int, outDimension: Int,
                routings: Int, scheme: RoutingScheme = .dynamic, couplingScale: CouplingScale = .reference,
                layout: inout ParameterLayout, workspace: ActivationStore) {
        precondition(routings >= 1)
        self.scheme = scheme
        self.couplingScale = couplingScale == .classes ? Float(classes) : 1
        self.name = name
        self.classes = classes; self.inCapsules = inCapsules; self.inDimension = inDimension
        self.outDimension = outDimension; self.routings = routings
        self.maxBatch = workspace.maxBatch
        self.workspace = workspace
        let C = classes, N = inCapsules, I = inDimension, O = outDimension, B = workspace.maxBatch
        weight = layout.add("\(name).weight", shape: [C, N, O, I])
        transposedWeight = workspace.activation("\(name).transposed_weight", shape: [N, I, C * O])
        votes = workspace.activation("\(name).votes", shape: [N, B, C * O])
        logits = workspace.activation("\(name).logits", shape: [B, N, C])
        coupling = workspace.activation("\(name).coupling", shape: [B, N, C])
        preSquash = workspace.activation("\(name).s", shape: [B, C, O])
        transposedGrad = workspace.gradient("\(name).transposed_weight", shape: [N, I, C * O])
        preSquashGrad = workspace.gradient("\(name).s", shape: [B, C, O])
        voteGrad = workspace.gradient("\(name).votes", shape: [B, C * O])
    }

    /// A standalone layer with a workspace of its own for `maxBatch` samples.
    public convenience init(name: String, classes: Int, inCapsules: Int, inDimension: Int, outDimension: Int,
                            routings: Int, scheme: RoutingScheme = .dynamic,
                            couplingScale: CouplingScale = .reference, maxBatch: Int,
                            layout: inout ParameterLayout) {
        let workspace = ActivationStore(maxBatch: maxBatch)
        self.init(name: name, classes: classes, inCapsules: inCapsules, inDimension: inDimension,
                  outDimension: outDimension, routings: routings, scheme: scheme, couplingScale: couplingScale,
                  layout: &layout, workspace: workspace)
        workspace.allocate()
    }

    /// The reference's initialisation: W = 0.01·N(0, 1), in element order.
    public func initialize(_ parameters: ParameterStore, using generator: inout SeededGenerator) {
        let w = parameters.value(weight)
        for i in 0..<weight.count { w[i] = 0.01 * generator.normal() }
    }

    /// u: [B, N, I] → v: [B, C, O]. Keeps votes, coupling and s for `backward`.
    public func forward(u: UnsafePointer<Float>, batch: Int, parameters: ParameterStore,
                        out v: UnsafeMutablePointer<Float>) {
        precondition(batch <= maxBatch)
        let C = classes, N = inCapsules, I = inDimension, O = outDimension, width = voteWidth
        let w = parameters.value(weight), wt = workspace.pointer(transposedWeight)
        let votes = workspace.pointer(self.votes)
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
                      beta: 0, c: votes + n * batch * width, ldc: width)
        }
        route(batch: batch, out: v)
    }

    /// The votes as the reference lays them out, [B, C, N, O] (for tests and inspection).
    public func votesInReferenceLayout(batch: Int) -> [Float] {
        let C = classes, N = inCapsules, O = outDimension, votes = workspace.pointer(self.votes)
        var out = [Float](repeating: 0, count: batch * C * N * O)
        for n in 0..<N {
            for b in 0..<batch {
                for c in 0..<C {
                    for i in 0..<O {
                        out[((b * C + c) * N + n) * O + i] = votes[(n * batch + b) * voteWidth + c * O + i]
                    }
                }
            }
        }
        return out
    }

    /// The last iteration's coupling coefficients as the reference lays them out, [B, C, N].
    public func couplingInReferenceLayout(batch: Int) -> [Float] {
        let C = classes, N = inCapsules, coupling = workspace.pointer(self.coupling)
        var out = [Float](repeating: 0, count: batch * C * N)
        for b in 0..<batch {
            for n in 0..<N {
                for c in 0..<C { out[(b * C + c) * N + n] = coupling[(b * N + n) * C + c] }
            }
        }
        return out
    }
}
