import CapsArtifacts
import CapsKit
import CapsNet
import CapsReports
import CapsStorage
import Foundation

/// Small trained models for the scoring and export tests. The synthetic
/// embedded file (`SyntheticData`, vocabulary `<pad> <unk> w2 … w19`) carries
/// the tokenizer attributes `embed` copies from the tokens file
/// (`tokens_lowercase`, `tokens_normalize`, `tokens_char_level`,
/// `tokens_max_len`), so the model can tokenize raw text itself and the
/// words `w2 … w19` map to the same ids as in the file.
public enum ScoringFixture {
    public static func config(decoder: Bool) -> CapsNetConfig { SyntheticData.smallConfig(decoder: decoder) }

    /// Writes the embedded file with tokenizer attributes; returns its labels and ids.
    @discardableResult
    public static func embeddedFile(at path: String, shape: SyntheticData.Shape = SyntheticData.Shape(),
                             seed: UInt64 = 7) throws -> (labels: [Int32], ids: [Int32]) {
        // SyntheticData writes through the real tokens/embedded writers, which
        // record the tokenizer settings (lowercase, NFKC, word level, max_len).
        try SyntheticData.write(to: path, shape: shape, seed: seed)
    }

    /// Options that train the synthetic data in well under a second: batch
    /// 10, lr 0.01, a 20% validation split whose best epoch is kept, 1 thread.
    public static func smallOptions(epochs: Int, seed: UInt64) -> TrainingOptions {
        var options = TrainingOptions()
        options.epochs = epochs
        options.batchSize = 10
        options.learningRate = 0.01
        options.validation = .split(0.2)
        options.keep = .best
        options.seed = seed
        options.threads = 1
        return options
    }

    /// Trains a model on `input` for a few epochs (well under a second).
    public static func train(input: String, output: String, fineTune: Bool = false, decoder: Bool = true,
                      epochs: Int = 4, ensemble: Int = 1,
                      configure: (inout CapsNetConfig) -> Void = { _ in }) throws {
        var config = config(decoder: decoder)
        configure(&config)
        var options = smallOptions(epochs: epochs, seed: 5)
        options.fineTuneEmbeddings = fineTune
        options.ensemble = ensemble
        try Trainer(inputPath: input, outputPath: output, config: config, options: options,
                    commandLine: "test").run()
    }

    /// Lengths [N, C] computed directly: a network built from the model
    /// file's configuration and weights (of member `member`, 0-based, in an
    /// ensemble), fed all of `x` [N, L, D] (and `tokens` [N, L], for lexical capsules) at once.
    public static func directLengths(model path: String, x: [Float], tokens: [Int32]? = nil, member: Int = 0) throws -> [Float] {
        let model = try ModelFile.read(from: path)
        let n = x.count / (model.config.maxLength * model.config.dimension)
        let network = try CapsuleNetwork(config: model.config, maxBatch: n, seed: 99)
        try network.parameters.set(contentsOf: model.members[member].weights)
        return try network.infer(x: x, tokens: tokens)
    }

    /// x [ids.count, D]: rows of `table` [V, D] picked by `ids`.
    public static func gather(ids: [Int32], table: [Float], dimension: Int) -> [Float] {
        ids.flatMap { table[(Int($0) * dimension)..<((Int($0) + 1) * dimension)] }
    }
}
