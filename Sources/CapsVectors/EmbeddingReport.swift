import Foundation

/// How an embedding table was filled: which vocabulary words found a
/// pretrained vector (by types and, given counts, by tokens) and what was read.
///
/// Coverage counts only real words: ids 0 (`<pad>`) and 1 (`<unk>`) are left
/// out of both the type and the token figures.
public struct EmbeddingReport: Sendable, Equatable, CustomStringConvertible {
    /// Statistics of the scanned vector file.
    public struct FileStats: Sendable, Equatable {
        public var path: String
        public var format: VectorFormat
        public var isCompressed: Bool
        /// Rows the file holds (all were read and validated).
        public var rowsRead: Int
        public var dim: Int
        /// Wall-clock time of the scan.
        public var seconds: Double
    }

    /// Word types (vocabulary ids ≥ 2).
    public var types: Int
    /// Types whose exact spelling is in the file.
    public var typesExact: Int
    /// Types found only through their lower-cased spelling.
    public var typesLowercased: Int
    /// Corpus tokens of those types, when counts were given.
    public var tokens: Int64?
    public var tokensExact: Int64?
    public var tokensLowercased: Int64?
    /// The vector file, or nil when every row is random.
    public var file: FileStats?
    /// What rows without a vector got.
    public var oovPolicy: OOVPolicy
    /// Whether `oovPolicy`'s bound was matched to the pretrained vectors (`--oov matched`).
    public var oovMatched = false
    public var seed: UInt64

    /// Types with a pretrained vector.
    public var typesFound: Int { typesExact + typesLowercased }
    /// Fraction of types with a pretrained vector (0 for an empty vocabulary).
    public var typeCoverage: Double { types == 0 ? 0 : Double(typesFound) / Double(types) }
    /// Fraction of tokens with a pretrained vector, when counts were given.
    public var tokenCoverage: Double? {
        guard let tokens, let tokensExact, let tokensLowercased else { return nil }
        return tokens == 0 ? 0 : Double(tokensExact + tokensLowercased) / Double(tokens)
    }

    public var description: String {
        var lines: [String] = []
        if let file {
            let compression = file.isCompressed ? "gzip" : "plain"
            lines.append("vectors: \(file.path) (\(file.format), \(compression)): \(file.rowsRead) rows × \(file.dim), "
                         + "scanned in \(Self.fixed(file.seconds, 2)) s")
        } else {
            lines.append("vectors: none; every row random")
        }
        lines.append("types:  \(typesFound) / \(types) with a vector (\(Self.percent(typeCoverage))): "
                     + "\(typesExact) exact, \(typesLowercased) lower-cased; \(types - typesFound) without")
        if let tokens, let tokensExact, let tokensLowercased, let tokenCoverage {
            lines.append("tokens: \(tokensExact + tokensLowercased) / \(tokens) with a vector (\(Self.percent(tokenCoverage))): "
                         + "\(tokensExact) exact, \(tokensLowercased) lower-cased")
        }
        let matched = oovMatched ? " (bound matched to the pretrained vectors' variance)" : ""
        lines.append("others: \(oovPolicy)\(matched), seed \(seed); <pad> row zeros")
        return lines.joined(separator: "\n")
    }

    private static func percent(_ fraction: Double) -> String { fixed(100 * fraction, 1) + "%" }

    private static func fixed(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
}
