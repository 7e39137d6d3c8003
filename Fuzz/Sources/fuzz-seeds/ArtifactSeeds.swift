import CapsArtifacts
import CapsKit
import CapsNet
import CapsText
import CapsVectors
import Foundation

/// Small artifacts written by the real writers (tokens, embedded, a trained
/// model with its checkpoint, and an ensemble), read back as seed bytes.
enum ArtifactSeeds {
    static func make() throws -> (tokens: [[UInt8]], embedded: [[UInt8]], models: [[UInt8]]) {
        let dir = NSTemporaryDirectory() + "capsfuzz-seeds-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))) }

        // The tokens sample of the artifact tests: multi-label, an unseen label, CJK and emoji.
        let sample = try tokens(rows: [[2, 3], [4, 5, 1], [2, 2, 3, 4]], labels: [1, -1, 0], maxLength: 4,
                                allLabels: LabelLists([[1], [-1], [0, 1]]))
        try sample.write(to: dir + "/sample.tokens.h5")
        let unlabeled = try tokens(rows: [[2], [3, 4, 5]], labels: nil, maxLength: 4, allLabels: nil)
        try unlabeled.write(to: dir + "/unlabeled.tokens.h5")
        // Enough labelled rows to train on: 20 documents of 6 tokens.
        var rows: [[Int32]] = []
        for i in 0..<20 { rows.append((0..<(2 + i % 5)).map { (k: Int) -> Int32 in Int32(2 + (i + k) % 6) }) }
        let trainable = try tokens(rows: rows, labels: (0..<20).map { Int32($0 % 2) }, maxLength: 6, allLabels: nil)

        for (name, file) in [("sample", sample), ("train", trainable)] {
            let table = EmbeddingTableBuilder(vocabulary: file.vocabulary.tokens, counts: file.vocabulary.counts, seed: 3)
                .buildRandom(dim: 4)
            try EmbeddedFile.write(tokens: file, table: table, settings: EmbeddingSettings(seed: 3),
                                   provenance: Provenance(tool: "embed", command: "fuzz-seeds"), to: dir + "/\(name).emb.h5")
        }

        var config = CapsNetConfig(classes: 2)
        config.ngrams = [2]
        config.filters = 4
        config.primaryChannels = 8
        config.primaryKernel = 3
        config.primaryStride = 2
        config.classDimension = 4
        config.decoderHidden = [8, 8]
        config.reconstructionWeight = 0.1
        var options = TrainingOptions()
        options.epochs = 1
        options.batchSize = 4
        options.validation = .split(0.2)
        options.threads = 1
        options.fineTuneEmbeddings = true
        _ = try Trainer(inputPath: dir + "/train.emb.h5", outputPath: dir + "/model.h5", config: config,
                        options: options, commandLine: "fuzz-seeds").run()
        options.ensemble = 2
        options.fineTuneEmbeddings = false
        config.reconstructionWeight = 0
        _ = try Trainer(inputPath: dir + "/train.emb.h5", outputPath: dir + "/ensemble.h5", config: config,
                        options: options, commandLine: "fuzz-seeds").run()

        return (tokens: [try bytes("sample.tokens.h5"), try bytes("unlabeled.tokens.h5")],
                embedded: [try bytes("sample.emb.h5"), try bytes("train.emb.h5")],
                models: [try bytes("model.h5"), try bytes("ensemble.h5")])
    }

    /// A tokens file over `<pad> <unk> the cat 猫 🐱 dog a` with `rows` padded to `maxLength`.
    static func tokens(rows: [[Int32]], labels: [Int32]?, maxLength: Int, allLabels: LabelLists?) throws -> TokensFile {
        let vocabulary = try Vocabulary(tokens: ["<pad>", "<unk>", "the", "cat", "猫", "🐱", "dog", "a"],
                                        counts: [0, 0, 9, 5, 3, 2, 2, 1])
        var statistics = CorpusStatistics()
        statistics.documents = rows.count
        statistics.tokens = rows.map(\.count).reduce(0, +)
        statistics.vocabularySize = vocabulary.count
        if let labels {
            statistics.labelCounts = ["neg": labels.filter { $0 == 0 }.count, "pos": labels.filter { $0 == 1 }.count]
            let unseen = labels.filter { $0 == -1 }.count
            if unseen > 0 { statistics.unseenLabels = ["odd": unseen] }
        } else {
            statistics.unlabeledDocuments = rows.count
        }
        let ids = rows.flatMap { $0 + [Int32](repeating: 0, count: maxLength - $0.count) }
        return TokensFile(ids: ids, lengths: rows.map { Int32($0.count) }, labels: labels, allLabels: allLabels,
                          labelNames: labels == nil ? [] : ["neg", "pos"], vocabulary: vocabulary,
                          trainVocabularySize: 7,
                          settings: TokenizationSettings(tokenizer: TokenizerOptions(), maxLength: maxLength),
                          source: "seed.tsv", sourceSHA256: String(repeating: "ab", count: 32),
                          statistics: statistics, provenance: Provenance(tool: "tokenize", command: "fuzz-seeds"))
    }
}
