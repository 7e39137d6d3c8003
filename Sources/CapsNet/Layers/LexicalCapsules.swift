import CapsCore

/// Lexical primary capsules: a document's bag of hashed token n-grams,
/// embedded fastText-style and averaged, squashed into capsules that are
/// routed beside the convolutional ones — lexical evidence (which words and
/// word pairs occur) next to compositional evidence (what the n-gram
/// convolutions see), in one routing.
///
///   tokens [B, L_t] → bag of every n-gram of 1…n_x non-padding tokens, each
///   hashed to a bucket row r → s_b = mean over the bag of table[r] [Q_x·I]
///   (or their sum over √|bag|, `LexicalPooling.sqrtn`)
///   → squash → capsules o ..< o + Q_x of u [B, N, I]
///
/// with o = the convolutional capsules before them. Every n-gram, single
/// tokens too, is hashed (`bucket(of:)`), so the table is R rows whatever the
/// vocabulary; padding (id 0) ends an n-gram and is never a member. A
/// document without tokens has s = 0, so its lexical capsules are zero.
///
/// The table [R, Q_x·I] ("lexical.buckets") is a row-sparse parameter: the
/// backward pass writes d s_b / |bag_b| into each of the bag's rows and
/// touches them, and Adam updates only those rows (see `Adam.update`).
/// Initialised U(−1/E, 1/E), E = Q_x·I, as fastText initialises its input
/// vectors: rows an n-gram never trained stay near zero, so unseen n-grams
/// at test time add little noise.
/// How a document's bag of n-gram rows becomes the lexical capsules' squash
/// input s.
public enum LexicalPooling: String, Sendable, CaseIterable {
    /// s = (1/|bag|)·Σ rows, fastText's mean (the default).
    case mean
    /// s = (1/√|bag|)·Σ rows: a long document's evidence shrinks as 1/√n, as
    /// an L2-normalised bag of distinct n-grams does (TF-IDF's normalisation),
    /// not as 1/n.
    case sqrtn
}

public final class LexicalCapsules {
    /// [R, Q_x·I]
    public let table: ParameterTensor
    /// Buckets R, longest n-gram n_x, capsules Q_x, capsule size I, tokens L_t
    /// per document (`CapsNetConfig.tokenRowLength`: the lexical view L_x, or L).
    public let buckets: Int, ngrams: Int, capsules: Int, capsuleDimension: Int, length: Int
    /// Probability of leaving an n-gram out of a bag in training (`lexicalDropout`).
    public let dropout: Float
    /// The factor on a bag's sum of rows (`lexicalPooling`).
    public let pooling: LexicalPooling
    /// First lexical capsule among a sample's N primary capsules (o), and N.
    public let capsuleOffset: Int, totalCapsules: Int

    let workspace: ActivationStore
    let mean: ActivationTensor          // [B, Q_x·I], the squash input s
    let meanGrad: ActivationTensor      // [B, Q_x·I]
    /// The last forward pass's bags: rows of sample b at bagStart[b] ..< bagStart[b + 1].
    private var bagRows: [Int32]
    private var bagStart: [Int]

    /// Values per bucket row, E = Q_x·I.
    public var width: Int { capsules * capsuleDimension }

    init(config: CapsNetConfig, capsuleOffset: Int, layout: inout ParameterLayout, workspace: ActivationStore) {
        let B = workspace.maxBatch
        buckets = config.buckets
        ngrams = config.lexicalNgrams
        capsules = config.lexicalCapsules
        capsuleDimension = config.primaryDimension
        length = config.tokenRowLength
        dropout = config.lexicalDropout
        pooling = config.lexicalPooling
        self.capsuleOffset = capsuleOffset
        totalCapsules = config.primaryCapsules
        self.workspace = workspace
        let E = config.lexicalCapsules * config.primaryDimension
        table = layout.add("lexical.buckets", shape: [config.buckets, E], rowSparse: true)
        mean = workspace.activation("lexical.mean", shape: [B, E])
        meanGrad = workspace.gradient("lexical.mean", shape: [B, E])
        bagRows = []
        bagRows.reserveCapacity(B * config.tokenRowLength * config.lexicalNgrams)
        bagStart = [Int](repeating: 0, count: B + 1)
    }

    /// U(−1/E, 1/E) in element order.
    func initialize(_ parameters: ParameterStore, using generator: inout SeededGenerator) {
        let bound = 1 / Float(width), p = parameters.value(table)
        for i in 0..<table.count { p[i] = generator.uniform(-bound, bound) }
    }

    /// The bucket of an n-gram of token ids (in order): FNV-1a over the
    /// little-endian bytes of n and of each id, modulo R. A function of the
    /// ids alone, so training and scoring hash alike on every machine.
    public static func bucket<C: Collection>(of ngram: C, buckets: Int) -> Int where C.Element == Int32 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ word: UInt32) {
            var w = word
            for _ in 0..<4 {
                hash = (hash ^ UInt64(w & 0xFF)) &* 0x0000_0100_0000_01B3
                w >>= 8
            }
        }
        mix(UInt32(ngram.count))
        for id in ngram { mix(UInt32(bitPattern: id)) }
        return Int(hash % UInt64(buckets))
    }

    /// The bucket rows of one document's tokens [L_t]: for each position t with a
    /// token, the n-grams of 1…n_x tokens ending at t that hold no padding.
    public static func bag(of tokens: UnsafeBufferPointer<Int32>, ngrams: Int, buckets: Int) -> [Int32] {
        var rows: [Int32] = []
        appendBag(of: tokens, ngrams: ngrams, buckets: buckets, to: &rows)
        return rows
    }

    static func appendBag(of tokens: UnsafeBufferPointer<Int32>, ngrams: Int, buckets: Int, to rows: inout [Int32]) {
        forEachNgram(of: tokens, ngrams: ngrams, buckets: buckets) { _, row in rows.append(Int32(row)) }
    }

    /// Calls `body(positions, row)` for every n-gram of the bag of `tokens`
    /// [L], in bag order: its token positions and its bucket row.
    static func forEachNgram(of tokens: UnsafeBufferPointer<Int32>, ngrams: Int, buckets: Int,
                             _ body: (Range<Int>, Int) -> Void) {
        for t in tokens.indices where tokens[t] != 0 {
            for n in 1...ngrams {
                let start = t - n + 1
                if start < 0 || tokens[start] == 0 { break }  // padding at start … t ends every longer n-gram too
                body(start..<(t + 1), bucket(of: tokens[start...t], buckets: buckets))
            }
        }
    }

    /// tokens [B, L_t] → this layer's capsules in u [B, N, I]. In training
    /// with dropout, each bag member is kept with probability 1 − p (one
    /// draw from `generator` per member, in bag order); the backward pass
    /// sees only the members kept.
    func forward(tokens: UnsafePointer<Int32>, batch: Int, training: Bool, parameters: ParameterStore,
                 generator: inout SeededGenerator, u: UnsafeMutablePointer<Float>) {
        let E = width, I = capsuleDimension, L = length
        let s = workspace.pointer(mean), w = parameters.value(table)
        bagRows.removeAll(keepingCapacity: true)
        for b in 0..<batch {
            bagStart[b] = bagRows.count
            let document = UnsafeBufferPointer(start: tokens + b * L, count: L)
            if training && dropout > 0 {
                LexicalCapsules.forEachNgram(of: document, ngrams: ngrams, buckets: buckets) { _, row in
                    if generator.nextUnitFloat() >= dropout { bagRows.append(Int32(row)) }
                }
            } else {
                LexicalCapsules.appendBag(of: document, ngrams: ngrams, buckets: buckets, to: &bagRows)
            }
        }
        bagStart[batch] = bagRows.count
        for b in 0..<batch {
            let sb = s + b * E
            sb.update(repeating: 0, count: E)
            let members = bagStart[b]..<bagStart[b + 1]
            for i in members {
                let row = w + Int(bagRows[i]) * E
                for k in 0..<E { sb[k] += row[k] }
            }
            if !members.isEmpty {
                let scale = self.scale(members: members.count)
                for k in 0..<E { sb[k] *= scale }
            }
            Squash.forward(sb, u + (b * totalCapsules + capsuleOffset) * I, capsules: capsules, dimension: I)
        }
    }

    /// du [B, N, I] (this layer's capsules) → the table's gradient rows
    /// (+=, touched), after a training forward pass over the same tokens.
    func backward(du: UnsafePointer<Float>, batch: Int, parameters: ParameterStore) {
        let E = width, I = capsuleDimension
        let s = workspace.pointer(mean), ds = workspace.pointer(meanGrad), g = parameters.gradient(table)
        for b in 0..<batch {
            Squash.backward(s + b * E, du + (b * totalCapsules + capsuleOffset) * I, ds + b * E,
                            capsules: capsules, dimension: I)
            let members = bagStart[b]..<bagStart[b + 1]
            if members.isEmpty { continue }
            let scale = self.scale(members: members.count), dsb = ds + b * E
            for i in members {
                let row = Int(bagRows[i])
                parameters.touch(row: row, of: table)
                let gr = g + row * E
                for k in 0..<E { gr[k] += scale * dsb[k] }
            }
        }
    }

    /// The factor on the sum of a bag of n > 0 rows: 1/n, or 1/√n.
    func scale(members n: Int) -> Float {
        pooling == .mean ? 1 / Float(n) : 1 / Float(n).squareRoot()
    }

    /// s [B, Q_x·I] of the last forward pass.
    var meanPointer: UnsafeMutablePointer<Float> { workspace.pointer(mean) }

    /// ds [Q_x·I] = the squash's backward of du [1, N, I] (this layer's
    /// capsules) for sample 0, into a new array.
    func squashGradient(du: UnsafePointer<Float>) -> [Float] {
        var ds = [Float](repeating: 0, count: width)
        ds.withUnsafeMutableBufferPointer {
            Squash.backward(workspace.pointer(mean), du + capsuleOffset * capsuleDimension, $0.baseAddress!,
                            capsules: capsules, dimension: capsuleDimension)
        }
        return ds
    }

    /// Attribution through the bag mean s = (1/|bag|)·Σ_m table[row_m] of one
    /// document's tokens [L_t]: n-gram m's share of ⟨direction, s⟩ is
    /// ⟨direction, table[row_m]⟩/|bag|, split equally over its tokens in
    /// `shares` [L_t]. `direction` [Q_x·I]: the route relevance or ∂‖v‖/∂s.
    func addMemberShares(direction: UnsafePointer<Float>, tokens: UnsafePointer<Int32>, parameters: ParameterStore,
                         into shares: inout [Float]) {
        let E = width, w = parameters.value(table)
        let document = UnsafeBufferPointer(start: tokens, count: length)
        var members: [(Range<Int>, Int)] = []
        LexicalCapsules.forEachNgram(of: document, ngrams: ngrams, buckets: buckets) { members.append(($0, $1)) }
        guard !members.isEmpty else { return }
        let scale = self.scale(members: members.count)
        for (positions, row) in members {
            let share = scale * VectorMath.dot(direction, w + row * E, E) / Float(positions.count)
            for t in positions { shares[t] += share }
        }
    }
}
