import CapsCore

/// The text capsule network of the reference design, as a configuration of
/// layers over one `ParameterStore`:
///
///   x [B, L, D] → conv1 + ReLU [B, L, F] (→ dropout) → primary conv [B, P, h2]
///   → squash = primary capsules u [B, N, 8] → class capsules v [B, C, 16]
///   → lengths [B, C];  decoder (masked v → L·D) when `reconstructionWeight` > 0.
///
/// Every activation, gradient and scratch buffer is allocated once, for
/// `maxBatch` samples; a training step allocates nothing. Not thread-safe: one
/// step at a time per instance (steps use `ComputeThreads` internally).
public final class CapsuleNetwork {
    public let config: CapsNetConfig
    /// The largest batch the workspaces hold.
    public let maxBatch: Int
    /// All parameters (PyTorch names and layouts) and their gradients.
    public let parameters: ParameterStore

    public let conv1: NgramConvolution
    public let primaryCapsules: PrimaryConvolution
    public let classCapsules: ClassCapsules
    /// The decoder's first (masked) layer, nil without a decoder.
    public let decoderInput: MaskedCapsuleLinear?
    /// The decoder's remaining layers (ReLU between them, `decoderActivation` after the last).
    public let decoderLayers: [Linear]
    public let marginLoss: MarginLoss

    /// Source of dropout masks; save and restore it to resume a run exactly.
    public var dropoutGenerator: SeededGenerator

    // Activations [maxBatch, ...] and their gradients.
    let conv1Out: FloatBuffer        // [B, L, F] after ReLU (rows t ≥ h1 scratch)
    let dropoutMask: FloatBuffer     // [B, L, F] (dropout > 0 only)
    let dropped: FloatBuffer         // [B, L, F] (dropout > 0 only)
    let primaryOut: FloatBuffer      // [B, P, h2] = s of the primary capsules [B, N, 8]
    let primaryCaps: FloatBuffer     // [B, N, 8]
    let classCaps: FloatBuffer       // [B, C, 16]
    let lengths: FloatBuffer         // [B, C]
    let decoderOut: [FloatBuffer]    // [B, H1], ..., [B, L·D]
    let selected: UnsafeMutablePointer<Int32>  // [B] class fed to the decoder

    let conv1Grad: FloatBuffer       // [B, L, F]
    let droppedGrad: FloatBuffer     // [B, L, F] (dropout > 0 only)
    let primaryOutGrad: FloatBuffer  // [B, P, h2]
    let primaryCapsGrad: FloatBuffer // [B, N, 8]
    let classCapsGrad: FloatBuffer   // [B, C, 16]
    let lengthsGrad: FloatBuffer     // [B, C]
    let decoderGrad: [FloatBuffer]   // parallel to decoderOut

    /// Builds the layers for `config`, allocates workspaces for `maxBatch`
    /// samples and initialises the parameters from `seed` (PyTorch's default
    /// schemes, see `initializeParameters`).
    public init(config: CapsNetConfig, maxBatch: Int, seed: UInt64) throws {
        try config.validate()
        guard maxBatch >= 1 else { throw CapsNetError.invalidBatchSize(batch: maxBatch, maxBatch: maxBatch) }
        self.config = config
        self.maxBatch = maxBatch
        let B = maxBatch, L = config.maxLength, F = config.filters, C = config.classes
        let O = config.classDimension, N = config.primaryCapsules

        var layout = ParameterLayout()
        conv1 = NgramConvolution(name: "conv1", length: L, dimension: config.dimension,
                                 ngram: config.ngram, filters: F, layout: &layout)
        primaryCapsules = PrimaryConvolution(name: "primarycaps.conv2d", inChannels: F,
                                             outChannels: config.primaryChannels,
                                             kernel: config.resolvedPrimaryKernel, stride: config.primaryStride,
                                             inputPositions: config.convPositions, inputRowsPerSample: L,
                                             maxBatch: B, layout: &layout)
        classCapsules = ClassCapsules(name: "digitcaps", classes: C, inCapsules: N,
                                      inDimension: config.primaryDimension, outDimension: O,
                                      routings: config.routings, maxBatch: B, layout: &layout)
        var widths: [Int] = []
        if config.hasDecoder {
            widths = config.decoderHidden + [L * config.dimension]
            decoderInput = MaskedCapsuleLinear(name: "decoder.0", classes: C, capsuleDimension: O,
                                               outFeatures: widths[0], layout: &layout)
            decoderLayers = (1..<widths.count).map { i in
                Linear(name: "decoder.\(2 * i)", inFeatures: widths[i - 1], outFeatures: widths[i], layout: &layout)
            }
        } else {
            decoderInput = nil
            decoderLayers = []
        }
        parameters = ParameterStore(layout: layout)
        marginLoss = MarginLoss(positive: config.marginPositive, negative: config.marginNegative,
                                lambda: config.marginLambda)

        let convSize = B * L * F, dropSize = config.dropout > 0 ? convSize : 0
        conv1Out = FloatBuffer(count: convSize)
        dropoutMask = FloatBuffer(count: dropSize)
        dropped = FloatBuffer(count: dropSize)
        primaryOut = FloatBuffer(count: B * N * config.primaryDimension)
        primaryCaps = FloatBuffer(count: B * N * config.primaryDimension)
        classCaps = FloatBuffer(count: B * C * O)
        lengths = FloatBuffer(count: B * C)
        decoderOut = widths.map { FloatBuffer(count: B * $0) }
        selected = .allocate(capacity: B)
        selected.initialize(repeating: 0, count: B)
        conv1Grad = FloatBuffer(count: convSize)
        droppedGrad = FloatBuffer(count: dropSize)
        primaryOutGrad = FloatBuffer(count: B * N * config.primaryDimension)
        primaryCapsGrad = FloatBuffer(count: B * N * config.primaryDimension)
        classCapsGrad = FloatBuffer(count: B * C * O)
        lengthsGrad = FloatBuffer(count: B * C)
        decoderGrad = widths.map { FloatBuffer(count: B * $0) }

        let base = SeededGenerator(seed: seed)
        dropoutGenerator = base.derived(2)
        var initGenerator = base.derived(1)
        initializeParameters(using: &initGenerator)
    }

    deinit { selected.deallocate() }

    /// Number of Float32 values of one input sample, L·D.
    public var sampleSize: Int { config.maxLength * config.dimension }

    func checkBatch(_ batch: Int) throws {
        guard batch >= 1 && batch <= maxBatch else {
            throw CapsNetError.invalidBatchSize(batch: batch, maxBatch: maxBatch)
        }
    }

    func checkLabels(_ labels: UnsafePointer<Int32>, batch: Int) throws {
        for b in 0..<batch where labels[b] < 0 || Int(labels[b]) >= config.classes {
            throw CapsNetError.labelOutOfRange(sample: b, label: labels[b], classes: config.classes)
        }
    }
}
