import CapsCore

/// The output non-linearity of the reconstruction decoder.
public enum DecoderActivation: String, Sendable, CaseIterable {
    /// σ(z): reconstructions in (0, 1), as in the reference design.
    case sigmoid
    /// The identity: for inputs that are not in (0, 1), such as word vectors.
    case linear
}

/// Every size and constant of the text capsule network. Defaults are the
/// reference design (40×200 inputs, 4-gram conv of 256 filters, 32 primary
/// capsules of 8, class capsules of 16, 3 routings, decoder 512–1024).
public struct CapsNetConfig: Equatable, Sendable {
    /// Number of classes C.
    public var classes: Int
    /// Tokens per sample L.
    public var maxLength = 40
    /// Word-vector dimension D.
    public var dimension = 200
    /// Height of the conv1 kernel (tokens per window).
    public var ngram = 4
    /// conv1 output channels F.
    public var filters = 256
    /// Primary conv output channels P (a multiple of `primaryDimension`).
    public var primaryChannels = 256
    /// Size of a primary capsule.
    public var primaryDimension = 8
    /// Height K of the primary conv kernel; nil means the whole conv1 output (h1).
    public var primaryKernel: Int? = nil
    /// Stride of the primary conv along the positions.
    public var primaryStride = 2
    /// Size of a class capsule.
    public var classDimension = 16
    /// Routing iterations (≥ 1).
    public var routings = 3
    /// How the coupling coefficients are found (dynamic: the reference).
    public var routing = RoutingScheme.dynamic
    /// The factor on the coupling coefficients (reference: 1; classes: C).
    public var couplingScale = CouplingScale.reference
    /// Widths of the decoder's hidden layers.
    public var decoderHidden = [512, 1024]
    /// Output non-linearity of the decoder.
    public var decoderActivation = DecoderActivation.sigmoid
    /// Weight of the reconstruction loss; 0 removes the decoder entirely.
    public var reconstructionWeight: Float = 0.392
    /// Margin-loss target length of the true class (m+).
    public var marginPositive: Float = 0.9
    /// Margin-loss bound on the other classes' lengths (m−).
    public var marginNegative: Float = 0.1
    /// Down-weighting of the absent-class term (λ).
    public var marginLambda: Float = 0.5
    /// Dropout probability on conv1's output during training (0 = none).
    public var dropout: Float = 0

    /// A configuration with reference defaults for `classes` classes.
    public init(classes: Int) { self.classes = classes }

    /// Positions of conv1's output, h1 = L − ngram + 1.
    public var convPositions: Int { maxLength - ngram + 1 }
    /// The primary kernel height actually used.
    public var resolvedPrimaryKernel: Int { primaryKernel ?? convPositions }
    /// Positions of the primary conv's output, h2 = (h1 − K) / stride + 1.
    public var primaryPositions: Int { (convPositions - resolvedPrimaryKernel) / primaryStride + 1 }
    /// Number of primary capsules N = P / primaryDimension · h2.
    public var primaryCapsules: Int { primaryChannels / primaryDimension * primaryPositions }
    /// Whether the model has a reconstruction decoder.
    public var hasDecoder: Bool { reconstructionWeight != 0 }

    /// Throws the first field that is out of range: each setting's own
    /// check, then the checks that relate fields to each other.
    public func validate() throws {
        do {
            try Self.settings.validate(self)
        } catch let error as SettingError {
            throw CapsNetError.invalidConfiguration(field: error.name, reason: error.reason)
        }
        func check(_ ok: Bool, _ field: String, _ reason: String) throws {
            if !ok { throw CapsNetError.invalidConfiguration(field: field, reason: reason) }
        }
        try check(ngram <= maxLength, "--ngram", "must be at most max_len \(maxLength) (got \(ngram))")
        try check(primaryChannels % primaryDimension == 0, "--primary-channels",
                  "must be a multiple of --primary-dim \(primaryDimension) (got \(primaryChannels))")
        try check(resolvedPrimaryKernel >= 1 && resolvedPrimaryKernel <= convPositions, "--primary-kernel",
                  "must lie in 1...\(convPositions), the conv1 positions (got \(resolvedPrimaryKernel))")
    }
}

// MARK: - The declaration of every field

extension CapsNetConfig {
    /// Every field of the configuration, once: its name in model files and
    /// exports (the PyTorch reference's and `../shared/golden`'s names), its
    /// capsfit flag and help, its check, and its value in older files. The
    /// model file's attributes, capsfit's flags, `--resume`, the export
    /// configuration and the summary all go through this list; adding a field
    /// is one stored property above, one line here, and its use in the math.
    public static let settings: [Setting<CapsNetConfig>] = [
        .int("classes", \.classes, commandLine: false, help: "Number of classes C.", check: atLeast(1)),
        .int("max_len", \.maxLength, commandLine: false, help: "Tokens per sample L.", check: atLeast(1)),
        .int("dim", \.dimension, commandLine: false, help: "Word-vector dimension D.", check: atLeast(1)),
        .int("ngram", \.ngram, help: "Tokens per conv1 window (the n of the n-gram).", check: atLeast(1)),
        .int("filters", \.filters, help: "conv1 filters F.", check: atLeast(1)),
        .int("primary_channels", \.primaryChannels, help: "Channels P of the primary-capsule convolution.",
             check: atLeast(1)),
        .int("primary_dim", \.primaryDimension, help: "Dimensions I of a primary capsule.", check: atLeast(1)),
        .int("primary_kernel", \.primaryKernel, resolved: \.resolvedPrimaryKernel,
             help: "Kernel height K of the primary convolution (absent: all conv1 positions, max-len − ngram + 1)."),
        .int("primary_stride", \.primaryStride, help: "Stride of the primary convolution.", check: atLeast(1)),
        .int("class_dim", \.classDimension, help: "Dimensions O of a class capsule.", check: atLeast(1)),
        .int("routings", \.routings, help: "Routing iterations (dynamic and leaky routing).", check: atLeast(1)),
        .choice("routing", \.routing,
                help: "Routing: dynamic (Sabour et al. 2017), leaky (softmax with an orphan class, Zhao et al. 2018) or static (uniform coupling in one pass, Kim et al. 2018).",
                legacy: .dynamic),
        .choice("coupling_scale", \.couplingScale,
                help: "Coupling factor k in s = Σ k·c·û: reference (1, coupling sums to 1 over the classes) or classes (C, so the class capsules do not shrink with the class count).",
                legacy: .reference),
        .ints("decoder_hidden", \.decoderHidden, help: "Decoder hidden widths, comma-separated.",
              check: { $0.allSatisfy { $0 >= 1 } ? nil : "must be positive widths" }),
        .choice("decoder_activation", \.decoderActivation, flag: "decoder-output",
                help: "Decoder output: sigmoid (as the reference) or linear (word vectors are signed)."),
        .float("lam_recon", \.reconstructionWeight, help: "Weight of the reconstruction loss; 0 removes the decoder.",
               check: { $0 >= 0 && $0.isFinite ? nil : "must be finite and at least 0" }),
        .float("m_plus", \.marginPositive, help: "Margin loss m+ (target length of the true class)."),
        .float("m_minus", \.marginNegative, help: "Margin loss m− (bound on the other classes' lengths)."),
        .float("lambda", \.marginLambda, help: "Margin loss λ (weight of absent classes)."),
        .float("dropout", \.dropout, help: "Dropout on conv1's output during training.", legacy: 0,
               check: { $0 >= 0 && $0 < 1 ? nil : "must lie in [0, 1)" }),
    ]

    private static func atLeast(_ minimum: Int) -> (Int) -> String? {
        { $0 >= minimum ? nil : "must be at least \(minimum)" }
    }
}
