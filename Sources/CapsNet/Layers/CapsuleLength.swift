/// Capsule lengths l = √(|v|² + ε) (ε = `Squash.normEpsilon`, so a zero
/// capsule has a finite gradient): the class scores.
public enum CapsuleLength {
    /// v: [capsules, dimension] → lengths: [capsules].
    public static func forward(_ v: UnsafePointer<Float>, lengths: UnsafeMutablePointer<Float>,
                               capsules: Int, dimension: Int) {
        for c in 0..<capsules {
            let vc = v + c * dimension
            var q: Float = 0
            for i in 0..<dimension { q += vc[i] * vc[i] }
            lengths[c] = (q + Squash.normEpsilon).squareRoot()
        }
    }

    /// dv[capsules, dimension] += dl · v / l, with l the forward's lengths.
    public static func backward(_ v: UnsafePointer<Float>, lengths: UnsafePointer<Float>,
                                dlengths: UnsafePointer<Float>, dv: UnsafeMutablePointer<Float>,
                                capsules: Int, dimension: Int) {
        for c in 0..<capsules {
            let k = dlengths[c] / lengths[c]
            let vc = v + c * dimension, dvc = dv + c * dimension
            for i in 0..<dimension { dvc[i] += k * vc[i] }
        }
    }
}
