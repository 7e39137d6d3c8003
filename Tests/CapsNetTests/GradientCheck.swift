import CapsCore
import XCTest

/// Finite-difference checking for float32 layers.
///
/// Each check uses a scalar objective φ (usually ⟨r, output⟩ for a fixed
/// random r, summed in Double) and compares the analytic gradient with the
/// central difference (φ(θ + h) − φ(θ − h)) / 2h, per element (a sample of
/// elements for big tensors) and along one random direction δ over the whole
/// tensor, where the reference is ⟨∇φ, δ⟩. The tolerance is
/// |fd − analytic| ≤ absolute + relative · max(|fd|, |analytic|): float32
/// forwards make the difference noisy at the 1e−3 level for steps ~1e−2.
struct GradientCheck {
    var step: Float
    var relative: Double
    var absolute: Double
    var samples = 24
    /// For objectives with kinks (ReLU, max pooling) near which a step may
    /// land: an element (or direction) whose differences at h and h/2
    /// disagree has a kink within the step, where no difference is the
    /// derivative; it is replaced by another, and at most a third of them
    /// may be replaced (else the check fails). Off: every element counts.
    var replacesKinks = false

    /// Checks `analytic` (the gradient of `objective` with respect to the
    /// `count` values at `values`) by perturbing those values in place.
    func check(_ name: String, values: UnsafeMutablePointer<Float>, count: Int, analytic: [Float],
               generator: inout SeededGenerator, objective: () -> Double,
               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(analytic.count, count, "\(name): gradient size", file: file, line: line)
        XCTAssertTrue(analytic.allSatisfy(\.isFinite), "\(name): gradient has non-finite values", file: file, line: line)
        func central(_ h: Float, _ perturb: (Float) -> Void) -> Double {
            perturb(h); let plus = objective()
            perturb(-2 * h); let minus = objective()
            perturb(h)
            return (plus - minus) / (2 * Double(h))
        }
        func tolerance(_ a: Double, _ b: Double) -> Double { absolute + relative * max(abs(a), abs(b)) }
        /// The difference along `perturb`, nil when a kink lies within the step.
        func difference(_ perturb: (Float) -> Void) -> Double? {
            let fd = central(step, perturb)
            guard replacesKinks else { return fd }
            let half = central(step / 2, perturb)
            return abs(fd - half) <= tolerance(fd, half) ? fd : nil
        }
        var indices = Array(0..<count)
        generator.shuffle(&indices)
        let wanted = min(count, samples)
        var checked = 0, replaced = 0
        for i in indices where checked < wanted {
            let saved = values[i]
            let fd = difference { values[i] += $0 }
            values[i] = saved
            guard let fd else { replaced += 1; continue }
            checked += 1
            let a = Double(analytic[i])
            XCTAssertLessThanOrEqual(abs(fd - a), tolerance(fd, a),
                                     "\(name)[\(i)]: finite difference \(fd) vs analytic \(a)", file: file, line: line)
        }
        XCTAssertLessThanOrEqual(3 * replaced, max(wanted, 3), "\(name): \(replaced) elements near kinks", file: file, line: line)
        // Along a random direction over the whole tensor.
        let saved = Array(UnsafeBufferPointer(start: values, count: count))
        for attempt in 0..<3 {
            let direction = (0..<count).map { _ in generator.normal() }
            let fd = difference { t in for i in 0..<count { values[i] += t * direction[i] } }
            values.update(from: saved, count: count)
            guard let fd else {
                XCTAssertLessThan(attempt, 2, "\(name): every random direction meets a kink", file: file, line: line)
                continue
            }
            let a = zip(analytic, direction).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            XCTAssertLessThanOrEqual(abs(fd - a), tolerance(fd, a),
                                     "\(name) along a random direction: finite difference \(fd) vs analytic \(a)",
                                     file: file, line: line)
            break
        }
    }
}

/// Test-data helpers.
enum TestData {
    /// count values N(0, scale²).
    static func normal(_ count: Int, scale: Float = 1, _ generator: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in scale * generator.normal() }
    }

    /// count values U(low, high).
    static func uniform(_ count: Int, _ low: Float, _ high: Float, _ generator: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in generator.uniform(low, high) }
    }

    /// ⟨a, b⟩ summed in Double.
    static func dot(_ a: [Float], _ b: UnsafePointer<Float>) -> Double {
        var s = 0.0
        for i in a.indices { s += Double(a[i]) * Double(b[i]) }
        return s
    }

    /// Asserts |a − b| ≤ absolute + relative·|b| element-wise, reporting the worst element.
    static func assertClose(_ a: [Float], _ b: [Float], relative: Float, absolute: Float, _ what: String,
                            file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, "\(what): sizes", file: file, line: line)
        var worst = -1, worstExcess: Float = 0
        for i in 0..<min(a.count, b.count) {
            let excess = abs(a[i] - b[i]) - (absolute + relative * abs(b[i]))
            if !(excess <= worstExcess) { worst = i; worstExcess = excess }
        }
        if worst >= 0 {
            XCTFail("\(what)[\(worst)]: \(a[worst]) vs expected \(b[worst]) (tolerance \(relative) relative, \(absolute) absolute)",
                    file: file, line: line)
        }
    }
}

/// A heap buffer for tests, so that a check can perturb values in place while
/// the objective closure reads the same memory (arrays would trip Swift's
/// exclusivity rules).
final class Buffer {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(_ values: [Float]) {
        count = values.count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: count) }
    }

    convenience init(zeros count: Int) { self.init([Float](repeating: 0, count: count)) }

    deinit { pointer.deallocate() }

    var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
    func zero() { pointer.update(repeating: 0, count: count) }
}
