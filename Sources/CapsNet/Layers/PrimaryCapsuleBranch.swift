import CapsCore

/// One n-gram branch of the primary capsules (Zhao et al.'s Capsule-B runs
/// several in parallel, e.g. n = 3, 4, 5):
///
///   x [B, L, D] → conv1 (n×D, F filters) + ReLU [B, L, F] (→ dropout)
///   → primary conv (K×1, stride s) [B, P, h2] (→ max over Q position segments [B, P, Q])
///   → squash → capsules o ..< o + N_b of every sample's N primary capsules u [B, N, I],
///
/// with N_b = P/I · h (h = Q when pooled, else h2) and o the capsules of the
/// branches before it. The reference design is one branch (n = 4, K = h1,
/// no pooling) with offset 0 and the reference's tensor names.
///
/// The branch holds its activations in the network's workspace (declared in
/// `init`, in forward order) and reads them by pointer once it is allocated.
public final class PrimaryCapsuleBranch {
    /// The conv1 of this branch ("conv1", or "conv1_3gram" among several).
    public let conv: NgramConvolution
    /// The primary-capsule convolution ("primarycaps.conv2d", or "primarycaps_3gram.conv2d").
    public let primary: PrimaryConvolution
    /// Max pooling over positions before the squash, nil without (the reference).
    public let pool: PositionPool?
    /// First capsule of this branch among a sample's N primary capsules (o).
    public let capsuleOffset: Int
    /// Capsules of this branch per sample (N_b) and of all branches (N).
    public let capsules: Int, totalCapsules: Int
    /// Values per primary capsule (I).
    public let capsuleDimension: Int
    /// Dropout probability on conv1's output in training (0: none).
    public let dropout: Float

    let workspace: ActivationStore
    // Activation block.
    let convOut: ActivationTensor                 // [B, L, F] after ReLU (rows t ≥ h1 scratch)
    let dropoutMask: ActivationTensor?            // [B, L, F] (dropout > 0 only)
    let dropped: ActivationTensor?                // [B, L, F] (dropout > 0 only)
    let primaryOut: ActivationTensor              // [B, P, h2]
    let pooled: ActivationTensor?                 // [B, P, Q] (pooling only)
    // Gradient block.
    let convGrad: ActivationTensor                // [B, L, F]
    let droppedGrad: ActivationTensor?            // [B, L, F] (dropout > 0 only)
    let primaryOutGrad: ActivationTensor          // [B, P, h2]
    let pooledGrad: ActivationTensor?             // [B, P, Q] (pooling only)

    /// Declares the branch's parameters in `layout` (conv1, then the primary
    /// conv) and its tensors in `workspace`. `convName` and `primaryName`
    /// prefix the tensors' names; `positionPool` Q = 0 means no pooling.
    init(convName: String, primaryName: String, ngram: Int, config: CapsNetConfig, capsuleOffset: Int,
         layout: inout ParameterLayout, workspace: ActivationStore) {
        let B = workspace.maxBatch, L = config.maxLength, F = config.filters, P = config.primaryChannels
        self.workspace = workspace
        self.capsuleOffset = capsuleOffset
        self.capsules = config.primaryCapsules(ngram: ngram)
        self.totalCapsules = config.primaryCapsules
        self.capsuleDimension = config.primaryDimension
        self.dropout = config.dropout
        conv = NgramConvolution(name: convName, length: L, dimension: config.dimension, ngram: ngram, filters: F,
                                layout: &layout)
        convOut = workspace.activation("\(convName).out", shape: [B, L, F])
        if config.dropout > 0 {
            dropoutMask = workspace.activation("\(convName).dropout.mask", shape: [B, L, F])
            dropped = workspace.activation("\(convName).dropout.out", shape: [B, L, F])
        } else {
            dropoutMask = nil; dropped = nil
        }
        primary = PrimaryConvolution(name: primaryName, inChannels: F, outChannels: P,
                                     kernel: config.primaryKernel(ngram: ngram), stride: config.primaryStride,
                                     inputPositions: config.convPositions(ngram: ngram), inputRowsPerSample: L,
                                     layout: &layout, workspace: workspace)
        let h2 = primary.outputPositions
        primaryOut = workspace.activation("\(primaryName).out", shape: [B, P, h2])
        if config.positionPool > 0 {
            let pool = PositionPool(channels: P, inputPositions: h2, outputPositions: config.positionPool)
            self.pool = pool
            pooled = workspace.activation("\(primaryName).pooled", shape: [B, P, pool.outputPositions])
        } else {
            pool = nil; pooled = nil
        }
        convGrad = workspace.gradient(convOut.name, shape: convOut.shape)
        droppedGrad = dropped.map { workspace.gradient($0.name, shape: $0.shape) }
        primaryOutGrad = workspace.gradient(primaryOut.name, shape: primaryOut.shape)
        pooledGrad = pooled.map { workspace.gradient($0.name, shape: $0.shape) }
    }

    /// conv1, then the primary conv, each with its PyTorch default.
    func initialize(_ parameters: ParameterStore, using generator: inout SeededGenerator) {
        conv.initialize(parameters, using: &generator)
        primary.initialize(parameters, using: &generator)
    }

    /// The squash input s [B, N_b·I]: the pooled output, or the primary conv's.
    private var squashInput: ActivationTensor { pooled ?? primaryOut }

    /// s [B, N_b, I] of the last forward pass.
    var squashInputPointer: UnsafeMutablePointer<Float> { workspace.pointer(squashInput) }

    /// x [B, L, D] → this branch's capsules in u [B, N, I]. With `training`
    /// and dropout, draws the mask from `generator`.
    func forward(x: UnsafePointer<Float>, batch: Int, training: Bool, parameters: ParameterStore,
                 generator: inout SeededGenerator, u: UnsafeMutablePointer<Float>) {
        let count = batch * conv.length * conv.filters
        let h = workspace.pointer(convOut)
        conv.forward(x: x, batch: batch, parameters: parameters, out: h)
        Activation.reluForward(h, count: count)
        var primaryInput = UnsafePointer(h)
        if training, let dropoutMask, let dropped {
            let mask = workspace.pointer(dropoutMask), out = workspace.pointer(dropped)
            Dropout.makeMask(mask, count: count, probability: dropout, generator: &generator)
            Dropout.forward(x: h, mask: mask, out: out, count: count)
            primaryInput = UnsafePointer(out)
        }
        primary.forward(input: primaryInput, batch: batch, parameters: parameters, out: workspace.pointer(primaryOut))
        if let pool, let pooled {
            pool.forward(input: workspace.pointer(primaryOut), batch: batch, out: workspace.pointer(pooled))
        }
        // s [B, N_b, I] → u[b, o ..< o + N_b, :]
        let s = workspace.pointer(squashInput), I = capsuleDimension, values = capsules * I
        for b in 0..<batch {
            Squash.forward(s + b * values, u + (b * totalCapsules + capsuleOffset) * I,
                           capsules: capsules, dimension: I)
        }
    }

    /// du [B, N, I] (this branch's capsules) → parameter gradients and, if
    /// given, dx [B, L, D] (+=), after a training forward pass — or, with
    /// `throughDropout` false, after an inference pass (no dropout mask).
    func backward(x: UnsafePointer<Float>, du: UnsafePointer<Float>, batch: Int, parameters: ParameterStore,
                  dx: UnsafeMutablePointer<Float>?, throughDropout: Bool = true) {
        let s = workspace.pointer(squashInput), I = capsuleDimension, values = capsules * I
        let ds = workspace.pointer(pooledGrad ?? primaryOutGrad)
        for b in 0..<batch {
            Squash.backward(s + b * values, du + (b * totalCapsules + capsuleOffset) * I, ds + b * values,
                            capsules: capsules, dimension: I)
        }
        if let pool, let pooledGrad {
            pool.backward(input: workspace.pointer(primaryOut), dout: workspace.pointer(pooledGrad), batch: batch,
                          dinput: workspace.pointer(primaryOutGrad))
        }
        // s [B, P, h2] → h [B, L, F] (→ through the dropout mask) → conv1 [B, L, F]
        let count = batch * conv.length * conv.filters
        let dh = workspace.pointer(convGrad)
        if throughDropout, let dropoutMask, let droppedGrad {
            let dDropped = workspace.pointer(droppedGrad)
            primary.backward(dout: workspace.pointer(primaryOutGrad), batch: batch, parameters: parameters,
                             dinput: dDropped)
            Dropout.backward(dout: dDropped, mask: workspace.pointer(dropoutMask), dx: dh, count: count)
        } else {
            primary.backward(dout: workspace.pointer(primaryOutGrad), batch: batch, parameters: parameters,
                             dinput: dh)
        }
        // Scratch rows (t ≥ h1) got no gradient from the primary conv, so they are still zero here.
        Activation.reluBackward(output: workspace.pointer(convOut), gradient: dh, count: count)
        conv.backward(x: x, dout: dh, batch: batch, parameters: parameters, dx: dx)
    }

    /// The route attribution's step through this branch (`AttributionMethod.route`),
    /// for sample 0 of the last inference pass, with the workspace's gradient
    /// block zeroed: writes `relevance` [N, I] (r_n of every primary capsule;
    /// this branch's from o) as the gradient of the squash input, carries it
    /// through the pooling's kept positions and the primary convolution
    /// (both linear there) to conv1's windows dh [h1, F], and adds each
    /// window's ⟨h_t, dh_t⟩/n to its n tokens of `shares` [L]. Returns the
    /// primary conv's bias share Σ_{p,j} g[p, j]·bias[p], g [P, h2] being
    /// the relevance at its output: window shares plus bias share are
    /// Σ_n ⟨r_n, s_n⟩ over this branch's capsules.
    func addWindowShares(relevance: UnsafePointer<Float>, parameters: ParameterStore, into shares: inout [Float]) -> Float {
        let I = capsuleDimension
        workspace.pointer(pooledGrad ?? primaryOutGrad)
            .update(from: relevance + capsuleOffset * I, count: capsules * I)
        if let pool, let pooledGrad {
            pool.backward(input: workspace.pointer(primaryOut), dout: workspace.pointer(pooledGrad), batch: 1,
                          dinput: workspace.pointer(primaryOutGrad))
        }
        let g = workspace.pointer(primaryOutGrad), h2 = primary.outputPositions
        let b = parameters.value(primary.bias)
        var bias: Float = 0
        for p in 0..<primary.outChannels {
            for j in 0..<h2 { bias += g[p * h2 + j] * b[p] }
        }
        let dh = workspace.pointer(convGrad), h = workspace.pointer(convOut)
        primary.backward(dout: g, batch: 1, parameters: parameters, dinput: dh)
        let F = conv.filters, n = conv.ngram
        for t in 0..<conv.positions {
            let share = VectorMath.dot(h + t * F, dh + t * F, F) / Float(n)
            for k in 0..<n { shares[t + k] += share }
        }
        return bias
    }
}
