import CapsCore
import CapsNet
import CapsReports
import CapsText

extension Explainer {
    /// The deletion test (`DeletionReport`) of the route and gradient × input
    /// rankings against random ones, over every document of the input: each
    /// document's predicted class c (its longest capsule), its T tokens ranked
    /// by their share of ‖v_c‖ (ties: earlier first) or shuffled (seeded per
    /// document from `seed`), and for each k < T the k first ones deleted —
    /// the later tokens move up and padding fills the end, as if the words
    /// had not been in the text — before scoring again. With a lexical view
    /// longer than L, the T tokens are the view's: a deleted token leaves
    /// both the view and, when it is one of the first L, the convolutions'
    /// rows (whose later rows move up and end in padding; the view's tokens
    /// past L do not move into them, as they never were in them).
    public func deletionTest(ks: [Int], seed: UInt64, progress: ProgressReporter? = nil) throws -> DeletionReport {
        guard !ks.isEmpty, ks.allSatisfy({ $0 >= 1 }) else {
            throw ScoringError.invalidOption("--faithfulness-k needs values of at least 1 (got \(ks))")
        }
        let rankings = ["route", "gradient × input", "random"]
        var drops = [[[Double]]](repeating: [[Double]](repeating: [], count: rankings.count), count: ks.count)
        var changes = [[Int]](repeating: [Int](repeating: 0, count: rankings.count), count: ks.count)
        let base = SeededGenerator(seed: seed)
        for i in 0..<input.documentCount {
            defer { progress?.advance(by: 1) }
            let T = input.tokenCount(i)
            guard ks.contains(where: { $0 < T }) else { continue }
            let before = try lengths(document: i)
            let c = Self.top(1, of: before)[0]
            var random = Array(0..<T)
            var generator = base.derived(UInt64(i))
            generator.shuffle(&random)
            let orders = [try order(attribute(document: i, classes: [c], method: .route)[0], T),
                          try order(attribute(document: i, classes: [c], method: .gradient)[0], T),
                          random]
            let matrices = try memberMatrices(i), tokens = self.tokens(i)
            for (j, k) in ks.enumerated() where k < T {
                for (r, order) in orders.enumerated() {
                    let removed = Set(order.prefix(k))
                    let after = try lengths(matrices: matrices.enumerated().map { m, x in
                        delete(removed, from: x, width: model.config.dimension,
                               padding: input.memberRows[input.memberRows.count == 1 ? 0 : m].padRow(dimension: model.config.dimension))
                    }, tokens: delete(removed, from: tokens, width: 1, padding: [Vocabulary.padID]))
                    drops[j][r].append(Double(before[c] - after[c]))
                    if Self.top(1, of: after)[0] != c { changes[j][r] += 1 }
                }
            }
        }
        progress?.finish()
        let rows = ks.enumerated().map { j, k in
            DeletionReport.Row(k: k, documents: drops[j][0].count,
                               cells: rankings.indices.map { DeletionReport.cell(drops: drops[j][$0], changes: changes[j][$0]) })
        }
        return DeletionReport(modelPath: model.path, inputPath: input.path, seed: seed, rankings: rankings, rows: rows)
    }

    /// Positions 0..<T by descending share (earlier first on ties).
    private func order(_ attribution: TokenAttribution, _ T: Int) -> [Int] {
        let shares = attribution.tokens
        return (0..<T).sorted { shares[$0] != shares[$1] ? shares[$0] > shares[$1] : $0 < $1 }
    }

    /// `rows` [L, width] (or [L_t, width]) without the rows in `removed`, the rest moved up and `padding` [width] appended.
    private func delete<T>(_ removed: Set<Int>, from rows: [T], width: Int, padding: [T]) -> [T] {
        var out: [T] = []
        out.reserveCapacity(rows.count)
        for t in 0..<(rows.count / width) where !removed.contains(t) { out += rows[(t * width)..<((t + 1) * width)] }
        while out.count < rows.count { out += padding }
        return out
    }

    /// The mean over members of the capsule lengths [C] of one document given
    /// as each member's matrix [L, D] and its tokens [L_t].
    func lengths(matrices: [[Float]], tokens: [Int32]) throws -> [Float] {
        let lexical = model.config.hasLexicalCapsules ? tokens : nil
        var sum = [Float](repeating: 0, count: model.config.classes)
        try forEachMember(matrices) { _, x in
            let member = try model.network.infer(x: x, tokens: lexical)
            for c in sum.indices { sum[c] += member[c] }
        }
        return sum.map { $0 / Float(model.memberCount) }
    }
}
