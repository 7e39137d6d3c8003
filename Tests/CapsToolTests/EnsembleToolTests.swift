import CapsArtifacts
@testable import CapsKit
import CapsKitTestSupport
import CapsStorage
import CapsTestSupport
import Foundation
import XCTest

/// `capsfit --ensemble K` end to end through the built tools: training,
/// resume, capseval on embedded and raw-text input, capsexport.
final class EnsembleToolTests: ToolTestCase {
    /// Flags for a model small enough to train in a fraction of a second.
    let small = ["--ngram", "2", "--filters", "12", "--primary-channels", "16", "--primary-kernel", "3",
                 "--class-dim", "8", "--decoder-hidden", "16,24", "--lam-recon", "0", "--batch", "10",
                 "--lr", "0.01", "--threads", "1", "--fine-tune-embeddings"]

    override func setUpWithError() throws {
        try super.setUpWithError()
        // With the tokenizer attributes, so the model can score raw text.
        try ScoringFixture.embeddedFile(at: path("train.h5"))
    }

    func testBadEnsembleValuesFailInOneLineAndWriteNothing() throws {
        try assertFailsCleanly("capsfit", small + ["--ensemble", "0", path("train.h5"), "-o", path("model.h5")],
                               mentions: ["capsfit: --ensemble must be at least 1 (got 0)"])
        try assertFailsCleanly("capsfit", small + ["--ensemble", "two", path("train.h5"), "-o", path("model.h5")],
                               mentions: ["capsfit: --ensemble must be a whole number (got 'two')"])
    }

    func testTrainsScoresAndExportsEveryMember() throws {
        let fit = try runOK("capsfit", small + ["--ensemble", "2", "--epochs", "2", "--log", path("history.csv"),
                                                path("train.h5"), "-o", path("model.h5")])
        let lines = fit.stderr.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasSuffix("; ensemble of 2 members, trained one after another"), lines[0])
        for member in 1...2 {
            XCTAssertEqual(lines.filter { $0.hasPrefix("member \(member)/2 epoch ") && $0.contains("val acc") }.count, 2,
                           fit.stderr)
        }
        XCTAssertTrue(lines.last!.hasPrefix("ensemble of 2 members: validation accuracy "), fit.stderr)
        let model = try ModelFile.read(from: path("model.h5"))
        XCTAssertEqual(model.members.count, 2)

        // capseval: embedded input and raw text from standard input, both with the members' mean.
        let embedded = try runOK("capseval", ["--model", path("model.h5"), "--threads", "1", "--plot", path("figures"),
                                              path("train.h5"), "-o", path("scores.h5")])
        XCTAssertTrue(embedded.stdout.contains("accuracy"), embedded.stdout)
        var options = ScoringOptions()
        options.threads = 1
        let library = try EvalStage(model: path("model.h5"), input: path("train.h5"), scoring: options).run()
        XCTAssertEqual(try H5File.open(at: path("scores.h5")).read(Float.self, from: "/lengths").values,
                       library.lengths.values)
        for name in ["confusion.svg", "training-member1.svg", "training-member2.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: path("figures/\(name)")), name)
        }
        let text = try runOK("capseval", ["--model", path("model.h5"), "--threads", "1", "--predictions", "-", "-"],
                             stdin: "class1\tw4 w10 w11\nclass0\tw2 w13 w17\n")
        XCTAssertEqual(text.stdout.split(separator: "\n").count, 3, text.stdout)

        // capsexport: the summary names both members; the archive holds both members' tensors.
        let summary = try runOK("capsexport", ["--format", "summary", path("model.h5"), "-o", "-"])
        XCTAssertTrue(summary.stdout.contains("Ensemble of 2 members"), summary.stdout)
        XCTAssertTrue(summary.stdout.contains("  member 1 ") && summary.stdout.contains("  member 2 "), summary.stdout)
        XCTAssertTrue(summary.stdout.split(separator: "\n").contains { $0.split(separator: " ") == ["ensemble", "2"] },
                      summary.stdout)
        try runOK("capsexport", ["--format", "npz", path("model.h5"), "-o", path("weights.npz")])
        let names = try ZipReader(Data(contentsOf: URL(fileURLWithPath: path("weights.npz")))).members.map(\.name)
        XCTAssertTrue(names.contains("members/1/conv1.weight.npy") && names.contains("members/2/embedding.weight.npy"), "\(names)")
        XCTAssertEqual(names.filter { $0.hasPrefix("members/2/") }.count, names.count / 2)

        let csv = try String(contentsOfFile: path("history.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.count, 5)
        XCTAssertTrue(csv[0].hasPrefix("member,epoch,"), String(csv[0]))
    }

    func testResumeThroughTheToolEqualsTrainingStraight() throws {
        try runOK("capsfit", small + ["--ensemble", "2", "--epochs", "3", path("train.h5"), "-o", path("straight.h5")])
        try runOK("capsfit", small + ["--ensemble", "2", "--epochs", "2", path("train.h5"), "-o", path("resumed.h5")])
        let resume = try runOK("capsfit", ["--resume", path("resumed.h5"), "--epochs", "3", "--threads", "1",
                                           path("train.h5"), "-o", path("resumed.h5")])
        XCTAssertTrue(resume.stderr.contains("member 1/2 (seed 1): continuing at epoch 3"), resume.stderr)
        let straight = try ModelFile.read(from: path("straight.h5"), withCheckpoint: true)
        let resumed = try ModelFile.read(from: path("resumed.h5"), withCheckpoint: true)
        XCTAssertEqual(resumed.members.map(\.weights), straight.members.map(\.weights))
        XCTAssertEqual(resumed.members.map(\.tunedEmbedding), straight.members.map(\.tunedEmbedding))
        XCTAssertEqual(resumed.members.map { $0.checkpoint!.parameters }, straight.members.map { $0.checkpoint!.parameters })
        XCTAssertEqual(resumed.attribute("ensemble_val_acc")?.doubleValue, straight.attribute("ensemble_val_acc")?.doubleValue)
    }
}
