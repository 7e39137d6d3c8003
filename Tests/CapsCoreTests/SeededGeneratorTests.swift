import XCTest
@testable import CapsCore

final class SeededGeneratorTests: XCTestCase {
    func testSameSeedGivesSameStreamAndDifferentSeedsDiffer() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let sa = (0..<100).map { _ in a.next() }
        let sb = (0..<100).map { _ in b.next() }
        let sc = (0..<100).map { _ in c.next() }
        XCTAssertEqual(sa, sb)
        XCTAssertNotEqual(sa, sc)
    }

    func testStateRoundTripResumesTheStream() {
        var a = SeededGenerator(seed: 7)
        for _ in 0..<10 { _ = a.next() }
        var b = SeededGenerator(stateWords: a.stateWords)
        XCTAssertEqual((0..<20).map { _ in a.next() }, (0..<20).map { _ in b.next() })
    }

    func testUniformStaysInRangeAndHasTheRightMean() {
        var g = SeededGenerator(seed: 1)
        var sum = 0.0
        for _ in 0..<100_000 {
            let x = g.uniform(-0.25, 0.25)
            XCTAssert(x >= -0.25 && x < 0.25)
            sum += Double(x)
        }
        XCTAssertEqual(sum / 100_000, 0, accuracy: 0.003)
    }

    func testNormalHasUnitVariance() {
        var g = SeededGenerator(seed: 3)
        let xs = (0..<100_000).map { _ in Double(g.normal()) }
        let mean = xs.reduce(0, +) / Double(xs.count)
        let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(xs.count)
        XCTAssertEqual(mean, 0, accuracy: 0.02)
        XCTAssertEqual(variance, 1, accuracy: 0.02)
    }

    func testShuffleIsAPermutationAndDeterministic() {
        var g1 = SeededGenerator(seed: 9), g2 = SeededGenerator(seed: 9)
        var x = Array(0..<1000), y = Array(0..<1000)
        g1.shuffle(&x); g2.shuffle(&y)
        XCTAssertEqual(x, y)
        XCTAssertNotEqual(x, Array(0..<1000))
        XCTAssertEqual(x.sorted(), Array(0..<1000))
    }

    func testNextIntIsUnbiasedOverSmallBounds() {
        var g = SeededGenerator(seed: 5)
        var counts = [Int](repeating: 0, count: 3)
        for _ in 0..<30_000 { counts[g.nextInt(below: 3)] += 1 }
        for c in counts { XCTAssertEqual(Double(c), 10_000, accuracy: 400) }
    }
}
