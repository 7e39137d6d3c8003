import CapsMPI
import Dispatch

/// How a training step uses several threads.
public enum ThreadSplit: String, Sendable, CaseIterable {
    /// Each thread trains a contiguous slice of the batch on its own replica
    /// (single-threaded BLAS), the gradients summed in a fixed order
    /// (`DataParallelSteps`).
    case batch
    /// OpenBLAS splits each matrix product across the threads (before 0.5).
    case blas
}

/// Training steps split across threads and processes by the batch (data
/// parallelism, as Horovod and PyTorch DDP split it across workers).
///
/// A global batch of B samples is cut into S = min(K·T, B) contiguous
/// slices b_s of n_s samples, slice s = [B·s/S, B·(s+1)/S), for K ranks of
/// T threads; rank r takes slices [S·r/K, S·(r+1)/K) — one contiguous run of
/// rows, `localRows(ofBatch:)` — and each of its slices runs forward and
/// backward on its own replica of the network (the same parameter values in
/// shared memory, its own workspace and gradients) on its own thread, with
/// single-threaded BLAS inside. The network's gradient is Σ_s (n_s/B)·∇_s
/// (every loss term is a batch mean, so this is exactly the gradient of the
/// whole batch): summed over the rank's slices in slice order, element by
/// element, then over the ranks by one allreduce of the dense gradient
/// ranges and one row-sparse exchange per sparse tensor
/// (`ProcessGroup.sumRows`). Slice s draws its dropout masks from
/// `network.dropoutGenerator.derived(s)` (slice 0 from the generator
/// itself), so K ranks of T threads take the same step as one process of
/// K·T threads, up to the order of the cross-rank sum; a given K and T is
/// deterministic.
///
/// Replica 0 is `network` itself, so after a step its parameter gradients
/// (and touched row-sparse rows) are the global batch's, the same on every
/// rank, ready for `Adam.update`.
public final class DataParallelSteps {
    public let network: CapsuleNetwork
    /// T: the slices of a batch this process trains at once (at most the batch size).
    public let threads: Int
    /// The ranks that share each batch (a single process by default).
    public let group: ProcessGroup
    /// Replicas 1 ..< T.
    private let replicas: [CapsuleNetwork]

    /// Replicas of `network` for up to `threads` slices of its largest batch.
    public init(network: CapsuleNetwork, threads: Int, group: ProcessGroup = .single) throws {
        let T = max(1, min(threads, network.maxBatch))
        self.network = network
        self.threads = T
        self.group = group
        let slice = (network.maxBatch + T - 1) / T
        replicas = try (1..<max(T, 1)).map { _ in try CapsuleNetwork(replicaOf: network, maxBatch: slice) }
    }

    /// The slices (global indices) that rank `rank` of `ranks`, with
    /// `threads` threads each, trains of a batch of `batch`: of S =
    /// min(ranks·threads, batch) slices, [S·rank/ranks, S·(rank+1)/ranks).
    public static func slices(ofRank rank: Int, ranks: Int, threads: Int, batch: Int) -> Range<Int> {
        let S = min(ranks * threads, batch)
        return (S * rank / ranks)..<(S * (rank + 1) / ranks)
    }

    /// The rows of slice `s` of a batch of `batch` cut into `slices` slices: [B·s/S, B·(s+1)/S).
    public static func rows(ofSlice s: Int, slices: Int, batch: Int) -> Range<Int> {
        (batch * s / slices)..<(batch * (s + 1) / slices)
    }

    /// The rows of a batch of `batch` that rank `rank` trains: its slices' rows, one contiguous run.
    public static func rows(ofRank rank: Int, ranks: Int, threads: Int, batch: Int) -> Range<Int> {
        let mine = slices(ofRank: rank, ranks: ranks, threads: threads, batch: batch)
        let S = min(ranks * threads, batch)
        guard !mine.isEmpty else { return 0..<0 }
        return rows(ofSlice: mine.lowerBound, slices: S, batch: batch).lowerBound
            ..< rows(ofSlice: mine.upperBound - 1, slices: S, batch: batch).upperBound
    }

    private func localSlices(_ batch: Int) -> Range<Int> {
        Self.slices(ofRank: group.rank, ranks: group.size, threads: threads, batch: batch)
    }

    private func rows(ofSlice s: Int, batch: Int) -> Range<Int> {
        Self.rows(ofSlice: s, slices: min(group.size * threads, batch), batch: batch)
    }

    /// The rows of a global batch of `batch` that this rank trains (all of them for a single process).
    public func localRows(ofBatch batch: Int) -> Range<Int> {
        Self.rows(ofRank: group.rank, ranks: group.size, threads: threads, batch: batch)
    }

    /// `CapsuleNetwork.trainStep` on a global batch of `batch` samples, of
    /// which x [n, L, D], labels [n], tokens [n, L], targets [n, C] and
    /// inputGradient [n, L, D] hold this rank's rows `localRows(ofBatch:)`
    /// (n of them; all B for a single process). The result's losses are the
    /// global batch's means and `correct` its count, on every rank; the
    /// input gradient is d(global loss)/dx of the local rows. With one
    /// thread and one process, or a batch of one, it is exactly
    /// `network.trainStep`.
    public func trainStep(x: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int,
                          tokens: UnsafePointer<Int32>? = nil, inputGradient: UnsafeMutablePointer<Float>? = nil,
                          targets: UnsafePointer<Float>? = nil) throws -> BatchResult {
        if group.size == 1 && min(threads, batch) <= 1 {
            return try network.trainStep(x: x, labels: labels, batch: batch, tokens: tokens,
                                         inputGradient: inputGradient, targets: targets)
        }
        try network.checkBatch(batch)
        let slices = Array(localSlices(batch))
        let base = localRows(ofBatch: batch).lowerBound
        let workers = [network] + replicas
        let generator = network.dropoutGenerator
        for (j, s) in slices.enumerated() {
            workers[j].marginLoss = network.marginLoss
            workers[j].dropoutGenerator = s == 0 ? generator : generator.derived(UInt64(s))
        }
        let L = network.config.tokenRowLength, C = network.config.classes, S = network.sampleSize
        var results = [Result<BatchResult, Error>?](repeating: nil, count: slices.count)
        let blasThreads = ComputeThreads.count
        if slices.count > 1 { ComputeThreads.set(1) }
        defer { ComputeThreads.set(blasThreads) }
        results.withUnsafeMutableBufferPointer { results in
            DispatchQueue.concurrentPerform(iterations: slices.count) { j in
                let rows = self.rows(ofSlice: slices[j], batch: batch), start = rows.lowerBound - base
                results[j] = Result {
                    try workers[j].trainStep(x: x + start * S, labels: labels + start, batch: rows.count,
                                             tokens: tokens.map { $0 + start * L },   // [B, L_t]
                                             inputGradient: inputGradient.map { $0 + start * S },
                                             targets: targets.map { $0 + start * C })
                }
            }
        }
        let parts = try results.map { try $0!.get() }
        let weights = slices.map { Float(rows(ofSlice: $0, batch: batch).count) / Float(batch) }
        ComputeThreads.set(blasThreads)
        if slices.isEmpty {
            network.parameters.zeroGradients()  // this rank holds no row of a batch smaller than K
        } else {
            reduceGradients(workers: Array(workers.prefix(slices.count)), weights: weights)
        }
        if let inputGradient {
            for (j, s) in slices.enumerated() {
                let rows = self.rows(ofSlice: s, batch: batch)
                let g = inputGradient + (rows.lowerBound - base) * S
                for i in 0..<(rows.count * S) { g[i] *= weights[j] }
            }
        }
        var totals = [0.0, 0.0, 0.0, 0.0]  // loss, margin loss, reconstruction loss, correct
        for (part, w) in zip(parts, weights) {
            totals[0] += Double(w * part.loss)
            totals[1] += Double(w * part.marginLoss)
            totals[2] += Double(w * part.reconstructionLoss)
            totals[3] += Double(part.correct)
        }
        if group.size > 1 {
            sumAcrossRanks()
            group.sum(&totals)
        }
        return BatchResult(loss: Float(totals[0]), marginLoss: Float(totals[1]), reconstructionLoss: Float(totals[2]),
                           correct: Int(totals[3].rounded()))
    }

    /// The network's gradients summed over the ranks: the dense ranges by
    /// allreduce, each row-sparse tensor over the union of its touched rows.
    private func sumAcrossRanks() {
        let store = network.parameters
        for range in store.denseRanges {
            group.sum(store.gradients + range.lowerBound, count: range.count)
        }
        for tensor in store.rowSparseTensors {
            let union = group.sumRows(store.gradients + tensor.offset, width: tensor.rowWidth,
                                      touched: store.touchedRows(of: tensor))
            for row in union { store.touch(row: row, of: tensor) }
        }
    }

    /// network's gradients = Σ_r weights[r]·(worker r's), element by element
    /// in worker order; dense ranges split across threads (disjoint
    /// elements, so the split changes nothing), row-sparse rows merged in
    /// worker order and touched in the network.
    private func reduceGradients(workers: [CapsuleNetwork], weights: [Float]) {
        let target = network.parameters, g = target.gradients
        let sources = workers.map(\.parameters.gradients)
        for range in target.denseRanges {
            ComputeThreads.forEachChunk(range.count, minimumChunk: 1 << 14) { chunk in
                for i in (range.lowerBound + chunk.lowerBound)..<(range.lowerBound + chunk.upperBound) {
                    var sum = weights[0] * g[i]
                    for r in 1..<sources.count { sum += weights[r] * sources[r][i] }
                    g[i] = sum
                }
            }
        }
        for tensor in target.rowSparseTensors {
            let width = tensor.rowWidth
            // Rows only the network touched still need its weight; rows a replica touched first start at zero.
            for row in target.touchedRows(of: tensor) {
                let p = g + tensor.offset + row * width
                for k in 0..<width { p[k] *= weights[0] }
            }
            for r in 1..<workers.count {
                let source = workers[r].parameters
                for row in source.touchedRows(of: tensor) {
                    target.touch(row: row, of: tensor)
                    let p = g + tensor.offset + row * width, q = source.gradients + tensor.offset + row * width
                    for k in 0..<width { p[k] += weights[r] * q[k] }
                }
            }
        }
    }
}
