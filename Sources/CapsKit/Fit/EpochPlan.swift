import CapsCore

/// The order in which one epoch visits the training rows, as windows of rows
/// loaded together and batches within them — a pure function of the seed and
/// the epoch number, so an interrupted epoch can be replayed exactly on resume.
///
/// Rows are grouped in blocks of `blockRows` consecutive rows (the storage
/// chunk, so each block is one contiguous read). The block order is shuffled,
/// consecutive blocks fill a window of at most `windowRows` rows, and the rows
/// inside a window are shuffled. Memory is bounded by the window; when the
/// window holds every row this is an ordinary global shuffle.
public struct EpochPlan: Equatable {
    public struct Window: Equatable {
        /// Row ranges to read, in order (each a contiguous run of whole blocks).
        public var ranges: [Range<Int>]
        /// Rows of the window, in visiting order (shuffled), as file row indices.
        public var order: [Int]
    }

    public let windows: [Window]
    public let batchSize: Int

    /// - Parameters:
    ///   - rows: the training rows (file row indices, ascending; validation rows excluded).
    ///   - rowCount: rows in the file.
    public init(rows: [Int], rowCount: Int, blockRows: Int, windowRows: Int, batchSize: Int,
                seed: UInt64, epoch: Int) {
        self.batchSize = batchSize
        var generator = SeededGenerator(seed: seed).derived(0xE90C_0000 &+ UInt64(epoch))
        let blockCount = (rowCount + blockRows - 1) / blockRows
        var rowsInBlock = [[Int]](repeating: [], count: blockCount)
        for row in rows { rowsInBlock[row / blockRows].append(row) }
        var blocks = (0..<blockCount).filter { !rowsInBlock[$0].isEmpty }
        generator.shuffle(&blocks)
        var windows: [Window] = []
        var current = Window(ranges: [], order: [])
        var currentRows = 0  // rows read for the window (whole blocks, held-out rows included)
        // A window holds at least one block even if the block alone exceeds the bound.
        let capacity = max(windowRows, blockRows)
        for block in blocks {
            let range = (block * blockRows)..<min((block + 1) * blockRows, rowCount)
            if !current.order.isEmpty && currentRows + range.count > capacity {
                generator.shuffle(&current.order)
                windows.append(current)
                current = Window(ranges: [], order: [])
                currentRows = 0
            }
            currentRows += range.count
            if let last = current.ranges.last, last.upperBound == range.lowerBound {
                current.ranges[current.ranges.count - 1] = last.lowerBound..<range.upperBound
            } else {
                current.ranges.append(range)
            }
            current.order += rowsInBlock[block]
        }
        if !current.order.isEmpty {
            generator.shuffle(&current.order)
            windows.append(current)
        }
        self.windows = windows
    }

    /// Batches of a window: consecutive slices of its order of at most `batchSize` rows.
    public func batches(in window: Window) -> [ArraySlice<Int>] {
        stride(from: 0, to: window.order.count, by: batchSize).map {
            window.order[$0..<min($0 + batchSize, window.order.count)]
        }
    }

    /// Total number of batches in the epoch.
    public var batchCount: Int {
        windows.reduce(0) { $0 + ($1.order.count + batchSize - 1) / batchSize }
    }
}
