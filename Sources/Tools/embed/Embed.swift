import ArgumentParser
import ToolSupport
import CapsCore
import CapsArtifacts
import CapsKit
import CapsVectors
import Foundation

@main
struct Embed: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Turn a .tokens.h5 file into per-document L × D matrices (a .emb.h5 file).",
        discussion: """
        Each vocabulary word gets the vector of its exact spelling in --vectors, else of \
        its lower-cased spelling; other words (and <unk>) get seeded random vectors \
        uniform in [-bound, bound) (--oov uniform), uniform with the variance of the \
        pretrained vectors found (--oov matched: Kim 2014's rule; 0.25 suits word2vec \
        300-d, about 1.1 GloVe 50-d) or zeros (--oov zero); <pad> is zeros. \
        Without --vectors every row is random, of dimension --dim (default 200).

        The vector file may be GloVe text, word2vec text (with a 'count dim' header) or \
        word2vec binary, each optionally gzip-compressed; the layout is detected from the \
        content. Coverage by types and by tokens goes to standard error. On any error \
        nothing is written.

        EXAMPLE:
          embed --vectors ../shared/vectors/glove.6B.50d.txt runs/trec/train.tokens.h5 -o runs/trec/train.emb.h5
          embed --dim 200 --seed 7 titles.tokens.h5 -o titles.emb.h5
        """)

    @Argument(help: "The tokens file to embed (.tokens.h5, from tokenize).")
    var input: String

    @Option(name: .shortAndLong, help: "The embedded file to write (.emb.h5).")
    var output: String

    @Option(help: "Pretrained word vectors (GloVe/word2vec text or word2vec binary, plain or .gz).")
    var vectors: String?

    @Option(help: "Vector file layout: glove, word2vec or word2vec-binary (default: detect).")
    var vectorsFormat: VectorFormat?

    @Option(help: "Vector dimension D: without --vectors default 200; with --vectors it must match the file.")
    var dim: Int?

    @Option(help: "Words without a pretrained vector: uniform (random, ±--oov-bound), matched (random, the pretrained vectors' variance) or zero.")
    var oov: OOVChoice = .uniform

    @Option(help: "Bound of the uniform random vectors: values in [-bound, bound).")
    var oovBound: Float = 0.25

    @Option(help: "Seed of the random vectors.")
    var seed: UInt64 = 1

    @Flag(help: "A tokens file of 0 documents (tokenize --allow-empty) writes an embedded file of 0 rows instead of failing.")
    var allowEmpty = false

    static func main() { mainWithOneLineErrors() }

    func run() throws {
        var options = EmbedStage.Options()
        options.input = input
        options.output = output
        options.command = currentCommandLine
        options.vectorsPath = vectors
        options.vectorsFormat = vectorsFormat
        options.dim = dim
        switch oov {
        case .uniform: options.oov = .uniform(bound: oovBound)
        case .matched: options.oov = .matched
        case .zero: options.oov = .zeros
        }
        options.seed = seed
        options.allowEmpty = allowEmpty
        var stage = EmbedStage(options: options)
        stage.progress = { ProgressReporter(label: "embed", total: $0, unit: "documents") }
        let report = try stage.run()
        FileHandle.standardError.write(Data("embed: \(input) → \(output)\n\(report.description)\n".utf8))
    }
}

enum OOVChoice: String, ExpressibleByArgument, CaseIterable { case uniform, matched, zero }
extension VectorFormat: ExpressibleByArgument {}
