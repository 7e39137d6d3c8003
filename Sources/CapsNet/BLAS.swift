import _COpenBLAS

/// Row-major single-precision matrix products through OpenBLAS.
enum BLAS {
    /// C[m,n] = alpha · op(A)[m,k] · op(B)[k,n] + beta · C, all row-major with
    /// leading dimensions lda/ldb/ldc (elements between consecutive rows).
    @inline(__always)
    static func gemm(transA: Bool = false, transB: Bool = false,
                     m: Int, n: Int, k: Int,
                     alpha: Float = 1,
                     a: UnsafePointer<Float>, lda: Int,
                     b: UnsafePointer<Float>, ldb: Int,
                     beta: Float,
                     c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        GEMMCeiling.note(transA: transA, transB: transB, m: m, n: n, k: k)
        if m == 1 && !transA {
            // One row (batch-1 inference): GEMM would pack all of op(B) for a
            // single use, which costs more than the product; a matrix-vector
            // product streams B once. y[n] = op(B)ᵀ · a.
            cblas_sgemv(CblasRowMajor, transB ? CblasNoTrans : CblasTrans,
                        transB ? blasint(n) : blasint(k), transB ? blasint(k) : blasint(n),
                        alpha, b, blasint(ldb), a, 1, beta, c, 1)
            return
        }
        cblas_sgemm(CblasRowMajor,
                    transA ? CblasTrans : CblasNoTrans,
                    transB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k),
                    alpha, a, blasint(lda), b, blasint(ldb),
                    beta, c, blasint(ldc))
    }

    /// y[m or n] = alpha · op(A) · x + beta · y, with A row-major [m, n] (leading dimension lda).
    @inline(__always)
    static func gemv(trans: Bool = false, m: Int, n: Int, alpha: Float = 1,
                     a: UnsafePointer<Float>, lda: Int,
                     x: UnsafePointer<Float>, beta: Float,
                     y: UnsafeMutablePointer<Float>) {
        cblas_sgemv(CblasRowMajor, trans ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), alpha, a, blasint(lda), x, 1, beta, y, 1)
    }

    /// A[m,n] += alpha · x[m] ⊗ y[n] (row-major, leading dimension lda).
    @inline(__always)
    static func ger(m: Int, n: Int, alpha: Float = 1,
                    x: UnsafePointer<Float>, y: UnsafePointer<Float>,
                    a: UnsafeMutablePointer<Float>, lda: Int) {
        cblas_sger(CblasRowMajor, blasint(m), blasint(n), alpha, x, 1, y, 1, a, blasint(lda))
    }
}
