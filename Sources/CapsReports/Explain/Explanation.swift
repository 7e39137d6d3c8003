import CapsNet

/// One class capsule of one document, explained: how its length splits over
/// the document's tokens (`AttributionMethod`).
public struct ClassExplanation: Sendable {
    public let classIndex: Int
    public let name: String
    /// The capsule length ‖v_c‖, the class's score (an ensemble's mean).
    public let length: Float
    /// [T]: each of the document's tokens' share of the length.
    public let tokenShares: [Float]
    /// The shares of the padding positions past the document's end (conv1
    /// windows reaching into the padding), summed.
    public let paddingShare: Float
    /// The primary convolutions' bias share, which no token carries (0 for gradient × input).
    public let biasShare: Float
    /// [N]: the routing coefficients k·c[n, class] of the last iteration,
    /// one per primary capsule (an ensemble's mean).
    public let coupling: [Float]

    public init(classIndex: Int, name: String, length: Float, tokenShares: [Float], paddingShare: Float,
                biasShare: Float, coupling: [Float]) {
        self.classIndex = classIndex; self.name = name; self.length = length; self.tokenShares = tokenShares
        self.paddingShare = paddingShare; self.biasShare = biasShare; self.coupling = coupling
    }
}

/// What the decoder makes of a document's longest class capsule: the nearest
/// vocabulary word (cosine against the embedding table) to its output at
/// each of the document's positions, and the same with one capsule
/// dimension moved by δ (Sabour et al. 2017, §5.1).
public struct CapsuleReconstruction: Sendable {
    public struct Perturbation: Sendable {
        /// The capsule dimension moved, 0..<O, and by how much.
        public let dimension: Int, delta: Float
        /// [T] the nearest word at each position.
        public let words: [String]

        public init(dimension: Int, delta: Float, words: [String]) {
            self.dimension = dimension; self.delta = delta; self.words = words
        }
    }

    /// The class whose capsule was decoded.
    public let className: String
    /// [T] the nearest word at each position, and its cosine similarity.
    public let words: [String]
    public let similarities: [Float]
    /// Dimension by dimension, each δ in turn.
    public let perturbations: [Perturbation]

    public init(className: String, words: [String], similarities: [Float], perturbations: [Perturbation]) {
        self.className = className; self.words = words; self.similarities = similarities
        self.perturbations = perturbations
    }
}

/// One document, explained.
public struct DocumentExplanation: Sendable {
    /// 1-based, in input order.
    public let number: Int
    /// [T] the tokens as the model read them (at most max_len).
    public let tokens: [String]
    /// The document's own labels (empty when unlabelled).
    public let labels: [String]
    /// The explained classes, longest capsule first.
    public let classes: [ClassExplanation]
    /// With `capseval --reconstruct` and a decoder.
    public let reconstruction: CapsuleReconstruction?

    public init(number: Int, tokens: [String], labels: [String], classes: [ClassExplanation],
                reconstruction: CapsuleReconstruction?) {
        self.number = number; self.tokens = tokens; self.labels = labels; self.classes = classes
        self.reconstruction = reconstruction
    }
}

/// The explanations of a run of `capseval --explain`.
public struct Explanations: Sendable {
    public let method: AttributionMethod
    public let modelPath: String
    public let inputPath: String
    /// Documents in the input, of which `documents` are explained (the first ones).
    public let inputDocuments: Int
    public let documents: [DocumentExplanation]
    /// [N] what each primary capsule is ("conv1 4-gram capsule 3", "lexical capsule 1").
    public let capsuleNames: [String]

    public init(method: AttributionMethod, modelPath: String, inputPath: String, inputDocuments: Int,
                documents: [DocumentExplanation], capsuleNames: [String]) {
        self.method = method; self.modelPath = modelPath; self.inputPath = inputPath
        self.inputDocuments = inputDocuments; self.documents = documents; self.capsuleNames = capsuleNames
    }
}

extension AttributionMethod {
    /// One sentence for reports: what the shares are.
    public var summary: String {
        switch self {
        case .route:
            return "route: each capsule length split exactly over the primary capsules by its routing coefficients and votes, and carried back through the primary convolution to conv1's n-gram windows; a window's share is divided equally among its tokens, and token, padding and bias shares sum to the length"
        case .gradient:
            return "gradient × input: Σ over the vector of ∂‖v‖/∂x · x at each token, a first-order estimate whose shares need not sum to the length"
        }
    }
}
