import CapsCore
import CapsNet
import Foundation

/// Runs one row on CapsNet in this process: random inputs of the row's
/// shape [B, L, D] (the reference's 40×200 but for the long-input row) in [0, 1) and random labels from `seed`, `warmup`
/// untimed steps, then `steps` timed ones. Token ids [B, L_t] (read by
/// lexical capsules only; L_t = L but for the lexical-view row) fill a
/// random 10…L_t tokens of each row from a 20,000-word vocabulary, the rest padding.
enum SwiftWorkload {
    static func run(_ row: BenchRow, threads: Int, split: ThreadSplit, warmup: Int, steps: Int,
                    seed: UInt64) throws -> Measurement {
        ComputeThreads.set(threads)
        let config = try row.configuration()
        let model = try CapsuleNetwork(config: config, maxBatch: row.batch, seed: seed)
        var generator = SeededGenerator(seed: seed).derived(7)
        let x = (0..<(row.batch * model.sampleSize)).map { _ in generator.nextUnitFloat() }
        let labels = (0..<row.batch).map { _ in Int32(generator.nextInt(below: row.classes)) }
        let L = config.tokenRowLength
        var tokens = [Int32](repeating: 0, count: row.batch * L)
        for b in 0..<row.batch {
            let used = min(L, 10 + generator.nextInt(below: max(L - 9, 1)))
            for t in 0..<used { tokens[b * L + t] = Int32(2 + generator.nextInt(below: 20_000)) }
        }
        var lengths = [Float](repeating: 0, count: row.batch * row.classes)

        let step: () throws -> Void
        switch row.kind {
        case .train:
            let adam = Adam(parameterCount: model.parameters.count)
            // capsfit's training step: the batch split across the threads, or OpenBLAS splitting each product.
            let parallel = try DataParallelSteps(network: model, threads: split == .batch ? threads : 1)
            step = {
                _ = try x.withUnsafeBufferPointer { xs in
                    try labels.withUnsafeBufferPointer { ys in
                        try tokens.withUnsafeBufferPointer { ts in
                            try parallel.trainStep(x: xs.baseAddress!, labels: ys.baseAddress!, batch: row.batch,
                                                   tokens: ts.baseAddress!)
                        }
                    }
                }
                adam.update(model.parameters)
            }
        case .infer:
            step = {
                try x.withUnsafeBufferPointer { xs in
                    try tokens.withUnsafeBufferPointer { ts in
                        try lengths.withUnsafeMutableBufferPointer {
                            try model.infer(x: xs.baseAddress!, batch: row.batch, tokens: ts.baseAddress!,
                                            lengths: $0.baseAddress!)
                        }
                    }
                }
            }
        }
        var times: [Double] = []
        for i in 0..<(warmup + steps) {
            let start = DispatchTime.now().uptimeNanoseconds
            try step()
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if i >= warmup { times.append(elapsed) }
        }
        var measurement = Measurement(row: row.name, stepSeconds: times, batch: row.batch)
        if row.kind == .train {
            // One more step with its products recorded, then sgemm alone at those shapes and threads.
            let shapes = try GEMMCeiling.record(step)
            measurement.gemmCeilingSeconds = GEMMCeiling.seconds(of: shapes, threads: threads,
                                                                 splitAcrossThreads: split == .batch && threads > 1)
        }
        return measurement
    }
}
