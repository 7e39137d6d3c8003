import Foundation

/// The capsule non-linearity v = |s|²/(1 + |s|²) · s/(|s| + 1e−8), applied to
/// `capsules` consecutive vectors of `dimension` values.
///
/// |s| is computed as √(|s|² + ε) with ε = 1e−12 so that a zero capsule has a
/// finite derivative (the 1e−8 of the reference alone does not protect the
/// gradient of |s|); for capsules longer than ~1e−4 the difference is below
/// float32 resolution.
public enum Squash {
    /// ε inside the square root of every capsule norm.
    public static let normEpsilon: Float = 1e-12
    /// The reference's additive constant in the denominator.
    public static let denominatorEpsilon: Float = 1e-8

    /// v[capsules, dimension] = squash(s[capsules, dimension]).
    public static func forward(_ s: UnsafePointer<Float>, _ v: UnsafeMutablePointer<Float>,
                               capsules: Int, dimension: Int) {
        for c in 0..<capsules {
            let si = s + c * dimension, vi = v + c * dimension
            let q = VectorMath.dot(si, si, dimension)
            let n = (q + normEpsilon).squareRoot()
            let g = q / (1 + q) / (n + denominatorEpsilon)
            for i in 0..<dimension { vi[i] = g * si[i] }
        }
    }

    /// ds[capsules, dimension] += J(s)ᵀ dv (s is the forward INPUT).
    /// With v = g(q)·s, q = |s|², n = √(q + ε), g = q/((1+q)(n+δ)):
    /// ds = g·dv + 2 g′(q) ⟨s, dv⟩ s, with g′ written as
    /// 1/((1+q)(n+δ)) − g/(1+q) − g/(2n(n+δ)), which stays finite as q → 0.
    public static func backward(_ s: UnsafePointer<Float>, _ dv: UnsafePointer<Float>,
                                _ ds: UnsafeMutablePointer<Float>, capsules: Int, dimension: Int) {
        for c in 0..<capsules {
            let si = s + c * dimension, dvi = dv + c * dimension, dsi = ds + c * dimension
            let q = VectorMath.dot(si, si, dimension), sdv = VectorMath.dot(si, dvi, dimension)
            let n = (q + normEpsilon).squareRoot()
            let denominator = n + denominatorEpsilon
            let g = q / (1 + q) / denominator
            let dg = 1 / ((1 + q) * denominator) - g / (1 + q) - g / (2 * n * denominator)
            let k = 2 * dg * sdv
            for i in 0..<dimension { dsi[i] += g * dvi[i] + k * si[i] }
        }
    }
}
