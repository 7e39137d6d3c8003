import CapsCore
import XCTest
@testable import CapsNet

/// End-to-end training: a small separable problem is learnt, and runs are
/// reproducible bit for bit.
final class TrainingTests: XCTestCase {
    /// `count` samples of L×D: Gaussian noise tokens, with the signature vector
    /// of the sample's class (one fixed random vector per class) written at two
    /// random positions — separable, but only through the n-gram features.
    private func separableProblem(count: Int, classes: Int, length: Int, dimension: Int,
                                  generator g: inout SeededGenerator) -> (x: [Float], labels: [Int32]) {
        let signatures = (0..<classes).map { _ in TestData.normal(dimension, &g) }
        var x = TestData.normal(count * length * dimension, scale: 0.3, &g)
        var labels = [Int32]()
        for s in 0..<count {
            let label = s % classes
            labels.append(Int32(label))
            for _ in 0..<2 {
                let t = g.nextInt(below: length)
                for d in 0..<dimension { x[(s * length + t) * dimension + d] = signatures[label][d] }
            }
        }
        return (x, labels)
    }

    private func smallConfig(dropout: Float = 0) -> CapsNetConfig {
        var c = CapsNetConfig(classes: 3)
        c.maxLength = 10; c.dimension = 8; c.ngrams = [3]; c.filters = 16
        c.primaryChannels = 16; c.decoderHidden = [16]; c.decoderActivation = .linear
        c.reconstructionWeight = 0.1; c.dropout = dropout
        return c
    }

    func testOverfitsSmallSeparableProblem() throws {
        var g = SeededGenerator(seed: 51)
        let config = smallConfig()
        let n = 60
        let data = separableProblem(count: n, classes: 3, length: 10, dimension: 8, generator: &g)
        let model = try CapsuleNetwork(config: config, maxBatch: n, seed: 3)
        let adam = Adam(parameterCount: model.parameters.count, learningRate: 3e-3)
        let first = try model.evaluate(x: data.x, labels: data.labels)
        var result = first
        for _ in 0..<300 {
            result = try model.trainStep(x: data.x, labels: data.labels)
            adam.update(model.parameters)
        }
        let final = try model.evaluate(x: data.x, labels: data.labels)
        XCTAssertGreaterThanOrEqual(Double(final.correct) / Double(n), 0.95,
                                    "training accuracy \(final.correct)/\(n) (loss \(first.loss) → \(final.loss))")
        XCTAssertLessThan(final.marginLoss, 0.5 * first.marginLoss)
        XCTAssertTrue(result.loss.isFinite)
        // Inference agrees with evaluate's count.
        let lengths = try model.infer(x: data.x)
        var correct = 0
        for s in 0..<n {
            let row = lengths[(s * 3)..<(s * 3 + 3)]
            if row.firstIndex(of: row.max()!)! - s * 3 == Int(data.labels[s]) { correct += 1 }
        }
        XCTAssertEqual(correct, final.correct)
    }

    func testSameSeedGivesBitIdenticalParameters() throws {
        var g = SeededGenerator(seed: 52)
        let data = separableProblem(count: 12, classes: 3, length: 10, dimension: 8, generator: &g)
        let previousThreads = ComputeThreads.count
        ComputeThreads.set(2)
        defer { ComputeThreads.set(previousThreads) }
        func run(seed: UInt64) throws -> (parameters: [Float], dx: [Float], generator: SeededGenerator) {
            let model = try CapsuleNetwork(config: smallConfig(dropout: 0.2), maxBatch: 12, seed: seed)
            let adam = Adam(parameterCount: model.parameters.count)
            var dx = [Float](repeating: 0, count: data.x.count)
            for _ in 0..<5 {
                _ = try model.trainStep(x: data.x, labels: data.labels, inputGradient: &dx)
                adam.update(model.parameters)
            }
            return (model.parameters.allValues(), dx, model.dropoutGenerator)
        }
        let a = try run(seed: 9), b = try run(seed: 9), c = try run(seed: 10)
        XCTAssertEqual(a.parameters, b.parameters)
        XCTAssertEqual(a.dx, b.dx)
        XCTAssertEqual(a.generator, b.generator)
        XCTAssertNotEqual(a.parameters, c.parameters)
    }

    func testDropoutOnlyDuringTraining() throws {
        var g = SeededGenerator(seed: 53)
        let data = separableProblem(count: 6, classes: 3, length: 10, dimension: 8, generator: &g)
        let model = try CapsuleNetwork(config: smallConfig(dropout: 0.5), maxBatch: 6, seed: 4)
        // Inference and evaluation are deterministic; training steps draw new masks.
        XCTAssertEqual(try model.infer(x: data.x), try model.infer(x: data.x))
        XCTAssertEqual(try model.evaluate(x: data.x, labels: data.labels), try model.evaluate(x: data.x, labels: data.labels))
        let before = model.dropoutGenerator
        let first = try model.trainStep(x: data.x, labels: data.labels)
        XCTAssertNotEqual(model.dropoutGenerator, before)
        let second = try model.trainStep(x: data.x, labels: data.labels)
        XCTAssertNotEqual(first.loss, second.loss, "different masks on unchanged parameters")
    }
}
