import ArgumentParser
import CapsCore
import CapsNet
import ToolSupport

/// capsfit's model flags: one per field of `CapsNetConfig.settings` that the
/// user sets (classes, max_len and dim come from the data). Each flag takes
/// its help and default from that declaration, and is applied through it, so
/// a flag here is only a name: the property must be the camel-case spelling
/// of the setting's flag (a test checks the two lists agree).
struct ModelArguments: ParsableArguments {
    @Option(help: help("ngram")) var ngram: String?
    @Option(help: help("filters")) var filters: String?
    @Option(help: help("primary_channels")) var primaryChannels: String?
    @Option(help: help("primary_dim")) var primaryDim: String?
    @Option(help: help("primary_kernel")) var primaryKernel: String?
    @Option(help: help("primary_stride")) var primaryStride: String?
    @Option(help: help("class_dim")) var classDim: String?
    @Option(help: help("routings")) var routings: String?
    @Option(help: help("decoder_hidden")) var decoderHidden: String?
    @Option(help: help("decoder_activation")) var decoderOutput: String?
    @Option(help: help("lam_recon")) var lamRecon: String?
    @Option(help: help("m_plus")) var mPlus: String?
    @Option(help: help("m_minus")) var mMinus: String?
    @Option(help: help("lambda")) var lambda: String?
    @Option(help: help("dropout")) var dropout: String?

    /// The configuration these flags describe: the reference design with
    /// every given flag applied (classes, max_len and dim are set from the data later).
    func configuration() throws -> CapsNetConfig {
        var config = CapsNetConfig(classes: 1)
        for (flag, text) in SettingFlags.given(in: self) {
            guard let setting = CapsNetConfig.settings.first(where: { $0.isFlag && $0.flag == flag }) else {
                preconditionFailure("ModelArguments.\(flag) has no setting in CapsNetConfig.settings")
            }
            do {
                try setting.parse(text, into: &config)
            } catch let error as SettingError {
                throw ValidationError(error.description)
            }
        }
        return config
    }

    private static func help(_ name: String) -> ArgumentHelp {
        guard let setting = CapsNetConfig.settings.first(where: { $0.name == name }) else {
            preconditionFailure("no setting \(name) in CapsNetConfig.settings")
        }
        return ArgumentHelp(setting.helpText(defaults: CapsNetConfig(classes: 1)), valueName: setting.flag)
    }
}
