import CapsCore
import CapsNet
import CapsReports
import CapsText

/// What `capseval --explain` explains, and how.
public struct ExplainOptions: Sendable {
    /// The first N documents of the input (0: all).
    public var documents = 100
    /// The K longest class capsules of each document.
    public var topClasses = 3
    /// Gradient × input: the more faithful of the two in the deletion test on every dataset measured (README).
    public var method = AttributionMethod.gradient
    /// Also decode the longest capsule and its perturbations (needs a decoder).
    public var reconstruct = false
    /// The δ each capsule dimension is moved by in the reconstruction table.
    public var perturbations: [Float] = [-0.25, 0.25]

    public init() {}

    /// Refuses what `model` cannot do, before any scoring runs.
    public func check(model: ScoringModel) throws {
        if reconstruct && !model.config.hasDecoder {
            throw ScoringError.invalidOption("--reconstruct needs a model with a decoder; \(model.path) was trained with --lam-recon 0")
        }
        guard topClasses >= 1 else {
            throw ScoringError.invalidOption("--explain-classes must be at least 1 (got \(topClasses))")
        }
        guard documents >= 0 else {
            throw ScoringError.invalidOption("--explain-documents must be at least 0 (got \(documents))")
        }
    }
}

/// Explains a model's scores of an input, one document at a time: the
/// network's attribution (`CapsuleNetwork.attribute`) of each top class's
/// capsule length to the document's tokens. An ensemble's shares are the
/// mean over its members of each member's shares, as its lengths are the
/// mean of theirs.
public final class Explainer {
    public let model: ScoringModel
    public let input: ScoringInput

    public init(model: ScoringModel, input: ScoringInput) {
        self.model = model
        self.input = input
    }

    /// Each member's input matrix [L, D] for document `i`.
    func memberMatrices(_ i: Int) throws -> [[Float]] {
        let L = model.config.maxLength, D = model.config.dimension
        return try input.memberRows.map { rows in
            var x = [Float](repeating: 0, count: L * D)
            try x.withUnsafeMutableBufferPointer { try rows.fill(i..<(i + 1), maxLength: L, dimension: D, into: $0) }
            return x
        }
    }

    /// Document `i`'s token ids [L_t] in the model's vocabulary: the tokens
    /// the model reads (its lexical view with one, else its L-token row).
    func tokens(_ i: Int) -> [Int32] {
        let T = input.tokenRowLength
        return Array(input.tokens[(i * T)..<((i + 1) * T)])
    }

    /// Runs `body` with each member's weights in the network in turn (its
    /// index and input matrices), restoring member 1's after an ensemble.
    func forEachMember(_ matrices: [[Float]], _ body: (Int, [Float]) throws -> Void) throws {
        if model.memberCount == 1 { return try body(0, matrices[0]) }
        defer { try? model.network.parameters.set(contentsOf: model.file.members[0].weights) }
        for k in 0..<model.memberCount {
            try model.network.parameters.set(contentsOf: model.file.members[k].weights)
            try body(k, matrices.count == 1 ? matrices[0] : matrices[k])
        }
    }

    /// The mean over members of the attributions of `classes` for document `i`.
    public func attribute(document i: Int, classes: [Int], method: AttributionMethod) throws -> [TokenAttribution] {
        let tokens = model.config.hasLexicalCapsules ? self.tokens(i) : nil
        var sum: [TokenAttribution]? = nil
        try forEachMember(try memberMatrices(i)) { _, x in
            let member = try model.network.attribute(x: x, tokens: tokens, classes: classes, method: method)
            sum = sum.map { zip($0, member).map(Self.add) } ?? member
        }
        let k = Float(model.memberCount)
        return k == 1 ? sum! : sum!.map { Self.scaled($0, by: 1 / k) }
    }

    /// The mean capsule lengths [C] of document `i`.
    func lengths(document i: Int) throws -> [Float] {
        let tokens = model.config.hasLexicalCapsules ? self.tokens(i) : nil
        var sum = [Float](repeating: 0, count: model.config.classes)
        try forEachMember(try memberMatrices(i)) { _, x in
            let member = try model.network.infer(x: x, tokens: tokens)
            for c in sum.indices { sum[c] += member[c] }
        }
        return sum.map { $0 / Float(model.memberCount) }
    }

    private static func add(_ a: TokenAttribution, _ b: TokenAttribution) -> TokenAttribution {
        TokenAttribution(classIndex: a.classIndex, length: a.length + b.length,
                         tokens: zip(a.tokens, b.tokens).map(+), bias: a.bias + b.bias,
                         capsules: a.capsules.flatMap { x in b.capsules.map { zip(x, $0).map(+) } },
                         coupling: zip(a.coupling, b.coupling).map(+))
    }

    private static func scaled(_ a: TokenAttribution, by s: Float) -> TokenAttribution {
        TokenAttribution(classIndex: a.classIndex, length: a.length * s, tokens: a.tokens.map { $0 * s },
                         bias: a.bias * s, capsules: a.capsules?.map { $0 * s }, coupling: a.coupling.map { $0 * s })
    }

    /// The K indices of the longest of `lengths`, longest first (lower index on ties).
    static func top(_ k: Int, of lengths: [Float]) -> [Int] {
        Array(lengths.indices.sorted { lengths[$0] != lengths[$1] ? lengths[$0] > lengths[$1] : $0 < $1 }.prefix(k))
    }

    /// The explanations of the first `options.documents` documents.
    public func explain(_ options: ExplainOptions, progress: ProgressReporter? = nil) throws -> Explanations {
        try options.check(model: model)
        let count = options.documents == 0 ? input.documentCount : min(options.documents, input.documentCount)
        let reconstructor = options.reconstruct ? CapsuleReconstructor(model: model, perturbations: options.perturbations) : nil
        let names = model.labelNames
        var documents: [DocumentExplanation] = []
        for i in 0..<count {
            let lengths = try self.lengths(document: i)
            let classes = Self.top(min(options.topClasses, names.count), of: lengths)
            let attributions = try attribute(document: i, classes: classes, method: options.method)
            let T = input.tokenCount(i)
            var texts = input.tokenTexts(i)
            if texts.count != T { texts = tokens(i).prefix(T).map { model.vocabulary.tokens[Int($0)] } }
            let explained = attributions.map { a in
                ClassExplanation(classIndex: a.classIndex, name: names[a.classIndex], length: a.length,
                                 tokenShares: Array(a.tokens.prefix(T)), paddingShare: a.tokens.dropFirst(T).reduce(0, +),
                                 biasShare: a.bias, coupling: a.coupling)
            }
            let reconstruction = try reconstructor.map { try $0.reconstruct(document: i, explainer: self, classIndex: classes[0], positions: min(T, model.config.maxLength)) }
            documents.append(DocumentExplanation(number: i + 1, tokens: texts, labels: goldLabels(i),
                                                 classes: explained, reconstruction: reconstruction))
            progress?.advance(by: 1)
        }
        progress?.finish()
        return Explanations(method: options.method, modelPath: model.path, inputPath: input.path,
                            inputDocuments: input.documentCount, documents: documents,
                            capsuleNames: Self.capsuleNames(model.config))
    }

    /// Document `i`'s labels by name (unseen ones left out).
    func goldLabels(_ i: Int) -> [String] {
        let names = model.labelNames
        if let sets = input.labelSets { return sets[i].filter { $0 >= 0 }.map { names[Int($0)] } }
        if let labels = input.labels, labels[i] >= 0 { return [names[Int(labels[i])]] }
        return []
    }

    /// What each of the N primary capsules is, in capsule order.
    static func capsuleNames(_ config: CapsNetConfig) -> [String] {
        var names: [String] = []
        for n in config.ngrams {
            let count = config.primaryCapsules(ngram: n)
            names += (1...count).map { "\(n)-gram capsule \($0)" }
        }
        if config.hasLexicalCapsules { names += (1...config.lexicalCapsules).map { "lexical capsule \($0)" } }
        return names
    }
}
