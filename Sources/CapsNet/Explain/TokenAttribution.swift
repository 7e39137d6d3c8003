/// How one class capsule's length of one document splits over the document's
/// token positions, by one `AttributionMethod`.
public struct TokenAttribution: Equatable, Sendable {
    /// The class whose capsule is explained.
    public let classIndex: Int
    /// The capsule length ‖v_c‖ being explained.
    public let length: Float
    /// [L_t] (`CapsNetConfig.tokenRowLength`): each token position's share. A conv1 window of n tokens (and a
    /// lexical n-gram) passes its share to its n tokens in equal parts, so
    /// positions past the document's end (padding) get shares too.
    public let tokens: [Float]
    /// What no token carries: the primary convolutions' biases (route method;
    /// 0 for gradient × input).
    public let bias: Float
    /// [N]: each primary capsule's share of the length (route method), or
    /// nil (gradient × input).
    public let capsules: [Float]?
    /// [N]: the routing coefficients c[n, class] of the last routing
    /// iteration (times the coupling scale k), the weights the votes were summed with.
    public let coupling: [Float]

    public init(classIndex: Int, length: Float, tokens: [Float], bias: Float, capsules: [Float]?, coupling: [Float]) {
        self.classIndex = classIndex; self.length = length; self.tokens = tokens; self.bias = bias
        self.capsules = capsules; self.coupling = coupling
    }
}

/// How a class capsule's length is attributed to the tokens.
public enum AttributionMethod: String, Sendable, CaseIterable {
    /// From the routing (exact): ‖v_c‖ = (‖v_c‖/‖s_c‖)·Σ_n k·c[n,c]·⟨û[n,c], ŝ_c⟩ with
    /// ŝ_c = s_c/‖s_c‖, so each primary capsule n holds one term; its vote
    /// is linear in its squash input s_n (u_n = g(s_n)·s_n with the scalar
    /// g fixed), and s_n is a sum over conv1's n-gram windows (through the
    /// primary convolution and the max pooling's kept positions) plus a bias,
    /// or a mean over lexical n-grams. The shares sum to the length exactly.
    case route
    /// Gradient × input: Σ_d ∂‖v_c‖/∂x[t, d] · x[t, d] per position t (the
    /// gradient through routing as training takes it), and for lexical
    /// capsules ⟨∂‖v_c‖/∂s, row_m⟩/|bag| per n-gram m. A first-order
    /// estimate: the shares need not sum to the length.
    case gradient
}
