/// Short-vector kernels for the capsule loops, where vectors are a capsule's
/// I or O values (8 and 16 by default). A plain float reduction stays one
/// serial dependency chain (the compiler may not reorder it), so `dot` keeps
/// eight independent partial sums when the length is a multiple of 8, which
/// the vectoriser maps onto SIMD lanes. The order of the additions depends
/// only on the length, so results are reproducible.
enum VectorMath {
    /// Σ a[i]·b[i] over `count` values.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        guard count & 7 == 0 else {
            var s: Float = 0
            for i in 0..<count { s += a[i] * b[i] }
            return s
        }
        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
        var s4: Float = 0, s5: Float = 0, s6: Float = 0, s7: Float = 0
        var i = 0
        while i < count {
            s0 += a[i] * b[i]; s1 += a[i + 1] * b[i + 1]
            s2 += a[i + 2] * b[i + 2]; s3 += a[i + 3] * b[i + 3]
            s4 += a[i + 4] * b[i + 4]; s5 += a[i + 5] * b[i + 5]
            s6 += a[i + 6] * b[i + 6]; s7 += a[i + 7] * b[i + 7]
            i += 8
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
    }

    /// y[i] += alpha · x[i] over `count` values.
    @inline(__always)
    static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
        for i in 0..<count { y[i] += alpha * x[i] }
    }
}
