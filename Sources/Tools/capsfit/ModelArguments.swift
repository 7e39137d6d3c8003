import ArgumentParser
import CapsNet
import Foundation

/// capsfit's model flags: every size of the network, defaults = the reference design.
/// Classes, max_len and dim come from the data, not from flags.
struct ModelArguments: ParsableArguments {
    @Option(help: "Tokens per conv1 window (the n of the n-gram).") var ngram = 4
    @Option(help: "conv1 filters.") var filters = 256
    @Option(help: "Channels of the primary-capsule convolution.") var primaryChannels = 256
    @Option(help: "Dimensions of a primary capsule.") var primaryDim = 8
    @Option(help: "Kernel height of the primary convolution (default: all conv1 positions, max-len − ngram + 1).")
    var primaryKernel: Int?
    @Option(help: "Stride of the primary convolution.") var primaryStride = 2
    @Option(help: "Dimensions of a class capsule.") var classDim = 16
    @Option(help: "Dynamic-routing iterations.") var routings = 3
    @Option(help: "Decoder hidden widths, comma-separated.") var decoderHidden = "512,1024"
    @Option(help: "Decoder output: sigmoid (as the reference) or linear (word vectors are signed).")
    var decoderOutput = "sigmoid"
    @Option(help: "Weight of the reconstruction loss; 0 removes the decoder.") var lamRecon: Float = 0.392
    @Option(help: "Margin loss m+.") var mPlus: Float = 0.9
    @Option(help: "Margin loss m−.") var mMinus: Float = 0.1
    @Option(help: "Margin loss λ (weight of absent classes).") var lambda: Float = 0.5
    @Option(help: "Dropout on conv1's output during training.") var dropout: Float = 0

    /// The configuration these flags describe (classes, max_len and dim are set from the data later).
    func configuration() throws -> CapsNetConfig {
        var config = CapsNetConfig(classes: 1)
        config.ngram = ngram
        config.filters = filters
        config.primaryChannels = primaryChannels
        config.primaryDimension = primaryDim
        config.primaryKernel = primaryKernel
        config.primaryStride = primaryStride
        config.classDimension = classDim
        config.routings = routings
        config.decoderHidden = try decoderHidden.split(separator: ",").map {
            guard let width = Int($0.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--decoder-hidden: '\($0)' is not a whole number")
            }
            return width
        }
        guard let activation = DecoderActivation(rawValue: decoderOutput) else {
            throw ValidationError("--decoder-output must be sigmoid or linear (got '\(decoderOutput)')")
        }
        config.decoderActivation = activation
        config.reconstructionWeight = lamRecon
        config.marginPositive = mPlus
        config.marginNegative = mMinus
        config.marginLambda = lambda
        config.dropout = dropout
        return config
    }
}
