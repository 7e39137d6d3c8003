import ArgumentParser
import CapsKit
import ToolSupport

/// capsfit's training flags that stand for `TrainingOptions.settings`
/// fields, as `ModelArguments` does for the model: a name per line, the help,
/// default, check and conversion from the declaration.
struct TrainingArguments: ParsableArguments {
    @Option(help: help("epochs")) var epochs: String?
    @Option(help: help("patience")) var patience: String?
    @Option(help: help("batch")) var batch: String?
    @Option(help: help("lr")) var lr: String?
    @Option(help: help("lexical_lr")) var lexicalLr: String?
    @Option(help: help("lr_decay")) var lrDecay: String?
    @Option(help: help("lr_schedule")) var lrSchedule: String?
    @Option(help: help("adam_beta1")) var beta1: String?
    @Option(help: help("adam_beta2")) var beta2: String?
    @Option(help: help("adam_eps")) var eps: String?
    @Option(help: help("weight_decay")) var weightDecay: String?
    @Option(help: help("input_dropout")) var inputDropout: String?
    @Option(help: help("word_dropout")) var wordDropout: String?
    @Option(help: help("average_decay")) var averageDecay: String?
    @Option(help: help("seed")) var seed: String?
    @Option(help: help("embedding_update")) var embeddingUpdate: String?
    @Option(help: help("shuffle_buffer")) var shuffleBuffer: String?
    @Option(help: help("thread_split")) var threadSplit: String?
    @Option(help: help("ensemble")) var ensemble: String?
    @Option(help: help("class_weights")) var classWeights: String?

    /// `options` with every given flag applied.
    func apply(to options: inout TrainingOptions) throws {
        try SettingFlags.apply(self, to: &options, settings: TrainingOptions.settings)
    }

    private static func help(_ name: String) -> ArgumentHelp {
        SettingFlags.help(name, in: TrainingOptions.settings, defaults: TrainingOptions())
    }
}
