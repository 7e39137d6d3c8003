import Dispatch
import Synchronization
import _COpenBLAS

/// The matrix products of a step, and the speed sgemm alone reaches at
/// exactly those shapes: the ceiling a training step is judged against
/// (`capsbench` prints each training row as a share of it).
///
/// Recording is off except while `record` runs its body (one step): then
/// every `BLAS.gemm` call adds its shape, from whichever thread makes it.
public enum GEMMCeiling {
    public struct Shape: Hashable, Sendable {
        public let transA: Bool, transB: Bool
        public let m: Int, n: Int, k: Int
        /// 2·m·n·k.
        public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
    }

    nonisolated(unsafe) static var isRecording = false
    private static let recorded = Mutex<[Shape]>([])

    @inline(__always)
    static func note(transA: Bool, transB: Bool, m: Int, n: Int, k: Int) {
        guard isRecording else { return }
        let shape = Shape(transA: transA, transB: transB, m: m, n: n, k: k)
        recorded.withLock { $0.append(shape) }
    }

    /// The shapes of the products `body` computes, in the order they were called.
    public static func record(_ body: () throws -> Void) rethrows -> [Shape] {
        recorded.withLock { $0.removeAll() }
        isRecording = true
        defer { isRecording = false }
        try body()
        return recorded.withLock { $0 }
    }

    /// Seconds sgemm takes for `shapes` (median of `repeats` passes), on
    /// `threads` threads the way the step used them: `splitAcrossThreads`
    /// replays the list dealt round-robin to the threads, each with
    /// single-threaded OpenBLAS (as the batch-split step runs its replicas);
    /// otherwise one list with OpenBLAS on `threads` threads.
    public static func seconds(of shapes: [Shape], threads: Int, splitAcrossThreads: Bool, repeats: Int = 5) -> Double {
        guard !shapes.isEmpty else { return 0 }
        let size = { (s: Shape) in (a: s.m * s.k, b: s.k * s.n, c: s.m * s.n) }
        let most = shapes.reduce((a: 1, b: 1, c: 1)) { r, s in
            let z = size(s)
            return (max(r.a, z.a), max(r.b, z.b), max(r.c, z.c))
        }
        let lanes = splitAcrossThreads ? max(1, threads) : 1
        // Each lane its own operands, filled with small values (denormals would slow sgemm).
        let buffers = (0..<lanes).map { lane in
            (a: [Float](repeating: 0.01 * Float(lane + 1), count: most.a), b: [Float](repeating: 0.02, count: most.b),
             c: UnsafeMutablePointer<Float>.allocate(capacity: most.c))
        }
        defer { for buffer in buffers { buffer.c.deallocate() } }
        let previous = ComputeThreads.count
        ComputeThreads.set(splitAcrossThreads ? 1 : threads)
        defer { ComputeThreads.set(previous) }
        func replay(lane: Int) {
            let buffer = buffers[lane]
            buffer.a.withUnsafeBufferPointer { a in
                buffer.b.withUnsafeBufferPointer { b in
                    for index in stride(from: lane, to: shapes.count, by: lanes) {
                        let s = shapes[index]
                        cblas_sgemm(CblasRowMajor, s.transA ? CblasTrans : CblasNoTrans, s.transB ? CblasTrans : CblasNoTrans,
                                    blasint(s.m), blasint(s.n), blasint(s.k), 1,
                                    a.baseAddress!, blasint(s.transA ? s.m : s.k),
                                    b.baseAddress!, blasint(s.transB ? s.k : s.n),
                                    0, buffer.c, blasint(s.n))
                    }
                }
            }
        }
        var times: [Double] = []
        for pass in 0...repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            if lanes == 1 { replay(lane: 0) } else { DispatchQueue.concurrentPerform(iterations: lanes, execute: replay) }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if pass > 0 { times.append(elapsed) }  // the first pass warms caches and OpenBLAS's buffers
        }
        times.sort()
        return times[times.count / 2]
    }
}
