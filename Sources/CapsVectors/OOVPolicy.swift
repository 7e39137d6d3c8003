/// What a vocabulary word without a pretrained vector gets.
public enum OOVPolicy: Equatable, Sendable, CustomStringConvertible {
    /// Each component uniform in [−bound, bound), drawn from a seeded
    /// generator (Kim 2014 uses bound 0.25, chosen so the random vectors have
    /// about the variance of the pretrained ones).
    case uniform(bound: Float)
    /// All zeros.
    case zeros

    /// Kim (2014): uniform in [−0.25, 0.25).
    public static let kim2014 = OOVPolicy.uniform(bound: 0.25)

    public var description: String {
        switch self {
        case .uniform(let bound): return "uniform(−\(bound), \(bound))"
        case .zeros: return "zeros"
        }
    }
}
