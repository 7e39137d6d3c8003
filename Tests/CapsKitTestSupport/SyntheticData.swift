import CapsArtifacts
import CapsCore
import CapsKit
import CapsNet
import CapsReports
import CapsText
import CapsVectors
import Foundation

/// A small, learnable corpus written through the real writers (`TokensFile`,
/// `EmbeddedFile.write`), so tests train on exactly what `embed` produces:
/// each class has two signal words, and a document holds one of its class's
/// signal words among random filler words. Vocabulary: `<pad> <unk> w2 … wV-1`.
public enum SyntheticData {
    /// A model small enough to learn this data in well under a second:
    /// every size shrunk, decoder on unless `decoder` is false.
    public static func smallConfig(decoder: Bool = true) -> CapsNetConfig {
        var config = CapsNetConfig(classes: 1)
        config.ngrams = [2]
        config.filters = 12
        config.primaryChannels = 16
        config.primaryKernel = 3
        config.primaryStride = 2
        config.classDimension = 8
        config.decoderHidden = [16, 24]
        config.reconstructionWeight = decoder ? 0.1 : 0
        return config
    }

    public struct Shape {
        public var rows = 120, maxLength = 8, dimension = 6, classes = 3, vocabulary = 20
        public init() {}
    }

    /// - Parameter edit: a last change to the labels and the table before writing (for bad-input tests).
    @discardableResult
    public static func write(to path: String, shape: Shape = Shape(), seed: UInt64 = 7,
                      edit: (inout [Int32], inout [Float]) -> Void = { _, _ in }) throws -> (labels: [Int32], ids: [Int32]) {
        var (tokens, table) = try corpus(shape: shape, seed: seed)
        edit(&tokens.labels!, &table.values)
        try EmbeddedFile.write(tokens: tokens, table: table, settings: EmbeddingSettings(seed: seed),
                               provenance: Provenance(tool: "embed", command: "synthetic"), to: path)
        return (tokens.labels!, tokens.ids)
    }

    /// The tokens file the embedded file of `write` (same shape and seed) is made from.
    public static func tokensFile(shape: Shape = Shape(), seed: UInt64 = 7) throws -> TokensFile {
        try corpus(shape: shape, seed: seed).tokens
    }

    /// The corpus (as a tokens file) and its random embedding table [V, D].
    static func corpus(shape: Shape, seed: UInt64) throws -> (tokens: TokensFile, table: EmbeddingTable) {
        var generator = SeededGenerator(seed: seed)
        let (N, L, D, C, V) = (shape.rows, shape.maxLength, shape.dimension, shape.classes, shape.vocabulary)
        var ids = [Int32](repeating: 0, count: N * L)
        var labels = [Int32](repeating: 0, count: N)
        var lengths = [Int32](repeating: 0, count: N)
        let fillerStart = 2 + 2 * C
        for n in 0..<N {
            let label = n % C
            labels[n] = Int32(label)
            let length = 3 + generator.nextInt(below: L - 2)
            lengths[n] = Int32(length)
            for t in 0..<length { ids[n * L + t] = Int32(fillerStart + generator.nextInt(below: V - fillerStart)) }
            ids[n * L + generator.nextInt(below: length)] = Int32(2 + 2 * label + generator.nextInt(below: 2))
        }
        let words = ["<pad>", "<unk>"] + (2..<V).map { "w\($0)" }
        // Vectors in (−1, 1): well separated, so a small model learns the signal words quickly.
        let table = EmbeddingTableBuilder(vocabulary: words, seed: seed).buildRandom(dim: D, bound: 1)
        let vocabulary = try Vocabulary(tokens: words, counts: [0, 0] + [Int64](repeating: 5, count: V - 2))
        let settings = TokenizationSettings(maxLength: L)
        let tokens = TokensFile(ids: ids, lengths: lengths, labels: labels, allLabels: nil,
                                labelNames: (0..<C).map { "class\($0)" }, vocabulary: vocabulary,
                                trainVocabularySize: V, settings: settings, source: "synthetic",
                                sourceSHA256: String(repeating: "0", count: 64), statistics: CorpusStatistics(),
                                provenance: Provenance(tool: "tokenize", command: "synthetic"))
        return (tokens, table)
    }
}
