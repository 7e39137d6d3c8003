@testable import CapsArtifacts
import CapsKit
import CapsKitTestSupport
import CapsReports
import CapsStorage
import CapsTestSupport
import CapsText
import XCTest

final class TokensFileTests: XCTestCase {
    func testRoundTripKeepsEveryField() throws {
        let folder = try Fixtures.temporaryDirectory(for: self)
        let path = folder.appendingPathComponent("t.tokens.h5").path
        let original = try ArtifactSamples.tokens()
        try original.write(to: path)
        XCTAssertEqual(try TokensFile.read(from: path), original)
        // Only the artifact is left: the temporary file was renamed onto it.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["t.tokens.h5"])
    }

    /// A lexical view round-trips as `/lexical_ids` [N, L_x] with `lexical_len`;
    /// a file whose attribute promises a view it lacks, or a view shorter
    /// than the rows, or ids outside the vocabulary, is refused naming it.
    func testALexicalViewRoundTripsAndIsChecked() throws {
        let path = try Fixtures.temporaryDirectory(for: self).appendingPathComponent("v.tokens.h5").path
        var original = try ArtifactSamples.tokens()
        original.settings.lexicalLength = 6
        original.lexicalIds = [2, 3, 0, 0, 0, 0,
                               4, 5, 1, 0, 0, 0,
                               2, 2, 3, 4, 5, 5]
        try original.write(to: path)
        XCTAssertEqual(try TokensFile.read(from: path), original)
        let file = try H5File.open(at: path)
        XCTAssertEqual(try file.requireInt("lexical_len"), 6)
        XCTAssertEqual(try file.shape(of: "/lexical_ids"), [3, 6])
        try file.close()

        let plainPath = path.replacingOccurrences(of: "v.tokens", with: "p.tokens")
        try ArtifactSamples.tokens().write(to: plainPath)
        XCTAssertEqual(try H5File.open(at: plainPath).requireInt("lexical_len"), 0)
        XCTAssertNil(try TokensFile.read(from: plainPath).lexicalIds)

        func assertRefused(_ damage: (H5File) throws -> Void, _ fragments: [String], line: UInt = #line) throws {
            try original.write(to: path)
            let file = try H5File.open(at: path, writable: true)
            try damage(file)
            try file.close()
            XCTAssertThrowsError(try TokensFile.read(from: path), line: line) { error in
                for fragment in [path] + fragments {
                    XCTAssertTrue("\(error)".contains(fragment), "\(error) lacks \(fragment)", line: line)
                }
            }
        }
        try assertRefused({ try $0.setAttribute("lexical_len", .int(3)) }, ["lexical_len", "at least max_len 4"])
        try assertRefused({ try $0.setAttribute("lexical_len", .int(7)) }, ["/lexical_ids"])
        try assertRefused({ try $0.write([Int32](repeating: 9, count: 18), shape: [3, 6], to: "/lexical_ids") },
                          ["/lexical_ids", "id 9"])
    }

    func testUnlabeledRoundTripHasNoLabelsDataset() throws {
        let path = try Fixtures.temporaryDirectory(for: self).appendingPathComponent("u.tokens.h5").path
        let original = try ArtifactSamples.tokens(labeled: false)
        try original.write(to: path)
        XCTAssertEqual(try TokensFile.read(from: path), original)
        XCTAssertFalse(try H5File.open(at: path).contains("/labels"))
    }

    func testStoredAttributesAreTheDocumentedOnes() throws {
        let path = try Fixtures.temporaryDirectory(for: self).appendingPathComponent("t.tokens.h5").path
        try ArtifactSamples.tokens().write(to: path)
        let file = try H5File.open(at: path)
        XCTAssertEqual(try file.requireString("format"), "capskit.tokens")
        XCTAssertEqual(try file.requireInt("format_version"), 1)
        XCTAssertEqual(try file.requireInt("char_level"), 1)
        XCTAssertEqual(try file.requireInt("normalize"), 0)
        XCTAssertEqual(try file.requireInt("max_len"), 4)
        XCTAssertEqual(try file.requireInt("vocab_max_size"), 100)
        XCTAssertEqual(try file.requireInt("train_vocab_size"), 5)
        XCTAssertEqual(try file.requireDouble("unknown_rate"), 1.0 / 9.0, accuracy: 1e-15)
        XCTAssertEqual(try file.requireInts("label_counts"), [1, 1])
        XCTAssertEqual(try file.read(Int64.self, from: "/label_offsets").values, [0, 1, 2, 4])
        XCTAssertEqual(try file.read(Int32.self, from: "/label_indices").values, [1, -1, 0, 1])
        XCTAssertEqual(try file.shape(of: "/ids"), [3, 4])
        XCTAssertEqual(try file.readStrings(from: "/vocab"), ["<pad>", "<unk>", "the", "cat", "猫", "🐱"])
    }

    /// Writes the sample, lets `damage` change the file, and expects `read` to fail naming `fragments`.
    func assertReadFails(after damage: (H5File) throws -> Void, mentions fragments: [String],
                         line: UInt = #line) throws {
        let path = try Fixtures.temporaryDirectory(for: self).appendingPathComponent("bad.tokens.h5").path
        try ArtifactSamples.tokens().write(to: path)
        let file = try H5File.open(at: path, writable: true)
        try damage(file)
        try file.close()
        XCTAssertThrowsError(try TokensFile.read(from: path), line: line) { error in
            let message = "\(error)"
            XCTAssertFalse(message.contains("\n"), message, line: line)
            for fragment in [path] + fragments {
                XCTAssertTrue(message.contains(fragment), "\"\(message)\" lacks \"\(fragment)\"", line: line)
            }
        }
    }

    func testFormatAndVersionAreChecked() throws {
        try assertReadFails(after: { try $0.setAttribute("format", "capskit.embedded") },
                            mentions: ["'format'", "capskit.embedded", "expected \"capskit.tokens\""])
        try assertReadFails(after: { try $0.setAttribute("format_version", 2) },
                            mentions: ["'format_version'", "found 2", "version 1"])
        try assertReadFails(after: { try $0.setAttribute("format", 7) }, mentions: ["'format'", "found 7"])
    }

    /// Found by fuzzing (fuzz-embedded): a `format` attribute holding a line
    /// break was quoted raw, breaking the one-line error message.
    func testControlCharactersInAFoundAttributeAreEscaped() throws {
        try assertReadFails(after: { try $0.setAttribute("format", "\u{89}HDF\r\n") },
                            mentions: ["'format'", #"found "\u{89}HDF\r\n"; expected "capskit.tokens""#])
    }

    func testOutOfRangeContentsAreRejected() throws {
        try assertReadFails(after: { try $0.write([Int32](repeating: 6, count: 12), shape: [3, 4], to: "/ids") },
                            mentions: ["/ids", "id 6", "0..<6"])
        try assertReadFails(after: { try $0.write([Int32](repeating: 0, count: 15), shape: [3, 5], to: "/ids") },
                            mentions: ["/ids", "[*,4]", "[3,5]"])
        try assertReadFails(after: { try $0.write([Int32]([0, 2, 0]), shape: [3], to: "/labels") },
                            mentions: ["/labels", "row 1", "below 2"])
        try assertReadFails(after: { try $0.write([Int32]([2, 5, 4]), shape: [3], to: "/lengths") },
                            mentions: ["/lengths", "row 1", "0…4"])
        try assertReadFails(after: { try $0.write([Int64]([0, 1, 3, 2]), shape: [4], to: "/label_offsets") },
                            mentions: ["/label_offsets"])
        try assertReadFails(after: { try $0.write(strings: ["<pad>", "<unk>", "the", "the", "猫", "🐱"], to: "/vocab") },
                            mentions: ["/vocab", "\"the\""])
    }

    func testAFileThatIsNotHDF5() throws {
        let path = try Fixtures.temporaryDirectory(for: self).appendingPathComponent("text.tokens.h5").path
        try Data("NUM\tnot hdf5\n".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try TokensFile.read(from: path)) { error in
            XCTAssertTrue("\(error)".contains("not an HDF5 file"), "\(error)")
        }
    }

    func testFailedWriteLeavesNothing() throws {
        let folder = try Fixtures.temporaryDirectory(for: self)
        var tokens = try ArtifactSamples.tokens()
        // HDF5 strings cannot hold NUL: the write fails after the file was started.
        tokens.labelNames = ["ne\u{0}g", "pos"]
        XCTAssertThrowsError(try tokens.write(to: folder.appendingPathComponent("t.tokens.h5").path))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
    }
}
