import CapsArtifacts
@testable import CapsKit
import CapsKitTestSupport
import CapsNet
import CapsReports
import CapsTestSupport
import Foundation
import XCTest

/// The built `capsexport` tool: text formats to standard output, binary
/// formats refused there with one line, files written whole.
final class CapsExportToolTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory(for: self)
        try ScoringFixture.embeddedFile(at: path("data.h5"))
        try ScoringFixture.train(input: path("data.h5"), output: path("model.h5"), epochs: 2)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func testSummaryGoesToStandardOutput() throws {
        let run = try Fixtures.run("capsexport", ["--format", "summary", path("model.h5"), "-o", "-"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let model = try ModelFile.read(from: path("model.h5"))
        let count = try CapsuleNetwork(config: model.config, maxBatch: 1, seed: 0).parameters.count
        XCTAssertTrue(run.stdout.contains("Total params: \(ModelSummary.grouped(count))"), run.stdout)
        XCTAssertTrue(run.stdout.contains("class_caps"), run.stdout)
    }

    func testBinaryFormatToStandardOutputFailsWithOneLine() throws {
        let run = try Fixtures.run("capsexport", ["--format", "npz", path("model.h5"), "-o", "-"])
        XCTAssertNotEqual(run.status, 0)
        XCTAssertEqual(run.stdout, "")
        XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("npz"), run.stderr)
    }

    func testNotAModelFileFailsWithOneLineAndWritesNothing() throws {
        let run = try Fixtures.run("capsexport", ["--format", "h5", path("data.h5"), "-o", path("w.h5")])
        XCTAssertNotEqual(run.status, 0)
        XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains(path("data.h5")), run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("w.h5")))
    }

    func testJSONFileMatchesTheLibrarysExport() throws {
        let run = try Fixtures.run("capsexport", ["--format", "json", path("model.h5"), "-o", path("m.json")])
        XCTAssertEqual(run.status, 0, run.stderr)
        let exporter = try ModelExporter(path: path("model.h5"))
        let expected = try ModelJSONExport.text(configuration: exporter.configuration, tensors: exporter.tensors())
        XCTAssertEqual(try String(contentsOfFile: path("m.json"), encoding: .utf8), expected)
    }
}
