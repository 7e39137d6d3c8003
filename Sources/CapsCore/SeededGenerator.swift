#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small, fast, seedable random generator (xoshiro256**, seeded through
/// SplitMix64) whose whole state is four words, so a training run can save
/// it in a checkpoint and resume the exact same stream.
///
/// Every random choice in the toolkit (vector initialisation, weight
/// initialisation, shuffling, dropout, splits) draws from one of these, made
/// from a user-visible seed: the same seed gives the same numbers on every
/// machine, independent of the Swift standard library's own algorithms.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    public private(set) var state: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var sm = seed
        func splitMix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// Restores a generator from `stateWords` (as saved from `stateWords`).
    public init(stateWords: [UInt64]) {
        precondition(stateWords.count == 4, "a generator state has 4 words")
        state = (stateWords[0], stateWords[1], stateWords[2], stateWords[3])
    }

    /// The four state words, for checkpoints.
    public var stateWords: [UInt64] { [state.0, state.1, state.2, state.3] }

    public static func == (a: SeededGenerator, b: SeededGenerator) -> Bool { a.stateWords == b.stateWords }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = Self.rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = Self.rotl(state.3, 45)
        return result
    }

    /// A derived, independent generator (e.g. one per purpose: init, shuffle,
    /// dropout), so adding draws to one purpose never shifts another's stream.
    public func derived(_ stream: UInt64) -> SeededGenerator {
        SeededGenerator(seed: stateWords.reduce(stream &* 0xD1B5_4A32_D192_ED03) { ($0 ^ $1) &* 0x9E37_79B9_7F4A_7C15 })
    }

    /// Uniform in [0, 1) with 24 bits of precision (exactly representable as Float).
    @inline(__always)
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Uniform in [low, high).
    @inline(__always)
    public mutating func uniform(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * nextUnitFloat()
    }

    /// Uniform integer in 0..<bound, without modulo bias (Lemire's method).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0)
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// Standard normal N(0, 1) by the Box–Muller transform, in Double then
    /// rounded, so the value does not depend on Float transcendental rounding.
    public mutating func normal() -> Float {
        var u1 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        if u1 < 1e-300 { u1 = 1e-300 }
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        return Float((-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2))
    }

    /// Fisher–Yates shuffle with this generator (the standard library's
    /// `shuffle(using:)` algorithm is not promised to stay the same).
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = nextInt(below: i + 1)
            if i != j { array.swapAt(i, j) }
        }
    }
}
