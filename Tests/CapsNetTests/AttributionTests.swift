import CapsCore
import XCTest
@testable import CapsNet

/// The explanations' arithmetic: route shares add up to the capsule length
/// exactly and agree with the votes and coupling the routing used;
/// gradient × input is the derivative along each token's own vector.
final class AttributionTests: XCTestCase {
    /// Small configurations covering every path the route attribution
    /// crosses: one branch as the reference builds it, several branches with
    /// a primary conv kernel < h1 and stride, max pooling, lexical capsules,
    /// leaky routing and the class coupling scale.
    private func configs() -> [(String, CapsNetConfig)] {
        var reference = CapsNetConfig(classes: 3)
        reference.maxLength = 10; reference.dimension = 6; reference.ngrams = [3]; reference.filters = 12
        reference.primaryChannels = 16; reference.decoderHidden = [16]; reference.decoderActivation = .linear
        var variants = reference
        variants.classes = 4; variants.ngrams = [2, 3]; variants.primaryKernel = 3; variants.positionPool = 2
        variants.buckets = 50; variants.lexicalCapsules = 2; variants.routing = .leaky
        variants.couplingScale = .classes; variants.reconstructionWeight = 0; variants.dropout = 0.3
        var strided = reference
        strided.primaryKernel = 2; strided.primaryStride = 2
        return [("reference", reference), ("variants", variants), ("strided", strided)]
    }

    /// A network of `config` whose class capsules are long for `doc` (the
    /// longest ≥ 0.3, rather than the ~1e−3 of the 0.01·N(0, 1) start), so
    /// that the shares are far above float noise.
    private func network(_ config: CapsNetConfig, seed: UInt64, for doc: (x: [Float], tokens: [Int32])) throws -> CapsuleNetwork {
        let model = try CapsuleNetwork(config: config, maxBatch: 1, seed: seed)
        let w = model.parameters.value(model.classCapsules.weight)
        if let lexical = model.lexical {
            // Lexical rows start at U(−1/E, 1/E); as large as trained ones, their capsules count as much as the conv ones.
            let table = model.parameters.value(lexical.table)
            for i in 0..<lexical.table.count { table[i] *= 100 }
        }
        let tokens = config.hasLexicalCapsules ? doc.tokens : nil
        while try model.infer(x: doc.x, tokens: tokens).max()! < 0.3 {
            for i in 0..<model.classCapsules.weight.count { w[i] *= 1.5 }
        }
        return model
    }

    private func document(_ config: CapsNetConfig, length: Int, _ g: inout SeededGenerator) -> (x: [Float], tokens: [Int32]) {
        let L = config.maxLength, D = config.dimension
        var x = TestData.normal(L * D, &g)
        for t in length..<L { for d in 0..<D { x[t * D + d] = 0 } }   // padding rows
        let tokens = (0..<L).map { $0 < length ? Int32(1 + g.nextInt(below: 30)) : 0 }
        return (x, tokens)
    }

    func testRouteSharesSumToTheCapsuleLength() throws {
        var g = SeededGenerator(seed: 7)
        for (name, config) in configs() {
            let doc = document(config, length: 7, &g)
            let model = try network(config, seed: 11, for: doc)
            let tokens = config.hasLexicalCapsules ? doc.tokens : nil
            let lengths = try model.infer(x: doc.x, tokens: tokens)
            let all = Array(0..<config.classes)
            let explained = try model.attribute(x: doc.x, tokens: tokens, classes: all, method: .route)
            XCTAssertGreaterThan(lengths.max()!, 0.2, "\(name): long capsules")
            for a in explained {
                XCTAssertEqual(a.length, lengths[a.classIndex], accuracy: 1e-6, "\(name): length of class \(a.classIndex)")
                let total = a.tokens.reduce(0, +) + a.bias
                XCTAssertEqual(total, a.length, accuracy: 1e-5, "\(name) class \(a.classIndex): Σ token shares + bias")
                XCTAssertEqual(a.capsules!.reduce(0, +), a.length, accuracy: 1e-5,
                               "\(name) class \(a.classIndex): Σ capsule shares")
                XCTAssertTrue(a.tokens.contains { $0 != 0 }, "\(name): some token carries a share")
            }
            // The capsule shares are (‖v_c‖/‖s_c‖)·k·c[n,c]·⟨û[n,c], ŝ_c⟩, from the votes and coupling as the reference lays them out.
            let C = config.classes, N = config.primaryCapsules, O = config.classDimension
            _ = try model.infer(x: doc.x, tokens: tokens)
            let votes = model.classCapsules.votesInReferenceLayout(batch: 1)     // [1, C, N, O]
            let coupling = model.classCapsules.couplingInReferenceLayout(batch: 1)   // [1, C, N]
            let k = model.classCapsules.couplingScale
            for a in explained {
                let c = a.classIndex
                var s = [Double](repeating: 0, count: O)
                for n in 0..<N { for o in 0..<O { s[o] += Double(k * coupling[c * N + n] * votes[(c * N + n) * O + o]) } }
                let norm = s.reduce(0) { $0 + $1 * $1 }.squareRoot()
                for n in 0..<N {
                    var dot = 0.0
                    for o in 0..<O { dot += Double(votes[(c * N + n) * O + o]) * s[o] / norm }
                    let expected = Double(a.length) / norm * Double(k * coupling[c * N + n]) * dot
                    XCTAssertEqual(Double(a.capsules![n]), expected, accuracy: 1e-5 + 1e-3 * abs(expected),
                                   "\(name) class \(c) capsule \(n)")
                    XCTAssertEqual(a.coupling[n], k * coupling[c * N + n], accuracy: 1e-7)
                }
                _ = C
            }
        }
    }

    /// Route shares of the conv windows, checked one window at a time: with
    /// the primary conv linear in conv1's output h, window t's share is
    /// ⟨g, conv(h with only row t kept) − conv(0)⟩ for the relevance g at the
    /// primary conv's output — the decomposition `addWindowShares` makes.
    func testRouteWindowSharesAreThePrimaryConvolutionsTerms() throws {
        var config = configs()[0].1
        config.reconstructionWeight = 0
        var g = SeededGenerator(seed: 3)
        let doc = document(config, length: 10, &g)
        let model = try network(config, seed: 5, for: doc)
        let c = 1
        let a = try model.attribute(x: doc.x, tokens: nil, classes: [c], method: .route)[0]
        // Recompute window by window on a standalone primary conv with the model's weights.
        let branch = model.branches[0]
        let F = config.filters, L = config.maxLength, n = config.ngrams[0], h1 = L - n + 1
        let h = Array(UnsafeBufferPointer(start: model.workspace.pointer(branch.convOut), count: L * F))
        var layout = ParameterLayout()
        let primary = PrimaryConvolution(name: "p", inChannels: F, outChannels: config.primaryChannels,
                                      kernel: branch.primary.kernel, stride: branch.primary.stride,
                                      inputPositions: h1, inputRowsPerSample: L, maxBatch: 1, layout: &layout)
        let store = ParameterStore(layout: layout)
        try store.set("p.weight", model.parameters.get("primarycaps.conv2d.weight"))
        try store.set("p.bias", model.parameters.get("primarycaps.conv2d.bias"))
        func convolve(_ input: [Float]) -> [Float] {
            var out = [Float](repeating: 0, count: config.primaryChannels * primary.outputPositions)
            input.withUnsafeBufferPointer { i in out.withUnsafeMutableBufferPointer { o in
                primary.forward(input: i.baseAddress!, batch: 1, parameters: store, out: o.baseAddress!)
            } }
            return out
        }
        // The relevance g at the primary conv's output, as the route attribution builds it.
        _ = try model.attribute(x: doc.x, tokens: nil, classes: [c], method: .route)
        let relevance = Array(UnsafeBufferPointer(start: model.workspace.pointer(branch.primaryOutGrad),
                                                  count: config.primaryChannels * primary.outputPositions))
        let base = convolve([Float](repeating: 0, count: L * F))
        var expected = [Double](repeating: 0, count: L)
        for t in 0..<h1 {
            var only = [Float](repeating: 0, count: L * F)
            for f in 0..<F { only[t * F + f] = h[t * F + f] }
            let out = convolve(only)
            var share = 0.0
            for i in out.indices { share += Double(relevance[i]) * Double(out[i] - base[i]) }
            for k in 0..<n { expected[t + k] += share / Double(n) }
        }
        for t in 0..<L {
            XCTAssertEqual(Double(a.tokens[t]), expected[t], accuracy: 1e-6 + 1e-3 * abs(expected[t]), "token \(t)")
        }
        var bias = 0.0
        for i in base.indices { bias += Double(relevance[i]) * Double(base[i]) }
        XCTAssertEqual(Double(a.bias), bias, accuracy: 1e-5 + 1e-3 * abs(bias))
    }

    /// Gradient × input at token t is d/dε ‖v_c‖(x with row t scaled by 1 + ε)
    /// at ε = 0; one routing pass, where the coupling is a constant and the
    /// training gradient is the exact one.
    func testGradientSharesAreDerivativesAlongEachToken() throws {
        var g = SeededGenerator(seed: 19)
        for (name, base) in configs() {
            var config = base
            config.routings = 1
            let doc = document(config, length: 8, &g)
            let model = try network(config, seed: 2, for: doc)
            let tokens = config.hasLexicalCapsules ? doc.tokens : nil
            let lengths = try model.infer(x: doc.x, tokens: tokens)
            let c = lengths.indices.max { lengths[$0] < lengths[$1] }!
            let a = try model.attribute(x: doc.x, tokens: tokens, classes: [c], method: .gradient)[0]
            XCTAssertGreaterThan(a.length, 0.1, "\(name): a long capsule")
            XCTAssertNil(a.capsules)
            let D = config.dimension
            var lexical = [Float](repeating: 0, count: config.maxLength)
            if config.hasLexicalCapsules {
                // Remove the lexical part: with x the only varying input, the differences see the word vectors' part.
                let only = try model.attribute(x: doc.x, tokens: tokens, classes: [c], method: .gradient)[0]
                XCTAssertEqual(only.tokens, a.tokens, "\(name): deterministic")
                lexical = lexicalGradientShares(model: model, x: doc.x, tokens: doc.tokens, classIndex: c)
            }
            // Steps h and h/2 disagree where a ReLU or the max pooling switches within the step:
            // there no difference is the derivative, so such tokens are left out (at most a third).
            var nearKinks = 0
            for t in 0..<config.maxLength {
                func length(_ e: Float) throws -> Double {
                    var x = doc.x
                    for d in 0..<D { x[t * D + d] *= 1 + e }
                    return Double(try model.infer(x: x, tokens: tokens)[c])
                }
                func difference(_ h: Float) throws -> Double { (try length(h) - length(-h)) / (2 * Double(h)) }
                // The lengths are Float (ulp ~3e-8 at 0.3), so a step of 1e-2 keeps the rounding
                // in a difference near 1e-5, while the O(h²) truncation stays far below it.
                let fd = try difference(1e-2), half = try difference(5e-3)
                guard abs(fd - half) <= 3e-5 + 1e-3 * abs(fd) else { nearKinks += 1; continue }
                let analytic = Double(a.tokens[t] - lexical[t])
                XCTAssertEqual(analytic, fd, accuracy: 3e-5 + 5e-3 * abs(fd), "\(name) token \(t)")
            }
            XCTAssertLessThanOrEqual(3 * nearKinks, config.maxLength, "\(name): tokens near kinks")
        }
    }

    /// The lexical part of gradient × input, ⟨∂‖v_c‖/∂s, row_m⟩/|bag| per n-gram m,
    /// checked against the derivative along the bag's rows: scaling every table
    /// row of the bag by 1 + ε scales s by 1 + ε, so the parts sum to that derivative.
    private func lexicalGradientShares(model: CapsuleNetwork, x: [Float], tokens: [Int32], classIndex c: Int) -> [Float] {
        let lexical = model.lexical!
        var lexicalOnly = [Float](repeating: 0, count: model.config.maxLength)
        _ = try! model.attribute(x: x, tokens: tokens, classes: [c], method: .gradient)
        let ds = lexical.squashGradient(du: model.primaryCapsGrad.pointer)
        tokens.withUnsafeBufferPointer { t in
            ds.withUnsafeBufferPointer { ds in
                lexical.addMemberShares(direction: ds.baseAddress!, tokens: t.baseAddress!, parameters: model.parameters,
                                        into: &lexicalOnly)
            }
        }
        // d/dε of the length with the bag mean scaled by 1 + ε, by finite differences on the table.
        let table = model.parameters.value(lexical.table), E = lexical.width
        var rows = Set<Int>()
        tokens.withUnsafeBufferPointer { t in
            LexicalCapsules.forEachNgram(of: t, ngrams: lexical.ngrams, buckets: lexical.buckets) { rows.insert($1) }
        }
        let saved = Array(UnsafeBufferPointer(start: table, count: lexical.table.count))
        func length(_ e: Float) -> Double {
            for r in rows { for k in 0..<E { table[r * E + k] = saved[r * E + k] * (1 + e) } }
            defer { table.update(from: saved, count: saved.count) }
            return Double(try! model.infer(x: x, tokens: tokens)[c])
        }
        let fd = (length(1e-2) - length(-1e-2)) / 2e-2
        let sum = lexicalOnly.reduce(0.0) { $0 + Double($1) }
        XCTAssertEqual(sum, fd, accuracy: 1e-5 + 1e-2 * abs(fd), "lexical shares sum to the derivative along the bag")
        return lexicalOnly
    }

    func testDecodeReproducesTheInferenceReconstruction() throws {
        let config = configs()[0].1
        var g = SeededGenerator(seed: 4)
        let doc = document(config, length: 10, &g)
        let model = try network(config, seed: 8, for: doc)
        var lengths = [Float](repeating: 0, count: config.classes)
        var reconstruction = [Float](repeating: 0, count: model.sampleSize)
        try doc.x.withUnsafeBufferPointer { x in
            try model.infer(x: x.baseAddress!, batch: 1, lengths: &lengths, reconstructions: &reconstruction)
        }
        let longest = lengths.indices.max { lengths[$0] < lengths[$1] }!
        let O = config.classDimension
        let capsule = Array(model.lastClassCapsules(batch: 1)[(longest * O)..<((longest + 1) * O)])
        XCTAssertEqual(try model.decode(capsule: capsule, classIndex: longest), reconstruction)
        var perturbed = capsule
        perturbed[0] += 0.25
        XCTAssertNotEqual(try model.decode(capsule: perturbed, classIndex: longest), reconstruction)
        var noDecoder = config
        noDecoder.reconstructionWeight = 0
        XCTAssertThrowsError(try CapsuleNetwork(config: noDecoder, maxBatch: 1, seed: 1).decode(capsule: capsule, classIndex: 0))
    }
}
