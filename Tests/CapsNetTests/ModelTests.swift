import CapsCore
import XCTest
@testable import CapsNet

/// The assembled network: parameter naming and layout, initialisation, the
/// whole loss's gradient with respect to every parameter tensor and the input,
/// and argument checking.
final class ModelTests: XCTestCase {
    func testReferenceParameterNamesAndShapes() throws {
        let model = try CapsuleNetwork(config: CapsNetConfig(classes: 2), maxBatch: 1, seed: 1)
        let expected: [(String, [Int])] = [
            ("conv1.weight", [256, 1, 4, 200]), ("conv1.bias", [256]),
            ("primarycaps.conv2d.weight", [256, 256, 37, 1]), ("primarycaps.conv2d.bias", [256]),
            ("digitcaps.weight", [2, 32, 16, 8]),
            ("decoder.0.weight", [512, 32]), ("decoder.0.bias", [512]),
            ("decoder.2.weight", [1024, 512]), ("decoder.2.bias", [1024]),
            ("decoder.4.weight", [8000, 1024]), ("decoder.4.bias", [8000]),
        ]
        XCTAssertEqual(model.parameters.tensors.map(\.name), expected.map(\.0))
        XCTAssertEqual(model.parameters.tensors.map(\.shape), expected.map(\.1))
        // One contiguous buffer: each tensor starts where the previous one ends.
        var offset = 0
        for t in model.parameters.tensors {
            XCTAssertEqual(t.offset, offset, t.name)
            offset += t.count
        }
        XCTAssertEqual(model.parameters.count, offset)
    }

    func testNoDecoderMeansNoDecoderParameters() throws {
        var config = CapsNetConfig(classes: 4)
        config.reconstructionWeight = 0
        let model = try CapsuleNetwork(config: config, maxBatch: 1, seed: 1)
        XCTAssertFalse(model.parameters.names.contains { $0.hasPrefix("decoder") })
        XCTAssertNil(model.decoderInput)
        // One hidden layer names its Linear layers as nn.Sequential does: 0 and 2.
        config.reconstructionWeight = 1
        config.decoderHidden = [24]
        XCTAssertEqual(try CapsuleNetwork(config: config, maxBatch: 1, seed: 1).parameters.names.filter { $0.hasPrefix("decoder") },
                       ["decoder.0.weight", "decoder.0.bias", "decoder.2.weight", "decoder.2.bias"])
    }

    /// Configurations that change the layout: decoder or none, one or no
    /// hidden decoder layer, whole-sequence or strided primary kernels, dropout.
    private func layoutConfigs() -> [CapsNetConfig] {
        var small = CapsNetConfig(classes: 3)
        small.maxLength = 12; small.dimension = 10; small.filters = 16; small.primaryChannels = 32
        small.decoderHidden = [32, 64]
        var strided = small
        strided.primaryKernel = 3; strided.primaryStride = 2; strided.dropout = 0.3
        var noDecoder = strided
        noDecoder.reconstructionWeight = 0; noDecoder.primaryKernel = 5; noDecoder.primaryStride = 1
        var noHidden = small
        noHidden.decoderHidden = []; noHidden.decoderActivation = .linear
        var branches = strided
        branches.ngrams = [2, 3, 4]
        var pooled = noDecoder
        pooled.ngrams = [3, 5]; pooled.primaryKernel = 2; pooled.positionPool = 2
        var lexical = pooled
        lexical.buckets = 100; lexical.lexicalNgrams = 3; lexical.lexicalCapsules = 4
        return [CapsNetConfig(classes: 2), small, strided, noDecoder, noHidden, branches, pooled, lexical]
    }

    func testStaticLayoutsEqualTheBuiltNetworks() throws {
        for config in layoutConfigs() {
            let layout = try CapsuleNetwork.parameterLayout(for: config)
            let model = try CapsuleNetwork(config: config, maxBatch: 3, seed: 1)
            XCTAssertEqual(layout.tensors, model.parameters.tensors)
            XCTAssertEqual(layout.count, model.parameters.count)
            XCTAssertEqual(try CapsuleNetwork.activationLayout(for: config, maxBatch: 3), model.workspace.layout)
        }
        var bad = CapsNetConfig(classes: 2)
        bad.primaryChannels = 12
        XCTAssertThrowsError(try CapsuleNetwork.parameterLayout(for: bad)) {
            XCTAssertTrue("\($0)".contains("--primary-channels"), "\($0)")
        }
        XCTAssertThrowsError(try CapsuleNetwork.activationLayout(for: CapsNetConfig(classes: 2), maxBatch: 0)) {
            XCTAssertEqual($0 as? CapsNetError, .invalidBatchSize(batch: 0, maxBatch: 0))
        }
    }

    /// The workspace: one block of activations and one of gradients, every
    /// tensor 64-byte aligned and inside its block, none overlapping; sized by
    /// maxBatch; dropout buffers only with dropout.
    func testActivationLayoutIsOneBlockEachAndScalesWithTheBatch() throws {
        for config in layoutConfigs() {
            let one = try CapsuleNetwork.activationLayout(for: config, maxBatch: 1)
            let four = try CapsuleNetwork.activationLayout(for: config, maxBatch: 4)
            for (tensors, count) in [(four.activations, four.activationCount), (four.gradients, four.gradientCount)] {
                var end = 0
                for t in tensors {
                    XCTAssertEqual(t.offset % ActivationLayout.alignment, 0, t.name)
                    XCTAssertGreaterThanOrEqual(t.offset, end, "\(t.name) overlaps its predecessor")
                    end = t.offset + t.count
                }
                XCTAssertLessThanOrEqual(end, count)
            }
            XCTAssertEqual(one.activations.map(\.name), four.activations.map(\.name))
            // Everything but the per-forward copy of the class-capsule weight scales with the batch.
            for (a, b) in zip(one.activations + one.gradients, four.activations + four.gradients)
            where !a.name.hasSuffix("transposed_weight") {
                XCTAssertEqual(4 * a.count, b.count, a.name)
            }
            let names = Set(four.activations.map(\.name))
            XCTAssertEqual(names.filter { $0.hasSuffix("dropout.mask") }.count, config.dropout > 0 ? config.ngrams.count : 0)
            XCTAssertEqual(names.contains("decoder.0.out"), config.hasDecoder)
            XCTAssertEqual(four.gradients.filter { $0.name.hasSuffix("dropout.out") }.count,
                           config.dropout > 0 ? config.ngrams.count : 0)
        }
        let reference = try CapsuleNetwork.activationLayout(for: CapsNetConfig(classes: 2), maxBatch: 2)
        XCTAssertEqual(reference.activations.first { $0.name == "conv1.out" }?.shape, [2, 40, 256])
        XCTAssertEqual(reference.activations.first { $0.name == "digitcaps.votes" }?.shape, [32, 2, 32])
        XCTAssertNil(reference.activations.first { $0.name == "primarycaps.conv2d.rows" }, "h2 = 1 needs no transpose")
    }

    /// The step's one zeroing covers every gradient: a second identical step
    /// (same weights, same dropout mask) gives identical gradients, rather
    /// than ones accumulated onto the first.
    func testRepeatedStepGivesIdenticalGradients() throws {
        for config in layoutConfigs().dropFirst() {
            var g = SeededGenerator(seed: 44)
            let B = 3
            let model = try CapsuleNetwork(config: config, maxBatch: 4, seed: 6)
            let x = TestData.uniform(B * model.sampleSize, 0, 1, &g)
            let labels: [Int32] = [2, 0, 1]
            let tokens = (0..<(B * config.maxLength)).map { Int32(($0 * 5) % 11) }   // ignored without lexical capsules
            let generator = model.dropoutGenerator
            var dx1 = [Float](repeating: 0, count: x.count), dx2 = [Float](repeating: 7, count: x.count)
            let first = try model.trainStep(x: x, labels: labels, tokens: tokens, inputGradient: &dx1)
            let grads = UnsafeBufferPointer(start: model.parameters.gradients, count: model.parameters.count).map { $0 }
            model.dropoutGenerator = generator
            let second = try model.trainStep(x: x, labels: labels, tokens: tokens, inputGradient: &dx2)
            XCTAssertEqual(first, second)
            XCTAssertEqual(UnsafeBufferPointer(start: model.parameters.gradients, count: model.parameters.count).map { $0 },
                           grads)
            XCTAssertEqual(dx1, dx2)
            XCTAssertTrue(grads.contains { $0 != 0 })
        }
    }

    /// The summary rows of the reference design, counted by hand.
    func testLayerDescriptionsOfTheReferenceDesign() throws {
        let rows = try CapsuleNetwork.layerDescriptions(for: CapsNetConfig(classes: 2))
        let expected = [
            LayerDescription(name: "conv1 (Conv2d 4×200, ReLU)", outputShape: [256, 37],
                             parameterNames: ["conv1.weight", "conv1.bias"], parameters: 256 * 4 * 200 + 256),
            LayerDescription(name: "primary_caps (Conv2d 37×1 /2, squash)", outputShape: [32, 8],
                             parameterNames: ["primarycaps.conv2d.weight", "primarycaps.conv2d.bias"],
                             parameters: 256 * 256 * 37 + 256),
            LayerDescription(name: "class_caps (routing ×3)", outputShape: [2, 16],
                             parameterNames: ["digitcaps.weight"], parameters: 2 * 32 * 16 * 8),
            LayerDescription(name: "lengths (‖v‖)", outputShape: [2], parameterNames: [], parameters: 0),
            LayerDescription(name: "decoder.0 (Linear, masked, ReLU)", outputShape: [512],
                             parameterNames: ["decoder.0.weight", "decoder.0.bias"], parameters: 512 * 32 + 512),
            LayerDescription(name: "decoder.2 (Linear, ReLU)", outputShape: [1024],
                             parameterNames: ["decoder.2.weight", "decoder.2.bias"], parameters: 1024 * 512 + 1024),
            LayerDescription(name: "decoder.4 (Linear, sigmoid)", outputShape: [40, 200],
                             parameterNames: ["decoder.4.weight", "decoder.4.bias"], parameters: 8000 * 1024 + 8000),
        ]
        XCTAssertEqual(rows, expected)
        XCTAssertEqual(rows.map(\.parameters).reduce(0, +), 11_380_544)
        var leaky = CapsNetConfig(classes: 2)
        leaky.routing = .leaky
        XCTAssertEqual(try CapsuleNetwork.layerDescriptions(for: leaky)[2].name, "class_caps (leaky routing ×3)")
        leaky.routing = .static
        XCTAssertEqual(try CapsuleNetwork.layerDescriptions(for: leaky)[2].name, "class_caps (static routing)")
        leaky.couplingScale = .classes
        XCTAssertEqual(try CapsuleNetwork.layerDescriptions(for: leaky)[2].name, "class_caps (static routing, k = C)")
    }

    func testLayerDescriptionsCoverEveryTensorOnce() throws {
        for config in layoutConfigs() {
            let rows = try CapsuleNetwork.layerDescriptions(for: config)
            let model = try CapsuleNetwork(config: config, maxBatch: 1, seed: 1)
            XCTAssertEqual(model.layerDescriptions, rows)
            XCTAssertEqual(rows.flatMap(\.parameterNames), model.parameters.names)
            XCTAssertEqual(rows.map(\.parameters).reduce(0, +), model.parameters.count)
            XCTAssertEqual(rows.count, 2 * config.ngrams.count + (config.hasLexicalCapsules ? 1 : 0) + 2
                           + (config.hasDecoder ? config.decoderHidden.count + 1 : 0))
            if config.hasLexicalCapsules {
                let row = try XCTUnwrap(rows.first { $0.name.hasPrefix("lexical_caps") })
                XCTAssertEqual(row.name, "lexical_caps (hashed 1–3-grams, 100 buckets × 32, mean, squash)")
                XCTAssertEqual(row.outputShape, [4, config.primaryDimension])
                XCTAssertEqual(row.parameterNames, ["lexical.buckets"])
            }
            if config.hasDecoder {
                XCTAssertEqual(rows.last!.outputShape, [config.maxLength, config.dimension])
                XCTAssertTrue(rows.last!.name.hasSuffix(", \(config.decoderActivation.rawValue))"), rows.last!.name)
            }
        }
        var strided = CapsNetConfig(classes: 4)
        strided.primaryKernel = 5; strided.primaryStride = 3; strided.reconstructionWeight = 0; strided.routings = 2
        let rows = try CapsuleNetwork.layerDescriptions(for: strided)
        XCTAssertEqual(rows[1].name, "primary_caps (Conv2d 5×1 /3, squash)")
        XCTAssertEqual(rows[1].outputShape, [32 * 11, 8])          // h2 = (37 − 5)/3 + 1 = 11
        XCTAssertEqual(rows[2].name, "class_caps (routing ×2)")
        XCTAssertEqual(rows.count, 4)
    }

    /// Capsule-B's parallel branches: each n has its own conv1 and primary
    /// conv named by its n, their capsules are concatenated in `ngrams` order
    /// and routed together; with pooling the capsule count and the class
    /// weights do not depend on the length.
    func testNgramBranchesAndPositionPooling() throws {
        var config = CapsNetConfig(classes: 5)
        config.ngrams = [3, 4, 5]; config.reconstructionWeight = 0
        let layout = try CapsuleNetwork.parameterLayout(for: config)
        XCTAssertEqual(layout.tensors.map(\.name), [
            "conv1_3gram.weight", "conv1_3gram.bias", "primarycaps_3gram.conv2d.weight", "primarycaps_3gram.conv2d.bias",
            "conv1_4gram.weight", "conv1_4gram.bias", "primarycaps_4gram.conv2d.weight", "primarycaps_4gram.conv2d.bias",
            "conv1_5gram.weight", "conv1_5gram.bias", "primarycaps_5gram.conv2d.weight", "primarycaps_5gram.conv2d.bias",
            "digitcaps.weight"])
        XCTAssertEqual(layout.tensors[0].shape, [256, 1, 3, 200])
        XCTAssertEqual(layout.tensors[2].shape, [256, 256, 38, 1])     // K = h1 = 40 − 3 + 1 per branch
        XCTAssertEqual(layout.tensors[10].shape, [256, 256, 36, 1])
        XCTAssertEqual(config.primaryCapsules, 3 * 32)
        XCTAssertEqual(layout.tensors.last!.shape, [5, 96, 16, 8])
        let rows = try CapsuleNetwork.layerDescriptions(for: config)
        XCTAssertEqual(rows.map(\.name), [
            "conv1_3gram (Conv2d 3×200, ReLU)", "primary_caps_3gram (Conv2d 38×1 /2, squash)",
            "conv1_4gram (Conv2d 4×200, ReLU)", "primary_caps_4gram (Conv2d 37×1 /2, squash)",
            "conv1_5gram (Conv2d 5×200, ReLU)", "primary_caps_5gram (Conv2d 36×1 /2, squash)",
            "class_caps (routing ×3)", "lengths (‖v‖)"])

        // Pooled: a short kernel and Q = 4 segments give 32·4 capsules per branch at any length.
        var long = config
        long.ngrams = [3, 5]; long.primaryKernel = 3; long.primaryStride = 1; long.positionPool = 4
        var counts: [Int] = []
        for length in [40, 256] {
            long.maxLength = length
            counts.append(try CapsuleNetwork.parameterLayout(for: long).count)
            XCTAssertEqual(long.primaryCapsules, 2 * 32 * 4)
        }
        XCTAssertEqual(counts[0], counts[1], "parameters independent of max_len")
        XCTAssertEqual(try CapsuleNetwork.layerDescriptions(for: long)[1].name,
                       "primary_caps_3gram (Conv2d 3×1 /1, max over 4 of 252 positions, squash)")

        // A single branch keeps the reference's names, so the golden files and exports are unchanged.
        XCTAssertEqual(try CapsuleNetwork.parameterLayout(for: CapsNetConfig(classes: 2)).tensors[0].name, "conv1.weight")

        // Refused: a repeated width, pooling into more segments than positions.
        var repeated = config
        repeated.ngrams = [3, 3]
        XCTAssertThrowsError(try CapsuleNetwork.parameterLayout(for: repeated))
        var tooMany = long
        tooMany.maxLength = 10; tooMany.positionPool = 7             // the 5-gram branch has 10 − 5 + 1 − 2 = 4 positions
        XCTAssertThrowsError(try CapsuleNetwork.parameterLayout(for: tooMany)) { error in
            XCTAssertTrue("\(error)".contains("position-pool"), "\(error)")
        }
    }

    /// ngram is one integer in files for one branch (as before, and as the
    /// PyTorch reference reads it), a list for several; "all positions" of
    /// the primary kernel is stored as 0 with several branches.
    func testBranchSettingsRoundTripThroughTheirStoredValues() throws {
        func roundTrip(_ config: CapsNetConfig) throws -> CapsNetConfig {
            var copy = CapsNetConfig(classes: config.classes)
            for setting in CapsNetConfig.settings { try setting.set(setting.value(in: config), in: &copy) }
            return copy
        }
        let reference = CapsNetConfig(classes: 2)
        XCTAssertEqual(CapsNetConfig.settings.setting(named: "ngram")!.value(in: reference), .int(4))
        XCTAssertEqual(CapsNetConfig.settings.setting(named: "primary_kernel")!.value(in: reference), .int(37))
        XCTAssertEqual(try roundTrip(reference).ngrams, [4])
        var branches = reference
        branches.ngrams = [3, 4, 5]
        XCTAssertEqual(CapsNetConfig.settings.setting(named: "ngram")!.value(in: branches), .ints([3, 4, 5]))
        XCTAssertEqual(CapsNetConfig.settings.setting(named: "primary_kernel")!.value(in: branches), .int(0))
        let back = try roundTrip(branches)
        XCTAssertEqual(back, branches)
        XCTAssertNil(back.primaryKernel)
        var parsed = reference
        try CapsNetConfig.settings.setting(named: "ngram")!.parse("3,4,5", into: &parsed)
        XCTAssertEqual(parsed.ngrams, [3, 4, 5])
    }

    func testInitialisationFollowsPyTorchDefaultsAndIsSeeded() throws {
        var config = CapsNetConfig(classes: 3)
        config.maxLength = 12; config.dimension = 10; config.filters = 16; config.primaryChannels = 32
        config.decoderHidden = [32, 64]
        let a = try CapsuleNetwork(config: config, maxBatch: 2, seed: 7)
        let b = try CapsuleNetwork(config: config, maxBatch: 2, seed: 7)
        let c = try CapsuleNetwork(config: config, maxBatch: 2, seed: 8)
        XCTAssertEqual(a.parameters.allValues(), b.parameters.allValues())
        XCTAssertNotEqual(a.parameters.allValues(), c.parameters.allValues())
        let fanIns = ["conv1": 4 * 10, "primarycaps.conv2d": 16 * 9, "decoder.0": 16 * 3, "decoder.2": 32, "decoder.4": 64]
        for (layer, fanIn) in fanIns {
            let bound = 1 / Float(fanIn).squareRoot()
            for suffix in ["weight", "bias"] {
                let values = try a.parameters.get("\(layer).\(suffix)")
                XCTAssertTrue(values.allSatisfy { abs($0) <= bound }, "\(layer).\(suffix) within ±1/√\(fanIn)")
                // Uniform on ±bound: the largest magnitude is close to the bound.
                if values.count >= 32 { XCTAssertGreaterThan(values.map(abs).max()!, 0.8 * bound, "\(layer).\(suffix) spread") }
            }
        }
        let digit = try a.parameters.get("digitcaps.weight")
        let mean = digit.reduce(0, +) / Float(digit.count)
        let std = (digit.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(digit.count)).squareRoot()
        XCTAssertEqual(std, 0.01, accuracy: 0.0015)   // 768 draws of 0.01·N(0,1)
        XCTAssertEqual(mean, 0, accuracy: 0.0015)
    }

    /// Tiny configurations for the whole-loss checks. Routing has one
    /// iteration: with more, the reference's detached votes make the defined
    /// gradient differ from the derivative a difference measures (that case is
    /// covered by CapsuleLayerTests and the golden files).
    private func tinyConfig(activation: DecoderActivation, kernel: Int?, hidden: [Int]) -> CapsNetConfig {
        var c = CapsNetConfig(classes: 3)
        c.maxLength = 9; c.dimension = 5; c.ngrams = [3]; c.filters = 6
        c.primaryChannels = 16; c.primaryKernel = kernel; c.primaryStride = 2
        c.routings = 1; c.decoderHidden = hidden; c.decoderActivation = activation
        c.reconstructionWeight = 0.5
        return c
    }

    func testWholeLossGradientForEveryTensorAndInput() throws {
        let cases = [
            tinyConfig(activation: .sigmoid, kernel: nil, hidden: [12, 10]),  // h2 = 1
            tinyConfig(activation: .linear, kernel: 3, hidden: [8]),          // h2 = 2 with stride
            { var c = tinyConfig(activation: .sigmoid, kernel: 3, hidden: [8])  // static routing: exact
              c.routing = .static; c.routings = 3; c.couplingScale = .classes; return c }(),
            // Three n-gram branches; then two with pooled positions. No decoder
            // hidden layer, so that the only kinks are conv1's ReLU and the pooling.
            { var c = tinyConfig(activation: .linear, kernel: nil, hidden: [])
              c.ngrams = [2, 3, 4]; return c }(),
            { var c = tinyConfig(activation: .sigmoid, kernel: 2, hidden: [])
              c.ngrams = [2, 3]; c.primaryStride = 1; c.positionPool = 2; return c }(),
            // Lexical capsules beside a branch: 7 buckets, so the three
            // documents' 1–2-grams share rows and most rows have a gradient.
            { var c = tinyConfig(activation: .linear, kernel: nil, hidden: [])
              c.buckets = 7; c.lexicalNgrams = 2; c.lexicalCapsules = 2; return c }(),
            // The same with a lexical view of 14 tokens past the 9 the branch sees.
            { var c = tinyConfig(activation: .linear, kernel: nil, hidden: [])
              c.buckets = 7; c.lexicalNgrams = 2; c.lexicalCapsules = 2; c.lexicalLength = 14; return c }(),
            // And pooled as the sum over √n.
            { var c = tinyConfig(activation: .linear, kernel: nil, hidden: [])
              c.buckets = 7; c.lexicalNgrams = 2; c.lexicalCapsules = 2; c.lexicalPooling = .sqrtn; return c }(),
        ]
        for config in cases {
            var g = SeededGenerator(seed: 41)
            let B = 3
            let model = try CapsuleNetwork(config: config, maxBatch: B, seed: 5)
            // Larger class-capsule weights than the 0.01 default so lengths reach
            // the margins and every loss term is active.
            let w = model.parameters.value(model.classCapsules.weight)
            for i in 0..<model.classCapsules.weight.count { w[i] = 0.5 * g.normal() }
            // Bucket rows of unit scale, so the lexical capsules are neither
            // vanishing nor saturated; tokens end in padding of varied length.
            if let lexical = model.lexical {
                let t = model.parameters.value(lexical.table)
                for i in 0..<lexical.table.count { t[i] = g.normal() }
            }
            let L = config.tokenRowLength
            let tokens: [Int32] = (0..<(B * L)).map { i in i % L < L - 1 - i / L ? Int32(2 + (i * 7) % 5) : 0 }
            let x = Buffer(TestData.uniform(B * model.sampleSize, 0, 1, &g))
            let target = x.array                      // the reconstruction target stays fixed
            let labels: [Int32] = [0, 2, 1]
            let dx = Buffer(zeros: x.count)
            let trained = try labels.withUnsafeBufferPointer { l in
                try tokens.withUnsafeBufferPointer {
                    try model.trainStep(x: x.pointer, labels: l.baseAddress!, batch: B, tokens: $0.baseAddress!,
                                        inputGradient: dx.pointer)
                }
            }
            let grads = UnsafeBufferPointer(start: model.parameters.gradients, count: model.parameters.count).map { $0 }
            let objective = { () -> Double in
                let r = target.withUnsafeBufferPointer { t in
                    labels.withUnsafeBufferPointer { l in
                        tokens.withUnsafeBufferPointer {
                            try! model.evaluate(x: x.pointer, target: t.baseAddress!, labels: l.baseAddress!, batch: B,
                                                tokens: $0.baseAddress!)
                        }
                    }
                }
                return Double(r.loss)
            }
            XCTAssertEqual(Double(trained.loss), objective(), accuracy: 1e-6, "trainStep and evaluate agree without dropout")
            XCTAssertGreaterThan(trained.marginLoss, 0)
            XCTAssertGreaterThan(trained.reconstructionLoss, 0)
            // ReLU kinks make the loss piecewise smooth: a step must stay below the
            // smallest ReLU input magnitude (~1e−3 here) for the difference to be
            // the derivative. The float32 loss (~0.8, rounding 5e−8) then adds
            // ~3e−5 of noise to each difference, well inside the absolute tolerance.
            // Max pooling adds kinks wherever two positions of a segment are
            // close; a random direction moves every weight at once and may
            // graze one that both steps cross, hence 2% there (a wiring error
            // is off by far more). With the lexical capsules' unit-scale rows the
            // class capsules are longer and conv1's ReLU inputs are crossed by
            // a random direction over all of conv1 too: there the kink-aware
            // check replaces a direction whose differences at h and h/2 disagree.
            let pooled = config.positionPool > 0
            let check = GradientCheck(step: 5e-4, relative: pooled ? 2e-2 : 1e-2, absolute: 2e-4, samples: 12,
                                      replacesKinks: pooled || config.hasLexicalCapsules)
            for tensor in model.parameters.tensors {
                check.check("\(config.decoderActivation) \(tensor.name)", values: model.parameters.value(tensor),
                            count: tensor.count,
                            analytic: Array(grads[tensor.offset..<(tensor.offset + tensor.count)]),
                            generator: &g, objective: objective)
            }
            check.check("\(config.decoderActivation) input x", values: x.pointer, count: x.count, analytic: dx.array,
                        generator: &g, objective: objective)
        }
    }

    func testArgumentErrors() throws {
        var config = CapsNetConfig(classes: 2)
        config.maxLength = 6; config.dimension = 3; config.filters = 4; config.primaryChannels = 8
        config.decoderHidden = [4]
        let model = try CapsuleNetwork(config: config, maxBatch: 2, seed: 1)
        let x = [Float](repeating: 0.1, count: 2 * 18)
        XCTAssertThrowsError(try model.trainStep(x: x, labels: [0, 2])) {
            XCTAssertEqual($0 as? CapsNetError, .labelOutOfRange(sample: 1, label: 2, classes: 2))
        }
        XCTAssertThrowsError(try model.trainStep(x: x + x, labels: [0, 1, 1, 0])) {
            XCTAssertEqual($0 as? CapsNetError, .invalidBatchSize(batch: 4, maxBatch: 2))
        }
        XCTAssertThrowsError(try model.evaluate(x: Array(x.prefix(20)), labels: [0, 1])) {
            XCTAssertEqual($0 as? CapsNetError, .bufferTooSmall(argument: "x", expected: 36, got: 20))
        }
        XCTAssertThrowsError(try model.parameters.set("conv1.bias", [1, 2])) {
            XCTAssertEqual($0 as? CapsNetError, .parameterSizeMismatch(name: "conv1.bias", expected: 4, got: 2))
        }
        XCTAssertThrowsError(try model.parameters.get("conv2.weight")) {
            guard case .unknownParameter(let name, _)? = $0 as? CapsNetError else { return XCTFail("\($0)") }
            XCTAssertEqual(name, "conv2.weight")
        }
        var bad = config
        bad.primaryChannels = 12
        XCTAssertThrowsError(try CapsuleNetwork(config: bad, maxBatch: 1, seed: 1)) {
            XCTAssertTrue("\($0)".contains("--primary-channels"), "\($0)")
        }
        bad = config
        bad.primaryKernel = 9
        XCTAssertThrowsError(try CapsuleNetwork(config: bad, maxBatch: 1, seed: 1)) {
            XCTAssertTrue("\($0)".contains("--primary-kernel"), "\($0)")
        }
    }
}
