import CapsArtifacts
import CapsCore
@testable import CapsKit
import CapsKitTestSupport
import CapsReports
import CapsStorage
import CapsTestSupport
import CapsText
import CapsVectors
import XCTest

/// Scoring in the library: inputs prepared for the model, batched inference,
/// metrics and the scores file, each checked against an independent computation.
final class ScoringTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory(for: self) }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func score(_ input: String, model: String, batch: Int = 7, skipUnseen: Bool = false) throws -> Scores {
        var options = ScoringOptions()
        options.batchSize = batch
        options.unseenLabels = skipUnseen ? .skip : .fail
        return try EvalStage(model: model, input: input, scoring: options).run()
    }

    func assertClose(_ a: [Float], _ b: [Float], tolerance: Float = 1e-5, _ message: String = "",
                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, message, file: file, line: line)
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, tolerance, "largest difference \(worst) \(message)", file: file, line: line)
    }

    func testStaticModelScoresEmbeddedFileLikeDirectInference() throws {
        try ScoringFixture.embeddedFile(at: path("data.h5"))
        try ScoringFixture.train(input: path("data.h5"), output: path("model.h5"))
        // A batch of 7 does not divide the 120 rows: the last batch is partial.
        let scores = try score(path("data.h5"), model: path("model.h5"), batch: 7)
        let x = try H5File.open(at: path("data.h5")).read(Float.self, from: "/x").values
        let direct = try ScoringFixture.directLengths(model: path("model.h5"), x: x)
        assertClose(scores.lengths.values, direct)
        XCTAssertEqual(scores.documentCount, 120)
        XCTAssertTrue(scores.lengths.values.allSatisfy { $0 >= 0 && $0 < 1 }, "capsule lengths lie in [0, 1)")
    }

    func testFineTunedModelLooksUpItsTunedTable() throws {
        let written = try ScoringFixture.embeddedFile(at: path("data.h5"))
        try ScoringFixture.train(input: path("data.h5"), output: path("model.h5"), fineTune: true, decoder: false)
        let model = try ModelFile.read(from: path("model.h5"))
        let tuned = try XCTUnwrap(model.tunedEmbedding)
        XCTAssertNotEqual(tuned, model.embedding, "training moved the table")

        let scores = try score(path("data.h5"), model: path("model.h5"))
        let expected = try ScoringFixture.directLengths(
            model: path("model.h5"), x: ScoringFixture.gather(ids: written.ids, table: tuned, dimension: 6))
        assertClose(scores.lengths.values, expected)
        // The stored /x (static vectors) would give other scores.
        let x = try H5File.open(at: path("data.h5")).read(Float.self, from: "/x").values
        let staticLengths = try ScoringFixture.directLengths(model: path("model.h5"), x: x)
        XCTAssertGreaterThan(zip(scores.lengths.values, staticLengths).map { abs($0 - $1) }.max()!, 1e-3)
    }

    func testWordsAddedByExtendVocabTakeTheInputsOwnVectors() throws {
        try ScoringFixture.embeddedFile(at: path("train.h5"))
        try ScoringFixture.train(input: path("train.h5"), output: path("model.h5"), fineTune: true, decoder: false)
        let model = try ModelFile.read(from: path("model.h5"))
        let (V, L, D) = (model.vocabulary.count, 8, 6)

        // A test file whose vocabulary is the model's plus one word, as `tokenize --extend-vocab` makes it.
        var ids = [Int32](repeating: 0, count: 2 * L)
        ids[0..<3] = [4, Int32(V), 9]          // document 0 uses the new word
        ids[L..<(L + 2)] = [Int32(V), 1]       // document 1 too, and <unk>
        let newRow: [Float] = [0.5, -0.25, 1, 0.75, -1, 0.125]
        let table = model.embedding + newRow
        let words = model.vocabulary + ["added"]
        let tokens = TokensFile(ids: ids, lengths: [3, 2], labels: [0, 1], allLabels: nil, labelNames: model.labelNames,
                                vocabulary: try Vocabulary(tokens: words, counts: model.vocabularyCounts + [0]),
                                trainVocabularySize: V, settings: TokenizationSettings(maxLength: L), source: "test",
                                sourceSHA256: String(repeating: "0", count: 64), statistics: CorpusStatistics(),
                                provenance: Provenance(tool: "tokenize", command: "test"))
        var embedding = EmbeddingTableBuilder(vocabulary: words, seed: 1).buildRandom(dim: D)
        embedding.values = table
        try EmbeddedFile.write(tokens: tokens, table: embedding, settings: EmbeddingSettings(),
                               provenance: Provenance(tool: "embed", command: "test"), to: path("test.h5"))

        let scores = try score(path("test.h5"), model: path("model.h5"))
        let merged = try XCTUnwrap(model.tunedEmbedding) + newRow
        let expected = try ScoringFixture.directLengths(
            model: path("model.h5"), x: ScoringFixture.gather(ids: ids, table: merged, dimension: D))
        assertClose(scores.lengths.values, expected)
    }

    func testFineTunedModelRejectsAnInputWithAnotherVocabulary() throws {
        try ScoringFixture.embeddedFile(at: path("train.h5"))
        try ScoringFixture.train(input: path("train.h5"), output: path("model.h5"), fineTune: true, decoder: false)
        try ScoringFixture.embeddedFile(at: path("other.h5"))
        let file = try H5File.open(at: path("other.h5"), writable: true)
        var vocabulary = try file.readStrings(from: "/vocab")
        vocabulary.swapAt(5, 6)
        try file.write(strings: vocabulary, to: "/vocab")
        try file.close()
        XCTAssertThrowsError(try score(path("other.h5"), model: path("model.h5"))) { error in
            XCTAssertEqual(error as? ScoringError, .vocabularyMismatch(model: path("model.h5"), modelSize: 20,
                                                                       input: path("other.h5"), inputSize: 20,
                                                                       firstDifference: 5))
            let text = "\(error)"
            XCTAssertTrue(text.contains(path("model.h5")) && text.contains(path("other.h5")), text)
            XCTAssertFalse(text.contains("\n"))
        }
    }

    func testMetricsAndScoresFileAgreeWithThePredictions() throws {
        try ScoringFixture.embeddedFile(at: path("data.h5"))
        try ScoringFixture.train(input: path("data.h5"), output: path("model.h5"), epochs: 6)
        let scores = try score(path("data.h5"), model: path("model.h5"))
        try scores.write(to: path("scores.h5"), command: "capseval test")

        let file = try H5File.open(at: path("scores.h5"))
        let lengths = try file.read(Float.self, from: "/lengths", shape: [120, 3]).values
        let predictions = try file.read(Int32.self, from: "/predictions", shape: [120]).values
        let labels = try file.read(Int32.self, from: "/labels", shape: [120]).values
        let confusion = try file.read(Int32.self, from: "/confusion", shape: [3, 3]).values
        XCTAssertEqual(try file.readStrings(from: "/label_names"), ["class0", "class1", "class2"])
        XCTAssertEqual(lengths, scores.lengths.values)

        // Recount everything from the stored lengths and labels.
        var counts = [Int32](repeating: 0, count: 9)
        for n in 0..<120 {
            let row = lengths[(n * 3)..<(n * 3 + 3)]
            let argmax = row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }! - n * 3
            XCTAssertEqual(predictions[n], Int32(argmax), "document \(n)")
            counts[Int(labels[n]) * 3 + argmax] += 1
        }
        XCTAssertEqual(confusion, counts)
        let correct = (0..<3).reduce(0) { $0 + Int(counts[$1 * 4]) }
        XCTAssertEqual(try file.attribute("accuracy")?.doubleValue, Double(correct) / 120)
        XCTAssertEqual(try file.attribute("documents")?.intValue, 120)
        XCTAssertEqual(try file.attribute("input_sha256")?.stringValue, try SHA256.hexDigest(ofFileAt: path("data.h5")))
        XCTAssertEqual(try file.attribute("model_sha256")?.stringValue, try SHA256.hexDigest(ofFileAt: path("model.h5")))
        XCTAssertEqual(try file.attribute("tool")?.stringValue, "capseval")
        // Mean margin loss by hand, with the model's m+ = 0.9, m− = 0.1, λ = 0.5.
        var loss = 0.0
        for n in 0..<120 {
            for c in 0..<3 {
                let v = Double(lengths[n * 3 + c])
                loss += c == Int(labels[n]) ? pow(max(0, 0.9 - v), 2) : 0.5 * pow(max(0, v - 0.1), 2)
            }
        }
        XCTAssertEqual(try XCTUnwrap(file.attribute("margin_loss")?.doubleValue), loss / 120, accuracy: 1e-6)
        XCTAssertTrue(try scores.textReport().contains("accuracy"))
    }

    func testUnseenLabelsFailOrAreLeftOutOfTheMetrics() throws {
        try ScoringFixture.embeddedFile(at: path("data.h5"))
        try ScoringFixture.train(input: path("data.h5"), output: path("model.h5"))
        let file = try H5File.open(at: path("data.h5"), writable: true)
        var labels = try file.read(Int32.self, from: "/labels").values
        labels[3] = -1
        try file.write(labels, shape: [120], to: "/labels")
        try file.close()

        XCTAssertThrowsError(try score(path("data.h5"), model: path("model.h5"))) { error in
            XCTAssertEqual(error as? ScoringError, .unseenLabel(input: path("data.h5"), row: 3))
        }
        let scores = try score(path("data.h5"), model: path("model.h5"), skipUnseen: true)
        XCTAssertEqual(scores.documentCount, 120)
        XCTAssertEqual(scores.metrics?.documentCount, 119)
        XCTAssertEqual(scores.skippedDocuments, 1)
        let kept = scores.predictions.enumerated().filter { $0.offset != 3 }.map(\.element)
        XCTAssertEqual(scores.metrics?.predictions, kept)
    }

    func testDimensionAndMaxLengthMismatchesNameBothFiles() throws {
        try ScoringFixture.embeddedFile(at: path("data.h5"))
        try ScoringFixture.train(input: path("data.h5"), output: path("model.h5"))
        var wide = SyntheticData.Shape()
        wide.dimension = 5
        try ScoringFixture.embeddedFile(at: path("wide.h5"), shape: wide)
        XCTAssertThrowsError(try score(path("wide.h5"), model: path("model.h5"))) { error in
            XCTAssertEqual(error as? ScoringError, .dimensionMismatch(model: path("model.h5"), modelDimension: 6,
                                                                      input: path("wide.h5"), inputDimension: 5))
        }
        var long = SyntheticData.Shape()
        long.maxLength = 9
        try ScoringFixture.embeddedFile(at: path("long.h5"), shape: long)
        XCTAssertThrowsError(try score(path("long.h5"), model: path("model.h5"))) { error in
            XCTAssertEqual(error as? ScoringError, .maxLengthMismatch(model: path("model.h5"), modelLength: 8,
                                                                      input: path("long.h5"), inputLength: 9))
        }
    }

    func testRawTextSettingsComeFromTheModelsDataAttributes() throws {
        try ScoringFixture.embeddedFile(at: path("data.h5"))
        try ScoringFixture.train(input: path("data.h5"), output: path("model.h5"))
        let model = try ModelFile.read(from: path("model.h5"))
        let settings = try RawTextSettings(model: model, path: "model.h5")
        XCTAssertEqual(settings, RawTextSettings(tokenizer: TokenizerOptions(normalize: true, lowercase: true,
                                                                             characterLevel: false), maxLength: 8))
        var stripped = model
        stripped.attributes.removeAll { $0.0 == "data_tokens_char_level" }
        XCTAssertThrowsError(try RawTextSettings(model: stripped, path: "model.h5")) { error in
            XCTAssertEqual(error as? ScoringError,
                           .missingTokenizerSettings(model: "model.h5", attribute: "data_tokens_char_level"))
        }
    }
}
