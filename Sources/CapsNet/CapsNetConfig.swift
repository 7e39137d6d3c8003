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

    /// Throws the first field that is out of range.
    public func validate() throws {
        func check(_ ok: Bool, _ field: String, _ reason: String) throws {
            if !ok { throw CapsNetError.invalidConfiguration(field: field, reason: reason) }
        }
        try check(classes >= 1, "classes", "is \(classes); expected ≥ 1")
        try check(maxLength >= 1, "maxLength", "is \(maxLength); expected ≥ 1")
        try check(dimension >= 1, "dimension", "is \(dimension); expected ≥ 1")
        try check(ngram >= 1 && ngram <= maxLength, "ngram", "is \(ngram); expected 1...maxLength (\(maxLength))")
        try check(filters >= 1, "filters", "is \(filters); expected ≥ 1")
        try check(primaryDimension >= 1, "primaryDimension", "is \(primaryDimension); expected ≥ 1")
        try check(primaryChannels >= primaryDimension && primaryChannels % primaryDimension == 0,
                  "primaryChannels", "is \(primaryChannels); expected a positive multiple of primaryDimension (\(primaryDimension))")
        try check(resolvedPrimaryKernel >= 1 && resolvedPrimaryKernel <= convPositions,
                  "primaryKernel", "is \(resolvedPrimaryKernel); expected 1...\(convPositions) (conv1 positions)")
        try check(primaryStride >= 1, "primaryStride", "is \(primaryStride); expected ≥ 1")
        try check(classDimension >= 1, "classDimension", "is \(classDimension); expected ≥ 1")
        try check(routings >= 1, "routings", "is \(routings); expected ≥ 1")
        try check(decoderHidden.allSatisfy { $0 >= 1 }, "decoderHidden", "is \(decoderHidden); expected positive widths")
        try check(reconstructionWeight >= 0 && reconstructionWeight.isFinite, "reconstructionWeight",
                  "is \(reconstructionWeight); expected a finite value ≥ 0")
        try check(dropout >= 0 && dropout < 1, "dropout", "is \(dropout); expected 0 ≤ p < 1")
    }
}
