import CapsCore
import XCTest
@testable import CapsNet

/// Batch-split training steps: the same gradient as one network on the
/// whole batch (to float rounding), bit-identical runs for a thread count.
final class DataParallelTests: XCTestCase {
    private func config(dropout: Float = 0, lexical: Bool = true, decoder: Bool = true) -> CapsNetConfig {
        var c = CapsNetConfig(classes: 3)
        c.maxLength = 10; c.dimension = 8; c.ngrams = [2, 3]; c.filters = 12
        c.primaryChannels = 16; c.primaryKernel = 3; c.decoderHidden = [16]; c.decoderActivation = .linear
        c.reconstructionWeight = decoder ? 0.1 : 0; c.dropout = dropout
        if lexical { c.buckets = 64; c.lexicalCapsules = 2 }
        return c
    }

    private struct Batch { var x: [Float]; var labels: [Int32]; var tokens: [Int32] }

    private func batch(_ n: Int, _ config: CapsNetConfig, seed: UInt64) -> Batch {
        var g = SeededGenerator(seed: seed)
        let x = TestData.normal(n * config.maxLength * config.dimension, &g)
        let labels = (0..<n).map { _ in Int32(g.nextInt(below: config.classes)) }
        let tokens = (0..<(n * config.maxLength)).map { i in i % config.maxLength < 7 ? Int32(1 + g.nextInt(below: 40)) : 0 }
        return Batch(x: x, labels: labels, tokens: tokens)
    }

    /// One step: (result, all parameter gradients, dx).
    private func step(_ network: CapsuleNetwork, threads: Int, _ b: Batch, targets: [Float]? = nil) throws
        -> (BatchResult, [Float], [Float]) {
        let steps = try DataParallelSteps(network: network, threads: threads)
        var dx = [Float](repeating: 0, count: b.x.count)
        let n = b.labels.count
        let result = try b.x.withUnsafeBufferPointer { x in
            try b.labels.withUnsafeBufferPointer { y in
                try b.tokens.withUnsafeBufferPointer { t in
                    try dx.withUnsafeMutableBufferPointer { d in
                        try withTargets(targets) { targets in
                            try steps.trainStep(x: x.baseAddress!, labels: y.baseAddress!, batch: n, tokens: t.baseAddress!,
                                                inputGradient: d.baseAddress!, targets: targets)
                        }
                    }
                }
            }
        }
        let p = network.parameters
        return (result, Array(UnsafeBufferPointer(start: p.gradients, count: p.count)), dx)
    }

    private func withTargets<T>(_ targets: [Float]?, _ body: (UnsafePointer<Float>?) throws -> T) rethrows -> T {
        guard let targets else { return try body(nil) }
        return try targets.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    func testSplitBatchesGiveTheWholeBatchGradient() throws {
        for (n, threads) in [(12, 2), (7, 3), (5, 4), (2, 3)] {
            let c = config()
            let b = batch(n, c, seed: UInt64(n))
            let whole = try step(try CapsuleNetwork(config: c, maxBatch: n, seed: 4), threads: 1, b)
            let split = try step(try CapsuleNetwork(config: c, maxBatch: n, seed: 4), threads: threads, b)
            XCTAssertEqual(split.0.loss, whole.0.loss, accuracy: 1e-6 * max(1, abs(whole.0.loss)), "B=\(n) T=\(threads) loss")
            XCTAssertEqual(split.0.marginLoss, whole.0.marginLoss, accuracy: 1e-6)
            XCTAssertEqual(split.0.reconstructionLoss, whole.0.reconstructionLoss, accuracy: 1e-6)
            XCTAssertEqual(split.0.correct, whole.0.correct)
            TestData.assertClose(split.1, whole.1, relative: 1e-4, absolute: 1e-7, "B=\(n) T=\(threads) parameter gradients")
            TestData.assertClose(split.2, whole.2, relative: 1e-4, absolute: 1e-8, "B=\(n) T=\(threads) dx")
            XCTAssertTrue(whole.1.contains { $0 != 0 })
        }
    }

    func testTouchedLexicalRowsAreMergedAcrossReplicas() throws {
        let c = config()
        let b = batch(8, c, seed: 3)
        let whole = try CapsuleNetwork(config: c, maxBatch: 8, seed: 1)
        _ = try step(whole, threads: 1, b)
        let split = try CapsuleNetwork(config: c, maxBatch: 8, seed: 1)
        _ = try step(split, threads: 2, b)
        let table = whole.lexical!.table
        XCTAssertEqual(split.parameters.touchedRows(of: table), whole.parameters.touchedRows(of: table))
        XCTAssertFalse(whole.parameters.touchedRows(of: table).isEmpty)
    }

    func testMultiLabelTargetsAreSplitToo() throws {
        let c = config(decoder: false)
        let b = batch(9, c, seed: 5)
        var g = SeededGenerator(seed: 6)
        let targets = (0..<(9 * c.classes)).map { _ in g.nextInt(below: 2) == 0 ? Float(0) : 1 }
        let whole = try step(try CapsuleNetwork(config: c, maxBatch: 9, seed: 2), threads: 1, b, targets: targets)
        let split = try step(try CapsuleNetwork(config: c, maxBatch: 9, seed: 2), threads: 3, b, targets: targets)
        XCTAssertEqual(split.0.loss, whole.0.loss, accuracy: 1e-6)
        TestData.assertClose(split.1, whole.1, relative: 1e-4, absolute: 1e-7, "multi-label gradients")
    }

    /// With dropout, Adam and several steps: the same thread count gives the
    /// same parameters bit for bit; the replicas draw other masks than one network would.
    func testAThreadCountIsDeterministic() throws {
        let c = config(dropout: 0.3)
        let b = batch(10, c, seed: 8)
        func train(threads: Int) throws -> [Float] {
            let network = try CapsuleNetwork(config: c, maxBatch: 10, seed: 7)
            let adam = Adam(parameterCount: network.parameters.count)
            for i in 0..<4 {
                network.dropoutGenerator = SeededGenerator(seed: 100 + UInt64(i))
                _ = try step(network, threads: threads, b)
                adam.update(network.parameters)
            }
            return network.parameters.allValues()
        }
        let a = try train(threads: 2), again = try train(threads: 2), one = try train(threads: 1)
        XCTAssertEqual(a, again)
        XCTAssertNotEqual(a, one, "replica 1 draws its own dropout masks")
    }

    /// K ranks of T threads cut a batch exactly as one process of K·T
    /// threads does: every row in one rank, ranks contiguous and in order,
    /// and each rank's rows the union of its slices of the K·T cut.
    func testRanksTakeContiguousSharesOfTheSlicesOfKTimesTThreads() {
        for batch in [1, 2, 3, 7, 10, 64, 100] {
            for ranks in 1...4 {
                for threads in 1...3 {
                    var next = 0
                    let S = min(ranks * threads, batch)
                    for rank in 0..<ranks {
                        let rows = DataParallelSteps.rows(ofRank: rank, ranks: ranks, threads: threads, batch: batch)
                        let slices = DataParallelSteps.slices(ofRank: rank, ranks: ranks, threads: threads, batch: batch)
                        if rows.isEmpty { XCTAssertTrue(slices.isEmpty); continue }
                        XCTAssertEqual(rows.lowerBound, next, "B \(batch) K \(ranks) T \(threads) rank \(rank)")
                        next = rows.upperBound
                        let single = slices.map { DataParallelSteps.rows(ofSlice: $0, slices: S, batch: batch) }
                        XCTAssertEqual(single.first!.lowerBound, rows.lowerBound)
                        XCTAssertEqual(single.last!.upperBound, rows.upperBound)
                        XCTAssertLessThanOrEqual(slices.count, threads)
                    }
                    XCTAssertEqual(next, batch, "B \(batch) K \(ranks) T \(threads): every row once")
                }
            }
        }
        // One process: its rows are the whole batch and its slices the thread split.
        XCTAssertEqual(DataParallelSteps.rows(ofRank: 0, ranks: 1, threads: 2, batch: 9), 0..<9)
        XCTAssertEqual(DataParallelSteps.slices(ofRank: 1, ranks: 2, threads: 2, batch: 9), 2..<4)
        XCTAssertEqual(DataParallelSteps.rows(ofRank: 1, ranks: 2, threads: 2, batch: 9), 4..<9)
    }
}
