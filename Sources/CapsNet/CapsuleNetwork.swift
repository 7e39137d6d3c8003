import CapsCore

/// The text capsule network of the reference design, as a configuration of
/// layers over one `ParameterStore` and one `ActivationStore`:
///
///   x [B, L, D] → per n-gram branch: conv1 + ReLU [B, L, F] (→ dropout)
///   → primary conv [B, P, h2] (→ max over Q position segments) → squash
///   = that branch's share of the primary capsules u [B, N, I] (tokens [B, L_t] → hashed
///   n-gram bag → mean → squash: the lexical capsules' share, with `buckets`) → class capsules v [B, C, O]
///   → lengths [B, C];  decoder (masked v → L·D) when `reconstructionWeight` > 0.
///
/// Symbols of the shape comments throughout CapsNet (`CapsNetConfig` fields;
/// the reference design's values in parentheses):
///
///   B    samples in the batch, at most `maxBatch`
///   L    tokens per sample, `maxLength` (40)
///   D    word-vector width, `dimension` (200)
///   n    conv1 kernel height in tokens, one of `ngrams` (4; one branch each)
///   F    conv1 filters, `filters` (256)
///   h1   conv1 output positions, L − n + 1 (37)
///   P    primary conv output channels, `primaryChannels` (256)
///   K, s primary conv kernel height (`primaryKernel(ngram:)`, h1) and stride (`primaryStride`, 2)
///   h2   primary conv output positions, (h1 − K)/s + 1 (1)
///   Q    position segments max-pooled before the squash, `positionPool` (0: none)
///   I    primary capsule dimension, `primaryDimension` (8)
///   R    lexical buckets, `buckets` (0: no lexical capsules)
///   Q_x  lexical capsules, `lexicalCapsules` (each of I values)
///   L_t  tokens per row of the lexical capsules' input, `tokenRowLength`:
///        the lexical view L_x (`lexicalLength`) or L
///   N    primary capsules, Σ over branches of P/I · (Q or h2), + Q_x (32)
///   C    classes, `classes`
///   O    class capsule dimension, `classDimension` (16)
///   H    a decoder hidden width, `decoderHidden` (512, 1024)
///
/// Memory, llm.c style: the parameters and their gradients are two blocks of
/// `parameters`; every activation, activation gradient and layer scratch
/// buffer lives in the two blocks of `workspace`, sized for `maxBatch` by an
/// `ActivationLayout` computed from the configuration. A training step
/// allocates nothing and zeroes all gradients once, at its start
/// (`zeroGradients`). Not thread-safe: one step at a time per instance
/// (steps use `ComputeThreads` internally).
public final class CapsuleNetwork {
    public let config: CapsNetConfig
    /// The largest batch the workspaces hold.
    public let maxBatch: Int
    /// All parameters (PyTorch names and layouts) and their gradients.
    public let parameters: ParameterStore
    /// All activations, their gradients and the layers' scratch, for `maxBatch` samples.
    public let workspace: ActivationStore

    /// The n-gram branches of primary capsules, in `config.ngrams` order.
    public let branches: [PrimaryCapsuleBranch]
    /// The lexical capsules (hashed n-gram buckets), nil without `buckets`.
    public let lexical: LexicalCapsules?
    public let classCapsules: ClassCapsules
    /// The decoder's first (masked) layer, nil without a decoder.
    public let decoderInput: MaskedCapsuleLinear?
    /// The decoder's remaining layers (ReLU between them, `decoderActivation` after the last).
    public let decoderLayers: [Linear]
    /// The loss; its class weights may be set before training (`MarginLoss.classWeights`).
    public var marginLoss: MarginLoss

    /// Source of dropout masks; save and restore it to resume a run exactly.
    public var dropoutGenerator: SeededGenerator

    // The network's own tensors in `workspace` (the layers hold their scratch).
    // Activation block:
    let primaryCaps: ActivationView       // [B, N, I]
    let classCaps: ActivationView         // [B, C, O]
    let lengths: ActivationView           // [B, C]
    let decoderOut: [ActivationView]      // [B, H1], ..., [B, L·D]
    // Gradient block:
    let primaryCapsGrad: ActivationView   // [B, N, I]
    let classCapsGrad: ActivationView     // [B, C, O]
    let lengthsGrad: ActivationView       // [B, C]
    let decoderGrad: [ActivationView]     // parallel to decoderOut
    /// [B] class fed to the decoder: indices, not activations, so not in the workspace.
    let selected: UnsafeMutablePointer<Int32>

    /// Builds the layers for `config`, allocates workspaces for `maxBatch`
    /// samples and initialises the parameters from `seed` (PyTorch's default
    /// schemes, see `initializeParameters`).
    public convenience init(config: CapsNetConfig, maxBatch: Int, seed: UInt64) throws {
        let base = SeededGenerator(seed: seed)
        try self.init(config: config, maxBatch: maxBatch, dropoutGenerator: base.derived(2)) { ParameterStore(layout: $0) }
        var initGenerator = base.derived(1)
        initializeParameters(using: &initGenerator)
    }

    /// A replica of `network` for data-parallel steps (`DataParallelSteps`):
    /// the same configuration, loss and parameter VALUES (shared memory, so
    /// an optimiser step on `network` is the replica's too), with a
    /// workspace for `maxBatch` samples and gradients of its own.
    public convenience init(replicaOf network: CapsuleNetwork, maxBatch: Int) throws {
        try self.init(config: network.config, maxBatch: maxBatch, dropoutGenerator: network.dropoutGenerator) { _ in
            ParameterStore(sharingValuesOf: network.parameters)
        }
        marginLoss = network.marginLoss
    }

    private init(config: CapsNetConfig, maxBatch: Int, dropoutGenerator: SeededGenerator,
                 parameters makeParameters: (ParameterLayout) -> ParameterStore) throws {
        let workspace = ActivationStore(maxBatch: maxBatch)
        let architecture = try Architecture(config: config, workspace: workspace)
        workspace.allocate()
        self.config = config
        self.maxBatch = maxBatch
        self.workspace = workspace
        parameters = makeParameters(architecture.parameters)
        branches = architecture.branches
        lexical = architecture.lexical
        classCapsules = architecture.classCapsules
        decoderInput = architecture.decoderInput
        decoderLayers = architecture.decoderLayers
        marginLoss = MarginLoss(positive: config.marginPositive, negative: config.marginNegative,
                                lambda: config.marginLambda)

        let t = architecture.tensors
        primaryCaps = workspace.view(t.primaryCaps)
        classCaps = workspace.view(t.classCaps)
        lengths = workspace.view(t.lengths)
        decoderOut = t.decoderOut.map(workspace.view)
        primaryCapsGrad = workspace.view(t.primaryCapsGrad)
        classCapsGrad = workspace.view(t.classCapsGrad)
        lengthsGrad = workspace.view(t.lengthsGrad)
        decoderGrad = t.decoderGrad.map(workspace.view)
        selected = .allocate(capacity: maxBatch)
        selected.initialize(repeating: 0, count: maxBatch)
        self.dropoutGenerator = dropoutGenerator
    }

    deinit { selected.deallocate() }

    /// Draws every parameter from `generator`, layer by layer in buffer order,
    /// each layer with its own scheme (PyTorch's defaults: convolution and
    /// linear weights and biases U(−1/√fan_in, 1/√fan_in); class-capsule
    /// weights 0.01·N(0, 1)).
    public func initializeParameters(using generator: inout SeededGenerator) {
        for branch in branches { branch.initialize(parameters, using: &generator) }
        lexical?.initialize(parameters, using: &generator)
        classCapsules.initialize(parameters, using: &generator)
        decoderInput?.initialize(parameters, using: &generator)
        for layer in decoderLayers { layer.initialize(parameters, using: &generator) }
    }

    /// Number of Float32 values of one input sample, L·D.
    public var sampleSize: Int { config.maxLength * config.dimension }

    /// Sets every parameter gradient and the whole gradient block of the
    /// workspace (activation gradients and backward scratch) to zero: the one
    /// zeroing of a training step, so backward passes only accumulate.
    func zeroGradients() {
        parameters.zeroGradients()
        workspace.zeroGradients()
    }

    func checkBatch(_ batch: Int) throws {
        guard batch >= 1 && batch <= maxBatch else {
            throw CapsNetError.invalidBatchSize(batch: batch, maxBatch: maxBatch)
        }
    }

    /// Models with lexical capsules read the token ids [B, L] of every batch.
    func checkTokens(_ tokens: UnsafePointer<Int32>?) throws {
        if lexical != nil && tokens == nil { throw CapsNetError.missingTokens }
    }

    /// Multi-label targets need a model without a decoder: the masked decoder
    /// reconstructs from one class capsule per sample.
    func checkTargets(_ targets: UnsafePointer<Float>?) throws {
        if targets != nil && config.hasDecoder {
            throw CapsNetError.invalidConfiguration(field: "--lam-recon",
                reason: "must be 0 for multi-label training (the decoder reconstructs from one class capsule per sample)")
        }
    }

    func checkLabels(_ labels: UnsafePointer<Int32>, batch: Int) throws {
        for b in 0..<batch where labels[b] < 0 || Int(labels[b]) >= config.classes {
            throw CapsNetError.labelOutOfRange(sample: b, label: labels[b], classes: config.classes)
        }
    }
}
