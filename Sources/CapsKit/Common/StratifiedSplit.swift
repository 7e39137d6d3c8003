import CapsCore

/// Splits row indices into a kept part and a held-out part, class by class,
/// so each class keeps its share in both (a "stratified" split).
///
/// For each class (in label order) its rows are shuffled with a generator
/// made from `seed` and the first `round(fraction × count)` are held out;
/// both parts are returned in ascending row order. The same labels, fraction
/// and seed always give the same split. A class with at least two rows keeps
/// at least one row on each side, so no class vanishes from either part.
public struct StratifiedSplit: Equatable {
    /// Row indices kept (e.g. for training), ascending.
    public var kept: [Int]
    /// Row indices held out (validation or test), ascending.
    public var heldOut: [Int]

    /// - Parameters:
    ///   - labels: one class index per row; negative labels (unknown) are always kept.
    ///   - fraction: the share of each class to hold out, in (0, 1).
    public init(labels: [Int32], fraction: Double, seed: UInt64) {
        precondition(fraction > 0 && fraction < 1, "fraction must lie in (0, 1)")
        var rowsByClass: [Int32: [Int]] = [:]
        var kept: [Int] = []
        for (row, label) in labels.enumerated() {
            if label < 0 { kept.append(row) } else { rowsByClass[label, default: []].append(row) }
        }
        var heldOut: [Int] = []
        var generator = SeededGenerator(seed: seed)
        for label in rowsByClass.keys.sorted() {
            var rows = rowsByClass[label]!
            generator.shuffle(&rows)
            var take = Int((fraction * Double(rows.count)).rounded())
            if rows.count >= 2 { take = min(max(take, 1), rows.count - 1) }
            heldOut += rows[..<take]
            kept += rows[take...]
        }
        self.kept = kept.sorted()
        self.heldOut = heldOut.sorted()
    }
}
