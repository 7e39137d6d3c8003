import CapsArtifacts
import CapsKitTestSupport
import CapsStorage
import CapsTestSupport
import CapsText
import Foundation
import XCTest

/// How capseval tells artifacts from text: a file named .h5/.hdf5 or signed
/// as HDF5 is an embedded or a tokens file, or refused — never scored as
/// lines of text; a tokens file is scored through the model's vocabulary
/// and table, like the embedded file made from it.
final class CapsEvalArtifactToolTests: ToolTestCase {
    /// The synthetic corpus as an embedded file (`data.h5`), a static model
    /// trained on it (`model.h5`, or `tuned.h5` fine-tuned) and the tokens file the
    /// embedded file was made from (`data.tokens.h5`).
    func prepare(fineTune: Bool = false) throws -> String {
        try ScoringFixture.embeddedFile(at: path("data.h5"))
        let model = path(fineTune ? "tuned.h5" : "model.h5")
        try ScoringFixture.train(input: path("data.h5"), output: model, fineTune: fineTune, epochs: 2)
        try SyntheticData.tokensFile().write(to: path("data.tokens.h5"))
        return model
    }

    /// /lengths [N, C] of `capseval --model model input -o out`.
    func scoredLengths(model: String, input: String, _ extra: [String] = [], out: String = "scores.h5") throws -> [Float] {
        try runOK("capseval", ["--model", model, "--threads", "1", input, "-o", path(out)] + extra)
        return try H5File.open(at: path(out)).read(Float.self, from: "/lengths").values
    }

    func testTextNamedH5IsRefusedNotScoredAsText() throws {
        let model = try prepare()
        try write("class1\tw4 w5\nclass0\tw2 w3\n", to: "junk.h5")
        try write("class1\tw4 w5\n", to: "junk.HDF5")
        for name in ["junk.h5", "junk.HDF5"] {
            try assertFailsCleanly("capseval", ["--model", model, path(name), "-o", path("scores.h5")],
                                   mentions: ["capseval: \(path(name))", "not an HDF5 file"])
        }
    }

    /// The signature after a user block (offset 512) claims the file too,
    /// whatever its name; as text (bytes repaired) it would have been scored.
    func testHDF5SignatureAfterAUserBlockIsNotReadAsText() throws {
        let model = try prepare()
        var bytes = Data(String(repeating: "class1\tw4 w5\n", count: 40).utf8.prefix(512))
        bytes.append(contentsOf: [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A])
        bytes.append(Data(count: 64))
        try write(bytes, to: "signed.txt")
        try assertFailsCleanly("capseval", ["--model", model, "--invalid-utf8", "replace", path("signed.txt"),
                                            "-o", path("scores.h5")], mentions: ["capseval: \(path("signed.txt"))"])
    }

    func testAnotherArtifactIsRefusedNamingItsFormat() throws {
        let model = try prepare()
        try assertFailsCleanly("capseval", ["--model", model, model, "-o", path("scores.h5")],
                               mentions: ["'capskit.model'", "expected 'capskit.embedded' or 'capskit.tokens'"])
    }

    /// The text tools refuse an artifact in place of text, even with bytes repaired.
    func testTextToolsRefuseAnHDF5File() throws {
        _ = try prepare()
        try assertFailsCleanly("tokenize", ["--invalid-utf8", "replace", path("data.h5"), "-o", path("x.tokens.h5")],
                               mentions: ["tokenize: \(path("data.h5")): an HDF5 file"])
        try assertFailsCleanly("capssplit", ["--invalid-utf8", "replace", path("data.h5"), "-o", path("split")],
                               mentions: ["capssplit: \(path("data.h5")): an HDF5 file"])
    }

    /// The tokens file scores as the embedded file made from it: the same
    /// ids, looked up in the same table (static, or each tuned one).
    func testATokensFileScoresLikeItsEmbeddedFile() throws {
        for fineTune in [false, true] {
            let model = try prepare(fineTune: fineTune)
            let embedded = try scoredLengths(model: model, input: path("data.h5"), out: "embedded.h5")
            let tokens = try scoredLengths(model: model, input: path("data.tokens.h5"), ["--json", path("m.json")])
            XCTAssertEqual(tokens.count, 120 * 3)
            XCTAssertLessThanOrEqual(zip(tokens, embedded).map { abs($0 - $1) }.max()!, 1e-6, "fine-tuned: \(fineTune)")
            let scores = try H5File.open(at: path("scores.h5"))
            XCTAssertEqual(try scores.attribute("input_kind")?.stringValue, "tokens")
            XCTAssertEqual(try scores.read(Int32.self, from: "/labels").values,
                           try H5File.open(at: path("embedded.h5")).read(Int32.self, from: "/labels").values)
            XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("m.json")))))
        }
    }

    /// A tokens file with its own vocabulary (another order, a word the model
    /// lacks) is mapped by token string: the unknown word scores as <unk>,
    /// as in raw text.
    func testATokensFileWithAnotherVocabularyIsMappedByTokenString() throws {
        let model = try prepare()
        var tokens = try SyntheticData.tokensFile()
        // Reversed ids for w2 … w19, then "zzz" (not in the model) at id 20.
        let words = ["<pad>", "<unk>"] + (2..<20).reversed().map { "w\($0)" } + ["zzz"]
        let newID: [Int32] = [0, 1] + (2..<20).map { Int32(21 - $0) }
        var expected = tokens.ids                            // the same documents in the model's ids
        tokens.ids = tokens.ids.map { newID[Int($0)] }
        tokens.ids[0] = 20; expected[0] = 1                  // document 0 starts with the unknown word
        tokens.vocabulary = try Vocabulary(tokens: words, counts: [0, 0] + [Int64](repeating: 5, count: 19))
        tokens.trainVocabularySize = words.count
        try tokens.write(to: path("other.tokens.h5"))
        var original = try SyntheticData.tokensFile()
        original.ids = expected
        try original.write(to: path("expected.tokens.h5"))

        let mapped = try scoredLengths(model: model, input: path("other.tokens.h5"))
        let reference = try scoredLengths(model: model, input: path("expected.tokens.h5"), out: "expected.h5")
        XCTAssertEqual(mapped, reference)
        let table = try ModelFile.read(from: model).embedding
        let direct = try ScoringFixture.directLengths(model: model, x: ScoringFixture.gather(ids: expected, table: table, dimension: 6))
        XCTAssertLessThanOrEqual(zip(mapped, direct).map { abs($0 - $1) }.max()!, 1e-5)
    }

    func testATokensFileMadeWithOtherTokenizerSettingsOrLabelsIsRefused() throws {
        let model = try prepare()
        var characters = try SyntheticData.tokensFile()
        characters.settings.tokenizer.characterLevel = true
        try characters.write(to: path("chars.tokens.h5"))
        var long = SyntheticData.Shape()
        long.maxLength = 10
        try SyntheticData.tokensFile(shape: long).write(to: path("long.tokens.h5"))
        var relabelled = try SyntheticData.tokensFile()
        relabelled.labelNames = ["a", "b", "c"]
        try relabelled.write(to: path("relabelled.tokens.h5"))
        var unseen = try SyntheticData.tokensFile()
        unseen.labels![3] = -1
        try unseen.write(to: path("unseen.tokens.h5"))

        for (name, fragment) in [("chars.tokens.h5", "char_level = 1"), ("long.tokens.h5", "max_len 10"),
                                 ("relabelled.tokens.h5", "label names"), ("unseen.tokens.h5", "/labels[3] = -1")] {
            try assertFailsCleanly("capseval", ["--model", model, path(name), "-o", path("scores.h5")],
                                   mentions: ["capseval: \(path(name))", fragment])
        }
        try runOK("capseval", ["--model", model, "--unseen-labels", "skip", path("unseen.tokens.h5"), "-o", path("scores.h5")])
        XCTAssertEqual(try H5File.open(at: path("scores.h5")).attribute("labelled_documents")?.intValue, 119)
    }
}
