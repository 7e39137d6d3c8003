/// One layer of a network as a model summary shows it.
public struct LayerDescription: Equatable, Sendable {
    /// Human-readable name with the operation, e.g. "conv1 (Conv2d 4×200, ReLU)".
    public let name: String
    /// Output shape of one sample.
    public let outputShape: [Int]
    /// The layer's parameter tensors (PyTorch names, buffer order); none for parameter-free rows.
    public let parameterNames: [String]
    /// Number of parameters, the sum of the tensors' element counts.
    public let parameters: Int

    public init(name: String, outputShape: [Int], parameterNames: [String], parameters: Int) {
        self.name = name; self.outputShape = outputShape
        self.parameterNames = parameterNames; self.parameters = parameters
    }

    init(_ name: String, _ outputShape: [Int], _ tensors: [ParameterTensor]) {
        self.init(name: name, outputShape: outputShape, parameterNames: tensors.map(\.name),
                  parameters: tensors.reduce(0) { $0 + $1.count })
    }
}

extension CapsuleNetwork {
    /// The layers of a network of `config`, in forward order, for summaries
    /// (computed from the configuration alone, allocating nothing):
    ///
    ///   per branch conv1 [F, h1] and primary_caps [N_b, I]; lexical_caps [Q_x, I] with
    ///   buckets; class_caps [C, O]; lengths [C]
    ///   (no parameters); then each decoder layer [H], the last one [L, D],
    ///   named by its tensors' prefix ("decoder.0 (Linear, masked, ReLU)", …)
    ///   with ReLU after every one but the last, which has `decoderActivation`.
    ///
    /// Every parameter tensor belongs to exactly one row, so the counts add up
    /// to the network's parameter count. Throws the configuration's first
    /// invalid field.
    public static func layerDescriptions(for config: CapsNetConfig) throws -> [LayerDescription] {
        try Architecture(config: config, workspace: ActivationStore(maxBatch: 1)).layerDescriptions(config)
    }

    /// `layerDescriptions(for: config)` of this network.
    public var layerDescriptions: [LayerDescription] {
        Architecture.describe(config: config, branches: branches, lexical: lexical,
                              classCapsules: classCapsules, decoderInput: decoderInput, decoderLayers: decoderLayers)
    }
}

extension CapsuleNetwork.Architecture {
    func layerDescriptions(_ config: CapsNetConfig) -> [LayerDescription] {
        Self.describe(config: config, branches: branches, lexical: lexical,
                      classCapsules: classCapsules, decoderInput: decoderInput, decoderLayers: decoderLayers)
    }

    static func describe(config: CapsNetConfig, branches: [PrimaryCapsuleBranch], lexical: LexicalCapsules?,
                         classCapsules: ClassCapsules, decoderInput: MaskedCapsuleLinear?,
                         decoderLayers: [Linear]) -> [LayerDescription] {
        var rows: [LayerDescription] = []
        for branch in branches {
            let conv = branch.conv, primary = branch.primary
            // "primary_caps" for the reference's one branch, "primary_caps_3gram" among several.
            let suffix = branches.count == 1 ? "" : "_\(conv.ngram)gram"
            let pooling = branch.pool.map { ", max over \($0.outputPositions) of \($0.inputPositions) positions" } ?? ""
            rows.append(LayerDescription("\(conv.name) (Conv2d \(conv.ngram)×\(conv.dimension), ReLU)",
                                         [conv.filters, conv.positions], [conv.weight, conv.bias]))
            rows.append(LayerDescription("primary_caps\(suffix) (Conv2d \(primary.kernel)×1 /\(primary.stride)\(pooling), squash)",
                                         [branch.capsules, config.primaryDimension], [primary.weight, primary.bias]))
        }
        if let lexical {
            let orders = lexical.ngrams == 1 ? "1" : "1–\(lexical.ngrams)"
            let view = config.lexicalLength > 0 ? " of the first \(config.lexicalLength) tokens" : ""
            let dropout = config.lexicalDropout > 0 ? ", bag dropout \(config.lexicalDropout)" : ""
            rows.append(LayerDescription("lexical_caps (hashed \(orders)-grams\(view), \(lexical.buckets) buckets × \(lexical.width)\(dropout), \(lexical.pooling == .mean ? "mean" : "sum/√n"), squash)",
                                         [lexical.capsules, config.primaryDimension], [lexical.table]))
        }
        rows += [
            LayerDescription("class_caps (\(routingName(classCapsules)))",
                             [classCapsules.classes, classCapsules.outDimension], [classCapsules.weight]),
            LayerDescription("lengths (‖v‖)", [classCapsules.classes], []),
        ]
        guard let first = decoderInput else { return rows }
        let decoder: [(name: String, role: String, tensors: [ParameterTensor], width: Int)] =
            [(first.name, "Linear, masked", [first.weight, first.bias], first.outFeatures)]
            + decoderLayers.map { ($0.name, "Linear", [$0.weight, $0.bias], $0.outFeatures) }
        for (index, layer) in decoder.enumerated() {
            let isLast = index == decoder.count - 1
            let activation = isLast ? config.decoderActivation.rawValue : "ReLU"
            rows.append(LayerDescription("\(layer.name) (\(layer.role), \(activation))",
                                         isLast ? [config.maxLength, config.dimension] : [layer.width],
                                         layer.tensors))
        }
        return rows
    }
}

/// "routing ×3" for the reference's dynamic routing, "leaky routing ×3",
/// "static routing"; ", k = C" when the coupling is scaled by the class count.
private func routingName(_ layer: ClassCapsules) -> String {
    let scale = layer.couplingScale == 1 ? "" : ", k = C"
    switch layer.scheme {
    case .dynamic: return "routing ×\(layer.routings)" + scale
    case .leaky: return "leaky routing ×\(layer.routings)" + scale
    case .static: return "static routing" + scale
    }
}
