import CapsKit
import CapsTestSupport
import Foundation
import XCTest

/// `h5dump -H` (an independent reader) sees the datasets, types and shapes
/// the layout doc comments promise.
final class ArtifactLayoutTests: XCTestCase {
    /// The header dump of `path`, or a skip when h5dump is not installed.
    func header(_ path: String) throws -> String {
        let candidates = ["/usr/bin/h5dump", "/usr/local/bin/h5dump"]
        guard let tool = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw XCTSkip("h5dump is not installed (apt install hdf5-tools); skipped")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-H", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        return String(decoding: data, as: UTF8.self)
    }

    /// The (type, shape) h5dump shows for each dataset: `"x": ("H5T_IEEE_F32LE", "3, 4, 5")`.
    func datasets(in dump: String) -> [String: (type: String, shape: String)] {
        var result: [String: (String, String)] = [:]
        let blocks = dump.components(separatedBy: "DATASET \"").dropFirst()
        for block in blocks {
            let name = String(block.prefix { $0 != "\"" })
            let type = block.components(separatedBy: "DATATYPE").dropFirst().first?
                .trimmingCharacters(in: .whitespaces).prefix { !$0.isWhitespace } ?? ""
            let shape = block.components(separatedBy: "SIMPLE { ( ").dropFirst().first?.components(separatedBy: " )").first ?? ""
            result[name] = (String(type), shape)
        }
        return result
    }

    func testTokensFileLayout() throws {
        let path = try Fixtures.temporaryDirectory(for: self).appendingPathComponent("t.tokens.h5").path
        try ArtifactSamples.tokens().write(to: path)
        let found = datasets(in: try header(path))
        let expected: [String: (String, String)] = [
            "ids": ("H5T_STD_I32LE", "3, 4"), "lengths": ("H5T_STD_I32LE", "3"), "labels": ("H5T_STD_I32LE", "3"),
            "label_names": ("H5T_STRING", "2"), "vocab": ("H5T_STRING", "6"), "vocab_counts": ("H5T_STD_I64LE", "6"),
            "label_offsets": ("H5T_STD_I64LE", "4"), "label_indices": ("H5T_STD_I32LE", "4"),
        ]
        XCTAssertEqual(Set(found.keys), Set(expected.keys))
        for (name, (type, shape)) in expected {
            XCTAssertEqual(found[name]?.type, type, name)
            XCTAssertEqual(found[name]?.shape, shape, name)
        }
    }

    func testEmbeddedFileLayout() throws {
        let path = try Fixtures.temporaryDirectory(for: self).appendingPathComponent("e.emb.h5").path
        let tokens = try ArtifactSamples.tokens()
        try EmbeddedFile.write(tokens: tokens, table: ArtifactSamples.table(for: tokens, dim: 5), settings: EmbeddingSettings(),
                               provenance: Provenance(tool: "embed", command: "embed"), to: path)
        let dump = try header(path)
        let found = datasets(in: dump)
        XCTAssertEqual(found["x"]?.type, "H5T_IEEE_F32LE")
        XCTAssertEqual(found["x"]?.shape, "3, 4, 5")
        XCTAssertEqual(found["embedding"]?.shape, "6, 5")
        XCTAssertEqual(Set(found.keys), ["x", "embedding", "ids", "lengths", "labels", "label_names", "vocab",
                                         "vocab_counts", "label_offsets", "label_indices"])
        for attribute in ["format", "format_version", "dim", "max_len", "vectors_sha256", "oov", "seed",
                          "coverage_type_rate", "tokens_char_level", "tokens_lowercase", "tokens_normalize", "tokens_command"] {
            XCTAssertTrue(dump.contains("ATTRIBUTE \"\(attribute)\""), attribute)
        }
    }
}
