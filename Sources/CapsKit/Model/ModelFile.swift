import CapsNet
import CapsStorage

/// `model.h5`, written by `capsfit` and read by `capseval`/`capsexport`:
/// a self-contained model that can score raw text by itself.
///
/// Layout:
/// - root attributes: `format` = "capskit.model", `format_version` = 1; the
///   configuration (`CapsNetConfig.attributes`); the training options and
///   provenance (tool, version, command, input and its SHA-256, seed…);
///   `best_epoch`, `best_val_acc`, `epochs_completed`; the tokenizer options
///   of the data (`tokens_*`), so raw text is tokenized exactly as in training.
/// - `/weights/<name>` float32 in PyTorch names and layouts (`conv1.weight`
///   [F,1,ngram,D], …, `digitcaps.weight` [C,N,16,8], `decoder.*`): the kept
///   weights (best validation epoch or last, see attribute `keep`);
///   `/weights/embedding.weight` [V,D] when the embeddings were fine-tuned.
/// - `/vocab` string [V], `/vocab_counts` int64 [V], `/label_names` string [C],
///   `/embedding` float32 [V,D]: the input's vocabulary and static table.
/// - `/history/<column>` float64 [epochs]: see `EpochRecord.columns`.
/// - `/checkpoint`: the state `--resume` continues from — `parameters`,
///   `adam_m`, `adam_v` float32 [P] (buffer order of `/weights`),
///   embedding `table`/`adam_m`/`adam_v` when fine-tuning; attributes `step`,
///   `epoch` (completed), `batch` (batches done in the next epoch, > 0 after
///   an interruption), `lr`, running sums of the interrupted epoch, `best_*`.
public struct ModelFile {
    public static let format = "capskit.model"
    public static let formatVersion: Int64 = 1

    public var config: CapsNetConfig
    /// Parameter names and shapes, in buffer order.
    public var tensors: [ParameterTensor]
    /// The kept weights [P] in buffer order.
    public var weights: [Float]
    /// The fine-tuned table [V, D], if trained.
    public var tunedEmbedding: [Float]?
    public var vocabulary: [String]
    public var vocabularyCounts: [Int64]
    public var labelNames: [String]
    /// The input's static table [V, D].
    public var embedding: [Float]
    public var history: TrainingHistory
    public var checkpoint: Checkpoint?
    /// Options, provenance and tokenizer settings, written as root attributes.
    public var attributes: [(String, H5AttributeValue)]

    public init(config: CapsNetConfig, tensors: [ParameterTensor], weights: [Float], tunedEmbedding: [Float]?,
                vocabulary: [String], vocabularyCounts: [Int64], labelNames: [String], embedding: [Float],
                history: TrainingHistory, checkpoint: Checkpoint?, attributes: [(String, H5AttributeValue)]) {
        self.config = config; self.tensors = tensors; self.weights = weights; self.tunedEmbedding = tunedEmbedding
        self.vocabulary = vocabulary; self.vocabularyCounts = vocabularyCounts; self.labelNames = labelNames
        self.embedding = embedding; self.history = history; self.checkpoint = checkpoint; self.attributes = attributes
    }

    /// A root attribute by name, from `attributes`.
    public func attribute(_ name: String) -> H5AttributeValue? { attributes.first { $0.0 == name }?.1 }

    /// The kept value of the tensor called `name`.
    public func weight(_ name: String) -> [Float]? {
        guard let tensor = tensors.first(where: { $0.name == name }) else { return nil }
        return Array(weights[tensor.offset..<(tensor.offset + tensor.count)])
    }

    // MARK: - Writing

    /// Writes the file atomically: a temporary name, renamed onto `path` when complete.
    public func write(to path: String) throws {
        let output = try AtomicOutput(destination: path)
        do {
            let file = try H5File.create(at: output.temporaryPath)
            try file.setAttribute("format", .string(Self.format))
            try file.setAttribute("format_version", .int(Self.formatVersion))
            for (name, value) in config.attributes + attributes { try file.setAttribute(name, value) }
            for tensor in tensors {
                try file.write(Array(weights[tensor.offset..<(tensor.offset + tensor.count)]), shape: tensor.shape,
                               to: "/weights/\(tensor.name)")
            }
            let D = config.dimension
            if let tunedEmbedding {
                try file.write(tunedEmbedding, shape: [tunedEmbedding.count / D, D], to: "/weights/embedding.weight")
            }
            try file.write(strings: vocabulary, to: "/vocab")
            try file.write(vocabularyCounts, shape: [vocabularyCounts.count], to: "/vocab_counts")
            try file.write(strings: labelNames, to: "/label_names")
            try file.write(embedding, shape: [embedding.count / D, D], to: "/embedding",
                           options: H5WriteOptions(chunkRows: 1024, deflateLevel: 1))
            try file.createGroup("/history")
            for (column, name) in EpochRecord.columns.enumerated() {
                try file.write(history.records.map { $0.values[column] }, shape: [history.records.count],
                               to: "/history/\(name)")
            }
            if let checkpoint { try checkpoint.write(to: file) }
            try file.close()
            try output.commit()
        } catch {
            output.discard()
            throw error
        }
    }

    // MARK: - Reading

    /// Reads a model file; `withCheckpoint` also loads the resume state.
    public static func read(from path: String, withCheckpoint: Bool = false) throws -> ModelFile {
        let file = try H5File.open(at: path)
        let format = try file.attribute("format")?.stringValue
        guard format == Self.format else {
            throw TrainingError.mismatch("\(path): not a model file (attribute format = \(format.map { "'\($0)'" } ?? "missing"), expected '\(Self.format)'; train one with capsfit)")
        }
        let version = try file.requireInt("format_version")
        guard version == Self.formatVersion else {
            throw TrainingError.mismatch("\(path): model format version \(version); this capsfit reads version \(Self.formatVersion)")
        }
        let config = try CapsNetConfig(attributesOf: file)
        // The layout comes from the model class itself, so names and shapes are checked, not trusted.
        let layout = try CapsuleNetwork(config: config, maxBatch: 1, seed: 0).parameters
        var weights = [Float](repeating: 0, count: layout.count)
        for tensor in layout.tensors {
            let values = try file.read(Float.self, from: "/weights/\(tensor.name)", shape: tensor.shape.map { $0 }).values
            weights.replaceSubrange(tensor.offset..<(tensor.offset + tensor.count), with: values)
        }
        let vocabulary = try file.readStrings(from: "/vocab")
        let D = config.dimension
        let tuned = file.contains("/weights/embedding.weight")
            ? try file.read(Float.self, from: "/weights/embedding.weight", shape: [nil, D]).values : nil
        var records: [EpochRecord] = []
        let columns = try EpochRecord.columns.map { try file.read(Double.self, from: "/history/\($0)").values }
        for row in 0..<(columns.first?.count ?? 0) { records.append(EpochRecord(values: columns.map { $0[row] })) }
        var attributes: [(String, H5AttributeValue)] = []
        let configNames = Set(config.attributes.map(\.0) + ["format", "format_version"])
        for name in try file.attributeNames() where !configNames.contains(name) {
            if let value = try file.attribute(name) { attributes.append((name, value)) }
        }
        let checkpoint = withCheckpoint && file.contains("/checkpoint") ? try Checkpoint(from: file) : nil
        return ModelFile(config: config, tensors: layout.tensors, weights: weights, tunedEmbedding: tuned,
                         vocabulary: vocabulary,
                         vocabularyCounts: try file.read(Int64.self, from: "/vocab_counts", shape: [vocabulary.count]).values,
                         labelNames: try file.readStrings(from: "/label_names"),
                         embedding: try file.read(Float.self, from: "/embedding", shape: [vocabulary.count, D]).values,
                         history: TrainingHistory(records: records), checkpoint: checkpoint, attributes: attributes)
    }
}
