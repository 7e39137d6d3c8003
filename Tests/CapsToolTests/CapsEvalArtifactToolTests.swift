import CapsArtifacts
import CapsKitTestSupport
import CapsStorage
import CapsTestSupport
import CapsText
import Foundation
import XCTest

/// How capseval tells artifacts from text: a file named .h5/.hdf5 or signed
/// as HDF5 is an artifact, or refused — never scored as lines of text.
final class CapsEvalArtifactToolTests: ToolTestCase {
    /// The synthetic corpus as an embedded file (`data.h5`) and a static model
    /// trained on it (`model.h5`, or `tuned.h5` fine-tuned).
    func prepare(fineTune: Bool = false) throws -> String {
        try ScoringFixture.embeddedFile(at: path("data.h5"))
        let model = path(fineTune ? "tuned.h5" : "model.h5")
        try ScoringFixture.train(input: path("data.h5"), output: model, fineTune: fineTune, epochs: 2)
        return model
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

    /// The text tools refuse an artifact in place of text, even with bytes repaired.
    func testTextToolsRefuseAnHDF5File() throws {
        _ = try prepare()
        try assertFailsCleanly("tokenize", ["--invalid-utf8", "replace", path("data.h5"), "-o", path("x.tokens.h5")],
                               mentions: ["tokenize: \(path("data.h5")): an HDF5 file"])
        try assertFailsCleanly("capssplit", ["--invalid-utf8", "replace", path("data.h5"), "-o", path("split")],
                               mentions: ["capssplit: \(path("data.h5")): an HDF5 file"])
    }
}
