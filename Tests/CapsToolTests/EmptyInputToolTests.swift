import CapsArtifacts
import CapsKitTestSupport
import CapsTestSupport
import Foundation
import XCTest

/// An input without documents stops the stage that reads it with one line
/// naming the file, instead of an empty artifact that fails stages later;
/// tokenize and embed write one only when asked (`--allow-empty`).
final class EmptyInputToolTests: ToolTestCase {
    func testTokenizeRefusesAnEmptyOrBlankFileUnlessAllowed() throws {
        try write("", to: "empty.tsv")
        try write("\n  \n\t\n\n", to: "blank.tsv")
        for name in ["empty.tsv", "blank.tsv"] {
            let run = try assertFailsCleanly("tokenize", [path(name), "-o", path("out.tokens.h5")],
                                             mentions: ["\(path(name)) holds no documents", "--allow-empty"])
            XCTAssertTrue(run.stderr.hasPrefix("tokenize: "), run.stderr)
        }
        try assertFailsCleanly("tokenize", ["-", "-o", path("out.tokens.h5")], stdin: "",
                               mentions: ["tokenize: <stdin> holds no documents"])

        try runOK("tokenize", ["--allow-empty", path("blank.tsv"), "-o", path("out.tokens.h5")])
        XCTAssertEqual(try TokensFile.read(from: path("out.tokens.h5")).count, 0)
        let help = try runOK("tokenize", ["--help"])
        XCTAssertTrue(help.stdout.contains("--allow-empty"), help.stdout)
    }

    func testEmbedRefusesAnEmptyTokensFileUnlessAllowed() throws {
        try write("", to: "empty.tsv")
        try runOK("tokenize", ["--allow-empty", path("empty.tsv"), "-o", path("empty.tokens.h5")])
        try assertFailsCleanly("embed", ["--dim", "4", path("empty.tokens.h5"), "-o", path("empty.emb.h5")],
                               mentions: ["embed: \(path("empty.tokens.h5")) holds no documents", "--allow-empty"])
        try runOK("embed", ["--allow-empty", "--dim", "4", path("empty.tokens.h5"), "-o", path("empty.emb.h5")])
        XCTAssertEqual(try EmbeddedFile(path: path("empty.emb.h5")).count, 0)
    }

    func testCapsfitRefusesAnEmptyEmbeddedFile() throws {
        try write("", to: "empty.tsv")
        try runOK("tokenize", ["--allow-empty", path("empty.tsv"), "-o", path("empty.tokens.h5")])
        try runOK("embed", ["--allow-empty", "--dim", "4", path("empty.tokens.h5"), "-o", path("empty.emb.h5")])
        try assertFailsCleanly("capsfit", ["--batch", "1", path("empty.emb.h5"), "-o", path("model.h5")],
                               mentions: ["capsfit: \(path("empty.emb.h5")) holds no documents"])
    }

    func testCapssplitRefusesAnEmptyFileAmongItsInputs() throws {
        try write("a\tone\nb\ttwo\na\tthree\nb\tfour\n", to: "some.tsv")
        try write("\n\n", to: "blank.tsv")
        try assertFailsCleanly("capssplit", [path("some.tsv"), path("blank.tsv"), "-o", path("data")],
                               mentions: ["capssplit: \(path("blank.tsv")) holds no documents"])
    }

    /// Raw text, a tokens file and an embedded file of 0 documents, each made
    /// to fit the model (L = 8, D = 6, the training tokenizer) so that only
    /// their emptiness is wrong.
    func testCapsevalRefusesEveryKindOfEmptyInput() throws {
        try ScoringFixture.embeddedFile(at: path("data.h5"))
        try ScoringFixture.train(input: path("data.h5"), output: path("model.h5"), epochs: 1)
        try write("\n\n", to: "blank.tsv")
        try runOK("tokenize", ["--allow-empty", "--max-len", "8", path("blank.tsv"), "-o", path("empty.tokens.h5")])
        try runOK("embed", ["--allow-empty", "--dim", "6", path("empty.tokens.h5"), "-o", path("empty.emb.h5")])
        for input in ["blank.tsv", "empty.tokens.h5", "empty.emb.h5"] {
            try assertFailsCleanly("capseval", ["--model", path("model.h5"), path(input), "-o", path("scores.h5")],
                                   mentions: ["capseval: \(path(input)) holds no documents"])
        }
    }
}
