import CapsCore

extension CapsuleNetwork {
    /// Draws every parameter from `generator`, in buffer order, with PyTorch's
    /// default schemes: convolution and linear weights and biases
    /// U(−1/√fan_in, 1/√fan_in) (kaiming-uniform with a = √5 gives exactly this
    /// bound for the weights), class-capsule weights 0.01·N(0, 1).
    public func initializeParameters(using generator: inout SeededGenerator) {
        func uniform(_ tensor: ParameterTensor, fanIn: Int) {
            let bound = 1 / Float(fanIn).squareRoot()
            let p = parameters.value(tensor)
            for i in 0..<tensor.count { p[i] = generator.uniform(-bound, bound) }
        }
        let convFanIn = conv1.ngram * conv1.dimension
        uniform(conv1.weight, fanIn: convFanIn)
        uniform(conv1.bias, fanIn: convFanIn)
        let primaryFanIn = primaryCapsules.inChannels * primaryCapsules.kernel
        uniform(primaryCapsules.weight, fanIn: primaryFanIn)
        uniform(primaryCapsules.bias, fanIn: primaryFanIn)
        let w = parameters.value(classCapsules.weight)
        for i in 0..<classCapsules.weight.count { w[i] = 0.01 * generator.normal() }
        if let first = decoderInput {
            let fanIn = first.classes * first.capsuleDimension
            uniform(first.weight, fanIn: fanIn)
            uniform(first.bias, fanIn: fanIn)
        }
        for layer in decoderLayers {
            uniform(layer.weight, fanIn: layer.inFeatures)
            uniform(layer.bias, fanIn: layer.inFeatures)
        }
    }
}
