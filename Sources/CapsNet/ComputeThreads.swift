import Dispatch
import _COpenBLAS

/// The number of threads used by OpenBLAS and by CapsNet's own parallel
/// loops. Every parallel loop splits work into disjoint output slices whose
/// values do not depend on the split, so results are bit-identical for the
/// same seed and thread count (and, for CapsNet's own loops, for any count).
public enum ComputeThreads {
    nonisolated(unsafe) private static var current = 1

    /// The thread count last set (1 until `set` is called).
    public static var count: Int { current }

    /// Sets the thread count for OpenBLAS and CapsNet's loops (at least 1).
    /// Call it before training, not while a step is running.
    public static func set(_ threads: Int) {
        current = max(1, threads)
        openblas_set_num_threads(Int32(current))
    }

    /// Runs `body` over `0..<total` split into at most `count` contiguous
    /// chunks, concurrently when more than one thread is allowed. `body`
    /// receives a range and must write only outputs owned by that range.
    public static func forEachChunk(_ total: Int, minimumChunk: Int = 1, _ body: (Range<Int>) -> Void) {
        let chunks = min(current, max(1, total / max(minimumChunk, 1)))
        if chunks <= 1 {
            body(0..<total)
            return
        }
        DispatchQueue.concurrentPerform(iterations: chunks) { i in
            body((total * i / chunks)..<(total * (i + 1) / chunks))
        }
    }
}
