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

/// Training steps split across threads by the batch (data parallelism on
/// one machine, as Horovod and PyTorch DDP split it across workers): the
/// batch of B samples is cut into T contiguous slices b_r of n_r samples;
/// each slice runs forward and backward on its own replica of the network —
/// the same parameter values (shared memory), its own workspace and
/// gradients — on its own thread, with single-threaded BLAS inside; then
/// the network's gradient is Σ_r (n_r/B)·∇_r (every loss term is a batch
/// mean, so this is exactly the gradient of the whole batch), summed in
/// replica order r = 0, 1, …, T−1 for every element. A given T is
/// therefore deterministic; different T give the same gradient to float
/// rounding, but not the same dropout masks: replica r > 0 draws from
/// `network.dropoutGenerator.derived(r)`.
///
/// Replica 0 is `network` itself, so after a step its parameter gradients
/// (and touched row-sparse rows) are the batch's, ready for `Adam.update`.
public final class DataParallelSteps {
    public let network: CapsuleNetwork
    /// T: the slices a batch is cut into (at most the batch size).
    public let threads: Int
    /// Replicas 1 ..< T.
    private let replicas: [CapsuleNetwork]

    /// Replicas of `network` for up to `threads` slices of its largest batch.
    public init(network: CapsuleNetwork, threads: Int) throws {
        let T = max(1, min(threads, network.maxBatch))
        self.network = network
        self.threads = T
        let slice = (network.maxBatch + T - 1) / T
        replicas = try (1..<max(T, 1)).map { _ in try CapsuleNetwork(replicaOf: network, maxBatch: slice) }
    }

    /// `CapsuleNetwork.trainStep` on x [B, L, D] with labels [B] (tokens
    /// [B, L], targets [B, C], inputGradient [B, L, D] as there), the batch
    /// split across the threads. With one thread, or a batch of one, it is
    /// exactly `network.trainStep`.
    public func trainStep(x: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int,
                          tokens: UnsafePointer<Int32>? = nil, inputGradient: UnsafeMutablePointer<Float>? = nil,
                          targets: UnsafePointer<Float>? = nil) throws -> BatchResult {
        let T = min(threads, batch)
        guard T > 1 else {
            return try network.trainStep(x: x, labels: labels, batch: batch, tokens: tokens,
                                         inputGradient: inputGradient, targets: targets)
        }
        try network.checkBatch(batch)
        let workers = [network] + replicas
        for r in 1..<T {
            workers[r].marginLoss = network.marginLoss
            workers[r].dropoutGenerator = network.dropoutGenerator.derived(UInt64(r))
        }
        let slices = (0..<T).map { r in (batch * r / T)..<(batch * (r + 1) / T) }
        let L = network.config.maxLength, C = network.config.classes, S = network.sampleSize
        var results = [Result<BatchResult, Error>?](repeating: nil, count: T)
        let blasThreads = ComputeThreads.count
        ComputeThreads.set(1)
        defer { ComputeThreads.set(blasThreads) }
        results.withUnsafeMutableBufferPointer { results in
            DispatchQueue.concurrentPerform(iterations: T) { r in
                let rows = slices[r], start = rows.lowerBound
                results[r] = Result {
                    try workers[r].trainStep(x: x + start * S, labels: labels + start, batch: rows.count,
                                             tokens: tokens.map { $0 + start * L },
                                             inputGradient: inputGradient.map { $0 + start * S },
                                             targets: targets.map { $0 + start * C })
                }
            }
        }
        let parts = try results.map { try $0!.get() }
        let weights = slices.map { Float($0.count) / Float(batch) }
        ComputeThreads.set(blasThreads)
        reduceGradients(workers: Array(workers.prefix(T)), weights: weights)
        if let inputGradient {
            for (r, rows) in slices.enumerated() {
                let g = inputGradient + rows.lowerBound * S
                for i in 0..<(rows.count * S) { g[i] *= weights[r] }
            }
        }
        var total = BatchResult(loss: 0, marginLoss: 0, reconstructionLoss: 0, correct: 0)
        for (part, w) in zip(parts, weights) {
            total.loss += w * part.loss
            total.marginLoss += w * part.marginLoss
            total.reconstructionLoss += w * part.reconstructionLoss
            total.correct += part.correct
        }
        return total
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
