import CapsNet
import CapsStorage

/// `model.h5`, written by `capsfit` and read by `capseval`/`capsexport`:
/// a self-contained model that can score raw text by itself.
///
/// Layout:
/// - root attributes: the header (`format` = "capskit.model",
///   `format_version` = 1, `tool` = "capsfit", `tool_version`, `command`);
///   the configuration (`ModelSchema`: `classes`, `max_len`, `dim`, `ngram`, …);
///   the training options (`TrainingSchema`: `epochs`, `batch`, `lr`, …);
///   `input` and `input_sha256`; `epochs_completed`, `best_epoch`,
///   `best_val_acc`; and every root attribute of the embedded input with the
///   prefix `data_` — so `data_tokens_lowercase`, `data_tokens_char_level`,
///   `data_tokens_max_len` … give the tokenizer settings to repeat on raw text.
/// - `/weights/<name>` float32 in PyTorch names and layouts (`conv1.weight`
///   [F, 1, n, D], …, `digitcaps.weight` [C, N, O, I], `decoder.*`): the kept
///   weights (best validation epoch or last, see attribute `keep`);
///   `/weights/embedding.weight` [V, D] when the embeddings were fine-tuned.
/// - `/vocab` string [V], `/vocab_counts` int64 [V], `/label_names` string [C],
///   `/embedding` float32 [V, D]: the input's vocabulary and static table.
/// - `/history/<column>` float64 [epochs]: see `EpochRecord.columns` (NaN = not measured).
/// - `/checkpoint`: the state `--resume` continues from (see `Checkpoint`).
public struct ModelFile {
    /// The layout this type reads and writes.
    public static let format = ArtifactFormat(name: "capskit.model", version: 1)

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
    /// Who wrote the file.
    public var provenance: Provenance
    /// Every other root attribute (options, input, data settings), by name.
    public var attributes: [(String, H5AttributeValue)]

    public init(config: CapsNetConfig, tensors: [ParameterTensor], weights: [Float], tunedEmbedding: [Float]?,
                vocabulary: [String], vocabularyCounts: [Int64], labelNames: [String], embedding: [Float],
                history: TrainingHistory, checkpoint: Checkpoint?, provenance: Provenance,
                attributes: [(String, H5AttributeValue)]) {
        self.config = config; self.tensors = tensors; self.weights = weights; self.tunedEmbedding = tunedEmbedding
        self.vocabulary = vocabulary; self.vocabularyCounts = vocabularyCounts; self.labelNames = labelNames
        self.embedding = embedding; self.history = history; self.checkpoint = checkpoint
        self.provenance = provenance; self.attributes = attributes
    }

    /// A root attribute by name, from `attributes`.
    public func attribute(_ name: String) -> H5AttributeValue? { attributes.first { $0.0 == name }?.1 }

    /// The kept value of the tensor called `name`.
    public func weight(_ name: String) -> [Float]? {
        guard let tensor = tensors.first(where: { $0.name == name }) else { return nil }
        return Array(weights[tensor.offset..<(tensor.offset + tensor.count)])
    }

    // MARK: - Writing

    /// Writes the file all-or-nothing (see `ArtifactWriter`).
    public func write(to path: String) throws {
        try ArtifactWriter.write(Self.format, provenance: provenance, to: path) { file in
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
        }
    }

    // MARK: - Reading

    /// Reads a model file; `withCheckpoint` also loads the resume state.
    public static func read(from path: String, withCheckpoint: Bool = false) throws -> ModelFile {
        let file = try H5File.open(at: path)
        defer { try? file.close() }
        try file.requireFormat(Self.format)
        let config = try CapsNetConfig(attributesOf: file)
        // The layout comes from the model class itself, so names and shapes are checked, not trusted.
        let layout = try CapsuleNetwork.parameterLayout(for: config)
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
        let provenance = try Provenance(file: file)
        let configNames = Set(config.attributes.map(\.0) + ArtifactFormat.headerAttributeNames)
        for name in try file.attributeNames() where !configNames.contains(name) {
            if let value = try file.attribute(name) { attributes.append((name, value)) }
        }
        let checkpoint = withCheckpoint && file.contains("/checkpoint") ? try Checkpoint(from: file) : nil
        return ModelFile(config: config, tensors: layout.tensors, weights: weights, tunedEmbedding: tuned,
                         vocabulary: vocabulary,
                         vocabularyCounts: try file.read(Int64.self, from: "/vocab_counts", shape: [vocabulary.count]).values,
                         labelNames: try file.readStrings(from: "/label_names"),
                         embedding: try file.read(Float.self, from: "/embedding", shape: [vocabulary.count, D]).values,
                         history: TrainingHistory(records: records), checkpoint: checkpoint,
                         provenance: provenance, attributes: attributes)
    }
}
