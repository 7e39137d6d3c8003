import Foundation

/// The faithfulness of token rankings, by deletion: for each document, the
/// k tokens a ranking puts first are removed and the predicted class's
/// capsule length is scored again; a faithful explanation's tokens lower it
/// more than k random tokens do.
public struct DeletionReport: Sendable {
    /// One ranking at one k.
    public struct Cell: Sendable, Equatable {
        /// Mean over the documents of ‖v_c‖ before − after removal (c: the prediction before).
        public let meanDrop: Double
        /// Standard error of that mean, sd/√n.
        public let standardError: Double
        /// Fraction of the documents whose prediction changes.
        public let changed: Double

        public init(meanDrop: Double, standardError: Double, changed: Double) {
            self.meanDrop = meanDrop; self.standardError = standardError; self.changed = changed
        }
    }

    public struct Row: Sendable {
        public let k: Int
        /// Documents with more than k tokens (the others are left out at this k).
        public let documents: Int
        /// Parallel to `rankings`.
        public let cells: [Cell]

        public init(k: Int, documents: Int, cells: [Cell]) {
            self.k = k; self.documents = documents; self.cells = cells
        }
    }

    public let modelPath: String
    public let inputPath: String
    public let seed: UInt64
    /// The rankings compared, e.g. route, gradient × input, random.
    public let rankings: [String]
    public let rows: [Row]

    public init(modelPath: String, inputPath: String, seed: UInt64, rankings: [String], rows: [Row]) {
        self.modelPath = modelPath; self.inputPath = inputPath; self.seed = seed
        self.rankings = rankings; self.rows = rows
    }

    /// Mean, standard error and changed fraction of per-document `drops` and `changes`.
    public static func cell(drops: [Double], changes: Int) -> Cell {
        let n = Double(drops.count)
        guard n > 0 else { return Cell(meanDrop: 0, standardError: 0, changed: 0) }
        let mean = drops.reduce(0, +) / n
        let variance = n > 1 ? drops.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1) : 0
        return Cell(meanDrop: mean, standardError: (variance / n).squareRoot(), changed: Double(changes) / n)
    }

    /// The table for `capseval --faithfulness`.
    public func text() -> String {
        var table = TextTable(header: ["k", "documents"] + rankings)
        for row in rows {
            table.add(["\(row.k)", "\(row.documents)"] + row.cells.map {
                String(format: "%.4f ± %.4f (%.1f%%)", $0.meanDrop, $0.standardError, 100 * $0.changed)
            })
        }
        return """
        Deletion test of \(inputPath) under \(modelPath) (random tokens drawn with seed \(seed)):
        the drop of the predicted class's capsule length when the k tokens a ranking puts first are removed
        (mean ± standard error over the documents with more than k tokens; in parentheses, how many predictions change).

        """ + table.lines().joined(separator: "\n") + "\n"
    }
}
