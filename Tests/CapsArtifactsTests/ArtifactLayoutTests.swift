@testable import CapsArtifacts
import CapsKit
import CapsKitTestSupport
import CapsReports
import CapsTestSupport
import Foundation
import XCTest

/// `h5dump -H` (an independent reader) sees the datasets, types and shapes
/// the layout doc comments promise.
final class ArtifactLayoutTests: XCTestCase {
    func testTokensFileLayout() throws {
        let path = try Fixtures.temporaryDirectory(for: self).appendingPathComponent("t.tokens.h5").path
        try ArtifactSamples.tokens().write(to: path)
        let found = H5Dump.datasets(in: try H5Dump.header(path))
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
        let dump = try H5Dump.header(path)
        let found = H5Dump.datasets(in: dump)
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
