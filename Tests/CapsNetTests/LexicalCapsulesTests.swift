import CapsCore
@testable import CapsNet
import XCTest

final class LexicalCapsulesTests: XCTestCase {
    /// The hash is part of the model format (a table row is an n-gram's
    /// bucket), so it is pinned: these values are FNV-1a over the
    /// little-endian bytes of n and the ids, computed by an independent
    /// Python implementation.
    func testBucketsArePinnedFNV1aOfTheOrderAndTheIds() {
        XCTAssertEqual(LexicalCapsules.bucket(of: [Int32(5)], buckets: 1 << 20), 637_425)
        XCTAssertEqual(LexicalCapsules.bucket(of: [Int32(5), 9], buckets: 1 << 20), 263_275)
        XCTAssertEqual(LexicalCapsules.bucket(of: [Int32(9), 5], buckets: 1 << 20), 436_011, "order matters")
        XCTAssertEqual(LexicalCapsules.bucket(of: [Int32(5)], buckets: 131_072), 113_137)
        XCTAssertEqual(LexicalCapsules.bucket(of: [Int32(42), 7, 3], buckets: 1_000_003), 297_334)
    }

    /// Every n-gram of 1…n_x tokens ending at each token, none across padding.
    func testBagHoldsEveryNgramUpToTheOrderAndNoneAcrossPadding() {
        func bag(_ tokens: [Int32], _ n: Int) -> [Int] {
            tokens.withUnsafeBufferPointer { LexicalCapsules.bag(of: $0, ngrams: n, buckets: 1 << 20).map(Int.init) }
        }
        func h(_ ids: Int32...) -> Int { LexicalCapsules.bucket(of: ids, buckets: 1 << 20) }
        XCTAssertEqual(bag([5, 9, 3, 0, 0], 2), [h(5), h(9), h(5, 9), h(3), h(9, 3)])
        XCTAssertEqual(bag([5, 9, 3, 0, 0], 3), [h(5), h(9), h(5, 9), h(3), h(9, 3), h(5, 9, 3)])
        XCTAssertEqual(bag([5, 0, 3], 2), [h(5), h(3)], "padding ends an n-gram")
        XCTAssertEqual(bag([0, 0, 0], 2), [], "an empty document has an empty bag")
        XCTAssertEqual(bag([7, 7], 1), [h(7), h(7)], "repeats count twice, as in fastText's mean")
    }

    /// The forward pass is the bag's mean row of the table, squashed into the
    /// last Q_x capsules of u; the convolutional capsules come first.
    func testForwardIsTheSquashedMeanOfTheBagRows() throws {
        var config = CapsNetConfig(classes: 2)
        config.maxLength = 6; config.dimension = 3; config.ngrams = [2]; config.filters = 4
        config.primaryChannels = 8; config.primaryDimension = 4; config.reconstructionWeight = 0
        config.buckets = 11; config.lexicalNgrams = 2; config.lexicalCapsules = 2
        let model = try CapsuleNetwork(config: config, maxBatch: 2, seed: 3)
        let lexical = try XCTUnwrap(model.lexical)
        XCTAssertEqual(config.primaryCapsules, 2 + 2)       // 8/4 channels × 1 position, + 2 lexical
        XCTAssertEqual(lexical.capsuleOffset, 2)
        XCTAssertEqual(lexical.table.shape, [11, 8])
        var g = SeededGenerator(seed: 9)
        let table = model.parameters.value(lexical.table)
        for i in 0..<lexical.table.count { table[i] = g.normal() }
        let tokens: [Int32] = [4, 2, 7, 0, 0, 0,
                               0, 0, 0, 0, 0, 0]
        let x = TestData.uniform(2 * model.sampleSize, 0, 1, &g)
        _ = try model.infer(x: x, tokens: tokens)

        let rows = tokens.withUnsafeBufferPointer {
            LexicalCapsules.bag(of: UnsafeBufferPointer(rebasing: $0[0..<6]), ngrams: 2, buckets: 11)
        }
        XCTAssertEqual(rows.count, 5)
        var mean = [Float](repeating: 0, count: 8)
        for r in rows { for k in 0..<8 { mean[k] += table[Int(r) * 8 + k] / 5 } }
        var expected = [Float](repeating: 0, count: 8)
        mean.withUnsafeBufferPointer { s in
            expected.withUnsafeMutableBufferPointer { Squash.forward(s.baseAddress!, $0.baseAddress!, capsules: 2, dimension: 4) }
        }
        let u = model.primaryCaps.pointer
        for k in 0..<8 { XCTAssertEqual(u[2 * 4 + k], expected[k], accuracy: 1e-6) }
        // The second document has no tokens: zero lexical capsules.
        for k in 0..<8 { XCTAssertEqual(u[(4 + 2) * 4 + k], 0) }

        XCTAssertThrowsError(try model.infer(x: x)) { XCTAssertEqual($0 as? CapsNetError, .missingTokens) }
    }

    /// With a lexical view (L_x > L) the lexical capsules read tokens [B, L_x]:
    /// a token past L changes them and the lengths while the convolutional
    /// capsules, which see x [B, L, D] only, stay as they were; a token row
    /// of L ids is refused as too short.
    func testALexicalViewReachesPastTheConvolutionsRows() throws {
        var config = CapsNetConfig(classes: 2)
        config.maxLength = 4; config.dimension = 3; config.ngrams = [2]; config.filters = 4
        config.primaryChannels = 8; config.primaryDimension = 4; config.reconstructionWeight = 0
        config.buckets = 11; config.lexicalCapsules = 2; config.lexicalLength = 10
        try config.validate()
        XCTAssertEqual(config.tokenRowLength, 10)
        let model = try CapsuleNetwork(config: config, maxBatch: 1, seed: 3)
        let lexical = try XCTUnwrap(model.lexical)
        var g = SeededGenerator(seed: 9)
        let table = model.parameters.value(lexical.table)
        for i in 0..<lexical.table.count { table[i] = g.normal() }
        let x = TestData.uniform(model.sampleSize, 0, 1, &g)
        let short: [Int32] = [4, 2, 7, 5, 0, 0, 0, 0, 0, 0]
        let long: [Int32] = [4, 2, 7, 5, 9, 3, 0, 0, 0, 0]
        // u [1, N = 2 + 2, I = 4]: two convolutional capsules, then two lexical ones.
        let a = try model.infer(x: x, tokens: short)
        let before = Array(UnsafeBufferPointer(start: model.primaryCaps.pointer, count: 4 * 4))
        let b = try model.infer(x: x, tokens: long)
        let after = Array(UnsafeBufferPointer(start: model.primaryCaps.pointer, count: 4 * 4))
        XCTAssertEqual(Array(after[..<8]), Array(before[..<8]), "the convolutional capsules see x alone")
        XCTAssertGreaterThan(zip(after[8...], before[8...]).map { abs($0 - $1) }.max()!, 0.01,
                             "tokens 5 and 6 reach the lexical capsules")
        XCTAssertNotEqual(a, b, "and the lengths")
        let rows = long.withUnsafeBufferPointer { LexicalCapsules.bag(of: $0, ngrams: 2, buckets: 11) }
        XCTAssertEqual(rows.count, 6 + 5, "the bag is the whole view's")
        XCTAssertThrowsError(try model.infer(x: x, tokens: Array(long[..<4])))

        config.lexicalLength = 3
        XCTAssertThrowsError(try config.validate()) { XCTAssertTrue("\($0)".contains("lexical_len"), "\($0)") }
        config.lexicalLength = 10; config.buckets = 0
        XCTAssertThrowsError(try config.validate(), "a view needs lexical capsules to read it")
    }

    /// Bag dropout: in training each n-gram is left out of its bag with
    /// probability p, one draw per member in bag order, and the lexical
    /// capsules are the squashed mean of the members kept; inference keeps
    /// all. With the generator reset the step is a fixed function of the
    /// weights, whose gradient (table and class capsules) finite differences
    /// confirm.
    func testBagDropoutMeansTheKeptNgramsAndItsGradientIsExact() throws {
        var config = CapsNetConfig(classes: 3)
        config.maxLength = 6; config.dimension = 3; config.ngrams = [2]; config.filters = 4
        config.primaryChannels = 8; config.primaryDimension = 4; config.reconstructionWeight = 0
        config.routings = 1; config.buckets = 13; config.lexicalCapsules = 2; config.lexicalDropout = 0.4
        let B = 2
        let model = try CapsuleNetwork(config: config, maxBatch: B, seed: 3)
        let lexical = try XCTUnwrap(model.lexical)
        var g = SeededGenerator(seed: 19)
        let table = model.parameters.value(lexical.table)
        for i in 0..<lexical.table.count { table[i] = g.normal() }
        let w = model.parameters.value(model.classCapsules.weight)
        for i in 0..<model.classCapsules.weight.count { w[i] = 0.5 * g.normal() }
        let tokens: [Int32] = [4, 2, 7, 9, 3, 0,
                               5, 6, 5, 0, 0, 0]
        let x = TestData.uniform(B * model.sampleSize, 0, 1, &g)
        let labels: [Int32] = [2, 0]

        // The kept members, drawn as the layer draws them.
        let start = model.dropoutGenerator
        var draws = start
        var kept: [[Int32]] = []
        for b in 0..<B {
            let document = tokens.withUnsafeBufferPointer { LexicalCapsules.bag(of: UnsafeBufferPointer(rebasing: $0[(b * 6)..<(b * 6 + 6)]), ngrams: 2, buckets: 13) }
            kept.append(document.filter { _ in draws.nextUnitFloat() >= 0.4 })
        }
        XCTAssertTrue(kept[0].count < 9 || kept[1].count < 5, "some member was dropped")
        _ = try model.trainStep(x: x, labels: labels, tokens: tokens)
        for b in 0..<B {
            var mean = [Float](repeating: 0, count: 8)
            for r in kept[b] { for k in 0..<8 { mean[k] += table[Int(r) * 8 + k] / Float(kept[b].count) } }
            var expected = [Float](repeating: 0, count: 8)
            mean.withUnsafeBufferPointer { s in
                expected.withUnsafeMutableBufferPointer { Squash.forward(s.baseAddress!, $0.baseAddress!, capsules: 2, dimension: 4) }
            }
            let u = model.primaryCaps.pointer + (b * 4 + 2) * 4
            for k in 0..<8 { XCTAssertEqual(u[k], expected[k], accuracy: 1e-6, "document \(b)") }
        }
        XCTAssertEqual(Set(model.parameters.touchedRows(of: lexical.table)), Set(kept.flatMap { $0 }.map(Int.init)),
                       "only the kept members' rows have a gradient")

        model.dropoutGenerator = start
        _ = try model.trainStep(x: x, labels: labels, tokens: tokens)
        let grads = UnsafeBufferPointer(start: model.parameters.gradients, count: model.parameters.count).map { $0 }
        let objective = { () -> Double in
            model.dropoutGenerator = start
            return Double(try! model.trainStep(x: x, labels: labels, tokens: tokens).loss)
        }
        let check = GradientCheck(step: 5e-3, relative: 1e-2, absolute: 2e-4, samples: 12)
        for tensor in [lexical.table, model.classCapsules.weight] {
            check.check(tensor.name, values: model.parameters.value(tensor), count: tensor.count,
                        analytic: Array(grads[tensor.offset..<(tensor.offset + tensor.count)]),
                        generator: &g, objective: objective)
        }

        // Inference keeps every member: the lengths are those of the network without dropout.
        var plain = config
        plain.lexicalDropout = 0
        let reference = try CapsuleNetwork(config: plain, maxBatch: B, seed: 3)
        try reference.parameters.set(contentsOf: model.parameters.allValues())
        XCTAssertEqual(try model.infer(x: x, tokens: tokens), try reference.infer(x: x, tokens: tokens))
    }

    /// `--lexical-pool sqrtn`: the squash input is the bag's sum over √n.
    func testSqrtnPoolingIsTheSumOverTheRootOfTheBagSize() throws {
        var config = CapsNetConfig(classes: 2)
        config.maxLength = 6; config.dimension = 3; config.ngrams = [2]; config.filters = 4
        config.primaryChannels = 8; config.primaryDimension = 4; config.reconstructionWeight = 0
        config.buckets = 11; config.lexicalCapsules = 2; config.lexicalPooling = .sqrtn
        let model = try CapsuleNetwork(config: config, maxBatch: 1, seed: 3)
        let lexical = try XCTUnwrap(model.lexical)
        var g = SeededGenerator(seed: 9)
        let table = model.parameters.value(lexical.table)
        for i in 0..<lexical.table.count { table[i] = 0.2 * g.normal() }
        let tokens: [Int32] = [4, 2, 7, 0, 0, 0]
        _ = try model.infer(x: TestData.uniform(model.sampleSize, 0, 1, &g), tokens: tokens)
        let rows = tokens.withUnsafeBufferPointer { LexicalCapsules.bag(of: $0, ngrams: 2, buckets: 11) }
        var s = [Float](repeating: 0, count: 8)
        for r in rows { for k in 0..<8 { s[k] += table[Int(r) * 8 + k] / Float(rows.count).squareRoot() } }
        var expected = [Float](repeating: 0, count: 8)
        s.withUnsafeBufferPointer { s in
            expected.withUnsafeMutableBufferPointer { Squash.forward(s.baseAddress!, $0.baseAddress!, capsules: 2, dimension: 4) }
        }
        for k in 0..<8 { XCTAssertEqual(model.primaryCaps.pointer[2 * 4 + k], expected[k], accuracy: 1e-6) }
    }

    /// Lazy Adam on a row-sparse tensor: the touched rows take the Adam
    /// kernel's step at the row-sparse rate without weight decay, every other
    /// row keeps its value and moments, dense tensors take the usual step;
    /// `zeroGradients` clears exactly the touched rows.
    func testAdamUpdatesOnlyTheTouchedRowsOfARowSparseTensor() throws {
        var layout = ParameterLayout()
        let dense = layout.add("dense", shape: [5])
        let table = layout.add("table", shape: [6, 4], rowSparse: true)
        let tail = layout.add("tail", shape: [3])
        let store = ParameterStore(layout: layout)
        XCTAssertEqual(store.denseRanges, [0..<5, 29..<32])
        var g = SeededGenerator(seed: 4)
        for i in 0..<store.count { store.values[i] = g.normal() }
        let before = store.allValues()
        for i in 0..<dense.count { store.gradient(dense)[i] = g.normal() }
        for i in 0..<tail.count { store.gradient(tail)[i] = g.normal() }
        for row in [4, 1, 4] {
            store.touch(row: row, of: table)
            for k in 0..<4 { store.gradient(table)[row * 4 + k] += g.normal() }
        }
        XCTAssertEqual(store.touchedRows(of: table), [1, 4])
        let gradients = Array(UnsafeBufferPointer(start: store.gradients, count: store.count))

        let adam = Adam(parameterCount: store.count, learningRate: 0.01, weightDecay: 0.1)
        adam.rowSparseLearningRate = 0.5
        adam.update(store)

        // The expected values: the kernel on copies, range by range.
        var p = before, m = [Float](repeating: 0, count: store.count), v = m
        let denseStep = Adam.Constants(learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: 1, weightDecay: 0.1)
        let sparseStep = Adam.Constants(learningRate: 0.5, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: 1)
        for (range, constants) in [(0..<5, denseStep), (29..<32, denseStep), (9..<13, sparseStep), (21..<25, sparseStep)] {
            Adam.update(values: &p, gradients: gradients, firstMoment: &m, secondMoment: &v, range: range, constants: constants)
        }
        XCTAssertEqual(store.allValues(), p)
        XCTAssertEqual(Array(UnsafeBufferPointer(start: adam.firstMoment, count: store.count)), m)
        for row in [0, 2, 3, 5] {
            let range = (table.offset + row * 4)..<(table.offset + row * 4 + 4)
            XCTAssertEqual(Array(store.allValues()[range]), Array(before[range]), "untouched row \(row) unchanged")
            XCTAssertEqual(Array(m[range]), [0, 0, 0, 0])
        }

        store.zeroGradients()
        XCTAssertTrue(UnsafeBufferPointer(start: store.gradients, count: store.count).allSatisfy { $0 == 0 })
        XCTAssertEqual(store.touchedRows(of: table), [])
    }
}
