import CapsArtifacts
@testable import CapsKit
import CapsKitTestSupport
import CapsNet
import CapsReports
import CapsStorage
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

    /// `--format model`: the model without its checkpoint — smaller, scores
    /// the same lengths bit for bit, and refuses --resume with a line that says why.
    func testScoringModelIsSmallerScoresIdenticallyAndCannotResume() throws {
        let run = try Fixtures.run("capsexport", ["--format", "model", path("model.h5"), "-o", path("slim.h5")])
        XCTAssertEqual(run.status, 0, run.stderr)
        let full = try FileManager.default.attributesOfItem(atPath: path("model.h5"))[.size] as! Int
        let slim = try FileManager.default.attributesOfItem(atPath: path("slim.h5"))[.size] as! Int
        XCTAssertLessThan(slim * 2, full, "the checkpoint (weights + Adam moments) is most of the file")
        let original = try ModelFile.read(from: path("model.h5"))
        let copy = try ModelFile.read(from: path("slim.h5"), withCheckpoint: true)
        XCTAssertNil(copy.members[0].checkpoint)
        XCTAssertEqual(copy.members[0].weights, original.members[0].weights)
        XCTAssertEqual(copy.history, original.history)
        XCTAssertNotNil(copy.attribute(ModelExporter.scoringModelAttribute))
        var lengths: [[Float]] = []
        for model in ["model.h5", "slim.h5"] {
            let score = try Fixtures.run("capseval", ["--model", path(model), path("data.h5"), "-o", path(model + ".scores.h5")])
            XCTAssertEqual(score.status, 0, score.stderr)
            let file = try H5File.open(at: path(model + ".scores.h5"))
            lengths.append(try file.read(Float.self, from: "/lengths").values)
            try file.close()
        }
        XCTAssertEqual(lengths[0], lengths[1])
        let resume = try Fixtures.run("capsfit", ["--resume", path("slim.h5"), "--epochs", "3", path("data.h5"), "-o", path("slim.h5")])
        XCTAssertNotEqual(resume.status, 0)
        XCTAssertEqual(resume.stderr.split(separator: "\n").count, 1, resume.stderr)
        XCTAssertTrue(resume.stderr.hasPrefix("capsfit: ") && resume.stderr.contains("no /checkpoint to resume from (a scoring copy"), resume.stderr)
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
