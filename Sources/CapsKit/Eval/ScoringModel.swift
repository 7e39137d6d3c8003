import CapsArtifacts
import CapsCore
import CapsNet
import CapsText

/// A trained model ready to score: the model file's kept weights loaded into
/// a `CapsuleNetwork` sized for one batch, and the embedding table that turns
/// token ids into the network's [L, D] inputs. An ensemble's members take
/// turns in the one network (`lengths(of:)`), each with its own table.
public final class ScoringModel {
    /// The model file's path as given (named in errors and provenance).
    public let path: String
    public let file: ModelFile
    public let network: CapsuleNetwork
    /// The model's vocabulary: token → id, unknown tokens → `Vocabulary.unknownID`.
    public let vocabulary: Vocabulary
    /// [V, D]: the table ids are looked up in — the fine-tuned one when the
    /// embeddings were trained with the model, else the static one it was
    /// trained on. Member 1's in an ensemble.
    public var table: [Float] { tables[0] }
    /// [V, D] per member (the same static table for all when not fine-tuned).
    public let tables: [[Float]]

    /// Loads `path` and prepares a network for batches of up to `batchSize` documents.
    public init(path: String, batchSize: Int) throws {
        guard batchSize >= 1 else { throw ScoringError.invalidOption("--batch must be at least 1 (got \(batchSize))") }
        self.path = path
        let file = try ModelFile.read(from: path)
        self.file = file
        // The seed only fills weights that are overwritten at once.
        network = try CapsuleNetwork(config: file.config, maxBatch: batchSize, seed: 0)
        try network.parameters.set(contentsOf: file.weights)
        vocabulary = try Vocabulary(tokens: file.vocabulary, counts: file.vocabularyCounts)
        tables = file.members.map { $0.tunedEmbedding ?? file.embedding }
        let expected = vocabulary.count * file.config.dimension
        for table in tables where table.count != expected {
            throw ScoringError.tableSize(model: path, values: table.count, rows: vocabulary.count,
                                         dimension: file.config.dimension)
        }
        guard file.members.allSatisfy({ ($0.tunedEmbedding != nil) == (file.tunedEmbedding != nil) }) else {
            throw ArtifactError(file: path, object: "/members", message: "some members have a fine-tuned embedding table and some do not")
        }
        if file.members.count < file.ensembleSize {
            throw ScoringError.incompleteEnsemble(model: path, members: file.members.count, of: file.ensembleSize)
        }
    }

    /// Whether the embeddings were fine-tuned (`/weights/embedding.weight` present).
    public var isFineTuned: Bool { file.tunedEmbedding != nil }

    /// K: the networks whose capsule lengths are averaged (1 for a single model).
    public var memberCount: Int { file.members.count }

    public var config: CapsNetConfig { file.config }
    public var labelNames: [String] { file.labelNames }
    /// The largest batch one `infer` call takes.
    public var batchSize: Int { network.maxBatch }
}
