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
    /// Heights of the conv1 kernels (tokens per window), one n-gram branch of
    /// primary capsules each (Capsule-B's 3, 4, 5); the reference has one, 4.
    public var ngrams = [4]
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
    /// Segments Q that the primary conv's positions are max-pooled into
    /// before the squash (0: no pooling, the reference); with pooling the
    /// capsule count no longer depends on the length.
    public var positionPool = 0
    /// Buckets R of the hashed token n-grams behind the lexical capsules
    /// (0: no lexical capsules, the reference).
    public var buckets = 0
    /// The longest token n-gram hashed into the buckets (2: words and word
    /// pairs; 3 suits character tokens).
    public var lexicalNgrams = 2
    /// Lexical primary capsules Q_x per document (each of I values).
    public var lexicalCapsules = 8
    /// Tokens per document the lexical capsules read, L_x ≥ L: the data's
    /// lexical view (`tokenize --lexical-len`), so the bag of n-grams covers
    /// text past the L tokens the convolutions see. 0: the L tokens of the rows.
    public var lexicalLength = 0
    /// In training, each n-gram of a document's bag is left out of its mean
    /// with this probability (0: none) — the word dropout of deep averaging
    /// networks (Iyyer et al. 2015), on the lexical bag.
    public var lexicalDropout: Float = 0
    /// How the bag's rows are pooled: their mean, or their sum over √n.
    public var lexicalPooling = LexicalPooling.mean
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

    /// Positions of the output of conv1 with kernel height n, h1 = L − n + 1.
    public func convPositions(ngram: Int) -> Int { maxLength - ngram + 1 }
    /// The primary kernel height of the branch of n: `primaryKernel`, or all its h1 positions.
    public func primaryKernel(ngram: Int) -> Int { primaryKernel ?? convPositions(ngram: ngram) }
    /// Positions of the primary conv's output in the branch of n, h2 = (h1 − K) / stride + 1.
    public func primaryPositions(ngram: Int) -> Int {
        (convPositions(ngram: ngram) - primaryKernel(ngram: ngram)) / primaryStride + 1
    }
    /// Primary capsules of the branch of n, P/I · h (h = Q when pooled, else h2).
    public func primaryCapsules(ngram: Int) -> Int {
        primaryChannels / primaryDimension * (positionPool > 0 ? positionPool : primaryPositions(ngram: ngram))
    }
    /// Number of primary capsules N: every branch's, then the lexical ones.
    public var primaryCapsules: Int { ngrams.reduce(0) { $0 + primaryCapsules(ngram: $1) } + lexicalCapsuleCount }
    /// Whether the model has lexical capsules (hashed n-gram buckets).
    public var hasLexicalCapsules: Bool { buckets > 0 }
    /// Lexical capsules per document: Q_x with buckets, else 0.
    public var lexicalCapsuleCount: Int { hasLexicalCapsules ? lexicalCapsules : 0 }
    /// Tokens per row of the network's token input [B, L_t], the lexical
    /// capsules' view: L_x with a lexical view, else L.
    public var tokenRowLength: Int { lexicalLength > 0 ? lexicalLength : maxLength }
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
        try check(lexicalLength == 0 || (hasLexicalCapsules && lexicalLength >= maxLength), "lexical_len",
                  "must be 0, or at least max_len \(maxLength) with --buckets (got \(lexicalLength))")
        try check(primaryChannels % primaryDimension == 0, "--primary-channels",
                  "must be a multiple of --primary-dim \(primaryDimension) (got \(primaryChannels))")
        for n in ngrams {
            try check(n <= maxLength, "--ngram", "must be at most max_len \(maxLength) (got \(n))")
            let h1 = convPositions(ngram: n), kernel = primaryKernel(ngram: n)
            try check(kernel >= 1 && kernel <= h1, "--primary-kernel",
                      "must lie in 1...\(h1), the positions of the \(n)-gram conv1 (got \(kernel))")
            let h2 = primaryPositions(ngram: n)
            try check(positionPool <= h2, "--position-pool",
                      "must be at most \(h2), the primary conv positions of the \(n)-gram branch (got \(positionPool))")
        }
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
        .ints("ngram", \.ngrams, scalarWhenSingle: true,
              help: "Tokens per conv1 window, the n of the n-gram; several (3,4,5) make parallel branches of primary capsules routed together (Zhao et al. 2018).",
              check: { list in
                  if list.isEmpty || !list.allSatisfy({ $0 >= 1 }) { return "must be positive widths" }
                  return Set(list).count == list.count ? nil : "must not repeat a width"
              }),
        .int("filters", \.filters, help: "conv1 filters F.", check: atLeast(1)),
        .int("primary_channels", \.primaryChannels, help: "Channels P of the primary-capsule convolution.",
             check: atLeast(1)),
        .int("primary_dim", \.primaryDimension, help: "Dimensions I of a primary capsule.", check: atLeast(1)),
        // Files store the resolved kernel, as the PyTorch reference reads it;
        // with several branches "all positions" differs by branch and is stored as 0.
        .int("primary_kernel", \.primaryKernel,
             resolved: { $0.ngrams.count == 1 ? $0.primaryKernel(ngram: $0.ngrams[0]) : $0.primaryKernel ?? 0 },
             absent: 0,
             help: "Kernel height K of the primary convolution (absent or 0: all conv1 positions, max-len − ngram + 1)."),
        .int("primary_stride", \.primaryStride, help: "Stride of the primary convolution.", check: atLeast(1)),
        .int("position_pool", \.positionPool,
             help: "Max-pool the primary convolution's positions into Q segments per channel before the squash (0: none), so the capsule count and class-capsule weights do not grow with max-len.",
             legacy: 0, check: { $0 >= 0 ? nil : "must be at least 0" }),
        .int("buckets", \.buckets,
             help: "Hash every token n-gram of 1…--lexical-ngrams tokens (fastText-style) into this many buckets of --lexical-capsules × --primary-dim values, averaged per document and squashed into extra primary capsules routed with the convolutional ones (0: none); they read the data's lexical view when it has one (tokenize --lexical-len), else the L tokens of its rows. Memory: 4 bytes per value in the model, 16 while training (values, gradient, two Adam moments) — e.g. 131072 buckets × 64 = 32 MiB, 128 MiB in training.",
             legacy: 0, check: { $0 >= 0 ? nil : "must be at least 0" }),
        .int("lexical_ngrams", \.lexicalNgrams,
             help: "Longest token n-gram hashed into the buckets (2: words and word pairs; 3 for characters).",
             legacy: 2, check: atLeast(1)),
        .int("lexical_capsules", \.lexicalCapsules, help: "Lexical primary capsules per document (with --buckets).",
             legacy: 8, check: atLeast(1)),
        .float("lexical_dropout", \.lexicalDropout,
               help: "In training, leave each n-gram out of a document's lexical bag with this probability (word dropout of a deep averaging network, Iyyer et al. 2015); the mean is over the n-grams kept.",
               legacy: 0, check: { $0 >= 0 && $0 < 1 ? nil : "must lie in [0, 1)" }),
        .choice("lexical_pool", \.lexicalPooling,
                help: "How a document's n-gram rows are pooled before the squash: mean (fastText's), or sqrtn (their sum over √n, so long documents' evidence shrinks as with an L2-normalised bag).",
                legacy: .mean),
        .int("lexical_len", \.lexicalLength, commandLine: false,
             help: "Tokens per document the lexical capsules read, L_x (0: the L tokens of the rows).",
             legacy: 0, check: { $0 >= 0 ? nil : "must be at least 0" }),
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
