@testable import CapsArtifacts
import CapsKit
import CapsKitTestSupport
import CapsReports
import CapsText
import CapsVectors

/// Small artifacts built by hand, independent of the tools.
enum ArtifactSamples {
    /// Three documents over a 6-entry vocabulary, rows of 4, the third
    /// document with two labels and the second with an unseen label (−1).
    static func tokens(labeled: Bool = true, multiLabel: Bool = true) throws -> TokensFile {
        let vocabulary = try Vocabulary(tokens: ["<pad>", "<unk>", "the", "cat", "猫", "🐱"], counts: [0, 0, 5, 2, 1, 0])
        var statistics = CorpusStatistics()
        statistics.documents = 3
        statistics.tokens = 9
        statistics.unknownTokens = 1
        statistics.vocabularySize = 6
        statistics.truncatedDocuments = 1
        statistics.skippedLines = 2
        if labeled {
            statistics.labelCounts = ["neg": 1, "pos": 1]
            statistics.unseenLabels = ["odd": 1]
        } else {
            statistics.unlabeledDocuments = 3
        }
        let settings = TokenizationSettings(tokenizer: TokenizerOptions(normalize: false, lowercase: true, characterLevel: true),
                                            maxLength: 4, minCount: 2, maxVocabularySize: 100)
        return TokensFile(ids: [2, 3, 0, 0,
                                4, 5, 1, 0,
                                2, 2, 3, 4],
                          lengths: [2, 3, 4],
                          labels: labeled ? [1, -1, 0] : nil,
                          allLabels: labeled && multiLabel ? LabelLists([[1], [-1], [0, 1]]) : nil,
                          labelNames: labeled ? ["neg", "pos"] : [],
                          vocabulary: vocabulary, trainVocabularySize: 5, settings: settings,
                          source: "data/train.tsv", sourceSHA256: String(repeating: "ab", count: 32),
                          statistics: statistics,
                          provenance: Provenance(tool: "tokenize", command: "tokenize --char-level data/train.tsv -o t.h5"))
    }

    /// A seeded random table for `tokens`' vocabulary (row 0 zeros).
    static func table(for tokens: TokensFile, dim: Int) -> EmbeddingTable {
        EmbeddingTableBuilder(vocabulary: tokens.vocabulary.tokens, counts: tokens.vocabulary.counts, seed: 3)
            .buildRandom(dim: dim)
    }
}
