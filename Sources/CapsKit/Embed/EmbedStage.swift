import CapsArtifacts
import CapsCore
import CapsVectors

/// What `embed` does: builds the embedding table of a tokens file's
/// vocabulary (from a pretrained vector file, or at random) and writes the
/// embedded file (`EmbeddedFile`) with one L × D matrix per document.
public struct EmbedStage: PipelineStage {
    public struct Options: Equatable, Sendable {
        /// The tokens file to embed.
        public var input = "in.tokens.h5"
        /// The embedded file to write.
        public var output = "out.emb.h5"
        /// The command line recorded as provenance.
        public var command = ""
        /// A word-vector file (GloVe or word2vec text, word2vec binary, any gzip'd).
        public var vectorsPath: String?
        /// The vector file's layout, or nil to detect it from the content.
        public var vectorsFormat: VectorFormat?
        /// D: without vectors 200 unless given; with vectors, the file's, which a given D must match.
        public var dim: Int?
        public var oov: OOVPolicy = .kim2014
        public var seed: UInt64 = 1
        /// Embed a tokens file of 0 documents (`tokenize --allow-empty`)
        /// instead of stopping with `EmptyInputError`.
        public var allowEmpty = false

        public init() {}
    }

    /// The dimension of random vectors when no file and no `--dim` is given.
    public static let defaultRandomDim = 200

    public let options: Options
    /// Makes the progress reporter for a run over N documents (none by default).
    public var progress: (Int) -> ProgressReporter? = { _ in nil }
    public init(options: Options) { self.options = options }

    /// Embeds the tokens file into the embedded file; returns the coverage
    /// report. Nothing is written unless the whole run succeeds.
    public func run() throws -> EmbeddingReport {
        let input = options.input, output = options.output
        let provenance = Provenance(tool: "embed", command: options.command)
        if let dim = options.dim, dim < 1 { throw OptionError("--dim \(dim): expected at least 1") }
        if case .uniform(let bound) = options.oov, !(bound > 0 && bound.isFinite) {
            throw OptionError("--oov-bound \(bound): expected a positive number")
        }
        let tokens = try TokensFile.read(from: input)
        if tokens.count == 0 && !options.allowEmpty { throw EmptyInputError(input: input, allowedBy: "--allow-empty") }
        // Token coverage is over this file's own tokens: the vocabulary's
        // counts are the training file's, even in a test file tokenized with --vocab.
        var occurrences = [Int64](repeating: 0, count: tokens.vocabulary.count)
        for id in tokens.ids where id > 0 { occurrences[Int(id)] += 1 }
        let builder = EmbeddingTableBuilder(vocabulary: tokens.vocabulary.tokens, counts: occurrences,
                                            oovPolicy: options.oov, seed: options.seed)
        var settings = EmbeddingSettings(oov: options.oov, seed: options.seed)
        let table: EmbeddingTable
        if let path = options.vectorsPath {
            // Hash the file on a second core while the scan parses it: both read
            // all of it, and for GloVe-sized files each takes seconds.
            let hash = BackgroundFileHash(path: path)
            table = try builder.build(vectorFile: path, format: options.vectorsFormat, dim: options.dim)
            settings.vectorsPath = path
            settings.vectorsSHA256 = try hash.value()
            settings.vectorsFormat = table.report.file?.format
            settings.oov = table.report.oovPolicy  // `.matched` resolved to its bound
        } else {
            if options.oov == .matched {
                throw OptionError("--oov matched needs --vectors: the bound is matched to the pretrained vectors")
            }
            guard case .uniform(let bound) = options.oov else {
                throw OptionError("--oov zero without --vectors would make every vector zero; give --vectors or use --oov uniform")
            }
            if options.vectorsFormat != nil { throw OptionError("--vectors-format needs --vectors FILE") }
            table = builder.buildRandom(dim: options.dim ?? Self.defaultRandomDim, bound: bound)
        }
        let reporter = progress(tokens.count)
        try EmbeddedFile.write(tokens: tokens, table: table, settings: settings, provenance: provenance,
                               to: output, progress: reporter)
        reporter?.finish()
        return table.report
    }
}
