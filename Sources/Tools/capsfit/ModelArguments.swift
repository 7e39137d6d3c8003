import ArgumentParser
import CapsNet
import ToolSupport

/// capsfit's model flags: one per field of `CapsNetConfig.settings` that the
/// user sets (classes, max_len and dim come from the data). Each takes its
/// help and default from that declaration and is applied through it, so a
/// line here is only a name: the camel-case spelling of the setting's flag
/// (the end-to-end tests check that the two lists agree).
struct ModelArguments: ParsableArguments {
    @Option(help: help("ngram")) var ngram: String?
    @Option(help: help("filters")) var filters: String?
    @Option(help: help("primary_channels")) var primaryChannels: String?
    @Option(help: help("primary_dim")) var primaryDim: String?
    @Option(help: help("primary_kernel")) var primaryKernel: String?
    @Option(help: help("primary_stride")) var primaryStride: String?
    @Option(help: help("position_pool")) var positionPool: String?
    @Option(help: help("buckets")) var buckets: String?
    @Option(help: help("lexical_ngrams")) var lexicalNgrams: String?
    @Option(help: help("lexical_capsules")) var lexicalCapsules: String?
    @Option(help: help("lexical_dropout")) var lexicalDropout: String?
    @Option(help: help("lexical_pool")) var lexicalPool: String?
    @Option(help: help("class_dim")) var classDim: String?
    @Option(help: help("routings")) var routings: String?
    @Option(help: help("routing")) var routing: String?
    @Option(help: help("coupling_scale")) var couplingScale: String?
    @Option(help: help("decoder_hidden")) var decoderHidden: String?
    @Option(help: help("decoder_activation")) var decoderOutput: String?
    @Option(help: help("lam_recon")) var lamRecon: String?
    @Option(help: help("m_plus")) var mPlus: String?
    @Option(help: help("m_minus")) var mMinus: String?
    @Option(help: help("lambda")) var lambda: String?
    @Option(help: help("dropout")) var dropout: String?

    /// The reference design with every given flag applied (classes, max_len
    /// and dim are set from the data later).
    func configuration() throws -> CapsNetConfig {
        var config = CapsNetConfig(classes: 1)
        try SettingFlags.apply(self, to: &config, settings: CapsNetConfig.settings)
        return config
    }

    private static func help(_ name: String) -> ArgumentHelp {
        SettingFlags.help(name, in: CapsNetConfig.settings, defaults: CapsNetConfig(classes: 1))
    }
}
