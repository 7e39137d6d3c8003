/// What a vocabulary word without a pretrained vector gets.
public enum OOVPolicy: Equatable, Sendable, CustomStringConvertible {
    /// Each component uniform in [−bound, bound), drawn from a seeded
    /// generator (Kim 2014's code uses bound 0.25, which gives word2vec's
    /// 300-d vectors' variance).
    case uniform(bound: Float)
    /// Kim's rule itself: uniform with the bound √(3σ²) whose variance σ² is
    /// that of the pretrained vectors found for the vocabulary (for GloVe
    /// 50-d about 1.1, not 0.25). Resolved to `.uniform` when the table is built.
    case matched
    /// All zeros.
    case zeros

    /// Kim (2014): uniform in [−0.25, 0.25).
    public static let kim2014 = OOVPolicy.uniform(bound: 0.25)

    public var description: String {
        switch self {
        case .uniform(let bound): return "uniform(−\(bound), \(bound))"
        case .zeros: return "zeros"
        case .matched: return "uniform matched to the pretrained vectors' variance"
        }
    }
}
