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
///
/// An ensemble (`capsfit --ensemble K`, K > 1; root attribute `ensemble` = K)
/// keeps the root attributes, `/vocab`, `/vocab_counts`, `/label_names` and
/// `/embedding` (shared: the members differ only in their seed) and stores
/// each member as a single model's `weights`, `history` and `checkpoint`
/// inside its own group `/members/<k>` (k = 1…K), whose attributes are
/// `seed` (the member's), `epochs_completed`, `best_epoch` and
/// `best_val_acc` — at the root in a single model. While an ensemble run is
/// in progress only the members begun so far are present.
public struct ModelFile {
    /// The layout this type reads and writes.
    public static let format = ArtifactFormat(name: "capskit.model", version: 1)

    public var config: CapsNetConfig
    /// Parameter names and shapes, in buffer order (the same for every member).
    public var tensors: [ParameterTensor]
    /// The trained networks: one for a single model, the members begun so
    /// far for an ensemble. Never empty.
    public var members: [ModelMember]
    /// K: the members the file is meant to hold (root attribute `ensemble`);
    /// 1 is the single-model layout, K > 1 the `/members/<k>` layout.
    public var ensembleSize: Int
    public var vocabulary: [String]
    public var vocabularyCounts: [Int64]
    public var labelNames: [String]
    /// The input's static table [V, D].
    public var embedding: [Float]
    /// Who wrote the file.
    public var provenance: Provenance
    /// Every other root attribute (options, input, data settings), by name.
    public var attributes: [(String, H5AttributeValue)]

    /// A single model (K = 1).
    public init(config: CapsNetConfig, tensors: [ParameterTensor], weights: [Float], tunedEmbedding: [Float]?,
                vocabulary: [String], vocabularyCounts: [Int64], labelNames: [String], embedding: [Float],
                history: TrainingHistory, checkpoint: Checkpoint?, provenance: Provenance,
                attributes: [(String, H5AttributeValue)]) {
        self.init(config: config, tensors: tensors,
                  members: [ModelMember(weights: weights, tunedEmbedding: tunedEmbedding, history: history,
                                        checkpoint: checkpoint)],
                  ensembleSize: 1, vocabulary: vocabulary, vocabularyCounts: vocabularyCounts, labelNames: labelNames,
                  embedding: embedding, provenance: provenance, attributes: attributes)
    }

    /// A model of `members` out of `ensembleSize` (1…K of them present).
    public init(config: CapsNetConfig, tensors: [ParameterTensor], members: [ModelMember], ensembleSize: Int,
                vocabulary: [String], vocabularyCounts: [Int64], labelNames: [String], embedding: [Float],
                provenance: Provenance, attributes: [(String, H5AttributeValue)]) {
        precondition(!members.isEmpty && members.count <= ensembleSize, "1…\(ensembleSize) members, got \(members.count)")
        self.config = config; self.tensors = tensors; self.members = members; self.ensembleSize = ensembleSize
        self.vocabulary = vocabulary; self.vocabularyCounts = vocabularyCounts; self.labelNames = labelNames
        self.embedding = embedding; self.provenance = provenance; self.attributes = attributes
    }

    /// Whether the file has the ensemble layout (K > 1).
    public var isEnsemble: Bool { ensembleSize > 1 }

    /// The kept weights [P] of member 1 (the model itself when K = 1).
    public var weights: [Float] {
        get { members[0].weights }
        set { members[0].weights = newValue }
    }
    /// Member 1's fine-tuned table [V, D], if trained.
    public var tunedEmbedding: [Float]? {
        get { members[0].tunedEmbedding }
        set { members[0].tunedEmbedding = newValue }
    }
    /// Member 1's training history.
    public var history: TrainingHistory {
        get { members[0].history }
        set { members[0].history = newValue }
    }
    /// Member 1's resume state.
    public var checkpoint: Checkpoint? {
        get { members[0].checkpoint }
        set { members[0].checkpoint = newValue }
    }

    /// A root attribute by name, from `attributes`.
    public func attribute(_ name: String) -> H5AttributeValue? { attributes.first { $0.0 == name }?.1 }

    /// The kept value of the tensor called `name` in member `member` (0-based).
    public func weight(_ name: String, member: Int = 0) -> [Float]? {
        guard let tensor = tensors.first(where: { $0.name == name }) else { return nil }
        return Array(members[member].weights[tensor.offset..<(tensor.offset + tensor.count)])
    }

    /// The group of member `index` (0-based) in the ensemble layout: `/members/1` for the first.
    public static func memberGroup(_ index: Int) -> String { "/members/\(index + 1)" }

    // MARK: - Writing

    /// Writes the file all-or-nothing (see `ArtifactWriter`).
    public func write(to path: String) throws {
        precondition(isEnsemble || members.count == 1, "a single model has one member")
        try ArtifactWriter.write(Self.format, provenance: provenance, to: path) { file in
            for (name, value) in config.attributes + attributes { try file.setAttribute(name, value) }
            if isEnsemble && attribute("ensemble") == nil {
                try file.setAttribute("ensemble", .int(Int64(ensembleSize)))
            }
            if !isEnsemble { try writeWeights(of: members[0], in: "", to: file) }
            let D = config.dimension
            try file.write(strings: vocabulary, to: "/vocab")
            try file.write(vocabularyCounts, shape: [vocabularyCounts.count], to: "/vocab_counts")
            try file.write(strings: labelNames, to: "/label_names")
            try file.write(embedding, shape: [embedding.count / D, D], to: "/embedding",
                           options: H5WriteOptions(chunkRows: 1024, deflateLevel: 1))
            if isEnsemble {
                for (index, member) in members.enumerated() {
                    let group = Self.memberGroup(index)
                    try file.createGroup(group)
                    for (name, value) in member.attributes { try file.setAttribute(name, value, on: group) }
                    try writeWeights(of: member, in: group, to: file)
                    try writeHistory(of: member, in: group, to: file)
                    if let checkpoint = member.checkpoint { try checkpoint.write(to: file, group: group + "/checkpoint") }
                }
            } else {
                try writeHistory(of: members[0], in: "", to: file)
                if let checkpoint = members[0].checkpoint { try checkpoint.write(to: file) }
            }
        }
    }

    /// `<group>/weights/<name>` for every tensor, then the tuned table.
    private func writeWeights(of member: ModelMember, in group: String, to file: H5File) throws {
        for tensor in tensors {
            try file.write(Array(member.weights[tensor.offset..<(tensor.offset + tensor.count)]), shape: tensor.shape,
                           to: "\(group)/weights/\(tensor.name)")
        }
        let D = config.dimension
        if let tuned = member.tunedEmbedding {
            try file.write(tuned, shape: [tuned.count / D, D], to: "\(group)/weights/embedding.weight")
        }
    }

    /// `<group>/history/<column>` for every `EpochRecord` column.
    private func writeHistory(of member: ModelMember, in group: String, to file: H5File) throws {
        try file.createGroup("\(group)/history")
        for (column, name) in EpochRecord.columns.enumerated() {
            try file.write(member.history.records.map { $0.values[column] }, shape: [member.history.records.count],
                           to: "\(group)/history/\(name)")
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
        let vocabulary = try file.readStrings(from: "/vocab")
        var attributes: [(String, H5AttributeValue)] = []
        let provenance = try Provenance(file: file)
        let configNames = Set(config.attributes.map(\.0) + ArtifactFormat.headerAttributeNames)
        for name in try file.attributeNames() where !configNames.contains(name) {
            if let value = try file.attribute(name) { attributes.append((name, value)) }
        }
        let ensembleSize = Int(attributes.first { $0.0 == "ensemble" }?.1.intValue ?? 1)
        guard ensembleSize >= 1 else {
            throw ArtifactError(file: path, object: "attribute 'ensemble' on /", message: "found \(ensembleSize); expected at least 1")
        }
        var members: [ModelMember] = []
        if ensembleSize == 1 {
            members = [try readMember(in: "", of: file, layout: layout, config: config, withCheckpoint: withCheckpoint)]
        } else {
            guard file.contains("/members") else {
                throw ArtifactError(file: path, object: "group /members", message: "missing; an ensemble of \(ensembleSize) stores its members there")
            }
            let present = try file.children(of: "/members")
            let expected = (1...present.count).map(String.init)
            guard !present.isEmpty, present.count <= ensembleSize, Set(present) == Set(expected) else {
                throw ArtifactError(file: path, object: "group /members",
                                    message: "holds \(present.sorted()); expected members 1…k, k ≤ \(ensembleSize)")
            }
            for index in 0..<present.count {
                let group = memberGroup(index)
                var member = try readMember(in: group, of: file, layout: layout, config: config, withCheckpoint: withCheckpoint)
                for name in try file.attributeNames(on: group) {
                    if let value = try file.attribute(name, on: group) { member.attributes.append((name, value)) }
                }
                members.append(member)
            }
        }
        let D = config.dimension
        return ModelFile(config: config, tensors: layout.tensors, members: members, ensembleSize: ensembleSize,
                         vocabulary: vocabulary,
                         vocabularyCounts: try file.read(Int64.self, from: "/vocab_counts", shape: [vocabulary.count]).values,
                         labelNames: try file.readStrings(from: "/label_names"),
                         embedding: try file.read(Float.self, from: "/embedding", shape: [vocabulary.count, D]).values,
                         provenance: provenance, attributes: attributes)
    }

    /// The weights, tuned table, history and (optionally) checkpoint under `group` ("" = the root).
    private static func readMember(in group: String, of file: H5File, layout: ParameterLayout, config: CapsNetConfig,
                                   withCheckpoint: Bool) throws -> ModelMember {
        // Assembled from the tensors the file holds, in layout order, so a corrupt
        // configuration that implies terabytes fails at its first tensor instead of allocating them.
        var weights: [Float] = []
        for tensor in layout.tensors.sorted(by: { $0.offset < $1.offset }) {
            let values = try file.read(Float.self, from: "\(group)/weights/\(tensor.name)", shape: tensor.shape.map { $0 }).values
            guard weights.count == tensor.offset else {
                throw ArtifactError(file: file.path, object: "\(group)/weights/\(tensor.name)",
                                    message: "does not follow the previous tensor of the layout")
            }
            weights += values
        }
        let D = config.dimension
        let tunedPath = "\(group)/weights/embedding.weight"
        let tuned = file.contains(tunedPath) ? try file.read(Float.self, from: tunedPath, shape: [nil, D]).values : nil
        let records = try readHistory(in: "\(group)/history", of: file)
        let checkpointGroup = group.isEmpty ? "/checkpoint" : group + "/checkpoint"
        let checkpoint = withCheckpoint && file.contains(checkpointGroup)
            ? try Checkpoint(from: file, group: checkpointGroup) : nil
        return ModelMember(weights: weights, tunedEmbedding: tuned, history: TrainingHistory(records: records),
                           checkpoint: checkpoint)
    }
}

extension ModelFile {
    /// The epochs under `history`: one float64 column per `EpochRecord`
    /// column, all as long as `epoch`, whose values are whole epoch numbers
    /// ≥ 1 — checked, since a record is indexed by row and its epoch becomes an Int.
    static func readHistory(in history: String, of file: H5File) throws -> [EpochRecord] {
        let epochs = try file.requireShape("\(history)/\(EpochRecord.columns[0])", rank: 1)[0]
        let columns = try EpochRecord.columns.map {
            try file.read(Double.self, from: "\(history)/\($0)", shape: [epochs]).values
        }
        return try (0..<epochs).map { row in
            let epoch = columns[0][row]
            guard epoch >= 1, Int(exactly: epoch) != nil else {
                throw ArtifactError(file: file.path, object: "dataset \(history)/\(EpochRecord.columns[0])",
                                    message: "row \(row) holds \(epoch); expected a whole epoch number ≥ 1")
            }
            return EpochRecord(values: columns.map { $0[row] })
        }
    }
}

/// One trained network of a model file: the whole model when K = 1, member
/// k of an ensemble otherwise (stored in `/members/<k>`).
public struct ModelMember {
    /// The kept weights [P] in buffer order (best validation epoch or last).
    public var weights: [Float]
    /// The fine-tuned table [V, D] that goes with them, if the embeddings were trained.
    public var tunedEmbedding: [Float]?
    public var history: TrainingHistory
    public var checkpoint: Checkpoint?
    /// The member group's attributes (`seed`, `epochs_completed`, `best_epoch`,
    /// `best_val_acc`) in an ensemble; empty for a single model, whose are root attributes.
    public var attributes: [(String, H5AttributeValue)]

    public init(weights: [Float], tunedEmbedding: [Float]?, history: TrainingHistory, checkpoint: Checkpoint?,
                attributes: [(String, H5AttributeValue)] = []) {
        self.weights = weights; self.tunedEmbedding = tunedEmbedding; self.history = history
        self.checkpoint = checkpoint; self.attributes = attributes
    }

    /// A member attribute by name.
    public func attribute(_ name: String) -> H5AttributeValue? { attributes.first { $0.0 == name }?.1 }
}
