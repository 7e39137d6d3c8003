extension CapsuleNetwork {
    /// Everything the configuration determines, declared without allocating
    /// anything: the layers, the parameter layout, and the network's own
    /// activation tensors (declared, with the layers' scratch, in `workspace`,
    /// whose layout then lists them all). `init` and the static layouts are
    /// both built here, so they can never disagree.
    struct Architecture {
        let branches: [PrimaryCapsuleBranch]
        let lexical: LexicalCapsules?
        let classCapsules: ClassCapsules
        let decoderInput: MaskedCapsuleLinear?
        let decoderLayers: [Linear]
        let parameters: ParameterLayout
        let tensors: Tensors

        /// The network's own tensors (see the views in `CapsuleNetwork`; each
        /// branch holds its own).
        struct Tensors {
            var primaryCaps: ActivationTensor
            var classCaps: ActivationTensor, lengths: ActivationTensor
            var decoderOut: [ActivationTensor]
            var primaryCapsGrad: ActivationTensor
            var classCapsGrad: ActivationTensor, lengthsGrad: ActivationTensor
            var decoderGrad: [ActivationTensor]
        }

        /// The names of the branch of n among `ngrams`: the reference's
        /// ("conv1", "primarycaps.conv2d") for a single branch, else with the
        /// n-gram in them ("conv1_3gram", "primarycaps_3gram.conv2d").
        static func branchNames(ngram: Int, ngrams: [Int]) -> (conv: String, primary: String) {
            ngrams.count == 1 ? ("conv1", "primarycaps.conv2d") : ("conv1_\(ngram)gram", "primarycaps_\(ngram)gram.conv2d")
        }

        /// Validates `config` and declares every parameter (in buffer order:
        /// each branch's conv1 and primary conv, the lexical buckets, class
        /// capsules, decoder) and
        /// every activation for `workspace.maxBatch` samples, in forward order.
        init(config: CapsNetConfig, workspace: ActivationStore) throws {
            try config.validate()
            let B = workspace.maxBatch
            guard B >= 1 else { throw CapsNetError.invalidBatchSize(batch: B, maxBatch: B) }
            let L = config.maxLength, D = config.dimension, I = config.primaryDimension, N = config.primaryCapsules
            let C = config.classes, O = config.classDimension

            var layout = ParameterLayout()
            func activation(_ name: String, _ shape: [Int]) -> ActivationTensor {
                workspace.activation(name, shape: shape)
            }
            func gradient(_ tensor: ActivationTensor) -> ActivationTensor {
                workspace.gradient(tensor.name, shape: tensor.shape)
            }

            var branches: [PrimaryCapsuleBranch] = [], offset = 0
            for n in config.ngrams {
                let names = Self.branchNames(ngram: n, ngrams: config.ngrams)
                let branch = PrimaryCapsuleBranch(convName: names.conv, primaryName: names.primary, ngram: n,
                                                  config: config, capsuleOffset: offset,
                                                  layout: &layout, workspace: workspace)
                branches.append(branch)
                offset += branch.capsules
            }
            self.branches = branches
            lexical = config.hasLexicalCapsules
                ? LexicalCapsules(config: config, capsuleOffset: offset, layout: &layout, workspace: workspace) : nil
            let primaryCaps = activation("primarycaps.u", [B, N, I])
            classCapsules = ClassCapsules(name: "digitcaps", classes: C, inCapsules: N, inDimension: I,
                                          outDimension: O, routings: config.routings, scheme: config.routing,
                                          couplingScale: config.couplingScale,
                                          layout: &layout, workspace: workspace)
            let classCaps = activation("digitcaps.v", [B, C, O])
            let lengths = activation("lengths", [B, C])
            var decoderInput: MaskedCapsuleLinear?, decoderLayers: [Linear] = []
            var decoderOut: [ActivationTensor] = []
            if config.hasDecoder {
                let widths = config.decoderHidden + [L * D]
                let first = MaskedCapsuleLinear(name: "decoder.0", classes: C, capsuleDimension: O,
                                                outFeatures: widths[0], layout: &layout)
                decoderOut.append(activation("\(first.name).out", [B, first.outFeatures]))
                for i in 1..<widths.count {
                    let layer = Linear(name: "decoder.\(2 * i)", inFeatures: widths[i - 1], outFeatures: widths[i],
                                       layout: &layout)
                    decoderOut.append(activation("\(layer.name).out", [B, layer.outFeatures]))
                    decoderLayers.append(layer)
                }
                decoderInput = first
            }
            self.decoderInput = decoderInput
            self.decoderLayers = decoderLayers
            parameters = layout

            // Gradients in the same order, one per activation that backward propagates through.
            tensors = Tensors(primaryCaps: primaryCaps, classCaps: classCaps, lengths: lengths,
                              decoderOut: decoderOut,
                              primaryCapsGrad: gradient(primaryCaps),
                              classCapsGrad: gradient(classCaps), lengthsGrad: gradient(lengths),
                              decoderGrad: decoderOut.map(gradient))
        }
    }

    /// The parameter tensors of a network of `config` — PyTorch names, shapes
    /// and offsets into the one parameter buffer, in buffer order — computed
    /// from the configuration alone, without allocating parameters or
    /// activations. It is exactly the layout of
    /// `CapsuleNetwork(config:maxBatch:seed:).parameters` (the same code
    /// builds both), so a model file's weights can be checked against it.
    /// Throws the configuration's first invalid field.
    public static func parameterLayout(for config: CapsNetConfig) throws -> ParameterLayout {
        try Architecture(config: config, workspace: ActivationStore(maxBatch: 1)).parameters
    }

    /// Every tensor of the activation workspace of a network of `config`
    /// for `maxBatch` samples (the network's activations and gradients and
    /// the layers' scratch), without allocating it: what
    /// `CapsuleNetwork(config:maxBatch:seed:).workspace.layout` will be.
    public static func activationLayout(for config: CapsNetConfig, maxBatch: Int) throws -> ActivationLayout {
        let workspace = ActivationStore(maxBatch: maxBatch)
        _ = try Architecture(config: config, workspace: workspace)
        return workspace.layout
    }
}
