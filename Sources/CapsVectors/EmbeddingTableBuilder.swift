import CapsCore

/// Builds the embedding table of a vocabulary from a pretrained word-vector
/// file, or at random without one.
///
/// The vocabulary is indexed by token id: id 0 is padding (`<pad>`), whose row
/// is always zeros; id 1 is the unknown word (`<unk>`), which is never looked
/// up and gets the out-of-vocabulary rule; ids ≥ 2 are words.
///
/// Lookup, per word: its exact spelling first (byte-exact UTF-8), then its
/// lower-cased spelling. When the file holds a spelling more than once, the
/// first occurrence in file order wins. Words found neither way follow the
/// `oovPolicy`.
///
/// Random rows are reproducible and independent of the vector file: the
/// generator made from `seed` draws `dim` values for every row 1, 2, …, in
/// token-id order, and a row keeps its draws only if it has no pretrained
/// vector. So row `id` gets the same random vector for the same seed and
/// dimension whatever the file covers (Kim 2014 draws the same rule).
public struct EmbeddingTableBuilder {
    /// Token strings, index = token id.
    public var vocabulary: [String]
    /// Corpus count per token id, for token coverage; same length as `vocabulary`.
    public var counts: [Int64]?
    public var oovPolicy: OOVPolicy
    public var seed: UInt64

    /// - Precondition: `counts`, when given, has one entry per vocabulary word.
    public init(vocabulary: [String], counts: [Int64]? = nil, oovPolicy: OOVPolicy = .kim2014, seed: UInt64) {
        precondition(counts == nil || counts!.count == vocabulary.count,
                     "counts has \(counts?.count ?? 0) entries for \(vocabulary.count) vocabulary words")
        self.vocabulary = vocabulary
        self.counts = counts
        self.oovPolicy = oovPolicy
        self.seed = seed
    }

    /// Where a row's values came from.
    private enum Source: UInt8 { case none, exact, lowercased }

    /// Streams the vector file at `path`, keeping only vocabulary words.
    /// - Parameters:
    ///   - format: the file's layout, or nil to detect it.
    ///   - dim: the required dimension, or nil to take the file's.
    /// - Throws: `VectorFileError` for an unreadable or malformed file, or one
    ///   whose dimension is not `dim`.
    public func build(vectorFile path: String, format: VectorFormat? = nil, dim: Int? = nil) throws -> EmbeddingTable {
        let clock = ContinuousClock()
        let started = clock.now
        let reader = try VectorFileReader(path: path, format: format, expectedDim: dim)
        let d = reader.dim
        let v = vocabulary.count

        // Words to look for: each exact spelling and each differing lower-cased
        // spelling maps to the token ids that want it (several only if the
        // vocabulary repeats a word).
        var exact = WordIndex(), lowered = WordIndex()
        var exactIDs: [[Int]] = [], loweredIDs: [[Int]] = []
        for id in 2..<max(v, 2) {
            let word = vocabulary[id]
            let key = exact.insert(Array(word.utf8))
            if key == exactIDs.count { exactIDs.append([]) }
            exactIDs[key].append(id)
            let lower = word.lowercased()
            if !lower.utf8.elementsEqual(word.utf8) {
                let lowerKey = lowered.insert(Array(lower.utf8))
                if lowerKey == loweredIDs.count { loweredIDs.append([]) }
                loweredIDs[lowerKey].append(id)
            }
        }

        var values = [Float](repeating: 0, count: v * d)
        var source = [Source](repeating: .none, count: v)
        var exactSeen = [Bool](repeating: false, count: exact.count)
        var loweredSeen = [Bool](repeating: false, count: lowered.count)
        try values.withUnsafeMutableBufferPointer { table in
            func store(_ vector: UnsafeBufferPointer<Float>, row id: Int) {
                _ = UnsafeMutableBufferPointer(rebasing: table[id * d ..< (id + 1) * d]).initialize(from: vector)
            }
            while try reader.nextRow({ word, vector in
                if let key = exact.find(word), !exactSeen[key] {
                    exactSeen[key] = true
                    for id in exactIDs[key] {
                        store(vector, row: id)
                        source[id] = .exact
                    }
                }
                if let key = lowered.find(word), !loweredSeen[key] {
                    loweredSeen[key] = true
                    // An exact match, earlier or later in the file, takes precedence.
                    for id in loweredIDs[key] where source[id] != .exact {
                        store(vector, row: id)
                        source[id] = .lowercased
                    }
                }
            }) {}
        }
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18

        var policy = oovPolicy
        if case .matched = oovPolicy {
            policy = .uniform(bound: Self.matchedBound(values, dim: d) { source[$0] != .none })
        }
        if case .uniform(let bound) = policy {
            fillRandom(&values, dim: d, bound: bound) { source[$0] == .none }
        }
        let stats = EmbeddingReport.FileStats(path: path, format: reader.format, isCompressed: reader.isCompressed,
                                              rowsRead: reader.rowsRead, dim: d, seconds: seconds)
        var report = makeReport(source: source, file: stats, policy: policy)
        report.oovMatched = oovPolicy == .matched
        return EmbeddingTable(vocabularySize: v, dim: d, values: values, report: report)
    }

    /// √(3σ²), σ² the variance of every component of the rows `found`
    /// (uniform in [−a, a) has variance a²/3); Kim's 0.25 when no row is found.
    static func matchedBound(_ values: [Float], dim: Int, found: (Int) -> Bool) -> Float {
        var count = 0.0, sum = 0.0, sumOfSquares = 0.0
        for id in 0..<(values.count / dim) where found(id) {
            for x in values[(id * dim)..<((id + 1) * dim)] {
                sum += Double(x)
                sumOfSquares += Double(x) * Double(x)
            }
            count += Double(dim)
        }
        guard count > 1 else { return 0.25 }
        let mean = sum / count
        let variance = max(sumOfSquares / count - mean * mean, 0)
        return variance > 0 ? Float((3 * variance).squareRoot()) : 0.25
    }

    /// A table without pretrained vectors: every row but padding is uniform in
    /// [−bound, bound), drawn exactly as `build` draws out-of-vocabulary rows.
    public func buildRandom(dim: Int, bound: Float = 0.25) -> EmbeddingTable {
        precondition(dim >= 1, "embedding dimension must be positive, got \(dim)")
        let v = vocabulary.count
        var values = [Float](repeating: 0, count: v * dim)
        fillRandom(&values, dim: dim, bound: bound) { _ in true }
        let report = makeReport(source: [Source](repeating: .none, count: v), file: nil, policy: .uniform(bound: bound))
        return EmbeddingTable(vocabularySize: v, dim: dim, values: values, report: report)
    }

    /// Draws `dim` values for every row from 1 on, in id order, and writes them
    /// where `wanted(id)`; row 0 (padding) stays zero.
    private func fillRandom(_ values: inout [Float], dim: Int, bound: Float, wanted: (Int) -> Bool) {
        var generator = SeededGenerator(seed: seed)
        for id in 1..<max(vocabulary.count, 1) {
            let keep = wanted(id)
            for j in 0..<dim {
                let x = generator.uniform(-bound, bound)
                if keep { values[id * dim + j] = x }
            }
        }
    }

    private func makeReport(source: [Source], file: EmbeddingReport.FileStats?, policy: OOVPolicy) -> EmbeddingReport {
        var report = EmbeddingReport(types: max(vocabulary.count - 2, 0), typesExact: 0, typesLowercased: 0,
                                     file: file, oovPolicy: policy, seed: seed)
        var tokens: Int64 = 0, tokensExact: Int64 = 0, tokensLowercased: Int64 = 0
        for id in 2..<max(vocabulary.count, 2) {
            let count = counts?[id] ?? 0
            tokens += count
            switch source[id] {
            case .exact: report.typesExact += 1; tokensExact += count
            case .lowercased: report.typesLowercased += 1; tokensLowercased += count
            case .none: break
            }
        }
        if counts != nil {
            report.tokens = tokens
            report.tokensExact = tokensExact
            report.tokensLowercased = tokensLowercased
        }
        return report
    }
}
