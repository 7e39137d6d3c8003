import CapsArtifacts
import CapsStorage

/// Assembles batches x [B, L, D] and labels [B] from an embedded file: from
/// `/x` through a bounded window of rows read chunk by chunk (static
/// embeddings), or by gathering the embedding table by `/ids` (fine-tuned
/// embeddings, where `/x` is never read).
final class BatchSource {
    let input: EmbeddedFile
    let labels: [Int32]
    let batchSize: Int
    let sampleSize: Int
    /// [windowRows, L, D] rows of the current window, and row → slot.
    private var window: [Float]
    private var slotOfRow: [Int: Int] = [:]
    /// [B, L, D], [B] and [B, L_t]: the batch handed to the network (tokens
    /// for lexical capsules: the file's lexical view [B, L_x] when the model
    /// reads one, else its rows' ids [B, L]).
    private(set) var x: [Float]
    private(set) var batchLabels: [Int32]
    private(set) var tokens: [Int32]
    let tuner: EmbeddingTuner?
    /// L_x of the lexical view the model reads (`CapsNetConfig.lexicalLength`), 0 for none.
    let lexicalLength: Int
    /// Multi-label: every class of each row (−1 entries ignored), and the
    /// batch's targets [B, C], 1 for each class a sample has.
    let labelSets: [[Int32]]?
    private(set) var targets: [Float]
    let classes: Int

    /// - Parameter windowRows: rows the window buffer holds (at least one block).
    init(input: EmbeddedFile, labels: [Int32], batchSize: Int, windowRows: Int, tuner: EmbeddingTuner?,
         labelSets: [[Int32]]? = nil, lexicalLength: Int = 0) {
        self.input = input
        self.labels = labels
        self.batchSize = batchSize
        self.tuner = tuner
        self.lexicalLength = lexicalLength
        self.labelSets = labelSets
        classes = input.labelNames.count
        targets = labelSets == nil ? [] : [Float](repeating: 0, count: batchSize * input.labelNames.count)
        sampleSize = input.maxLength * input.dim
        window = tuner == nil ? [Float](repeating: 0, count: min(windowRows, input.count) * sampleSize) : []
        x = [Float](repeating: 0, count: batchSize * sampleSize)
        batchLabels = [Int32](repeating: 0, count: batchSize)
        tokens = [Int32](repeating: 0, count: batchSize * input.tokenRows(lexicalLength: lexicalLength).width)
    }

    /// Rows per window the buffer holds.
    var windowRows: Int { tuner == nil ? window.count / sampleSize : 0 }

    /// Reads the window's row ranges from `/x` (nothing to read when
    /// fine-tuning); with `only`, just those rows of them (an MPI rank's
    /// share of the window's batches), as runs of consecutive rows.
    func load(_ ranges: [Range<Int>], only wanted: [Int]? = nil) throws {
        guard tuner == nil else { return }
        slotOfRow.removeAll(keepingCapacity: true)
        var slot = 0
        var runs = ranges
        if let wanted {
            runs = []
            for row in wanted.sorted() {
                if let last = runs.last, last.upperBound == row { runs[runs.count - 1] = last.lowerBound..<(row + 1) }
                else { runs.append(row..<(row + 1)) }
            }
        }
        for range in runs {
            precondition(slot + range.count <= windowRows, "window larger than its buffer")
            try window.withUnsafeMutableBufferPointer { buffer in
                let target = UnsafeMutableBufferPointer(rebasing: buffer[(slot * sampleSize)..<((slot + range.count) * sampleSize)])
                try input.x.readRows(startRow: range.lowerBound, count: range.count, into: target)
            }
            for row in range { slotOfRow[row] = slot; slot += 1 }
        }
    }

    /// Fills `x`, `batchLabels` and `tokens` with the rows given (all in the loaded window).
    func fill(_ rows: ArraySlice<Int>) {
        let (view, T) = input.tokenRows(lexicalLength: lexicalLength)
        for (b, row) in rows.enumerated() {
            batchLabels[b] = labels[row]
            for t in 0..<T { tokens[b * T + t] = view[row * T + t] }
            if let labelSets {
                for c in 0..<classes { targets[b * classes + c] = 0 }
                for c in labelSets[row] where c >= 0 { targets[b * classes + Int(c)] = 1 }
            }
        }
        if let tuner {
            x.withUnsafeMutableBufferPointer { tuner.gather(ids: input.ids, maxLength: input.maxLength, rows: rows, into: $0.baseAddress!) }
            return
        }
        window.withUnsafeBufferPointer { window in
            x.withUnsafeMutableBufferPointer { x in
                for (b, row) in rows.enumerated() {
                    let slot = slotOfRow[row]!
                    (x.baseAddress! + b * sampleSize).update(from: window.baseAddress! + slot * sampleSize, count: sampleSize)
                }
            }
        }
    }

    /// Runs `body` with the batch's targets [B, C], or nil for single-label data.
    func withTargets<R>(_ body: (UnsafePointer<Float>?) throws -> R) rethrows -> R {
        guard labelSets != nil else { return try body(nil) }
        return try targets.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    /// Lets the trainer alter the filled batch x [B, L, D] in place (word dropout).
    func withMutableBatch(_ body: (UnsafeMutablePointer<Float>) -> Void) {
        x.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    }

    /// Windows that visit `rows` in ascending order (for evaluation).
    func sequentialWindows(of rows: [Int], blockRows: Int) -> [EpochPlan.Window] {
        let capacity = tuner == nil ? max(windowRows, 1) : max(rows.count, 1)
        var windows: [EpochPlan.Window] = []
        var current = EpochPlan.Window(ranges: [], order: [])
        var index = 0
        while index < rows.count {
            // The run of requested rows inside one block, read as one range.
            let block = rows[index] / blockRows
            var end = index
            while end < rows.count && rows[end] / blockRows == block { end += 1 }
            let range = rows[index]..<(rows[end - 1] + 1)
            if !current.order.isEmpty && slotsNeeded(current) + range.count > capacity {
                windows.append(current)
                current = EpochPlan.Window(ranges: [], order: [])
            }
            current.ranges.append(range)
            current.order += rows[index..<end]
            index = end
        }
        if !current.order.isEmpty { windows.append(current) }
        return windows
    }

    private func slotsNeeded(_ window: EpochPlan.Window) -> Int { window.ranges.reduce(0) { $0 + $1.count } }
}
