import CapsArtifacts
import CapsCore
import CapsText
import Foundation

/// What `tokenize` does: reads labelled (or plain) text, tokenises it,
/// builds or reuses a vocabulary and label set, encodes fixed-length id
/// rows and writes a tokens file (`TokensFile`).
public struct TokenizeStage: PipelineStage {
    /// The tool's options. Tokenizer and vocabulary settings are optional so
    /// that, with `vocabularyFile`, an unset one takes the file's value and a
    /// set one must agree with it.
    public struct Options: Equatable, Sendable {
        /// The text to read: a path, or `-` for standard input.
        public var input = "-"
        /// The tokens file to write.
        public var output = "out.tokens.h5"
        /// The command line recorded as provenance.
        public var command = ""
        /// How the input is read.
        public var reading = InputOptions()
        public var lowercase: Bool?
        public var normalize: Bool?
        public var characterLevel: Bool?
        /// Tokens per row; 40 unless given (or taken from `vocabularyFile`).
        public var maxLength: Int?
        /// Tokens per row of the lexical view (`/lexical_ids`, ≥ L), 0 for
        /// none; 0 unless given (or taken from `vocabularyFile`).
        public var lexicalLength: Int?
        /// Training tokens seen fewer times are `<unk>`; 1 unless given.
        public var minCount: Int64?
        /// Vocabulary size limit, `<pad>` and `<unk>` included; none unless given.
        public var maxVocabularySize: Int?
        /// A training tokens file whose vocabulary, labels and tokenizer settings are reused.
        public var vocabularyFile: String?
        /// With `vocabularyFile`: append this input's unseen tokens (count 0).
        public var extendVocabulary = false
        public var unseenLabels: UnseenLabelPolicy = .fail
        /// Write a tokens file of 0 documents for an input that holds none
        /// (empty, or blank lines only) instead of stopping with `EmptyInputError`.
        public var allowEmpty = false

        public init() {}
    }

    /// What a run produced, for the summary.
    public struct Report: CustomStringConvertible {
        public var statistics: CorpusStatistics
        /// Tokens appended by `--extend-vocab`.
        public var addedTokens: Int
        public var format: InputFormat
        public var output: String

        public var description: String {
            var lines = ["tokenize: \(statistics.documents) documents (\(format.rawValue)) → \(output)"]
            if addedTokens > 0 { lines.append("extended vocabulary: \(addedTokens) tokens added with count 0") }
            return (lines + [statistics.description]).joined(separator: "\n")
        }
    }

    public let options: Options
    public init(options: Options) { self.options = options }

    /// Tokenises the input into a tokens file. Nothing is written unless the
    /// whole run succeeds.
    public func run() throws -> Report {
        let input = options.input, output = options.output
        let provenance = Provenance(tool: "tokenize", command: options.command)
        let trainFile = try options.vocabularyFile.map { try TokensFile.read(from: $0) }
        let settings = try resolveSettings(against: trainFile)
        let readOptions = try options.reading.readOptions()

        var (reader, sha256) = try DocumentReader.openFingerprinted(input, options: readOptions)
        let labeled = InputOptions.isLabeled(readOptions, detected: reader.format)

        // One pass: each document is tokenised and interned, and only its
        // first L provisional ids and its labels are kept, so memory grows
        // with N × L, not with the text (issue 13: a million documents in 1.5 GiB).
        let tokenizer = Tokenizer(options: settings.tokenizer)
        var corpus = InternedCorpus(maxLength: settings.maxLength, lexicalLength: settings.lexicalLength)
        while let document = try reader.next() { corpus.add(tokenizer.tokenize(document)) }
        // Found here, not stages later, where an empty corpus fails far from its cause.
        if corpus.count == 0 && !options.allowEmpty { throw EmptyInputError(input: reader.source, allowedBy: "--allow-empty") }

        var vocabulary: Vocabulary, labelSet: LabelSet, trainSize: Int, added = 0
        if let trainFile {
            vocabulary = trainFile.vocabulary
            labelSet = LabelSet(trainFile.labelNames)
            trainSize = trainFile.trainVocabularySize
            if options.extendVocabulary { added = vocabulary.extend(with: corpus.tokens) }
        } else {
            vocabulary = corpus.vocabulary(minCount: settings.minCount, maxSize: settings.maxVocabularySize)
            labelSet = LabelSet(corpus.labelNames)
            trainSize = vocabulary.count
        }
        let encoded = try corpus.encode(vocabulary: vocabulary, labelSet: labeled ? labelSet : nil,
                                        unseenLabels: trainFile == nil ? .fail : options.unseenLabels,
                                        source: reader.source, reading: reader.statistics)
        let allLabels = encoded.isMultiLabel ? LabelLists(offsets: encoded.labelOffsets, indices: encoded.labelIndices) : nil
        let tokens = TokensFile(ids: encoded.ids, lengths: encoded.lengths, lexicalIds: encoded.lexicalIds, labels: labeled ? encoded.labels : nil,
                                allLabels: allLabels, labelNames: labelSet.names, vocabulary: vocabulary,
                                trainVocabularySize: trainSize, settings: settings, source: reader.source,
                                sourceSHA256: sha256, statistics: encoded.statistics, provenance: provenance)
        try tokens.write(to: output)
        return Report(statistics: encoded.statistics, addedTokens: added, format: reader.format, output: output)
    }
}
